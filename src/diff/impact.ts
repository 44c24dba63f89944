/**
 * Which endpoints a change can affect, so that a diff evaluates only the pairs whose fate can differ (a pull request
 * changes a few rules; an estate has thousands of NIC groups). Sound, not clever: a pair is skipped only when
 * neither end is touched by a change and no change can touch the path between them.
 *
 * The fate of a flow from s to d depends on (src/engine/forward.ts): the NSGs of s and d (NIC and subnet) evaluated
 * in their subnets' tag contexts (VNet, peerings, the subnet's user routes: src/engine/address-context.ts), the
 * route table of s's subnet, system routes (VNets, peerings, gateways), appliances on the way (their NSGs and
 * their subnets' routes), ingress (public IPs, load balancers) and the ends' own properties and addresses. So:
 * - a changed NSG, route table, subnet, public IP or ASG touches the NICs and hosts that use it (in either plan);
 * - a changed NIC touches itself; an end whose addresses differ between the plans is touched;
 * - a change to a VNet, peering, gateway or load balancer, or one that touches an appliance (a NIC with IP
 *   forwarding, or the next hop of a route, in either plan), can change any path: every pair is evaluated.
 */
import type { Nic, Subnet, Topology } from "../model/topology";
import { isUnknown } from "../model/unknown";
import type { DiffEndpoint } from "./endpoints";

/** Canonical text of a model entity: sets by their text form, keys sorted, bigints as decimals. */
export function canonical(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v instanceof Map) return `Map{${[...v.entries()].map(([k, x]) => `${canonical(k)}:${canonical(x)}`).sort().join(",")}}`;
  if (v instanceof Set) return `Set{${[...v].map(canonical).sort().join(",")}}`;
  const proto = Object.getPrototypeOf(v) as unknown;
  // Value classes (IpSet, PortSet, ProtocolSet, ...) print themselves exactly.
  if (proto !== Object.prototype && proto !== null) return `${(v as { constructor: { name: string } }).constructor.name}(${String(v)})`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${k}:${canonical(o[k])}`)
    .join(",")}}`;
}

type MapName = "vnets" | "subnets" | "nics" | "nsgs" | "asgs" | "routeTables" | "peerings" | "publicIps" | "gateways" | "loadBalancers";
const MAPS: readonly MapName[] = ["vnets", "subnets", "nics", "nsgs", "asgs", "routeTables", "peerings", "publicIps", "gateways", "loadBalancers"];
/** Changes to these can alter any path (system routes, tag contexts, ingress through pools). */
const GLOBAL: ReadonlySet<MapName> = new Set(["vnets", "peerings", "gateways", "loadBalancers"]);
export const GLOBAL_CHANGES: readonly MapName[] = [...GLOBAL];

/** Keys of the entities added, removed or changed between the plans, per kind. */
export type ChangedKeys = Record<MapName, Set<string>>;

export function changedMaps(b: Topology, a: Topology): ChangedKeys {
  return Object.fromEntries(MAPS.map((m) => [m, changedKeys(b, a, m)])) as ChangedKeys;
}

function changedKeys(b: Topology, a: Topology, name: MapName): Set<string> {
  const out = new Set<string>();
  const bm = b[name] as ReadonlyMap<string, unknown>;
  const am = a[name] as ReadonlyMap<string, unknown>;
  for (const [k, v] of am) {
    const old = bm.get(k);
    if (old === undefined || canonical(old) !== canonical(v)) out.add(k);
  }
  for (const k of bm.keys()) if (!am.has(k)) out.add(k);
  return out;
}

export interface Impact {
  /** Every pair must be evaluated. */
  readonly all: boolean;
  readonly reason?: string;
  /** Identities (DiffEndpoint.id) of the endpoints a change touches. */
  readonly touched: ReadonlySet<string>;
}

function keyIn(set: ReadonlySet<string>, key: unknown): boolean {
  // A reference unknown at preview may be anything: it counts as touched whenever something changed.
  return isUnknown(key) ? true : typeof key === "string" && set.has(key);
}

function nicTouched(nic: Nic, topo: Topology, c: Record<MapName, Set<string>>): boolean {
  if (c.nics.has(nic.key) || keyIn(c.nsgs, nic.nsgKey)) return true;
  return nic.ipConfigurations.some((cfg) => {
    if (keyIn(c.subnets, cfg.subnetKey) || keyIn(c.publicIps, cfg.publicIpKey)) return true;
    if (isUnknown(cfg.asgKeys) || cfg.asgKeys.some((k) => c.asgs.has(k))) return true;
    const subnet = typeof cfg.subnetKey === "string" ? topo.subnets.get(cfg.subnetKey) : undefined;
    return subnet !== undefined && subnetTouched(subnet, c);
  });
}

function subnetTouched(s: Subnet, c: Record<MapName, Set<string>>): boolean {
  return c.subnets.has(s.key) || keyIn(c.nsgs, s.nsgKey) || keyIn(c.routeTables, s.routeTableKey);
}

/** NICs that forward: IP forwarding on, or holding a route's next hop address. */
export function appliances(topo: Topology): Set<string> {
  const hops = new Set<string>();
  for (const t of topo.routeTables.values()) for (const r of t.routes) if (typeof r.nextHopIpAddress === "string") hops.add(r.nextHopIpAddress);
  const out = new Set<string>();
  for (const nic of topo.nics.values()) {
    if (nic.ipForwarding !== false || nic.ipConfigurations.some((cfg) => typeof cfg.privateIpAddress === "string" && hops.has(cfg.privateIpAddress))) out.add(nic.key);
  }
  return out;
}

export function changeImpact(b: Topology, a: Topology, endpoints: readonly DiffEndpoint[]): Impact {
  const c = Object.fromEntries(MAPS.map((m) => [m, changedKeys(b, a, m)])) as Record<MapName, Set<string>>;
  const global = MAPS.find((m) => GLOBAL.has(m) && c[m].size > 0);
  if (global) return { all: true, reason: `a change to ${global}`, touched: new Set() };
  const nothing = MAPS.every((m) => c[m].size === 0);
  const touchedNics = new Set<string>();
  for (const topo of [b, a]) for (const nic of topo.nics.values()) if (!nothing && nicTouched(nic, topo, c)) touchedNics.add(nic.key);
  const forwarding = new Set([...appliances(b), ...appliances(a)]);
  const hit = [...touchedNics].find((k) => forwarding.has(k));
  if (hit) return { all: true, reason: `a change touches the appliance ${hit}`, touched: new Set() };
  const touchedSubnets = new Set<string>();
  for (const topo of [b, a]) for (const s of topo.subnets.values()) if (!nothing && subnetTouched(s, c)) touchedSubnets.add(s.urn);
  const touched = new Set<string>();
  for (const e of endpoints) {
    const moved = !e.before || !e.after || !e.before.addresses.equals(e.after.addresses);
    const keys = [...(e.before?.members ?? []), ...(e.after?.members ?? [])].map((m) => m.nic.key);
    if (moved || keys.some((k) => touchedNics.has(k)) || (e.kind === "host" && e.urns.some((u) => touchedSubnets.has(u)))) touched.add(e.id);
  }
  return { all: false, touched };
}
