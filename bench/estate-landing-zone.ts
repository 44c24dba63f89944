/**
 * The landing-zone family of the bench (issue 19 point 5): an estate shaped like the ones Azure landing zones deploy,
 * next to the adversarial one of bench/estate.ts.
 *
 * - A hub VNet (10.0.0.0/20) with an Azure Firewall (AzureFirewallSubnet, a Standard public IP, a Firewall Policy
 *   with a parent policy and rule collection groups: DNAT, network and application collections), a jump host (its own
 *   Standard public IP, reachable on SSH from one corporate range) and a legacy NVA (IP forwarding on).
 * - Spokes peered to the hub both ways (forwarded traffic allowed), each a /20 with a web, an app and a db subnet,
 *   every NSG stamped from one of six templates and every route table from one of two (0.0.0.0/0 to the firewall,
 *   or to the NVA for legacy spokes). docs/firewall.md says how the firewall's rules are read.
 * - The web tier of each spoke behind a public Standard load balancer (one public IP, a pool with the web NICs, rules
 *   TCP 443 and 80, a probe); docs/ingress.md says what that lets in.
 * - Some legacy spokes (one in ten): one flat subnet with an old permissive NSG, public IPs on their first VMs, routes
 *   to the NVA, outside the network manager's group.
 * - A Virtual Network Manager security admin baseline (docs/avnm.md): one network group with every standard spoke as
 *   a static member, a security admin configuration allowing management from the jump subnet only (AlwaysAllow, then
 *   Deny from anywhere else) and denying SMTP out, committed to the region.
 * - Intents like a platform team writes them: Internet to web tiers, web to app to db, spoke to spoke through the
 *   firewall, the jump host to the app tiers, no management from the Internet, no egress from db tiers (which the
 *   firewall's broad outbound rule breaks: an intent that fails), legacy spokes (whose open NSG fails another).
 *
 * Written, like the adversarial family, as a `pulumi stack export` and a first `pulumi preview --json` (the record
 * shapes, unknown ids and propertyDependencies of bench/estate.ts), streamed resource by resource. Same size, same
 * bytes: nothing here reads the clock or Math.random.
 */
import * as fs from "fs";
import {
  armId,
  cachedEstate,
  LOCATION,
  RG,
  RG_URN,
  SENTINEL,
  serviceTagsFor,
  sortedDeps,
  streamFor,
  SUBSCRIPTION,
  urnOf,
  renderKit,
  writeStatesFile,
  type EstateFiles,
  type FileKind,
  type SizeName,
  type State,
  type RuleSpec,
} from "./estate";

export interface LandingZoneSize {
  readonly name: string;
  /** Spoke VNets (the hub comes on top). At most 4,095: spoke k is the k-th /20 of 10.0.0.0/8. */
  readonly spokes: number;
  /** NICs (each with a VM) per tier of a standard spoke; a legacy spoke has their sum in one subnet. */
  readonly web: number;
  readonly app: number;
  readonly db: number;
  readonly intents: number;
  readonly seed: number;
}

export const LANDING_ZONE_SIZES: Readonly<Record<SizeName, LandingZoneSize>> = {
  S: { name: "S", spokes: 4, web: 8, app: 8, db: 6, intents: 20, seed: 101 },
  M: { name: "M", spokes: 200, web: 20, app: 20, db: 10, intents: 500, seed: 102 },
  L: { name: "L", spokes: 1_000, web: 20, app: 20, db: 10, intents: 2_000, seed: 103 },
};

/** Bumped whenever the generated files change, so stale estates on disk are rewritten. */
export const LANDING_ZONE_GENERATOR_VERSION = 1;

const T = {
  vnet: "azure-native:network:VirtualNetwork",
  subnet: "azure-native:network:Subnet",
  nsg: "azure-native:network:NetworkSecurityGroup",
  nic: "azure-native:network:NetworkInterface",
  rt: "azure-native:network:RouteTable",
  peering: "azure-native:network:VirtualNetworkPeering",
  pip: "azure-native:network:PublicIPAddress",
  lb: "azure-native:network:LoadBalancer",
  fw: "azure-native:network:AzureFirewall",
  policy: "azure-native:network:FirewallPolicy",
  rcg: "azure-native:network:FirewallPolicyRuleCollectionGroup",
  manager: "azure-native:network:NetworkManager",
  group: "azure-native:network:NetworkGroup",
  member: "azure-native:network:StaticMember",
  sac: "azure-native:network:SecurityAdminConfiguration",
  arc: "azure-native:network:AdminRuleCollection",
  adminRule: "azure-native:network:AdminRule",
  commit: "azure-native:network:Commit",
  vm: "azure-native:compute:VirtualMachine",
} as const;

// ---- the plan -----------------------------------------------------------------------------------------------------

/** The six NSG templates and the two route-table templates every subnet is stamped from. */
export type NsgTemplate = "web" | "app" | "db" | "jump" | "nva" | "legacy";
export type RouteTemplate = "via-firewall" | "via-nva";

export interface LzVnet {
  readonly name: string;
  readonly azureName: string;
  readonly prefix: string;
  /** 0 for the hub. */
  readonly index: number;
  readonly legacy: boolean;
}

export interface LzSubnet {
  readonly name: string;
  readonly azureName: string;
  readonly vnet: LzVnet;
  readonly prefix: string;
  /** The first three octets. */
  readonly base: string;
  readonly nsg?: { readonly name: string; readonly template: NsgTemplate };
  readonly routeTable?: { readonly name: string; readonly template: RouteTemplate };
  readonly tier?: "web" | "app" | "db";
}

export interface LzNic {
  readonly name: string;
  readonly vm: string;
  readonly subnet: LzSubnet;
  readonly address: string;
  readonly dynamic: boolean;
  readonly ipForwarding: boolean;
  /** Logical name of a public IP on the NIC's primary IP configuration. */
  readonly publicIp?: string;
  /** Logical name of the spoke's load balancer whose pool the NIC is in. */
  readonly lb?: string;
}

export interface LandingZonePlan {
  readonly size: LandingZoneSize;
  readonly hub: LzVnet;
  readonly spokes: readonly LzVnet[];
  readonly subnets: readonly LzSubnet[];
  readonly nics: readonly LzNic[];
  readonly firewallIp: string;
  readonly nvaIp: string;
  readonly jumpSubnetPrefix: string;
  readonly firewallSubnetPrefix: string;
}

export const HUB_PREFIX = "10.0.0.0/20";
export const CORPORATE_RANGE = "198.51.100.0/24";
export const FIREWALL_PUBLIC_IP = "203.0.113.10";

/** Spoke k is the k-th /20 of 10.0.0.0/8 (the hub is the 0th). */
function spokeBase(k: number): { prefix: string; second: number; third: number } {
  const second = k >> 4;
  const third = (k & 15) << 4;
  return { prefix: `10.${second}.${third}.0/20`, second, third };
}

export const isLegacy = (k: number): boolean => k % 10 === 4;

export function planLandingZone(size: LandingZoneSize): LandingZonePlan {
  if (size.spokes < 1 || size.spokes > 4095) throw new Error(`spokes must be 1..4095, not ${size.spokes}`);
  const perSpoke = size.web + size.app + size.db;
  if (Math.max(size.web, size.app, size.db) > 250 || perSpoke > 250) throw new Error("too many NICs per subnet (a /24 holds 251)");
  const hub: LzVnet = { name: "hub", azureName: "vnet-hub", prefix: HUB_PREFIX, index: 0, legacy: false };
  const firewallSubnet: LzSubnet = { name: "hub-firewall", azureName: "AzureFirewallSubnet", vnet: hub, prefix: "10.0.0.0/26", base: "10.0.0" };
  const jumpSubnet: LzSubnet = { name: "hub-jump", azureName: "snet-jump", vnet: hub, prefix: "10.0.1.0/24", base: "10.0.1", nsg: { name: "nsg-hub-jump", template: "jump" } };
  const nvaSubnet: LzSubnet = { name: "hub-nva", azureName: "snet-nva", vnet: hub, prefix: "10.0.3.0/24", base: "10.0.3", nsg: { name: "nsg-hub-nva", template: "nva" } };
  const subnets: LzSubnet[] = [firewallSubnet, jumpSubnet, nvaSubnet];
  const nics: LzNic[] = [
    { name: "jump-nic", vm: "jump", subnet: jumpSubnet, address: "10.0.1.4", dynamic: false, ipForwarding: false, publicIp: "jump-pip" },
    { name: "nva-nic", vm: "nva", subnet: nvaSubnet, address: "10.0.3.4", dynamic: false, ipForwarding: true },
  ];
  const spokes: LzVnet[] = [];
  for (let k = 1; k <= size.spokes; k++) {
    const b = spokeBase(k);
    const legacy = isLegacy(k);
    const v: LzVnet = { name: `spoke${k}`, azureName: `vnet-spoke${k}`, prefix: b.prefix, index: k, legacy };
    spokes.push(v);
    const sub = (tier: "web" | "app" | "db" | "legacy", j: number): LzSubnet => ({
      name: `spoke${k}-${tier}`,
      azureName: `snet-${tier}`,
      vnet: v,
      prefix: `10.${b.second}.${b.third + j}.0/24`,
      base: `10.${b.second}.${b.third + j}`,
      nsg: { name: `nsg-spoke${k}-${tier}`, template: tier },
      routeTable: { name: `rt-spoke${k}`, template: legacy ? "via-nva" : "via-firewall" },
      ...(tier === "legacy" ? {} : { tier }),
    });
    const tiers = legacy ? [{ s: sub("legacy", 0), count: perSpoke }] : [{ s: sub("web", 0), count: size.web }, { s: sub("app", 1), count: size.app }, { s: sub("db", 2), count: size.db }];
    for (const { s, count } of tiers) {
      subnets.push(s);
      for (let i = 0; i < count; i++) {
        const tier = s.tier ?? "legacy";
        nics.push({
          name: `spoke${k}-${tier}-nic${i}`,
          vm: `spoke${k}-${tier}-vm${i}`,
          subnet: s,
          address: `${s.base}.${4 + i}`,
          // One address in three is left to Azure (Dynamic): unknown at a first preview, as in real plans.
          dynamic: i % 3 === 2,
          ipForwarding: false,
          ...(tier === "web" ? { lb: `lb-spoke${k}-web` } : {}),
          // Lift-and-shift VMs with a public IP of their own.
          ...(tier === "legacy" && i < 2 ? { publicIp: `pip-spoke${k}-vm${i}` } : {}),
        });
      }
    }
  }
  return { size, hub, spokes, subnets, nics, firewallIp: "10.0.0.4", nvaIp: "10.0.3.4", jumpSubnetPrefix: jumpSubnet.prefix, firewallSubnetPrefix: firewallSubnet.prefix };
}

// ---- NSG and route templates ------------------------------------------------------------------------------------

/** A template rule: the adversarial estate's rule shape, without ASGs (no template names one). */
type LzRule = Omit<RuleSpec, "asgRefs">;

const rule = (name: string, priority: number, direction: LzRule["direction"], access: LzRule["access"], protocol: string, source: string | string[], destination: string | string[], ports: string | string[]): LzRule => ({
  name,
  priority,
  direction,
  access,
  protocol,
  fields: {
    sourcePortRange: "*",
    ...(Array.isArray(source) ? { sourceAddressPrefixes: source } : { sourceAddressPrefix: source }),
    ...(Array.isArray(destination) ? { destinationAddressPrefixes: destination } : { destinationAddressPrefix: destination }),
    ...(Array.isArray(ports) ? { destinationPortRanges: ports } : { destinationPortRange: ports }),
  },
});

/** The subnet prefix of a tier in the same spoke (templates name their neighbours by prefix, as stamped code does). */
function tierPrefix(subnet: LzSubnet, j: number): string {
  const [a, b, c] = subnet.base.split(".").map(Number);
  const first = c - (c % 16);
  return `${a}.${b}.${first + j}.0/24`;
}

export function nsgRules(plan: LandingZonePlan, subnet: LzSubnet): LzRule[] {
  const jump = plan.jumpSubnetPrefix;
  switch (subnet.nsg?.template) {
    case "web":
      return [
        // Source "*", not "Internet": with the 0.0.0.0/0 user route the VirtualNetwork tag of these subnets is every
        // address and the Internet tag none (docs/azure-semantics.md section 1.5), so an Internet rule would be dead.
        rule("allow-https-inbound", 100, "Inbound", "Allow", "Tcp", "*", "*", "443"),
        rule("allow-http-inbound", 110, "Inbound", "Allow", "Tcp", "*", "*", "80"),
        rule("allow-lb-probe", 120, "Inbound", "Allow", "*", "AzureLoadBalancer", "*", "*"),
        rule("allow-ssh-jump", 130, "Inbound", "Allow", "Tcp", jump, "*", "22"),
        rule("deny-vnet-in", 4000, "Inbound", "Deny", "*", "VirtualNetwork", "*", "*"),
        rule("allow-app-out", 100, "Outbound", "Allow", "Tcp", "*", tierPrefix(subnet, 1), "8443"),
        rule("allow-storage-out", 110, "Outbound", "Allow", "Tcp", "VirtualNetwork", "Storage.WestEurope", "443"),
        rule("allow-monitor-out", 120, "Outbound", "Allow", "Tcp", "VirtualNetwork", "AzureMonitor", "443"),
        rule("deny-smtp-out", 200, "Outbound", "Deny", "Tcp", "*", "*", ["25", "465", "587"]),
      ];
    case "app":
      return [
        rule("allow-web-in", 100, "Inbound", "Allow", "Tcp", tierPrefix(subnet, 0), "*", "8443"),
        rule("allow-internal-https", 110, "Inbound", "Allow", "Tcp", "10.0.0.0/8", "*", "443"),
        rule("allow-ssh-jump", 120, "Inbound", "Allow", "Tcp", jump, "*", "22"),
        rule("allow-lb-probe", 130, "Inbound", "Allow", "*", "AzureLoadBalancer", "*", "*"),
        rule("deny-vnet-in", 4000, "Inbound", "Deny", "*", "VirtualNetwork", "*", "*"),
        rule("allow-db-out", 100, "Outbound", "Allow", "Tcp", "*", tierPrefix(subnet, 2), "1433"),
        rule("allow-monitor-out", 110, "Outbound", "Allow", "Tcp", "VirtualNetwork", "AzureMonitor", "443"),
      ];
    case "db":
      return [
        rule("allow-sql-from-app", 100, "Inbound", "Allow", "Tcp", tierPrefix(subnet, 1), "*", "1433"),
        rule("allow-ssh-jump", 110, "Inbound", "Allow", "Tcp", jump, "*", "22"),
        rule("deny-vnet-in", 4000, "Inbound", "Deny", "*", "VirtualNetwork", "*", "*"),
        rule("allow-storage-out", 100, "Outbound", "Allow", "Tcp", "VirtualNetwork", "Storage.WestEurope", "443"),
      ];
    case "jump":
      return [
        rule("allow-ssh-corp", 100, "Inbound", "Allow", "Tcp", CORPORATE_RANGE, "*", "22"),
        rule("deny-internet-in", 4000, "Inbound", "Deny", "*", "Internet", "*", "*"),
      ];
    case "nva":
      return [rule("allow-vnet-in", 100, "Inbound", "Allow", "*", "VirtualNetwork", "*", "*"), rule("deny-internet-in", 4000, "Inbound", "Deny", "*", "Internet", "*", "*")];
    case "legacy":
      // The old template: management open to the world, no deny of its own.
      return [
        rule("allow-rdp", 100, "Inbound", "Allow", "Tcp", "*", "*", "3389"),
        rule("allow-ssh-internet", 110, "Inbound", "Allow", "Tcp", "Internet", "*", "22"),
        rule("allow-web", 120, "Inbound", "Allow", "Tcp", "Internet", "*", ["80", "443"]),
        rule("allow-sql-vnet", 130, "Inbound", "Allow", "Tcp", "VirtualNetwork", "*", "1433"),
      ];
    default:
      return [];
  }
}

interface LzRoute {
  readonly name: string;
  readonly addressPrefix: string;
  readonly nextHopType: string;
  readonly nextHopIpAddress?: string;
}

export function routesOf(plan: LandingZonePlan, template: RouteTemplate): LzRoute[] {
  return template === "via-firewall"
    ? [{ name: "default-via-firewall", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: plan.firewallIp }]
    : [
        { name: "default-via-nva", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: plan.nvaIp },
        { name: "hub-direct", addressPrefix: HUB_PREFIX, nextHopType: "VnetLocal" },
      ];
}

// ---- intents ------------------------------------------------------------------------------------------------------

export function intentsOf(plan: LandingZonePlan): Array<Record<string, unknown>> {
  const r = streamFor(plan.size.seed, "lz-intents", 0);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
  const standard = plan.spokes.filter((s) => !s.legacy);
  const legacy = plan.spokes.filter((s) => s.legacy);
  const staticOf = (subnet: string): LzNic[] => plan.nics.filter((n) => n.subnet.name === subnet && !n.dynamic);
  const out: Array<Record<string, unknown>> = [];
  for (let i = 0; out.length < plan.size.intents; i++) {
    const name = (s: string): string => `lz${String(i).padStart(4, "0")}-${s}`;
    const s = pick(standard);
    const kind = i % 20;
    if (kind <= 3) {
      out.push({ name: name("internet-to-web"), from: { serviceTag: "Internet" }, to: { subnet: `${s.name}-web` }, protocol: "Tcp", ports: "443", expect: "reachable" });
    } else if (kind === 4) {
      out.push({ name: name("no-mgmt-from-internet"), from: { serviceTag: "Internet" }, to: { vnet: s.name }, protocol: "Tcp", ports: "22,3389", expect: "unreachable" });
    } else if (kind === 5 && legacy.length > 0) {
      // Fails: the legacy template opens RDP to the world and the spoke is outside the admin baseline's group.
      out.push({ name: name("legacy-no-rdp-from-internet"), from: { serviceTag: "Internet" }, to: { vnet: pick(legacy).name }, protocol: "Tcp", ports: "3389", expect: "unreachable" });
    } else if (kind <= 7) {
      out.push({ name: name("web-to-app"), from: { subnet: `${s.name}-web` }, to: { subnet: `${s.name}-app` }, protocol: "Tcp", ports: "8443", expect: "reachable" });
    } else if (kind === 8) {
      out.push({ name: name("app-to-db"), from: { subnet: `${s.name}-app` }, to: { subnet: `${s.name}-db` }, protocol: "Tcp", ports: "1433", expect: "reachable" });
    } else if (kind === 9) {
      out.push({ name: name("web-not-to-db"), from: { subnet: `${s.name}-web` }, to: { subnet: `${s.name}-db` }, protocol: "Tcp", ports: "1433", expect: "unreachable" });
    } else if (kind <= 11) {
      const t = pick(standard);
      out.push({ name: name("spoke-to-spoke-https"), from: { subnet: `${s.name}-app` }, to: { subnet: `${t.name}-app` }, protocol: "Tcp", ports: "443", expect: "reachable" });
    } else if (kind === 12) {
      const t = pick(standard);
      out.push({ name: name("no-ssh-between-spokes"), from: { subnet: `${s.name}-app` }, to: { vnet: t.name }, protocol: "Tcp", ports: "22", expect: "unreachable" });
    } else if (kind === 13) {
      out.push({ name: name("jump-to-app-ssh"), from: { vm: "jump" }, to: { subnet: `${s.name}-app` }, protocol: "Tcp", ports: "22", expect: "reachable" });
    } else if (kind === 14) {
      // Fails: the firewall's network rule https-out lets every private address out on 443.
      out.push({ name: name("db-no-internet-egress"), from: { subnet: `${s.name}-db` }, to: { serviceTag: "Internet" }, protocol: "Tcp", ports: "443", expect: "unreachable", enforcement: "advisory" });
    } else if (kind <= 16) {
      const nic = pick(staticOf(`${s.name}-web`));
      out.push({
        name: name("verify-https-in"),
        ipFlowVerify: { nic: nic.name, direction: "Inbound", protocol: "TCP", local: `${nic.address}:443`, remote: `52.${1 + Math.floor(r() * 250)}.${Math.floor(r() * 256)}.7:50000` },
        expect: "Allow",
        ruleName: "securityRules/allow-https-inbound",
      });
    } else if (kind === 17) {
      const nic = pick(staticOf(`${s.name}-app`));
      out.push({
        name: name("verify-ssh-denied-by-baseline"),
        ipFlowVerify: { nic: nic.name, direction: "Inbound", protocol: "TCP", local: `${nic.address}:22`, remote: `20.${1 + Math.floor(r() * 250)}.${Math.floor(r() * 256)}.9:50000` },
        expect: "Deny",
        ruleName: "securityAdminRules/baseline/platform-baseline/deny-mgmt",
      });
    } else if (kind === 18) {
      out.push({ name: name("only-lb-ports-to-web"), from: { serviceTag: "Internet" }, to: { vm: `${s.name}-web-vm0` }, protocol: "Tcp", ports: "1-79,81-442,444-65535", expect: "unreachable" });
    } else if (legacy.length > 0) {
      const l = pick(legacy);
      out.push({ name: name("legacy-to-app-via-nva"), from: { subnet: `${l.name}-legacy` }, to: { subnet: `${s.name}-app` }, protocol: "Tcp", ports: "443", expect: "reachable", enforcement: "advisory" });
    }
  }
  return out;
}

// ---- rendering ----------------------------------------------------------------------------------------------------

const FW_POLICY = "hub-policy";
const ORG_POLICY = "org-policy";
const MANAGER = "avnm-platform";
const GROUP = "spokes";
const CONFIG = "baseline";
const COLLECTION = "platform-baseline";

/** Renders every resource of the landing zone for one file kind, in a stable order. */
export function* states(plan: LandingZonePlan, kind: FileKind): Generator<State> {
  const { pv, ref, rgName, common, outputs, rgDeps, ipConfig } = renderKit(kind);
  /** A child resource's path parameter naming its parent: the name in the export, unknown at a first preview. */
  const parentName = (name: string): string => (pv ? SENTINEL : name);
  const one = (type: string, name: string, id: string, inputs: Record<string, unknown>, drop: readonly string[], deps: Record<string, readonly string[]> = {}, extraOut: Record<string, unknown> = {}): State => {
    const all = sortedDeps({ ...rgDeps, ...deps });
    const dependencies = [...new Set(Object.values(all).flat())];
    // The Azure name (outputs.name) is the last segment of the ARM id; `name` is the Pulumi resource's name.
    const azureName = id.slice(id.lastIndexOf("/") + 1);
    return { urn: urnOf(type, name), type, id, inputs, outputs: { ...outputs(inputs, id, azureName, drop), ...extraOut }, dependencies, propertyDependencies: all };
  };

  // NSGs (inline rules), one per subnet that has one, each a copy of its template.
  const nsgId = (n: string): string => armId("networkSecurityGroups", n);
  for (const s of plan.subnets) {
    if (!s.nsg) continue;
    const id = nsgId(s.nsg.name);
    const rules = nsgRules(plan, s);
    const body = (r: LzRule, withId: boolean): Record<string, unknown> => ({
      name: r.name,
      priority: r.priority,
      direction: r.direction,
      access: r.access,
      protocol: r.protocol,
      ...r.fields,
      ...(withId ? { id: pv ? SENTINEL : `${id}/securityRules/${r.name}` } : {}),
    });
    const inputs = common({ networkSecurityGroupName: s.nsg.name, securityRules: rules.map((r) => body(r, false)), tags: { template: s.nsg.template } });
    yield one(T.nsg, s.nsg.name, id, inputs, ["networkSecurityGroupName"], {}, { securityRules: rules.map((r) => body(r, true)) });
  }

  // Route tables, one per spoke, each a copy of its template.
  const rtId = (n: string): string => armId("routeTables", n);
  const tables = new Map<string, RouteTemplate>();
  for (const s of plan.subnets) if (s.routeTable) tables.set(s.routeTable.name, s.routeTable.template);
  for (const [name, template] of tables) {
    const id = rtId(name);
    const routes = routesOf(plan, template);
    const body = (r: LzRoute, withId: boolean): Record<string, unknown> => ({ ...r, ...(withId ? { id: pv ? SENTINEL : `${id}/routes/${r.name}` } : {}) });
    const inputs = common({ routeTableName: name, routes: routes.map((r) => body(r, false)), tags: { template } });
    yield one(T.rt, name, id, inputs, ["routeTableName"], {}, { routes: routes.map((r) => body(r, true)) });
  }

  // VNets and their subnets (standalone Subnet resources: references to them resolve at a first preview).
  const vnetId = (v: LzVnet): string => armId("virtualNetworks", v.azureName);
  const subnetId = (s: LzSubnet): string => `${vnetId(s.vnet)}/subnets/${s.azureName}`;
  for (const v of [plan.hub, ...plan.spokes]) {
    const inputs = common({ addressSpace: { addressPrefixes: [v.prefix] }, enableDdosProtection: false, virtualNetworkName: v.azureName, tags: { role: v.index === 0 ? "hub" : v.legacy ? "legacy-spoke" : "spoke" } });
    yield one(T.vnet, v.name, vnetId(v), inputs, ["virtualNetworkName"]);
  }
  for (const s of plan.subnets) {
    const vnetUrn = urnOf(T.vnet, s.vnet.name);
    const inputs: Record<string, unknown> = {
      addressPrefix: s.prefix,
      ...(s.nsg ? { networkSecurityGroup: ref(nsgId(s.nsg.name)) } : {}),
      ...(s.routeTable ? { routeTable: ref(rtId(s.routeTable.name)) } : {}),
      resourceGroupName: rgName,
      subnetName: s.azureName,
      virtualNetworkName: parentName(s.vnet.azureName),
    };
    const deps: Record<string, string[]> = { virtualNetworkName: [vnetUrn] };
    if (s.nsg) deps.networkSecurityGroup = [urnOf(T.nsg, s.nsg.name)];
    if (s.routeTable) deps.routeTable = [urnOf(T.rt, s.routeTable.name)];
    yield one(T.subnet, s.name, subnetId(s), inputs, ["subnetName", "virtualNetworkName"], deps, { privateEndpointNetworkPolicies: "Disabled", privateLinkServiceNetworkPolicies: "Enabled" });
  }

  // Peerings both ways; the spokes accept traffic the hub's appliances forward.
  for (const v of plan.spokes) {
    for (const [name, from, to] of [[`hub-to-${v.name}`, plan.hub, v], [`${v.name}-to-hub`, v, plan.hub]] as const) {
      const id = `${vnetId(from)}/virtualNetworkPeerings/${name}`;
      const inputs = {
        allowForwardedTraffic: true,
        allowGatewayTransit: false,
        allowVirtualNetworkAccess: true,
        remoteVirtualNetwork: ref(vnetId(to)),
        resourceGroupName: rgName,
        useRemoteGateways: false,
        virtualNetworkName: parentName(from.azureName),
        virtualNetworkPeeringName: name,
      };
      yield one(T.peering, name, id, inputs, ["virtualNetworkName", "virtualNetworkPeeringName"], { remoteVirtualNetwork: [urnOf(T.vnet, to.name)], virtualNetworkName: [urnOf(T.vnet, from.name)] });
    }
  }

  // Public IPs: the firewall's, the jump host's, each spoke's load balancer frontend, the legacy VMs' own.
  const pipId = (n: string): string => armId("publicIPAddresses", n);
  const pips: Array<{ name: string; address?: string }> = [{ name: "fw-pip", address: FIREWALL_PUBLIC_IP }, { name: "jump-pip" }];
  for (const v of plan.spokes) if (!v.legacy) pips.push({ name: `pip-lb-spoke${v.index}-web` });
  for (const n of plan.nics) if (n.publicIp && n.publicIp !== "jump-pip") pips.push({ name: n.publicIp });
  for (const [i, p] of pips.entries()) {
    const inputs = common({ publicIPAllocationMethod: "Static", publicIpAddressName: p.name, sku: { name: "Standard" }, ...(p.address ? { ipAddress: p.address } : {}) });
    const allocated = !pv && !p.address ? { ipAddress: `20.${50 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}` } : {};
    yield one(T.pip, p.name, pipId(p.name), inputs, ["publicIpAddressName"], {}, allocated);
  }

  // A public Standard load balancer per standard spoke, in front of its web tier.
  const lbId = (n: string): string => armId("loadBalancers", n);
  for (const v of plan.spokes) {
    if (v.legacy) continue;
    const name = `lb-spoke${v.index}-web`;
    const id = lbId(name);
    const child = (k: string, n: string): string => `${id}/${k}/${n}`;
    const lbRule = (n: string, port: number, withId: boolean): Record<string, unknown> => ({
      backendAddressPool: ref(child("backendAddressPools", "web-pool")),
      backendPort: port,
      enableFloatingIP: false,
      frontendIPConfiguration: ref(child("frontendIPConfigurations", "fe")),
      frontendPort: port,
      name: n,
      probe: ref(child("probes", "https-probe")),
      protocol: "Tcp",
      ...(withId ? { id: pv ? SENTINEL : child("loadBalancingRules", n) } : {}),
    });
    const parts = (withId: boolean): Record<string, unknown> => ({
      backendAddressPools: [{ name: "web-pool", ...(withId ? { id: pv ? SENTINEL : child("backendAddressPools", "web-pool") } : {}) }],
      frontendIPConfigurations: [{ name: "fe", publicIPAddress: ref(pipId(`pip-lb-spoke${v.index}-web`)), ...(withId ? { id: pv ? SENTINEL : child("frontendIPConfigurations", "fe") } : {}) }],
      loadBalancingRules: [lbRule("https", 443, withId), lbRule("http", 80, withId)],
      probes: [{ intervalInSeconds: 5, name: "https-probe", numberOfProbes: 2, port: 443, protocol: "Tcp", ...(withId ? { id: pv ? SENTINEL : child("probes", "https-probe") } : {}) }],
    });
    const inputs = common({ loadBalancerName: name, sku: { name: "Standard" }, ...parts(false) });
    // The rules name the LB's own children by ids built from the resource group's id (as web-lb's program does).
    yield one(T.lb, name, id, inputs, ["loadBalancerName"], { frontendIPConfigurations: [urnOf(T.pip, `pip-lb-spoke${v.index}-web`)], loadBalancingRules: [RG_URN] }, parts(true));
  }

  // The firewall: policies (a parent with the organisation's rules), rule collection groups, the firewall itself.
  const policyId = (n: string): string => armId("firewallPolicies", n);
  yield one(T.policy, ORG_POLICY, policyId(ORG_POLICY), common({ firewallPolicyName: ORG_POLICY, sku: { tier: "Standard" }, threatIntelMode: "Alert" }), ["firewallPolicyName"]);
  yield one(T.policy, FW_POLICY, policyId(FW_POLICY), common({ basePolicy: ref(policyId(ORG_POLICY)), firewallPolicyName: FW_POLICY, sku: { tier: "Standard" }, threatIntelMode: "Alert" }), ["firewallPolicyName"], { basePolicy: [urnOf(T.policy, ORG_POLICY)] });
  const netRule = (name: string, protocols: string[], sources: string[], destinations: string[], ports: string[]): Record<string, unknown> => ({ destinationAddresses: destinations, destinationPorts: ports, ipProtocols: protocols, name, ruleType: "NetworkRule", sourceAddresses: sources });
  const filter = (name: string, priority: number, action: string, rules: Array<Record<string, unknown>>): Record<string, unknown> => ({ action: { type: action }, name, priority, ruleCollectionType: "FirewallPolicyFilterRuleCollection", rules });
  const firstApp = plan.nics.find((n) => n.subnet.tier === "app" && !n.dynamic);
  const groups: Array<{ name: string; policy: string; priority: number; collections: Array<Record<string, unknown>> }> = [
    { name: "org-baseline", policy: ORG_POLICY, priority: 100, collections: [filter("deny-risky", 100, "Deny", [netRule("no-rdp-smb", ["TCP"], ["*"], ["*"], ["3389", "445"])])] },
    {
      name: "platform",
      policy: FW_POLICY,
      priority: 200,
      collections: [
        ...(firstApp
          ? [{ action: { type: "DNAT" }, name: "inbound-dnat", priority: 100, ruleCollectionType: "FirewallPolicyNatRuleCollection", rules: [{ destinationAddresses: [FIREWALL_PUBLIC_IP], destinationPorts: ["8443"], ipProtocols: ["TCP"], name: "partner-api", ruleType: "NatRule", sourceAddresses: [CORPORATE_RANGE], translatedAddress: firstApp.address, translatedPort: "8443" }] }]
          : []),
        filter("spoke-to-spoke", 200, "Allow", [netRule("internal-https", ["TCP"], ["10.0.0.0/8"], ["10.0.0.0/8"], ["443"]), netRule("dns", ["UDP"], ["10.0.0.0/8"], ["10.0.3.4"], ["53"])]),
        filter("internet-out", 300, "Allow", [netRule("https-out", ["TCP"], ["10.0.0.0/8"], ["*"], ["80", "443"])]),
        { action: { type: "Allow" }, name: "updates", priority: 400, ruleCollectionType: "FirewallPolicyFilterRuleCollection", rules: [{ fqdnTags: ["WindowsUpdate"], name: "windows-update", protocols: [{ port: 443, protocolType: "Https" }], ruleType: "ApplicationRule", sourceAddresses: ["10.0.0.0/8"] }] },
      ],
    },
  ];
  for (const g of groups) {
    const id = `${policyId(g.policy)}/ruleCollectionGroups/${g.name}`;
    const inputs = { firewallPolicyName: parentName(g.policy), priority: g.priority, resourceGroupName: rgName, ruleCollectionGroupName: g.name, ruleCollections: g.collections };
    yield one(T.rcg, g.name, id, inputs, ["firewallPolicyName", "ruleCollectionGroupName"], { firewallPolicyName: [urnOf(T.policy, g.policy)] });
  }
  {
    const id = armId("azureFirewalls", "hub-fw");
    const fwSubnet = plan.subnets.find((s) => s.azureName === "AzureFirewallSubnet") as LzSubnet;
    const cfg = (withOutputs: boolean): Record<string, unknown> => ({
      name: "fw-ipconfig",
      publicIPAddress: ref(pipId("fw-pip")),
      subnet: ref(subnetId(fwSubnet)),
      // The private IP is an output of Azure: known once deployed (the export), not at a first preview.
      ...(withOutputs && !pv ? { id: `${id}/azureFirewallIpConfigurations/fw-ipconfig`, privateIPAddress: plan.firewallIp } : {}),
    });
    const inputs = common({ azureFirewallName: "hub-fw", firewallPolicy: ref(policyId(FW_POLICY)), ipConfigurations: [cfg(false)], sku: { name: "AZFW_VNet", tier: "Standard" } });
    yield one(T.fw, "hub-fw", id, inputs, ["azureFirewallName"], { firewallPolicy: [urnOf(T.policy, FW_POLICY)], ipConfigurations: [urnOf(T.subnet, fwSubnet.name), urnOf(T.pip, "fw-pip")] }, { ipConfigurations: [cfg(true)] });
  }

  // Virtual Network Manager: the platform's security admin baseline on every standard spoke.
  const mgrId = armId("networkManagers", MANAGER);
  const mgrUrn = urnOf(T.manager, MANAGER);
  yield one(T.manager, MANAGER, mgrId, common({ networkManagerName: MANAGER, networkManagerScopeAccesses: ["SecurityAdmin"], networkManagerScopes: { subscriptions: [`/subscriptions/${SUBSCRIPTION}`] } }), ["networkManagerName"]);
  const groupId = `${mgrId}/networkGroups/${GROUP}`;
  yield one(T.group, GROUP, groupId, { memberType: "VirtualNetwork", networkGroupName: GROUP, networkManagerName: parentName(MANAGER), resourceGroupName: rgName }, ["networkGroupName", "networkManagerName"], { networkManagerName: [mgrUrn] });
  for (const v of plan.spokes) {
    if (v.legacy) continue;
    const name = `member-${v.name}`;
    const inputs = { networkGroupName: parentName(GROUP), networkManagerName: parentName(MANAGER), resourceGroupName: rgName, resourceId: pv ? SENTINEL : vnetId(v), staticMemberName: v.azureName };
    yield one(T.member, name, `${groupId}/staticMembers/${v.azureName}`, inputs, ["networkGroupName", "networkManagerName", "staticMemberName"], { networkGroupName: [urnOf(T.group, GROUP)], networkManagerName: [mgrUrn], resourceId: [urnOf(T.vnet, v.name)] });
  }
  const configId = `${mgrId}/securityAdminConfigurations/${CONFIG}`;
  yield one(T.sac, CONFIG, configId, { configurationName: CONFIG, description: "Platform guardrails", networkManagerName: parentName(MANAGER), resourceGroupName: rgName }, ["configurationName", "networkManagerName"], { networkManagerName: [mgrUrn] });
  const collectionId = `${configId}/ruleCollections/${COLLECTION}`;
  yield one(
    T.arc,
    COLLECTION,
    collectionId,
    { appliesToGroups: [{ networkGroupId: pv ? SENTINEL : groupId }], configurationName: parentName(CONFIG), networkManagerName: parentName(MANAGER), resourceGroupName: rgName, ruleCollectionName: COLLECTION },
    ["configurationName", "networkManagerName", "ruleCollectionName"],
    { appliesToGroups: [urnOf(T.group, GROUP)], configurationName: [urnOf(T.sac, CONFIG)], networkManagerName: [mgrUrn] },
  );
  // Management only from the platform's jump subnet (AlwaysAllow: the spokes' NSGs cannot take it away), denied from
  // anywhere else; no SMTP out. Prefixes, not the Internet tag: behind a 0.0.0.0/0 user route that tag is empty.
  const anyPrefix = [{ addressPrefix: "*", addressPrefixType: "IPPrefix" }];
  const adminRules = [
    { ruleName: "always-allow-mgmt-from-jump", priority: 90, direction: "Inbound", access: "AlwaysAllow", protocol: "Tcp", sources: [{ addressPrefix: plan.jumpSubnetPrefix, addressPrefixType: "IPPrefix" }], destinations: anyPrefix, destinationPortRanges: ["22", "3389"] },
    { ruleName: "deny-mgmt", priority: 100, direction: "Inbound", access: "Deny", protocol: "Tcp", sources: anyPrefix, destinations: anyPrefix, destinationPortRanges: ["22", "3389"] },
    { ruleName: "deny-smtp-out", priority: 200, direction: "Outbound", access: "Deny", protocol: "Tcp", sources: anyPrefix, destinations: anyPrefix, destinationPortRanges: ["25"] },
  ];
  for (const a of adminRules) {
    const inputs = { ...a, configurationName: parentName(CONFIG), kind: "Custom", networkManagerName: parentName(MANAGER), resourceGroupName: rgName, ruleCollectionName: parentName(COLLECTION), sourcePortRanges: ["0-65535"] };
    yield one(T.adminRule, a.ruleName, `${collectionId}/rules/${a.ruleName}`, inputs, ["configurationName", "networkManagerName", "ruleCollectionName", "ruleName"], {
      configurationName: [urnOf(T.sac, CONFIG)],
      networkManagerName: [mgrUrn],
      ruleCollectionName: [urnOf(T.arc, COLLECTION)],
    });
  }
  yield one(T.commit, "commit-baseline", `${mgrId}/commit`, { networkManagerName: parentName(MANAGER), properties: { commitType: "SecurityAdmin", configurationIds: [pv ? SENTINEL : configId], targetLocations: [LOCATION] }, resourceGroupName: rgName }, ["networkManagerName"], {
    networkManagerName: [mgrUrn],
    properties: [urnOf(T.sac, CONFIG)],
  });

  // NICs and their VMs.
  for (const n of plan.nics) {
    const id = armId("networkInterfaces", n.name);
    const lb = n.lb;
    const extra = {
      ...(n.publicIp ? { publicIPAddress: ref(pipId(n.publicIp)) } : {}),
      ...(lb ? { loadBalancerBackendAddressPools: [ref(`${lbId(lb)}/backendAddressPools/web-pool`)] } : {}),
    };
    const cfg = (deployed: boolean, withId: boolean): Record<string, unknown> => ipConfig(id, n, subnetId(n.subnet), extra, deployed, withId);
    const inputs = common({ enableAcceleratedNetworking: n.subnet.tier === "web", enableIPForwarding: n.ipForwarding, ipConfigurations: [cfg(false, false)], networkInterfaceName: n.name, tags: { tier: n.subnet.tier ?? (n.subnet.vnet.index === 0 ? "platform" : "legacy") } });
    const cfgDeps = [urnOf(T.subnet, n.subnet.name), ...(n.publicIp ? [urnOf(T.pip, n.publicIp)] : []), ...(lb ? [urnOf(T.lb, lb)] : [])];
    yield one(T.nic, n.name, id, inputs, ["networkInterfaceName"], { ipConfigurations: cfgDeps }, { ipConfigurations: [cfg(!pv, true)] });
    const vmId = `/subscriptions/${SUBSCRIPTION}/resourceGroups/${RG}/providers/Microsoft.Compute/virtualMachines/${n.vm}`;
    const vmInputs = common({
      hardwareProfile: { vmSize: n.ipForwarding ? "Standard_D4s_v5" : "Standard_D2s_v5" },
      networkProfile: { networkInterfaces: [{ id: pv ? SENTINEL : id, primary: true }] },
      osProfile: { adminUsername: "azureuser", computerName: n.vm, linuxConfiguration: { disablePasswordAuthentication: true } },
      storageProfile: { imageReference: { offer: "ubuntu-24_04-lts", publisher: "Canonical", sku: "server", version: "latest" }, osDisk: { createOption: "FromImage" } },
      vmName: n.vm,
    });
    yield one(T.vm, n.vm, vmId, vmInputs, ["vmName"], { networkProfile: [urnOf(T.nic, n.name)] });
  }
}

// ---- files --------------------------------------------------------------------------------------------------------

/** Counts of what was generated: resources by type, and the figures the bench reports. */
export interface LandingZoneCounts {
  readonly family: "landing-zone";
  readonly vnets: number;
  readonly spokes: number;
  readonly legacySpokes: number;
  readonly subnets: number;
  readonly nics: number;
  readonly staticNics: number;
  readonly dynamicNics: number;
  readonly nsgs: number;
  readonly nsgTemplates: number;
  readonly rules: number;
  readonly routeTables: number;
  readonly routeTemplates: number;
  readonly routes: number;
  readonly publicIps: number;
  readonly loadBalancers: number;
  readonly vms: number;
  readonly intents: number;
  readonly flowVerifyIntents: number;
  readonly reachIntents: number;
  /** Stack + resource group + everything rendered. */
  readonly resources: number;
  readonly byType: Readonly<Record<string, number>>;
}

export function countsOf(plan: LandingZonePlan): LandingZoneCounts {
  const byType: Record<string, number> = {};
  let rendered = 0;
  for (const s of states(plan, "export")) {
    byType[s.type] = (byType[s.type] ?? 0) + 1;
    rendered++;
  }
  const withNsg = plan.subnets.filter((s) => s.nsg);
  const withRt = plan.subnets.filter((s) => s.routeTable);
  const tables = new Map(withRt.map((s) => [s.routeTable?.name, s.routeTable?.template as RouteTemplate]));
  const intents = intentsOf(plan);
  const flowVerify = intents.filter((i) => "ipFlowVerify" in i).length;
  return {
    family: "landing-zone",
    vnets: 1 + plan.spokes.length,
    spokes: plan.spokes.length,
    legacySpokes: plan.spokes.filter((s) => s.legacy).length,
    subnets: plan.subnets.length,
    nics: plan.nics.length,
    staticNics: plan.nics.filter((n) => !n.dynamic).length,
    dynamicNics: plan.nics.filter((n) => n.dynamic).length,
    nsgs: withNsg.length,
    nsgTemplates: new Set(withNsg.map((s) => s.nsg?.template)).size,
    rules: withNsg.reduce((acc, s) => acc + nsgRules(plan, s).length, 0),
    routeTables: tables.size,
    routeTemplates: new Set(tables.values()).size,
    routes: [...tables.values()].reduce((acc, t) => acc + routesOf(plan, t).length, 0),
    publicIps: byType[T.pip] ?? 0,
    loadBalancers: byType[T.lb] ?? 0,
    vms: byType[T.vm] ?? 0,
    intents: intents.length,
    flowVerifyIntents: flowVerify,
    reachIntents: intents.length - flowVerify,
    resources: 2 + rendered,
    byType,
  };
}

/**
 * Writes the landing zone of a size into `dir` unless it is already there for this generator version (the files of
 * bench/estate.ts's ensureEstate, with the same names).
 */
export function ensureLandingZone(size: LandingZoneSize, dir: string, force = false): EstateFiles<LandingZoneCounts> {
  const plan = planLandingZone(size);
  const counts = countsOf(plan);
  return cachedEstate(dir, JSON.stringify({ family: "landing-zone", generator: LANDING_ZONE_GENERATOR_VERSION, size, counts }), counts, force, (files) => {
    writeStatesFile("export", files.stackExport, states(plan, "export"));
    writeStatesFile("preview", files.preview, states(plan, "preview"));
    fs.writeFileSync(files.intents, `${JSON.stringify({ intents: intentsOf(plan) }, null, 2)}\n`);
    fs.writeFileSync(files.serviceTags, `${JSON.stringify(serviceTagsFor(size.seed), null, 2)}\n`);
  });
}
