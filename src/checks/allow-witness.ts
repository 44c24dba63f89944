/**
 * Witness search for AR-004 (cross-layer-contradiction): for one allow rule `r` of an NSG and a batch of NICs that
 * read both NSGs alike, which NICs the rule allows some flow at (applicable), and at which of them some of those
 * flows get through the other NSG (escape). The rest are the contradictions: every flow the rule decides there is
 * denied by the other NSG.
 *
 * Instead of partitioning every flow by first match (what the check did before), it evaluates one sample flow
 * concretely through both rule lists and, when the sample is not an escape, removes from the candidates a whole set
 * the sample belongs to that provably holds no escape, then tries again. Each rule's set is removed at most once, so
 * the search ends after at most as many steps as there are rules (in practice one or two); it is exact because
 * what is removed is chosen by the pointwise reading of first match (first-match.ts), which is:
 *
 * - a flow is decided Allow by `r` exactly when it lies in r.must and, for every earlier rule e, outside e.must and,
 *   when e's access is not a known Allow, outside e.may (an earlier rule that may match with another access makes
 *   the outcome Unknown);
 * - a flow is denied by an NSG exactly when, walking the rules in order, every rule whose `may` holds it has a known
 *   Deny access, until the first rule whose `must` holds it (the catch-all always does).
 */
import type { CompiledRule } from "../engine/rules";
import type { Direction } from "../model/topology";
import type { Flow } from "../sets/flow";
import { FlowSet, type FlowCube } from "../sets/flow-set";
import { addressValue } from "../sets/ip";
import { IpSet, type IpValue } from "../sets/ip-set";
import { memoKind, pureMemo } from "../engine/memo";

/** Per NIC of the batch: 0 the rule allows nothing there, 1 it allows some flow the other NSG lets through, 2 a contradiction. */
export const NOT_APPLICABLE = 0;
const ESCAPES = 1;
export const CONTRADICTED = 2;

/** Flows an earlier rule keeps from being decided Allow by a later one (see the header). */
function blocksAllow(e: CompiledRule): FlowSet {
  return e.access === "Allow" ? e.must : e.may;
}

/**
 * Per rule list, per index d: the flows d surely matches that no earlier rule of another (or unknown) access may
 * match. Every one of them is denied by the list when d denies (an earlier Deny that takes one first denies it too).
 */
const DENIED_BY = memoKind<{ rules: readonly CompiledRule[]; index: number }, FlowSet>("allow-witness-denied-through", ["rules", "index"]);

function deniedThrough(rules: readonly CompiledRule[], d: number): FlowSet {
  return pureMemo(DENIED_BY({ rules, index: d }), () => {
    let out = (rules[d] as CompiledRule).must;
    for (let e = 0; e < d && !out.isEmpty(); e++) {
      const earlier = rules[e] as CompiledRule;
      if (earlier.access === "Deny" || !out.overlaps(earlier.may)) continue;
      out = out.subtract(earlier.may);
    }
    return out;
  });
}

/**
 * Per rule list: whether rule i lies inside the blocking set of the earlier rule that takes its first flow (then it
 * is dead at every NIC of the place, a duplicate or a narrower copy: the common case of shadowed rules); 1 dead, 2 not.
 */
const DEAD = memoKind<{ rules: readonly CompiledRule[] }, Uint8Array>("allow-witness-dead-rules", ["rules"]);

function isDead(rules: readonly CompiledRule[], i: number): boolean {
  const dead = pureMemo(DEAD({ rules }), () => new Uint8Array(rules.length));
  if (dead[i] === 0) {
    const r = rules[i] as CompiledRule;
    const first = r.must.sample();
    const e = first === undefined ? -1 : allowBlocker(rules, i, first);
    dead[i] = first === undefined || (e >= 0 && r.must.insideCubesOf(blocksAllow(rules[e] as CompiledRule))) ? 1 : 2;
  }
  return dead[i] === 1;
}

/** The index of the first earlier rule whose blocking set holds the flow, or -1 when `r` decides it Allow. */
function allowBlocker(rules: readonly CompiledRule[], i: number, f: Flow): number {
  for (let e = 0; e < i; e++) if (blocksAllow(rules[e] as CompiledRule).contains(f)) return e;
  return -1;
}

/** The index of the rule that denies the flow, or -1 when the list does not deny it (Allow or Unknown). */
function denier(rules: readonly CompiledRule[], f: Flow): number {
  for (let d = 0; d < rules.length; d++) {
    const rule = rules[d] as CompiledRule;
    if (!rule.may.contains(f)) continue;
    if (rule.access !== "Deny") return -1;
    if (rule.must.contains(f)) return d;
  }
  return -1;
}

/**
 * The answer for each NIC of a batch (`addrs[k]`: the NIC's addresses, `union` all of them, `atBatch` the flows
 * whose NIC-side address is in `union`). `other` undefined: the NICs have no other NSG (only applicability is asked). The rule `allowRules[i]` must be a custom rule with a known Allow access.
 */
export function allowWitness(
  allowRules: readonly CompiledRule[],
  i: number,
  other: readonly CompiledRule[] | undefined,
  addrs: readonly IpSet[],
  union: IpSet,
  direction: Direction,
  atBatch: FlowSet = direction === "Inbound" ? FlowSet.cube({ dst: union }) : FlowSet.cube({ src: union }),
): Uint8Array {
  const answers = new Uint8Array(addrs.length);
  const r = allowRules[i] as CompiledRule;
  // Most rules of an NSG name other NICs than a batch's: tested without building the (empty) intersection.
  if (!r.must.overlaps(atBatch) || isDead(allowRules, i)) return answers;
  const local = (flows: FlowSet, set: IpSet): FlowSet => (direction === "Inbound" ? flows.restrict({ dst: set }) : flows.restrict({ src: set }));
  let candidates = r.must.intersect(atBatch);
  const applicable = new Uint8Array(addrs.length);
  const decided = new Uint8Array(addrs.length);
  let removedDenied = false;
  let open = addrs.length;
  // Each step removes one rule's set or answers at least one NIC: more steps than that would be a bug (a set that
  // does not hold its sample), reported by runChecks as this check's internal error rather than looping.
  let steps = allowRules.length + (other?.length ?? 0) + addrs.length + 1;
  while (!candidates.isEmpty()) {
    if (steps-- === 0) throw new Error("the witness search did not converge");
    const f = candidates.sample() as Flow;
    const blocker = allowBlocker(allowRules, i, f);
    if (blocker >= 0) {
      candidates = candidates.subtract(blocksAllow(allowRules[blocker] as CompiledRule));
      continue;
    }
    // f is decided Allow by r: the NICs holding its address are where the rule applies.
    const at = direction === "Inbound" ? f.dst : f.src;
    const atValue = addressValue(at) as IpValue;
    const members: number[] = [];
    for (let k = 0; k < addrs.length; k++) {
      if (decided[k] === 0 && (addrs[k] as IpSet).contains(atValue)) {
        members.push(k);
        applicable[k] = 1;
      }
    }
    const d = other === undefined ? -1 : denier(other, f);
    if (d >= 0) {
      // Denied: every flow of this set is denied too (no escape in it).
      candidates = candidates.subtract(deniedThrough(other as readonly CompiledRule[], d));
      removedDenied = true;
      continue;
    }
    // An escape at every NIC holding the address; and, along the line through f (f with its NIC-side address
    // replaced by any other), at every open NIC holding an address of the line where the replaced flow escapes too
    // (a concrete witness for each: the common case of a rule that applies alike to the NICs of a batch, one step).
    const line = escapeLine(allowRules, i, other, f, direction);
    const answered: number[] = [...members];
    for (let k = 0; k < addrs.length; k++) {
      if (decided[k] !== 0) continue;
      const a = addrs[k] as IpSet;
      if (applicable[k] === 0 && a.overlaps(line.allowed)) applicable[k] = 1;
      if (!members.includes(k) && a.overlaps(line.escapes)) answered.push(k);
    }
    for (const k of answered) {
      decided[k] = 1;
      answers[k] = ESCAPES;
    }
    open -= answered.length;
    // Every NIC answered: the rest of the candidates cannot change an answer.
    if (open === 0) break;
    // The answered NICs' addresses no open NIC holds need not be looked at again.
    let done = IpSet.unionAll(answered.map((k) => addrs[k] as IpSet));
    for (let k = 0; k < addrs.length; k++) if (decided[k] === 0 && (addrs[k] as IpSet).overlaps(done)) done = done.subtract(addrs[k] as IpSet);
    // The address itself is held only by answered NICs (every NIC holding it was just answered or was before): it
    // is in `done` already unless only NICs answered before hold it.
    if (members.length === 0) done = done.union(IpSet.fromAddress(at));
    candidates = candidates.subtract(local(FlowSet.all(), done));
  }
  // Every NIC left open has no escape. Without a removal of denied flows, the candidates that were removed held no
  // flow the rule allows at an open NIC except where a sample showed one (applicable); else the rule's allowed
  // flows are computed to tell applicable NICs from the rest.
  let allowed: FlowSet | undefined;
  for (let k = 0; k < addrs.length; k++) {
    if (decided[k] === 1) continue;
    let isApplicable = applicable[k] === 1;
    if (!isApplicable && removedDenied) {
      allowed ??= allowedBy(allowRules, i, r.must.intersect(atBatch));
      isApplicable = (direction === "Inbound" ? allowed.destinations() : allowed.sources()).overlaps(addrs[k] as IpSet);
    }
    answers[k] = !isApplicable ? NOT_APPLICABLE : other === undefined ? ESCAPES : CONTRADICTED;
  }
  return answers;
}

/** The flows of `candidates` (inside rule i's `must`) that rule i decides Allow. */
function allowedBy(rules: readonly CompiledRule[], i: number, candidates: FlowSet): FlowSet {
  let out = candidates;
  for (let e = 0; e < i && !out.isEmpty(); e++) {
    const b = blocksAllow(rules[e] as CompiledRule);
    if (out.overlaps(b)) out = out.subtract(b);
  }
  return out;
}

/**
 * The NIC-side addresses b for which the flow f with its NIC-side address replaced by b lies in `set` (the line
 * through f along that dimension): read cube by cube, pointwise on the four other dimensions, no set built.
 */
function lineOf(set: FlowSet, f: Flow, fixed: IpValue, inbound: boolean): IpSet {
  let out: IpSet | undefined;
  const cubes = set.cubes();
  for (let k = 0; k < cubes.length; k++) {
    const c = cubes[k] as FlowCube;
    if (!c.protocols.contains(f.protocol) || !c.dstPorts.contains(f.dstPort) || !c.srcPorts.contains(f.srcPort)) continue;
    if (!(inbound ? c.src : c.dst).contains(fixed)) continue;
    const side = inbound ? c.dst : c.src;
    out = out === undefined ? side : out.union(side);
  }
  return out ?? IpSet.empty();
}

/**
 * Along the line through f (see lineOf): the addresses where rule i decides the flow Allow (`allowed`), and among
 * them those the other list does not deny (`escapes`; all of them without another list). The pointwise reading of
 * the header, on each address of the line at once.
 */
export function escapeLine(
  allowRules: readonly CompiledRule[],
  i: number,
  other: readonly CompiledRule[] | undefined,
  f: Flow,
  direction: Direction,
): { allowed: IpSet; escapes: IpSet } {
  const inbound = direction === "Inbound";
  const fixed = addressValue(inbound ? f.src : f.dst) as IpValue;
  let allowed = lineOf((allowRules[i] as CompiledRule).must, f, fixed, inbound);
  for (let e = 0; e < i && !allowed.isEmpty(); e++) {
    const b = lineOf(blocksAllow(allowRules[e] as CompiledRule), f, fixed, inbound);
    if (!b.isEmpty() && b.overlaps(allowed)) allowed = allowed.subtract(b);
  }
  if (other === undefined) return { allowed, escapes: allowed };
  // Walking the other list: an address its rule may match is decided there unless the rule is a Deny that only may
  // match it; a known Deny that surely matches denies it, any other access lets it through (or leaves it Unknown).
  let pending = allowed;
  let escapes = IpSet.empty();
  for (let d = 0; d < other.length && !pending.isEmpty(); d++) {
    const rule = other[d] as CompiledRule;
    if (rule.access === "Deny") {
      const must = lineOf(rule.must, f, fixed, inbound);
      if (!must.isEmpty() && must.overlaps(pending)) pending = pending.subtract(must);
      continue;
    }
    const may = lineOf(rule.may, f, fixed, inbound);
    if (may.isEmpty() || !may.overlaps(pending)) continue;
    escapes = escapes.union(pending.intersect(may));
    pending = pending.subtract(may);
  }
  // Matched by no rule: not denied (the denier of the header finds none).
  return { allowed, escapes: escapes.union(pending) };
}
