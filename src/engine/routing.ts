/**
 * Route selection as Azure does it for traffic leaving a subnet, over exact address sets.
 *
 * Sources (MicrosoftDocs/azure-docs, articles/virtual-network/virtual-networks-udr-overview.md, "How Azure
 * selects a route"): longest prefix match first; among equal prefixes User > BGP (VirtualNetworkGateway) >
 * System; system routes for the virtual network and its peerings are preferred "even if BGP routes are more
 * specific". A route overridden by an equal-prefix route of higher priority shows state "Invalid".
 */
import type { NextHopType, Nic, Peering, Route, RouteTable, VirtualNetworkGateway, Vnet } from "../model/topology";
import { isUnknown, type Maybe, type Unknown } from "../model/unknown";
import { familyBits } from "../sets/ip-family";
import { IpSet } from "../sets/ip-set";
import { mergeCauses } from "./tri-set";
import { memoKind, pureMemo } from "./memo";

/** `source` of an effective route, as the REST API spells it. */
export type RouteSource = "Default" | "User" | "VirtualNetworkGateway";

/** Next hop types of effective routes: the user-settable ones plus the system-only VNetPeering. */
export type EffectiveNextHopType = NextHopType | "VNetPeering" | "InterfaceEndpoint" | "VirtualNetworkServiceEndpoint";

/**
 * Why a route exists. Decides the tie-breaks the REST `source` alone does not: the VNet/peering exception to
 * BGP, and that an explicit user prefix beats a service-tag one on an exact match.
 */
export type RouteOrigin = "user" | "user-service-tag" | "gateway" | "vnet" | "peering" | "reserved" | "internet" | "privateEndpoint" | "serviceEndpoint";

export interface EffectiveRoute {
  /** The user route's name; null for system and gateway routes (the REST API shows null there). */
  readonly name: string | null;
  readonly source: RouteSource;
  readonly origin: RouteOrigin;
  /** The prefix as written (CIDR, service tag) or as Azure would show it for system routes. */
  readonly addressPrefixText: string;
  /** Exactly one CIDR block; Unknown when the prefix is not known at preview. */
  readonly prefix: Maybe<IpSet>;
  /**
   * For an unknown prefix: addresses it surely does not cover, by Azure's own rules (a peered VNet's address space
   * never overlaps the local VNet's). Route selection decides those addresses without it.
   */
  readonly prefixExcludes?: IpSet;
  /** Prefix length of `prefix`; -1 when the prefix is unknown. */
  readonly prefixLength: number;
  readonly nextHopType: Maybe<EffectiveNextHopType>;
  readonly nextHopIpAddress: Maybe<string | undefined>;
  /** User routes: the table and the model route. */
  readonly routeTable?: RouteTable;
  readonly route?: Route;
  /** VnetLocal system routes: the VNet; VNetPeering routes: the local peering and the remote VNet. */
  readonly vnet?: Vnet;
  readonly peering?: Peering;
  readonly remoteVnet?: Vnet;
  /** Gateway routes: the gateways that advertise them. */
  readonly gateways?: readonly VirtualNetworkGateway[];
  /** InterfaceEndpoint routes: the private endpoint's NIC. */
  readonly privateEndpointNic?: Nic;
  /** VirtualNetworkServiceEndpoint routes: the service (Microsoft.Storage, ...) and the tag its prefixes come from. */
  readonly service?: { readonly name: string; readonly tag: string };
  /** Non-empty when whether this route exists at all depends on values unknown at preview. */
  readonly doubt: readonly Unknown[];
  readonly state: "Active" | "Invalid";
  /** One line saying which route overrides this one, when Invalid. */
  readonly invalidBecause?: string;
}

/** Addresses whose winning route is `route`. */
export interface RoutePart {
  readonly route: EffectiveRoute;
  readonly addresses: IpSet;
}

/** Addresses whose winning route depends on unknown values (an unknown prefix, a route that may not exist). */
export interface UndecidedRoutePart {
  readonly addresses: IpSet;
  readonly causes: readonly Unknown[];
  /** The routes whose unknowns are to blame. */
  readonly candidates: readonly EffectiveRoute[];
}

/** A partition of the destination set: every address is in exactly one part, `undecided` or `unrouted`. */
export interface RouteSelection {
  readonly parts: readonly RoutePart[];
  readonly undecided: readonly UndecidedRoutePart[];
  /** Addresses no route covers (Azure always has 0.0.0.0/0; an IPv6 address without ::/0 can land here). */
  readonly unrouted: IpSet;
}

/**
 * Tie-break between equal prefixes: lower wins. User beats BGP beats System (UDR overview); an explicit user
 * prefix beats a service-tag one ("Exact Match" section); among system routes the VNet and peering routes beat
 * a reserved None route of the same prefix (a peered range equal to a reserved prefix: the documentation is
 * silent; a peering route that were dropped would make the peering useless, so we assume it wins).
 */
const ORIGIN_RANK: Readonly<Record<RouteOrigin, number>> = {
  // Service endpoint routes override user and BGP routes to the service's prefixes
  // (virtual-network-service-endpoints-overview; docs/endpoints.md): first on an equal prefix.
  serviceEndpoint: -1,
  user: 0,
  "user-service-tag": 1,
  gateway: 2,
  vnet: 3,
  peering: 4,
  reserved: 5,
  internet: 6,
  // A private endpoint's /32 on an equal prefix: the documentation is silent; like any system route it yields to a
  // user route of the same prefix (docs/endpoints.md).
  privateEndpoint: 3,
};

function originRank(origin: RouteOrigin): number {
  return ORIGIN_RANK[origin];
}

/** The prefix length of a set that is exactly one CIDR block, else undefined. */
export function cidrLength(set: IpSet): number | undefined {
  const v4 = set.v4.intervals();
  const v6 = set.v6.intervals();
  if (v4.length + v6.length !== 1) return undefined;
  const family = v4.length === 1 ? 4 : 6;
  const [lo, hi] = (family === 4 ? v4[0] : v6[0]) as readonly [bigint, bigint];
  const size = hi - lo + 1n;
  if ((size & (size - 1n)) !== 0n || lo % size !== 0n) return undefined;
  return familyBits(family) - (size.toString(2).length - 1);
}

/**
 * Per route list (effective route lists are cached per subnet, so the same arrays come back walk after walk): the
 * exception space and the preference order, computed once. Both are pure functions of the list.
 */
const EXCEPTIONS = memoKind<{ routes: readonly EffectiveRoute[] }, IpSet>("route-exception-space", ["routes"]);
const ORDERS = memoKind<{ routes: readonly EffectiveRoute[] }, EffectiveRoute[]>("route-preference-order", ["routes"]);

/** Routes that carry the VNet/peering exception: BGP routes never win for addresses these cover. */
function vnetAndPeeringSpace(routes: readonly EffectiveRoute[]): IpSet {
  return pureMemo(EXCEPTIONS({ routes }), () => computeVnetAndPeeringSpace(routes));
}

function computeVnetAndPeeringSpace(routes: readonly EffectiveRoute[]): IpSet {
  let out = IpSet.empty();
  for (const r of routes) {
    // "System routes for traffic related to virtual network, virtual network peerings, or virtual network service
    // endpoints, are preferred routes, even if BGP routes are more specific" (UDR overview).
    if ((r.origin === "vnet" || r.origin === "peering" || r.origin === "serviceEndpoint") && !isUnknown(r.prefix) && r.doubt.length === 0) out = out.union(r.prefix);
  }
  return out;
}

/** Routes in the order Azure prefers them: longer prefix first, then the tie-break rank, then as listed. */
function preferenceOrder(routes: readonly EffectiveRoute[]): EffectiveRoute[] {
  return routes
    .map((route, index) => ({ route, index }))
    .sort((a, b) => b.route.prefixLength - a.route.prefixLength || originRank(a.route.origin) - originRank(b.route.origin) || a.index - b.index)
    .map((x) => x.route);
}

/**
 * The addresses a route can win for: its prefix, minus the VNet/peering space for BGP routes (the documented
 * exception makes those system routes preferred whatever the BGP prefix length).
 */
function coverage(route: EffectiveRoute, exception: IpSet): IpSet {
  if (isUnknown(route.prefix)) return IpSet.empty();
  // A private endpoint route invalidated under network policies (private-endpoint-routes.ts) never wins.
  if (route.origin === "privateEndpoint" && route.state === "Invalid") return IpSet.empty();
  return route.origin === "gateway" ? route.prefix.subtract(exception) : route.prefix;
}

/**
 * Partitions `dst` by the route that wins for each address. Exact: the addresses whose longest match is route R
 * are R's prefix minus what longer (or equally long and preferred) routes already took, computed with interval
 * arithmetic, never by enumerating addresses.
 *
 * A route whose prefix is unknown could be longer than any other for any address, so it leaves the whole set
 * undecided; a route that may or may not exist leaves undecided the addresses it would win.
 */
export function selectRoute(routes: readonly EffectiveRoute[], dst: IpSet): RouteSelection {
  if (dst.isEmpty()) return { parts: [], undecided: [], unrouted: IpSet.empty() };
  const split = unknownPrefixSplit(routes);
  if (split) {
    // Where an unknown prefix may reach, it may be the longest match: undecided. Elsewhere (prefixExcludes: what
    // Azure's rules keep it from covering) the known routes decide, exactly as if it were absent.
    const open = dst.intersect(split.reach);
    const closed = dst.subtract(split.reach);
    const rest = closed.isEmpty() ? { parts: [], undecided: [], unrouted: IpSet.empty() } : selectRoute(split.known, closed);
    const undecided = open.isEmpty() ? [] : [{ addresses: open, causes: split.causes, candidates: split.unknown }];
    return { parts: rest.parts, undecided: [...undecided, ...rest.undecided], unrouted: rest.unrouted };
  }
  const exception = vnetAndPeeringSpace(routes);
  const parts: RoutePart[] = [];
  const undecided: UndecidedRoutePart[] = [];
  let remaining = dst;
  const order = pureMemo(ORDERS({ routes }), () => preferenceOrder(routes));
  for (const route of order) {
    if (remaining.isEmpty()) break;
    const hit = remaining.intersect(coverage(route, exception));
    if (hit.isEmpty()) continue;
    if (route.doubt.length > 0) undecided.push({ addresses: hit, causes: route.doubt, candidates: [route] });
    else parts.push({ route, addresses: hit });
    remaining = remaining.subtract(hit);
  }
  return { parts, undecided, unrouted: remaining };
}

interface UnknownPrefixSplit {
  readonly unknown: readonly EffectiveRoute[];
  readonly known: readonly EffectiveRoute[];
  /** The addresses some unknown prefix may cover. */
  readonly reach: IpSet;
  readonly causes: readonly Unknown[];
}

const SPLITS = memoKind<{ routes: readonly EffectiveRoute[] }, UnknownPrefixSplit | undefined>("route-unknown-prefix-split", ["routes"]);

/** Per route list: its routes of unknown prefix apart from the others (null when there are none), computed once. */
function unknownPrefixSplit(routes: readonly EffectiveRoute[]): UnknownPrefixSplit | undefined {
  return pureMemo(SPLITS({ routes }), () => {
    const unknownPrefix = routes.filter((r) => isUnknown(r.prefix));
    if (unknownPrefix.length === 0) return undefined;
    const causes = unknownPrefix.reduce<Unknown[]>((acc, r) => mergeCauses(acc, isUnknown(r.prefix) ? [r.prefix, ...r.doubt] : r.doubt), []);
    const reach = IpSet.unionAll(unknownPrefix.map((r) => (r.prefixExcludes ? IpSet.all().subtract(r.prefixExcludes) : IpSet.all())));
    return { unknown: unknownPrefix, known: routes.filter((r) => !isUnknown(r.prefix)), reach, causes };
  });
}

/**
 * Marks overridden routes "Invalid", as the effective routes view does: a route with the same prefix as a
 * preferred route, and a BGP route entirely inside the VNet/peering space (the exception leaves it nothing).
 */
export function markStates(routes: readonly EffectiveRoute[]): EffectiveRoute[] {
  const exception = vnetAndPeeringSpace(routes);
  return routes.map((r) => {
    if (isUnknown(r.prefix)) return r;
    if (r.origin === "privateEndpoint" && r.state === "Invalid") return r;
    const prefix = r.prefix;
    const winner = routes.find(
      (q) => q !== r && q.doubt.length === 0 && !isUnknown(q.prefix) && q.prefix.equals(prefix) && originRank(q.origin) < originRank(r.origin),
    );
    if (winner) return { ...r, state: "Invalid", invalidBecause: `overridden by ${describeRoute(winner)}` };
    if (r.origin === "gateway" && prefix.isSubsetOf(exception)) {
      return { ...r, state: "Invalid", invalidBecause: "virtual network and peering routes are preferred over BGP routes" };
    }
    return { ...r, state: "Active" };
  });
}

/** "user route to-fw 0.0.0.0/0 -> VirtualAppliance 10.0.0.4 (route table rt-spoke)" and the like. */
export function describeRoute(r: EffectiveRoute): string {
  const hop = isUnknown(r.nextHopType) ? "(next hop unknown)" : r.nextHopType;
  const ip = typeof r.nextHopIpAddress === "string" ? ` ${r.nextHopIpAddress}` : isUnknown(r.nextHopIpAddress) ? " (address unknown)" : "";
  const prefix = isUnknown(r.prefix) ? `${r.addressPrefixText || "(prefix unknown)"}` : r.addressPrefixText;
  if (r.source === "User") {
    const table = r.routeTable ? ` (route table ${r.routeTable.logicalName || r.routeTable.key})` : "";
    return `user route ${r.name ?? "?"} ${prefix} -> ${hop}${ip}${table}`;
  }
  if (r.source === "VirtualNetworkGateway") return `gateway route ${prefix} -> ${hop}`;
  if (r.service) return `service endpoint route ${prefix} (${r.service.name}${r.service.tag !== "?" ? `, service tag ${r.service.tag}` : ""}) -> ${hop}`;
  if (r.privateEndpointNic) return `private endpoint route ${prefix} -> ${hop} (private endpoint ${r.privateEndpointNic.logicalName || r.privateEndpointNic.key})`;
  return `system route ${prefix} -> ${hop}`;
}
