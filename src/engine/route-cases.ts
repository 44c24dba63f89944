/**
 * Deciding an undecided route by cases (issue 12, point 7): for addresses whose winning route depends on values
 * unknown at preview, the winner is one of the routes whose unknowns leave it open (an unknown prefix may be the
 * longest match; a route that may not exist wins if it does), or else a route that wins without them. When every
 * one of those sends the traffic to the same next hop, that next hop is sure whatever the unknowns are. Used by
 * next hop (answers/next-hop.ts) and the walk (forward.ts), so both decide alike.
 */
import { isUnknown } from "../model/unknown";
import { IpSet } from "../sets/ip-set";
import { describeRoute, selectRoute, type EffectiveRoute } from "./routing";

export interface RouteCase {
  readonly route: EffectiveRoute;
  /** "user route x 0.0.0.0/0 -> ..." or "otherwise user route ...". */
  readonly label: string;
}

export interface RouteCases {
  readonly cases: readonly RouteCase[];
  /** A route that wins without the undecided ones (the one to follow when every case agrees); undefined if none. */
  readonly fallback?: EffectiveRoute;
  /** True when every case sends to one next hop (type, appliance address, peered VNet), all of them known. */
  readonly agree: boolean;
}

/** Where a route sends traffic, for comparison; undefined when that is not known. */
function nextHopKey(r: EffectiveRoute): string | undefined {
  if (isUnknown(r.nextHopType) || isUnknown(r.nextHopIpAddress)) return undefined;
  if (r.nextHopType === "VNetPeering") return r.remoteVnet ? `VNetPeering ${r.remoteVnet.key}` : undefined;
  return r.nextHopType === "VirtualAppliance" ? `VirtualAppliance ${r.nextHopIpAddress ?? ""}` : r.nextHopType;
}

/**
 * The possible winners for `addresses` given the undecided `candidates`; undefined when the routes that win without
 * them are themselves undecided (or leave some address unrouted, which no case can settle).
 */
export function routeCases(routes: readonly EffectiveRoute[], candidates: readonly EffectiveRoute[], addresses: IpSet): RouteCases | undefined {
  const without = selectRoute(
    routes.filter((r) => !candidates.includes(r)),
    addresses,
  );
  if (without.undecided.length > 0 || !without.unrouted.isEmpty()) return undefined;
  const others = without.parts.map((p) => p.route).filter((r, i, a) => a.indexOf(r) === i);
  const cases = [...candidates.map((route) => ({ route, label: describeRoute(route) })), ...others.map((route) => ({ route, label: `otherwise ${describeRoute(route)}` }))];
  const keys = new Set(cases.map((c) => nextHopKey(c.route)));
  const agree = others.length > 0 && keys.size === 1 && !keys.has(undefined);
  return { cases, ...(others[0] ? { fallback: others[0] } : {}), agree };
}
