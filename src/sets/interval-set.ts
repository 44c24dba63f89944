/**
 * Exact sets of integers represented as sorted, disjoint, non-adjacent closed intervals.
 * Every operation is a linear merge over interval lists, so cost depends on the number of
 * intervals, never on how many integers they cover (a /0 of IPv6 is one interval).
 */

/** A closed interval [lo, hi] with lo <= hi. */
export type Interval = readonly [bigint, bigint];

export class IntervalSet {
  private static readonly EMPTY = new IntervalSet([]);

  /** Invariant: sorted by lo, each lo <= hi, and next.lo > prev.hi + 1 (merged). */
  private readonly list: ReadonlyArray<Interval>;

  private constructor(normalised: Interval[]) {
    // Callers hand over a fresh array: frozen in place, no copy.
    for (const iv of normalised) Object.freeze(iv);
    this.list = Object.freeze(normalised);
    Object.freeze(this);
  }

  static empty(): IntervalSet {
    return IntervalSet.EMPTY;
  }

  /** The interval [lo, hi]; empty when lo > hi. */
  static of(lo: bigint, hi: bigint): IntervalSet {
    return lo > hi ? IntervalSet.EMPTY : new IntervalSet([[lo, hi]]);
  }

  /** Any list of intervals, in any order, overlapping or not; reversed pairs are ignored as empty. */
  static fromIntervals(list: ReadonlyArray<readonly [bigint, bigint]>): IntervalSet {
    const sorted = list.filter(([lo, hi]) => lo <= hi).sort(compareByLo);
    return IntervalSet.fromSorted(sorted);
  }

  /** Merges an already lo-sorted list (overlaps/adjacency allowed) in one pass. */
  private static fromSorted(sorted: ReadonlyArray<Interval>): IntervalSet {
    const out = mergeRuns(sorted);
    return out.length === 0 ? IntervalSet.EMPTY : new IntervalSet(out);
  }

  union(other: IntervalSet): IntervalSet {
    if (other.list.length === 0) return this;
    if (this.list.length === 0) return other;
    const out = mergeRuns(mergeSorted(this.list, other.list));
    // Sets are immutable and their form canonical: an operand equal to the result is the result.
    if (sameIntervals(out, this.list)) return this;
    if (sameIntervals(out, other.list)) return other;
    return new IntervalSet(out);
  }

  intersect(other: IntervalSet): IntervalSet {
    const a = this.list;
    const b = other.list;
    const out: Interval[] = [];
    if (a.length === 0 || b.length === 0) return IntervalSet.EMPTY;
    // One interval around the whole of the other set (the universe of a dimension, a covering prefix): that set.
    if (b.length === 1 && (b[0] as Interval)[0] <= (a[0] as Interval)[0] && (a[a.length - 1] as Interval)[1] <= (b[0] as Interval)[1]) return this;
    if (a.length === 1 && (a[0] as Interval)[0] <= (b[0] as Interval)[0] && (b[b.length - 1] as Interval)[1] <= (a[0] as Interval)[1]) return other;
    if (a.length <= 2 && b.length > 8) intersectSmall(a, b, out);
    else if (b.length <= 2 && a.length > 8) intersectSmall(b, a, out);
    else mergeIntersect(a, b, out);
    // Pieces of merged inputs are already disjoint and non-adjacent.
    if (out.length === 0) return IntervalSet.EMPTY;
    if (sameIntervals(out, a)) return this;
    if (sameIntervals(out, b)) return other;
    return new IntervalSet(out);
  }

  subtract(other: IntervalSet): IntervalSet {
    if (this.list.length === 0 || other.list.length === 0) return this;
    const b = other.list;
    const out: Interval[] = [];
    let j = 0;
    for (const [alo, ahi] of this.list) {
      let lo = alo;
      // Skip subtrahend intervals entirely to the left of the current piece.
      while (j < b.length && (b[j] as Interval)[1] < lo) j++;
      let k = j;
      while (k < b.length && lo <= ahi) {
        const [blo, bhi] = b[k] as Interval;
        if (blo > ahi) break;
        if (blo > lo) out.push([lo, blo - 1n]);
        lo = bhi + 1n;
        k++;
      }
      if (lo <= ahi) out.push([lo, ahi]);
      // b[k-1] may extend past ahi and still cut the next interval, so resume from it.
      j = k > j ? k - 1 : j;
    }
    if (out.length === 0) return IntervalSet.EMPTY;
    return sameIntervals(out, this.list) ? this : new IntervalSet(out);
  }

  /** Everything in [lo, hi] that is not in this set. */
  complement(lo: bigint, hi: bigint): IntervalSet {
    return IntervalSet.of(lo, hi).subtract(this);
  }

  /** Binary search over the sorted intervals. */
  contains(x: bigint): boolean {
    let lo = 0;
    let hi = this.list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const iv = this.list[mid] as Interval;
      if (x < iv[0]) hi = mid - 1;
      else if (x > iv[1]) lo = mid + 1;
      else return true;
    }
    return false;
  }

  isEmpty(): boolean {
    return this.list.length === 0;
  }

  /** Normalised representation is canonical, so structural equality is set equality. */
  equals(other: IntervalSet): boolean {
    return this === other || sameIntervals(this.list, other.list);
  }

  isSubsetOf(other: IntervalSet): boolean {
    return this.subtract(other).isEmpty();
  }

  /** True when the two sets share at least one element (no allocation of the intersection). */
  overlaps(other: IntervalSet): boolean {
    const a = this.list;
    const b = other.list;
    if (a.length <= 2 && b.length > 8) return overlapsSmall(a, b);
    if (b.length <= 2 && a.length > 8) return overlapsSmall(b, a);
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const x = a[i] as Interval;
      const y = b[j] as Interval;
      const ahi = x[1];
      const bhi = y[1];
      if (x[0] <= bhi && y[0] <= ahi) return true;
      if (ahi < bhi) i++;
      else j++;
    }
    return false;
  }

  /** Number of integers in the set. */
  size(): bigint {
    let total = 0n;
    for (const [lo, hi] of this.list) total += hi - lo + 1n;
    return total;
  }

  min(): bigint | undefined {
    return this.list[0]?.[0];
  }

  max(): bigint | undefined {
    return this.list[this.list.length - 1]?.[1];
  }

  intervals(): ReadonlyArray<Interval> {
    return this.list;
  }

  /** Stable text form, used as a hash key by callers that group sets. */
  key(): string {
    return this.list.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(",");
  }

  toString(): string {
    return this.list.length === 0 ? "{}" : `{${this.key()}}`;
  }
}

const SMALL_BIGINTS: Array<bigint | undefined> = new Array<bigint | undefined>(65536);

/** BigInt(n) for an integer n, without a new bigint each time for 0..65535 (ports and protocols tested per flow). */
export function smallBigInt(n: number): bigint {
  if (n < 0 || n > 65535) return BigInt(n);
  let b = SMALL_BIGINTS[n];
  if (b === undefined) {
    b = BigInt(n);
    SMALL_BIGINTS[n] = b;
  }
  return b;
}

/** Merges a lo-sorted list of intervals (overlaps and adjacency allowed) into fresh disjoint, non-adjacent ones. */
function mergeRuns(sorted: ReadonlyArray<Interval>): Array<[bigint, bigint]> {
  const out: Array<[bigint, bigint]> = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && lo <= last[1] + 1n) {
      if (hi > last[1]) last[1] = hi;
    } else {
      out.push([lo, hi]);
    }
  }
  return out;
}

/** The linear merge of two sorted interval lists: their intersection, appended to `out`. */
function mergeIntersect(a: ReadonlyArray<Interval>, b: ReadonlyArray<Interval>, out: Interval[]): void {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as Interval;
    const y = b[j] as Interval;
    const alo = x[0];
    const ahi = x[1];
    const blo = y[0];
    const bhi = y[1];
    const lo = alo > blo ? alo : blo;
    const hi = ahi < bhi ? ahi : bhi;
    if (lo <= hi) out.push([lo, hi]);
    // Advance whichever interval ends first; the other may still overlap the next one.
    if (ahi < bhi) i++;
    else j++;
  }
}

/** First interval of `list` that ends at or after `x` (binary search). */
function firstEndingFrom(list: ReadonlyArray<Interval>, x: bigint): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as Interval)[1] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A short list against a long one: the same intersection as the merge, by binary search into the long list. */
function intersectSmall(small: ReadonlyArray<Interval>, long: ReadonlyArray<Interval>, out: Interval[]): void {
  for (const x of small) {
    for (let k = firstEndingFrom(long, x[0]); k < long.length && (long[k] as Interval)[0] <= x[1]; k++) {
      const y = long[k] as Interval;
      out.push([x[0] > y[0] ? x[0] : y[0], x[1] < y[1] ? x[1] : y[1]]);
    }
  }
}

function overlapsSmall(small: ReadonlyArray<Interval>, long: ReadonlyArray<Interval>): boolean {
  for (const x of small) {
    const k = firstEndingFrom(long, x[0]);
    if (k < long.length && (long[k] as Interval)[0] <= x[1]) return true;
  }
  return false;
}

function sameIntervals(a: ReadonlyArray<Interval>, b: ReadonlyArray<Interval>): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    if ((a[k] as Interval)[0] !== (b[k] as Interval)[0] || (a[k] as Interval)[1] !== (b[k] as Interval)[1]) return false;
  }
  return true;
}

function compareByLo(a: Interval, b: Interval): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/** Merge step of merge sort over two lo-sorted lists. */
function mergeSorted(a: ReadonlyArray<Interval>, b: ReadonlyArray<Interval>): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x[0] <= y[0])) {
      out.push(x as Interval);
      i++;
    } else {
      out.push(y);
      j++;
    }
  }
  return out;
}
