/**
 * What changed between two plans' topologies, per kind of entity (canonical comparison of the model), and which
 * NICs are appliances: the inputs of changed-flows.ts, which turns them into the flows a change can affect.
 */
import type { Topology } from "../model/topology";

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
