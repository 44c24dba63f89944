/**
 * Network Watcher's effective route list of a NIC (networkInterface.json EffectiveRoute, camelCase), built from the
 * engine's routes (engine/effective-routes.ts). The engine computes the routes; this is the one place that shapes them
 * as the REST answer (issue 14 point 6: answers are data, built outside the engine).
 */
import type { Nic } from "../model/topology";
import { describeUnknown, isUnknown, type Maybe, type Unknown } from "../model/unknown";
import type { SubnetRoutes } from "../engine/effective-routes";
import type { EffectiveRoute, RouteSource } from "../engine/routing";

/** One entry of Network Watcher's effective route list (networkInterface.json EffectiveRoute), camelCase. */
export interface EffectiveRouteJson {
  readonly name: string | null;
  readonly disableBgpRoutePropagation: boolean;
  readonly source: RouteSource;
  readonly state: "Active" | "Invalid";
  readonly addressPrefix: string[];
  readonly nextHopIpAddress: string[];
  readonly nextHopType: string;
  /** Extension: why this route is Invalid, or what is unknown about it. */
  readonly note?: string;
}

export interface EffectiveRoutesJson {
  readonly value: EffectiveRouteJson[];
  /** Extensions: the network interface and subnet, and what is not modelled or not known. */
  readonly networkInterface?: { readonly id: string; readonly name: string };
  readonly subnet?: { readonly id: string; readonly name: string };
  readonly routeTableId?: string | null;
  readonly notes?: string[];
  readonly unknowns?: string[];
}

const UNKNOWN_TEXT = "(unknown at preview)";

export function routeToJson(r: EffectiveRoute, disableBgp: boolean): EffectiveRouteJson {
  const hopIp = r.nextHopIpAddress;
  const note = r.invalidBecause ?? (isUnknown(r.prefix) ? `address prefix unknown: ${r.prefix.path}` : isUnknown(r.nextHopType) ? `next hop unknown: ${r.nextHopType.path}` : r.doubt.length > 0 ? `may not exist: ${r.doubt.map((u) => u.path).join(", ")}` : undefined);
  return {
    name: r.name,
    disableBgpRoutePropagation: disableBgp,
    source: r.source,
    state: r.state,
    addressPrefix: [isUnknown(r.prefix) ? UNKNOWN_TEXT : r.addressPrefixText],
    nextHopIpAddress: typeof hopIp === "string" ? [hopIp] : isUnknown(hopIp) ? [UNKNOWN_TEXT] : [],
    nextHopType: isUnknown(r.nextHopType) ? UNKNOWN_TEXT : r.nextHopType,
    ...(note !== undefined ? { note } : {}),
  };
}

/** Network Watcher's effective route list of a NIC (`{value:[...]}`), with the extensions named above. */
export function effectiveRoutesJson(nic: Nic, sr: SubnetRoutes): EffectiveRoutesJson {
  const disableBgp = sr.gatewayPropagation === false;
  const unknowns = new Map<string, string>();
  const note = (u: Unknown): void => void unknowns.set(`${u.resource ?? ""}|${u.path}`, describeUnknown(u));
  if (isUnknown(sr.routeTable)) note(sr.routeTable);
  for (const r of sr.routes) {
    if (isUnknown(r.prefix)) note(r.prefix);
    if (isUnknown(r.nextHopType)) note(r.nextHopType);
    if (isUnknown(r.nextHopIpAddress)) note(r.nextHopIpAddress);
    r.doubt.forEach(note);
  }
  const name = (e: { logicalName: string; key: string; azureName: Maybe<string> }): string => e.logicalName || (isUnknown(e.azureName) ? e.key : e.azureName);
  const idOf = (e: { id: Maybe<string>; urn: string }): string => (isUnknown(e.id) ? e.urn : e.id);
  return {
    value: sr.routes.map((r) => routeToJson(r, disableBgp)),
    networkInterface: { id: idOf(nic), name: name(nic) },
    subnet: { id: idOf(sr.subnet), name: name(sr.subnet) },
    routeTableId: isUnknown(sr.routeTable) ? UNKNOWN_TEXT : sr.routeTable ? idOf(sr.routeTable) : null,
    ...(sr.notes.length > 0 ? { notes: [...sr.notes] } : {}),
    ...(unknowns.size > 0 ? { unknowns: [...unknowns.values()] } : {}),
  };
}
