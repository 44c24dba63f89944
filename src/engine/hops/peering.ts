/**
 * Next hop VNetPeering: into a directly peered VNet (peering is not transitive), and the forwarded-traffic check
 * every entry into a peer makes (virtual-network-manage-peering.md: allowForwardedTraffic).
 */
import type { Vnet } from "../../model/topology";
import { isUnknown, unknown, type Maybe } from "../../model/unknown";
import { FlowSet } from "../../sets/flow-set";
import type { RouteUse } from "../dispositions";
import { vnetOfSubnet } from "../topology-queries";
import { toSrc, withFlows, type Hop, type State, type Walk } from "../walk";

/**
 * Forwarded-traffic check for packets entering `receiving` from `sender` over a peering: packets whose source is
 * outside the sender's address space were forwarded (by an appliance) and need allowForwardedTraffic on the
 * receiving VNet's peering to the sender. Calls `pass` with what may go on.
 */
export function crossPeering<S>(w: Walk<S>, st: State<S>, sender: Vnet, receiving: Vnet, use: RouteUse, hops: readonly Hop<S>[], pass: (st: State<S>) => void): void {
  const back = [...w.env.topo.peerings.values()].find((p) => p.vnetKey === receiving.key && p.remoteVnetKey === sender.key);
  const flag: Maybe<boolean> = back ? back.allowForwardedTraffic : false;
  if (flag === true) return pass(st);
  if (isUnknown(sender.addressSpace)) {
    // Which packets count as forwarded is unknown; if the flag is off the forwarded ones stop here.
    return pass(withFlows(st, st.flows, isUnknown(flag) ? [sender.addressSpace, flag] : [sender.addressSpace]));
  }
  const native = toSrc(w.space, st.flows, sender.addressSpace);
  const forwarded = w.space.subtract(st.flows, FlowSet.cube({ src: sender.addressSpace }));
  if (!w.space.isEmpty(native)) pass(withFlows(st, native));
  if (w.space.isEmpty(forwarded)) return;
  if (isUnknown(flag)) return pass(withFlows(st, forwarded, [flag]));
  const name = back ? back.logicalName || back.name : "(none)";
  w.finish(
    withFlows(st, forwarded),
    {
      kind: "Dropped",
      reason: "ForwardedTrafficNotAllowed",
      route: use,
      ...(back ? { peering: back } : {}),
      detail: `forwarded traffic (source outside ${sender.logicalName || sender.key}) enters ${receiving.logicalName || receiving.key} only when its peering ${name} to ${sender.logicalName || sender.key} sets allowForwardedTraffic`,
    },
    hops,
  );
}

export function senderVnet<S>(w: Walk<S>, use: RouteUse): Maybe<Vnet | undefined> {
  return vnetOfSubnet(w.env.topo, use.subnet);
}

export function toPeer<S>(w: Walk<S>, st: State<S>, use: RouteUse): void {
  const remote = use.route.remoteVnet;
  const sender = senderVnet(w, use);
  if (!remote || isUnknown(sender) || !sender) {
    const cause = isUnknown(sender) ? sender : unknown(".remoteVirtualNetwork", use.route.peering?.urn ?? "", "the peered VNet is not known");
    return w.finish(st, { kind: "Unknown", causes: [cause] });
  }
  const back = [...w.env.topo.peerings.values()].find((p) => p.vnetKey === remote.key && p.remoteVnetKey === sender.key);
  const hop: Hop<S> = { type: "VNetPeering", route: use, remoteVnet: remote, ...(use.route.peering ? { peering: use.route.peering } : {}), ...(back ? { receivingPeering: back } : {}) };
  const hops = [...st.hops, hop];
  crossPeering(w, st, sender, remote, use, hops, (next) => w.deliverIn({ ...next, hops }, remote.key, use));
}
