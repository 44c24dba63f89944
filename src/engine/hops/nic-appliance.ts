/**
 * A NIC as the appliance: the NIC holding the next hop address must be reachable from the sender (its VNet or a
 * directly peered one: "A next hop private IP address must have direct connectivity"), its inbound NSGs see the
 * packet, it forwards only with IP forwarding enabled ("Any network interface ... that forwards network traffic to
 * an address other than its own must have ... Enable IP forwarding"), then re-sends it: its own NSGs and its own
 * subnet's routes apply (virtual-networks-udr-overview.md).
 */
import type { Nic } from "../../model/topology";
import { isUnknown, type Unknown } from "../../model/unknown";
import { FlowSet } from "../../sets/flow-set";
import type { RouteUse } from "../dispositions";
import { connectedPeerings, nicAddresses, subnetOfNic } from "../topology-queries";
import { toDst, withFlows, type ApplianceKind, type Hop, type State, type Walk } from "../walk";
import { holderOf } from "../walk-places";
import { crossPeering, senderVnet } from "./peering";

/** The NIC that surely holds the address, or the causes that leave it open (a dynamic address). */
export const NIC_APPLIANCE: ApplianceKind<Nic> = {
  name: "network interface",
  find: (env, ip) => {
    const found = holderOf(env, ip);
    return { ...(found.nic ? { hit: found.nic } : {}), causes: found.causes };
  },
  enter: toNicAppliance,
};

function toNicAppliance<S>(w: Walk<S>, st: State<S>, use: RouteUse, nic: Nic): void {
  if (st.visited.some((v) => v.key === nic.key)) {
    return w.finish(st, { kind: "Loop", path: [...st.visited, nic], route: use });
  }
  if (st.visited.length > (w.options.maxAppliances ?? 16)) return w.finish(st, { kind: "Loop", path: [...st.visited, nic], route: use });
  // "A next hop private IP address must have direct connectivity": the appliance's VNet is the sender's or a peer's.
  const sender = senderVnet(w, use);
  const applianceSubnet = subnetOfNic(w.env.topo, nic);
  const applianceVnetKey = isUnknown(applianceSubnet) ? applianceSubnet : applianceSubnet?.vnetKey;
  if (isUnknown(sender) || isUnknown(applianceVnetKey)) {
    return w.finish(st, { kind: "Unknown", causes: [isUnknown(sender) ? sender : (applianceVnetKey as Unknown)], detail: `whether appliance ${nic.logicalName || nic.key} is reachable is not known` });
  }
  const base: Hop<S> = { type: "VirtualAppliance", nic, route: use };
  if (!sender || applianceVnetKey === undefined || applianceVnetKey === sender.key) return atAppliance(w, st, base, nic);
  const peer = connectedPeerings(w.env.topo, sender.key).find((p) => !isUnknown(p.remote) && p.remote.key === applianceVnetKey);
  if (!peer || isUnknown(peer.remote)) {
    return w.finish(st, { kind: "Dropped", reason: "ApplianceUnreachable", route: use, detail: `appliance ${nic.logicalName || nic.key} is in a VNet that is neither ${sender.logicalName || sender.key} nor peered with it` });
  }
  const remote = peer.remote;
  crossPeering(w, st, sender, remote, use, [...st.hops, base], (next) => atAppliance(w, next, base, nic));
}


/** At an appliance: its inbound NSGs, IP forwarding, then it re-sends the packet. */
function atAppliance<S>(w: Walk<S>, arriving: State<S>, base: Hop<S>, nic: Nic): void {
  // A packet addressed to the appliance itself (a route whose next hop is its destination) is delivered to it, not
  // forwarded: forwarding it would send it back to the same appliance, a loop Azure does not make.
  const own = nicAddresses(w.env.topo, nic).must;
  let st = arriving;
  if (w.space.destinations(st.flows).overlaps(own)) {
    w.arrive({ ...st, flows: toDst(w.space, st.flows, own) }, nic, "Destination");
    st = { ...st, flows: w.space.subtract(st.flows, FlowSet.cube({ dst: own })) };
    if (w.space.isEmpty(st.flows)) return;
  }
  const chain = w.evaluate(nic, "Inbound", st.flows, true);
  const hop: Hop<S> = { ...base, inbound: chain };
  const hops = [...st.hops, hop];
  for (const next of w.applyChain(st, chain, nic, "Inbound", hops)) {
    const fwd = nic.ipForwarding;
    if (fwd === false) {
      w.finish(next, { kind: "ApplianceNoForwarding", nic, route: base.route as RouteUse }, hops);
      continue;
    }
    const going = isUnknown(fwd) ? withFlows(next, next.flows, [fwd]) : next;
    w.leave(going, hop, nic, subnetOfNic(w.env.topo, nic));
  }
}

// ---- summaries -----------------------------------------------------------------------------------------------
