import fc from "fast-check";
import { type Flow, FlowSet, type FlowCube, Icmp, IpSet, PortSet, ProtocolSet, Tcp, Udp } from "../../src/sets";

// Tiny flow space: src/dst in 10.0.0.0/29, protocols {Icmp, Tcp, Udp}, ports 0..3.
const BASE = 0x0a000000n;
const ADDRS = 8;
const PORTS = 4;
const PROTOS = [Icmp, Tcp, Udp] as const;

/** Oracle cube: explicit member lists per dimension (indices for addresses). */
interface OCube {
  readonly src: ReadonlySet<number>;
  readonly dst: ReadonlySet<number>;
  readonly proto: ReadonlySet<number>;
  readonly sp: ReadonlySet<number>;
  readonly dp: ReadonlySet<number>;
}

interface Gen {
  readonly set: FlowSet;
  readonly oracle: ReadonlyArray<OCube>;
}

const addr = (i: number): string => `10.0.0.${i}`;

const POINTS: ReadonlyArray<{ flow: Flow; key: [number, number, number, number, number] }> = (() => {
  const out: Array<{ flow: Flow; key: [number, number, number, number, number] }> = [];
  for (let s = 0; s < ADDRS; s++)
    for (let d = 0; d < ADDRS; d++)
      for (const p of PROTOS)
        for (let sp = 0; sp < PORTS; sp++)
          for (let dp = 0; dp < PORTS; dp++)
            out.push({ flow: { src: addr(s), dst: addr(d), protocol: p, srcPort: sp, dstPort: dp }, key: [s, d, p, sp, dp] });
  return out;
})();

function oracleHas(cubes: ReadonlyArray<OCube>, [s, d, p, sp, dp]: readonly number[]): boolean {
  return cubes.some(
    (c) => c.src.has(s as number) && c.dst.has(d as number) && c.proto.has(p as number) && c.sp.has(sp as number) && c.dp.has(dp as number),
  );
}

/** A dimension value: up to two ranges, or (when wild) the whole dimension. */
const rangesArb = (max: number): fc.Arbitrary<Array<[number, number]>> =>
  fc.array(
    fc.tuple(fc.integer({ min: 0, max }), fc.integer({ min: 0, max })).map(([a, b]): [number, number] => [Math.min(a, b), Math.max(a, b)]),
    { minLength: 0, maxLength: 2 },
  );

const expand = (ranges: ReadonlyArray<[number, number]>): Set<number> => {
  const out = new Set<number>();
  for (const [lo, hi] of ranges) for (let x = lo; x <= hi; x++) out.add(x);
  return out;
};

function cubeArb(wild: boolean): fc.Arbitrary<{ cube: Partial<FlowCube>; oracle: OCube }> {
  const maybeWild = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
    wild ? fc.option(arb, { freq: 3, nil: undefined }) : arb;
  return fc
    .record({
      src: maybeWild(rangesArb(ADDRS - 1)),
      dst: maybeWild(rangesArb(ADDRS - 1)),
      proto: maybeWild(fc.subarray([...PROTOS])),
      sp: maybeWild(rangesArb(PORTS - 1)),
      dp: maybeWild(rangesArb(PORTS - 1)),
    })
    .map((r) => {
      const ips = (rs: Array<[number, number]> | undefined): IpSet | undefined =>
        rs === undefined
          ? undefined
          : rs.reduce((acc, [lo, hi]) => acc.union(IpSet.fromRange(4, BASE + BigInt(lo), BASE + BigInt(hi))), IpSet.empty());
      const ports = (rs: Array<[number, number]> | undefined): PortSet | undefined =>
        rs === undefined ? undefined : rs.reduce((acc, [lo, hi]) => acc.union(PortSet.of(lo, hi)), PortSet.empty());
      const cube: Partial<FlowCube> = {
        src: ips(r.src),
        dst: ips(r.dst),
        protocols: r.proto === undefined ? undefined : ProtocolSet.of(...r.proto),
        srcPorts: ports(r.sp),
        dstPorts: ports(r.dp),
      };
      const full = (n: number): Set<number> => new Set(Array.from({ length: n }, (_, i) => i));
      const oracle: OCube = {
        src: r.src === undefined ? full(ADDRS) : expand(r.src),
        dst: r.dst === undefined ? full(ADDRS) : expand(r.dst),
        proto: new Set(r.proto ?? PROTOS),
        sp: r.sp === undefined ? full(PORTS) : expand(r.sp),
        dp: r.dp === undefined ? full(PORTS) : expand(r.dp),
      };
      return { cube, oracle };
    });
}

function setArb(wild: boolean): fc.Arbitrary<Gen> {
  return fc.array(cubeArb(wild), { minLength: 0, maxLength: 3 }).map((cs) => ({
    set: FlowSet.fromCubes(cs.map((c) => c.cube)),
    oracle: cs.map((c) => c.oracle),
  }));
}

/** Membership of every grid point, as a bit string for compact comparison. */
function actualBits(set: FlowSet): string {
  return POINTS.map((p) => (set.contains(p.flow) ? "1" : "0")).join("");
}

function expectedBits(pred: (key: readonly number[]) => boolean): string {
  return POINTS.map((p) => (pred(p.key) ? "1" : "0")).join("");
}

const RUNS = { numRuns: 60 };

describe("FlowSet golden", () => {
  const web = FlowSet.cube({
    src: IpSet.fromCidr("10.0.0.0/24"),
    dst: IpSet.fromCidr("10.1.0.0/24"),
    protocols: ProtocolSet.of(Tcp),
    dstPorts: PortSet.of(80, 443),
  });

  test("cube with missing dimensions means everything in them", () => {
    const [c] = web.cubes();
    expect(c?.srcPorts.isAll()).toBe(true);
    expect(FlowSet.cube({}).equals(FlowSet.all())).toBe(true);
    expect(FlowSet.cube({ src: undefined }).equals(FlowSet.all())).toBe(true);
    expect(FlowSet.cube({ dstPorts: PortSet.empty() }).isEmpty()).toBe(true);
  });

  test("contains and sample", () => {
    const flow: Flow = { src: "10.0.0.4", dst: "10.1.0.9", protocol: Tcp, srcPort: 60000, dstPort: 80 };
    expect(web.contains(flow)).toBe(true);
    expect(web.contains({ ...flow, dstPort: 444 })).toBe(false);
    expect(web.contains({ ...flow, protocol: Udp })).toBe(false);
    expect(web.contains({ ...flow, src: "10.0.1.4" })).toBe(false);
    expect(web.sample()).toEqual({ src: "10.0.0.0", dst: "10.1.0.0", protocol: Tcp, srcPort: 0, dstPort: 80 });
    expect(FlowSet.empty().sample()).toBeUndefined();
    expect(FlowSet.cube({ protocols: ProtocolSet.of(Icmp) }).sample()).toEqual({
      src: "0.0.0.0",
      dst: "0.0.0.0",
      protocol: Icmp,
      srcPort: 0,
      dstPort: 0,
    });
    expect(() => web.contains({ ...flow, src: "10.0.0" })).toThrow(`"10.0.0" is not an IPv4 or IPv6 address`);
  });

  test("subtract splits into disjoint pieces and projections are exact", () => {
    const deny = FlowSet.cube({ src: IpSet.fromCidr("10.0.0.128/25"), dstPorts: PortSet.of(443) });
    const allowed = web.subtract(deny);
    expect(allowed.toString()).toBe(
      "Tcp 10.0.0.0/24:* -> 10.1.0.0/24:80-442; Tcp 10.0.0.0/25:* -> 10.1.0.0/24:443",
    );
    expect(allowed.dstPorts().toString()).toBe("80-443");
    expect(allowed.sources().toString()).toBe("10.0.0.0/24");
    expect(allowed.destinations().toString()).toBe("10.1.0.0/24");
    expect(allowed.protocols().toString()).toBe("Tcp");
    expect(allowed.srcPorts().toString()).toBe("*");
    expect(allowed.contains({ src: "10.0.0.200", dst: "10.1.0.1", protocol: Tcp, srcPort: 1, dstPort: 443 })).toBe(false);
    expect(allowed.contains({ src: "10.0.0.100", dst: "10.1.0.1", protocol: Tcp, srcPort: 1, dstPort: 443 })).toBe(true);
    expect(allowed.union(web.intersect(deny)).equals(web)).toBe(true);
  });

  test("restrict, complement, merge of cubes differing in one dimension", () => {
    const a = FlowSet.cube({ dstPorts: PortSet.of(80), protocols: ProtocolSet.of(Tcp) });
    const b = FlowSet.cube({ dstPorts: PortSet.of(81), protocols: ProtocolSet.of(Tcp) });
    const ab = a.union(b);
    expect(ab.cubes()).toHaveLength(1);
    expect(ab.toString()).toBe("Tcp 0.0.0.0/0,::/0:* -> 0.0.0.0/0,::/0:80-81");
    expect(ab.restrict({ dstPorts: PortSet.of(81, 90) }).equals(b)).toBe(true);
    expect(ab.complement().union(ab).equals(FlowSet.all())).toBe(true);
    expect(ab.complement().intersect(ab).isEmpty()).toBe(true);
    expect(FlowSet.all().subtract(FlowSet.all()).isEmpty()).toBe(true);
    expect(FlowSet.empty().toString()).toBe("(none)");
    expect(ab.size()).toBe(2n * ((1n << 32n) + (1n << 128n)) ** 2n * 65536n);
    expect(FlowSet.all().size()).toBe(((1n << 32n) + (1n << 128n)) ** 2n * 256n * 65536n * 65536n);
  });

  test("union drops cubes covered by another cube", () => {
    const big = FlowSet.cube({ src: IpSet.fromCidr("10.0.0.0/8") });
    const small = FlowSet.cube({ src: IpSet.fromCidr("10.1.0.0/16"), protocols: ProtocolSet.of(Udp) });
    expect(big.union(small).cubes()).toHaveLength(1);
    expect(small.union(big).cubes()).toHaveLength(1);
    expect(small.union(big).equals(big)).toBe(true);
  });

  test("many subtractions stay exact and bounded", () => {
    let s = FlowSet.cube({ src: IpSet.fromCidr("10.0.0.0/16"), protocols: ProtocolSet.of(Tcp) });
    for (let i = 0; i < 50; i++) {
      s = s.subtract(FlowSet.cube({ src: IpSet.fromCidr(`10.0.${i}.0/24`), dstPorts: PortSet.of(i * 10, i * 10 + 5) }));
    }
    expect(s.contains({ src: "10.0.3.1", dst: "1.1.1.1", protocol: Tcp, srcPort: 0, dstPort: 33 })).toBe(false);
    expect(s.contains({ src: "10.0.3.1", dst: "1.1.1.1", protocol: Tcp, srcPort: 0, dstPort: 36 })).toBe(true);
    expect(s.contains({ src: "10.0.60.1", dst: "1.1.1.1", protocol: Tcp, srcPort: 0, dstPort: 33 })).toBe(true);
    expect(s.cubes().length).toBeLessThanOrEqual(101);
  });
});

describe("FlowSet vs enumeration over a tiny flow space", () => {
  test("construction and contains match the oracle", () => {
    fc.assert(
      fc.property(setArb(true), (a) => {
        expect(actualBits(a.set)).toBe(expectedBits((k) => oracleHas(a.oracle, k)));
      }),
      RUNS,
    );
  });

  test("union, intersect, subtract match the oracle", () => {
    fc.assert(
      fc.property(setArb(true), setArb(true), (a, b) => {
        const inA = (k: readonly number[]): boolean => oracleHas(a.oracle, k);
        const inB = (k: readonly number[]): boolean => oracleHas(b.oracle, k);
        expect(actualBits(a.set.union(b.set))).toBe(expectedBits((k) => inA(k) || inB(k)));
        expect(actualBits(a.set.intersect(b.set))).toBe(expectedBits((k) => inA(k) && inB(k)));
        expect(actualBits(a.set.subtract(b.set))).toBe(expectedBits((k) => inA(k) && !inB(k)));
      }),
      RUNS,
    );
  });

  test("isEmpty, isSubsetOf, equals, overlaps match the oracle (sets inside the grid)", () => {
    fc.assert(
      fc.property(setArb(false), setArb(false), (a, b) => {
        const bitsA = expectedBits((k) => oracleHas(a.oracle, k));
        const bitsB = expectedBits((k) => oracleHas(b.oracle, k));
        const subset = [...bitsA].every((x, i) => x === "0" || bitsB[i] === "1");
        expect(a.set.isEmpty()).toBe(!bitsA.includes("1"));
        expect(a.set.isSubsetOf(b.set)).toBe(subset);
        // The cheap test is sufficient, never wrong: inside single cubes implies a subset.
        if (a.set.insideCubesOf(b.set)) expect(subset).toBe(true);
        if (b.set.cubes().length === 1) expect(a.set.insideCubesOf(b.set)).toBe(subset);
        expect(a.set.equals(b.set)).toBe(bitsA === bitsB);
        expect(a.set.size()).toBe(BigInt([...bitsA].filter((x) => x === "1").length));
        expect(a.set.union(b.set).size()).toBe(BigInt([...bitsA].filter((x, i) => x === "1" || bitsB[i] === "1").length));
        expect(a.set.overlaps(b.set)).toBe([...bitsA].some((x, i) => x === "1" && bitsB[i] === "1"));
      }),
      RUNS,
    );
  });

  test("every operation leaves pairwise disjoint cubes", () => {
    const disjoint = (set: FlowSet): void => {
      const cubes = set.cubes();
      for (let i = 0; i < cubes.length; i++)
        for (let j = i + 1; j < cubes.length; j++)
          expect(FlowSet.cube(cubes[i] as FlowCube).overlaps(FlowSet.cube(cubes[j] as FlowCube))).toBe(false);
    };
    fc.assert(
      fc.property(setArb(true), setArb(true), (a, b) => {
        for (const s of [a.set, a.set.union(b.set), a.set.intersect(b.set), a.set.subtract(b.set), a.set.complement()]) disjoint(s);
      }),
      RUNS,
    );
  });

  test("sample is a member when non-empty", () => {
    fc.assert(
      fc.property(setArb(true), setArb(true), (a, b) => {
        for (const s of [a.set, a.set.subtract(b.set), a.set.intersect(b.set)]) {
          const x = s.sample();
          expect(x === undefined).toBe(s.isEmpty());
          if (x !== undefined) expect(s.contains(x)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  test("set laws", () => {
    fc.assert(
      fc.property(setArb(true), setArb(true), setArb(true), ({ set: a }, { set: b }, { set: c }) => {
        expect(a.union(b).equals(b.union(a))).toBe(true);
        expect(a.intersect(b).equals(b.intersect(a))).toBe(true);
        expect(a.union(b).union(c).equals(a.union(b.union(c)))).toBe(true);
        expect(a.intersect(b).intersect(c).equals(a.intersect(b.intersect(c)))).toBe(true);
        expect(a.intersect(b.union(c)).equals(a.intersect(b).union(a.intersect(c)))).toBe(true);
        expect(a.subtract(b).intersect(b).isEmpty()).toBe(true);
        expect(a.subtract(b).union(a.intersect(b)).equals(a)).toBe(true);
        expect(a.union(b).complement().equals(a.complement().intersect(b.complement()))).toBe(true);
        expect(a.intersect(b).complement().equals(a.complement().union(b.complement()))).toBe(true);
        expect(a.complement().complement().equals(a)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });
});

describe("FlowSet: a set with itself (the identity fast paths)", () => {
  test("a ∩ a is a: its cubes are pairwise disjoint, so the pairwise loop would give back exactly its cubes", () => {
    fc.assert(
      fc.property(setArb(true), ({ set: a, oracle }) => {
        const cubes = a.cubes();
        for (let i = 0; i < cubes.length; i++) {
          for (let j = 0; j < cubes.length; j++) {
            if (i !== j) expect(FlowSet.cube(cubes[i] as FlowCube).overlaps(FlowSet.cube(cubes[j] as FlowCube))).toBe(false);
          }
        }
        // An equal set that is another object: intersect, subtract and isSubsetOf then run their cube loops.
        const other = FlowSet.fromCubes([...cubes].reverse());
        if (!a.isEmpty()) expect(other).not.toBe(a);
        expect(a.intersect(a)).toBe(a);
        expect(a.intersect(a).equals(a.intersect(other))).toBe(true);
        expect(a.subtract(a).isEmpty()).toBe(a.subtract(other).isEmpty());
        expect(a.subtract(a).isEmpty()).toBe(true);
        expect(a.isSubsetOf(a)).toBe(a.isSubsetOf(other));
        expect(a.equals(a)).toBe(a.equals(other));
        expect(actualBits(a.intersect(a))).toBe(expectedBits((k) => oracleHas(oracle, k)));
      }),
      RUNS,
    );
  });

  test("the whole-space sets are one object each", () => {
    expect(FlowSet.all()).toBe(FlowSet.all());
    expect(IpSet.all()).toBe(IpSet.all());
    expect(IpSet.allV4().union(IpSet.allV6()).equals(IpSet.all())).toBe(true);
  });
});
