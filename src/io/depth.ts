/**
 * How deeply a parsed document nests, measured without recursion (a recursive walk is what overflows the stack on
 * a hostile file). Stops as soon as `limit` is passed.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<{ v: unknown; d: number }> = [{ v: value, d: 0 }];
  while (stack.length > 0) {
    const { v, d } = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    if (d >= limit) return true;
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    for (const c of children) if (typeof c === "object" && c !== null) stack.push({ v: c, d: d + 1 });
  }
  return false;
}
