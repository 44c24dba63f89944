import { parsePrefix } from "../sets/ip-set";

/** Parses "192.168.0.0/16,172.20.0.0/16" (the value of --gateway-prefixes); undefined for empty input. */
export function parsePrefixList(text: string | undefined): { ok: true; prefixes: string[] | undefined } | { ok: false; error: string } {
  if (text === undefined || text.trim() === "") return { ok: true, prefixes: undefined };
  const prefixes: string[] = [];
  for (const item of text.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    const p = parsePrefix(item);
    if (!p.ok) return { ok: false, error: p.error };
    prefixes.push(p.normalized);
  }
  return { ok: true, prefixes };
}
