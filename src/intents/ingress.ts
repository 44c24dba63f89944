/**
 * How traffic from outside every VNet can reach a NIC, and which of it (src/engine/ingress.ts, docs/ingress.md):
 * an instance public IP lets in every port, a public load balancer only its rules' protocols and ports (delivered
 * on the backend port), an inbound NAT rule one port; a Standard SKU with no NSG on the NIC or its subnet lets in
 * nothing. Flows no ingress admits never reach the NSGs. Gateways (VPN/ExpressRoute) are not modelled as ingress.
 */
import type { Nic, Topology } from "../model/topology";
import type { Unknown } from "../model/unknown";
import { ingressSignature, ingressSummary, type IngressRoute } from "../engine/ingress";
import { FlowSet } from "../sets/flow-set";

export interface Ingress {
  /** yes: something surely gets in; unknown: something may; no: nothing does. */
  readonly kind: "yes" | "no" | "unknown";
  /** The routes, for messages ("public IP web-pip (Standard)", "load balancer lb rule http (TCP 80 -> 8080)"). */
  readonly via: string;
  readonly resource?: string;
  readonly admits: FlowSet;
  readonly doubtful: FlowSet;
  readonly causes: readonly Unknown[];
  readonly routes: readonly IngressRoute[];
}

/** A host (some address of a NIC-less subnet) stands for nothing with a public IP of its own: no ingress. */
export const NO_INGRESS: Ingress = { kind: "no", via: "", admits: FlowSet.empty(), doubtful: FlowSet.empty(), causes: [], routes: [] };

export function ingressOf(topo: Topology, nic: Nic): Ingress {
  const s = ingressSummary(topo, nic);
  const kind = !s.admits.isEmpty() ? "yes" : !s.doubtful.isEmpty() ? "unknown" : "no";
  const open = s.routes.filter((r) => !r.admits.isEmpty() || !r.doubtful.isEmpty());
  const first = open[0] ?? s.routes[0];
  return {
    kind,
    via: open.map(routeText).join(", "),
    ...(first && first.urns[0] ? { resource: first.urns[0] } : {}),
    admits: s.admits,
    doubtful: s.doubtful,
    causes: s.causes,
    routes: s.routes,
  };
}

/** A route as intents name it: a public IP with the configuration it is on. */
export function routeText(r: IngressRoute): string {
  return r.kind === "public-ip" ? `${r.label} on ${r.cfg.name}` : r.label;
}

/** Why a flow from outside does not get in, for a NIC whose routes do not admit it. */
export function noIngressText(nicName: string, ingress: Ingress): string {
  if (ingress.routes.length === 0) return `${nicName} has no public IP and is in no public load balancer's backend pool: nothing lets traffic from outside the VNets in`;
  const closed = ingress.routes.find((r) => r.closed);
  const open = ingress.routes.filter((r) => !r.admits.isEmpty() || !r.doubtful.isEmpty());
  if (open.length === 0 && closed) return `${nicName}: ${closed.closed}`;
  return `nothing lets this flow in to ${nicName}: ${open.length > 0 ? `only ${open.map(routeText).join(", ")} let traffic in` : ingress.routes.map(routeText).join(", ")}`;
}

export function ingressKey(i: Ingress): string {
  return `${i.kind}:${ingressSignature(i)}`;
}

