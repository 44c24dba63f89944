/**
 * Next hop VirtualAppliance: the holder of the next hop address, an Azure Firewall (its rules decide) or a NIC with
 * IP forwarding (its NSGs see the packet both ways), re-sends the packet by its own subnet's routes.
 */
import type { Nic } from "../../model/topology";
import type { AzureFirewall } from "../../model/firewall";
import { isUnknown, unknown, type Unknown } from "../../model/unknown";
import { FlowSet } from "../../sets/flow-set";
import { IpSet } from "../../sets/ip-set";
import type { RouteUse } from "../dispositions";
import type { Decision } from "../first-match";
import { evaluateFirewall, forwardingRules, firewallAt, firewallName, firewallNotes, type FirewallMatchRule } from "../firewall";
import { envCached } from "../nsg";
import { connectedPeerings, lookup, nicAddresses, subnetOfNic } from "../topology-queries";
import { mergeCauses } from "../tri-set";
import { toDst, withFlows, type Hop, type State, type Walk } from "../walk";
import { crossPeering, senderVnet } from "./peering";
import { holderOf, unmodelledIn, vnetOutsideSubnets } from "../walk-places";

export function toAppliance<S>(w: Walk<S>, st: State<S>, use: RouteUse): void {
  const ip = use.route.nextHopIpAddress;
  if (isUnknown(ip)) return w.finish(st, { kind: "Unknown", causes: [ip], detail: "the appliance address is not known at preview" });
  if (ip === undefined) return w.finish(st, { kind: "Dropped", reason: "NoApplianceAddress", route: use, detail: "next hop VirtualAppliance without a next hop address" });
  // An Azure Firewall's private IP: the firewall is the appliance (it holds no NIC of the plan).
  const fwHit = firewallAt(w.env.topo, ip);
  if (fwHit.firewall) return toFirewall(w, st, use, fwHit.firewall);
  const found = holderOf(w.env, ip);
  const holder = !found.nic && fwHit.causes.length > 0 ? { causes: mergeCauses(found.causes, fwHit.causes) } : found;
  if (!holder.nic && holder.causes.length === 0) {
    const vnet = envCached(w.env, `forward|outside-subnets|${ip}`, () => vnetOutsideSubnets(w.env.topo, ip));
    if (vnet) return w.finish(st, { kind: "NoHost", route: use, detail: `the next hop address ${ip} is in the address space of VNet ${vnet.logicalName || vnet.key} but in none of its subnets: nothing can hold it` });
  }
  if (!holder.nic) {
    const place = unmodelledIn(w.env, null).find((u) => u.space.contains(ip));
    const causes =
      holder.causes.length > 0
        ? holder.causes
        : place
          ? [place.cause]
          : [unknown(`.routes[${use.route.name ?? "?"}].nextHopIpAddress`, use.route.route?.urn ?? "", `no network interface in the plan holds ${ip} (an internal load balancer frontend, or a resource outside the plan?)`)];
    return w.finish(st, { kind: "Unknown", causes, detail: `what holds the next hop address ${ip} is not known` });
  }
  const nic = holder.nic;
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

/**
 * A stand-in NIC for an Azure Firewall, for loop detection and routing from its subnet: no NSG (AzureFirewallSubnet
 * takes none), forwarding on (forwarding is what a firewall does).
 */
export function firewallNic(fw: AzureFirewall): Nic {
  return {
    key: `firewall|${fw.key}`,
    urn: fw.urn,
    logicalName: fw.logicalName,
    azureName: fw.azureName,
    id: fw.id,
    ipConfigurations: [
      {
        name: "firewall",
        primary: true,
        subnetKey: fw.subnetKey === null ? unknown(".ipConfigurations[0].subnet", fw.urn, "the firewall has no subnet") : fw.subnetKey,
        allocation: "Static",
        privateIpAddress: fw.privateIp,
        asgKeys: [],
        publicIpKey: null,
        backendPoolRefs: [],
      },
    ],
    nsgKey: null,
    ipForwarding: true,
    tags: {},
  };
}

/** Next hop VirtualAppliance at an Azure Firewall's private IP: reachability from the sender, then its rules. */
export function toFirewall<S>(w: Walk<S>, st: State<S>, use: RouteUse, fw: AzureFirewall): void {
  const stand = firewallNic(fw);
  if (st.visited.some((v) => v.key === stand.key) || st.visited.length > (w.options.maxAppliances ?? 16)) {
    return w.finish(st, { kind: "Loop", path: [...st.visited, stand], route: use });
  }
  const sender = senderVnet(w, use);
  const fwSubnet = lookup(w.env.topo.subnets, fw.subnetKey);
  const fwVnetKey = isUnknown(fwSubnet) ? fwSubnet : fwSubnet?.vnetKey;
  if (isUnknown(sender) || isUnknown(fwVnetKey)) {
    return w.finish(st, { kind: "Unknown", causes: [isUnknown(sender) ? sender : (fwVnetKey as Unknown)], detail: `whether firewall ${firewallName(fw)} is reachable is not known` });
  }
  const base: Hop<S> = { type: "VirtualAppliance", firewall: fw, route: use };
  if (!sender || fwVnetKey === undefined || fwVnetKey === sender.key) return atFirewall(w, st, base, fw);
  const peer = connectedPeerings(w.env.topo, sender.key).find((p) => !isUnknown(p.remote) && p.remote.key === fwVnetKey);
  if (!peer || isUnknown(peer.remote)) {
    return w.finish(st, { kind: "Dropped", reason: "ApplianceUnreachable", route: use, detail: `firewall ${firewallName(fw)} is in a VNet that is neither ${sender.logicalName || sender.key} nor peered with it` });
  }
  crossPeering(w, st, sender, peer.remote, use, [...st.hops, base], (next) => atFirewall(w, next, base, fw));
}

/**
 * At an Azure Firewall: its rules decide (firewall.ts: network rules, application rules, default deny; first
 * match); what it allows leaves from AzureFirewallSubnet by that subnet's routes. Flows an application rule may
 * match go on carrying that doubt, so a later sure stop still answers "not delivered".
 */
export function atFirewall<S>(w: Walk<S>, st: State<S>, base: Hop<S>, fw: AzureFirewall): void {
  const model = w.env.topo.firewall;
  if (model) for (const n of firewallNotes(fw, model)) w.notes.add(n);
  const stand = firewallNic(fw);
  let flows = st.flows;
  // Packets addressed to the firewall itself (its private IP) are not forwarded: what it does with them (DNS proxy,
  // management) is not modelled.
  if (typeof fw.privateIp === "string" && w.space.destinations(flows).contains(fw.privateIp)) {
    const own = IpSet.fromAddress(fw.privateIp);
    w.finish(withFlows(st, toDst(w.space, flows, own)), { kind: "Unknown", causes: [unknown(".privateIPAddress", fw.urn, `traffic addressed to firewall ${firewallName(fw)} itself is not modelled`)] }, [...st.hops, base]);
    flows = w.space.subtract(flows, FlowSet.cube({ dst: own }));
    if (w.space.isEmpty(flows)) return;
  }
  // Routing only (return paths): the firewall is stateful, the return of a connection it allowed passes.
  const decisions: Decision<S, FirewallMatchRule>[] =
    w.options.evaluateNsgs === false ? [{ flows, outcome: "Allow", rule: forwardingRules(w.env, fw)[0], doubtful: [], causes: [] }] : evaluateFirewall(w.space, w.env, fw, flows);
  const hop: Hop<S> = { ...base, firewallDecisions: decisions };
  const hops = [...st.hops, hop];
  const subnet = lookup(w.env.topo.subnets, fw.subnetKey);
  for (const d of decisions) {
    if (d.outcome === "Deny") {
      w.finish(withFlows(st, d.flows), { kind: "DeniedByFirewall", firewall: fw, rule: d.rule, ...(base.route ? { route: base.route } : {}) }, hops);
      continue;
    }
    const going = withFlows(st, d.flows, d.outcome === "Unknown" ? mergeCauses(d.causes as Unknown[], d.doubtful.flatMap((r) => r.causes)) : []);
    w.routeFrom({ ...going, hops, visited: [...st.visited, stand] }, subnet);
  }
}

/** At an appliance: its inbound NSGs, IP forwarding, then it re-sends the packet. */
export function atAppliance<S>(w: Walk<S>, arriving: State<S>, base: Hop<S>, nic: Nic): void {
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
