/**
 * Exact sets of integers represented as sorted, disjoint, non-adjacent intervals.
 * Every operation is a linear merge over interval lists, so cost depends on the number of
 * intervals, never on how many integers they cover (a /0 of IPv6 is one interval).
 *
 * Representation: one flat array of half-open bounds [lo0, end0, lo1, end1, ...] (lo < end, end_k < lo_k+1).
 * Half-open bounds need no +1/-1 in the merges, so the same code runs on either kind of bound: JavaScript numbers
 * for universes within 2^53 (IPv4 addresses, ports, protocols: no bigint arithmetic or allocation on the hot
 * paths) and bigints beyond (IPv6). A set holds one kind; the public API speaks closed bigint intervals.
 */

/** A closed interval [lo, hi] with lo <= hi. */
export type Interval = readonly [bigint, bigint];

type Bound = number | bigint;

/** Numbers are exact up to here; sets built from numbers stay below it. */
const MAX_EXACT = Number.MAX_SAFE_INTEGER;

/** Closed bigint intervals of a set, built on demand (the API's view; the hot paths never ask for it). */
const CLOSED = new WeakMap<IntervalSet, ReadonlyArray<Interval>>();

export class IntervalSet {
  private static readonly EMPTY = new IntervalSet([], false);

  private constructor(
    /** Half-open bounds, all numbers or all bigints. */
    private readonly b: ReadonlyArray<Bound>,
    /** True when the bounds are bigints. */
    private readonly big: boolean,
  ) {
    Object.freeze(b);
    Object.freeze(this);
  }

  static empty(): IntervalSet {
    return IntervalSet.EMPTY;
  }

  /** The interval [lo, hi] with bigint bounds; empty when lo > hi. */
  static of(lo: bigint, hi: bigint): IntervalSet {
    return lo > hi ? IntervalSet.EMPTY : new IntervalSet([lo, hi + 1n], true);
  }

  /** The interval [lo, hi] of safe integers, held as numbers; empty when lo > hi. */
  static ofNumbers(lo: number, hi: number): IntervalSet {
    if (!(lo <= hi)) return IntervalSet.EMPTY;
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi >= MAX_EXACT) return IntervalSet.of(BigInt(lo), BigInt(hi));
    return new IntervalSet([lo, hi + 1], false);
  }

  /** Any list of intervals, in any order, overlapping or not; reversed pairs are ignored as empty. */
  static fromIntervals(list: ReadonlyArray<readonly [bigint, bigint]>): IntervalSet {
    const sorted = list.filter(([lo, hi]) => lo <= hi).sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    const flat: bigint[] = [];
    for (const [lo, hi] of sorted) flat.push(lo, hi + 1n);
    const out = mergeRuns(flat);
    return out.length === 0 ? IntervalSet.EMPTY : new IntervalSet(out, true);
  }

  /** The union of many sets, by pairwise unions in a balanced tree (not one growing union at a time). */
  static unionAll(sets: ReadonlyArray<IntervalSet>): IntervalSet {
    if (sets.length === 0) return IntervalSet.EMPTY;
    let level = [...sets];
    while (level.length > 1) {
      const next: IntervalSet[] = [];
      for (let k = 0; k < level.length; k += 2) next.push(k + 1 < level.length ? (level[k] as IntervalSet).union(level[k + 1] as IntervalSet) : (level[k] as IntervalSet));
      level = next;
    }
    return level[0] as IntervalSet;
  }

  /** The same set with number bounds, when its values allow (else itself). */
  toNumbers(): IntervalSet {
    if (!this.big) return this;
    const last = this.b[this.b.length - 1] as bigint;
    if (last > BigInt(MAX_EXACT)) return this;
    return new IntervalSet(this.b.map((x) => Number(x)), false);
  }

  union(other: IntervalSet): IntervalSet {
    // The same object (a third of the calls at M): itself, with no merge.
    if (other === this || other.b.length === 0) return this;
    if (this.b.length === 0) return other;
    const [a, o] = IntervalSet.pair(this, other);
    const out = unionBounds(view(a.b), view(o.b));
    // Sets are immutable and their form canonical: an operand equal to the result is the result.
    return a.reuse(out, o);
  }

  intersect(other: IntervalSet): IntervalSet {
    if (other === this) return this;
    if (this.b.length === 0 || other.b.length === 0) return IntervalSet.EMPTY;
    const [a, o] = IntervalSet.pair(this, other);
    const x = view(a.b);
    const y = view(o.b);
    // One interval around the whole of the other set (the universe of a dimension, a covering prefix): that set.
    if (y.length === 2 && (y[0] as number) <= (x[0] as number) && (x[x.length - 1] as number) <= (y[1] as number)) return this;
    if (x.length === 2 && (x[0] as number) <= (y[0] as number) && (y[y.length - 1] as number) <= (x[1] as number)) return other;
    const out: number[] = [];
    if (x.length <= 4 && y.length > 16) intersectSmall(x, y, out);
    else if (y.length <= 4 && x.length > 16) intersectSmall(y, x, out);
    else mergeIntersect(x, y, out);
    // Pieces of canonical inputs are already disjoint and non-adjacent.
    if (out.length === 0) return IntervalSet.EMPTY;
    return a.reuse(out, o);
  }

  subtract(other: IntervalSet): IntervalSet {
    if (other === this) return IntervalSet.EMPTY;
    if (this.b.length === 0 || other.b.length === 0) return this;
    const [a, o] = IntervalSet.pair(this, other);
    const out = subtractBounds(view(a.b), view(o.b));
    if (out.length === 0) return IntervalSet.EMPTY;
    return sameBounds(out, view(a.b)) ? this : new IntervalSet(out, a.big);
  }

  /** Everything in [lo, hi] that is not in this set. */
  complement(lo: bigint, hi: bigint): IntervalSet {
    return (this.big ? IntervalSet.of(lo, hi) : IntervalSet.of(lo, hi).toNumbers()).subtract(this);
  }

  /** Binary search over the sorted intervals. */
  contains(x: bigint): boolean {
    if (this.b.length === 0) return false;
    if (this.big) return containsBound(view(this.b), x as unknown as number);
    return x <= BigInt(MAX_EXACT) && containsBound(view(this.b), Number(x));
  }

  /** The same for a number (a port, a protocol, an IPv4 address). */
  containsNumber(x: number): boolean {
    if (this.b.length === 0) return false;
    return this.big ? Number.isSafeInteger(x) && containsBound(view(this.b), BigInt(x) as unknown as number) : containsBound(view(this.b), x);
  }

  isEmpty(): boolean {
    return this.b.length === 0;
  }

  /** Normalised representation is canonical, so structural equality is set equality. */
  equals(other: IntervalSet): boolean {
    if (this === other) return true;
    if (this.b.length !== other.b.length) return false;
    const [a, o] = IntervalSet.pair(this, other);
    return sameBounds(view(a.b), view(o.b));
  }

  /** Without building the difference: each interval inside one of the other's. */
  isSubsetOf(other: IntervalSet): boolean {
    if (other === this || this.b.length === 0) return true;
    if (other.b.length === 0) return false;
    const [a, o] = IntervalSet.pair(this, other);
    const x = view(a.b);
    const y = view(o.b);
    let j = 0;
    for (let i = 0; i < x.length; i += 2) {
      while (j < y.length && (y[j + 1] as number) <= (x[i] as number)) j += 2;
      if (j >= y.length || (y[j] as number) > (x[i] as number) || (y[j + 1] as number) < (x[i + 1] as number)) return false;
    }
    return true;
  }

  /** True when the two sets share at least one element (no allocation of the intersection). */
  overlaps(other: IntervalSet): boolean {
    if (this.b.length === 0 || other.b.length === 0) return false;
    if (other === this) return true;
    const [a, o] = IntervalSet.pair(this, other);
    const x = view(a.b);
    const y = view(o.b);
    if (x.length <= 4 && y.length > 16) return overlapsSmall(x, y);
    if (y.length <= 4 && x.length > 16) return overlapsSmall(y, x);
    let i = 0;
    let j = 0;
    while (i < x.length && j < y.length) {
      const xend = x[i + 1] as number;
      const yend = y[j + 1] as number;
      if ((x[i] as number) < yend && (y[j] as number) < xend) return true;
      if (xend < yend) i += 2;
      else j += 2;
    }
    return false;
  }

  /** Number of integers in the set. */
  size(): bigint {
    if (this.big) {
      let total = 0n;
      for (let k = 0; k < this.b.length; k += 2) total += (this.b[k + 1] as bigint) - (this.b[k] as bigint);
      return total;
    }
    let total = 0;
    for (let k = 0; k < this.b.length; k += 2) total += (this.b[k + 1] as number) - (this.b[k] as number);
    return BigInt(total);
  }

  min(): bigint | undefined {
    return this.b.length === 0 ? undefined : BigInt(this.b[0] as Bound);
  }

  max(): bigint | undefined {
    return this.b.length === 0 ? undefined : BigInt(this.b[this.b.length - 1] as Bound) - 1n;
  }

  /** The lowest member as a number, for sets of numbers (ports, protocols); undefined when empty. */
  minNumber(): number | undefined {
    return this.b.length === 0 ? undefined : Number(this.b[0] as Bound);
  }

  /** Closed intervals with bigint bounds. */
  intervals(): ReadonlyArray<Interval> {
    let out = CLOSED.get(this);
    if (out === undefined) {
      const list: Interval[] = [];
      for (let k = 0; k < this.b.length; k += 2) list.push(Object.freeze([BigInt(this.b[k] as Bound), BigInt(this.b[k + 1] as Bound) - 1n] as const));
      out = Object.freeze(list);
      CLOSED.set(this, out);
    }
    return out;
  }

  /** Stable text form, used as a hash key by callers that group sets: "lo-hi" or "n", comma separated. */
  key(): string {
    const parts: string[] = [];
    for (let k = 0; k < this.b.length; k += 2) {
      const lo = this.b[k] as Bound;
      const hi = this.big ? (this.b[k + 1] as bigint) - 1n : (this.b[k + 1] as number) - 1;
      parts.push(lo === hi ? `${lo}` : `${lo}-${hi}`);
    }
    return parts.join(",");
  }

  toString(): string {
    return this.b.length === 0 ? "{}" : `{${this.key()}}`;
  }

  /** A result equal to an operand is that operand (no allocation on the common no-change path). */
  private reuse(out: number[], other: IntervalSet): IntervalSet {
    if (sameBounds(out, view(this.b))) return this;
    if (sameBounds(out, view(other.b))) return other;
    return new IntervalSet(out, this.big);
  }

  private toBig(): IntervalSet {
    return this.big ? this : new IntervalSet(this.b.map((x) => BigInt(x)), true);
  }

  /** Both operands with one kind of bound (bigints when they differ; sets of one universe never do). */
  private static pair(a: IntervalSet, b: IntervalSet): [IntervalSet, IntervalSet] {
    return a.big === b.big ? [a, b] : [a.toBig(), b.toBig()];
  }
}

/**
 * The bounds seen as numbers for the type checker. The algorithms below only compare and copy bounds, which
 * JavaScript does alike for two numbers or two bigints, and their operands always have one kind (sameKind).
 */
function view(b: ReadonlyArray<Bound>): ReadonlyArray<number> {
  return b as ReadonlyArray<number>;
}

/** Merges lo-sorted half-open pairs (overlaps and adjacency allowed) into disjoint, non-adjacent ones. */
function mergeRuns<T extends Bound>(flat: readonly T[]): T[] {
  const out: T[] = [];
  for (let k = 0; k < flat.length; k += 2) {
    const lo = flat[k] as T;
    const end = flat[k + 1] as T;
    const n = out.length;
    if (n > 0 && lo <= (out[n - 1] as T)) {
      if (end > (out[n - 1] as T)) out[n - 1] = end;
    } else out.push(lo, end);
  }
  return out;
}

/** The union of two canonical lists, in one merge pass. */
function unionBounds(x: ReadonlyArray<number>, y: ReadonlyArray<number>): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length || j < y.length) {
    let lo: number;
    let end: number;
    if (j >= y.length || (i < x.length && (x[i] as number) <= (y[j] as number))) {
      lo = x[i] as number;
      end = x[i + 1] as number;
      i += 2;
    } else {
      lo = y[j] as number;
      end = y[j + 1] as number;
      j += 2;
    }
    const n = out.length;
    if (n > 0 && lo <= (out[n - 1] as number)) {
      if (end > (out[n - 1] as number)) out[n - 1] = end;
    } else out.push(lo, end);
  }
  return out;
}

/** The linear merge of two sorted lists: their intersection, appended to `out`. */
function mergeIntersect(x: ReadonlyArray<number>, y: ReadonlyArray<number>, out: number[]): void {
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const xlo = x[i] as number;
    const xend = x[i + 1] as number;
    const ylo = y[j] as number;
    const yend = y[j + 1] as number;
    const lo = xlo > ylo ? xlo : ylo;
    const end = xend < yend ? xend : yend;
    if (lo < end) out.push(lo, end);
    // Advance whichever interval ends first; the other may still overlap the next one.
    if (xend < yend) i += 2;
    else j += 2;
  }
}

/** Index (even) of the first interval of `list` that ends after `v` (binary search). */
function firstEndingAfter(list: ReadonlyArray<number>, v: number): number {
  let lo = 0;
  let hi = list.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[2 * mid + 1] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return 2 * lo;
}

/** A short list against a long one: the same intersection as the merge, by binary search into the long list. */
function intersectSmall(small: ReadonlyArray<number>, long: ReadonlyArray<number>, out: number[]): void {
  for (let i = 0; i < small.length; i += 2) {
    const lo = small[i] as number;
    const end = small[i + 1] as number;
    for (let k = firstEndingAfter(long, lo); k < long.length && (long[k] as number) < end; k += 2) {
      const ylo = long[k] as number;
      const yend = long[k + 1] as number;
      out.push(lo > ylo ? lo : ylo, end < yend ? end : yend);
    }
  }
}

function overlapsSmall(small: ReadonlyArray<number>, long: ReadonlyArray<number>): boolean {
  for (let i = 0; i < small.length; i += 2) {
    const k = firstEndingAfter(long, small[i] as number);
    if (k < long.length && (long[k] as number) < (small[i + 1] as number)) return true;
  }
  return false;
}

function subtractBounds(x: ReadonlyArray<number>, y: ReadonlyArray<number>): number[] {
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < x.length; i += 2) {
    let lo = x[i] as number;
    const end = x[i + 1] as number;
    // Skip subtrahend intervals entirely to the left of the current piece.
    while (j < y.length && (y[j + 1] as number) <= lo) j += 2;
    let k = j;
    while (k < y.length && lo < end) {
      const ylo = y[k] as number;
      if (ylo >= end) break;
      if (ylo > lo) out.push(lo, ylo);
      lo = y[k + 1] as number;
      k += 2;
    }
    if (lo < end) out.push(lo, end);
    // y[k-1] may extend past this interval and still cut the next one, so resume from it.
    j = k > j ? k - 2 : j;
  }
  return out;
}

function containsBound(list: ReadonlyArray<number>, v: number): boolean {
  const k = firstEndingAfter(list, v);
  return k < list.length && (list[k] as number) <= v;
}

function sameBounds(a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}
