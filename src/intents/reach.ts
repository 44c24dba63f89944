/**
 * Checking a reachability intent over ALL its flows: a search for a counterexample (as in Batfish's
 * searchFilters / reachability questions), never a sample.
 *
 * The flows of an intent are every (source address, destination address, protocol, source port, destination port)
 * with the source address held by a selected source NIC (or outside every VNet), the destination address held by a
 * different selected destination NIC (or outside every VNet), and the intent's protocols and ports. A dynamic
 * address stands for every address the NIC may be given. `reachable` holds when every such flow is delivered;
 * `unreachable` when none is.
 *
 * NICs are grouped into equivalence classes (classes.ts); each pair of classes is evaluated once, symbolically,
 * over the union of the members' addresses. A failing part of the answer counts only where a real pair of
 * distinct NICs (and distinct addresses) can produce it; the counterexample is taken there and re-run concretely
 * over the real NICs to collect its evidence.
 */
import type { Nic } from "../model/topology";
import { describeUnknown, type Unknown } from "../model/unknown";
import type { Flow } from "../sets/flow";
import { hasPorts } from "../sets/flow";
import { FlowSet, type FlowCube } from "../sets/flow-set";
import { IpSet } from "../sets/ip-set";
import { PortSet } from "../sets/port-set";
import { Icmp, ProtocolSet, Tcp, Udp } from "../sets/protocol-set";
import { SYMBOLIC_WALK } from "../engine/forward";
import type { EngineEnv } from "../engine/nsg";
import { mergeCauses } from "../engine/tri-set";
import { classify, type NicClass } from "./classes";
import { select, selectsNothing, type ExternalPart, type HostPart, type NicMember, type Selection } from "./endpoints";
import { explainFlow, flowText, flowTuple, refOf } from "./explain";
import { evaluatePath, type PathEnd, type Piece } from "./path";
import type { Counterexample, Evidence, IntentResult, ReachDetails, ResourceRef, Verdict } from "./result";
import { describeSelector, selectorToJson } from "./selector";
import type { ReachIntent } from "./types";

export interface ReachOptions {
  /**
   * Restricts the flows considered (intersected with the intent's). For tests: a space small enough for a
   * brute-force oracle to enumerate. Absent: every flow.
   */
  readonly universe?: FlowSet;
}

const PORT_PROTOCOLS = ProtocolSet.of(Tcp, Udp);

/** The intent's protocols and destination ports (addresses come per class pair). */
export function intentFlowBase(protocol: ReachIntent["protocol"], ports: PortSet): FlowSet {
  const protocols = protocol === "Tcp" ? ProtocolSet.of(Tcp) : protocol === "Udp" ? ProtocolSet.of(Udp) : protocol === "Icmp" ? ProtocolSet.of(Icmp) : ProtocolSet.all();
  if (ports.isAll()) return FlowSet.cube({ protocols });
  // Ports exist for TCP and UDP only (as in NSG rules): a port list restricts the intent to them.
  return FlowSet.cube({ protocols: protocols.intersect(PORT_PROTOCOLS), dstPorts: ports });
}

/** One side of a class pair: a class of NICs, or the addresses outside every VNet. */
type Side =
  | { readonly kind: "class"; readonly cls: NicClass; readonly end: PathEnd }
  | { readonly kind: "host"; readonly host: HostPart; readonly end: PathEnd }
  | { readonly kind: "external"; readonly ext: ExternalPart; readonly end: PathEnd };

/** A NIC that stands for its class: the representative with its address made dynamic, so that the walk binds
 * ASG matching to it for every member address (they all lie in the same subnet). */
function classNic(rep: Nic): Nic {
  if (rep.ipConfigurations.length !== 1) return rep;
  const cfg = rep.ipConfigurations[0];
  return { ...rep, ipConfigurations: [{ ...cfg, privateIpAddress: undefined, allocation: "Dynamic" }] };
}

function classSides(env: EngineEnv, members: readonly NicMember[]): Side[] {
  return classify(env, members).map((cls) => ({ kind: "class", cls, end: { kind: "nic", nic: classNic(cls.rep), addresses: cls.addresses } }));
}

function externalSide(ext: ExternalPart | undefined): Side[] {
  return ext ? [{ kind: "external", ext, end: { kind: "external", addresses: ext.addresses } }] : [];
}

function hostSides(hosts: readonly HostPart[]): Side[] {
  return hosts.map((host) => ({ kind: "host", host, end: { kind: "host", subnet: host.subnet, addresses: host.addresses } }));
}

function sideAddresses(s: Side): IpSet {
  return s.kind === "class" ? s.cls.addresses : s.kind === "host" ? s.host.addresses : s.ext.addresses;
}

/** Membership sure, and addresses known (every possible one is a real flow). */
function sideCertain(s: Side): boolean {
  return s.kind === "class" ? s.cls.certainMember && s.cls.exactAddress : s.kind === "host" ? true : s.ext.certain;
}

function sideCauses(s: Side): readonly Unknown[] {
  return s.kind === "class" ? s.cls.causes : s.kind === "host" ? [] : s.ext.causes;
}

/** Candidates that can send (or receive) some flow of a cube: members overlapping it, or the outside. */
interface Holder {
  readonly nic?: Nic;
  readonly member?: NicMember;
  readonly host?: HostPart;
  readonly addresses: IpSet;
}

function holders(s: Side, addrs: IpSet): Holder[] {
  if (s.kind === "external" || s.kind === "host") {
    const a = sideAddresses(s).intersect(addrs);
    return a.isEmpty() ? [] : [{ addresses: a, ...(s.kind === "host" ? { host: s.host } : {}) }];
  }
  return s.cls.members.flatMap((m) => {
    const a = m.addresses.intersect(addrs);
    return a.isEmpty() ? [] : [{ nic: m.nic, member: m, addresses: a }];
  });
}

/** Two distinct addresses, one from each set, when there are. */
function distinctPair(src: IpSet, dst: IpSet): [string, string] | undefined {
  const x = src.sample();
  if (x === undefined) return undefined;
  const y = dst.subtract(IpSet.fromAddress(x)).sample();
  if (y !== undefined) return [x, y];
  const only = dst.sample();
  if (only === undefined) return undefined;
  const x2 = src.subtract(IpSet.fromAddress(only)).sample();
  return x2 === undefined ? undefined : [x2, only];
}

const PREFERRED_SOURCE_PORTS = [50000, 49152, 1024];

function pickPorts(c: FlowCube, protocol: number): { srcPort: number; dstPort: number } {
  if (!hasPorts(protocol)) return { srcPort: c.srcPorts.contains(0) ? 0 : (c.srcPorts.sample() ?? 0), dstPort: c.dstPorts.contains(0) ? 0 : (c.dstPorts.sample() ?? 0) };
  const srcPort = PREFERRED_SOURCE_PORTS.find((p) => c.srcPorts.contains(p)) ?? c.srcPorts.sample() ?? 0;
  // Port 0 is legal but reads like a mistake: show the lowest other port when there is one.
  const dstPort = c.dstPorts.subtract(PortSet.of(0)).sample() ?? c.dstPorts.sample() ?? 0;
  return { srcPort, dstPort };
}

interface Witness {
  readonly flow: Flow;
  readonly src: Holder;
  readonly dst: Holder;
}

/** A flow of `set` that a real pair of distinct NICs (and distinct addresses) produces, if any. */
function witness(set: FlowSet, src: Side, dst: Side): Witness | undefined {
  for (const c of set.cubes()) {
    for (const s of holders(src, c.src)) {
      for (const d of holders(dst, c.dst)) {
        if (s.nic && d.nic && s.nic.key === d.nic.key) continue;
        const pair = distinctPair(s.addresses, d.addresses);
        if (!pair) continue;
        const protocol = c.protocols.sample() as number;
        return { flow: { src: pair[0], dst: pair[1], protocol, ...pickPorts(c, protocol) }, src: s, dst: d };
      }
    }
  }
  return undefined;
}

function holderEnd(h: Holder): PathEnd {
  if (h.nic && h.member) return { kind: "nic", nic: h.nic, addresses: h.member.addresses };
  if (h.host) return { kind: "host", subnet: h.host.subnet, addresses: h.host.addresses };
  return { kind: "external", addresses: h.addresses };
}

function holderRef(h: Holder): ResourceRef | undefined {
  if (h.nic) return refOf(h.nic);
  if (h.host) return { name: `a host in subnet ${refOf(h.host.subnet).name}`, urn: h.host.subnet.urn };
  return undefined;
}

function union(pieces: readonly Piece<FlowSet>[]): FlowSet {
  return pieces.reduce((acc, p) => acc.union(p.flows), FlowSet.empty());
}

interface Search {
  counterexample?: { witness: Witness; every: boolean };
  causes: Unknown[];
  noIngress?: Witness;
  pairs: number;
  /** Some pair has a flow that real, distinct NICs can produce. */
  realizable: boolean;
  /** Security admin rules that stopped some flows (named when an unreachable intent holds: docs/avnm.md). */
  adminDenies?: Set<string>;
}

/** The security admin rules that stopped a piece's flows (walk disposition, or the NSG-layer chains). */
function adminDeniesOf(p: Piece<FlowSet>): string[] {
  if (p.fate !== "Stopped") return [];
  if (p.path) return p.path.disposition.kind === "DeniedByAdminRule" ? [p.path.disposition.rule.ruleName] : [];
  return (p.chains ?? []).flatMap((c) => (c.chain.admin?.decisions ?? []).filter((d) => d.outcome === "Deny" && !d.flows.isEmpty()).map((d) => d.rule.ruleName));
}

/** Evaluates one class pair; records a counterexample, doubts, or the no-ingress note. */
/**
 * The flows between two address sets, source and destination of one family: a host sends and receives only in the
 * families it has addresses in (an IPv4-only NIC has no flow to an IPv6 address).
 */
function sameFamilyFlows(base: FlowSet, src: IpSet, dst: IpSet): FlowSet {
  const v4 = base.restrict({ src: IpSet.fromIntervals(4, src.v4), dst: IpSet.fromIntervals(4, dst.v4) });
  if (src.v6.isEmpty() || dst.v6.isEmpty()) return v4;
  return v4.union(base.restrict({ src: IpSet.fromIntervals(6, src.v6), dst: IpSet.fromIntervals(6, dst.v6) }));
}

/** The families a side's addresses are in. */
function families(sides: readonly Side[]): { v4: boolean; v6: boolean } {
  return { v4: sides.some((s) => !sideAddresses(s).v4.isEmpty()), v6: sides.some((s) => !sideAddresses(s).v6.isEmpty()) };
}

/** "to: restricted to IPv4 ..." when an outside side has addresses in a family the other side has none in. */
function familyNote(which: "from" | "to", ext: readonly Side[], other: readonly Side[]): string | undefined {
  const e = families(ext.filter((s) => s.kind === "external"));
  const o = families(other.filter((s) => s.kind !== "external"));
  if (e.v6 && !o.v6 && o.v4) return `${which}: restricted to IPv4: the other side has no IPv6 address, so it has no IPv6 flow`;
  if (e.v4 && !o.v4 && o.v6) return `${which}: restricted to IPv6: the other side has no IPv4 address, so it has no IPv4 flow`;
  return undefined;
}

function searchPair(env: EngineEnv, intent: ReachIntent, base: FlowSet, src: Side, dst: Side, found: Search): void {
  const flows = sameFamilyFlows(base, sideAddresses(src), sideAddresses(dst));
  if (flows.isEmpty()) return;
  found.pairs++;
  // A class talking to itself has no flow when it is one NIC (or one address).
  if (!found.realizable && witness(flows, src, dst)) found.realizable = true;
  const pieces = evaluatePath(SYMBOLIC_WALK, env, intent.layer, src.end, dst.end, flows);
  const badFate = intent.expect === "reachable" ? "Stopped" : "Delivered";
  const bad = union(pieces.filter((p) => p.fate === badFate));
  const w = bad.isEmpty() ? undefined : witness(bad, src, dst);
  if (w) {
    if (sideCertain(src) && sideCertain(dst)) {
      found.counterexample = { witness: w, every: false };
      return;
    }
    const sureMembers = (s: Side): boolean => s.kind !== "class" || s.cls.certainMember;
    // An unknown address does not matter when every address it could be fails alike.
    if (sureMembers(src) && sureMembers(dst) && flows.isSubsetOf(bad)) {
      found.counterexample = { witness: w, every: true };
      return;
    }
    found.causes = mergeCauses(found.causes, mergeCauses(sideCauses(src) as Unknown[], sideCauses(dst) as Unknown[]));
  }
  for (const p of pieces) {
    if (p.fate === "Unknown" && witness(p.flows, src, dst)) found.causes = mergeCauses(found.causes, p.causes as Unknown[]);
    const admin = adminDeniesOf(p);
    if (admin.length > 0 && witness(p.flows, src, dst)) for (const name of admin) (found.adminDenies ??= new Set()).add(name);
  }
  if (intent.expect === "unreachable" && !found.noIngress) {
    const blocked = union(pieces.filter((p) => p.noIngress === true));
    const n = blocked.isEmpty() ? undefined : witness(blocked, src, dst);
    if (n) found.noIngress = n;
  }
}

function decisive(evidence: readonly Evidence[]): string {
  const lines = evidence.filter((e) => e.decisive).map((e) => e.text);
  return (lines.length > 0 ? lines : evidence.map((e) => e.text)).slice(0, 3).join("; ");
}

function counterexampleOf(env: EngineEnv, intent: ReachIntent, w: Witness): Counterexample {
  const explained = explainFlow(env, intent.layer, holderEnd(w.src), holderEnd(w.dst), w.flow);
  return {
    flow: flowTuple(w.flow),
    text: flowText(w.flow),
    ...(holderRef(w.src) ? { source: holderRef(w.src) } : {}),
    ...(holderRef(w.dst) ? { destination: holderRef(w.dst) } : {}),
    outcome: intent.expect === "reachable" ? "blocked" : "delivered",
    evidence: explained.evidence,
  };
}

function nicCount(sel: Selection): number {
  return sel.members.length;
}

function details(intent: ReachIntent, from: Selection, to: Selection, srcClasses: number, dstClasses: number, pairs: number): ReachDetails {
  return {
    from: selectorToJson(intent.from),
    to: selectorToJson(intent.to),
    protocol: intent.protocol,
    ports: intent.portsText,
    layer: intent.layer,
    stats: { sourceNics: nicCount(from), sourceClasses: srcClasses, destinationNics: nicCount(to), destinationClasses: dstClasses, pairsEvaluated: pairs },
  };
}

/** "Tcp 1433", "Icmp", "any protocol". */
function trafficOf(intent: ReachIntent): string {
  const ports = intent.protocol === "Icmp" || intent.portsText === "*" ? "" : ` ${intent.portsText}`;
  return intent.protocol === "Any" && ports === "" ? "" : `${intent.protocol}${ports} `;
}

function betweenOf(intent: ReachIntent): string {
  return `from ${describeSelector(intent.from)} to ${describeSelector(intent.to)}${intent.layer === "nsg" ? " (NSGs only)" : ""}`;
}

/** "Tcp 1433 from subnet app to nic sql-nic". */
export function describeReach(intent: ReachIntent): string {
  return `${trafficOf(intent)}${betweenOf(intent)}`.trim();
}

function result(intent: ReachIntent, verdict: Verdict, message: string, extra: Partial<IntentResult>): IntentResult {
  return {
    name: intent.name,
    kind: "reach",
    verdict,
    enforcement: intent.enforcement,
    expect: intent.expect,
    message,
    notes: [],
    declaredIn: intent.origin.componentUrn ?? intent.origin.source,
    ...extra,
  };
}

/** Checks one reachability intent. Pure and deterministic. */
export function verifyReach(env: EngineEnv, intent: ReachIntent, options: ReachOptions = {}): IntentResult {
  const what = describeReach(intent);
  const from = select(env, intent.from);
  const to = select(env, intent.to);
  const urnOf = (c?: Counterexample): string | undefined => to.anchor?.urn ?? c?.destination?.urn ?? from.anchor?.urn;
  const notes = [...from.notes.map((n) => `from: ${n}`), ...to.notes.map((n) => `to: ${n}`)];
  const error = from.error ? `from ${describeSelector(intent.from)}: ${from.error}` : to.error ? `to ${describeSelector(intent.to)}: ${to.error}` : undefined;
  if (error) return result(intent, "fail", `cannot check ${what}: ${error}`, { error, notes, ...(urnOf() ? { urn: urnOf() } : {}) });
  const nothingFrom = selectsNothing(from);
  const nothingTo = selectsNothing(to);
  const nothing = nothingFrom ? `from ${describeSelector(intent.from)} selects nothing in the plan: ${nothingFrom}` : nothingTo ? `to ${describeSelector(intent.to)} selects nothing in the plan: ${nothingTo}` : undefined;
  if (nothing) return result(intent, "fail", `${what}: ${nothing}`, { error: nothing, notes, ...(urnOf() ? { urn: urnOf() } : {}) });

  const base = options.universe ? intentFlowBase(intent.protocol, intent.ports).intersect(options.universe) : intentFlowBase(intent.protocol, intent.ports);
  const srcSides = [...classSides(env, from.members), ...hostSides(from.hosts), ...externalSide(from.external)];
  const dstSides = [...classSides(env, to.members), ...hostSides(to.hosts), ...externalSide(to.external)];
  const found: Search = { causes: [...from.unresolved, ...to.unresolved], pairs: 0, realizable: false };
  for (const n of [familyNote("from", srcSides, dstSides), familyNote("to", dstSides, srcSides)]) if (n) notes.push(n);
  outer: for (const s of srcSides) {
    for (const d of dstSides) {
      if (s.kind === "external" && d.kind === "external") continue;
      searchPair(env, intent, base, s, d, found);
      if (found.counterexample) break outer;
    }
  }
  const srcClasses = srcSides.filter((s) => s.kind !== "external").length;
  const dstClasses = dstSides.filter((s) => s.kind !== "external").length;
  const reach = details(intent, from, to, srcClasses, dstClasses, found.pairs);
  if (from.external && to.external) notes.push("flows from outside every VNet to outside every VNet do not cross the plan: not checked");

  if (found.counterexample) {
    const cx = counterexampleOf(env, intent, found.counterexample.witness);
    const verb = intent.expect === "reachable" ? "is not delivered" : "is delivered";
    const every = found.counterexample.every ? " (whatever address the plan leaves unknown)" : "";
    const urn = urnOf(cx);
    return result(intent, "fail", `${cx.text} ${verb}${every}: ${decisive(cx.evidence)}`, { counterexample: cx, notes, reach, ...(urn ? { urn } : {}) });
  }
  if (found.causes.length > 0) {
    const unknowns = found.causes.map(describeUnknown);
    const urn = urnOf();
    return result(intent, "indeterminate", `cannot decide ${what} at preview: ${unknowns.slice(0, 3).join("; ")}${unknowns.length > 3 ? `; and ${unknowns.length - 3} more` : ""}`, {
      unknowns,
      notes,
      reach,
      ...(urn ? { urn } : {}),
    });
  }
  if (found.noIngress) {
    const w = found.noIngress;
    const cx = counterexampleOf(env, { ...intent, expect: "reachable" }, w);
    const rules = cx.evidence.filter((e) => e.kind === "nsg-rule" && e.access === "Allow").map((e) => e.text);
    // The destination has a way in that does not carry these flows (a load balancer rule on other ports, a Standard
    // SKU without an NSG): say what it carries; with no way in at all, what would open one.
    const gate = cx.evidence.find((e) => e.kind === "ingress" && !e.present && !e.text.includes("has no public IP"));
    notes.push(
      gate
        ? `holds only because no ingress carries these flows: the NSGs alone would allow ${cx.text}${rules.length > 0 ? ` (${rules.join("; ")})` : ""}; ${gate.text}`
        : `holds only because nothing lets traffic from outside in: the NSGs alone would allow ${cx.text}${rules.length > 0 ? ` (${rules.join("; ")})` : ""}; a public IP or public load balancer on ${holderRef(w.dst)?.name ?? "the destination"} would expose it`,
    );
  }
  const empty = !found.realizable;
  if (empty) notes.push("no flow matches the selectors (no NIC or address on one side, or only a NIC talking to itself)");
  if (empty && intent.expect === "reachable") {
    return result(intent, "fail", `${what}: nothing to reach: the selectors match no flow`, { notes, reach, error: "the selectors match no flow (no NIC or address on one side)", ...(urnOf() ? { urn: urnOf() } : {}) });
  }
  const flows = `${trafficOf(intent)}flow ${betweenOf(intent)}`;
  const admin = intent.expect === "unreachable" && found.adminDenies ? [...found.adminDenies].sort() : [];
  const stoppedBy = admin.length > 0 ? `; stopped by the security admin rule${admin.length > 1 ? "s" : ""} ${admin.join(", ")}` : "";
  const message = intent.expect === "reachable" ? `every ${flows} is delivered` : `no ${flows} is delivered${stoppedBy}`;
  return result(intent, "pass", message, { notes, reach: admin.length > 0 ? { ...reach, stoppedByAdminRules: admin } : reach });
}
