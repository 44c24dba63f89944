/**
 * Exactness of `diff` against brute force: random pairs of small topologies (the generator of
 * test/intents/soundness.property.test.ts: NSGs with ASGs and service tags, UDRs, appliances, peering, static and
 * dynamic addresses, public IPs, NIC-less subnets, values unknown at preview), the second either independent or
 * the first with one NSG, route table or NIC changed. The symbolic diff (NIC groups, exact flow sets) must equal,
 * flow by flow over a tiny space, the brute-force diff: every concrete flow run through the CONCRETE path over the
 * real NICs of each plan (src/intents/explain.ts concreteFate), for every pair of distinct endpoints holding its
 * addresses. Flows from an address to itself do not cross the network and are left out on both sides.
 */
import fc from "fast-check";
import { engineEnv, type EngineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import type { Access, NextHopType } from "../../src/model/topology";
import { unknown, type Maybe } from "../../src/model/unknown";
import type { Flow } from "../../src/sets/flow";
import { FlowSet } from "../../src/sets/flow-set";
import { formatIp } from "../../src/sets/ip";
import { IpSet } from "../../src/sets/ip-set";
import { concreteFate } from "../../src/intents/explain";
import type { PathEnd, PieceFate } from "../../src/intents/path";
import { diffPlans } from "../../src/diff/compute";
import type { DiffEndpoint, PlanEnd } from "../../src/diff/endpoints";
import { ModelBuilder, type RuleSpec } from "../helpers/model-builder";
import { flowKey, UNIVERSE, UNIVERSE_DST_PORTS, UNIVERSE_PROTOCOLS, UNIVERSE_SRC_PORTS } from "../intents/brute-force";

const SUBNETS = [
  { name: "s1", vnet: "A", prefix: "10.0.1.0/29" },
  { name: "s2", vnet: "A", prefix: "10.0.2.0/29" },
  { name: "s3", vnet: "B", prefix: "10.1.1.0/29" },
] as const;
/** A public /30 stands for the Internet in the tiny space. */
const OUTSIDE = "8.8.8.0/30";
const PREFIXES = ["*", "VirtualNetwork", "Internet", "10.0.1.0/29", "10.0.2.4", "10.0.0.0/16", OUTSIDE, "10.1.0.0/16", "10.0.1.5"];

/** The tiny space: the universe's protocols and ports, between the subnets and the public /30. */
const ADDRESSES = IpSet.fromPrefixes([...SUBNETS.map((s) => s.prefix), OUTSIDE]);
const SPACE = UNIVERSE.intersect(FlowSet.cube({ src: ADDRESSES, dst: ADDRESSES }));

interface RuleGen {
  direction: "Inbound" | "Outbound";
  access: "Allow" | "Deny" | "?";
  protocol: "Tcp" | "Udp" | "Icmp" | "*";
  src: string;
  dst: string;
  dport: "*" | "80" | "22" | "80-81";
}
interface NicGen {
  subnet: 0 | 1 | 2;
  ip: "dynamic" | 4 | 5 | 6;
  nsg: number | null | "?";
  asgs: string[];
  publicIp: boolean;
  ipForwarding: boolean;
}
interface TopoGen {
  vnetB: "none" | "peered" | "unpeered" | "peered-forwarding";
  nsgs: RuleGen[][];
  subnetNsg: Array<number | null>;
  subnetRt: Array<number | null>;
  routeTables: Array<Array<{ prefix: string; nextHopType: NextHopType; nextHopIp: string }>>;
  nics: NicGen[];
}

const ruleGen: fc.Arbitrary<RuleGen> = fc.record({
  direction: fc.constantFrom("Inbound", "Outbound"),
  access: fc.constantFrom<RuleGen["access"]>("Allow", "Allow", "Deny", "Deny", "?"),
  protocol: fc.constantFrom("Tcp", "Udp", "Icmp", "*"),
  src: fc.constantFrom(...PREFIXES, "asg1", "asg2"),
  dst: fc.constantFrom(...PREFIXES, "asg1", "asg2"),
  dport: fc.constantFrom("*", "80", "22", "80-81"),
});
const routeGen = fc.record({
  prefix: fc.constantFrom("0.0.0.0/0", "10.0.2.0/29", "10.1.0.0/16", OUTSIDE, "10.0.1.0/29"),
  nextHopType: fc.constantFrom<NextHopType>("VirtualAppliance", "VirtualAppliance", "None", "Internet", "VnetLocal"),
  nextHopIp: fc.constantFrom("10.0.1.4", "10.0.2.4", "10.1.1.4"),
});
const nicGen: fc.Arbitrary<NicGen> = fc.record({
  subnet: fc.constantFrom<NicGen["subnet"]>(0, 1, 2),
  ip: fc.constantFrom<NicGen["ip"]>("dynamic", 4, 5, 6),
  nsg: fc.constantFrom<NicGen["nsg"]>(null, null, 0, 1, 2, "?"),
  asgs: fc.subarray(["asg1", "asg2"]),
  publicIp: fc.boolean(),
  ipForwarding: fc.boolean(),
});
const topoGen: fc.Arbitrary<TopoGen> = fc.record({
  vnetB: fc.constantFrom("none", "peered", "unpeered", "peered-forwarding"),
  nsgs: fc.array(fc.array(ruleGen, { maxLength: 4 }), { minLength: 1, maxLength: 3 }),
  subnetNsg: fc.array(fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }), { minLength: 3, maxLength: 3 }),
  subnetRt: fc.array(fc.option(fc.integer({ min: 0, max: 1 }), { nil: null, freq: 2 }), { minLength: 3, maxLength: 3 }),
  routeTables: fc.array(fc.array(routeGen, { minLength: 1, maxLength: 2 }), { minLength: 2, maxLength: 2 }),
  nics: fc.array(nicGen, { minLength: 2, maxLength: 4 }),
});

/** The second plan: independent, or the first with one thing changed (what a pull request usually does). */
const pairGen: fc.Arbitrary<[TopoGen, TopoGen]> = topoGen.chain((g) =>
  fc.oneof(
    topoGen.map((h): [TopoGen, TopoGen] => [g, h]),
    fc.tuple(fc.nat(2), fc.array(ruleGen, { maxLength: 4 })).map(([i, rules]): [TopoGen, TopoGen] => [g, { ...g, nsgs: g.nsgs.map((r, j) => (j === i % g.nsgs.length ? rules : r)) }]),
    fc.array(routeGen, { minLength: 1, maxLength: 2 }).map((routes): [TopoGen, TopoGen] => [g, { ...g, routeTables: [routes, g.routeTables[1]] }]),
    fc.tuple(fc.nat(3), nicGen).map(([i, n]): [TopoGen, TopoGen] => [g, { ...g, nics: g.nics.map((m, j) => (j === i % g.nics.length ? n : m)) }]),
    fc.nat(3).map((i): [TopoGen, TopoGen] => [g, { ...g, nics: g.nics.filter((_, j) => j !== i % g.nics.length) }]),
  ),
);

function ruleSpec(nsg: string, r: RuleGen, i: number): RuleSpec {
  const side = (v: string) => (v === "asg1" || v === "asg2" ? { asgs: [v] as Maybe<string>[] } : { text: v });
  const src = side(r.src);
  const dst = side(r.dst);
  const access: Maybe<Access> = r.access === "?" ? unknown(`.securityRules[r${i}].access`, nsg) : r.access;
  return {
    name: `r${i}`,
    priority: 100 * (i + 1),
    direction: r.direction,
    access,
    protocol: r.protocol,
    ...("text" in src ? { src: src.text } : { srcAsgs: src.asgs }),
    ...("text" in dst ? { dst: dst.text } : { dstAsgs: dst.asgs }),
    dport: r.dport,
  };
}

function build(g: TopoGen) {
  const b = new ModelBuilder().vnet("A", ["10.0.0.0/16"]).asg("asg1").asg("asg2");
  const hasB = g.vnetB !== "none";
  if (hasB) b.vnet("B", ["10.1.0.0/16"]);
  if (g.vnetB === "peered" || g.vnetB === "peered-forwarding") {
    const forwarded = g.vnetB === "peered-forwarding";
    b.peering("A-to-B", "A", "B", { allowForwardedTraffic: forwarded }).peering("B-to-A", "B", "A", { allowForwardedTraffic: forwarded });
  }
  g.nsgs.forEach((rules, n) => b.nsg(`nsg${n}`, rules.map((r, i) => ruleSpec(`nsg${n}`, r, i))));
  g.routeTables.forEach((routes, t) => b.routeTable(`rt${t}`, routes.map((r, i) => ({ name: `u${i}`, prefix: r.prefix, nextHopType: r.nextHopType, ...(r.nextHopType === "VirtualAppliance" ? { nextHopIp: r.nextHopIp } : {}) }))));
  SUBNETS.forEach((s, i) => {
    if (s.vnet === "B" && !hasB) return;
    const nsg = g.subnetNsg[i];
    const rt = g.subnetRt[i];
    b.subnet(s.name, s.vnet, s.prefix, { nsg: nsg === null || nsg >= g.nsgs.length ? null : `nsg${nsg}`, routeTable: rt === null ? null : `rt${rt}` });
  });
  const taken = new Set<string>();
  g.nics.forEach((n, i) => {
    const subnet = SUBNETS[n.subnet];
    if (subnet.vnet === "B" && !hasB) return;
    const base = subnet.prefix.split("/")[0].replace(/\.0$/, "");
    let ip: string | undefined = n.ip === "dynamic" ? undefined : `${base}.${n.ip}`;
    if (ip !== undefined && taken.has(ip)) ip = undefined;
    if (ip !== undefined) taken.add(ip);
    const nsg: Maybe<string | null> = n.nsg === "?" ? unknown(".networkSecurityGroup.id", `n${i}`) : n.nsg === null || n.nsg >= g.nsgs.length ? null : `nsg${n.nsg}`;
    b.nic(`n${i}`, subnet.name, ip, { nsg, asgs: n.asgs, ipForwarding: n.ipForwarding, ...(n.publicIp ? { publicIp: `pip${i}` } : {}) });
  });
  return b.build();
}

// ---- the brute-force diff --------------------------------------------------------------------------------------

function addresses(set: IpSet): string[] {
  const out: string[] = [];
  for (const [lo, hi] of set.intersect(ADDRESSES).v4.intervals()) for (let v = lo; v <= hi; v++) out.push(formatIp(4, v));
  return out;
}

/** The real ends of an endpoint in one plan holding an address: its NICs (each with its own addresses), or itself. */
function holders(p: PlanEnd | undefined, address: string): Array<{ end: PathEnd; nicKey?: string; exact: boolean }> {
  if (!p) return [];
  if (p.members.length === 0) return p.addresses.contains(address) ? [{ end: p.end, exact: p.exact }] : [];
  return p.members.filter((m) => m.addresses.contains(address)).map((m) => ({ end: { kind: "nic" as const, nic: m.nic, addresses: m.addresses }, nicKey: m.nic.key, exact: m.exactAddress }));
}

/** The fate of one flow between two endpoints in one plan: over every pair of distinct real ends holding it. */
function bruteFate(env: EngineEnv, from: PlanEnd | undefined, to: PlanEnd | undefined, flow: Flow): PieceFate | "mixed" {
  const fates = new Set<PieceFate>();
  for (const s of holders(from, flow.src)) {
    for (const d of holders(to, flow.dst)) {
      if (s.nicKey !== undefined && s.nicKey === d.nicKey) continue;
      let fate = concreteFate(env, "network", s.end, d.end, flow);
      if (fate === "Delivered" && (!s.exact || !d.exact)) fate = "Unknown";
      fates.add(fate);
    }
  }
  if (fates.size === 0) return "Stopped";
  return fates.size === 1 ? [...fates][0] : "mixed";
}

type Change = "opened" | "closed" | "undecided";

function bruteDiff(before: EngineEnv, after: EngineEnv, endpoints: readonly DiffEndpoint[]): Map<string, Change> {
  const out = new Map<string, Change>();
  const external = (e: DiffEndpoint): boolean => e.kind === "internet" || e.kind === "external";
  for (const from of endpoints) {
    for (const to of endpoints) {
      if (external(from) && external(to)) continue;
      const srcs = addresses((from.before?.addresses ?? IpSet.empty()).union(from.after?.addresses ?? IpSet.empty()));
      const dsts = addresses((to.before?.addresses ?? IpSet.empty()).union(to.after?.addresses ?? IpSet.empty()));
      for (const src of srcs) {
        for (const dst of dsts) {
          if (src === dst) continue;
          for (const protocol of UNIVERSE_PROTOCOLS) {
            for (const srcPort of UNIVERSE_SRC_PORTS) {
              for (const dstPort of UNIVERSE_DST_PORTS) {
                const flow: Flow = { src, dst, protocol, srcPort, dstPort };
                if (!SPACE.contains(flow)) continue;
                const b = bruteFate(before, from.before, to.before, flow);
                const a = bruteFate(after, from.after, to.after, flow);
                if (b === "mixed" || a === "mixed") throw new Error(`members of one group disagree on ${flowKey(flow)} (${from.name} -> ${to.name})`);
                const key = `${from.id} > ${to.id} | ${flowKey(flow)}`;
                if (a === "Delivered" && b === "Stopped") out.set(key, "opened");
                else if (b === "Delivered" && a === "Stopped") out.set(key, "closed");
                else if (a !== b && (a === "Unknown" || b === "Unknown")) out.set(key, "undecided");
              }
            }
          }
        }
      }
    }
  }
  return out;
}

/** The symbolic diff, enumerated over the same flows (address pairs src != dst). */
function symbolicDiff(before: EngineEnv, after: EngineEnv): { changes: Map<string, Change>; endpoints: readonly DiffEndpoint[] } {
  const diff = diffPlans(before, after, { universe: SPACE });
  const out = new Map<string, Change>();
  for (const p of diff.pairs) {
    for (const [kind, set] of [["opened", p.opened], ["closed", p.closed], ["undecided", p.undecided]] as const) {
      for (const c of set.cubes()) {
        for (const src of addresses(c.src)) {
          for (const dst of addresses(c.dst)) {
            if (src === dst) continue;
            for (const protocol of UNIVERSE_PROTOCOLS) {
              for (const srcPort of UNIVERSE_SRC_PORTS) {
                for (const dstPort of UNIVERSE_DST_PORTS) {
                  const flow: Flow = { src, dst, protocol, srcPort, dstPort };
                  if (!c.protocols.contains(protocol) || !c.srcPorts.contains(srcPort) || !c.dstPorts.contains(dstPort)) continue;
                  const key = `${p.from.id} > ${p.to.id} | ${flowKey(flow)}`;
                  if (out.has(key)) throw new Error(`${key} is both ${out.get(key)} and ${kind}`);
                  out.set(key, kind);
                }
              }
            }
          }
        }
      }
    }
  }
  return { changes: out, endpoints: diff.endpoints };
}

describe("diff agrees with brute force over every concrete flow", () => {
  test("zero disagreements", () => {
    let changed = 0;
    fc.assert(
      fc.property(pairGen, ([g1, g2]) => {
        const before = engineEnv(build(g1), EMPTY_CATALOG);
        const after = engineEnv(build(g2), EMPTY_CATALOG);
        const symbolic = symbolicDiff(before, after);
        const brute = bruteDiff(engineEnv(build(g1), EMPTY_CATALOG), engineEnv(build(g2), EMPTY_CATALOG), symbolic.endpoints);
        if (brute.size > 0) changed++;
        expect(Object.fromEntries([...symbolic.changes].sort())).toEqual(Object.fromEntries([...brute].sort()));
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 80), seed: Number(process.env.FC_SEED ?? 20261202) },
    );
    // The property says something: most runs change some flow.
    expect(changed).toBeGreaterThan(25);
  });
});

describe("the restricted diff (only the flows and pairs a change can affect: src/diff/changed-flows.ts) is the full diff", () => {
  const byPair = (d: ReturnType<typeof diffPlans>): Map<string, [FlowSet, FlowSet, FlowSet]> => new Map(d.pairs.map((p) => [`${p.from.id} > ${p.to.id}`, [p.opened, p.closed, p.undecided]]));
  /** Differences between the two, as text (sets compared as sets: the same flows may be cut into other cubes). */
  const disagreements = (fast: ReturnType<typeof diffPlans>, full: ReturnType<typeof diffPlans>): string[] => {
    const f = byPair(fast);
    const g = byPair(full);
    const out: string[] = [];
    for (const key of new Set([...f.keys(), ...g.keys()])) {
      const x = f.get(key);
      const y = g.get(key);
      if (!x || !y) out.push(`${key}: only in the ${x ? "restricted" : "full"} diff`);
      else ["opened", "closed", "undecided"].forEach((kind, i) => {
        if (!x[i].subtract(y[i]).isEmpty() || !y[i].subtract(x[i]).isEmpty()) out.push(`${key} ${kind}: ${x[i].toString()} vs ${y[i].toString()}`);
      });
    }
    return out;
  };

  // 400 runs: fewer miss a wrong route-table restriction (dropping the VirtualNetwork tag part of routeDelta was
  // found at run 262 with this seed, and not in 120).
  test("same pairs, same opened, closed and undecided flow sets, over every flow (no tiny universe)", () => {
    let restricted = 0;
    fc.assert(
      fc.property(pairGen, ([g1, g2]) => {
        const before = engineEnv(build(g1), EMPTY_CATALOG);
        const after = engineEnv(build(g2), EMPTY_CATALOG);
        const fast = diffPlans(before, after);
        const full = diffPlans(engineEnv(build(g1), EMPTY_CATALOG), engineEnv(build(g2), EMPTY_CATALOG), { everyPair: true });
        if (fast.pairsSkipped > 0) restricted++;
        expect(disagreements(fast, full)).toEqual([]);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 400), seed: Number(process.env.FC_SEED ?? 20261202) },
    );
    // The property says something: many runs really skip pairs.
    expect(restricted).toBeGreaterThan(60);
  });
});
