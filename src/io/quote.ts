/**
 * What a message echoes of user input (a path, an argument, a value from a file): quoted, with every control
 * character escaped (C0, DEL, C1 such as the 8-bit CSI, and the Unicode line, paragraph and bidi controls), and cut to a
 * short prefix. A message never carries a terminal escape sequence or more than `max` characters of a file.
 */
const ECHO_MAX = 40;

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  return `\\u${code.toString(16).padStart(4, "0")}`;
}

function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029 || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069) || code === 0x200e || code === 0x200f || code === 0xfeff;
}

/** `"text"` with `"` and `\` escaped, controls as `\uXXXX`, and `...` after the first `max` characters. */
export function quote(text: string, max: number = ECHO_MAX): string {
  return `"${escapeText(text, max, true)}`;
}

/** The escaping of quote(), without the quotes. */
export function escapeText(text: string, max: number = ECHO_MAX, quoted = false): string {
  const cut = text.length > max;
  const head = cut ? text.slice(0, max) : text;
  let out = "";
  for (const c of head) {
    const code = c.charCodeAt(0);
    if (quoted && (c === '"' || c === "\\")) out += `\\${c}`;
    else if (c === "\n") out += "\\n";
    else if (c === "\t") out += "\\t";
    else if (c === "\r") out += "\\r";
    else if (isControl(code)) out += escapeChar(c);
    else if (code >= 0xd800 && code <= 0xdfff && c.length === 1) out += escapeChar(c); // a lone surrogate
    else out += c;
  }
  return `${out}${quoted ? '"' : ""}${cut ? `... (${text.length} characters)` : ""}`;
}

/** quote() for any value: strings as quote(); others by their JSON text (also quoted and cut). */
export function quoteValue(v: unknown, max: number = ECHO_MAX): string {
  if (typeof v === "string") return quote(v, max);
  let s: string | undefined;
  try {
    s = JSON.stringify(v);
  } catch {
    s = undefined;
  }
  if (s === undefined) return String(typeof v);
  return escapeText(s, max, false);
}
