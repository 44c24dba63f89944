/**
 * How traffic from outside every VNet can reach a NIC, and which of it (src/engine/ingress.ts, docs/ingress.md):
 * an instance public IP lets in every port, a public load balancer only its rules' protocols and ports (delivered
 * on the backend port), an inbound NAT rule one port; a Standard SKU with no NSG on the NIC or its subnet lets in
 * nothing. Flows no ingress admits never reach the NSGs. Gateways (VPN/ExpressRoute) are not modelled as ingress.
 */
import type { Nic, Topology } from "../model/topology";
import { memoKind, topoMemo } from "../engine/memo";
import { isUnknown, unknown, type Unknown } from "../model/unknown";
import { NO_HINTS, type InputHints } from "../model/input-hints";
import { firewallName, firewallRuleName, orderedFirewallRules } from "../engine/firewall";
import { ingressSignature, ingressSummary, type IngressRoute } from "../engine/ingress";
import { nicAddresses } from "../engine/topology-queries";
import { FlowSet } from "../sets/flow-set";
import { IpSet } from "../sets/ip-set";
import { PortSet } from "../sets/port-set";
import { ProtocolSet } from "../sets/protocol-set";

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
export function dnatInto(topo: Topology, nic: Nic, hints: InputHints = NO_HINTS): DnatInto[] {
  const targets = dnatTargets(topo, hints);
  if (targets.length === 0) return [];
  const own = nicAddresses(topo, nic).may;
  return targets.filter((t) => own.contains(t.address)).map((t) => t.entry);
}

/** Every DNAT rule's translated address with its flows and cause, once per topology (classes ask per NIC). */
const DNAT_TARGETS = memoKind<{ dnatTrace: string }, ReadonlyArray<{ address: string; entry: DnatInto }>>("dnat-targets", ["dnatTrace"]);

function dnatTargets(topo: Topology, hints: InputHints): ReadonlyArray<{ address: string; entry: DnatInto }> {
  const model = topo.firewall;
  if (!model || model.firewalls.size === 0) return [];
  // The hint is in the causes' text: the front end's hint is part of the key (an absent one is not an empty one).
  return topoMemo(topo, DNAT_TARGETS({ dnatTrace: hints.dnatTrace === undefined ? "-" : `+${hints.dnatTrace}` }), () => buildDnatTargets(topo, model, hints));
}

function buildDnatTargets(topo: Topology, model: NonNullable<Topology["firewall"]>, hints: InputHints): ReadonlyArray<{ address: string; entry: DnatInto }> {
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
          cause: unknown(`.rules[${r.name}]`, r.place.urn, `Azure Firewall ${firewallName(fw)} translates traffic from outside to ${r.translatedAddress}:${ports} (${name}); intents do not follow the DNAT leg yet${hints.dnatTrace === undefined ? "" : `: ${hints.dnatTrace}`}`),
        },
      });
    }
  }
  return out;
}

/** A key for NIC classes: NICs a DNAT rule targets are each their own class (the rule names one address). */
export function dnatKey(topo: Topology, nic: Nic): string {
  return dnatInto(topo, nic).length > 0 ? `dnat:${nic.key}` : "";
}
