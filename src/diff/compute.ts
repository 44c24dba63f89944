/**
 * The exact difference in reachability between two plans: for every ordered pair of endpoints (endpoints.ts), the
 * flows delivered after but not before ("opened"), before but not after ("closed"), and those whose fate changes
 * to or from undecided at preview ("undecided": never counted as opened or closed). Flow sets, never samples: each
 * plan's fate comes from the intent engine's symbolic path evaluation (src/intents/path.ts evaluatePath with
 * SYMBOLIC_WALK), over the flows that distinct NICs (or hosts, or the outside) of the pair can produce.
 *
 * Flows from an address to itself never cross the network: they are not part of any pair's flows.
 */
import type { Unknown } from "../model/unknown";
import { FlowSet } from "../sets/flow-set";
import { IpSet } from "../sets/ip-set";
import { SYMBOLIC_WALK } from "../engine/forward";
import type { EngineEnv } from "../engine/nsg";
import { mergeCauses } from "../engine/tri-set";
import { evaluatePath } from "../intents/path";
import { diffEndpoints, type DiffEndpoint, type ExternalPrefix, type PlanEnd } from "./endpoints";
import { changedFlows } from "./changed-flows";

export interface DiffOptions {
  readonly externals?: readonly ExternalPrefix[];
  /** Restricts the flows considered (tests: a space small enough for brute force). Absent: every flow. */
  readonly universe?: FlowSet;
  /** Evaluate every pair over every flow, even those no change can touch (changed-flows.ts); for tests and measurements. */
  readonly everyPair?: boolean;
}

/** One plan's fates of a pair's flows. */
export interface PairFates {
  readonly delivered: FlowSet;
  readonly unknown: FlowSet;
  readonly causes: readonly Unknown[];
}

export interface PairDiff {
  readonly from: DiffEndpoint;
  readonly to: DiffEndpoint;
  readonly opened: FlowSet;
  readonly closed: FlowSet;
  readonly undecided: FlowSet;
  readonly causes: readonly Unknown[];
}

export interface PlanDiff {
  readonly endpoints: readonly DiffEndpoint[];
  /** Pairs with any difference, in endpoint order. */
  readonly pairs: readonly PairDiff[];
  readonly pairsEvaluated: number;
  /** Pairs no change can touch (changed-flows.ts): the same in both plans, not evaluated. */
  readonly pairsSkipped: number;
  readonly notes: readonly string[];
  readonly before: EngineEnv;
  readonly after: EngineEnv;
}

const NOTHING: PairFates = { delivered: FlowSet.empty(), unknown: FlowSet.empty(), causes: [] };

/**
 * The flows from `s` to `d` that some pair of distinct NICs can produce. Between two different endpoints: every
 * (source, destination) of their addresses. From a NIC group to itself: a flow needs a sender and a receiver that
 * are different NICs, so the addresses only one member can hold are left out as both source and destination of one
 * flow: all addresses squared, minus, for each member n, (addresses only n holds) squared.
 */
function realizable(s: PlanEnd, d: PlanEnd, same: boolean): FlowSet {
  const all = FlowSet.cube({ src: s.addresses, dst: d.addresses });
  if (!same || s.members.length === 0) return all;
  let out = all;
  s.members.forEach((m, i) => {
    const others = s.members.reduce((acc, o, j) => (j === i ? acc : acc.union(o.addresses)), IpSet.empty());
    const only = m.addresses.subtract(others);
    if (!only.isEmpty()) out = out.subtract(FlowSet.cube({ src: only, dst: only }));
  });
  return out;
}

/** One plan's fates for the flows of a pair. Addresses the plan leaves unknown make a delivery undecided. */
function pairFates(env: EngineEnv, s: PlanEnd | undefined, d: PlanEnd | undefined, same: boolean, universe?: FlowSet): PairFates {
  if (!s || !d) return NOTHING;
  if (s.end.kind === "external" && d.end.kind === "external") return NOTHING;
  let flows = realizable(s, d, same);
  if (universe) flows = flows.intersect(universe);
  if (flows.isEmpty()) return NOTHING;
  let delivered = FlowSet.empty();
  let unknown = FlowSet.empty();
  let causes: Unknown[] = [];
  for (const p of evaluatePath(SYMBOLIC_WALK, env, "network", s.end, d.end, flows)) {
    if (p.fate === "Delivered") delivered = delivered.union(p.flows);
    else if (p.fate === "Unknown") {
      unknown = unknown.union(p.flows);
      causes = mergeCauses(causes, p.causes as Unknown[]);
    }
  }
  // An end whose addresses only bound what the plan will give: what is delivered there is not sure.
  if (!s.exact || !d.exact) {
    unknown = unknown.union(delivered);
    delivered = FlowSet.empty();
    causes = mergeCauses(causes, mergeCauses([...s.causes], [...d.causes]));
  }
  return { delivered, unknown, causes };
}

/** Opened, closed and undecided flows of one pair from its fates in both plans. */
function comparePair(b: PairFates, a: PairFates): { opened: FlowSet; closed: FlowSet; undecided: FlowSet } {
  return {
    opened: a.delivered.subtract(b.delivered).subtract(b.unknown),
    closed: b.delivered.subtract(a.delivered).subtract(a.unknown),
    undecided: a.unknown.subtract(b.unknown).union(b.unknown.subtract(a.unknown)),
  };
}

/** More cubes than this in the changed flows: pairs are matched against its projections instead of each cube. */
const MAX_CUBES = 256;

/**
 * For each endpoint (by position), the endpoints (positions) whose pairs with it may meet the changed flows: some
 * cube holds an address of the first as source and one of the second as destination (either plan's addresses).
 */
function relevantTargets(endpoints: readonly DiffEndpoint[], changed: FlowSet): number[][] {
  const addressesOf = (e: DiffEndpoint): IpSet => (e.before?.addresses ?? IpSet.empty()).union(e.after?.addresses ?? IpSet.empty());
  const all = endpoints.map(addressesOf);
  let cubes = changed.cubes().map((c) => ({ src: c.src, dst: c.dst }));
  if (cubes.length > MAX_CUBES) {
    cubes = [{ src: cubes.reduce((acc, c) => acc.union(c.src), IpSet.empty()), dst: cubes.reduce((acc, c) => acc.union(c.dst), IpSet.empty()) }];
  }
  const holders = (side: "src" | "dst"): number[][] =>
    cubes.map((c) => {
      const out: number[] = [];
      all.forEach((addr, i) => {
        if (addr.overlaps(c[side])) out.push(i);
      });
      return out;
    });
  const sources = holders("src");
  const targets = holders("dst");
  const out: Array<Set<number>> = endpoints.map(() => new Set<number>());
  cubes.forEach((_, k) => {
    for (const i of sources[k]) for (const j of targets[k]) out[i].add(j);
  });
  return out.map((s) => [...s].sort((x, y) => x - y));
}

/** The difference between two plans (either may be empty: everything opened, or everything closed). */
export function diffPlans(before: EngineEnv, after: EngineEnv, options: DiffOptions = {}): PlanDiff {
  const { endpoints, notes } = diffEndpoints(before, after, options.externals ?? []);
  // Only the flows a change can affect (changed-flows.ts), and only the pairs that hold some of them; the rest
  // have the same fate in both plans. `everyPair` evaluates everything (the reference the tests compare with).
  const changed = options.everyPair ? { all: true as const, reason: "every pair asked for" } : changedFlows(before.topo, after.topo, before.tags, endpoints);
  const universe = changed.all ? options.universe : options.universe ? options.universe.intersect(changed.flows) : changed.flows;
  const targetsOf = changed.all ? undefined : relevantTargets(endpoints, changed.flows);
  const pairs: PairDiff[] = [];
  let evaluated = 0;
  let skipped = 0;
  const external = (e: DiffEndpoint): boolean => e.kind === "internet" || e.kind === "external";
  endpoints.forEach((from, i) => {
    const targets = targetsOf === undefined ? endpoints : (targetsOf[i] ?? []).map((j) => endpoints[j]);
    skipped += endpoints.length - targets.length;
    for (const to of targets) {
      if (external(from) && external(to)) continue;
      const same = from.id === to.id;
      evaluated++;
      const b = pairFates(before, from.before, to.before, same, universe);
      const a = pairFates(after, from.after, to.after, same, universe);
      const c = comparePair(b, a);
      if (c.opened.isEmpty() && c.closed.isEmpty() && c.undecided.isEmpty()) continue;
      pairs.push({ from, to, ...c, causes: mergeCauses([...b.causes], [...a.causes]) });
    }
  });
  return { endpoints, pairs, pairsEvaluated: evaluated, pairsSkipped: skipped, notes, before, after };
}
