/**
 * Random small topologies for the property tests (soundness.property.test.ts, test/engine/trace.property.test.ts):
 * NSGs with ASGs and service tags, UDRs, appliances, peering, static and dynamic addresses, public IPs, NIC-less
 * subnets, dual-stack plans, a few values unknown at preview.
 */
import fc from "fast-check";
import type { Access, NextHopType, Topology } from "../../src/model/topology";
import { IpSet } from "../../src/sets/ip-set";
import { unknown, type Maybe } from "../../src/model/unknown";
import { ModelBuilder, type RuleSpec } from "../helpers/model-builder";

// ---- the random topology -------------------------------------------------------------------------------------

export const SUBNETS = [
  { name: "s1", vnet: "A", prefix: "10.0.1.0/29" },
  { name: "s2", vnet: "A", prefix: "10.0.2.0/29" },
  { name: "s3", vnet: "B", prefix: "10.1.1.0/29" },
] as const;
const PREFIXES = ["*", "VirtualNetwork", "Internet", "10.0.1.0/29", "10.0.2.4", "10.0.0.0/16", "203.0.113.0/31", "10.1.0.0/16", "10.0.1.5"];

export interface RuleGen {
  direction: "Inbound" | "Outbound";
  access: "Allow" | "Deny" | "?";
  protocol: "Tcp" | "Udp" | "Icmp" | "*";
  src: string | "asg1" | "asg2";
  dst: string | "asg1" | "asg2";
  dport: "*" | "80" | "22" | "80-81";
  priorityUnknown: boolean;
}

export interface NicGen {
  subnet: 0 | 1 | 2;
  ip: "dynamic" | 4 | 5 | 6;
  nsg: number | null | "?";
  asgs: string[];
  publicIp: boolean;
  ipForwarding: boolean;
  web: boolean;
  v6?: boolean;
}

export interface TopoGen {
  /** IPv6 address spaces too (fd00:a::/48, fd00:b::/48; /125 per subnet), and an IPv6 configuration on some NICs. */
  dualStack?: boolean;
  vnetB: "none" | "peered" | "unpeered" | "peered-forwarding";
  nsgs: RuleGen[][];
  subnetNsg: Array<number | null>;
  subnetRt: Array<number | null>;
  routeTables: Array<Array<{ prefix: string; nextHopType: NextHopType; nextHopIp: string }>>;
  nics: NicGen[];
}

export const ruleGen: fc.Arbitrary<RuleGen> = fc.record({
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

export const topoGen: fc.Arbitrary<TopoGen> = fc.record({
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

export function build(g: TopoGen) {
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

/** Topologies where subnet s1 sends everything through an appliance (n0, 10.0.2.4, in some ASGs), every NIC static. */
export const asgRuleGen: fc.Arbitrary<RuleGen> = fc.record({
  direction: fc.constantFrom("Inbound", "Outbound"),
  access: fc.constantFrom<RuleGen["access"]>("Allow", "Deny", "Deny"),
  protocol: fc.constantFrom("Tcp", "*"),
  src: fc.constantFrom("*", "asg1", "asg2"),
  dst: fc.constantFrom("*", "asg1", "asg2"),
  dport: fc.constantFrom("*", "80"),
  priorityUnknown: fc.constant(false),
});

export const applianceTopoGen: fc.Arbitrary<TopoGen> = fc
  .tuple(topoGen, fc.subarray(["asg1", "asg2"], { minLength: 1 }), fc.constantFrom("0.0.0.0/0", "10.0.0.0/16", "10.1.0.0/16"), asgRuleGen)
  .map(([g, asgs, prefix, extra]) => ({
  ...g,
  nsgs: [[extra, ...(g.nsgs[0] ?? [])], ...g.nsgs.slice(1)],
  subnetRt: [0, g.subnetRt[1] ?? null, g.subnetRt[2] ?? null],
  routeTables: [[{ prefix, nextHopType: "VirtualAppliance" as NextHopType, nextHopIp: "10.0.2.4" }], g.routeTables[1] ?? []],
  nics: [{ subnet: 1 as const, ip: 4 as const, nsg: 0, asgs, publicIp: false, ipForwarding: true, web: false }, ...g.nics.slice(1).map((n, i) => ({ ...n, ip: n.ip === "dynamic" ? ((4 + (i % 3)) as 4 | 5 | 6) : n.ip }))],
}));

