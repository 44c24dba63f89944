/**
 * AR-002 shadowed-rule: a custom rule none of whose flows ever reaches it, because rules of higher priority in the
 * same NSG and direction surely match all of them first (first match wins; docs/azure-semantics.md §1).
 * Decided exactly over flow sets, wherever the NSG is attached; unknown values only ever make a rule "not shadowed".
 */
import type { TagContext } from "../engine/address-context";
import { asgBindingKey } from "../engine/nsg";
import type { CompiledRule } from "../engine/rules";
import type { Direction, Nsg } from "../model/topology";
import { isUnknown } from "../model/unknown";
import type { Flow } from "../sets/flow";
import { FlowSet } from "../sets/flow-set";
import { IpSet } from "../sets/ip-set";
import { makeFinding, nameOf, ruleRef, ruleSummary, sortedValues } from "./helpers";
import { compileCustom, nsgPlaces, restrictToApplied, type NsgContext } from "./nsg-contexts";
import type { Check, CheckContext, Finding } from "./types";

interface Verdict {
  covered: boolean;
  empty: boolean;
  coverers: CompiledRule[];
  example?: Flow;
}

/** First-match attribution of a rule's flows to the earlier rules that surely match them. */
function coverage(target: FlowSet, earlier: readonly CompiledRule[], withExample = true): Verdict {
  if (target.isEmpty()) return { covered: false, empty: true, coverers: [] };
  let remaining = target;
  const coverers: CompiledRule[] = [];
  for (const e of earlier) {
    // Most earlier rules share no flow with the target: tested without building the (empty) intersection.
    if (!remaining.overlaps(e.must)) continue;
    // The common case, a rule wholly inside one earlier rule (a duplicate, a narrower copy): no split needed.
    if (remaining.insideCubesOf(e.must)) {
      coverers.push(e);
      remaining = FlowSet.empty();
      break;
    }
    const take = remaining.intersect(e.must);
    if (take.isEmpty()) continue;
    coverers.push(e);
    remaining = remaining.subtract(take);
    if (remaining.isEmpty()) break;
  }
  return { covered: remaining.isEmpty(), empty: false, coverers, ...(withExample ? { example: target.sample() } : {}) };
}

interface Place {
  readonly c: NsgContext;
  readonly rules: readonly CompiledRule[];
}

/**
 * Places that compile alike (one tag context, one ASG membership as the rules see it) form a group: a rule is
 * covered-or-empty at every place of a group exactly when it is on the union of their addresses (first match is
 * decided flow by flow), and the earlier rules involved are the same. So coverage is computed once per group, and
 * each place is looked at again only for the example flow (the first covered place's own first flow, as before).
 */
interface Group {
  readonly rules: readonly CompiledRule[];
  readonly union: NsgContext;
  readonly members: Place[];
}

function groupsOf(env: CheckContext["env"], nsg: Nsg, direction: Direction, contexts: readonly NsgContext[]): { places: Place[]; groups: Group[] } {
  const byKey = new Map<TagContext, Map<string, Group>>();
  const places: Place[] = [];
  const groups: Group[] = [];
  for (const c of contexts) {
    const binding = c.local ? asgBindingKey(nsg, c.local) : "-";
    let inner = byKey.get(c.tagContext);
    if (inner === undefined) {
      inner = new Map();
      byKey.set(c.tagContext, inner);
    }
    let g = inner.get(binding);
    if (g === undefined) {
      g = { rules: compileCustom(env, nsg, direction, c), union: c, members: [] };
      inner.set(binding, g);
      groups.push(g);
    }
    const place = { c, rules: g.rules };
    g.members.push(place);
    places.push(place);
  }
  // The union context: the members' applied addresses together (unconstrained if one of them is).
  const merged = groups.map((g): Group => {
    if (g.members.length === 1) return g;
    const applied = g.members.some((m) => m.c.applied === undefined) ? undefined : IpSet.unionAll(g.members.map((m) => m.c.applied as IpSet));
    const { applied: _drop, ...rest } = g.union;
    void _drop;
    return { ...g, union: { ...rest, ...(applied === undefined ? {} : { applied }) } };
  });
  return { places, groups: merged };
}

/** The verdicts of `count` places, or undefined as soon as one is neither covered nor empty. */
function coveredEverywhere(count: number, verdictOf: (k: number) => Verdict): Verdict[] | undefined {
  const out: Verdict[] = [];
  for (let k = 0; k < count; k++) {
    const v = verdictOf(k);
    if (!v.covered && !v.empty) return undefined;
    out.push(v);
  }
  return out;
}

/** Two rules of one name or one priority make the order of coverers depend on the places: decided place by place. */
function ambiguousOrder(rules: readonly CompiledRule[]): boolean {
  const names = new Set(rules.map((r) => r.rule.name));
  const priorities = new Set(rules.map((r) => (isUnknown(r.rule.priority) ? NaN : r.rule.priority)));
  return names.size !== rules.length || priorities.size !== rules.length;
}

function shadowedIn(ctx: CheckContext, nsg: Nsg, direction: Direction): Finding[] {
  const env = ctx.env;
  const places = nsgPlaces(env, nsg);
  const { places: compiled, groups } = groupsOf(env, nsg, direction, places.contexts);
  const count = compiled[0]?.rules.length ?? 0;
  const perPlace = count > 0 && ambiguousOrder(compiled[0].rules);
  const out: Finding[] = [];
  for (let i = 0; i < count; i++) {
    const rule = compiled[0].rules[i].rule;
    if (isUnknown(rule.priority) || isUnknown(rule.direction)) continue;
    let coverers: CompiledRule[];
    let example: Flow | undefined;
    if (perPlace) {
      const verdicts = compiled.map(({ c, rules }) => coverage(restrictToApplied(rules[i].may, direction, c), rules.slice(0, i)));
      if (!verdicts.every((v) => v.covered || v.empty) || !verdicts.some((v) => v.covered)) continue;
      const byName = new Map<string, CompiledRule>();
      for (const v of verdicts) for (const e of v.coverers) byName.set(e.rule.name, e);
      coverers = [...byName.values()].sort((a, b) => (a.rule.priority as number) - (b.rule.priority as number));
      example = verdicts.find((v) => v.covered)?.example;
    } else {
      // Group by group, stopping at the first group where the rule is not covered (most rules): the others need not
      // be computed to say it is not shadowed.
      const verdicts = coveredEverywhere(groups.length, (k) => {
        const g = groups[k] as Group;
        return coverage(restrictToApplied(g.rules[i].may, direction, g.union), g.rules.slice(0, i), false);
      });
      if (verdicts === undefined || !verdicts.some((v) => v.covered)) continue;
      const byName = new Map<string, CompiledRule>();
      for (const v of verdicts) for (const e of v.coverers) byName.set(e.rule.name, e);
      // Names and priorities are unique here: the priority order is the order.
      coverers = [...byName.values()].sort((a, b) => (a.rule.priority as number) - (b.rule.priority as number));
      // Every place of a covered group is covered or empty: the first non-empty one, in place order, is the example.
      const covered = new Set(groups.filter((_, k) => verdicts[k].covered));
      const group = new Map(groups.flatMap((g) => g.members.map((m) => [m, g] as const)));
      for (const p of compiled) {
        if (!covered.has(group.get(p) as Group)) continue;
        const target = restrictToApplied(p.rules[i].may, direction, p.c);
        if (!target.isEmpty()) {
          example = target.sample();
          break;
        }
      }
    }
    const access = rule.access;
    const opposite = !isUnknown(access) && coverers.some((e) => !isUnknown(e.access) && e.access !== access);
    const topo = env.topo;
    const names = coverers.map((e) => ruleSummary(e.rule)).join(", ");
    const message =
      `NSG ${nameOf(nsg)}: rule ${ruleSummary(rule)} never matches: every flow it covers is matched first by ${names}` +
      (opposite ? ` with the opposite action, so the rule's ${String(access)} never applies (likely a bug)` : " with the same action (redundant)");
    out.push(
      makeFinding(shadowedRule, {
        severity: opposite ? "medium" : "low",
        resources: [rule.urn, nsg.urn],
        message,
        rules: [ruleRef(topo, rule), ...coverers.map((e) => ruleRef(topo, e.rule))],
        example,
        details: { direction, oppositeAction: opposite, coveredBy: coverers.map((e) => ruleRef(topo, e.rule)), attached: places.attached },
      }),
    );
  }
  return out;
}

export const shadowedRule: Check = {
  id: "AR-002",
  name: "shadowed-rule",
  title: "Rule shadowed by higher-priority rules",
  severity: "medium",
  explanation:
    "Azure evaluates an NSG's rules by priority and the first match decides. A rule all of whose flows (protocols, " +
    "sources, source ports, destinations, destination ports, including plural fields, service tags and ASGs) are " +
    "matched by higher-priority rules of the same NSG and direction never decides anything. When a covering rule has " +
    "the opposite action the author's intent is lost: an allow that never allows, or a deny that never denies.",
  fix:
    "Give the rule a lower priority number than the rules named as covering it, narrow those rules, or delete the " +
    "shadowed rule if it is redundant.",
  run(ctx: CheckContext): Finding[] {
    return sortedValues(ctx.env.topo.nsgs).flatMap((nsg) => [...shadowedIn(ctx, nsg, "Inbound"), ...shadowedIn(ctx, nsg, "Outbound")]);
  },
};
