/**
 * Evidence for one concrete flow: the same path evaluation as the symbolic check, run CONCRETE over the real NICs,
 * turned into facts a person can act on (the NSG rule, the route and its table, the appliance).
 */
import type { Direction, Entity, Nic, Topology } from "../model/topology";
import { describeUnknown, isUnknown, type Unknown } from "../model/unknown";
import type { Flow } from "../sets/flow";
import { formatFlow } from "../sets/flow";
import { protocolName } from "../sets/protocol-set";
import { ruleDoubt, ruleDoubtSuffix } from "../engine/deciding-rule";
import { displayName } from "../engine/find";
import { NO_ADMIN_RULE } from "../engine/admin-rules";
import { dispositionEvidence as dispositionFacts, entityRef, routeFact } from "../engine/dispositions";
import { CONCRETE_WALK, hostNic, type Disposition, type ForwardPath, type RouteUse } from "../engine/forward";
import type { ChainEvaluation, EngineEnv } from "../engine/nsg";
import { noIngressText, routeText, type Ingress } from "./ingress";
import { endNic, evaluatePath, type PathEnd, type Piece, type PieceFate } from "./path";
import type { Evidence, FlowTuple, ResourceRef } from "./result";
import type { IntentLayer } from "./types";

export function refOf(e: Entity): ResourceRef {
  return entityRef(e);
}

export function flowTuple(f: Flow): FlowTuple {
  const name = protocolName(f.protocol);
  return { protocol: name === String(f.protocol) ? `PROTO-${name}` : name.toUpperCase(), sourceAddress: f.src, sourcePort: f.srcPort, destinationAddress: f.dst, destinationPort: f.dstPort };
}

export function flowText(f: Flow): string {
  return formatFlow(f);
}

function ownerRef(topo: Topology, owner: { key: string; urn: string; id: string | Unknown }, appliedTo: "subnet" | "networkInterface"): ResourceRef {
  const e = appliedTo === "subnet" ? topo.subnets.get(owner.key) : topo.nics.get(owner.key);
  return e ? refOf(e) : { name: owner.key, urn: owner.urn, ...(isUnknown(owner.id) ? {} : { id: owner.id }) };
}

/** One evidence line per NSG the flow met at a NIC, in evaluation order. */
export function chainEvidence(topo: Topology, nic: Nic, direction: Direction, chain: ChainEvaluation<Flow | undefined>, allowsDecide: boolean): Evidence[] {
  const admin = adminEvidence(nic, direction, chain, allowsDecide);
  // Deny and AlwaysAllow end the evaluation: the NSGs never see the flow.
  if (admin !== undefined && (admin.access === "Deny" || admin.access === "AlwaysAllow")) return [admin];
  return [...(admin ? [admin] : []), ...nsgEvidence(topo, nic, direction, chain, allowsDecide)];
}

/** The security admin rule that decided a concrete flow at a NIC, when one matched (not the no-match stand-in). */
function adminEvidence(nic: Nic, direction: Direction, chain: ChainEvaluation<Flow | undefined>, allowsDecide: boolean): Extract<Evidence, { kind: "admin-rule" }> | undefined {
  const d = chain.admin?.decisions.find((x) => x.flows !== undefined);
  if (!d || d.rule.ruleName === NO_ADMIN_RULE) return undefined;
  const priority = isUnknown(d.rule.rule.priority) ? undefined : d.rule.rule.priority;
  const access = d.outcome;
  const verb = access === "Unknown" ? "undecided at" : access === "Deny" ? "denied by" : access === "AlwaysAllow" ? "always allowed (NSGs skipped) by" : "allowed, on to the NSGs, by";
  const doubt = d.doubtful.length > 0 ? `; may instead match ${d.doubtful.map((r) => r.ruleName).join(", ")}` : "";
  return {
    kind: "admin-rule",
    text: `security admin rule of the VNet, ${direction}: ${verb} ${d.rule.ruleName}${priority === undefined ? "" : ` (priority ${priority})`}${doubt}`,
    direction,
    nic: refOf(nic),
    ruleName: d.rule.ruleName,
    ...(priority !== undefined ? { priority } : {}),
    access,
    ruleUrn: d.rule.rule.urn,
    decisive: access === "Deny" || access === "Unknown" || (access === "AlwaysAllow" && allowsDecide),
  };
}

function nsgEvidence(topo: Topology, nic: Nic, direction: Direction, chain: ChainEvaluation<Flow | undefined>, allowsDecide: boolean): Evidence[] {
  if (chain.layers.length === 0) {
    return [{ kind: "no-nsg", text: `no NSG filters ${direction.toLowerCase()} traffic of ${displayName(nic)} (neither its subnet nor the NIC has one)`, direction, nic: refOf(nic), decisive: allowsDecide }];
  }
  const out: Evidence[] = [];
  for (const l of chain.layers) {
    const where = l.layer.appliedTo === "subnet" ? "subnet" : "network interface";
    const association = ownerRef(topo, l.layer.owner, l.layer.appliedTo);
    if (isUnknown(l.layer.nsg)) {
      out.push({ kind: "unknown", text: `the NSG of ${where} ${association.name} is not known at preview: ${describeUnknown(l.layer.nsg)}`, causes: [describeUnknown(l.layer.nsg)], decisive: true });
      continue;
    }
    const d = l.decisions.find((x) => x.flows !== undefined);
    if (!d) continue;
    const priority = isUnknown(d.rule.rule.priority) ? undefined : d.rule.rule.priority;
    const access = d.outcome;
    const nsgRef = refOf(l.layer.nsg);
    const prio = priority === undefined ? "" : ` (priority ${priority})`;
    // A sure access whose rule is not sure (earlier same-access rules may match first) names "one of" them.
    const ruleDoubtful = access === "Unknown" ? undefined : ruleDoubt(d.rule, d.doubtful);
    const doubt = access === "Unknown" && d.doubtful.length > 0 ? `; may instead match ${d.doubtful.map((r) => r.ruleName).join(", ")}` : ruleDoubtSuffix(d.rule, ruleDoubtful ? d.doubtful : []);
    out.push({
      kind: "nsg-rule",
      text: `NSG ${nsgRef.name} on ${where} ${association.name}, ${direction}: ${access === "Unknown" ? "undecided at" : access === "Allow" ? "allowed by" : "denied by"} ${ruleDoubtful ? `one of ${ruleDoubtful.candidates.join(", ")}` : d.rule.ruleName}${prio}${doubt}`,
      direction,
      nic: refOf(nic),
      nsg: nsgRef,
      appliedTo: l.layer.appliedTo,
      association,
      ruleName: d.rule.ruleName,
      ...(ruleDoubtful ? { ruleNameCandidates: ruleDoubtful.candidates, ruleNameUnknowns: ruleDoubtful.unknowns } : {}),
      ...(priority !== undefined ? { priority } : {}),
      access,
      ruleUrn: d.rule.rule.urn,
      decisive: access === "Deny" || access === "Unknown" || (access === "Allow" && allowsDecide),
    });
  }
  return out;
}

/** A route's evidence (engine/dispositions.ts builds it; its shape is Evidence "route"). */
function routeEvidence(use: RouteUse, decisive: boolean): Evidence {
  return routeFact(use, decisive);
}

/** What the disposition adds (its row in engine/dispositions.ts): the facts are Evidence members. */
function dispositionEvidence(d: Disposition): Evidence[] {
  return dispositionFacts(d);
}

function walkEvidence(env: EngineEnv, path: ForwardPath<Flow | undefined>, delivered: boolean): Evidence[] {
  const out: Evidence[] = [];
  for (const hop of path.hops) {
    if (hop.route) out.push(routeEvidence(hop.route, delivered));
    // An Azure Firewall that lets the flow through: its rule is to blame when the flow should not pass.
    if (hop.firewall) {
      for (const d of hop.firewallDecisions ?? []) {
        if (d.outcome === "Deny") continue;
        out.push({
          kind: "firewall-rule",
          text: `Azure Firewall ${displayName(hop.firewall)}: ${d.outcome === "Allow" ? "allowed" : "may be allowed"} by ${d.rule.ruleName}`,
          firewall: refOf(hop.firewall),
          ruleName: d.rule.ruleName,
          access: d.outcome === "Allow" ? "Allow" : "Unknown",
          ruleUrn: d.rule.rule?.place.urn ?? hop.firewall.urn,
          decisive: delivered,
        });
      }
    }
    const nic = hop.nic ?? (hop.host ? hostNic(hop.host) : undefined);
    if (!nic) continue;
    if (hop.inbound) out.push(...chainEvidence(env.topo, nic, "Inbound", hop.inbound, delivered));
    if (hop.outbound) out.push(...chainEvidence(env.topo, nic, "Outbound", hop.outbound, delivered));
  }
  // A deny is already in the chain evidence; other stops (routes, appliances) come from the disposition.
  return [...out, ...dispositionEvidence(path.disposition)];
}

function ingressEvidence(nic: Nic, ingress: Ingress, piece: Piece<Flow | undefined>): Evidence {
  const delivered = piece.fate === "Delivered";
  const flow = piece.flows;
  const label = (r: Ingress["routes"][number]) => `${routeText(r)}${r.skuNote ? `; ${r.skuNote}` : ""}`;
  if (flow !== undefined && ingress.admits.contains(flow)) {
    const through = ingress.routes.filter((r) => r.admits.contains(flow)).map(label);
    return { kind: "ingress", text: `enters from outside through ${through.join(", ")}`, nic: refOf(nic), present: true, decisive: delivered };
  }
  if (flow !== undefined && ingress.doubtful.contains(flow)) {
    const causes = ingress.causes.map(describeUnknown);
    return { kind: "unknown", text: `whether anything lets this flow in to ${displayName(nic)} from outside is not known at preview: ${causes.join("; ")}`, causes, decisive: true };
  }
  const notes = [...new Set(ingress.routes.flatMap((r) => (r.skuNote ? [r.skuNote] : [])))];
  return { kind: "ingress", text: `${noIngressText(displayName(nic), ingress)}${notes.length > 0 ? `; ${notes.join("; ")}` : ""}`, nic: refOf(nic), present: false, decisive: true };
}

function pieceEvidence(env: EngineEnv, piece: Piece<Flow | undefined>, dst: PathEnd): Evidence[] {
  const delivered = piece.fate === "Delivered";
  const out: Evidence[] = [];
  if (piece.path) out.push(...walkEvidence(env, piece.path, delivered));
  for (const c of piece.chains ?? []) out.push(...chainEvidence(env.topo, c.nic, c.direction, c.chain, delivered));
  const dstNic = endNic(dst);
  if (piece.ingress && dstNic) out.push(ingressEvidence(dstNic, piece.ingress, piece));
  if (piece.fate === "Unknown" && !out.some((e) => e.kind === "unknown") && piece.causes.length > 0) {
    const causes = piece.causes.map(describeUnknown);
    out.push({ kind: "unknown", text: `undecided at preview: ${causes.join("; ")}`, causes, decisive: true });
  }
  return out;
}

export interface Explanation {
  readonly fate: PieceFate;
  readonly evidence: readonly Evidence[];
  readonly causes: readonly Unknown[];
  readonly noIngress: boolean;
}

/** Runs one flow through the concrete path (real NICs) and collects the evidence. */
export function explainFlow(env: EngineEnv, layer: IntentLayer, src: PathEnd, dst: PathEnd, flow: Flow): Explanation {
  const pieces = evaluatePath(CONCRETE_WALK, env, layer, src, dst, flow).filter((p) => p.flows !== undefined);
  const piece = pieces[0];
  if (!piece) return { fate: "Stopped", evidence: [], causes: [], noIngress: false };
  return { fate: piece.fate, evidence: pieceEvidence(env, piece, dst), causes: piece.causes, noIngress: piece.noIngress === true };
}

/** The concrete fate of one flow (the brute-force oracle of the tests uses this too). */
export function concreteFate(env: EngineEnv, layer: IntentLayer, src: PathEnd, dst: PathEnd, flow: Flow): PieceFate {
  const pieces = evaluatePath(CONCRETE_WALK, env, layer, src, dst, flow).filter((p) => p.flows !== undefined);
  return pieces[0]?.fate ?? "Stopped";
}
