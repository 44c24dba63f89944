/**
 * How traffic from outside every VNet can reach a NIC at all: a public IP on one of its IP configurations, or a
 * public load balancer frontend whose backend pool holds it (semantics reference, section 5, "Exposure").
 * Without one, the NSGs never see such a flow. Gateways (VPN/ExpressRoute) are not modelled as ingress.
 */
import type { Nic, Topology } from "../model/topology";
import { isUnknown, type Unknown } from "../model/unknown";
import { displayName } from "../engine/find";
import { firewallName, firewallRuleName, orderedFirewallRules } from "../engine/firewall";
import { nicAddresses } from "../engine/topology-queries";
import { unknown } from "../model/unknown";
import { FlowSet } from "../sets/flow-set";
import { IpSet } from "../sets/ip-set";
import { PortSet } from "../sets/port-set";
import { ProtocolSet } from "../sets/protocol-set";

export type Ingress =
  | { readonly kind: "yes"; readonly via: string; readonly resource: string }
  | { readonly kind: "no" }
  | { readonly kind: "unknown"; readonly causes: readonly Unknown[] };

function samePool(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export function ingressOf(topo: Topology, nic: Nic): Ingress {
  const causes: Unknown[] = [];
  for (const cfg of nic.ipConfigurations) {
    if (isUnknown(cfg.publicIpKey)) causes.push(cfg.publicIpKey);
    else if (cfg.publicIpKey !== null) {
      const pip = topo.publicIps.get(cfg.publicIpKey);
      return { kind: "yes", via: `public IP ${pip ? displayName(pip) : cfg.publicIpKey} on ${cfg.name}`, resource: pip?.urn ?? nic.urn };
    }
  }
  for (const cfg of nic.ipConfigurations) {
    for (const ref of cfg.backendPoolRefs) {
      if (isUnknown(ref)) {
        causes.push(ref);
        continue;
      }
      for (const lb of topo.loadBalancers.values()) {
        if (lb.publicIpKeys.length === 0 || !lb.backendPoolRefs.some((p) => samePool(p, ref))) continue;
        return { kind: "yes", via: `public load balancer ${displayName(lb)} (backend pool ${ref.split("/").pop() ?? ref})`, resource: lb.urn };
      }
    }
  }
  return causes.length > 0 ? { kind: "unknown", causes } : { kind: "no" };
}

export function ingressKey(i: Ingress): string {
  return i.kind;
}

/** Flows from outside that an Azure Firewall DNAT rule may translate to a NIC's address, and why they are undecided. */
export interface DnatInto {
  /** Translated flows: destination the NIC's address, the rule's protocols, the translated port. */
  readonly flows: FlowSet;
  readonly cause: Unknown;
}

/**
 * The DNAT rules of the plan's firewalls that translate to an address of this NIC (issue 15). Intents do not follow
 * the DNAT leg (trace does), so the flows such a rule may deliver are undecided, naming it: never "nothing lets
 * traffic from outside in" beside a firewall that does.
 */
export function dnatInto(topo: Topology, nic: Nic): DnatInto[] {
  const targets = dnatTargets(topo);
  if (targets.length === 0) return [];
  const own = nicAddresses(topo, nic).may;
  return targets.filter((t) => own.contains(t.address)).map((t) => t.entry);
}

/** Every DNAT rule's translated address with its flows and cause, once per topology (classes ask per NIC). */
const DNAT_TARGETS = new WeakMap<Topology, ReadonlyArray<{ address: string; entry: DnatInto }>>();

function dnatTargets(topo: Topology): ReadonlyArray<{ address: string; entry: DnatInto }> {
  const model = topo.firewall;
  if (!model || model.firewalls.size === 0) return [];
  const hit = DNAT_TARGETS.get(topo);
  if (hit) return hit;
  const out: Array<{ address: string; entry: DnatInto }> = [];
  for (const fw of model.firewalls.values()) {
    for (const o of orderedFirewallRules(model, fw).rules) {
      const r = o.rule;
      if (o.kind !== "Nat" || typeof r.translatedAddress !== "string") continue;
      const protocols = isUnknown(r.protocols) ? ProtocolSet.all() : r.protocols;
      const ports = typeof r.translatedPort === "number" ? PortSet.of(r.translatedPort) : isUnknown(r.destinationPorts) || isUnknown(r.translatedPort) ? PortSet.all() : r.destinationPorts;
      const name = firewallRuleName({ policyName: o.policyName, ...(o.groupName !== undefined ? { groupName: o.groupName } : {}), collection: o.collection, rule: r });
      out.push({
        address: r.translatedAddress,
        entry: {
          flows: FlowSet.cube({ dst: IpSet.fromAddress(r.translatedAddress), protocols, dstPorts: ports }),
          cause: unknown(`.rules[${r.name}]`, r.place.urn, `Azure Firewall ${firewallName(fw)} translates traffic from outside to ${r.translatedAddress}:${ports} (${name}); intents do not follow the DNAT leg yet: trace --to the firewall's public IP does`),
        },
      });
    }
  }
  DNAT_TARGETS.set(topo, out);
  return out;
}

/** A key for NIC classes: NICs a DNAT rule targets are each their own class (the rule names one address). */
export function dnatKey(topo: Topology, nic: Nic): string {
  return dnatInto(topo, nic).length > 0 ? `dnat:${nic.key}` : "";
}
