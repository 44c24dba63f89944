/**
 * The effective routes of a subnet, built from the plan: system routes, peering routes, gateway routes and the
 * user routes of the subnet's route table, each with its state (Active or Invalid), as Network Watcher's
 * "effective routes" shows them for a NIC of that subnet.
 *
 * Source: MicrosoftDocs/azure-docs articles/virtual-network/virtual-networks-udr-overview.md ("System routes",
 * "Optional default routes", "Border gateway protocol", "0.0.0.0/0 address prefix" and its routing example).
 */
import type { Nic, Peering, RouteTable, Subnet, Topology, VirtualNetworkGateway, Vnet } from "../model/topology";
import { isUnknown, unknown, type Maybe, type Unknown } from "../model/unknown";
import { hintInParens, NO_HINTS, type InputHints } from "../model/input-hints";
import { IpSet, parsePrefix } from "../sets/ip-set";
import { EMPTY_CATALOG, type ServiceTagCatalog } from "../azure/service-tags";
import { cidrLength, markStates, type EffectiveNextHopType, type EffectiveRoute, type RouteOrigin, type RouteSource } from "./routing";
import { privateEndpointRoutes } from "./private-endpoint-routes";
import { serviceEndpointRoutes } from "./service-endpoint-routes";
import { connectedPeerings, lookup, subnetOfNic, vnetOfSubnet } from "./topology-queries";
import { mergeCauses } from "./tri-set";
import { memoKind, type MemoStore } from "./memo";

/**
 * The reserved prefixes Azure gives a None route in every subnet (UDR overview, "Default"). Real effective
 * routes have been seen with more (127/8, 198.18/15, ...): pass your own list in `reservedPrefixes`.
 */
const DEFAULT_RESERVED_PREFIXES: readonly string[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"];

export interface RoutingOptions {
  /** Prefixes of the system None routes; default DEFAULT_RESERVED_PREFIXES. */
  readonly reservedPrefixes?: readonly string[];
  /**
   * Prefixes the virtual network gateways advertise (on-premises ranges, from local network gateways or BGP).
   * They are not in a Pulumi plan of the VNet side, so by default no gateway route is modelled (and a note says so).
   */
  readonly gatewayPrefixes?: readonly string[];
}

/**
 * The inputs of the routing questions asked of a bare topology (effective routes, next hop): the options and the
 * service tag catalog that expands user routes whose prefix is a tag (without it such routes are unknown). Questions
 * asked of an engine environment (the walk, trace, intents, the checks) take RoutingOptions, which has no catalog:
 * they read the environment's, the one channel (issue 14: intents once routed with an empty catalog while trace
 * expanded the tag).
 */
export interface RouteQueryOptions extends RoutingOptions {
  readonly serviceTags?: ServiceTagCatalog;
  /** How the front end's user gives what the plan lacks (src/model/input-hints.ts); none: the notes stay neutral. */
  readonly hints?: InputHints;
}

/** What the cached routes read: the topology, its service tag catalog, and the store the routes are kept in. */
export interface RoutingEnv {
  readonly topo: Topology;
  readonly tags: ServiceTagCatalog;
  readonly hints?: InputHints;
  readonly memo: MemoStore;
}

/** How a subnet reaches a virtual network gateway: one in its own VNet, or a peer's through gateway transit. */
export interface GatewayReach {
  readonly gateway: VirtualNetworkGateway;
  readonly via: "local" | "remote";
  /** The local peering with useRemoteGateways, for `remote`. */
  readonly peering?: Peering;
  /** Non-empty when the reach depends on unknown values. */
  readonly doubt: readonly Unknown[];
}

export interface SubnetRoutes {
  readonly subnet: Subnet;
  readonly vnet: Maybe<Vnet | undefined>;
  /** The associated route table; null when none; Unknown when the association is unknown. */
  readonly routeTable: Maybe<RouteTable | null>;
  /** All routes, system first, then gateway, then user routes, with states. */
  readonly routes: readonly EffectiveRoute[];
  readonly gateways: readonly GatewayReach[];
  /** Whether gateway routes reach this subnet (false when the route table disables BGP route propagation). */
  readonly gatewayPropagation: Maybe<boolean>;
  /** Plain statements about what is and is not modelled here. */
  readonly notes: readonly string[];
}

interface Draft {
  readonly name: string | null;
  readonly source: RouteSource;
  readonly origin: RouteOrigin;
  readonly text: string;
  readonly prefix: Maybe<IpSet>;
  readonly nextHopType: Maybe<EffectiveNextHopType>;
  readonly nextHopIpAddress?: Maybe<string | undefined>;
  readonly extra?: Partial<Pick<EffectiveRoute, "routeTable" | "route" | "vnet" | "peering" | "remoteVnet" | "gateways" | "prefixExcludes">>;
  readonly doubt?: readonly Unknown[];
}

function toRoute(d: Draft): EffectiveRoute {
  const prefixLength = isUnknown(d.prefix) ? -1 : (cidrLength(d.prefix) ?? -1);
  return {
    name: d.name,
    source: d.source,
    origin: d.origin,
    addressPrefixText: d.text,
    prefix: d.prefix,
    prefixLength,
    nextHopType: d.nextHopType,
    nextHopIpAddress: d.nextHopIpAddress,
    doubt: d.doubt ?? [],
    state: "Active",
    ...(d.extra ?? {}),
  };
}

/** The address ranges of a VNet as CIDR blocks: its prefixes as written, else its address space. */
function vnetRanges(vnet: Vnet): Maybe<Array<{ text: string; set: IpSet }>> {
  if (isUnknown(vnet.addressSpace)) return vnet.addressSpace;
  const parsed = vnet.addressPrefixes.map((t) => parsePrefix(t));
  if (parsed.length > 0 && parsed.every((p) => p.ok)) {
    return parsed.map((p) => (p.ok ? { text: p.normalized, set: p.set } : { text: "", set: IpSet.empty() }));
  }
  return vnet.addressSpace.toCidrs().map((text) => ({ text, set: IpSet.fromCidr(text) }));
}

/**
 * VNet routes, the default Internet route(s) and the reserved None routes. An address range equal to a reserved
 * prefix turns its None route into the VNet route; a range that strictly contains one removes it; a user route
 * 0.0.0.0/0 removes them all (UDR overview, routing example: "Azure removed the routes for ... when the
 * user-defined route for the 0.0.0.0/0 address prefix was added").
 */
function systemRoutes(subnet: Subnet, vnet: Maybe<Vnet | undefined>, userDefault: boolean, reserved: readonly string[], notes: string[]): Draft[] {
  const out: Draft[] = [];
  let ranges: Array<{ text: string; set: IpSet }> = [];
  if (isUnknown(vnet)) {
    out.push({ name: null, source: "Default", origin: "vnet", text: "(address space unknown)", prefix: vnet, nextHopType: "VnetLocal" });
  } else if (vnet === undefined) {
    const cause = unknown(".vnet", subnet.urn, "the subnet's virtual network is not in the plan");
    out.push({ name: null, source: "Default", origin: "vnet", text: "(address space unknown)", prefix: cause, nextHopType: "VnetLocal" });
  } else {
    const r = vnetRanges(vnet);
    if (isUnknown(r)) out.push({ name: null, source: "Default", origin: "vnet", text: "(address space unknown)", prefix: r, nextHopType: "VnetLocal", extra: { vnet } });
    else {
      ranges = r;
      for (const { text, set } of r) out.push({ name: null, source: "Default", origin: "vnet", text, prefix: set, nextHopType: "VnetLocal", extra: { vnet } });
    }
  }
  out.push({ name: null, source: "Default", origin: "internet", text: "0.0.0.0/0", prefix: IpSet.fromCidr("0.0.0.0/0"), nextHopType: "Internet" });
  // Dual-stack VNets get an IPv6 default route too; an IPv4-only VNet has no IPv6 traffic to route.
  if (ranges.some((r) => !r.set.v6.isEmpty())) {
    out.push({ name: null, source: "Default", origin: "internet", text: "::/0", prefix: IpSet.fromCidr("::/0"), nextHopType: "Internet" });
  }
  if (userDefault) return out;
  for (const text of reserved) {
    const p = parsePrefix(text);
    if (!p.ok) {
      notes.push(`reserved prefix ${text} ignored: ${p.error}`);
      continue;
    }
    // Equal: the VNet route of that range already stands in its place. Superset: Azure removes it.
    if (ranges.some((r) => p.set.isSubsetOf(r.set))) continue;
    out.push({ name: null, source: "Default", origin: "reserved", text: p.normalized, prefix: p.set, nextHopType: "None" });
  }
  return out;
}

/** One VNetPeering route per address range of each peered VNet; only Connected (two-sided) peerings count. */
function peeringRoutes(topo: Topology, vnet: Vnet): Draft[] {
  const out: Draft[] = [];
  // Azure peers only VNets whose address spaces do not overlap (virtual-network-manage-peering.md, "Requirements and
  // constraints"): a peer's unknown space is outside this VNet's own, so its route never covers the VNet's addresses.
  const excludes = isUnknown(vnet.addressSpace) ? {} : { prefixExcludes: vnet.addressSpace };
  for (const { peering, remote } of connectedPeerings(topo, vnet.key)) {
    if (isUnknown(remote)) {
      out.push({ name: null, source: "Default", origin: "peering", text: "(remote address space unknown)", prefix: remote, nextHopType: "VNetPeering", extra: { peering, ...excludes } });
      continue;
    }
    const ranges = vnetRanges(remote);
    if (isUnknown(ranges)) {
      out.push({ name: null, source: "Default", origin: "peering", text: "(remote address space unknown)", prefix: ranges, nextHopType: "VNetPeering", extra: { peering, remoteVnet: remote, ...excludes } });
      continue;
    }
    for (const { text, set } of ranges) {
      out.push({ name: null, source: "Default", origin: "peering", text, prefix: set, nextHopType: "VNetPeering", extra: { peering, remoteVnet: remote } });
    }
  }
  return out;
}

/** Gateways whose ip configuration sits in a subnet of `vnetKey` (the GatewaySubnet). */
function localGateways(topo: Topology, vnetKey: string): GatewayReach[] {
  const out: GatewayReach[] = [];
  for (const gateway of topo.gateways.values()) {
    let here = false;
    let doubt: Unknown[] = [];
    for (const key of gateway.subnetKeys) {
      if (isUnknown(key)) {
        doubt = mergeCauses(doubt, [key]);
        continue;
      }
      const s = topo.subnets.get(key);
      if (s && !isUnknown(s.vnetKey) && s.vnetKey === vnetKey) here = true;
      else if (s && isUnknown(s.vnetKey)) doubt = mergeCauses(doubt, [s.vnetKey]);
    }
    if (here) out.push({ gateway, via: "local", doubt: [] });
    else if (doubt.length > 0) out.push({ gateway, via: "local", doubt });
  }
  return out;
}

/**
 * Gateways a VNet can use: its own, or a peer's when the local peering sets useRemoteGateways and the peer's
 * peering back sets allowGatewayTransit (peering flags, docs/azure-semantics.md §2).
 */
function reachableGateways(topo: Topology, vnet: Vnet): GatewayReach[] {
  const out = localGateways(topo, vnet.key);
  for (const { peering, remote } of connectedPeerings(topo, vnet.key)) {
    if (isUnknown(remote) || peering.useRemoteGateways === false) continue;
    const back = [...topo.peerings.values()].find((q) => q.vnetKey === remote.key && q.remoteVnetKey === vnet.key);
    const transit = back?.allowGatewayTransit ?? false;
    if (transit === false) continue;
    const doubt: Unknown[] = [isUnknown(peering.useRemoteGateways) ? peering.useRemoteGateways : undefined, isUnknown(transit) ? transit : undefined].filter((u): u is Unknown => u !== undefined);
    for (const g of localGateways(topo, remote.key)) out.push({ gateway: g.gateway, via: "remote", peering, doubt: mergeCauses(g.doubt, doubt) });
  }
  return out;
}

function gatewayRoutes(reach: readonly GatewayReach[], propagation: Maybe<boolean>, options: RouteQueryOptions, notes: string[]): Draft[] {
  if (reach.length === 0) return [];
  const names = reach.map((g) => `${g.gateway.logicalName || g.gateway.key}${g.via === "remote" ? " (through a peering, gateway transit)" : ""}`).join(", ");
  if (propagation === false) {
    notes.push(`gateway routes from ${names} are not propagated: the route table disables BGP route propagation`);
    return [];
  }
  const prefixes = options.gatewayPrefixes ?? [];
  const planned = plannedGatewayRoutes(reach, propagation, options.hints ?? NO_HINTS, notes);
  if (prefixes.length === 0) {
    if (planned.length === 0) notes.push(`virtual network gateway ${names} adds routes for on-premises prefixes, which the plan does not hold; none are modelled (pass the prefixes to model them)`);
    return planned;
  }
  const gateways = reach.map((g) => g.gateway);
  let doubt = reach.every((g) => g.doubt.length > 0) ? reach.reduce<Unknown[]>((acc, g) => mergeCauses(acc, g.doubt), []) : [];
  if (isUnknown(propagation)) doubt = mergeCauses(doubt, [propagation]);
  const out: Draft[] = [...planned];
  for (const text of prefixes) {
    const p = parsePrefix(text);
    if (!p.ok) {
      notes.push(`gateway prefix ${text} ignored: ${p.error}`);
      continue;
    }
    out.push({ name: null, source: "VirtualNetworkGateway", origin: "gateway", text: p.normalized, prefix: p.set, nextHopType: "VirtualNetworkGateway", extra: { gateways }, doubt });
  }
  return out;
}

/**
 * Gateway routes the plan itself states: the remote prefixes of each reachable gateway's connections (a local
 * network gateway's address space, a VNet-to-VNet peer's address space). BGP-learned prefixes are not in the plan:
 * said in a note when a connection enables BGP or is ExpressRoute.
 */
function plannedGatewayRoutes(reach: readonly GatewayReach[], propagation: Maybe<boolean>, hints: InputHints, notes: string[]): Draft[] {
  const out: Draft[] = [];
  for (const g of reach) {
    for (const c of g.gateway.connections ?? []) {
      let doubt: Unknown[] = [...g.doubt];
      if (isUnknown(propagation)) doubt = mergeCauses(doubt, [propagation]);
      const base = { name: null, source: "VirtualNetworkGateway" as const, origin: "gateway" as const, nextHopType: "VirtualNetworkGateway" as const, extra: { gateways: [g.gateway] } };
      if (c.bgp === true || (typeof c.connectionType === "string" && c.connectionType.toLowerCase() === "expressroute")) {
        notes.push(`connection ${c.name} of gateway ${g.gateway.logicalName || g.gateway.key} learns routes over BGP, which the plan does not hold${hintInParens(hints.gatewayPrefixes)}`);
      }
      if (isUnknown(c.bgp)) notes.push(`whether connection ${c.name} enables BGP is not known at preview; routes it would learn over BGP are not in the plan`);
      if (isUnknown(c.prefixes)) {
        out.push({ ...base, text: `(${c.remote}: prefixes unknown)`, prefix: c.prefixes, doubt });
        continue;
      }
      for (const text of c.prefixes) {
        const p = parsePrefix(text);
        if (!p.ok) {
          notes.push(`prefix ${text} of ${c.remote} (connection ${c.name}) ignored: ${p.error}`);
          continue;
        }
        out.push({ ...base, text: p.normalized, prefix: p.set, doubt });
      }
    }
  }
  return out;
}

function userRoutes(table: RouteTable, tags: ServiceTagCatalog, notes: string[]): Draft[] {
  const out: Draft[] = [];
  for (const route of table.routes) {
    const base = { name: route.name, source: "User" as const, nextHopType: route.nextHopType, nextHopIpAddress: route.nextHopIpAddress, extra: { routeTable: table, route } };
    if (!route.valid) {
      notes.push(`route ${route.name} of route table ${table.logicalName || table.key} is malformed (Azure would reject it) and is left out`);
      continue;
    }
    if (isUnknown(route.addressPrefix)) {
      out.push({ ...base, origin: "user", text: route.addressPrefixText || "(unknown)", prefix: route.addressPrefix });
      continue;
    }
    if (route.addressPrefix !== undefined) {
      out.push({ ...base, origin: "user", text: route.addressPrefixText, prefix: route.addressPrefix });
      continue;
    }
    // A service tag: one route per block of the tag, ranked below explicit prefixes on an exact match.
    const set = tags.resolve(route.addressPrefixText);
    if (set === undefined) {
      const cause = unknown(`.routes[${route.name}].addressPrefix`, route.urn, `service tag ${route.addressPrefixText} is not in the service tag file`);
      out.push({ ...base, origin: "user-service-tag", text: route.addressPrefixText, prefix: cause });
      continue;
    }
    for (const cidr of set.toCidrs()) out.push({ ...base, origin: "user-service-tag", text: cidr, prefix: IpSet.fromCidr(cidr) });
  }
  return out;
}

function isIpv4Default(d: Draft): boolean {
  return !isUnknown(d.prefix) && d.prefix.equals(IpSet.fromCidr("0.0.0.0/0"));
}

/** The effective routes of a subnet (every NIC in it shares them). */
export function effectiveRoutes(topo: Topology, subnet: Subnet, options: RouteQueryOptions = {}): SubnetRoutes {
  const notes: string[] = [];
  const vnet = vnetOfSubnet(topo, subnet);
  let routeTable: Maybe<RouteTable | null>;
  const found = lookup(topo.routeTables, subnet.routeTableKey);
  if (isUnknown(found)) routeTable = found;
  else if (found === undefined && subnet.routeTableKey !== null && !isUnknown(subnet.routeTableKey)) {
    routeTable = unknown(".routeTable.id", subnet.urn, `route table ${subnet.routeTableKey} is not in the plan`);
  } else routeTable = found ?? null;

  let user: Draft[] = [];
  if (isUnknown(routeTable)) {
    // Which table (if any) applies is unknown: its routes could cover any address.
    user = [{ name: "(route table unknown)", source: "User", origin: "user", text: "(unknown)", prefix: routeTable, nextHopType: routeTable }];
  } else if (routeTable) user = userRoutes(routeTable, options.serviceTags ?? EMPTY_CATALOG, notes);

  const system = systemRoutes(subnet, vnet, user.some(isIpv4Default), options.reservedPrefixes ?? DEFAULT_RESERVED_PREFIXES, notes);
  const known = !isUnknown(vnet) && vnet !== undefined ? vnet : undefined;
  const peerings = known ? peeringRoutes(topo, known) : [];
  const gateways = known ? reachableGateways(topo, known) : [];
  const propagation: Maybe<boolean> = isUnknown(routeTable) ? routeTable : routeTable ? (isUnknown(routeTable.disableBgpRoutePropagation) ? routeTable.disableBgpRoutePropagation : !routeTable.disableBgpRoutePropagation) : true;
  const bgp = gatewayRoutes(gateways, propagation, options, notes);
  const userRoutesMade = user.map(toRoute);
  const endpoints = known ? privateEndpointRoutes(topo, known, userRoutesMade) : [];
  const services = serviceEndpointRoutes(subnet, options.serviceTags ?? EMPTY_CATALOG, options.hints ?? NO_HINTS);
  const routes = markStates([...[...system, ...peerings, ...bgp].map(toRoute), ...services, ...endpoints, ...userRoutesMade]);
  return { subnet, vnet, routeTable, routes, gateways, gatewayPropagation: propagation, notes };
}

/**
 * Effective routes per subnet and every input that shapes them: the reserved and gateway prefixes and the service
 * tag catalog (held by identity: two catalogs of the same size are still different inputs to routing).
 */
const ROUTES = memoKind<{ subnet: string; reservedPrefixes: string; gatewayPrefixes: string; serviceTags: ServiceTagCatalog }, SubnetRoutes>("effective-routes", [
  "subnet",
  "reservedPrefixes",
  "gatewayPrefixes",
  "serviceTags",
]);

/** Cached per subnet and options, in the engine environment's memo (env.memo); the catalog is the env's. */
export function effectiveRoutesCached(env: RoutingEnv, subnet: Subnet, options: RoutingOptions = {}): SubnetRoutes {
  const reservedPrefixes = options.reservedPrefixes;
  const gatewayPrefixes = options.gatewayPrefixes;
  const inputs: RouteQueryOptions = { ...(reservedPrefixes ? { reservedPrefixes } : {}), ...(gatewayPrefixes ? { gatewayPrefixes } : {}), serviceTags: env.tags, ...(env.hints ? { hints: env.hints } : {}) };
  const key = ROUTES({
    subnet: subnet.key,
    reservedPrefixes: (reservedPrefixes ?? []).join(","),
    gatewayPrefixes: (gatewayPrefixes ?? []).join(","),
    serviceTags: env.tags,
  });
  return env.memo(key, () => effectiveRoutes(env.topo, subnet, inputs));
}

export type NicRoutes = { ok: true; routes: SubnetRoutes } | { ok: false; error: string };

/** The effective routes of a NIC: those of its (primary configuration's) subnet. */
export function effectiveRoutesForNic(topo: Topology, nic: Nic, options: RouteQueryOptions = {}): NicRoutes {
  const subnet = subnetOfNic(topo, nic);
  if (isUnknown(subnet)) return { ok: false, error: `the subnet of network interface ${nic.logicalName || nic.key} is not known at preview (${subnet.path})` };
  if (!subnet) return { ok: false, error: `network interface ${nic.logicalName || nic.key} has no subnet in the plan` };
  return { ok: true, routes: effectiveRoutes(topo, subnet, options) };
}
