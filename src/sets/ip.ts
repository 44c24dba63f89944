/**
 * Strict parsing and formatting of IP addresses and CIDR prefixes.
 * Strict because plan values are user input: "10.1" or "010.0.0.1" are legal to some
 * parsers (classful / octal forms) but Azure rejects them, so we must too.
 */
import * as ipaddr from "ipaddr.js";
import { familyBits, type IpFamily, V4_MAX } from "./ip-family";

export type ParsedIp =
  | { readonly ok: true; readonly family: IpFamily; readonly value: bigint; readonly text: string }
  | { readonly ok: false; readonly error: string };

/** A prefix as its network address and length, before it becomes a set (ip-set.ts `parsePrefix`). */
export type ParsedPrefixRange =
  | {
      readonly ok: true;
      readonly family: IpFamily;
      readonly network: bigint;
      readonly length: number;
      /** Canonical CIDR text, always with a prefix length (bare addresses become /32 or /128). */
      readonly normalized: string;
      /** Present when the input had host bits set and was normalised. */
      readonly warning?: string;
    }
  | { readonly ok: false; readonly error: string };

/** Parses one address (no prefix length). Family 6 for IPv4-mapped IPv6 such as ::ffff:10.0.0.1. */
export function parseIpAddress(text: string): ParsedIp {
  const v = addressValue(text);
  if (v === undefined) return { ok: false, error: notAnAddress(text) };
  return { ok: true, family: v.family, value: v.value, text: formatIp(v.family, v.value) };
}

/** Like parseIpAddress without building the canonical text: the hot path of membership tests. */
export function addressValue(text: string): { readonly family: IpFamily; readonly value: bigint } | undefined {
  if (typeof text !== "string") return undefined;
  const v4 = parseV4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = parseV6(text);
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

export function notAnAddress(text: string): string {
  return `"${String(text)}" is not an IPv4 or IPv6 address`;
}

/** Parses a bare address (a /32 or /128) or a CIDR prefix, normalising host bits as Azure does. */
export function parsePrefixRange(text: string): ParsedPrefixRange {
  const bad: ParsedPrefixRange = {
    ok: false,
    error: `"${String(text)}" is not an IPv4 or IPv6 address or CIDR prefix`,
  };
  if (typeof text !== "string") return bad;
  const slash = text.indexOf("/");
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const addr = addressValue(addrText);
  if (addr === undefined) return bad;
  const bits = familyBits(addr.family);
  let length = bits;
  if (slash >= 0) {
    const lenText = text.slice(slash + 1);
    // Decimal without leading zeros, so "/024" or "/ 24" or "/24/1" are rejected.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(lenText)) return bad;
    length = Number(lenText);
    if (length > bits) {
      return {
        ok: false,
        error: `"${text}" has prefix length ${length}, above the IPv${addr.family} maximum of ${bits}`,
      };
    }
  }
  const network = networkAddress(addr.value, length, bits);
  const normalized = `${formatIp(addr.family, network)}/${length}`;
  if (network !== addr.value) {
    return {
      ok: true,
      family: addr.family,
      network,
      length,
      normalized,
      warning: `"${text}" has host bits set; it is treated as ${normalized}, as Azure does`,
    };
  }
  return { ok: true, family: addr.family, network, length, normalized };
}

/** Formats an address; IPv6 uses RFC 5952 (IPv4-mapped addresses keep the dotted tail). */
export function formatIp(family: IpFamily, value: bigint): string {
  if (family === 4) return formatV4(value);
  if ((value >> 32n) === 0xffffn) return `::ffff:${formatV4(value & V4_MAX)}`;
  const parts: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) parts.push(Number((value >> shift) & 0xffffn));
  return new ipaddr.IPv6(parts).toRFC5952String();
}

/** Formats value/length as CIDR text. */
export function formatCidr(family: IpFamily, value: bigint, length: number): string {
  return `${formatIp(family, value)}/${length}`;
}

/** value is 0..2^32-1: one bigint-to-number conversion, then number shifts (no array, no per-octet bigint). */
function formatV4(value: bigint): string {
  const n = Number(value);
  return `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
}

function networkAddress(value: bigint, length: number, bits: number): bigint {
  const hostBits = BigInt(bits - length);
  return (value >> hostBits) << hostBits;
}

const DOT = 46;
const ZERO = 48;
const NINE = 57;

/**
 * Four-part decimal only, as a plain number (no regex, no bigint: IP flow verify parses addresses per query).
 * ipaddr.js also accepts "10.1", octal and hex forms, which Azure rejects.
 * The address as 0..2^32-1, or -1 when the text is not four decimal octets 0..255 without leading zeros.
 */
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

function parseV4(text: string): bigint | undefined {
  const n = ipv4Number(text);
  return n < 0 ? undefined : BigInt(n);
}

/**
 * Standard IPv6 text forms. Pre-checked because ipaddr.js accepts zone ids, octal-looking
 * embedded IPv4 and maps "::a.b.c.d" to ::ffff:a.b.c.d, which is a different address.
 */
function parseV6(text: string): bigint | undefined {
  if (!/^[0-9A-Fa-f:.]+$/.test(text) || !text.includes(":")) return undefined;
  let hexText = text;
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  if (tail.includes(".")) {
    // Rewrite the dotted IPv4 tail as two hex groups so ipaddr.js sees plain IPv6.
    const v4 = parseV4(tail);
    if (v4 === undefined) return undefined;
    hexText = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  if (hexText.split(":").some((group) => group.length > 4 || group.includes("."))) return undefined;
  try {
    return bytesToBigint(ipaddr.IPv6.parse(hexText).toByteArray());
  } catch {
    return undefined;
  }
}

function bytesToBigint(bytes: ReadonlyArray<number>): bigint {
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  return value;
}
