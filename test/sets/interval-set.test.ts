import fc from "fast-check";
import { IntervalSet } from "../../src/sets";

// Small universe so a JS Set<number> can serve as the brute-force oracle.
const U = 63;

const intervalArb = fc.tuple(fc.integer({ min: 0, max: U }), fc.integer({ min: 0, max: U }));
// Sets come with bigint bounds (as IPv6 uses) or number bounds (IPv4, ports, protocols), so every property also
// covers operations between the two kinds. Up to 20 intervals, so the short-against-long search paths run too.
const setArb = fc.record({ pairs: fc.array(intervalArb, { maxLength: 20 }), numbers: fc.boolean() }).map(({ pairs, numbers }) => {
  const big = IntervalSet.fromIntervals(pairs.map(([a, b]) => [BigInt(a), BigInt(b)] as const));
  const set = numbers ? IntervalSet.unionAll(pairs.map(([a, b]) => IntervalSet.ofNumbers(a, b))) : big;
  return { pairs, set };
});
// Sets of many separate points (up to 32 intervals), against short ones: the binary-search paths.
const sparseArb = fc.record({ points: fc.uniqueArray(fc.integer({ min: 0, max: U >> 1 }), { maxLength: 32 }), numbers: fc.boolean() }).map(({ points, numbers }) => {
  const pairs = points.map((p) => [2 * p, 2 * p] as const);
  const set = numbers ? IntervalSet.unionAll(pairs.map(([a, b]) => IntervalSet.ofNumbers(a, b))) : IntervalSet.fromIntervals(pairs.map(([a, b]) => [BigInt(a), BigInt(b)] as const));
  return { pairs, set };
});
const anySetArb = fc.oneof(setArb, sparseArb);

function oracle(pairs: ReadonlyArray<readonly [number, number]>): Set<number> {
  const out = new Set<number>();
  for (const [lo, hi] of pairs) for (let x = lo; x <= hi; x++) out.add(x);
  return out;
}

function members(set: IntervalSet): number[] {
  const out: number[] = [];
  for (let x = 0; x <= U; x++) if (set.contains(BigInt(x))) out.push(x);
  return out;
}

/** Sorted, disjoint, non-adjacent, no empty interval: the one form equality and keys rely on. */
function expectNormal(set: IntervalSet): void {
  const iv = set.intervals();
  for (let i = 0; i < iv.length; i++) {
    const cur = iv[i] as readonly [bigint, bigint];
    expect(cur[0] <= cur[1]).toBe(true);
    if (i > 0) expect(cur[0] > (iv[i - 1] as readonly [bigint, bigint])[1] + 1n).toBe(true);
  }
}

function sorted(s: Set<number>): number[] {
  return [...s].sort((a, b) => a - b);
}

function asNumbers(set: IntervalSet): Array<[number, number]> {
  return set.intervals().map(([lo, hi]) => [Number(lo), Number(hi)]);
}

describe("IntervalSet golden", () => {
  test("of() with lo > hi is empty", () => {
    expect(IntervalSet.of(5n, 4n).isEmpty()).toBe(true);
    expect(IntervalSet.of(5n, 5n).intervals()).toEqual([[5n, 5n]]);
  });

  test.each<[string, Array<[number, number]>, Array<[number, number]>]>([
    ["overlapping", [[1, 5], [3, 9]], [[1, 9]]],
    ["adjacent merge", [[1, 3], [4, 6]], [[1, 6]]],
    ["gap kept", [[1, 3], [5, 6]], [[1, 3], [5, 6]]],
    ["unsorted input", [[10, 12], [0, 1]], [[0, 1], [10, 12]]],
    ["reversed pair ignored", [[5, 2], [7, 7]], [[7, 7]]],
    ["contained", [[0, 20], [3, 4], [19, 20]], [[0, 20]]],
  ])("fromIntervals normalises: %s", (_name, input, expected) => {
    const set = IntervalSet.fromIntervals(input.map(([a, b]) => [BigInt(a), BigInt(b)] as const));
    expect(asNumbers(set)).toEqual(expected);
  });

  test("set operations on a fixed example", () => {
    const a = IntervalSet.fromIntervals([[0n, 10n], [20n, 30n]]);
    const b = IntervalSet.fromIntervals([[5n, 25n]]);
    expect(asNumbers(a.union(b))).toEqual([[0, 30]]);
    expect(asNumbers(a.intersect(b))).toEqual([[5, 10], [20, 25]]);
    expect(asNumbers(a.subtract(b))).toEqual([[0, 4], [26, 30]]);
    expect(asNumbers(b.subtract(a))).toEqual([[11, 19]]);
    expect(asNumbers(a.complement(0n, 40n))).toEqual([[11, 19], [31, 40]]);
    expect(a.size()).toBe(22n);
    expect(a.min()).toBe(0n);
    expect(a.max()).toBe(30n);
    expect(IntervalSet.empty().min()).toBeUndefined();
    expect(a.contains(10n)).toBe(true);
    expect(a.contains(11n)).toBe(false);
    expect(a.contains(30n)).toBe(true);
    expect(a.contains(31n)).toBe(false);
    expect(a.contains(-1n)).toBe(false);
  });

  test("subtract where one subtrahend interval cuts two minuend intervals", () => {
    const a = IntervalSet.fromIntervals([[0n, 10n], [12n, 20n], [22n, 30n]]);
    const b = IntervalSet.fromIntervals([[8n, 14n], [18n, 24n]]);
    expect(asNumbers(a.subtract(b))).toEqual([[0, 7], [15, 17], [25, 30]]);
  });

  test("handles 128-bit values without enumerating", () => {
    const max = (1n << 128n) - 1n;
    const all = IntervalSet.of(0n, max);
    const hole = IntervalSet.of(1n << 64n, (1n << 65n) - 1n);
    const rest = all.subtract(hole);
    expect(rest.intervals()).toEqual([
      [0n, (1n << 64n) - 1n],
      [1n << 65n, max],
    ]);
    expect(rest.size()).toBe(max + 1n - (1n << 64n));
    expect(rest.union(hole).equals(all)).toBe(true);
  });

  test("number and bigint bounds hold the same sets, with the same keys", () => {
    const n = IntervalSet.ofNumbers(0, 4294967295).subtract(IntervalSet.ofNumbers(10, 20));
    const b = IntervalSet.of(0n, 4294967295n).subtract(IntervalSet.of(10n, 20n));
    expect(n.equals(b)).toBe(true);
    expect(n.key()).toBe(b.key());
    expect(n.key()).toBe("0-9,21-4294967295");
    expect(n.intervals()).toEqual(b.intervals());
    expect(n.size()).toBe(b.size());
    expect(n.max()).toBe(4294967295n);
    expect(n.contains(4294967295n) && n.containsNumber(21) && !n.containsNumber(15) && !n.contains(1n << 60n)).toBe(true);
    expect(b.containsNumber(21) && !b.containsNumber(15)).toBe(true);
    expect(b.toNumbers().equals(n) && IntervalSet.of(0n, 1n << 64n).toNumbers().max()).toBe(1n << 64n);
  });

  test("ofNumbers outside the exact range falls back to bigints", () => {
    const s = IntervalSet.ofNumbers(0, Number.MAX_SAFE_INTEGER);
    expect(s.max()).toBe(BigInt(Number.MAX_SAFE_INTEGER));
    expect(IntervalSet.ofNumbers(5, 4).isEmpty()).toBe(true);
    expect(IntervalSet.ofNumbers(Number.NaN, 4).isEmpty()).toBe(true);
  });

  test("instances are frozen", () => {
    const s = IntervalSet.of(1n, 2n);
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.intervals())).toBe(true);
  });
});

describe("IntervalSet vs Set<number> oracle over 0..63", () => {
  test("normal form: sorted, disjoint, non-adjacent; same members as the oracle", () => {
    fc.assert(
      fc.property(anySetArb, ({ pairs, set }) => {
        expectNormal(set);
        const o = oracle(pairs);
        expect(members(set)).toEqual(sorted(o));
        expect(set.size()).toBe(BigInt(o.size));
        expect(set.isEmpty()).toBe(o.size === 0);
        expect(set.min()).toBe(o.size === 0 ? undefined : BigInt(Math.min(...o)));
      }),
    );
  });

  test("union, intersect, subtract, complement match the oracle", () => {
    fc.assert(
      fc.property(anySetArb, anySetArb, (a, b) => {
        const oa = oracle(a.pairs);
        const ob = oracle(b.pairs);
        for (const r of [a.set.union(b.set), a.set.intersect(b.set), a.set.subtract(b.set)]) expectNormal(r);
        expect(members(a.set.union(b.set))).toEqual(sorted(new Set([...oa, ...ob])));
        expect(members(a.set.intersect(b.set))).toEqual(sorted(new Set([...oa].filter((x) => ob.has(x)))));
        expect(members(a.set.subtract(b.set))).toEqual(sorted(new Set([...oa].filter((x) => !ob.has(x)))));
        const all = Array.from({ length: U + 1 }, (_, i) => i);
        expect(members(a.set.complement(0n, BigInt(U)))).toEqual(all.filter((x) => !oa.has(x)));
        expect(a.set.isSubsetOf(b.set)).toBe([...oa].every((x) => ob.has(x)));
        expect(a.set.equals(b.set)).toBe(oa.size === ob.size && [...oa].every((x) => ob.has(x)));
        expect(a.set.overlaps(b.set)).toBe([...oa].some((x) => ob.has(x)));
      }),
    );
  });

  test("set laws", () => {
    fc.assert(
      fc.property(setArb, setArb, setArb, ({ set: a }, { set: b }, { set: c }) => {
        const u = (x: IntervalSet): IntervalSet => x.complement(0n, BigInt(U));
        expect(a.union(b).equals(b.union(a))).toBe(true);
        expect(a.intersect(b).equals(b.intersect(a))).toBe(true);
        expect(a.union(b).union(c).equals(a.union(b.union(c)))).toBe(true);
        expect(a.intersect(b).intersect(c).equals(a.intersect(b.intersect(c)))).toBe(true);
        expect(a.intersect(b.union(c)).equals(a.intersect(b).union(a.intersect(c)))).toBe(true);
        expect(a.union(b.intersect(c)).equals(a.union(b).intersect(a.union(c)))).toBe(true);
        expect(a.subtract(b).intersect(b).isEmpty()).toBe(true);
        expect(a.subtract(b).union(a.intersect(b)).equals(a)).toBe(true);
        expect(u(a.union(b)).equals(u(a).intersect(u(b)))).toBe(true);
        expect(u(a.intersect(b)).equals(u(a).union(u(b)))).toBe(true);
        expect(u(u(a)).equals(a)).toBe(true);
      }),
    );
  });
});

describe("IntervalSet: a set with itself (the identity fast paths)", () => {
  test("agree with the merge on an equal copy and with the oracle", () => {
    fc.assert(
      fc.property(anySetArb, ({ pairs, set: a }) => {
        // An equal set that is another object: the operations then take the merge paths.
        const copy = IntervalSet.fromIntervals(a.intervals());
        if (!a.isEmpty()) expect(copy).not.toBe(a);
        expect(a.union(a)).toBe(a);
        expect(a.intersect(a)).toBe(a);
        expect(a.union(a).equals(a.union(copy))).toBe(true);
        expect(a.intersect(a).equals(a.intersect(copy))).toBe(true);
        expect(a.subtract(a).isEmpty()).toBe(true);
        expect(a.subtract(copy).isEmpty()).toBe(true);
        expect(a.isSubsetOf(a)).toBe(true);
        expect(a.overlaps(a)).toBe(a.overlaps(copy));
        expect(a.overlaps(a)).toBe(!a.isEmpty());
        expect(members(a.intersect(a))).toEqual([...oracle(pairs)].sort((x, y) => x - y));
      }),
    );
  });
});
