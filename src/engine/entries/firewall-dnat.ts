/**
 * An Azure Firewall's DNAT rules as a way in (entry.ts, issue 15): traffic from outside to a public IP of the
 * firewall is translated by the first DNAT rule that matches (docs/azure-semantics.md §12) and walked on from the
 * firewall; intents do not follow that leg, so the flows a rule may bring to a NIC are undecided, naming the rule.
 */
import type { AzureFirewall } from "../../model/firewall";
import type { Nic, PublicIp, Topology } from "../../model/topology";
import { isUnknown, unknown, type Maybe, type Unknown } from "../../model/unknown";
import { FlowSet } from "../../sets/flow-set";
import { IpSet } from "../../sets/ip-set";
import { PortSet } from "../../sets/port-set";
import { ProtocolSet } from "../../sets/protocol-set";
import type { RoutingOptions } from "../effective-routes";
import { displayName } from "../find";
import { dnatRules, firewallName, firewallRuleName, orderedFirewallRules } from "../firewall";
import { firstMatch } from "../first-match";
import { forward, SYMBOLIC_WALK, type ForwardPath, type ForwardResult, type Hop } from "../forward";
import { firewallNic } from "../hops/firewall-appliance";
import { memoKind, topoMemo } from "../memo";
import type { EngineEnv } from "../nsg";
import { nicAddresses } from "../topology-queries";
import { NO_HINTS, type InputHints } from "../../model/input-hints";
import { DEFAULT_SOURCE_PORT, protocolNumber, targetOf, type Endpoint, type TraceOutcome, type TraceRequest } from "../trace-types";
import type { EntryKind, TraceKit, TranslatedInto } from "./entry";

export const FIREWALL_DNAT: EntryKind = {
  name: "Azure Firewall DNAT",
  trace: (env, req, from, options, kit) => {
    const to = firewallPublicEndpoint(env.topo, req.to);
    return to ? traceDnat(env, req, from, to, options, kit) : undefined;
  },
  into: (topo, nic, hints) => dnatInto(topo, nic, hints),
};

interface FirewallPublicEndpoint {
  readonly firewall: AzureFirewall;
  readonly publicIp: PublicIp;
  /** The public IP's address, when the plan knows it. */
  readonly address: string | undefined;
}

/**
 * The destination (`to`) naming a public IP of a firewall: the PublicIPAddress resource (logical name, Azure name, URN), its
 * address, or the firewall itself when it has exactly one public IP.
 */
function firewallPublicEndpoint(topo: Topology, ref: string): FirewallPublicEndpoint | undefined {
  const model = topo.firewall;
  if (!model) return undefined;
  for (const fw of model.firewalls.values()) {
    const pips = fw.publicIpKeys.flatMap((k) => (typeof k === "string" && topo.publicIps.get(k) ? [topo.publicIps.get(k) as PublicIp] : []));
    for (const pip of pips) {
      const address = typeof pip.ipAddress === "string" ? pip.ipAddress : undefined;
      if ([pip.logicalName, pip.urn, isUnknown(pip.azureName) ? undefined : pip.azureName, address].includes(ref)) return { firewall: fw, publicIp: pip, address };
    }
    const names = [fw.logicalName, fw.urn, isUnknown(fw.azureName) ? undefined : fw.azureName];
    if (pips.length === 1 && fw.publicIpKeys.length === 1 && names.includes(ref)) {
      const pip = pips[0];
      return { firewall: fw, publicIp: pip, address: typeof pip.ipAddress === "string" ? pip.ipAddress : undefined };
    }
  }
  return undefined;
}

/**
 * Internet -> firewall public IP:port. The firewall's DNAT rules decide first (rule-processing: "NAT rules are
 * applied in priority before network rules"); a match translates the destination to the rule's translated address
 * and port, and the source to the firewall's own address (docs/azure-semantics.md §12: DNAT "SNATs the
 * source to a firewall address"); the translated leg then leaves AzureFirewallSubnet by its routes and meets the
 * destination's NSGs. No DNAT match: the firewall drops it (default deny).
 */
function traceDnat(env: EngineEnv, req: TraceRequest, from: Endpoint, to: FirewallPublicEndpoint, options: RoutingOptions, kit: TraceKit): TraceOutcome {
  if (from.kind !== "external") return { ok: false, refusal: { kind: "outside-source-required", target: `firewall ${firewallName(to.firewall)}'s public IP`, why: "DNAT applies to traffic arriving from outside" } };
  const withPorts = req.protocol !== "ICMP";
  if (withPorts && req.port === undefined) return { ok: false, refusal: { kind: "port-required" } };
  const sourcePort = req.sourcePort ?? DEFAULT_SOURCE_PORT;
  const protocols = ProtocolSet.of(protocolNumber(req.protocol));
  const dst = to.address !== undefined ? IpSet.fromAddress(to.address) : IpSet.all();
  const flows = FlowSet.cube({ src: from.addresses, dst, protocols, srcPorts: PortSet.of(withPorts ? sourcePort : 0), dstPorts: PortSet.of(withPorts ? (req.port as number) : 0) });
  const fw = to.firewall;
  const pipName = displayName(to.publicIp);
  const toEndpoint: Endpoint = { kind: "external", ref: req.to, addresses: to.address !== undefined ? dst : IpSet.empty(), ...(to.address === undefined ? { addressNote: `public IP ${pipName} of firewall ${firewallName(fw)}, whose address is not known at preview` } : {}) };
  const source: Hop<FlowSet> = { type: "Source", external: from.addresses };
  const decisions = firstMatch(SYMBOLIC_WALK, dnatRules(env, fw, to.address), flows);
  const paths: ForwardPath<FlowSet>[] = [];
  const notes = new Set<string>();
  let target: Endpoint = toEndpoint;
  for (const d of decisions) {
    const hop: Hop<FlowSet> = { type: "VirtualAppliance", firewall: fw, firewallDecisions: [d] };
    if (d.outcome === "Deny") {
      paths.push({ flows: d.flows, hops: [source, hop], disposition: { kind: "DeniedByFirewall", firewall: fw, rule: d.rule } });
      continue;
    }
    if (d.outcome === "Unknown" || !d.rule.rule) {
      paths.push({ flows: d.flows, hops: [source, hop], disposition: { kind: "Unknown", causes: d.causes, detail: "which DNAT rule applies is not known at preview" } });
      continue;
    }
    const r = d.rule.rule;
    const address = r.translatedAddress;
    const port = r.translatedPort;
    if (typeof address !== "string" || isUnknown(port) || typeof fw.privateIp !== "string") {
      const cause = isUnknown(address) ? address : isUnknown(port) ? port : isUnknown(fw.privateIp) ? fw.privateIp : unknownCause(fw, r.translatedFqdn);
      paths.push({ flows: d.flows, hops: [source, hop], disposition: { kind: "Unknown", causes: [cause], detail: `the translated destination of DNAT rule ${r.name} is not known from the plan` } });
      continue;
    }
    const translatedPorts = withPorts ? PortSet.of(port ?? (req.port as number)) : PortSet.of(0);
    const translated = FlowSet.cube({ src: IpSet.fromAddress(fw.privateIp), dst: IpSet.fromAddress(address), protocols, srcPorts: PortSet.of(withPorts ? sourcePort : 0), dstPorts: translatedPorts });
    const resolved = kit.resolve(address);
    if (!resolved.ok) return { ok: false, refusal: { reason: resolved.error } };
    target = resolved.endpoint;
    const shown = `${address}${withPorts ? `:${translatedPorts.toString()}` : ""}`;
    const dnatHop: Hop<FlowSet> = { type: "VirtualAppliance", firewall: fw, dnat: { rule: d.rule, translated: shown } };
    notes.add(`DNAT: ${req.to} (${to.address ?? `public IP ${pipName}`})${withPorts ? `:${req.port}` : ""} is translated by ${d.rule.ruleName} to ${shown}, source ${fw.privateIp} (the firewall's address)`);
    const leg = forward(SYMBOLIC_WALK, env, { kind: "nic", nic: firewallNic(fw) }, translated, { ...options, target: targetOf(target) });
    for (const n of leg.notes) notes.add(n);
    // The translated leg's hops after its source (the firewall itself); its fate is the original flows' fate.
    for (const p of leg.paths) paths.push({ flows: d.flows, hops: [source, dnatHop, ...p.hops.slice(1).map((h) => ({ ...h, translatedFlows: p.flows }))], disposition: p.disposition });
  }
  const result: ForwardResult<FlowSet> = { paths, notes: [...notes] };
  const walk = kit.decide(target, toEndpoint, withPorts ? sourcePort : undefined, result);
  const kept = walk.notes.filter((n) => !n.startsWith("the source is outside Azure"));
  return { ok: true, result: { ...walk, notes: kept } };
}

function unknownCause(fw: AzureFirewall, fqdn: Maybe<string | undefined> | undefined): Unknown {
  return typeof fqdn === "string"
    ? unknown(".translatedFqdn", fw.urn, `translated FQDN ${fqdn} is resolved by the firewall when traffic flows`)
    : unknown(".privateIPAddress", fw.urn, "the firewall's private IP is not known");
}

/**
 * The DNAT rules of the plan's firewalls that translate to an address of this NIC (issue 15). Intents do not follow
 * the DNAT leg (trace does), so the flows such a rule may deliver are undecided, naming it: never "nothing lets
 * traffic from outside in" beside a firewall that does.
 */
function dnatInto(topo: Topology, nic: Nic, hints: InputHints = NO_HINTS): TranslatedInto[] {
  const targets = dnatTargets(topo, hints);
  if (targets.length === 0) return [];
  const own = nicAddresses(topo, nic).may;
  return targets.filter((t) => own.contains(t.address)).map((t) => t.entry);
}

/** Every DNAT rule's translated address with its flows and cause, once per topology (classes ask per NIC). */
const DNAT_TARGETS = memoKind<{ dnatTrace: string }, ReadonlyArray<{ address: string; entry: TranslatedInto }>>("dnat-targets", ["dnatTrace"]);

function dnatTargets(topo: Topology, hints: InputHints): ReadonlyArray<{ address: string; entry: TranslatedInto }> {
  const model = topo.firewall;
  if (!model || model.firewalls.size === 0) return [];
  // The hint is in the causes' text: the front end's hint is part of the key (an absent one is not an empty one).
  return topoMemo(topo, DNAT_TARGETS({ dnatTrace: hints.dnatTrace === undefined ? "-" : `+${hints.dnatTrace}` }), () => buildDnatTargets(topo, model, hints));
}

function buildDnatTargets(topo: Topology, model: NonNullable<Topology["firewall"]>, hints: InputHints): ReadonlyArray<{ address: string; entry: TranslatedInto }> {
  const out: Array<{ address: string; entry: TranslatedInto }> = [];
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
