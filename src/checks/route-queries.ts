/**
 * What the routing checks ask of the plan: user routes to virtual appliances, the NICs that hold (or may hold) an
 * appliance address, the subnets a route table is attached to, and the addresses for which a user route wins in a
 * subnet (through the engine's effective routes; no routing logic of its own).
 */
import { effectiveRoutesCached } from "../engine/effective-routes";
import { selectRoute } from "../engine/routing";
import { lookup } from "../engine/topology-queries";
import type { Nic, Route, RouteTable, Subnet, Topology } from "../model/topology";
import { isUnknown } from "../model/unknown";
import { IpSet } from "../sets/ip-set";
import { sortedValues } from "./helpers";
import type { CheckContext } from "./types";
import { memoKind, topoMemo } from "../engine/memo";
import { topologyIndex } from "../engine/topology-index";

export interface ApplianceRoute {
  readonly table: RouteTable;
  readonly route: Route;
  readonly ip: string;
}

/** Valid user routes whose next hop is a VirtualAppliance with a known address. */
export function applianceRoutes(topo: Topology): ApplianceRoute[] {
  const out: ApplianceRoute[] = [];
  for (const table of sortedValues(topo.routeTables)) {
    for (const route of table.routes) {
      if (!route.valid || route.nextHopType !== "VirtualAppliance" || typeof route.nextHopIpAddress !== "string") continue;
      out.push({ table, route, ip: route.nextHopIpAddress });
    }
  }
  return out;
}

/** NICs that surely hold `ip` (an IP configuration's static or allocated address), in key order: the model index's. */
export function holdersOf(topo: Topology, ip: string): Nic[] {
  if (!parse(ip)) return [];
  return [...(topologyIndex(topo).holders.sure.holding(ip.trim()) ?? [])].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** NICs whose address is not known at plan time but lies in a subnet containing `ip` (they may get it). */
export function mayHold(topo: Topology, ip: string): Nic[] {
  const addr = parse(ip);
  if (!addr) return [];
  return sortedValues(topo.nics).filter((n) =>
    n.ipConfigurations.some((c) => {
      if (typeof c.privateIpAddress === "string") return false;
      const subnet = lookup(topo.subnets, c.subnetKey);
      if (isUnknown(subnet) || !subnet || isUnknown(subnet.addressSpace)) return isUnknown(subnet);
      return subnet.addressSpace.overlaps(addr);
    }),
  );
}

function parse(ip: string): IpSet | undefined {
  try {
    return IpSet.fromAddress(ip.trim());
  } catch {
    return undefined;
  }
}

/** The subnet of the plan whose range holds `ip`, if any (the model index's). */
export { subnetHolding } from "../engine/topology-index";

export function inSomeVnet(topo: Topology, ip: string): boolean {
  const addr = parse(ip);
  if (!addr) return false;
  return [...topo.vnets.values()].some((v) => !isUnknown(v.addressSpace) && addr.isSubsetOf(v.addressSpace));
}

export interface TableAttachments {
  readonly subnets: readonly Subnet[];
  /** Some subnet's route table is unknown at preview (it might be this one). */
  readonly maybeMore: boolean;
}

export function attachments(topo: Topology, table: RouteTable): TableAttachments {
  const index = tableIndex(topo);
  return { subnets: [...(index.byTable.get(table.key) ?? [])], maybeMore: index.maybeMore };
}

/** Per topology: route table key -> the subnets naming it (key order); asked for every table. */
const TABLES = memoKind<Record<string, never>, { readonly byTable: Map<string, Subnet[]>; readonly maybeMore: boolean }>("subnets-by-route-table", []);

function tableIndex(topo: Topology): { readonly byTable: Map<string, Subnet[]>; readonly maybeMore: boolean } {
  return topoMemo(topo, TABLES({}), () => buildTableIndex(topo));
}

function buildTableIndex(topo: Topology): { readonly byTable: Map<string, Subnet[]>; readonly maybeMore: boolean } {
  const byTable = new Map<string, Subnet[]>();
  for (const s of sortedValues(topo.subnets)) {
    if (typeof s.routeTableKey !== "string") continue;
    const list = byTable.get(s.routeTableKey);
    if (list) list.push(s);
    else byTable.set(s.routeTableKey, [s]);
  }
  return { byTable, maybeMore: [...topo.subnets.values()].some((s) => isUnknown(s.routeTableKey)) };
}

function sameRoute(a: Route, b: Route | undefined): boolean {
  return b !== undefined && a.routeTableKey === b.routeTableKey && a.name === b.name;
}

/** Addresses for which `route` is the winning route of traffic leaving `subnet` (empty when overridden). */
export function winningAddresses(ctx: CheckContext, subnet: Subnet, route: Route): IpSet {
  if (isUnknown(route.addressPrefix)) return IpSet.empty();
  // A route to a service tag covers the tag's prefixes from the loaded catalog, as routing expands it.
  const prefix = route.addressPrefix ?? ctx.env.tags.resolve(route.addressPrefixText);
  if (prefix === undefined) return IpSet.empty();
  const routes = effectiveRoutesCached(ctx.env, subnet, ctx.routing ?? {});
  const sel = selectRoute(routes.routes, prefix);
  return sel.parts.filter((p) => sameRoute(route, p.route.route)).reduce((acc, p) => acc.union(p.addresses), IpSet.empty());
}

export function routeText(r: ApplianceRoute | { table: RouteTable; route: Route }): string {
  const hop = isUnknown(r.route.nextHopType) ? "(next hop unknown)" : r.route.nextHopType;
  const ip = typeof r.route.nextHopIpAddress === "string" ? ` ${r.route.nextHopIpAddress}` : "";
  return `route ${r.route.name} (${r.route.addressPrefixText} -> ${hop}${ip})`;
}
