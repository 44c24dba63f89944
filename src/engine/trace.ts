/**
 * Connection troubleshoot from the plan: the hops a connection takes from a NIC (or an address) to a NIC (or an
 * address), whether each path answers the question, the issues that name what stops it
 * (network-watcher/connection-troubleshoot-overview.md issues[{origin, severity, type, context[{key, value}]}]) and
 * the connection status. Network Watcher's answer shape `{connectionStatus, hops[...]}` is built from this result by
 * answers/trace.ts; a refused question is data (TraceRefusal) that the answer spells (issue 14 point 6).
 *
 * The walk is symbolic (forward.ts over exact flow sets): an endpoint with a dynamic address is "any address it
 * may receive", answered for the whole set; when parts of the set fare differently each part is reported, and
 * the status is Indeterminate because which part applies is decided at deployment.
 */
import type { Nic, Subnet, Topology } from "../model/topology";
import { describeUnknown, isUnknown } from "../model/unknown";
import { FlowSet } from "../sets/flow-set";
import { formatIp, parseIpAddress } from "../sets/ip";
import { IpSet } from "../sets/ip-set";
import { PortSet } from "../sets/port-set";
import { ProtocolSet } from "../sets/protocol-set";
import type { RoutingOptions } from "./effective-routes";
import { ingressSummary, type IngressRoute } from "./ingress";
import { displayName, findNic } from "./find";
import {
  appliancesOf,
  fateOf,
  forward,
  innermost,
  SYMBOLIC_WALK,
  type Disposition,
  type ForwardPath,
  type ForwardResult,
  type Hop,
  type WalkStart,
} from "./forward";
import type { EngineEnv } from "./nsg";
import { caseEnv, decideByCases, subnetCases } from "./cases";
import { reservedAddressReason } from "./reserved";
import { assignableAddresses, nicAddresses, subnetOfNic, surelyHeldBy } from "./topology-queries";
import { subnetHolding, topologyIndex } from "./topology-index";
import { dispositionText, issuesOf, missIssue, type IssueContext, type TraceIssue } from "./dispositions";
import type { QuestionInput } from "./refusal";
import type { TraceKit } from "./entries/entry";
import { ENTRIES } from "./entries/table";
import { DEFAULT_SOURCE_PORT, protocolNumber, targetOf, type ConnectionStatus, type Endpoint, type Resolved, type TracedPath, type TraceOutcome, type TraceRefusal, type TraceRequest, type TraceWalk } from "./trace-types";

export type { ConnectionStatus, Endpoint, TracedPath, TraceOutcome, TraceProtocol, TraceRefusal, TraceRequest, TraceWalk } from "./trace-types";

export { dispositionText, type IssueContext, type TraceIssue } from "./dispositions";

/** "10.0.1.4", "10.0.1.0/24" or "10.1.1.4-10.1.1.254": one item per interval, readable where CIDRs are not. */
export function addressText(set: IpSet): string {
  if (set.isEmpty()) return "(none)";
  const items: string[] = [];
  for (const family of [4, 6] as const) {
    for (const [lo, hi] of (family === 4 ? set.v4 : set.v6).intervals()) {
      const part = IpSet.fromRange(family, lo, hi);
      const cidrs = part.toCidrs();
      if (lo === hi) items.push(part.sample() as string);
      else if (cidrs.length === 1) items.push(cidrs[0]);
      else items.push(`${formatIp(family, lo)}-${formatIp(family, hi)}`);
    }
  }
  return items.join(",");
}

function subnetName(s: Subnet): string {
  return s.logicalName || (isUnknown(s.azureName) ? s.key : s.azureName);
}

/** Addresses a NIC may have, minus those other NICs surely hold (a dynamic NIC cannot receive those). */
function endpointAddresses(topo: Topology, nic: Nic): IpSet {
  const own = nicAddresses(topo, nic);
  if (own.must.equals(own.may)) return own.must;
  // The other NICs that surely hold some address this one may have (the model index), not a scan of every NIC.
  let taken = IpSet.empty();
  for (const other of topologyIndex(topo).holders.sure.meeting(own.may)) if (other.key !== nic.key) taken = taken.union(nicAddresses(topo, other).must.intersect(own.may));
  return own.must.union(own.may.subtract(taken));
}

/** REF (NIC or VM by name, URN or id) or IP: a NIC's address, a host in a subnet, or an address outside. */
function resolveEndpoint(topo: Topology, ref: string): Resolved {
  const ip = parseIpAddress(ref);
  if (ip.ok) {
    const addr = IpSet.fromAddress(ref);
    const holder = surelyHeldBy(topo, ref);
    if (holder) return { ok: true, endpoint: { kind: "nic", ref, addresses: addr, nic: holder } };
    const subnet = subnetHolding(topo, ref);
    if (subnet && !isUnknown(subnet.addressSpace) && !assignableAddresses(IpSet.fromIntervals(4, subnet.addressSpace.v4)).union(IpSet.fromIntervals(6, subnet.addressSpace.v6)).contains(ref)) {
      return { ok: true, endpoint: { kind: "host", ref, addresses: addr, subnet, addressNote: `an address Azure reserves in subnet ${subnetName(subnet)}: never assigned to a host` } };
    }
    if (subnet) {
      // A dynamic NIC may get this address, but nothing says it will: the subnet's rules apply, not that NIC's.
      const maybe = (topologyIndex(topo).holders.may.holding(ref) ?? []).map(displayName);
      const also = maybe.length > 0 ? ` (it may be the dynamic address of ${maybe.join(", ")}: name the NIC or VM to trace from it)` : "";
      return { ok: true, endpoint: { kind: "host", ref, addresses: addr, subnet, addressNote: `a host in subnet ${subnetName(subnet)} that no network interface of the plan surely holds${also}` } };
    }
    return { ok: true, endpoint: { kind: "external", ref, addresses: addr } };
  }
  const found = findNic(topo, ref);
  if (!found.ok) return { ok: false, error: `${found.error}; or give an IP address` };
  const nic = found.value;
  const addresses = endpointAddresses(topo, nic);
  if (addresses.isEmpty()) return { ok: false, error: `network interface ${displayName(nic)} has no address known in the plan` };
  const own = nicAddresses(topo, nic);
  const subnet = subnetOfNic(topo, nic);
  const known = !isUnknown(subnet) && subnet ? subnet : undefined;
  const addressNote = own.must.equals(own.may) ? undefined : `any address in subnet ${known ? subnetName(known) : "(unknown)"} (${addressText(addresses)}): the address is allocated at deployment`;
  return { ok: true, endpoint: { kind: "nic", ref, addresses, nic, ...(known ? { subnet: known } : {}), ...(addressNote ? { addressNote } : {}) } };
}

// ---- result shapes -------------------------------------------------------------------------------------------

/** How a caller names the question's inputs (the engine's own notes: by their names in the question). */
export type InputName = (input: QuestionInput) => string;

const OWN_NAME: InputName = (input) => input;

/** How a refusal reads, given how the caller names the question's inputs. */
export function traceRefusalText(r: TraceRefusal, name: InputName): string {
  switch (r.kind) {
    case undefined:
      return r.input === undefined ? r.reason : `${name(r.input)}: ${r.reason}`;
    case "both-outside":
      return `${name("from")} and ${name("to")} are both outside the plan: one end must be a network interface or an address in a subnet`;
    case "same-nic":
      return `${name("from")} and ${name("to")} are the same network interface`;
    case "port-required":
      return `${name("port")} is required for TCP and UDP`;
    case "no-common-family":
      return `${name("from")} ${r.from} and ${name("to")} ${r.to} have no address family in common (${r.fromAddresses} and ${r.toAddresses}): no packet can go from one to the other`;
    case "outside-source-required":
      return `${name("from")} must be an address outside the plan's VNets for a trace to ${r.target} (${r.why})`;
    case "cases":
      return `${traceRefusalText(r.refusal, name)}; ${r.note}`;
  }
}

// ---- the query -----------------------------------------------------------------------------------------------

function startOf(e: Endpoint): WalkStart {
  if (e.kind === "nic" && e.nic) return { kind: "nic", nic: e.nic };
  if (e.kind === "host" && e.subnet) return { kind: "host", subnet: e.subnet, addresses: e.addresses };
  return { kind: "external", addresses: e.addresses };
}

function swap(flows: FlowSet): FlowSet {
  return FlowSet.fromCubes(flows.cubes().map((c) => ({ src: c.dst, dst: c.src, protocols: c.protocols, srcPorts: c.dstPorts, dstPorts: c.srcPorts })));
}

/** Whether a path answers the question: delivered to the target, or (for an outside target) left Azure. */
function answers(to: Endpoint, d: Disposition): "yes" | "no" | "unknown" {
  const fate = fateOf(d);
  if (fate === "Unknown") return "unknown";
  if (fate === "Stopped") return "no";
  if (to.kind === "external") return fate === "Exited" ? "yes" : "no";
  const inner = innermost(d);
  if (inner.kind !== "Delivered") return "no";
  return (to.nic && inner.nic?.key === to.nic.key) || (to.kind === "host" && inner.host !== undefined) ? "yes" : "no";
}

/**
 * The trace; an answer left undecided (or refused) because a NIC's subnet is an ambiguous reference at preview is
 * decided by cases (cases.ts): the same status in every candidate plan is the status, with a note, and the hops
 * shown are the first case's; when the cases disagree the trace stays Indeterminate and a note names them. `name`
 * spells the inputs in the cases' note when a case is refused (answers/trace.ts passes the CLI's flags).
 */
export function trace(env: EngineEnv, req: TraceRequest, options: RoutingOptions = {}, name: InputName = OWN_NAME): TraceOutcome {
  const first = traceOnce(env, req, options);
  if (first.ok && first.result.status !== "Indeterminate") return first;
  const cases = subnetCases(env.topo);
  if (!cases) return first;
  const decision = decideByCases(cases, (c) => traceOnce(caseEnv(env, c), req, options), (o) => (o.ok ? o.result.status : `refused (${traceRefusalText(o.refusal, name)})`), "Indeterminate");
  if (decision.kind === "same" && decision.result.ok) {
    const r = decision.result.result;
    return { ok: true, result: { ...r, notes: [...r.notes, decision.note, `the paths shown are those of the case ${decision.label}`] } };
  }
  if (decision.kind === "disagree" && first.ok) return { ok: true, result: { ...first.result, notes: [...first.result.notes, decision.note] } };
  if (decision.kind === "disagree" && !first.ok) return { ok: false, refusal: { kind: "cases", refusal: first.refusal, note: decision.note } };
  return first;
}

function traceOnce(env: EngineEnv, req: TraceRequest, options: RoutingOptions): TraceOutcome {
  const from = resolveEndpoint(env.topo, req.from);
  if (!from.ok) return { ok: false, refusal: { input: "from", reason: from.error } };
  // To the public address of a way in that translates (an Azure Firewall's DNAT, issue 15): its leg (entries/).
  const source = from.endpoint;
  const kit: TraceKit = {
    resolve: (ref) => resolveEndpoint(env.topo, ref),
    decide: (target, asked, sourcePort, result) => decide(env, source, target, asked, req, sourcePort, result, new Map()),
  };
  for (const entry of ENTRIES) {
    const leg = entry.trace(env, req, source, options, kit);
    if (leg) return leg;
  }
  const to = resolveEndpoint(env.topo, req.to);
  if (!to.ok) return { ok: false, refusal: { input: "to", reason: to.error } };
  const a = from.endpoint;
  const b = to.endpoint;
  if (a.kind === "external" && b.kind === "external") return { ok: false, refusal: { kind: "both-outside" } };
  if (a.nic && b.nic && a.nic.key === b.nic.key) return { ok: false, refusal: { kind: "same-nic" } };
  const withPorts = req.protocol !== "ICMP";
  if (withPorts && req.port === undefined) return { ok: false, refusal: { kind: "port-required" } };
  const sourcePort = req.sourcePort ?? DEFAULT_SOURCE_PORT;
  const cube = (src: IpSet, dst: IpSet): FlowSet =>
    FlowSet.cube({
      src,
      dst,
      protocols: ProtocolSet.of(protocolNumber(req.protocol)),
      // Ports exist for TCP and UDP only; other protocols use port 0 (the Flow convention).
      srcPorts: PortSet.of(withPorts ? sourcePort : 0),
      dstPorts: PortSet.of(withPorts ? (req.port as number) : 0),
    });
  // A packet has one address family: a dual-stack end sends IPv4 to the other's IPv4 addresses and IPv6 to its IPv6
  // ones, never IPv4 to IPv6 (the intents restrict their flows alike: reach.ts, sameFamilyFlows).
  const v4 = (x: IpSet): IpSet => IpSet.fromIntervals(4, x.v4);
  const v6 = (x: IpSet): IpSet => IpSet.fromIntervals(6, x.v6);
  const flows = cube(v4(a.addresses), v4(b.addresses)).union(cube(v6(a.addresses), v6(b.addresses)));
  if (flows.isEmpty()) return { ok: false, refusal: { kind: "no-common-family", from: req.from, to: req.to, fromAddresses: addressText(a.addresses), toAddresses: addressText(b.addresses) } };
  // A source at an address Azure reserves sends nothing (issue 12, point 3): Unreachable, with the reason.
  // (A NIC the plan places there statically is a plan Azure refuses: it sends nothing either.)
  const reserved = a.kind !== "external" && parseIpAddress(req.from).ok ? reservedAddressReason(env.topo, req.from) : undefined;
  const sourceHop: Hop<FlowSet> | undefined = a.nic ? { type: "Source", nic: a.nic } : a.subnet ? { type: "Source", host: { kind: "host", subnet: a.subnet, addresses: a.addresses } } : undefined;
  const result: ForwardResult<FlowSet> =
    reserved && sourceHop
      ? { paths: [{ flows, hops: [sourceHop], disposition: { kind: "NoHost", detail: `the source ${reserved}, so no packet is sent from it` } }], notes: [] }
      : forward(SYMBOLIC_WALK, env, startOf(a), flows, { ...options, target: targetOf(b) });
  const returns = returnIssues(env, a, b, result, options);
  return { ok: true, result: decide(env, a, b, b, req, withPorts ? sourcePort : undefined, result, returns) };
}

/**
 * Return traffic takes the routes of the destination's subnet; when they send it through other appliances than
 * the forward path (a one-way 0.0.0.0/0 to a firewall, say), a stateful appliance sees half a connection and
 * drops it. NSGs are stateful, so the return walk evaluates routes only.
 */
function returnIssues(env: EngineEnv, from: Endpoint, to: Endpoint, result: ForwardResult<FlowSet>, options: RoutingOptions): Map<ForwardPath<FlowSet>, TraceIssue[]> {
  const out = new Map<ForwardPath<FlowSet>, TraceIssue[]>();
  if (to.kind === "external") return out;
  for (const path of result.paths) {
    if (answers(to, path.disposition) !== "yes") continue;
    const back = forward(SYMBOLIC_WALK, env, startOf(to), swap(path.flows), { ...options, target: targetOf(from), evaluateNsgs: false });
    const there = appliancesOf(path).map((n) => n.key);
    const issues: TraceIssue[] = [];
    for (const r of back.paths) {
      const again = appliancesOf(r).map((n) => n.key).reverse();
      const fate = fateOf(r.disposition);
      const reached = fate === "Delivered" || (from.kind === "external" && fate === "Exited");
      if (reached && again.join(",") === there.join(",")) continue;
      const named = new Map([...appliancesOf(path), ...appliancesOf(r)].map((n) => [n.key, n] as const));
      const names = (keys: string[]): string => keys.map((k) => displayName(env.topo.nics.get(k) ?? (named.get(k) as Nic))).join(" -> ") || "(none)";
      const context: IssueContext[] = [
        { key: "ForwardAppliances", value: names(there) },
        { key: "ReturnAppliances", value: names(again) },
        { key: "ReturnSources", value: addressText(r.flows.sources()) },
        { key: "ReturnDestinations", value: addressText(r.flows.destinations()) },
      ];
      if (!reached) {
        context.push({ key: "ReturnOutcome", value: dispositionText(innermost(r.disposition)) });
      }
      issues.push({ origin: "Local", severity: "Warning", type: "AsymmetricRoute", context });
    }
    if (issues.length > 0) out.set(path, issues);
  }
  return out;
}

// ---- what the paths say -------------------------------------------------------------------------------------

/**
 * Each path's verdict and issues, the connection status and the notes. `to` is the end the paths answer for,
 * `asked` the destination as the question named it (they differ for a DNAT leg).
 */
function decide(env: EngineEnv, from: Endpoint, to: Endpoint, asked: Endpoint, req: TraceRequest, sourcePort: number | undefined, result: ForwardResult<FlowSet>, returns: Map<ForwardPath<FlowSet>, TraceIssue[]>): TraceWalk {
  const paths: TracedPath[] = [];
  const verdicts = new Set<string>();
  for (const path of result.paths) {
    let verdict = answers(to, path.disposition);
    const issues = [...issuesOf(env, path.disposition)];
    let ingress: string | undefined;
    if (from.kind === "external" && to.nic && verdict === "yes" && !path.hops.some((h) => h.dnat)) {
      // From outside, only what an ingress admits gets to the NSGs (src/engine/ingress.ts, docs/ingress.md); a
      // firewall's DNAT leg is itself the way in (the firewall's public IP), so it is not gated again.
      const gate = ingressGate(env, to.nic, path.flows);
      ingress = gate.text;
      if (gate.verdict !== "yes") {
        verdict = gate.verdict;
        if (gate.verdict === "no") issues.push({ origin: "Inbound", severity: "Error", type: "NoIngress", context: [{ key: "Reason", value: gate.text }] });
      }
    }
    verdicts.add(verdict);
    if (verdict === "no" && fateOf(path.disposition) !== "Stopped" && !issues.some((i) => i.type === "NoIngress")) {
      const miss = missIssue(path.disposition);
      if (miss) issues.push(miss);
    }
    paths.push({ path, issues, returnIssues: returns.get(path) ?? [], ...(ingress !== undefined ? { ingress } : {}) });
  }
  const status: ConnectionStatus = verdicts.size === 1 && verdicts.has("yes") ? "Reachable" : verdicts.size === 1 && verdicts.has("no") ? "Unreachable" : verdicts.size === 0 ? "Unreachable" : "Indeterminate";
  const notes = [...result.notes];
  if (from.kind === "external" && !to.nic) notes.push("the source is outside Azure: only the destination's inbound NSGs are evaluated here; whether the traffic can enter at all (public IP, load balancer) is not");
  for (const e of [from, to]) if (e.addressNote) notes.push(`${e === from ? "source" : "destination"} ${e.ref}: ${e.addressNote}`);
  if (verdicts.size > 1 && !verdicts.has("unknown")) notes.push("parts of the address set fare differently: see paths; which part applies is decided when the address is allocated");
  return {
    status,
    paths,
    notes,
    forward: result,
    from,
    to,
    asked,
    protocol: req.protocol,
    ...(sourcePort !== undefined ? { sourcePort } : {}),
    ...(req.port !== undefined && req.protocol !== "ICMP" ? { destinationPort: req.port } : {}),
  };
}

/**
 * Whether a route in from outside carries the flows to the NIC: yes (with the routes and their translation), no
 * (why), or unknown. The flows are in the NIC's terms: a load balancer rule's backend port.
 */
function ingressGate(env: EngineEnv, nic: Nic, flows: FlowSet): { verdict: "yes" | "no" | "unknown"; text: string } {
  const s = ingressSummary(env.topo, nic);
  const routes = s.routes.filter((r) => r.admits.overlaps(flows));
  const describe = (r: IngressRoute): string => {
    const t = r.translation;
    if (!t) return r.label;
    const p = t.protocol === "All" ? "TCP/UDP" : t.protocol.toUpperCase();
    return t.floatingIp ? `${r.label}: clients connect to frontend ${t.frontend} port ${t.frontendPort} (floating IP)` : `${r.label}: clients connect to frontend ${t.frontend} port ${t.frontendPort}; the NIC and its NSGs see ${p} ${t.backendPort} at its own address`;
  };
  const notes = [...new Set(s.routes.flatMap((r) => (r.skuNote ? [r.skuNote] : [])))];
  const tail = notes.length > 0 ? `; ${notes.join("; ")}` : "";
  if (flows.isSubsetOf(s.admits)) return { verdict: "yes", text: `enters through ${routes.map(describe).join(", ")}${tail}` };
  if (flows.overlaps(s.admits) || flows.overlaps(s.doubtful)) return { verdict: "unknown", text: `may enter: ${s.causes.map(describeUnknown).join("; ") || "only part of these flows is let in"}${tail}` };
  const closed = s.routes.find((r) => r.closed);
  const open = s.routes.filter((r) => !r.admits.isEmpty() || !r.doubtful.isEmpty());
  const why =
    s.routes.length === 0
      ? `${displayName(nic)} has no public IP and is in no public load balancer's backend pool: nothing lets traffic from outside the VNets in`
      : open.length === 0 && closed?.closed
        ? `${displayName(nic)}: ${closed.closed}`
        : `nothing lets this flow in to ${displayName(nic)}: only ${open.map(describe).join(", ")}`;
  return { verdict: "no", text: `${why}${tail}` };
}
