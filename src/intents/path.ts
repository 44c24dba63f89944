/**
 * The fate of a set of flows between two ends, for intents. One function, generic over the flow space like the
 * NSG evaluator and the data-plane walk: the intent engine runs it SYMBOLIC over class representatives, the
 * counterexample explanation and the brute-force test run it CONCRETE over one flow and the real NICs.
 *
 * - layer "network": the data-plane walk (src/engine/forward.ts) from the source NIC, with the destination as
 *   its target; traffic from outside every VNet enters only through an ingress (ingress.ts).
 * - layer "nsg": the NSG chains only, IP flow verify semantics: source NIC outbound, then destination NIC inbound.
 */
import type { Direction, Nic } from "../model/topology";
import type { Unknown } from "../model/unknown";
import { FlowSet } from "../sets/flow-set";
import type { IpSet } from "../sets/ip-set";
import { chainCauses, evaluateNicChain, type ChainEvaluation, type EngineEnv } from "../engine/nsg";
import { fateOf, forward, hostNic, type Disposition, type HostEndpoint, type ForwardPath, type WalkSpace, type WalkStart, type WalkTarget } from "../engine/forward";
import { mergeCauses } from "../engine/tri-set";
import { translatedInto } from "../engine/entries/table";
import { ingressOf, NO_INGRESS, type Ingress } from "./ingress";
import type { IntentLayer } from "./types";

export type PathEnd =
  | { readonly kind: "nic"; readonly nic: Nic; readonly addresses: IpSet }
  /** Some host in a subnet that has no NIC in the plan. */
  | HostEndpoint
  | { readonly kind: "external"; readonly addresses: IpSet };

export type PieceFate = "Delivered" | "Stopped" | "Unknown";

export interface Piece<S> {
  readonly flows: S;
  readonly fate: PieceFate;
  readonly causes: readonly Unknown[];
  /** Stopped only because nothing lets traffic from outside in (the NSGs alone would allow it). */
  readonly noIngress?: boolean;
  /** The walk's path, for explanations (layer "network"). */
  readonly path?: ForwardPath<S>;
  /** The NSG chains evaluated (layer "nsg"), for explanations. */
  readonly chains?: ReadonlyArray<{ readonly nic: Nic; readonly direction: Direction; readonly chain: ChainEvaluation<S> }>;
  readonly ingress?: Ingress;
}


/** Flows addressed to `end`, as a target of the walk. */
function targetOf(end: PathEnd): WalkTarget {
  return end.kind === "nic" ? { kind: "nic", nic: end.nic, addresses: end.addresses } : end;
}

/** The NIC whose NSG chain applies at an end: the NIC, or a stand-in for a host (subnet NSG only). */
export function endNic(end: PathEnd): Nic | undefined {
  return end.kind === "nic" ? end.nic : end.kind === "host" ? hostNic(end) : undefined;
}

/** How a walk's disposition counts for an intent whose destination is `dst`. */
function fateFor(d: Disposition, dst: PathEnd): PieceFate {
  const fate = fateOf(d);
  if (fate === "Unknown" || fate === "Stopped") return fate;
  // Reaching the destination: delivered to that NIC for an internal end, leaving Azure for an external one.
  if (dst.kind === "nic") return d.kind === "Delivered" && d.nic?.key === dst.nic.key ? "Delivered" : "Stopped";
  if (dst.kind === "host") return d.kind === "Delivered" && d.host?.subnet.key === dst.subnet.key ? "Delivered" : "Stopped";
  return d.kind === "Exited" ? "Delivered" : "Stopped";
}

function dispositionCauses(d: Disposition): readonly Unknown[] {
  return d.kind === "Unknown" ? d.causes : [];
}

function networkPieces<S>(space: WalkSpace<S>, env: EngineEnv, src: PathEnd, dst: PathEnd, flows: S): Piece<S>[] {
  const start: WalkStart = src.kind === "nic" ? { kind: "nic", nic: src.nic } : src;
  const walk = forward(space, env, start, flows, { target: targetOf(dst) });
  // A host stands for something without a public IP of its own in the plan: no ingress.
  const ingress: Ingress | undefined = src.kind !== "external" ? undefined : dst.kind === "nic" ? ingressOf(env.topo, dst.nic) : NO_INGRESS;
  // Flows from outside that a way in translates to the destination (a firewall's DNAT rule): undecided, naming it.
  const dnat = src.kind === "external" && dst.kind === "nic" ? translatedInto(env.topo, dst.nic, env.hints) : [];
  const dnatFlows = dnat.reduce((acc, d) => acc.union(d.flows), FlowSet.empty());
  const dnatCauses = dnat.map((d) => d.cause);
  return walk.paths.flatMap((whole): Piece<S>[] => {
    if (dnat.length === 0) return pieces(whole);
    const hit = space.intersect(whole.flows, dnatFlows);
    const rest = space.subtract(whole.flows, dnatFlows);
    const out: Piece<S>[] = [];
    if (!space.isEmpty(hit)) out.push({ flows: hit, fate: "Unknown", causes: dnatCauses, path: { ...whole, flows: hit }, ...(ingress ? { ingress } : {}) });
    if (!space.isEmpty(rest)) out.push(...pieces({ ...whole, flows: rest }));
    return out;
  });
  function pieces(path: ForwardPath<S>): Piece<S>[] {
    const fate = fateFor(path.disposition, dst);
    const causes = dispositionCauses(path.disposition);
    if (!ingress || fate === "Stopped") return [{ flows: path.flows, fate, causes, path, ...(ingress ? { ingress } : {}) }];
    // From outside, the NSGs decide only for what an ingress lets in: the public IP's every port, a load
    // balancer's rule ports, a NAT rule's port (src/engine/ingress.ts). The rest never reaches the NSGs.
    const admitted = space.intersect(path.flows, ingress.admits);
    const rest = space.subtract(path.flows, ingress.admits);
    const doubtful = space.intersect(rest, ingress.doubtful);
    const shut = space.subtract(rest, ingress.doubtful);
    const out: Piece<S>[] = [];
    if (!space.isEmpty(admitted)) out.push({ flows: admitted, fate, causes, path, ingress });
    if (!space.isEmpty(doubtful)) out.push({ flows: doubtful, fate: "Unknown", causes: mergeCauses(causes as Unknown[], ingress.causes as Unknown[]), path, ingress });
    if (!space.isEmpty(shut)) out.push({ flows: shut, fate: "Stopped", causes: [], noIngress: fate === "Delivered", path, ingress });
    return out;
  }
}

function nsgPieces<S>(space: WalkSpace<S>, env: EngineEnv, src: PathEnd, dst: PathEnd, flows: S): Piece<S>[] {
  const pieces: Piece<S>[] = [];
  const srcNic = endNic(src);
  const dstNic = endNic(dst);
  let sure = flows;
  let doubtful = space.empty;
  let doubtCauses: Unknown[] = [];
  const chains: Array<{ nic: Nic; direction: Direction; chain: ChainEvaluation<S> }> = [];
  if (srcNic) {
    const out = evaluateNicChain(space, env, srcNic, "Outbound", flows, dstNic);
    chains.push({ nic: srcNic, direction: "Outbound", chain: out });
    if (!space.isEmpty(out.denied)) pieces.push({ flows: out.denied, fate: "Stopped", causes: [], chains: [...chains] });
    sure = out.allowed;
    doubtful = out.unknown;
    doubtCauses = chainCauses(out);
  }
  if (dstNic) {
    const inSure = evaluateNicChain(space, env, dstNic, "Inbound", sure, srcNic);
    const inDoubt = evaluateNicChain(space, env, dstNic, "Inbound", doubtful, srcNic);
    const all = [...chains, { nic: dstNic, direction: "Inbound" as const, chain: inSure }];
    const denied = space.union(inSure.denied, inDoubt.denied);
    if (!space.isEmpty(denied)) pieces.push({ flows: denied, fate: "Stopped", causes: [], chains: all });
    if (!space.isEmpty(inSure.allowed)) pieces.push({ flows: inSure.allowed, fate: "Delivered", causes: [], chains: all });
    if (!space.isEmpty(inSure.unknown)) pieces.push({ flows: inSure.unknown, fate: "Unknown", causes: chainCauses(inSure), chains: all });
    const stillDoubtful = space.union(inDoubt.allowed, inDoubt.unknown);
    if (!space.isEmpty(stillDoubtful)) pieces.push({ flows: stillDoubtful, fate: "Unknown", causes: mergeCauses(doubtCauses, chainCauses(inDoubt)), chains: all });
    return pieces;
  }
  if (!space.isEmpty(sure)) pieces.push({ flows: sure, fate: "Delivered", causes: [], chains });
  if (!space.isEmpty(doubtful)) pieces.push({ flows: doubtful, fate: "Unknown", causes: doubtCauses, chains });
  return pieces;
}

/**
 * Partitions `flows` (from `src` to `dst`) by fate. The flows must lie within the ends' addresses. Two external
 * ends have no path in the plan: everything is stopped.
 */
export function evaluatePath<S>(space: WalkSpace<S>, env: EngineEnv, layer: IntentLayer, src: PathEnd, dst: PathEnd, flows: S): Piece<S>[] {
  if (space.isEmpty(flows)) return [];
  if (src.kind === "external" && dst.kind === "external") return [{ flows, fate: "Stopped", causes: [] }];
  return layer === "nsg" ? nsgPieces(space, env, src, dst, flows) : networkPieces(space, env, src, dst, flows);
}
