/**
 * IPv4 text to a plain number, for the IP flow verify fast path: no regex, no bigint, no object. The grammar is
 * exactly the one sets/ip.ts accepts (four decimal octets 0..255 without leading zeros, nothing else), so text
 * accepted here is the same address there; anything else (IPv6, malformed text) is left to the general path.
 */

const DOT = 46;
const ZERO = 48;
const NINE = 57;

/** The address as 0..2^32-1, or -1 when the text is not a strict dotted-quad IPv4 address. */
export function ipv4Number(text: string): number {
  if (typeof text !== "string") return -1;
  const n = text.length;
  if (n < 7 || n > 15) return -1;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) {
      if (digits === 0 || dots === 3) return -1;
      value = value * 256 + octet;
      dots++;
      octet = 0;
      digits = 0;
    } else if (c >= ZERO && c <= NINE) {
      // "0" alone is an octet; "01" is not (Azure rejects octal-looking forms).
      if (digits === 1 && octet === 0) return -1;
      octet = octet * 10 + (c - ZERO);
      digits++;
      if (octet > 255) return -1;
    } else {
      return -1;
    }
  }
  if (digits === 0 || dots !== 3) return -1;
  return value * 256 + octet;
}
