/**
 * The checks' happy-path network, built with ModelBuilder, and helpers that change one thing of a built Topology
 * (so each test changes one field and reads what appears or disappears).
 *
 *   vnet 10.1.0.0/16
 *     web 10.1.1.0/24  NSG nsg-web (Internet -> TCP 443)   web-nic 10.1.1.4, public IP web-pip, NIC NSG nsg-web-nic (* -> TCP 443)
 *     app 10.1.2.0/24  NSG nsg-app (web -> TCP 8080)        app-nic 10.1.2.4; route table rt-app: 0.0.0.0/0 -> VirtualAppliance 10.1.3.4
 *     nva 10.1.3.0/24  NSG nsg-nva (defaults)               nva-nic 10.1.3.4, IP forwarding on
 *
 * Baseline findings: exactly one, internet-exposure (low) for web-nic on TCP 443.
 */
import { engineEnv, type EngineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import { runChecks } from "../../src/checks";
import type { CheckOptions, Finding } from "../../src/checks/types";
import type { Diagnostic } from "../../src/model/diagnostic";
import type { IpConfiguration, LbProtocol, LbRule, LoadBalancer, Nic, SecurityRule, SkuInfo, Subnet, Topology } from "../../src/model/topology";
import { IpSet } from "../../src/sets/ip-set";
import { PortSet } from "../../src/sets/port-set";
import { ModelBuilder, type RuleSpec } from "../helpers/model-builder";

export const HTTPS_FROM_INTERNET: RuleSpec = { name: "allow-https", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", src: "Internet", dport: "443" };
export const HTTPS_FROM_ANY: RuleSpec = { name: "allow-https", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", src: "*", dport: "443" };
export const WEB_TO_APP: RuleSpec = { name: "allow-web-8080", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", src: "10.1.1.0/24", dport: "8080" };

export interface HappyOptions {
  nsgWeb?: RuleSpec[];
  nsgWebNic?: RuleSpec[];
  nsgApp?: RuleSpec[];
  nsgNva?: RuleSpec[];
  /** Builder hook run before build (extra resources, changed associations). */
  extra?: (b: ModelBuilder) => ModelBuilder;
  webNsg?: string | null;
  webNicNsg?: string | null;
  webPublicIp?: string | null;
  appNsg?: string | null;
  appRouteTable?: string | null;
  nvaRouteTable?: string | null;
  nvaForwarding?: boolean;
  routes?: Array<{ name: string; prefix: string; nextHopType: "VirtualAppliance" | "None" | "Internet" | "VnetLocal" | "VirtualNetworkGateway"; nextHopIp?: string }>;
}

export function happy(o: HappyOptions = {}): Topology {
  let b = new ModelBuilder()
    .vnet("vnet", ["10.1.0.0/16"])
    .subnet("web", "vnet", "10.1.1.0/24", { nsg: o.webNsg === undefined ? "nsg-web" : o.webNsg })
    .subnet("app", "vnet", "10.1.2.0/24", { nsg: o.appNsg === undefined ? "nsg-app" : o.appNsg, routeTable: o.appRouteTable === undefined ? "rt-app" : o.appRouteTable })
    .subnet("nva", "vnet", "10.1.3.0/24", { nsg: "nsg-nva", routeTable: o.nvaRouteTable ?? null })
    .nsg("nsg-web", o.nsgWeb ?? [HTTPS_FROM_INTERNET])
    .nsg("nsg-web-nic", o.nsgWebNic ?? [HTTPS_FROM_ANY])
    .nsg("nsg-app", o.nsgApp ?? [WEB_TO_APP])
    .nsg("nsg-nva", o.nsgNva ?? [])
    .routeTable("rt-app", o.routes ?? [{ name: "to-nva", prefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIp: "10.1.3.4" }])
    .nic("web-nic", "web", "10.1.1.4", {
      nsg: o.webNicNsg === undefined ? "nsg-web-nic" : o.webNicNsg,
      ...(o.webPublicIp === null ? {} : { publicIp: o.webPublicIp ?? "web-pip" }),
    })
    .vm("web-vm", "web-nic")
    .nic("app-nic", "app", "10.1.2.4")
    .nic("nva-nic", "nva", "10.1.3.4", { ipForwarding: o.nvaForwarding ?? true });
  if (o.extra) b = o.extra(b);
  const topo = b.build();
  // The builder's VM does not set the NIC's vmKey; the adapter does. Link them like the adapter.
  return patchNic(topo, "web-nic", (n) => (topo.vms.has("web-vm") ? { ...n, vmKey: "web-vm" } : n));
}

export function env(topo: Topology): EngineEnv {
  return engineEnv(topo, EMPTY_CATALOG);
}

export function run(topo: Topology, options: CheckOptions = {}): Finding[] {
  return runChecks(env(topo), options);
}

export function only(findings: readonly Finding[], check: string): Finding[] {
  return findings.filter((f) => f.check === check);
}

function replace<T>(map: ReadonlyMap<string, T>, key: string, f: (v: T) => T): Map<string, T> {
  const v = map.get(key);
  if (v === undefined) throw new Error(`no ${key}`);
  return new Map([...map.entries()].map(([k, x]) => [k, k === key ? f(x) : x]));
}

export function patchNic(topo: Topology, key: string, f: (n: Nic) => Nic): Topology {
  return { ...topo, nics: replace(topo.nics, key, f) };
}

export function patchSubnet(topo: Topology, key: string, f: (s: Subnet) => Subnet): Topology {
  return { ...topo, subnets: replace(topo.subnets, key, f) };
}

/** Changes the NIC's primary IP configuration. */
export function patchPrimary(topo: Topology, nic: string, f: (c: IpConfiguration) => IpConfiguration): Topology {
  return patchNic(topo, nic, (n) => ({ ...n, ipConfigurations: n.ipConfigurations.map((c, i) => (i === 0 ? f(c) : c)) }));
}

/** Changes one custom rule of an NSG (e.g. to plural port or prefix fields the builder does not spell). */
export function patchRule(topo: Topology, nsg: string, rule: string, f: (r: SecurityRule) => SecurityRule): Topology {
  const n = topo.nsgs.get(nsg);
  if (!n || !n.rules.some((r) => r.name === rule)) throw new Error(`no rule ${nsg}/${rule}`);
  return { ...topo, nsgs: replace(topo.nsgs, nsg, (x) => ({ ...x, rules: x.rules.map((r) => (r.name === rule ? f(r) : r)) })) };
}

/** Azure's plural destinationPortRanges: the union of the items. */
export function pluralPorts(items: string[]): PortSet {
  const p = PortSet.parseList(items);
  if (!p.ok) throw new Error(p.error);
  return p.set;
}

export function addIpConfig(topo: Topology, nic: string, cfg: Partial<IpConfiguration> & { name: string }): Topology {
  const full: IpConfiguration = { primary: false, subnetKey: "", allocation: "Static", privateIpAddress: undefined, asgKeys: [], publicIpKey: null, backendPoolRefs: [], ...cfg };
  return patchNic(topo, nic, (n) => ({ ...n, ipConfigurations: [...n.ipConfigurations, full] }));
}

/** Adds a load balancer (`publicIps` empty = internal) with pools `<lb>/backendAddressPools/<pool>`. */
/** A load-balancing rule on the LB's first frontend and pool (fields as in azure-native's `loadBalancingRules[]`). */
export function lbRule(name: string, protocol: LbProtocol, frontendPort: number, backendPort = frontendPort, extra: Partial<LbRule> = {}): (lb: string) => LbRule {
  return (lb) => ({ name, frontend: "fe", poolRefs: [`${lb}/backendAddressPools/pool`], protocol, frontendPort, backendPort, floatingIp: false, disableOutboundSnat: false, ...extra });
}

export function addLoadBalancer(
  topo: Topology,
  name: string,
  publicIps: LoadBalancer["publicIpKeys"],
  pools: string[] = ["pool"],
  rules: ReadonlyArray<(lb: string) => LbRule> = [],
  sku?: SkuInfo,
): Topology {
  const lb: LoadBalancer = {
    key: name,
    urn: `urn:pulumi:test::test::azure-native:network:LoadBalancer::${name}`,
    logicalName: name,
    azureName: name,
    id: `/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/${name}`,
    publicIpKeys: publicIps,
    backendPoolRefs: pools.map((p) => `${name}/backendAddressPools/${p}`),
    frontends: publicIps.length === 0 ? [{ name: "fe", publicIpKey: null }] : publicIps.map((k, i) => ({ name: i === 0 ? "fe" : `fe${i}`, publicIpKey: k })),
    rules: rules.map((r) => r(name)),
    ...(sku ? { sku } : {}),
  };
  const publicIpsMap = new Map(topo.publicIps);
  for (const k of publicIps) {
    if (typeof k === "string" && !publicIpsMap.has(k)) {
      publicIpsMap.set(k, { key: k, urn: `urn:pulumi:test::test::azure-native:network:PublicIPAddress::${k}`, logicalName: k, azureName: k, id: `/pip/${k}`, ipAddress: undefined });
    }
  }
  return { ...topo, loadBalancers: new Map([...topo.loadBalancers, [name, lb]]), publicIps: publicIpsMap };
}

export function addDiagnostics(topo: Topology, ds: Diagnostic[]): Topology {
  return { ...topo, diagnostics: [...topo.diagnostics, ...ds] };
}

/** Makes a subnet dual-stack (adds an IPv6 prefix). */
export function addSubnetPrefix(topo: Topology, subnet: string, prefix: string): Topology {
  return patchSubnet(topo, subnet, (s) => ({ ...s, addressPrefixes: [...s.addressPrefixes, prefix], addressSpace: (s.addressSpace as IpSet).union(IpSet.fromCidr(prefix)) }));
}

/** Every message is one line. */
export function oneLine(findings: readonly Finding[]): boolean {
  return findings.every((f) => !/[\r\n]/.test(f.message));
}
