/**
 * How traffic from outside every VNet can reach a NIC at all: a public IP on one of its IP configurations, or a
 * public load balancer frontend whose backend pool holds it (semantics reference, section 5, "Exposure").
 * Without one, the NSGs never see such a flow. Gateways (VPN/ExpressRoute) are not modelled as ingress.
 */
import type { Nic, Topology } from "../model/topology";
import { isUnknown, type Unknown } from "../model/unknown";
import { displayName } from "../engine/find";

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
