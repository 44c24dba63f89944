/**
 * A deterministic synthetic Azure estate for benchmarks: hub and spoke VNets, subnets, NICs (static and dynamic
 * addresses), NSGs of R rules (prefixes, service tags, ASGs, plural fields, port ranges), route tables whose user
 * routes send traffic to appliances in the hub, peerings, and intents (concrete ones and symbolic subnet-to-subnet
 * ones). It is written twice, as the Pulumi CLI would write it:
 *
 * - a `pulumi stack export` (every id known, dynamic addresses allocated), and
 * - a first `pulumi preview --json` (every id and `resourceGroupName` the unknown sentinel, dynamic addresses absent,
 *   references resolved only through propertyDependencies, as the adapter does it at preview).
 *
 * Shapes follow the example files (examples/*\/stack-export.json and preview.json, produced by running real
 * azure-native v3 programs under Pulumi's mocks): azure-native type tokens, SDK property names, key-sorted property
 * maps, 2-space indentation. Files are streamed resource by resource, so L stays well under V8's string limit.
 *
 * Same size and seed, same bytes: nothing here reads the clock or Math.random.
 */
import * as fs from "fs";
import * as path from "path";

export const SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";
export const RG = "bench-rg";
const PROJECT = "bench-estate";
const STACK = "bench";
export const LOCATION = "westeurope";
export const STACK_URN = `urn:pulumi:${STACK}::${PROJECT}::pulumi:pulumi:Stack::${PROJECT}-${STACK}`;
export const RG_URN = `urn:pulumi:${STACK}::${PROJECT}::azure-native:resources:ResourceGroup::rg`;

export type SizeName = "S" | "M" | "L";

export interface EstateSize {
  readonly name: string;
  readonly nics: number;
  readonly nsgs: number;
  readonly rulesPerNsg: number;
  readonly routeTables: number;
  readonly routesPerTable: number;
  readonly intents: number;
  /** Spoke VNets (the hub comes on top). At most 250: spoke k is 10.k.0.0/16. */
  readonly spokes: number;
  /** Appliances (NVAs) in the hub, with IP forwarding. */
  readonly appliances: number;
  readonly seed: number;
}

export const SIZES: Readonly<Record<SizeName, EstateSize>> = {
  S: { name: "S", nics: 100, nsgs: 20, rulesPerNsg: 20, routeTables: 4, routesPerTable: 5, intents: 20, spokes: 4, appliances: 2, seed: 1 },
  M: { name: "M", nics: 10_000, nsgs: 1_000, rulesPerNsg: 50, routeTables: 200, routesPerTable: 20, intents: 500, spokes: 20, appliances: 4, seed: 2 },
  L: { name: "L", nics: 50_000, nsgs: 5_000, rulesPerNsg: 50, routeTables: 1_000, routesPerTable: 20, intents: 2_000, spokes: 100, appliances: 4, seed: 3 },
};

// ---- deterministic randomness -----------------------------------------------------------------------------------

/** mulberry32: small, fast, good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An independent stream per (seed, label, index): the two files see the same values in any order. */
export function streamFor(seed: number, label: string, index: number): () => number {
  let h = 2166136261 ^ seed;
  for (const ch of `${label}#${index}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return rng(h >>> 0);
}

function int(r: () => number, n: number): number {
  return Math.floor(r() * n);
}

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[int(r, list.length)];
}

// ---- the plan ---------------------------------------------------------------------------------------------------

type Tier = "web" | "app" | "db";
const TIERS: readonly Tier[] = ["web", "app", "db"];

interface VnetPlan {
  readonly name: string;
  readonly azureName: string;
  readonly prefix: string;
  /** 0 for the hub, k for spoke k. */
  readonly index: number;
}

interface SubnetPlan {
  readonly name: string;
  readonly azureName: string;
  readonly vnet: VnetPlan;
  readonly prefix: string;
  /** 10.k.j: the first three octets. */
  readonly base: string;
  readonly nsg?: NsgPlan;
  readonly routeTable?: RouteTablePlan;
  /** Hub subnets are declared inline in the hub VNet; spoke subnets are standalone Subnet resources. */
  readonly inline: boolean;
  /** The tier ASG its NSG's ASG rules name (spokes only). */
  readonly tier?: Tier;
}

interface NsgPlan {
  readonly name: string;
  readonly index: number;
  /** Spoke whose ASGs its rules may name (0: none). */
  readonly spoke: number;
  readonly tier: Tier;
  /** Rules as standalone SecurityRule resources instead of inline. */
  readonly standaloneRules: boolean;
}

interface RouteTablePlan {
  readonly name: string;
  readonly index: number;
  readonly spoke: number;
  readonly standaloneRoutes: boolean;
}

interface NicPlan {
  readonly name: string;
  readonly subnet: SubnetPlan;
  readonly address: string;
  readonly dynamic: boolean;
  readonly ipForwarding: boolean;
  readonly asg?: string;
  readonly tier?: Tier;
  readonly nsg?: NsgPlan;
  readonly vm?: string;
}

export interface EstatePlan {
  readonly size: EstateSize;
  readonly vnets: readonly VnetPlan[];
  readonly subnets: readonly SubnetPlan[];
  readonly nsgs: readonly NsgPlan[];
  readonly routeTables: readonly RouteTablePlan[];
  readonly nics: readonly NicPlan[];
  /** ASG logical names per spoke. */
  readonly asgs: ReadonlyArray<{ readonly name: string; readonly spoke: number; readonly tier: Tier }>;
  readonly peerings: ReadonlyArray<{ readonly name: string; readonly from: VnetPlan; readonly to: VnetPlan; readonly forwarded: boolean }>;
  readonly applianceIps: readonly string[];
}

/** Counts of what was generated (what the benchmark reports and the test checks). */
export interface EstateCounts {
  readonly vnets: number;
  readonly subnets: number;
  readonly nics: number;
  readonly staticNics: number;
  readonly dynamicNics: number;
  readonly nsgs: number;
  readonly rules: number;
  readonly routeTables: number;
  readonly routes: number;
  readonly asgs: number;
  readonly peerings: number;
  readonly vms: number;
  readonly intents: number;
  readonly reachIntents: number;
  readonly flowVerifyIntents: number;
  readonly resources: number;
}

const asgName = (spoke: number, tier: Tier): string => `spoke${spoke}-asg-${tier}`;

export function planEstate(size: EstateSize): EstatePlan {
  if (size.spokes < 1 || size.spokes > 250) throw new Error(`spokes must be 1..250, not ${size.spokes}`);
  const hub: VnetPlan = { name: "hub", azureName: "hub-vnet", prefix: "10.0.0.0/16", index: 0 };
  const spokes: VnetPlan[] = [];
  for (let k = 1; k <= size.spokes; k++) spokes.push({ name: `spoke${k}`, azureName: `spoke${k}-vnet`, prefix: `10.${k}.0.0/16`, index: k });

  // NSGs: one on the hub's shared subnet, one per spoke subnet, the rest on NICs (about a tenth).
  const nicNsgTarget = Math.max(size.spokes, Math.round(size.nsgs / 10));
  const subnetsPerSpoke = Math.max(1, Math.floor((size.nsgs - 1 - nicNsgTarget) / size.spokes));
  if (subnetsPerSpoke > 200) throw new Error("too many subnets per spoke (at most 200 /24s)");
  const nicNsgCount = Math.max(0, size.nsgs - 1 - subnetsPerSpoke * size.spokes);
  const nsgs: NsgPlan[] = [];
  const newNsg = (name: string, spoke: number, tier: Tier): NsgPlan => {
    const p: NsgPlan = { name, index: nsgs.length, spoke, tier, standaloneRules: nsgs.length % 10 === 5 };
    nsgs.push(p);
    return p;
  };

  // Route tables, round-robin over the spokes.
  const routeTables: RouteTablePlan[] = [];
  const tablesOf: RouteTablePlan[][] = spokes.map(() => []);
  for (let t = 0; t < size.routeTables; t++) {
    const spoke = (t % size.spokes) + 1;
    const p: RouteTablePlan = { name: `spoke${spoke}-rt${Math.floor(t / size.spokes)}`, index: t, spoke, standaloneRoutes: t % 10 === 3 };
    routeTables.push(p);
    tablesOf[spoke - 1].push(p);
  }

  const subnets: SubnetPlan[] = [];
  const hubNsg = newNsg("hub-shared-nsg", 0, "web");
  const nvaSubnet: SubnetPlan = { name: "hub-nva", azureName: "nva", vnet: hub, prefix: "10.0.1.0/24", base: "10.0.1", inline: true };
  const sharedSubnet: SubnetPlan = { name: "hub-shared", azureName: "shared", vnet: hub, prefix: "10.0.2.0/24", base: "10.0.2", nsg: hubNsg, inline: true };
  subnets.push(nvaSubnet, sharedSubnet);
  for (const v of spokes) {
    for (let j = 0; j < subnetsPerSpoke; j++) {
      const tier = TIERS[j % 3];
      const tables = tablesOf[v.index - 1];
      subnets.push({
        name: `${v.name}-sub${j}`,
        azureName: `sub${j}`,
        vnet: v,
        prefix: `10.${v.index}.${j}.0/24`,
        base: `10.${v.index}.${j}`,
        nsg: newNsg(`${v.name}-sub${j}-nsg`, v.index, tier),
        ...(tables.length > 0 ? { routeTable: tables[j % tables.length] } : {}),
        inline: false,
        tier,
      });
    }
  }
  const nicNsgsOf: NsgPlan[][] = spokes.map(() => []);
  for (let n = 0; n < nicNsgCount; n++) {
    const spoke = (n % size.spokes) + 1;
    const p = newNsg(`spoke${spoke}-nic-nsg${Math.floor(n / size.spokes)}`, spoke, TIERS[n % 3]);
    nicNsgsOf[spoke - 1].push(p);
  }

  // NICs: appliances and a few shared hosts in the hub, the rest spread over the spoke subnets.
  const nics: NicPlan[] = [];
  const applianceIps: string[] = [];
  for (let i = 0; i < size.appliances; i++) {
    const address = `10.0.1.${4 + i}`;
    applianceIps.push(address);
    nics.push({ name: `nva${i}-nic`, subnet: nvaSubnet, address, dynamic: false, ipForwarding: true, vm: `nva${i}` });
  }
  const hubHosts = Math.min(4, Math.max(0, size.nics - size.appliances));
  for (let i = 0; i < hubHosts; i++) nics.push({ name: `hub-shared-nic${i}`, subnet: sharedSubnet, address: `10.0.2.${4 + i}`, dynamic: false, ipForwarding: false });
  const spokeSubnets = subnets.filter((s) => s.vnet.index > 0);
  const rest = Math.max(0, size.nics - nics.length);
  const per = Math.floor(rest / spokeSubnets.length);
  const extra = rest % spokeSubnets.length;
  spokeSubnets.forEach((s, si) => {
    const count = per + (si < extra ? 1 : 0);
    if (count > 250) throw new Error("too many NICs per subnet (a /24 holds 251)");
    const own = nicNsgsOf[s.vnet.index - 1];
    const j = Number(s.base.split(".")[2]);
    for (let i = 0; i < count; i++) {
      const tiered = j % 2 === 0;
      const tier = tiered ? TIERS[i % 3] : undefined;
      nics.push({
        name: `${s.name}-nic${i}`,
        subnet: s,
        address: `${s.base}.${4 + i}`,
        dynamic: i % 3 === 2,
        ipForwarding: false,
        ...(tier ? { asg: asgName(s.vnet.index, tier), tier } : {}),
        ...(i % 4 === 0 && own.length > 0 ? { nsg: own[(j + i) % own.length] } : {}),
      });
    }
  });

  const asgs = spokes.flatMap((v) => TIERS.map((tier) => ({ name: asgName(v.index, tier), spoke: v.index, tier })));
  const peerings = spokes.flatMap((v) => [
    { name: `hub-to-${v.name}`, from: hub, to: v, forwarded: true },
    // Every seventh spoke does not accept forwarded traffic from the hub: spoke-to-spoke through the NVA stops there.
    { name: `${v.name}-to-hub`, from: v, to: hub, forwarded: v.index % 7 !== 0 },
  ]);
  return { size, vnets: [hub, ...spokes], subnets, nsgs, routeTables, nics, asgs, peerings, applianceIps };
}

// ---- rules, routes and intents (drawn per entity from its own stream) -------------------------------------------

export interface RuleSpec {
  readonly name: string;
  readonly priority: number;
  readonly direction: "Inbound" | "Outbound";
  readonly access: "Allow" | "Deny";
  readonly protocol: string;
  /** Property name -> value: the address and port fields, singular or plural, prefixes or ASG ids. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** ASG logical names the rule refers to (for propertyDependencies). */
  readonly asgRefs: readonly string[];
}

/** Deterministic public /24s (outside 10/8), for rules and routes. */
function publicPrefix(r: () => number): string {
  const first = pick(r, [20, 40, 52, 104, 137, 191]);
  return `${first}.${int(r, 256)}.${int(r, 256)}.0/24`;
}

function otherSpokeSubnet(plan: EstatePlan, r: () => number): string {
  const k = 1 + int(r, plan.size.spokes);
  const perSpoke = (plan.subnets.length - 2) / plan.size.spokes;
  return `10.${k}.${int(r, perSpoke)}.0/24`;
}

function portRange(r: () => number): string {
  const lo = 1024 + int(r, 60000);
  return `${lo}-${lo + int(r, 200)}`;
}

export function rulesOf(plan: EstatePlan, nsg: NsgPlan): RuleSpec[] {
  const r = streamFor(plan.size.seed, "nsg", nsg.index);
  const asg = nsg.spoke > 0 ? asgName(nsg.spoke, nsg.tier) : undefined;
  const out: RuleSpec[] = [];
  const spokeRange = (): string => `10.${1 + int(r, plan.size.spokes)}.0.0/16`;
  const any = { sourcePortRange: "*" };
  type Drawn = Omit<RuleSpec, "priority" | "asgRefs"> & { asgRefs?: string[] };
  const build = (template: number, n: (s: string) => string): Drawn => {
    let rule: Drawn;
    switch (template) {
      case 0: // the baseline the spoke-to-spoke intents rely on
        rule = { name: n("allow-https-vnet"), direction: "Inbound", access: "Allow", protocol: "Tcp", fields: { ...any, sourceAddressPrefix: "VirtualNetwork", destinationAddressPrefix: "*", destinationPortRange: "443" } };
        break;
      case 1:
        rule = { name: n("deny-mgmt-internet"), direction: "Inbound", access: "Deny", protocol: "Tcp", fields: { ...any, sourceAddressPrefix: "Internet", destinationAddressPrefix: "*", destinationPortRanges: ["22", "3389"] } };
        break;
      case 2:
        rule = {
          name: n("allow-app-ports"),
          direction: "Inbound",
          access: pick(r, ["Allow", "Allow", "Deny"] as const),
          protocol: "Tcp",
          fields: {
            ...any,
            sourceAddressPrefixes: [otherSpokeSubnet(plan, r), otherSpokeSubnet(plan, r), otherSpokeSubnet(plan, r)],
            ...(asg ? { destinationApplicationSecurityGroups: [{ id: asg }] } : { destinationAddressPrefix: "*" }),
            destinationPortRanges: ["8000-8100", String(9000 + int(r, 900))],
          },
          ...(asg ? { asgRefs: [asg] } : {}),
        };
        break;
      case 3:
        rule = { name: n("deny-dns-from-net"), direction: "Inbound", access: "Deny", protocol: "Udp", fields: { ...any, sourceAddressPrefix: publicPrefix(r), destinationAddressPrefix: "*", destinationPortRange: "53" } };
        break;
      case 4:
        rule = { name: n("allow-lb-probe"), direction: "Inbound", access: "Allow", protocol: "*", fields: { ...any, sourceAddressPrefix: "AzureLoadBalancer", destinationAddressPrefix: "*", destinationPortRange: "*" } };
        break;
      case 5:
        rule = { name: n("allow-storage"), direction: "Outbound", access: "Allow", protocol: "Tcp", fields: { ...any, sourceAddressPrefix: "VirtualNetwork", destinationAddressPrefix: "Storage.WestEurope", destinationPortRange: "443" } };
        break;
      case 6:
        rule = { name: n("deny-smtp-out"), direction: "Outbound", access: "Deny", protocol: "Tcp", fields: { ...any, sourceAddressPrefix: "*", destinationAddressPrefix: "Internet", destinationPortRanges: ["25", "465", "587"] } };
        break;
      case 7:
        rule = { name: n("allow-db-out"), direction: "Outbound", access: "Allow", protocol: "Tcp", fields: { ...any, sourceAddressPrefix: "*", destinationAddressPrefix: spokeRange(), destinationPortRanges: ["1433", "5432"] } };
        break;
      case 8:
        rule = {
          name: n("allow-ssh-from-asg"),
          direction: "Inbound",
          access: "Allow",
          protocol: "Tcp",
          fields: { ...any, ...(asg ? { sourceApplicationSecurityGroups: [{ id: asg }] } : { sourceAddressPrefix: "10.0.2.0/24" }), destinationAddressPrefix: "*", destinationPortRange: "22" },
          ...(asg ? { asgRefs: [asg] } : {}),
        };
        break;
      case 9:
        rule = { name: n("allow-icmp-vnet"), direction: "Inbound", access: "Allow", protocol: "Icmp", fields: { ...any, sourceAddressPrefix: "VirtualNetwork", destinationAddressPrefix: "*", destinationPortRange: "*" } };
        break;
      case 10:
        rule = { name: n("deny-bad-range"), direction: "Inbound", access: "Deny", protocol: "*", fields: { ...any, sourceAddressPrefixes: [publicPrefix(r), publicPrefix(r)], destinationAddressPrefix: "*", destinationPortRange: "*" } };
        break;
      case 11:
        rule = { name: n("allow-dns-out"), direction: "Outbound", access: "Allow", protocol: "Udp", fields: { ...any, sourceAddressPrefix: "*", destinationAddressPrefix: "VirtualNetwork", destinationPortRange: "53" } };
        break;
      case 12:
        rule = {
          name: n("allow-range"),
          direction: "Inbound",
          access: pick(r, ["Allow", "Deny"] as const),
          protocol: pick(r, ["Tcp", "Udp"]),
          fields: { sourcePortRanges: ["1024-65535"], sourceAddressPrefix: otherSpokeSubnet(plan, r), destinationAddressPrefix: otherSpokeSubnet(plan, r), destinationPortRange: portRange(r) },
        };
        break;
      case 13:
        rule = { name: n("deny-sql-out"), direction: "Outbound", access: "Deny", protocol: "Tcp", fields: { ...any, sourceAddressPrefix: "*", destinationAddressPrefix: "Sql.WestEurope", destinationPortRange: "1433" } };
        break;
      default: // the last rule: an explicit low-priority deny of everything else from the internet
        rule = { name: n("deny-internet-in"), direction: "Inbound", access: "Deny", protocol: "*", fields: { ...any, sourceAddressPrefix: "Internet", destinationAddressPrefix: "*", destinationPortRange: "*" } };
    }
    return rule;
  };
  // No two rules of one NSG say the same thing (issue 19: in generator version 2, 42% of the rules were exact
  // duplicates of an earlier rule of their NSG, and every shadowed-rule finding at M was one). A template without
  // parameters is drawn at most once per NSG; a drawn rule whose content (everything but name and priority) an
  // earlier rule of the NSG already has is drawn again, from the same stream, so the result stays deterministic.
  const seen = new Set<string>();
  const contentKey = (d: Drawn): string => JSON.stringify([d.direction, d.access, d.protocol, d.fields]);
  for (let i = 0; i < plan.size.rulesPerNsg; i++) {
    const priority = 100 + i * 10;
    const n = (s: string): string => `r${String(i).padStart(2, "0")}-${s}`;
    const fixed = i === 0 ? 0 : i === 1 ? 1 : i === plan.size.rulesPerNsg - 1 ? 99 : undefined;
    let rule = build(fixed ?? 2 + int(r, 12), n);
    // Template 12 (a random port range between two random subnets) has millions of variants: it always ends the search.
    for (let attempt = 0; fixed === undefined && seen.has(contentKey(rule)); attempt++) rule = build(attempt < 24 ? 2 + int(r, 12) : 12, n);
    seen.add(contentKey(rule));
    out.push({ ...rule, priority, asgRefs: rule.asgRefs ?? [] });
  }
  return out;
}

export interface RouteSpec {
  readonly name: string;
  readonly addressPrefix: string;
  readonly nextHopType: string;
  readonly nextHopIpAddress?: string;
}

export function routesOf(plan: EstatePlan, table: RouteTablePlan): RouteSpec[] {
  const r = streamFor(plan.size.seed, "rt", table.index);
  const nva = (i: number): string => plan.applianceIps[i % plan.applianceIps.length];
  // Half the tables send everything through the hub (which makes every address "VirtualNetwork" for their subnets'
  // NSGs: user route prefixes join the tag), the other half only private space; the internet goes out directly.
  const out: RouteSpec[] = [
    (table.spoke + Math.floor(table.index / plan.size.spokes)) % 2 === 1
      ? { name: "default-via-nva", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: nva(table.spoke) }
      : { name: "private-via-nva", addressPrefix: "10.0.0.0/8", nextHopType: "VirtualAppliance", nextHopIpAddress: nva(table.spoke) },
    { name: "hub-via-nva", addressPrefix: "10.0.0.0/16", nextHopType: "VirtualAppliance", nextHopIpAddress: nva(table.spoke) },
  ];
  const used = new Set(out.map((x) => x.addressPrefix));
  for (let i = out.length; i < plan.size.routesPerTable; i++) {
    let route: RouteSpec | undefined;
    for (let attempt = 0; attempt < 20 && !route; attempt++) {
      const kind = int(r, 4);
      const cand: RouteSpec =
        kind === 0
          ? { name: `spoke-via-nva-${i}`, addressPrefix: `10.${1 + int(r, plan.size.spokes)}.0.0/16`, nextHopType: "VirtualAppliance", nextHopIpAddress: nva(i) }
          : kind === 1
            ? { name: `blackhole-${i}`, addressPrefix: `10.${table.spoke}.${201 + int(r, 50)}.0/24`, nextHopType: "None" }
            : kind === 2
              ? { name: `direct-internet-${i}`, addressPrefix: publicPrefix(r), nextHopType: "Internet" }
              : { name: `subnet-via-nva-${i}`, addressPrefix: otherSpokeSubnet(plan, r), nextHopType: "VirtualAppliance", nextHopIpAddress: nva(i + 1) };
      if (cand.addressPrefix === `10.${table.spoke}.0.0/16` || used.has(cand.addressPrefix)) continue;
      route = cand;
    }
    if (!route) continue;
    used.add(route.addressPrefix);
    out.push(route);
  }
  return out;
}

/** Intents as a user writes them (the intents file). */
export function intentsOf(plan: EstatePlan): Array<Record<string, unknown>> {
  const r = streamFor(plan.size.seed, "intents", 0);
  const spokeSubnets = plan.subnets.filter((s) => s.vnet.index > 0);
  const staticNics = plan.nics.filter((n) => !n.dynamic && n.subnet.vnet.index > 0);
  const out: Array<Record<string, unknown>> = [];
  const subnet = (): SubnetPlan => pick(r, spokeSubnets);
  for (let i = 0; out.length < plan.size.intents; i++) {
    const name = (s: string): string => `i${String(i).padStart(4, "0")}-${s}`;
    const kind = i % 20;
    if (kind <= 6) {
      const a = subnet();
      const b = subnet();
      out.push({ name: name("subnet-https"), from: { subnet: a.name }, to: { subnet: b.name }, protocol: "Tcp", ports: "443", expect: "reachable" });
    } else if (kind <= 8) {
      out.push({ name: name("no-ssh-between"), from: { subnet: subnet().name }, to: { subnet: subnet().name }, protocol: "Tcp", ports: "22", expect: "unreachable", enforcement: "advisory" });
    } else if (kind === 9) {
      out.push({ name: name("no-mgmt-from-internet"), from: { serviceTag: "Internet" }, to: { vnet: `spoke${1 + int(r, plan.size.spokes)}` }, protocol: "Tcp", ports: "22,3389", expect: "unreachable" });
    } else if (kind <= 12) {
      const a = pick(r, staticNics);
      const b = pick(r, staticNics);
      out.push({ name: name("nic-https"), from: { nic: a.name }, to: { nic: b.name }, protocol: "Tcp", ports: "443", expect: "reachable" });
    } else if (kind <= 14) {
      const nic = pick(r, staticNics);
      const remote = pick(r, staticNics);
      out.push({
        name: name("verify-https-in"),
        ipFlowVerify: { nic: nic.name, direction: "Inbound", protocol: "TCP", local: `${nic.address}:443`, remote: `${remote.address}:50000` },
        expect: "Allow",
        ...(i % 40 === 13 ? { ruleName: "securityRules/r00-allow-https-vnet" } : {}),
      });
    } else if (kind === 15) {
      const s = subnet();
      out.push({ name: name("cidr-to-asg"), from: { cidr: subnet().prefix }, to: { asg: asgName(s.vnet.index, "web") }, protocol: "Tcp", ports: "8000-8100", expect: "reachable", enforcement: "advisory" });
    } else if (kind === 16) {
      out.push({ name: name("nsg-only-dns"), from: { subnet: subnet().name }, to: { subnet: subnet().name }, protocol: "Udp", ports: "53", expect: "reachable", layer: "nsg", enforcement: "advisory" });
    } else if (kind === 17) {
      const tagged = i % 100 === 17;
      out.push(
        tagged
          ? { name: name("web-tier-to-db"), from: { tag: { tier: "web" } }, to: { subnet: subnet().name }, protocol: "Tcp", ports: "1433", expect: "unreachable", enforcement: "advisory" }
          : { name: name("icmp-between"), from: { subnet: subnet().name }, to: { subnet: subnet().name }, protocol: "Icmp", expect: "reachable", enforcement: "advisory" },
      );
    } else if (kind === 18) {
      out.push({ name: name("nva-to-subnet"), from: { ip: pick(r, plan.applianceIps) }, to: { subnet: subnet().name }, protocol: "Tcp", ports: "443", expect: "reachable" });
    } else {
      const s = subnet();
      out.push({ name: name("vnet-to-nic-sql"), from: { vnet: s.vnet.name }, to: { nic: pick(r, staticNics).name }, protocol: "Tcp", ports: "1433", expect: "unreachable", enforcement: "advisory" });
    }
  }
  return out;
}

/** A synthetic Service Tags file (Microsoft's format) for the tags the rules name. */
export function serviceTagsOf(plan: EstatePlan): object {
  return serviceTagsFor(plan.size.seed);
}

/** The same file for a seed (the landing-zone family names the same tags). */
export function serviceTagsFor(seed: number): object {
  const r = streamFor(seed, "tags", 0);
  const tag = (name: string, count: number): object => {
    const prefixes = new Set<string>();
    while (prefixes.size < count) prefixes.add(`${pick(r, [13, 20, 40, 51, 52, 57, 104])}.${int(r, 256)}.${int(r, 64) * 4}.0/${pick(r, [22, 23, 24, 26, 28])}`);
    return { name, id: name, properties: { changeNumber: 1, region: "westeurope", regionId: 18, platform: "Azure", systemService: name.split(".")[0], addressPrefixes: [...prefixes].sort() } };
  };
  return { changeNumber: 1, cloud: "Public", values: [tag("Storage.WestEurope", 120), tag("Sql.WestEurope", 60), tag("AzureMonitor", 40)] };
}

// ---- rendering ----------------------------------------------------------------------------------------------------

export type FileKind = "export" | "preview";

export const urnOf = (type: string, name: string): string => `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;
export const armId = (type: string, name: string): string => `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Network/${type}/${name}`;

const T = {
  vnet: "azure-native:network:VirtualNetwork",
  subnet: "azure-native:network:Subnet",
  nsg: "azure-native:network:NetworkSecurityGroup",
  rule: "azure-native:network:SecurityRule",
  nic: "azure-native:network:NetworkInterface",
  asg: "azure-native:network:ApplicationSecurityGroup",
  rt: "azure-native:network:RouteTable",
  route: "azure-native:network:Route",
  peering: "azure-native:network:VirtualNetworkPeering",
  vm: "azure-native:compute:VirtualMachine",
} as const;

/** Go's encoding/json sorts map keys: Pulumi's files have every property map key-sorted. */
function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) if (o[k] !== undefined) out[k] = sorted(o[k]);
  return out;
}

export interface State {
  readonly urn: string;
  readonly type: string;
  /** Known ARM id (export). */
  readonly id: string;
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
  readonly dependencies: readonly string[];
  readonly propertyDependencies: Record<string, readonly string[]>;
}

function exportResource(s: State): Record<string, unknown> {
  return {
    urn: s.urn,
    custom: true,
    id: s.id,
    type: s.type,
    inputs: sorted(s.inputs),
    outputs: sorted(s.outputs),
    parent: STACK_URN,
    dependencies: s.dependencies,
    propertyDependencies: s.propertyDependencies,
  };
}

function previewStep(s: State): Record<string, unknown> {
  return {
    op: "create",
    urn: s.urn,
    newState: { urn: s.urn, custom: true, type: s.type, inputs: sorted(s.inputs), outputs: sorted(s.outputs), parent: STACK_URN, dependencies: s.dependencies, propertyDependencies: s.propertyDependencies },
  };
}

/** How both estate families spell a resource for one file kind (the export's values, or a first preview's unknowns). */
export interface RenderKit {
  readonly pv: boolean;
  /** A reference to another resource: its id in the export, the sentinel at a first preview. */
  readonly ref: (id: string) => { id: string };
  readonly rgName: string;
  readonly common: (extra: Record<string, unknown>) => Record<string, unknown>;
  /** Outputs: inputs plus the id and name once deployed; at a first preview, inputs plus unknown ids of children. */
  readonly outputs: (inputs: Record<string, unknown>, id: string, name: string, drop: readonly string[]) => Record<string, unknown>;
  readonly rgDeps: { resourceGroupName: string[] };
  /**
   * A NIC's one IP configuration: `extra` (ASGs, public IP, pools) after its subnet; its id only `withId` (outputs),
   * and a dynamic address only once `deployed`.
   */
  readonly ipConfig: (nicId: string, nic: { readonly dynamic: boolean; readonly address: string }, subnetId: string, extra: Record<string, unknown>, deployed: boolean, withId: boolean) => Record<string, unknown>;
}

export function renderKit(kind: FileKind): RenderKit {
  const pv = kind === "preview";
  const rgName = pv ? SENTINEL : RG;
  return {
    pv,
    ref: (id) => ({ id: pv ? SENTINEL : id }),
    rgName,
    common: (extra) => ({ location: LOCATION, resourceGroupName: rgName, ...extra }),
    outputs: (inputs, id, name, drop) => {
      const o: Record<string, unknown> = { ...inputs };
      for (const k of drop) delete o[k];
      if (!pv) {
        delete o.resourceGroupName;
        o.id = id;
        o.name = name;
      }
      return o;
    },
    rgDeps: { resourceGroupName: [RG_URN] },
    ipConfig: (nicId, nic, subnet, extra, deployed, withId) => ({
      name: "ipconfig1",
      primary: true,
      privateIPAllocationMethod: nic.dynamic ? "Dynamic" : "Static",
      // A dynamic address is allocated at deployment: in the export's outputs, never in the inputs or a first preview.
      ...(!nic.dynamic || deployed ? { privateIPAddress: nic.address } : {}),
      subnet: { id: pv ? SENTINEL : subnet },
      ...extra,
      ...(withId ? { id: pv ? SENTINEL : `${nicId}/ipConfigurations/ipconfig1` } : {}),
    }),
  };
}

/** Renders every resource of the estate for one file kind, in a stable order. */
export function* states(plan: EstatePlan, kind: FileKind): Generator<State> {
  const { pv, ref, rgName, common, outputs, rgDeps, ipConfig } = renderKit(kind);

  // Network security groups and their rules.
  const asgIds = new Map(plan.asgs.map((a) => [a.name, armId("applicationSecurityGroups", a.name)] as const));
  for (const a of plan.asgs) {
    const id = armId("applicationSecurityGroups", a.name);
    const inputs = common({ applicationSecurityGroupName: a.name });
    yield { urn: urnOf(T.asg, a.name), type: T.asg, id, inputs, outputs: outputs(inputs, id, a.name, ["applicationSecurityGroupName"]), dependencies: [RG_URN], propertyDependencies: rgDeps };
  }
  const ruleBody = (nsgId: string, rule: RuleSpec, withId: boolean): Record<string, unknown> => {
    const fields: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(rule.fields)) {
      fields[k] = Array.isArray(v) && typeof v[0] === "object" ? (v as Array<{ id: string }>).map((x) => ref(asgIds.get(x.id) ?? x.id)) : v;
    }
    const body: Record<string, unknown> = { name: rule.name, priority: rule.priority, direction: rule.direction, access: rule.access, protocol: rule.protocol, ...fields };
    if (withId) body.id = pv ? SENTINEL : `${nsgId}/securityRules/${rule.name}`;
    return body;
  };
  for (const nsg of plan.nsgs) {
    const id = armId("networkSecurityGroups", nsg.name);
    const urn = urnOf(T.nsg, nsg.name);
    const rules = rulesOf(plan, nsg);
    const asgUrns = [...new Set(rules.flatMap((r) => r.asgRefs))].map((a) => urnOf(T.asg, a));
    if (nsg.standaloneRules) {
      const inputs = common({ networkSecurityGroupName: nsg.name });
      yield { urn, type: T.nsg, id, inputs, outputs: outputs(inputs, id, nsg.name, ["networkSecurityGroupName"]), dependencies: [RG_URN], propertyDependencies: rgDeps };
      for (const rule of rules) {
        const ruleName = `${nsg.name}-${rule.name}`;
        const ruleId = `${id}/securityRules/${rule.name}`;
        const body = ruleBody(id, rule, false);
        const { name: _ignored, ...fields } = body;
        void _ignored;
        const inputs = { ...fields, networkSecurityGroupName: pv ? SENTINEL : nsg.name, resourceGroupName: rgName, securityRuleName: rule.name };
        const deps: Record<string, string[]> = { networkSecurityGroupName: [urn], resourceGroupName: [RG_URN] };
        const refs = rule.asgRefs.map((a) => urnOf(T.asg, a));
        if (refs.length > 0) {
          if ("sourceApplicationSecurityGroups" in rule.fields) deps.sourceApplicationSecurityGroups = refs;
          if ("destinationApplicationSecurityGroups" in rule.fields) deps.destinationApplicationSecurityGroups = refs;
        }
        yield {
          urn: urnOf(T.rule, ruleName),
          type: T.rule,
          id: ruleId,
          inputs,
          outputs: outputs(inputs, ruleId, rule.name, ["networkSecurityGroupName", "securityRuleName"]),
          dependencies: [urn, RG_URN, ...refs],
          propertyDependencies: sortedDeps(deps),
        };
      }
    } else {
      const inputs = common({ networkSecurityGroupName: nsg.name, securityRules: rules.map((r) => ruleBody(id, r, false)) });
      const out = outputs(inputs, id, nsg.name, ["networkSecurityGroupName"]);
      out.securityRules = rules.map((r) => ruleBody(id, r, true));
      yield {
        urn,
        type: T.nsg,
        id,
        inputs,
        outputs: out,
        dependencies: [RG_URN, ...asgUrns],
        propertyDependencies: sortedDeps({ ...rgDeps, ...(asgUrns.length > 0 ? { securityRules: asgUrns } : {}) }),
      };
    }
  }

  // Route tables and their routes.
  for (const table of plan.routeTables) {
    const id = armId("routeTables", table.name);
    const urn = urnOf(T.rt, table.name);
    const routes = routesOf(plan, table);
    const body = (r: RouteSpec, withId: boolean): Record<string, unknown> => ({ ...r, ...(withId ? { id: pv ? SENTINEL : `${id}/routes/${r.name}` } : {}) });
    if (table.standaloneRoutes) {
      const inputs = common({ routeTableName: table.name });
      yield { urn, type: T.rt, id, inputs, outputs: outputs(inputs, id, table.name, ["routeTableName"]), dependencies: [RG_URN], propertyDependencies: rgDeps };
      for (const r of routes) {
        const routeId = `${id}/routes/${r.name}`;
        const { name: _n, ...fields } = r;
        void _n;
        const inputs = { ...fields, resourceGroupName: rgName, routeName: r.name, routeTableName: pv ? SENTINEL : table.name };
        yield {
          urn: urnOf(T.route, `${table.name}-${r.name}`),
          type: T.route,
          id: routeId,
          inputs,
          outputs: outputs(inputs, routeId, r.name, ["routeName", "routeTableName"]),
          dependencies: [RG_URN, urn],
          propertyDependencies: { resourceGroupName: [RG_URN], routeTableName: [urn] },
        };
      }
    } else {
      const inputs = common({ routeTableName: table.name, routes: routes.map((r) => body(r, false)) });
      const out = outputs(inputs, id, table.name, ["routeTableName"]);
      out.routes = routes.map((r) => body(r, true));
      yield { urn, type: T.rt, id, inputs, outputs: out, dependencies: [RG_URN], propertyDependencies: rgDeps };
    }
  }

  // VNets (the hub with inline subnets), standalone spoke subnets, peerings.
  const nsgId = (n: NsgPlan): string => armId("networkSecurityGroups", n.name);
  const rtId = (t: RouteTablePlan): string => armId("routeTables", t.name);
  const vnetId = (v: VnetPlan): string => armId("virtualNetworks", v.azureName);
  const subnetId = (s: SubnetPlan): string => `${vnetId(s.vnet)}/subnets/${s.azureName}`;
  for (const v of plan.vnets) {
    const id = vnetId(v);
    const urn = urnOf(T.vnet, v.name);
    const inline = plan.subnets.filter((s) => s.inline && s.vnet === v);
    const subnetBody = (s: SubnetPlan, withId: boolean): Record<string, unknown> => ({
      name: s.azureName,
      addressPrefix: s.prefix,
      ...(s.nsg ? { networkSecurityGroup: ref(nsgId(s.nsg)) } : {}),
      ...(s.routeTable ? { routeTable: ref(rtId(s.routeTable)) } : {}),
      ...(withId ? { id: pv ? SENTINEL : subnetId(s) } : {}),
    });
    const inputs = common({
      addressSpace: { addressPrefixes: [v.prefix] },
      enableDdosProtection: false,
      enableVmProtection: false,
      virtualNetworkName: v.azureName,
      ...(inline.length > 0 ? { subnets: inline.map((s) => subnetBody(s, false)) } : {}),
    });
    const out = outputs(inputs, id, v.azureName, ["virtualNetworkName"]);
    if (inline.length > 0) out.subnets = inline.map((s) => subnetBody(s, true));
    const refUrns = [...new Set(inline.flatMap((s) => [...(s.nsg ? [urnOf(T.nsg, s.nsg.name)] : []), ...(s.routeTable ? [urnOf(T.rt, s.routeTable.name)] : [])]))];
    yield { urn, type: T.vnet, id, inputs, outputs: out, dependencies: [RG_URN, ...refUrns], propertyDependencies: sortedDeps({ ...rgDeps, ...(refUrns.length > 0 ? { subnets: refUrns } : {}) }) };
  }
  for (const s of plan.subnets) {
    if (s.inline) continue;
    const id = subnetId(s);
    const vnetUrn = urnOf(T.vnet, s.vnet.name);
    const inputs: Record<string, unknown> = {
      addressPrefix: s.prefix,
      ...(s.nsg ? { networkSecurityGroup: ref(nsgId(s.nsg)) } : {}),
      ...(s.routeTable ? { routeTable: ref(rtId(s.routeTable)) } : {}),
      resourceGroupName: rgName,
      subnetName: s.azureName,
      virtualNetworkName: pv ? SENTINEL : s.vnet.azureName,
    };
    const out = outputs(inputs, id, s.azureName, ["subnetName", "virtualNetworkName"]);
    out.privateEndpointNetworkPolicies = "Disabled";
    out.privateLinkServiceNetworkPolicies = "Enabled";
    const deps: Record<string, string[]> = { resourceGroupName: [RG_URN], virtualNetworkName: [vnetUrn] };
    if (s.nsg) deps.networkSecurityGroup = [urnOf(T.nsg, s.nsg.name)];
    if (s.routeTable) deps.routeTable = [urnOf(T.rt, s.routeTable.name)];
    yield { urn: urnOf(T.subnet, s.name), type: T.subnet, id, inputs, outputs: out, dependencies: [...(s.nsg ? [urnOf(T.nsg, s.nsg.name)] : []), RG_URN, ...(s.routeTable ? [urnOf(T.rt, s.routeTable.name)] : []), vnetUrn], propertyDependencies: sortedDeps(deps) };
  }
  for (const p of plan.peerings) {
    const id = `${vnetId(p.from)}/virtualNetworkPeerings/${p.name}`;
    const fromUrn = urnOf(T.vnet, p.from.name);
    const toUrn = urnOf(T.vnet, p.to.name);
    const inputs = {
      allowForwardedTraffic: p.forwarded,
      allowGatewayTransit: false,
      allowVirtualNetworkAccess: true,
      remoteVirtualNetwork: ref(vnetId(p.to)),
      resourceGroupName: rgName,
      useRemoteGateways: false,
      virtualNetworkName: pv ? SENTINEL : p.from.azureName,
      virtualNetworkPeeringName: p.name,
    };
    yield {
      urn: urnOf(T.peering, p.name),
      type: T.peering,
      id,
      inputs,
      outputs: outputs(inputs, id, p.name, ["virtualNetworkName", "virtualNetworkPeeringName"]),
      dependencies: [RG_URN, fromUrn, toUrn],
      propertyDependencies: { remoteVirtualNetwork: [toUrn], resourceGroupName: [RG_URN], virtualNetworkName: [fromUrn] },
    };
  }

  // NICs (and the appliances' VMs).
  for (const n of plan.nics) {
    const id = armId("networkInterfaces", n.name);
    const urn = urnOf(T.nic, n.name);
    const subnetUrn = n.subnet.inline ? urnOf(T.vnet, n.subnet.vnet.name) : urnOf(T.subnet, n.subnet.name);
    const extra = n.asg ? { applicationSecurityGroups: [ref(asgIds.get(n.asg) as string)] } : {};
    const cfg = (deployed: boolean, withId: boolean): Record<string, unknown> => ipConfig(id, n, subnetId(n.subnet), extra, deployed, withId);
    const inputs = common({
      enableIPForwarding: n.ipForwarding,
      ipConfigurations: [cfg(false, false)],
      networkInterfaceName: n.name,
      ...(n.nsg ? { networkSecurityGroup: ref(nsgId(n.nsg)) } : {}),
      ...(n.tier ? { tags: { env: "bench", tier: n.tier } } : {}),
    });
    const out = outputs(inputs, id, n.name, ["networkInterfaceName"]);
    out.ipConfigurations = [cfg(!pv, true)];
    const cfgDeps = [subnetUrn, ...(n.asg ? [urnOf(T.asg, n.asg)] : [])];
    const deps: Record<string, string[]> = { ipConfigurations: cfgDeps, resourceGroupName: [RG_URN] };
    if (n.nsg) deps.networkSecurityGroup = [urnOf(T.nsg, n.nsg.name)];
    yield { urn, type: T.nic, id, inputs, outputs: out, dependencies: [...cfgDeps, ...(n.nsg ? [urnOf(T.nsg, n.nsg.name)] : []), RG_URN], propertyDependencies: sortedDeps(deps) };
    if (n.vm) {
      const vmId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Compute/virtualMachines/${n.vm}`;
      const vmInputs = common({
        hardwareProfile: { vmSize: "Standard_D2s_v5" },
        networkProfile: { networkInterfaces: [{ id: pv ? SENTINEL : id, primary: true }] },
        osProfile: { adminUsername: "azureuser", computerName: n.vm, linuxConfiguration: { disablePasswordAuthentication: true } },
        storageProfile: { imageReference: { offer: "ubuntu-24_04-lts", publisher: "Canonical", sku: "server", version: "latest" }, osDisk: { createOption: "FromImage" } },
        vmName: n.vm,
      });
      yield {
        urn: urnOf(T.vm, n.vm),
        type: T.vm,
        id: vmId,
        inputs: vmInputs,
        outputs: outputs(vmInputs, vmId, n.vm, ["vmName"]),
        dependencies: [urn, RG_URN],
        propertyDependencies: { networkProfile: [urn], resourceGroupName: [RG_URN] },
      };
    }
  }
}

export function sortedDeps(deps: Record<string, readonly string[]>): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = {};
  for (const k of Object.keys(deps).sort()) out[k] = deps[k];
  return out;
}

/** Indents a JSON text block (2 spaces per level) so it nests inside the document being streamed. */
function nested(value: unknown, depth: number): string {
  const pad = "  ".repeat(depth);
  return pad + JSON.stringify(value, null, 2).replace(/\n/g, `\n${pad}`);
}

/** Writes a file kind to `file`, streaming one resource at a time; returns the number of resources. */
export function writeEstateFile(plan: EstatePlan, kind: FileKind, file: string): number {
  return writeStatesFile(kind, file, states(plan, kind));
}

/** Writes rendered resources (any family's) as a stack export or a first preview, streaming; returns the count. */
export function writeStatesFile(kind: FileKind, file: string, rendered: Iterable<State>): number {
  const fd = fs.openSync(file, "w");
  let count = 0;
  let buffer = "";
  const flush = (force: boolean): void => {
    if (buffer.length > (force ? 0 : 1 << 20)) {
      fs.writeSync(fd, buffer);
      buffer = "";
    }
  };
  const head = (s: State): unknown => (kind === "export" ? exportResource(s) : previewStep(s));
  try {
    const fixed: unknown[] =
      kind === "export"
        ? [
            { urn: STACK_URN, custom: false, type: "pulumi:pulumi:Stack", inputs: {}, outputs: {}, dependencies: [], propertyDependencies: {} },
            { urn: RG_URN, custom: true, id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}`, type: "azure-native:resources:ResourceGroup", inputs: { location: LOCATION, resourceGroupName: RG }, outputs: { id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}`, location: LOCATION, name: RG }, parent: STACK_URN, dependencies: [], propertyDependencies: {} },
          ]
        : [
            { op: "create", urn: STACK_URN, newState: { urn: STACK_URN, custom: false, type: "pulumi:pulumi:Stack", inputs: {}, outputs: {}, dependencies: [], propertyDependencies: {} } },
            { op: "create", urn: RG_URN, newState: { urn: RG_URN, custom: true, type: "azure-native:resources:ResourceGroup", inputs: { location: LOCATION, resourceGroupName: RG }, outputs: { location: LOCATION, resourceGroupName: RG }, parent: STACK_URN, dependencies: [], propertyDependencies: {} } },
          ];
    buffer +=
      kind === "export"
        ? `{\n  "version": 3,\n  "deployment": {\n    "manifest": {\n      "time": "2026-01-01T00:00:00Z",\n      "magic": "",\n      "version": "v3.270.0"\n    },\n    "resources": [\n`
        : `{\n  "config": {},\n  "steps": [\n`;
    const depth = kind === "export" ? 3 : 2;
    const emit = (v: unknown): void => {
      buffer += (count > 0 ? ",\n" : "") + nested(v, depth);
      count++;
      flush(false);
    };
    fixed.forEach(emit);
    for (const s of rendered) emit(head(s));
    buffer += kind === "export" ? `\n    ]\n  }\n}\n` : `\n  ],\n  "diagnostics": [],\n  "changeSummary": {\n    "create": ${count}\n  }\n}\n`;
    flush(true);
  } finally {
    fs.closeSync(fd);
  }
  return count;
}

export interface EstateFiles<C = EstateCounts> {
  readonly dir: string;
  readonly stackExport: string;
  readonly preview: string;
  readonly intents: string;
  readonly serviceTags: string;
  readonly counts: C;
}

export function countsOf(plan: EstatePlan): EstateCounts {
  const rules = plan.nsgs.length * plan.size.rulesPerNsg;
  const routes = plan.routeTables.reduce((acc, t) => acc + routesOf(plan, t).length, 0);
  const intents = intentsOf(plan);
  const flowVerify = intents.filter((i) => "ipFlowVerify" in i).length;
  const vms = plan.nics.filter((n) => n.vm).length;
  const standaloneRules = plan.nsgs.filter((n) => n.standaloneRules).length * plan.size.rulesPerNsg;
  const standaloneRoutes = plan.routeTables.filter((t) => t.standaloneRoutes).reduce((acc, t) => acc + routesOf(plan, t).length, 0);
  const spokeSubnets = plan.subnets.filter((s) => !s.inline).length;
  return {
    vnets: plan.vnets.length,
    subnets: plan.subnets.length,
    nics: plan.nics.length,
    staticNics: plan.nics.filter((n) => !n.dynamic).length,
    dynamicNics: plan.nics.filter((n) => n.dynamic).length,
    nsgs: plan.nsgs.length,
    rules,
    routeTables: plan.routeTables.length,
    routes,
    asgs: plan.asgs.length,
    peerings: plan.peerings.length,
    vms,
    intents: intents.length,
    reachIntents: intents.length - flowVerify,
    flowVerifyIntents: flowVerify,
    // Stack + resource group + everything rendered.
    resources: 2 + plan.asgs.length + plan.nsgs.length + standaloneRules + plan.routeTables.length + standaloneRoutes + plan.vnets.length + spokeSubnets + plan.peerings.length + plan.nics.length + vms,
  };
}

/**
 * Writes the estate of a size into `dir` (created if needed) unless it is already there for this generator version:
 * stack-export.json, preview.json, intents.json, service-tags.json and counts.json.
 */
export function ensureEstate(size: EstateSize, dir: string, force = false): EstateFiles {
  const plan = planEstate(size);
  const counts = countsOf(plan);
  return cachedEstate(dir, JSON.stringify({ generator: GENERATOR_VERSION, size, counts }), counts, force, (files) => {
    writeEstateFile(plan, "export", files.stackExport);
    writeEstateFile(plan, "preview", files.preview);
    fs.writeFileSync(files.intents, `${JSON.stringify({ intents: intentsOf(plan) }, null, 2)}\n`);
    fs.writeFileSync(files.serviceTags, `${JSON.stringify(serviceTagsOf(plan), null, 2)}\n`);
  });
}

/**
 * An estate's files in `dir`, (re)written by `write` unless counts.json already holds `stamp` and every file is there
 * (both families: ensureEstate, ensureLandingZone).
 */
export function cachedEstate<C>(dir: string, stamp: string, counts: C, force: boolean, write: (files: EstateFiles<C>) => void): EstateFiles<C> {
  fs.mkdirSync(dir, { recursive: true });
  const files: EstateFiles<C> = {
    dir,
    stackExport: path.join(dir, "stack-export.json"),
    preview: path.join(dir, "preview.json"),
    intents: path.join(dir, "intents.json"),
    serviceTags: path.join(dir, "service-tags.json"),
    counts,
  };
  const stampFile = path.join(dir, "counts.json");
  const current = fs.existsSync(stampFile) ? fs.readFileSync(stampFile, "utf8") : "";
  const complete = [files.stackExport, files.preview, files.intents, files.serviceTags].every((f) => fs.existsSync(f));
  if (force || current !== stamp || !complete) {
    write(files);
    fs.writeFileSync(stampFile, stamp);
  }
  return files;
}

/** Bumped whenever the generated files change, so stale estates on disk are rewritten. */
export const GENERATOR_VERSION = 3;
