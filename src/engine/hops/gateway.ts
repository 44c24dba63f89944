/** Next hop VirtualNetworkGateway: on-premises, beyond the plan, through the VNet's (or a peer's) gateway. */
import type { RouteUse } from "../dispositions";
import type { SubnetRoutes } from "../effective-routes";
import { withFlows, type State, type Walk } from "../walk";

export function toGateway<S>(w: Walk<S>, st: State<S>, use: RouteUse, sr: SubnetRoutes): void {
  if (sr.gateways.length === 0) {
    return w.finish(st, { kind: "Dropped", reason: "NoGateway", route: use, detail: "next hop VirtualNetworkGateway, but the VNet has no gateway and uses no remote gateway" });
  }
  const hops = [...st.hops, { type: "VirtualNetworkGateway" as const, route: use, gateways: sr.gateways }];
  const doubt = sr.gateways.every((g) => g.doubt.length > 0) ? sr.gateways.flatMap((g) => g.doubt) : [];
  // Beyond the gateway is on-premises: outside the plan, so the walk ends here.
  w.finish(withFlows(st, st.flows, doubt), { kind: "Exited", to: "Gateway", gateways: sr.gateways, route: use }, hops);
}
