/**
 * Azure's rule names: at most 80 characters, starting with a word character, ending with a word character or '_',
 * with '.', '-' and '_' inside (docs/azure-semantics.md §1). A loop, not a pattern: linear on any input.
 */
export function isRuleName(name: string): boolean {
  if (name.length === 0 || name.length > 80) return false;
  const word = (c: string): boolean => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c === "_";
  if (!word(name[0]) || !word(name[name.length - 1])) return false;
  for (const c of name) if (!word(c) && c !== "." && c !== "-") return false;
  return true;
}
