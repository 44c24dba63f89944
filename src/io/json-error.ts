/**
 * JSON.parse's error, without what it quotes of the file: V8 puts up to a few dozen characters of the text in
 * the message (`Unexpected token 'x', "secret..." is not valid JSON`). The reason keeps the unexpected character
 * (escaped) and the position, and nothing else of the file.
 */
import { escapeText, quote } from "./quote";

export function jsonErrorReason(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const position = positionOf(message);
  const at = position === undefined ? "" : ` at position ${position}`;
  if (message.startsWith("Unexpected end of JSON input")) return "it ends before the JSON is complete";
  const tokenPrefix = "Unexpected token '";
  if (message.startsWith(tokenPrefix)) {
    const close = message.indexOf("'", tokenPrefix.length + 1);
    const token = close > tokenPrefix.length ? message.slice(tokenPrefix.length, close) : "";
    return `unexpected character ${quote(token, 4)}${at}`;
  }
  // Other V8 messages ("Expected property name or '}' in JSON at position 1", ...) quote no text; cut at the
  // first quoted snippet all the same, should a future message add one.
  const snippet = message.indexOf('"');
  let head = snippet >= 0 ? message.slice(0, snippet) : message;
  while (head.endsWith(",") || head.endsWith(" ")) head = head.slice(0, -1);
  return escapeText(head, 120) + (position !== undefined && !head.includes("position") ? at : "");
}

function positionOf(message: string): number | undefined {
  const key = "at position ";
  const i = message.lastIndexOf(key);
  if (i < 0) return undefined;
  let j = i + key.length;
  let n = "";
  while (j < message.length && message[j] >= "0" && message[j] <= "9" && n.length < 16) n += message[j++];
  return n === "" ? undefined : Number(n);
}
