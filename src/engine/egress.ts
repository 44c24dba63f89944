/**
 * Which way a NIC's (or a host's) Internet-bound traffic leaves Azure, once a route has sent it to next hop Internet.
 * Precedence (learn.microsoft.com/azure/nat-gateway/nat-overview "NAT gateway takes precedence over other outbound
 * scenarios", learn.microsoft.com/azure/load-balancer/load-balancer-outbound-connections, and
 * learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access):
 *   1. a NAT gateway on the subnet,
 *   2. a public IP on the IP configuration (instance-level public IP),
 *   3. a public load balancer's outbound rule for a pool holding the configuration, or a load-balancing rule of a
 *      public frontend with `disableOutboundSnat` false (the rule's frontend is used for SNAT),
 *   4. default outbound access, unless the subnet is private (`defaultOutboundAccess: false`);
 *   otherwise there is no Internet egress at all.
 * A 0.0.0.0/0 user route to an appliance wins over all of them: the walk sends the traffic to the appliance, and the
 * appliance's own egress applies. Only the IPv4 egress is modelled (NAT gateways are IPv4 only); IPv6 traffic keeps
 * today's answer.
 */
import type { IpConfiguration, LoadBalancer, Nic, Topology } from "../model/topology";
import { isUnknown, type Unknown } from "../model/unknown";
import { displayName } from "./find";
import { lookup, primaryIpConfig } from "./topology-queries";

export type Egress =
  | { readonly kind: "nat-gateway" | "public-ip" | "lb-outbound" | "default-outbound"; readonly label: string; readonly snat?: string }
  | { readonly kind: "none"; readonly reason: string }
  | { readonly kind: "unknown"; readonly causes: readonly Unknown[] };

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function natGatewayName(key: string): string {
  const i = key.lastIndexOf("::");
  if (i >= 0) return key.slice(i + 2);
  const parts = key.split("/");
  return parts[parts.length - 1] || key;
}

function publicAddress(topo: Topology, key: string): string | undefined {
  const a = topo.publicIps.get(key)?.ipAddress;
  return typeof a === "string" ? a : undefined;
}

/** The frontend public IP keys of a load balancer frontend by name. */
function frontendIp(lb: LoadBalancer, name: string | Unknown): string | undefined {
  if (isUnknown(name)) return undefined;
  const fes = lb.frontends;
  if (fes === undefined || isUnknown(fes)) return undefined;
  const k = fes.find((f) => same(f.name, name))?.publicIpKey;
  return typeof k === "string" ? k : undefined;
}

function lbEgress(topo: Topology, cfg: IpConfiguration): Egress | undefined {
  for (const ref of cfg.backendPoolRefs) {
    if (isUnknown(ref)) return { kind: "unknown", causes: [ref] };
    for (const lb of topo.loadBalancers.values()) {
      if (lb.publicIpKeys.length === 0 || !lb.backendPoolRefs.some((p) => same(p, ref))) continue;
      const outbound = lb.outboundRules ?? [];
      if (isUnknown(outbound)) return { kind: "unknown", causes: [outbound] };
      const rule = outbound.find((o) => isUnknown(o.poolRef) || same(o.poolRef, ref));
      if (rule) {
        const ip = rule.frontends.map((f) => frontendIp(lb, f)).find((k) => k !== undefined);
        const snat = ip ? publicAddress(topo, ip) : undefined;
        return { kind: "lb-outbound", label: `load balancer ${displayName(lb)} outbound rule ${rule.name}`, ...(snat ? { snat } : {}) };
      }
      const rules = lb.rules ?? [];
      if (isUnknown(rules)) return { kind: "unknown", causes: [rules] };
      const snatRule = rules.find((r) => r.disableOutboundSnat === false && r.poolRefs.some((p) => !isUnknown(p) && same(p, ref)) && frontendIp(lb, r.frontend) !== undefined);
      if (snatRule) {
        const ip = frontendIp(lb, snatRule.frontend);
        const snat = ip ? publicAddress(topo, ip) : undefined;
        return { kind: "lb-outbound", label: `load balancer ${displayName(lb)} rule ${snatRule.name}'s frontend (outbound SNAT not disabled)`, ...(snat ? { snat } : {}) };
      }
    }
  }
  return undefined;
}

/** The egress of traffic sent by `nic` (a host stand-in too) from its primary IP configuration. */
export function egressOf(topo: Topology, nic: Nic): Egress {
  const cfg = primaryIpConfig(nic);
  if (!cfg) return { kind: "unknown", causes: [] };
  const subnet = lookup(topo.subnets, cfg.subnetKey);
  if (isUnknown(subnet)) return { kind: "unknown", causes: [subnet] };
  const nat = subnet?.natGatewayKey;
  // Unknown whether a NAT gateway is there: some egress exists anyway unless the subnet is private.
  if (isUnknown(nat)) return subnet?.defaultOutboundAccess === false ? { kind: "unknown", causes: [nat] } : { kind: "default-outbound", label: "a NAT gateway (unknown at preview) or default outbound access" };
  if (typeof nat === "string") return { kind: "nat-gateway", label: `NAT gateway ${natGatewayName(nat)} on subnet ${subnet ? displayName(subnet) : "?"}` };
  const pip = cfg.publicIpKey;
  if (isUnknown(pip)) return { kind: "unknown", causes: [pip] };
  if (pip !== null) {
    const p = topo.publicIps.get(pip);
    const snat = publicAddress(topo, pip);
    return { kind: "public-ip", label: `public IP ${p ? displayName(p) : pip}`, ...(snat ? { snat } : {}) };
  }
  const lb = lbEgress(topo, cfg);
  if (lb) return lb;
  const dflt = subnet?.defaultOutboundAccess;
  if (isUnknown(dflt)) return { kind: "unknown", causes: [dflt] };
  if (dflt === false) {
    return {
      kind: "none",
      reason: `subnet ${subnet ? displayName(subnet) : "?"} is private (defaultOutboundAccess: false) and ${nic.key.startsWith("host|") ? "the host" : displayName(nic)} has no explicit outbound method (no NAT gateway on the subnet, no public IP, no load balancer outbound rule)`,
    };
  }
  return { kind: "default-outbound", label: "default outbound access (an Azure-chosen address; retired for new subnets: use a NAT gateway)" };
}

/** "NAT gateway nat-gw on subnet app (SNAT 20.1.2.3)" */
export function egressText(e: Egress): string {
  if (e.kind === "none") return `no Internet egress: ${e.reason}`;
  if (e.kind === "unknown") return "Internet egress unknown at preview";
  return `${e.label}${e.snat ? ` (SNAT ${e.snat})` : ""}`;
}
