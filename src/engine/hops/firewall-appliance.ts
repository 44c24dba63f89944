/**
 * An Azure Firewall as the appliance: a route's next hop address is the firewall's private IP (it holds no NIC of
 * the plan). Reachable from the sender like any appliance; its rules decide (firewall.ts); what it allows leaves
 * AzureFirewallSubnet by that subnet's routes.
 */
import type { Nic } from "../../model/topology";
import type { AzureFirewall } from "../../model/firewall";
import { isUnknown, unknown, type Unknown } from "../../model/unknown";
import { FlowSet } from "../../sets/flow-set";
import { IpSet } from "../../sets/ip-set";
import type { RouteUse } from "../dispositions";
import type { Decision } from "../first-match";
import { evaluateFirewall, forwardingRules, firewallAt, firewallName, firewallNotes, type FirewallMatchRule } from "../firewall";
import { connectedPeerings, lookup } from "../topology-queries";
import { mergeCauses } from "../tri-set";
import { memoKind } from "../memo";
import type { EngineEnv } from "../nsg";
import { toDst, withFlows, type ApplianceKind, type AppliancePlace, type Hop, type State, type Walk } from "../walk";
import { crossPeering, senderVnet } from "./peering";

/** The firewall whose private IP is the address, or the causes that leave it open (a firewall whose IP is unknown). */
export const FIREWALL_APPLIANCE: ApplianceKind<AzureFirewall> = {
  name: "Azure Firewall",
  find: (env, ip) => {
    const r = firewallAt(env.topo, ip);
    return { ...(r.firewall ? { hit: r.firewall } : {}), causes: r.causes };
  },
  enter: toFirewall,
  placesIn: firewallPlacesIn,
};

/** Per scope (a VNet key, or null: every VNet). */
const FIREWALLS_IN = memoKind<{ scope: string | null }, readonly AppliancePlace[]>("walk-firewall-places", ["scope"]);

/**
 * The subnets of Azure Firewalls (of a VNet, or all: null), with their address space: the firewall's instances take
 * addresses there, and traffic addressed to the firewall itself is not modelled.
 */
function firewallPlacesIn(env: EngineEnv, scope: string | null): readonly AppliancePlace[] {
  const model = env.topo.firewall;
  if (!model || model.firewalls.size === 0) return [];
  return env.memo(FIREWALLS_IN({ scope }), () => {
    const out: AppliancePlace[] = [];
    for (const fw of model.firewalls.values()) {
      if (typeof fw.subnetKey !== "string") continue;
      const subnet = env.topo.subnets.get(fw.subnetKey);
      if (!subnet || isUnknown(subnet.addressSpace) || (scope !== null && subnet.vnetKey !== scope)) continue;
      out.push({
        space: subnet.addressSpace,
        cause: unknown(".ipConfigurations", fw.urn, `the address is in AzureFirewallSubnet, held by firewall ${firewallName(fw)}; traffic addressed to the firewall itself is not modelled`),
        detail: `the address is in the subnet of firewall ${firewallName(fw)}: traffic addressed to the firewall itself is not modelled`,
      });
    }
    return out;
  });
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
function toFirewall<S>(w: Walk<S>, st: State<S>, use: RouteUse, fw: AzureFirewall): void {
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
function atFirewall<S>(w: Walk<S>, st: State<S>, base: Hop<S>, fw: AzureFirewall): void {
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

