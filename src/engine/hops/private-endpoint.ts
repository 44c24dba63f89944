/** Next hop InterfaceEndpoint: a private endpoint's /32 route. */
import { isUnknown } from "../../model/unknown";
import type { RouteUse } from "../dispositions";
import { type State, type Walk } from "../walk";
import { toPeer } from "./peering";

/**
 * Next hop InterfaceEndpoint: the private endpoint's /32 route delivers straight to its NIC in its VNet (across the
 * peering when the endpoint is in a peered VNet), whatever appliance a less specific user route names.
 */
export function toPrivateEndpoint<S>(w: Walk<S>, st: State<S>, use: RouteUse): void {
  if (use.route.remoteVnet) return toPeer(w, st, use);
  const vnetKey = use.route.vnet?.key ?? use.subnet.vnetKey;
  const hops = [...st.hops, { type: "VnetLocal" as const, route: use }];
  if (isUnknown(vnetKey)) return w.finish(st, { kind: "Unknown", causes: [vnetKey] }, hops);
  return w.deliverIn({ ...st, hops }, vnetKey, use);
}
