/**
 * Readable rows from the exact sets of compute.ts. Each piece (cube) of a pair's opened, closed or undecided set
 * gets a concrete example flow, run CONCRETE through both plans over the real NICs (src/intents/explain.ts); its
 * cause is the evidence that differs between the two plans (the rule, route, peering, ingress or resource that
 * decides it), each marked with whether the change adds, removes or changes that resource. Pieces of one pair with
 * the same protocols and the same cause make one row (their ports and addresses merged).
 */
import type { Flow } from "../sets/flow";
import { hasPorts } from "../sets/flow";
import type { FlowCube } from "../sets/flow-set";
import { FlowSet } from "../sets/flow-set";
import { IpSet } from "../sets/ip-set";
import { PortSet } from "../sets/port-set";
import { Icmp, ProtocolSet, Tcp, Udp } from "../sets/protocol-set";
import type { EngineEnv } from "../engine/nsg";
import { displayName } from "../engine/find";
import { explainFlow, flowText, flowTuple } from "../intents/explain";
import type { PathEnd } from "../intents/path";
import type { Evidence, FlowTuple } from "../intents/result";
import type { PairDiff, PlanDiff } from "./compute";
import type { DiffEndpoint, EndpointKind, PlanEnd, PlanSide } from "./endpoints";
import { NO_CHANGES, type ResourceChange, type ResourceChanges } from "./resources";

export type RowKind = "opened" | "closed" | "undecided";

export interface CauseItem {
  readonly plan: PlanSide;
  readonly kind: string;
  readonly text: string;
  readonly urn?: string;
  readonly change?: ResourceChange;
}

export interface DiffExample {
  readonly flow: FlowTuple;
  readonly text: string;
  readonly source?: string;
  readonly destination?: string;
  /** What happens to the example in each plan. */
  readonly before: string;
  readonly after: string;
}

export interface DiffRow {
  readonly from: string;
  readonly to: string;
  readonly fromKind: EndpointKind;
  readonly toKind: EndpointKind;
  readonly fromUrns: readonly string[];
  readonly toUrns: readonly string[];
  /** "Tcp", "Udp", "Tcp,Udp", "Icmp", "Any", ... */
  readonly protocol: string;
  /** Destination ports, Azure notation ("80,443,8000-8100", "*"). */
  readonly ports: string;
  readonly sourceAddresses: string;
  readonly destinationAddresses: string;
  /** Number of flows in the row (addresses x protocols x source ports x destination ports), decimal. */
  readonly flows: string;
  readonly example: DiffExample;
  readonly cause: readonly CauseItem[];
}

export interface Exposure {
  readonly nic: string;
  readonly urn: string;
  readonly protocol: string;
  readonly ports: string;
  readonly example: string;
  readonly cause: readonly CauseItem[];
}

export interface DiffRows {
  readonly opened: readonly DiffRow[];
  readonly closed: readonly DiffRow[];
  readonly undecided: readonly DiffRow[];
  /** Internet exposure the change adds: NICs newly reachable from the Internet, and on what. */
  readonly exposure: readonly Exposure[];
}

/** Pieces explained per pair and kind; the rest of a large set is summarised in one row per protocol. */
const EXPLAINED_PIECES = 40;

const PREFERRED_SOURCE_PORTS = [50000, 49152, 1024];

function protocolText(p: ProtocolSet): string {
  return p.isAll() ? "Any" : p.toString();
}

function portsText(protocols: ProtocolSet, ports: PortSet): string {
  // Ports exist for TCP and UDP only: a row of other protocols has none to show.
  const portful = protocols.intersect(ProtocolSet.of(Tcp, Udp));
  if (portful.isEmpty()) return "*";
  return ports.toString();
}

interface Holder {
  readonly end: PathEnd;
  readonly name?: string;
  readonly nicUrn?: string;
  readonly addresses: IpSet;
}

function holders(p: PlanEnd, addrs: IpSet): Holder[] {
  if (p.members.length === 0) {
    const a = p.addresses.intersect(addrs);
    const name = p.end.kind === "host" ? `a host in subnet ${displayName(p.end.subnet)}` : undefined;
    return a.isEmpty() ? [] : [{ end: p.end, addresses: a, ...(name ? { name } : {}) }];
  }
  return p.members.flatMap((m) => {
    const a = m.addresses.intersect(addrs);
    return a.isEmpty() ? [] : [{ end: { kind: "nic" as const, nic: m.nic, addresses: m.addresses }, name: displayName(m.nic), nicUrn: m.nic.urn, addresses: a }];
  });
}

function pickFlow(c: FlowCube, src: string, dst: string): Flow {
  const protocol = c.protocols.sample() as number;
  if (!hasPorts(protocol)) return { src, dst, protocol, srcPort: c.srcPorts.contains(0) ? 0 : (c.srcPorts.sample() ?? 0), dstPort: c.dstPorts.contains(0) ? 0 : (c.dstPorts.sample() ?? 0) };
  const srcPort = PREFERRED_SOURCE_PORTS.find((p) => c.srcPorts.contains(p)) ?? c.srcPorts.sample() ?? 0;
  const dstPort = c.dstPorts.subtract(PortSet.of(0)).sample() ?? c.dstPorts.sample() ?? 0;
  return { src, dst, protocol, srcPort, dstPort };
}

/** A concrete flow of the cube between distinct NICs (and distinct addresses) of the plan where it is delivered. */
function exampleOf(c: FlowCube, s: PlanEnd, d: PlanEnd): { flow: Flow; src: Holder; dst: Holder } | undefined {
  for (const hs of holders(s, c.src)) {
    for (const hd of holders(d, c.dst)) {
      if (hs.nicUrn !== undefined && hs.nicUrn === hd.nicUrn) continue;
      const x = hs.addresses.sample() as string;
      const y = hd.addresses.subtract(IpSet.fromAddress(x)).sample();
      if (y !== undefined) return { flow: pickFlow(c, x, y), src: hs, dst: hd };
      const y2 = hd.addresses.sample() as string;
      const x2 = hs.addresses.subtract(IpSet.fromAddress(y2)).sample();
      if (x2 !== undefined) return { flow: pickFlow(c, x2, y2), src: hs, dst: hd };
    }
  }
  return undefined;
}

function holderFor(p: PlanEnd | undefined, address: string, not?: string): Holder | undefined {
  if (!p) return undefined;
  return holders(p, IpSet.fromAddress(address)).find((h) => h.nicUrn === undefined || h.nicUrn !== not);
}

function evidenceUrn(e: Evidence): string | undefined {
  switch (e.kind) {
    case "nsg-rule":
      return e.ruleUrn ?? e.nsg.urn;
    case "route":
      return typeof e.routeTable === "string" ? undefined : e.routeTable.urn;
    case "dropped":
      return e.resource?.urn;
    case "firewall-rule":
      return e.ruleUrn;
    case "appliance-no-forwarding":
    case "ingress":
    case "no-nsg":
      return e.nic.urn;
    default:
      return undefined;
  }
}

function changeOf(changes: ResourceChanges, e: Evidence): { urn?: string; change?: ResourceChange } {
  const urn = evidenceUrn(e);
  const candidates = [urn, e.kind === "nsg-rule" ? e.nsg.urn : undefined, e.kind === "route" && typeof e.routeTable !== "string" ? e.routeTable.urn : undefined].filter((u): u is string => u !== undefined);
  const found = candidates.find((u) => changes.byUrn.has(u));
  const change = found ? changes.byUrn.get(found) : undefined;
  return { ...(urn ? { urn } : {}), ...(change ? { change } : {}) };
}

interface Told {
  readonly fate: string;
  readonly evidence: readonly Evidence[];
}

function tell(env: EngineEnv, s: Holder | undefined, d: Holder | undefined, flow: Flow, endpoint: DiffEndpoint, other: DiffEndpoint): Told {
  if (!s || !d) {
    const missing = !s ? endpoint : other;
    return { fate: "not in the plan", evidence: [{ kind: "no-host", text: `${missing.name} is not in this plan`, decisive: true }] };
  }
  const x = explainFlow(env, "network", s.end, d.end, flow);
  const fate = x.fate === "Delivered" ? (d.end.kind === "external" ? "leaves for the outside" : "delivered") : x.fate === "Unknown" ? "undecided at preview" : "not delivered";
  return { fate, evidence: x.evidence };
}

/** The evidence that differs between the plans (by text); when none does, the decisive lines of both. */
function causeOf(b: Told, a: Told, changes: ResourceChanges): CauseItem[] {
  const bt = new Set(b.evidence.map((e) => e.text));
  const at = new Set(a.evidence.map((e) => e.text));
  const item = (plan: PlanSide, e: Evidence): CauseItem => ({ plan, kind: e.kind, text: e.text, ...changeOf(changes, e) });
  let out = [...b.evidence.filter((e) => !at.has(e.text)).map((e) => item("before", e)), ...a.evidence.filter((e) => !bt.has(e.text)).map((e) => item("after", e))];
  if (out.length === 0) out = [...b.evidence.filter((e) => e.decisive).map((e) => item("before", e)), ...a.evidence.filter((e) => e.decisive).map((e) => item("after", e))];
  // Decisive facts first within each plan; at most a few lines each (the rest is in the trace).
  const seen = new Set<string>();
  return out.filter((c) => (seen.has(`${c.plan}|${c.text}`) ? false : (seen.add(`${c.plan}|${c.text}`), true)));
}

interface Piece {
  readonly cube: FlowCube;
  readonly example?: DiffExample;
  readonly cause: readonly CauseItem[];
  readonly signature: string;
}

function explainPiece(diff: PlanDiff, pair: PairDiff, kind: RowKind, cube: FlowCube, changes: ResourceChanges): Piece {
  // The example comes from the plan where the flow is delivered (or undecided): there its ends exist.
  const side: PlanSide = kind === "closed" ? "before" : pair.to.after && pair.from.after ? "after" : "before";
  const s = side === "after" ? pair.from.after : pair.from.before;
  const d = side === "after" ? pair.to.after : pair.to.before;
  const ex = s && d ? exampleOf(cube, s, d) : undefined;
  if (!ex) return { cube, cause: [], signature: "?" };
  const srcB = holderFor(pair.from.before, ex.flow.src);
  const dstB = holderFor(pair.to.before, ex.flow.dst, srcB?.nicUrn);
  const srcA = holderFor(pair.from.after, ex.flow.src);
  const dstA = holderFor(pair.to.after, ex.flow.dst, srcA?.nicUrn);
  const b = tell(diff.before, srcB, dstB, ex.flow, pair.from, pair.to);
  const a = tell(diff.after, srcA, dstA, ex.flow, pair.from, pair.to);
  const cause = causeOf(b, a, changes);
  const example: DiffExample = {
    flow: flowTuple(ex.flow),
    text: flowText(ex.flow),
    ...(ex.src.name ? { source: ex.src.name } : {}),
    ...(ex.dst.name ? { destination: ex.dst.name } : {}),
    before: b.fate,
    after: a.fate,
  };
  return { cube, example, cause, signature: `${protocolText(cube.protocols)}|${cause.map((c) => `${c.plan}:${c.text}`).join("\n")}` };
}

function flowCount(set: FlowSet): string {
  return set.size().toString();
}

function rowOf(pair: PairDiff, pieces: readonly Piece[]): DiffRow {
  const set = FlowSet.fromCubes(pieces.map((p) => p.cube));
  const protocols = set.protocols();
  const first = pieces.find((p) => p.example) ?? pieces[0];
  const example: DiffExample = first.example ?? { flow: flowTuple(set.sample() as Flow), text: flowText(set.sample() as Flow), before: "?", after: "?" };
  return {
    from: pair.from.name,
    to: pair.to.name,
    fromKind: pair.from.kind,
    toKind: pair.to.kind,
    fromUrns: pair.from.urns,
    toUrns: pair.to.urns,
    protocol: protocolText(protocols),
    ports: portsText(protocols, set.dstPorts()),
    sourceAddresses: set.sources().toString(),
    destinationAddresses: set.destinations().toString(),
    flows: flowCount(set),
    example,
    cause: first.cause,
  };
}

function pairRows(diff: PlanDiff, pair: PairDiff, kind: RowKind, set: FlowSet, changes: ResourceChanges): DiffRow[] {
  if (set.isEmpty()) return [];
  const cubes = set.cubes();
  const explained = cubes.slice(0, EXPLAINED_PIECES).map((c) => explainPiece(diff, pair, kind, c, changes));
  const groups = new Map<string, Piece[]>();
  for (const p of explained) {
    const g = groups.get(p.signature);
    if (g) g.push(p);
    else groups.set(p.signature, [p]);
  }
  const rows = [...groups.values()].map((g) => rowOf(pair, g));
  const rest = cubes.slice(EXPLAINED_PIECES);
  if (rest.length > 0) {
    const restSet = FlowSet.fromCubes(rest);
    const p = explainPiece(diff, pair, kind, restSet.cubes()[0], changes);
    rows.push({ ...rowOf(pair, [{ ...p, cube: restSet.cubes()[0] }]), ...restSummary(restSet), cause: p.cause });
  }
  return rows;
}

function restSummary(set: FlowSet): Pick<DiffRow, "protocol" | "ports" | "sourceAddresses" | "destinationAddresses" | "flows"> {
  const protocols = set.protocols();
  return { protocol: protocolText(protocols), ports: portsText(protocols, set.dstPorts()), sourceAddresses: set.sources().toString(), destinationAddresses: set.destinations().toString(), flows: flowCount(set) };
}

function exposures(diff: PlanDiff, changes: ResourceChanges): Exposure[] {
  const out: Exposure[] = [];
  for (const pair of diff.pairs) {
    if (pair.from.kind !== "internet" || pair.to.kind !== "nics" || pair.opened.isEmpty()) continue;
    for (const m of pair.to.after?.members ?? []) {
      const set = pair.opened.restrict({ dst: m.addresses });
      if (set.isEmpty()) continue;
      const byProtocol = new Map<string, FlowSet>();
      for (const c of set.cubes()) {
        // One exposure per NIC and protocol family: TCP, UDP, ICMP, other.
        for (const [name, p] of [["Tcp", Tcp], ["Udp", Udp], ["Icmp", Icmp]] as const) {
          if (c.protocols.contains(p)) byProtocol.set(name, (byProtocol.get(name) ?? FlowSet.empty()).union(FlowSet.cube({ ...c, protocols: ProtocolSet.of(p) })));
        }
        const other = c.protocols.subtract(ProtocolSet.of(Tcp, Udp, Icmp));
        if (!other.isEmpty()) byProtocol.set("other", (byProtocol.get("other") ?? FlowSet.empty()).union(FlowSet.cube({ ...c, protocols: other })));
      }
      for (const [, s] of byProtocol) {
        const protocols = s.protocols();
        const p = explainPiece(diff, { ...pair, to: { ...pair.to, after: { ...(pair.to.after as PlanEnd), members: [m] }, ...(pair.to.before ? { before: pair.to.before } : {}) } }, "opened", s.cubes()[0], changes);
        out.push({ nic: displayName(m.nic), urn: m.nic.urn, protocol: protocolText(protocols), ports: portsText(protocols, s.dstPorts()), example: p.example?.text ?? "", cause: p.cause });
      }
    }
  }
  return out;
}

/** Rows of a diff, opened and closed and undecided, in endpoint order; and the Internet exposure it adds. */
export function diffRows(diff: PlanDiff, changes: ResourceChanges = NO_CHANGES): DiffRows {
  return {
    opened: diff.pairs.flatMap((p) => pairRows(diff, p, "opened", p.opened, changes)),
    closed: diff.pairs.flatMap((p) => pairRows(diff, p, "closed", p.closed, changes)),
    undecided: diff.pairs.flatMap((p) => pairRows(diff, p, "undecided", p.undecided, changes)),
    exposure: exposures(diff, changes),
  };
}
