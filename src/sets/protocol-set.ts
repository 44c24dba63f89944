/**
 * Exact sets of IP protocol numbers (0..255), parsed from Azure's protocol names.
 */
import { BoundedSet } from "./bounded-set";
import { IntervalSet } from "./interval-set";

export const Icmp = 1;
export const Tcp = 6;
export const Udp = 17;
export const Esp = 50;
export const Ah = 51;
export const Icmpv6 = 58;

const PROTOCOL_MIN = 0;
const PROTOCOL_MAX = 255;

const NAMES: ReadonlyMap<number, string> = new Map([
  [Icmp, "Icmp"],
  [Tcp, "Tcp"],
  [Udp, "Udp"],
  [Esp, "Esp"],
  [Ah, "Ah"],
  [Icmpv6, "Icmpv6"],
]);

/** Named numbers in ascending order, used to split runs when printing. */
const NAMED_NUMBERS: ReadonlyArray<number> = [...NAMES.keys()].sort((a, b) => a - b);

/** Azure security-rule protocol names, lower-cased, to their numbers (undefined = all). */
const AZURE_NAMES: ReadonlyMap<string, number | undefined> = new Map([
  ["tcp", Tcp],
  ["udp", Udp],
  ["icmp", Icmp],
  ["esp", Esp],
  ["ah", Ah],
  ["*", undefined],
  ["any", undefined],
  ["all", undefined],
]);

/** Preferred samples: the protocols a reader expects to see in an example flow. */
const SAMPLE_PREFERENCE: ReadonlyArray<number> = [Tcp, Udp, Icmp];

export type ParsedProtocols =
  | { readonly ok: true; readonly set: ProtocolSet }
  | { readonly ok: false; readonly error: string };

/** "Tcp" for named protocols, otherwise the number as text. */
export function protocolName(n: number): string {
  return NAMES.get(n) ?? String(n);
}

export class ProtocolSet extends BoundedSet<ProtocolSet> {
  private static readonly UNIVERSE = IntervalSet.ofNumbers(PROTOCOL_MIN, PROTOCOL_MAX);
  private static readonly EMPTY = new ProtocolSet(IntervalSet.empty());
  private static readonly ALL = new ProtocolSet(ProtocolSet.UNIVERSE);

  private constructor(set: IntervalSet) {
    super(set);
    Object.freeze(this);
  }

  protected universe(): IntervalSet {
    return ProtocolSet.UNIVERSE;
  }

  protected wrap(set: IntervalSet): ProtocolSet {
    return set.isEmpty() ? ProtocolSet.EMPTY : new ProtocolSet(set);
  }

  static all(): ProtocolSet {
    return ProtocolSet.ALL;
  }

  static empty(): ProtocolSet {
    return ProtocolSet.EMPTY;
  }

  /** The given protocol numbers; values outside 0..255 or non-integers are ignored. */
  static of(...nums: number[]): ProtocolSet {
    const valid = nums.filter((n) => Number.isInteger(n) && n >= PROTOCOL_MIN && n <= PROTOCOL_MAX);
    return ProtocolSet.fromIntervalSet(
      IntervalSet.fromIntervals(valid.map((n) => [BigInt(n), BigInt(n)] as const)),
    );
  }

  /** Protocol numbers lo..hi inclusive, clipped to 0..255. */
  static range(lo: number, hi: number): ProtocolSet {
    const from = Math.max(PROTOCOL_MIN, Math.ceil(lo));
    const to = Math.min(PROTOCOL_MAX, Math.floor(hi));
    if (!(from <= to)) return ProtocolSet.EMPTY;
    return new ProtocolSet(IntervalSet.ofNumbers(from, to));
  }

  static fromIntervalSet(set: IntervalSet): ProtocolSet {
    const clipped = set.toNumbers().intersect(ProtocolSet.UNIVERSE);
    return clipped.isEmpty() ? ProtocolSet.EMPTY : new ProtocolSet(clipped);
  }

  /** Azure's protocol field, case-insensitive: Tcp, Udp, Icmp, Esp, Ah, or * / Any / All. */
  static fromAzure(text: string): ParsedProtocols {
    const key = typeof text === "string" ? text.toLowerCase() : undefined;
    if (key === undefined || !AZURE_NAMES.has(key)) {
      return {
        ok: false,
        error: `"${String(text)}" is not a protocol Azure accepts (Tcp, Udp, Icmp, Esp, Ah or *)`,
      };
    }
    const n = AZURE_NAMES.get(key);
    return { ok: true, set: n === undefined ? ProtocolSet.ALL : ProtocolSet.of(n) };
  }

  /** Deterministic member, preferring Tcp, then Udp, then Icmp, then the lowest number. */
  sample(): number | undefined {
    const preferred = SAMPLE_PREFERENCE.find((n) => this.contains(n));
    if (preferred !== undefined) return preferred;
    return this.lowest();
  }

  /** "*" when all, else names and numbers ascending: "Tcp,Udp", "Icmp,2-5"; "(none)" when empty. */
  override toString(): string {
    if (this.isEmpty()) return "(none)";
    if (this.isAll()) return "*";
    return this.set
      .intervals()
      .flatMap(([lo, hi]) => describeRun(Number(lo), Number(hi)))
      .join(",");
  }
}

/** Splits a run at named protocols so that e.g. 5..7 prints as "5,Tcp,7". */
function describeRun(lo: number, hi: number): string[] {
  const out: string[] = [];
  let start = lo;
  for (const named of NAMED_NUMBERS) {
    if (named < lo || named > hi) continue;
    if (named > start) out.push(numberRun(start, named - 1));
    out.push(protocolName(named));
    start = named + 1;
  }
  if (start <= hi) out.push(numberRun(start, hi));
  return out;
}

function numberRun(lo: number, hi: number): string {
  return lo === hi ? String(lo) : `${lo}-${hi}`;
}
