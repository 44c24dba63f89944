import type { Access } from "../model/topology";
import { isUnknown, type Maybe, type Unknown } from "../model/unknown";
import type { Flow } from "../sets/flow";
import { FlowSet } from "../sets/flow-set";
import type { CompiledRule } from "./rules";
import { CauseList, mergeCauses } from "./tri-set";

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
   * For spaces whose values are all or nothing (one concrete flow): the next rule `s` is not outside of (Seek). First match then reads each rule once instead of intersecting and subtracting (firstMatchOne: the same
   * decisions, without sets).
   */
  seek?: Seek<S, MatchRule<string>>;
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
  seek: seekBy((s: Flow | undefined, rule: MatchRule<string>) =>
    s === undefined ? OUTSIDE : rule.must.contains(s) ? INSIDE : rule.may !== rule.must && rule.may.contains(s) ? MAYBE_IN : OUTSIDE,
  ),
};

/** Where one flow stands to a rule: outside what it may match, in what it may match only, in what it surely matches. */
export const OUTSIDE = 0;
export const MAYBE_IN = 1;
export const INSIDE = 2;
/** A reader that cannot tell (firstMatchOne then gives up: the caller asks the general path). */
export const CANNOT_TELL = 3;

export type Outcome = Access | "Unknown";

/** What first match reads of a rule besides its flows: its name, access and the unknowns its match depends on. */
export interface RuleHead<A extends string = Access> {
  readonly ruleName: string;
  /** Security admin rules (admin-rules.ts) add AlwaysAllow to Allow and Deny. */
  readonly access: Maybe<A>;
  readonly causes: readonly Unknown[];
}

/**
 * What first match needs of a rule: NSG rules (CompiledRule) and Azure Firewall rules (firewall.ts) both are one,
 * so the two filters share this one evaluator.
 */
export interface MatchRule<A extends string = Access> extends RuleHead<A> {
  /** Flows that surely match. */
  readonly must: FlowSet;
  /** Flows that may match (a superset of must); the rest depends on `causes`. */
  readonly may: FlowSet;
}

/** The accesses a rule kind can have (NSG and firewall rules: Allow, Deny; security admin rules add AlwaysAllow). */
export type AccessOf<R extends RuleHead<string>> = Exclude<R["access"], Unknown>;

/** A part of the evaluated flows and what the rule list does with it. */
export interface Decision<S, R extends RuleHead<string> = CompiledRule> {
  readonly flows: S;
  readonly outcome: AccessOf<R> | "Unknown";
  /** The rule that decides these flows (the first that surely matches them). */
  readonly rule: R;
  /** Earlier rules that may have matched first, when their match is undecided. */
  readonly doubtful: readonly R[];
  readonly causes: readonly Unknown[];
  /** For an Unknown outcome: the accesses that may decide (sorted). */
  readonly possible?: readonly AccessOf<R>[];
}

interface Pending<S, R extends MatchRule<string>> {
  flows: S;
  /** Outcomes of earlier rules that may have matched these flows. */
  possible: ReadonlySet<AccessOf<R>>;
  doubtful: R[];
  causes: readonly Unknown[];
}

const NSG_ACCESSES: readonly Access[] = ["Allow", "Deny"];

/**
 * Azure's first-match evaluation over an ordered rule list (priority order; the defaults last, DenyAll
 * matching everything). Flows whose deciding rule depends on an unknown value come out as "Unknown", unless
 * every possible deciding rule has the same access: values that cannot change the answer do not count.
 */
export function firstMatch<S, R extends MatchRule<string> = CompiledRule>(
  space: FlowSpace<S>,
  rules: readonly R[],
  flows: S,
  /** What a rule of unknown access may do (NSG and firewall rules: Allow or Deny). */
  accesses: readonly AccessOf<R>[] = NSG_ACCESSES as readonly AccessOf<R>[],
): Decision<S, R>[] {
  const seek = space.seek;
  if (seek !== undefined) {
    if (space.isEmpty(flows)) return [];
    const one = firstMatchOne(rules, flows, seek, accesses);
    // Only possible when the list lacks its defaults (a malformed model): say so rather than guess.
    if (one === undefined) throw new Error("rule list ended without a catch-all rule");
    return [one as Decision<S, R>];
  }
  const decisions: Decision<S, R>[] = [];
  let pending: Pending<S, R>[] = space.isEmpty(flows) ? [] : [{ flows, possible: new Set(), doubtful: [], causes: [] }];
  for (const rule of rules) {
    if (pending.length === 0) break;
    const ruleAccess: AccessOf<R>[] = isUnknown(rule.access) ? [...accesses] : [rule.access as AccessOf<R>];
    const ruleCauses = isUnknown(rule.access) ? mergeCauses(rule.causes, [rule.access]) : rule.causes;
    const next: Pending<S, R>[] = [];
    for (const p of pending) {
      // A rule disjoint from the flows leaves them as they are (the intersection is empty, the rest is the flows).
      const inside = space.overlaps && !space.overlaps(p.flows, rule.must) ? false : space.within?.(p.flows, rule.must) ? true : undefined;
      const hit = inside === undefined ? space.intersect(p.flows, rule.must) : inside ? p.flows : space.empty;
      if (!space.isEmpty(hit)) {
        const possible = new Set<AccessOf<R>>([...p.possible, ...ruleAccess]);
        decisions.push({
          flows: hit,
          outcome: possible.size === 1 ? [...possible][0] : "Unknown",
          rule,
          doubtful: p.doubtful,
          causes: possible.size === 1 ? [] : mergeCauses(p.causes, isUnknown(rule.access) ? ruleCauses : []),
          ...(possible.size === 1 ? {} : { possible: [...possible].sort() }),
        });
      }
      const rest = inside === undefined ? space.subtract(p.flows, rule.must) : inside ? space.empty : p.flows;
      // A rule known in every part (one set for must and may) has no "maybe": what it does not match is untouched.
      const maybe = rule.may === rule.must ? space.empty : space.intersect(rest, rule.may);
      if (!space.isEmpty(maybe)) {
        next.push({
          flows: maybe,
          possible: new Set<AccessOf<R>>([...p.possible, ...ruleAccess]),
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

function mergePending<S, R extends MatchRule<string>>(space: FlowSpace<S>, list: Pending<S, R>[]): Pending<S, R>[] {
  if (list.length < 2) return list;
  const byKey = new Map<string, Pending<S, R>>();
  for (const p of list) {
    const key = `${[...p.possible].sort().join(",")}|${p.doubtful.map((r) => r.ruleName).join(",")}`;
    const prev = byKey.get(key);
    byKey.set(key, prev ? { ...prev, flows: space.union(prev.flows, p.flows), causes: mergeCauses(prev.causes, p.causes) } : p);
  }
  return [...byKey.values()];
}

/**
 * How a point space reads a rule list: the first rule at or after `from` that the flow is not OUTSIDE of, as
 * `index * 4 + reading` (MAYBE_IN, INSIDE or CANNOT_TELL), or -1 when there is none. Skipping the rules a flow is
 * outside of is the reader's loop (the fast path runs it on typed arrays); what the rules found decide is
 * firstMatchOne's.
 */
export type Seek<P, R> = (rules: readonly R[], flow: P, from: number) => number;

/** A seek over a per-rule reading. */
function seekBy<P, R>(read: (flow: P, rule: R) => number): Seek<P, R> {
  return (rules, flow, from) => {
    for (let i = from; i < rules.length; i++) {
      const at = read(flow, rules[i] as R);
      if (at !== OUTSIDE) return i * 4 + at;
    }
    return -1;
  };
}

/** Shared empty lists of decisions without doubt (frozen: a decision's lists are never modified). */
const NO_RULES: readonly never[] = Object.freeze([]);
const NO_CAUSES: readonly Unknown[] = Object.freeze([]);

/**
 * First match of one flow (a space of all-or-nothing values): firstMatch's loop when every rule leaves the flow
 * whole, so it keeps one pending part and no sets. `seek` finds the rules the flow is not outside of; it may answer
 * CANNOT_TELL (the IP flow verify fast path, for an ASG membership it does not decide), and the answer is then
 * CANNOT_TELL. Undefined when no rule surely matches (a list without its catch-all).
 *
 * The one first-match semantics, for every flow space and rule kind: the symbolic loop above and this one give the
 * same decisions for a flow (test/engine/point-match.test.ts holds them equal).
 */
export function firstMatchOne<P, R extends RuleHead<string>>(
  rules: readonly R[],
  flow: P,
  seek: Seek<P, R>,
  accesses: readonly AccessOf<R>[] = NSG_ACCESSES as readonly AccessOf<R>[],
): Decision<P, R> | typeof CANNOT_TELL | undefined {
  // What earlier rules that may have matched first leave open (none yet: nothing allocated).
  let possible: Set<AccessOf<R>> | undefined;
  let doubtful: R[] | undefined;
  // Gathered without re-keying (tri-set.ts, CauseList): a long doubtful prefix stays linear.
  let causes: CauseList | undefined;
  for (let i = 0; i < rules.length; i++) {
    const found = seek(rules, flow, i);
    if (found < 0) break;
    i = found >> 2;
    const at = found & 3;
    if (at === CANNOT_TELL) return CANNOT_TELL;
    const rule = rules[i];
    const unknownAccess = isUnknown(rule.access);
    // The common case, a sure match of known access with no doubt before it: no set, no merging.
    if (at === INSIDE && possible === undefined && !unknownAccess) return { flows: flow, outcome: rule.access as AccessOf<R>, rule, doubtful: NO_RULES, causes: NO_CAUSES };
    const ruleCauses = unknownAccess ? mergeCauses(rule.causes, [rule.access as Unknown]) : rule.causes;
    const now = new Set<AccessOf<R>>(possible);
    if (unknownAccess) for (const a of accesses) now.add(a);
    else now.add(rule.access as AccessOf<R>);
    if (at === INSIDE) {
      const sure = now.size === 1;
      return {
        flows: flow,
        outcome: sure ? [...now][0] : "Unknown",
        rule,
        doubtful: doubtful ?? [],
        causes: sure ? [] : causes === undefined ? mergeCauses([], unknownAccess ? ruleCauses : []) : causes.with(unknownAccess ? ruleCauses : []),
        ...(sure ? {} : { possible: [...now].sort() }),
      };
    }
    possible = now;
    // Local until returned: pushed to, never shared before.
    if (doubtful === undefined) doubtful = [rule];
    else doubtful.push(rule);
    causes ??= new CauseList();
    causes.add(ruleCauses);
  }
  return undefined;
}
