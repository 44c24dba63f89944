/** Next hop VirtualNetworkServiceEndpoint: to the Azure service over the subnet's service endpoint. */
import type { RouteUse } from "../dispositions";
import { type State, type Walk } from "../walk";

/**
 * Next hop VirtualNetworkServiceEndpoint: the packet goes to the Azure service over Microsoft's backbone, never
 * through an appliance or gateway a user route names (virtual-network-service-endpoints-overview). It leaves the
 * plan there, as Internet-bound traffic does.
 */
export function toService<S>(w: Walk<S>, st: State<S>, use: RouteUse): void {
  const dsts = w.space.destinations(st.flows);
  w.finish(st, { kind: "Exited", to: "Service", route: use }, [...st.hops, { type: "Internet", route: use, external: dsts }]);
}
