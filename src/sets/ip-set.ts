/**
 * Exact sets of IP addresses: one interval set per family, each over its own universe,
 * so IPv4 and IPv6 never mix (an IPv4-mapped IPv6 address is an IPv6 member).
 */
import { familyBits, type IpFamily, V4_MAX, V6_MAX } from "./ip-family";
import { IntervalSet } from "./interval-set";
import { addressValue, formatCidr, formatIp, notAnAddress, parseIpAddress, parsePrefixRange, type ParsedPrefixRange } from "./ip";

/** An address as a number, for callers that have already parsed it. */
export interface IpValue {
  readonly family: IpFamily;
  readonly value: bigint;
}

export class IpSet {
  private static readonly EMPTY = new IpSet(IntervalSet.empty(), IntervalSet.empty());
  private static readonly ALL_V4 = IntervalSet.of(0n, V4_MAX).toNumbers();
  private static readonly ALL_V6 = IntervalSet.of(0n, V6_MAX);
  // Sets are immutable: one object for each of these, so that operations on them meet the identity fast paths.
  private static readonly ALL = new IpSet(IpSet.ALL_V4, IpSet.ALL_V6);
  private static readonly ONLY_V4 = new IpSet(IpSet.ALL_V4, IntervalSet.empty());
  private static readonly ONLY_V6 = new IpSet(IntervalSet.empty(), IpSet.ALL_V6);

  private constructor(
    private readonly v4set: IntervalSet,
    private readonly v6set: IntervalSet,
  ) {
    Object.freeze(this);
  }

  static empty(): IpSet {
    return IpSet.EMPTY;
  }

  /** Every IPv4 and every IPv6 address. */
  static all(): IpSet {
    return IpSet.ALL;
  }

  static allV4(): IpSet {
    return IpSet.ONLY_V4;
  }

  static allV6(): IpSet {
    return IpSet.ONLY_V6;
  }

  /** Builds from per-family interval sets, clipped to each family's universe. */
  static fromIntervalSets(v4: IntervalSet, v6: IntervalSet): IpSet {
    // IPv4 bounds as numbers: the hot paths then compare doubles, not bigints.
    return new IpSet(v4.toNumbers().intersect(IpSet.ALL_V4), v6.intersect(IpSet.ALL_V6));
  }

  /** One family's intervals (clipped to that family's universe). */
  static fromIntervals(family: IpFamily, set: IntervalSet): IpSet {
    return family === 4
      ? IpSet.fromIntervalSets(set, IntervalSet.empty())
      : IpSet.fromIntervalSets(IntervalSet.empty(), set);
  }

  /** The inclusive address range [lo, hi] of one family. */
  static fromRange(family: IpFamily, lo: bigint, hi: bigint): IpSet {
    return IpSet.fromIntervals(family, IntervalSet.of(lo, hi));
  }

  /**
   * For literals in code: throws on bad input. User input goes through parsePrefix,
   * which reports errors and host-bit warnings instead.
   */
  static fromCidr(text: string): IpSet {
    const parsed = parsePrefix(text);
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.set;
  }

  /** A single address; throws on bad input (for literals in code). */
  static fromAddress(text: string): IpSet {
    const parsed = parseIpAddress(text);
    if (!parsed.ok) throw new Error(parsed.error);
    return IpSet.fromRange(parsed.family, parsed.value, parsed.value);
  }

  /** Union of several prefixes or addresses; throws on the first bad one. */
  static fromPrefixes(texts: ReadonlyArray<string>): IpSet {
    return IpSet.unionAll(texts.map((t) => IpSet.fromCidr(t)));
  }

  /** The union of many sets in one sort and merge, not one union at a time (thousands of service tag prefixes). */
  static unionAll(sets: ReadonlyArray<IpSet>): IpSet {
    if (sets.length === 1) return sets[0];
    return new IpSet(IntervalSet.unionAll(sets.map((s) => s.v4set)), IntervalSet.unionAll(sets.map((s) => s.v6set)));
  }

  get v4(): IntervalSet {
    return this.v4set;
  }

  get v6(): IntervalSet {
    return this.v6set;
  }

  union(other: IpSet): IpSet {
    if (other === this) return this;
    return this.made(other, this.v4set.union(other.v4set), this.v6set.union(other.v6set));
  }

  intersect(other: IpSet): IpSet {
    if (other === this) return this;
    return this.made(other, this.v4set.intersect(other.v4set), this.v6set.intersect(other.v6set));
  }

  subtract(other: IpSet): IpSet {
    if (other === this) return IpSet.EMPTY;
    return this.made(other, this.v4set.subtract(other.v4set), this.v6set.subtract(other.v6set));
  }

  /** The result of an operation: an operand when it is unchanged (sets are immutable), else a new set. */
  private made(other: IpSet, v4: IntervalSet, v6: IntervalSet): IpSet {
    if (v4 === this.v4set && v6 === this.v6set) return this;
    if (v4 === other.v4set && v6 === other.v6set) return other;
    return new IpSet(v4, v6);
  }

  /** Everything (both families) not in this set. */
  complement(): IpSet {
    return new IpSet(this.v4set.complement(0n, V4_MAX), this.v6set.complement(0n, V6_MAX));
  }

  overlaps(other: IpSet): boolean {
    return this.v4set.overlaps(other.v4set) || this.v6set.overlaps(other.v6set);
  }

  equals(other: IpSet): boolean {
    if (other === this) return true;
    return this.v4set.equals(other.v4set) && this.v6set.equals(other.v6set);
  }

  isSubsetOf(other: IpSet): boolean {
    if (other === this) return true;
    return this.v4set.isSubsetOf(other.v4set) && this.v6set.isSubsetOf(other.v6set);
  }

  isEmpty(): boolean {
    return this.v4set.isEmpty() && this.v6set.isEmpty();
  }

  /** Accepts address text (throws if it is not an address) or an already-parsed value. */
  contains(addr: string | IpValue): boolean {
    const parsed = typeof addr === "string" ? addressValue(addr) : addr;
    if (parsed === undefined) throw new Error(notAnAddress(String(addr)));
    return (parsed.family === 4 ? this.v4set : this.v6set).contains(parsed.value);
  }

  /** A deterministic member: the lowest IPv4 address, else the lowest IPv6 address. */
  sample(): string | undefined {
    const v4 = this.v4set.min();
    if (v4 !== undefined) return formatIp(4, v4);
    const v6 = this.v6set.min();
    return v6 === undefined ? undefined : formatIp(6, v6);
  }

  /** Number of addresses in both families together. */
  size(): bigint {
    return this.v4set.size() + this.v6set.size();
  }

  /** Minimal CIDR cover of each interval; IPv4 first, each family in ascending order. */
  toCidrs(): string[] {
    return [...familyCidrs(4, this.v4set), ...familyCidrs(6, this.v6set)];
  }

  /** Stable text form, used as a hash key by callers that group sets. */
  key(): string {
    return `${this.v4set.key()}|${this.v6set.key()}`;
  }

  toString(): string {
    return this.isEmpty() ? "(none)" : this.toCidrs().join(",");
  }
}

function familyCidrs(family: IpFamily, set: IntervalSet): string[] {
  const bits = familyBits(family);
  return set.intervals().flatMap(([lo, hi]) => rangeToCidrs(lo, hi, bits).map(([net, len]) => formatCidr(family, net, len)));
}

/**
 * Greedy minimal CIDR decomposition of [lo, hi]: at each step take the largest block that
 * starts at lo (aligned) and does not pass hi. At most 2*bits blocks per range.
 */
export function rangeToCidrs(lo: bigint, hi: bigint, bits: number): Array<[bigint, number]> {
  const out: Array<[bigint, number]> = [];
  let cur = lo;
  while (cur <= hi) {
    const hostBits = Math.min(trailingZeros(cur, bits), floorLog2(hi - cur + 1n));
    out.push([cur, bits - hostBits]);
    cur += 1n << BigInt(hostBits);
  }
  return out;
}

function trailingZeros(value: bigint, bits: number): number {
  if (value === 0n) return bits;
  let n = 0;
  while (((value >> BigInt(n)) & 1n) === 0n) n++;
  return n;
}

function floorLog2(value: bigint): number {
  return value.toString(2).length - 1;
}

/** A parsed prefix as its set of addresses: the range form of ip.ts with the network and length made a set. */
export type ParsedPrefix =
  | (Omit<Extract<ParsedPrefixRange, { ok: true }>, "network" | "length"> & { readonly set: IpSet })
  | Extract<ParsedPrefixRange, { ok: false }>;

/** Parses a CIDR prefix or a bare address (strictly, as Azure does: see ip.ts) into its set of addresses. */
export function parsePrefix(text: string): ParsedPrefix {
  const range = parsePrefixRange(text);
  if (!range.ok) return range;
  const hostBits = BigInt(familyBits(range.family) - range.length);
  const set = IpSet.fromIntervals(range.family, IntervalSet.of(range.network, range.network + (1n << hostBits) - 1n));
  return { ok: true, family: range.family, set, normalized: range.normalized, ...(range.warning !== undefined ? { warning: range.warning } : {}) };
}
