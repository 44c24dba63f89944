import type { Access } from "../model/topology";
import { isUnknown, type Maybe, type Unknown } from "../model/unknown";
import type { Flow } from "../sets/flow";
import { FlowSet } from "../sets/flow-set";
import type { CompiledRule } from "./rules";
import { mergeCauses } from "./tri-set";

/**
 * What first-match evaluation runs over: a symbolic FlowSet, or one concrete flow (undefined = no flow).
 * Both go through the same evaluator, so IP flow verify and the intent engine can never disagree.
 */
export interface FlowSpace<S> {
  readonly empty: S;
  intersect(s: S, m: FlowSet): S;
  subtract(s: S, m: FlowSet): S;
  union(a: S, b: S): S;
  isEmpty(s: S): boolean;
  /**
   * For spaces whose values are all or nothing (one concrete flow): whether `s` lies in `m`. First match then tests
   * a rule once, instead of intersecting and subtracting (the same answer, half the work).
   */
  whollyIn?(s: S, m: FlowSet): boolean;
  /** Optional: whether `s` and `m` share a flow (no allocation); first match skips the rules that cannot match. */
  overlaps?(s: S, m: FlowSet): boolean;
  /** Optional, a sufficient test that `s` lies in `m` (no allocation): the rule then takes all of `s`, unsplit. */
  within?(s: S, m: FlowSet): boolean;
}

export const SYMBOLIC: FlowSpace<FlowSet> = {
  empty: FlowSet.empty(),
  intersect: (s, m) => s.intersect(m),
  subtract: (s, m) => s.subtract(m),
  union: (a, b) => a.union(b),
  isEmpty: (s) => s.isEmpty(),
  overlaps: (s, m) => s.overlaps(m),
  within: (s, m) => s.insideCubesOf(m),
};

export const CONCRETE: FlowSpace<Flow | undefined> = {
  empty: undefined,
  intersect: (s, m) => (s !== undefined && m.contains(s) ? s : undefined),
  subtract: (s, m) => (s !== undefined && !m.contains(s) ? s : undefined),
  union: (a, b) => a ?? b,
  isEmpty: (s) => s === undefined,
  whollyIn: (s, m) => s !== undefined && m.contains(s),
};

export type Outcome = Access | "Unknown";

/**
 * What first match needs of a rule: NSG rules (CompiledRule) and Azure Firewall rules (firewall.ts) both are one,
 * so the two filters share this one evaluator.
 */
export interface MatchRule {
  readonly ruleName: string;
  readonly access: Maybe<Access>;
  /** Flows that surely match. */
  readonly must: FlowSet;
  /** Flows that may match (a superset of must); the rest depends on `causes`. */
  readonly may: FlowSet;
  readonly causes: readonly Unknown[];
}

/** A part of the evaluated flows and what the rule list does with it. */
export interface Decision<S, R extends MatchRule = CompiledRule> {
  readonly flows: S;
  readonly outcome: Outcome;
  /** The rule that decides these flows (the first that surely matches them). */
  readonly rule: R;
  /** Earlier rules that may have matched first, when their match is undecided. */
  readonly doubtful: readonly R[];
  readonly causes: readonly Unknown[];
}

interface Pending<S, R> {
  flows: S;
  /** Outcomes of earlier rules that may have matched these flows. */
  possible: ReadonlySet<Access>;
  doubtful: R[];
  causes: readonly Unknown[];
}

/**
 * Azure's first-match evaluation over an ordered rule list (priority order; the defaults last, DenyAll
 * matching everything). Flows whose deciding rule depends on an unknown value come out as "Unknown", unless
 * every possible deciding rule has the same access: values that cannot change the answer do not count.
 */
export function firstMatch<S, R extends MatchRule = CompiledRule>(space: FlowSpace<S>, rules: readonly R[], flows: S): Decision<S, R>[] {
  const decisions: Decision<S, R>[] = [];
  let pending: Pending<S, R>[] = space.isEmpty(flows) ? [] : [{ flows, possible: new Set(), doubtful: [], causes: [] }];
  for (const rule of rules) {
    if (pending.length === 0) break;
    const ruleAccess: Access[] = isUnknown(rule.access) ? ["Allow", "Deny"] : [rule.access];
    const ruleCauses = isUnknown(rule.access) ? mergeCauses(rule.causes, [rule.access]) : rule.causes;
    const next: Pending<S, R>[] = [];
    for (const p of pending) {
      // A rule disjoint from the flows leaves them as they are (the intersection is empty, the rest is the flows).
      const inside = space.whollyIn
        ? space.whollyIn(p.flows, rule.must)
        : space.overlaps && !space.overlaps(p.flows, rule.must)
          ? false
          : space.within?.(p.flows, rule.must)
            ? true
            : undefined;
      const hit = inside === undefined ? space.intersect(p.flows, rule.must) : inside ? p.flows : space.empty;
      if (!space.isEmpty(hit)) {
        const possible = new Set<Access>([...p.possible, ...ruleAccess]);
        decisions.push({
          flows: hit,
          outcome: possible.size === 1 ? [...possible][0] : "Unknown",
          rule,
          doubtful: p.doubtful,
          causes: possible.size === 1 ? [] : mergeCauses(p.causes, isUnknown(rule.access) ? ruleCauses : []),
        });
      }
      const rest = inside === undefined ? space.subtract(p.flows, rule.must) : inside ? space.empty : p.flows;
      // A rule known in every part (one set for must and may) has no "maybe": what it does not match is untouched.
      const maybe = rule.may === rule.must ? space.empty : space.intersect(rest, rule.may);
      if (!space.isEmpty(maybe)) {
        next.push({
          flows: maybe,
          possible: new Set<Access>([...p.possible, ...ruleAccess]),
          doubtful: [...p.doubtful, rule],
          causes: mergeCauses(p.causes, ruleCauses),
        });
      }
      const untouched = rule.may === rule.must ? rest : space.subtract(rest, rule.may);
      // Pending entries are never modified: one the rule leaves alone goes on as it is.
      if (!space.isEmpty(untouched)) next.push(untouched === p.flows ? p : { ...p, flows: untouched });
    }
    pending = mergePending(space, next);
  }
  // Only possible when the list lacks its defaults (a malformed model): say so rather than guess.
  if (pending.length > 0) throw new Error("rule list ended without a catch-all rule");
  return decisions;
}

function mergePending<S, R extends MatchRule>(space: FlowSpace<S>, list: Pending<S, R>[]): Pending<S, R>[] {
  if (list.length < 2) return list;
  const byKey = new Map<string, Pending<S, R>>();
  for (const p of list) {
    const key = `${[...p.possible].sort().join(",")}|${p.doubtful.map((r) => r.ruleName).join(",")}`;
    const prev = byKey.get(key);
    byKey.set(key, prev ? { ...prev, flows: space.union(prev.flows, p.flows), causes: mergeCauses(prev.causes, p.causes) } : p);
  }
  return [...byKey.values()];
}
