/**
 * Soundness by construction: random small topologies (NSGs with ASGs and service tags, UDRs, appliances, peering,
 * static and dynamic addresses, public IPs, NIC-less subnets, a few values unknown at preview) and random intents.
 * The symbolic verdict (classes of NICs, exact flow sets) must equal the brute-force verdict (every concrete flow
 * of a tiny space through the CONCRETE path over the real NICs), and a counterexample must be one of the flows the
 * brute force finds breaking the intent. Zero disagreements.
 */
import fc from "fast-check";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/engine/service-tags";
import type { Access, AddressSpec, NextHopType, SecurityRule, Topology } from "../../src/model/topology";
import { isUnknown } from "../../src/model/unknown";
import { IpSet } from "../../src/sets/ip-set";
import { unknown, type Maybe } from "../../src/model/unknown";
import { parseIntent } from "../../src/intents/parse";
import { verifyReach } from "../../src/intents/reach";
import type { ReachIntent } from "../../src/intents/types";
import { ModelBuilder, type RuleSpec } from "../helpers/model-builder";
import { bruteForce, flowKey, UNIVERSE } from "./brute-force";
import { withAvnm, type AdminRuleSpec } from "../engine/avnm-model";

// ---- the random topology -------------------------------------------------------------------------------------

const SUBNETS = [
  { name: "s1", vnet: "A", prefix: "10.0.1.0/29" },
  { name: "s2", vnet: "A", prefix: "10.0.2.0/29" },
  { name: "s3", vnet: "B", prefix: "10.1.1.0/29" },
] as const;
const PREFIXES = ["*", "VirtualNetwork", "Internet", "10.0.1.0/29", "10.0.2.4", "10.0.0.0/16", "203.0.113.0/31", "10.1.0.0/16", "10.0.1.5"];

interface RuleGen {
  direction: "Inbound" | "Outbound";
  access: "Allow" | "Deny" | "?";
  protocol: "Tcp" | "Udp" | "Icmp" | "*";
  src: string | "asg1" | "asg2";
  dst: string | "asg1" | "asg2";
  dport: "*" | "80" | "22" | "80-81";
  priorityUnknown: boolean;
}

interface NicGen {
  subnet: 0 | 1 | 2;
  ip: "dynamic" | 4 | 5 | 6;
  nsg: number | null | "?";
  asgs: string[];
  publicIp: boolean;
  ipForwarding: boolean;
  web: boolean;
  v6?: boolean;
}

interface TopoGen {
  /** IPv6 address spaces too (fd00:a::/48, fd00:b::/48; /125 per subnet), and an IPv6 configuration on some NICs. */
  dualStack?: boolean;
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
  priorityUnknown: fc.constantFrom(false, false, false, false, false, false, false, true),
});

const routeGen = fc.record({
  prefix: fc.constantFrom("0.0.0.0/0", "10.0.2.0/29", "10.1.0.0/16", "203.0.113.0/30", "10.0.1.0/29"),
  nextHopType: fc.constantFrom<NextHopType>("VirtualAppliance", "VirtualAppliance", "None", "Internet", "VnetLocal"),
  nextHopIp: fc.constantFrom("10.0.1.4", "10.0.2.4", "10.1.1.4"),
});

const topoGen: fc.Arbitrary<TopoGen> = fc.record({
  dualStack: fc.boolean(),
  vnetB: fc.constantFrom("none", "peered", "unpeered", "peered-forwarding"),
  nsgs: fc.array(fc.array(ruleGen, { maxLength: 4 }), { minLength: 1, maxLength: 3 }),
  subnetNsg: fc.array(fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }), { minLength: 3, maxLength: 3 }),
  subnetRt: fc.array(fc.option(fc.integer({ min: 0, max: 1 }), { nil: null, freq: 2 }), { minLength: 3, maxLength: 3 }),
  routeTables: fc.array(fc.array(routeGen, { minLength: 1, maxLength: 2 }), { minLength: 2, maxLength: 2 }),
  nics: fc.array(
    fc.record({
      subnet: fc.constantFrom<NicGen["subnet"]>(0, 1, 2),
      ip: fc.constantFrom<NicGen["ip"]>("dynamic", 4, 5, 6),
      nsg: fc.constantFrom<NicGen["nsg"]>(null, null, 0, 1, 2, "?"),
      asgs: fc.subarray(["asg1", "asg2"]),
      publicIp: fc.boolean(),
      ipForwarding: fc.boolean(),
      web: fc.boolean(),
      v6: fc.boolean(),
    }),
    { minLength: 2, maxLength: 5 },
  ),
});

function ruleSpec(nsg: string, r: RuleGen, i: number): RuleSpec {
  const side = (v: string) => (v === "asg1" || v === "asg2" ? { asgs: [v] as Maybe<string>[] } : { text: v });
  const src = side(r.src);
  const dst = side(r.dst);
  const access: Maybe<Access> = r.access === "?" ? unknown(`.securityRules[r${i}].access`, nsg) : r.access;
  const priority: Maybe<number> = r.priorityUnknown ? unknown(`.securityRules[r${i}].priority`, nsg) : 100 * (i + 1);
  return {
    name: `r${i}`,
    priority,
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
    b.nic(`n${i}`, subnet.name, ip, { nsg, asgs: n.asgs, ipForwarding: n.ipForwarding, ...(n.publicIp ? { publicIp: `pip${i}` } : {}), ...(n.web ? { tags: { tier: "web" } } : {}) });
  });
  const topo = b.build();
  return g.dualStack ? dualStack(topo, g) : topo;
}

const V6_SUBNETS: Record<string, string> = { s1: "fd00:a:1::/125", s2: "fd00:a:2::/125", s3: "fd00:b:1::/125" };

/** The same plan made dual-stack: each VNet and subnet gets an IPv6 prefix, NICs with `v6` a static IPv6 configuration. */
function dualStack(topo: Topology, g: TopoGen): Topology {
  const vnets = new Map([...topo.vnets].map(([k, v]) => {
    const six = k === "A" ? "fd00:a::/48" : "fd00:b::/48";
    return [k, { ...v, addressPrefixes: [...v.addressPrefixes, six], addressSpace: (v.addressSpace as IpSet).union(IpSet.fromCidr(six)) }];
  }));
  const subnets = new Map([...topo.subnets].map(([k, sn]) => {
    const six = V6_SUBNETS[k] as string;
    return [k, { ...sn, addressPrefixes: [...sn.addressPrefixes, six], addressSpace: (sn.addressSpace as IpSet).union(IpSet.fromCidr(six)) }];
  }));
  const nics = new Map([...topo.nics].map(([k, nic]) => {
    const n = g.nics[Number(k.slice(1))];
    const cfg = nic.ipConfigurations[0];
    if (!n?.v6 || !cfg || typeof cfg.subnetKey !== "string") return [k, nic];
    const six = `${(V6_SUBNETS[cfg.subnetKey] as string).split("/")[0]}${n.ip === "dynamic" ? 7 : n.ip}`;
    return [k, { ...nic, ipConfigurations: [cfg, { ...cfg, name: "v6", primary: false, allocation: "Static" as const, privateIpAddress: six, publicIpKey: null }] }];
  }));
  return { ...topo, vnets, subnets, nics };
}

// ---- the random intent ---------------------------------------------------------------------------------------

const SELECTORS = [
  { subnet: "s1" },
  { subnet: "s2" },
  { subnet: "s3" },
  { nic: "n0" },
  { nic: "n1" },
  { vnet: "A" },
  { tag: { tier: "web" } },
  { serviceTag: "VirtualNetwork" },
  { asg: "asg1" },
  { cidr: "203.0.113.0/30" },
  { cidr: "10.0.0.0/16" },
  { ip: "10.0.1.4" },
  // Addresses Azure reserves: a CIDR that covers them, and one of them alone (selects nothing).
  { cidr: "10.0.1.0/29" },
  { ip: "10.0.1.0" },
  // IPv6 (dual-stack plans): a subnet prefix, an address, and a public IPv6 block outside the plan.
  { cidr: "fd00:a:1::/125" },
  { ip: "fd00:a:2::4" },
  { cidr: "2001:db8::/126" },
];

const intentGen = fc.record({
  from: fc.constantFrom(...SELECTORS),
  to: fc.constantFrom(...SELECTORS),
  protocol: fc.constantFrom("Tcp", "Udp", "Icmp", "Any"),
  ports: fc.constantFrom("*", "80", "22,80", "80-81"),
  expect: fc.constantFrom("reachable", "unreachable"),
  layer: fc.constantFrom("network", "network", "nsg"),
});

function intentOf(raw: { protocol: string; ports: string } & Record<string, unknown>): ReachIntent | undefined {
  const ports = raw.protocol === "Icmp" ? "*" : raw.ports;
  const parsed = parseIntent({ name: "p", ...raw, ports }, 0, { source: "property" });
  return parsed.intent?.kind === "reach" ? parsed.intent : undefined;
}

describe("symbolic intents agree with brute force over every concrete flow", () => {
  test("zero disagreements", () => {
    fc.assert(
      fc.property(topoGen, intentGen, (g, raw) => {
        const topo = build(g);
        const intent = intentOf(raw);
        if (!intent) return;
        const env = engineEnv(topo, EMPTY_CATALOG);
        const symbolic = verifyReach(env, intent, { universe: UNIVERSE });
        const brute = bruteForce(engineEnv(topo, EMPTY_CATALOG), intent);
        expect({ intent: raw, verdict: symbolic.verdict }).toEqual({ intent: raw, verdict: brute.verdict });
        if (symbolic.verdict === "fail" && symbolic.counterexample) {
          const f = symbolic.counterexample.flow;
          const key = flowKey({ src: f.sourceAddress, dst: f.destinationAddress, protocol: protocolNumber(f.protocol), srcPort: f.sourcePort, dstPort: f.destinationPort });
          expect(brute.bad.has(key)).toBe(true);
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300), seed: Number(process.env.FC_SEED ?? 20260101) },
    );
  });
});

// ---- with Virtual Network Manager security admin rules (issue 15) ----------------------------------------------

const adminRuleGen = fc.record({
  direction: fc.constantFrom<"Inbound" | "Outbound">("Inbound", "Outbound"),
  access: fc.constantFrom("Allow", "Deny", "AlwaysAllow", "Deny", "AlwaysAllow", "?"),
  protocol: fc.constantFrom("Tcp", "Udp", "*"),
  src: fc.constantFrom("*", "Internet", "10.0.1.0/29", "203.0.113.0/31", "10.1.0.0/16"),
  dst: fc.constantFrom("*", "10.0.2.0/29", "10.0.2.4", "VirtualNetwork"),
  dport: fc.constantFrom("*", "80", "22", "80-81"),
});

const avnmGen = fc.record({
  rules: fc.array(adminRuleGen, { minLength: 1, maxLength: 3 }),
  // VNet A always, B sometimes; a member unknown at preview now and then.
  members: fc.constantFrom<Maybe<string>[][]>(["A"], ["A", "B"], ["B"], ["A", unknown(".resourceId", "urn:member")]),
});

describe("symbolic intents agree with brute force with security admin rules before the NSGs", () => {
  test("zero disagreements", () => {
    fc.assert(
      fc.property(topoGen, avnmGen, intentGen, (g, a, raw) => {
        const rules: AdminRuleSpec[] = a.rules.map((r, i) => ({
          name: `a${i}`,
          priority: 10 * (i + 1),
          direction: r.direction,
          access: r.access === "?" ? unknown(".access", `a${i}`) : (r.access as "Allow" | "Deny" | "AlwaysAllow"),
          protocol: r.protocol,
          src: [r.src],
          dst: [r.dst],
          dport: r.dport,
        }));
        const topo = withAvnm(build(g), { members: a.members, rules });
        const intent = intentOf(raw);
        if (!intent) return;
        const symbolic = verifyReach(engineEnv(topo, EMPTY_CATALOG), intent, { universe: UNIVERSE });
        const brute = bruteForce(engineEnv(topo, EMPTY_CATALOG), intent);
        expect({ intent: raw, verdict: symbolic.verdict }).toEqual({ intent: raw, verdict: brute.verdict });
        if (symbolic.verdict === "fail" && symbolic.counterexample) {
          const f = symbolic.counterexample.flow;
          const key = flowKey({ src: f.sourceAddress, dst: f.destinationAddress, protocol: protocolNumber(f.protocol), srcPort: f.sourcePort, dstPort: f.destinationPort });
          expect(brute.bad.has(key)).toBe(true);
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300), seed: Number(process.env.FC_SEED ?? 20261202) },
    );
  });
});

/**
 * Every ASG side rewritten as the prefixes of its members' addresses ("a rule naming an ASG applies only to member
 * NICs' IPs", azure-network-semantics.md), for topologies whose ASG members all have static addresses. An oracle
 * independent of how the engine binds ASG sides (to the evaluated NIC, to the packet's ends at an appliance hop).
 */
function asgsAsPrefixes(topo: Topology): Topology | undefined {
  const members = new Map<string, IpSet>();
  for (const nic of topo.nics.values()) {
    for (const cfg of nic.ipConfigurations) {
      if (isUnknown(cfg.asgKeys) || cfg.asgKeys.length === 0) continue;
      if (typeof cfg.privateIpAddress !== "string") return undefined;
      for (const k of cfg.asgKeys) members.set(k, (members.get(k) ?? IpSet.empty()).union(IpSet.fromAddress(cfg.privateIpAddress)));
    }
  }
  const side = (specs: SecurityRule["sources"]): SecurityRule["sources"] =>
    isUnknown(specs)
      ? specs
      : specs.map((s): AddressSpec => (s.kind === "asg" && !isUnknown(s.asgKey) ? { kind: "prefix", text: s.text, set: members.get(s.asgKey) ?? IpSet.empty() } : s));
  const nsgs = new Map([...topo.nsgs].map(([k, n]) => [k, { ...n, rules: n.rules.map((r) => ({ ...r, sources: side(r.sources), destinations: side(r.destinations) })) }]));
  return { ...topo, nsgs };
}

/** Topologies where subnet s1 sends everything through an appliance (n0, 10.0.2.4, in some ASGs), every NIC static. */
const asgRuleGen: fc.Arbitrary<RuleGen> = fc.record({
  direction: fc.constantFrom("Inbound", "Outbound"),
  access: fc.constantFrom<RuleGen["access"]>("Allow", "Deny", "Deny"),
  protocol: fc.constantFrom("Tcp", "*"),
  src: fc.constantFrom("*", "asg1", "asg2"),
  dst: fc.constantFrom("*", "asg1", "asg2"),
  dport: fc.constantFrom("*", "80"),
  priorityUnknown: fc.constant(false),
});

const applianceTopoGen: fc.Arbitrary<TopoGen> = fc
  .tuple(topoGen, fc.subarray(["asg1", "asg2"], { minLength: 1 }), fc.constantFrom("0.0.0.0/0", "10.0.0.0/16", "10.1.0.0/16"), asgRuleGen)
  .map(([g, asgs, prefix, extra]) => ({
  ...g,
  nsgs: [[extra, ...(g.nsgs[0] ?? [])], ...g.nsgs.slice(1)],
  subnetRt: [0, g.subnetRt[1] ?? null, g.subnetRt[2] ?? null],
  routeTables: [[{ prefix, nextHopType: "VirtualAppliance" as NextHopType, nextHopIp: "10.0.2.4" }], g.routeTables[1] ?? []],
  nics: [{ subnet: 1 as const, ip: 4 as const, nsg: 0, asgs, publicIp: false, ipForwarding: true, web: false }, ...g.nics.slice(1).map((n, i) => ({ ...n, ip: n.ip === "dynamic" ? ((4 + (i % 3)) as 4 | 5 | 6) : n.ip }))],
}));

/** Intents whose flows cross the appliance: from s1 (routed through n0) to elsewhere. */
const applianceIntentGen = fc.record({
  from: fc.constantFrom<Record<string, unknown>>({ subnet: "s1" }, { nic: "n1" }, { nic: "n2" }, { asg: "asg1" }),
  to: fc.constantFrom<Record<string, unknown>>({ subnet: "s2" }, { subnet: "s3" }, { nic: "n1" }, { nic: "n2" }, { nic: "n3" }, { asg: "asg2" }, { cidr: "203.0.113.0/30" }),
  protocol: fc.constantFrom("Tcp", "Any"),
  ports: fc.constantFrom("*", "80"),
  expect: fc.constantFrom("reachable", "unreachable"),
  layer: fc.constant("network"),
});

describe("ASG sides match their members' addresses, wherever the rule is evaluated (appliances included)", () => {
  test("the verdict is the same with every ASG written as its members' static addresses", () => {
    let compared = 0;
    fc.assert(
      fc.property(fc.oneof(topoGen, applianceTopoGen, applianceTopoGen), fc.oneof(intentGen, applianceIntentGen), (g, raw) => {
        const topo = build(g);
        const rewritten = asgsAsPrefixes(topo);
        const intent = intentOf(raw);
        // The selector {asg: ...} selects by membership, which the rewrite keeps; only the rules change.
        if (!intent || !rewritten) return;
        compared++;
        const a = verifyReach(engineEnv(topo, EMPTY_CATALOG), intent, { universe: UNIVERSE });
        const b = verifyReach(engineEnv(rewritten, EMPTY_CATALOG), intent, { universe: UNIVERSE });
        expect({ intent: raw, verdict: a.verdict }).toEqual({ intent: raw, verdict: b.verdict });
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300), seed: Number(process.env.FC_SEED ?? 20260101) },
    );
    expect(compared).toBeGreaterThan(50);
  });
});

function protocolNumber(name: string): number {
  const known: Record<string, number> = { TCP: 6, UDP: 17, ICMP: 1, ESP: 50, AH: 51 };
  return known[name] ?? Number(name.replace(/^PROTO-/, ""));
}
