/**
 * AR-002 shadowed-rule: a custom rule none of whose flows ever reaches it, because rules of higher priority in the
 * same NSG and direction surely match all of them first (first match wins; semantics reference, section 1).
 * Decided exactly over flow sets, wherever the NSG is attached; unknown values only ever make a rule "not shadowed".
 */
import type { CompiledRule } from "../engine/rules";
import type { Direction, Nsg } from "../model/topology";
import { isUnknown } from "../model/unknown";
import type { Flow } from "../sets/flow";
import type { FlowSet } from "../sets/flow-set";
import { makeFinding, nameOf, ruleRef, ruleSummary, sortedValues } from "./helpers";
import { compileCustom, nsgPlaces, restrictToApplied } from "./nsg-contexts";
import type { Check, CheckContext, Finding } from "./types";

interface Verdict {
  covered: boolean;
  empty: boolean;
  coverers: CompiledRule[];
  example?: Flow;
}

/** First-match attribution of a rule's flows to the earlier rules that surely match them. */
function coverage(target: FlowSet, earlier: readonly CompiledRule[]): Verdict {
  if (target.isEmpty()) return { covered: false, empty: true, coverers: [] };
  let remaining = target;
  const coverers: CompiledRule[] = [];
  for (const e of earlier) {
    const take = remaining.intersect(e.must);
    if (take.isEmpty()) continue;
    coverers.push(e);
    remaining = remaining.subtract(take);
    if (remaining.isEmpty()) break;
  }
  return { covered: remaining.isEmpty(), empty: false, coverers, example: target.sample() };
}

function shadowedIn(ctx: CheckContext, nsg: Nsg, direction: Direction): Finding[] {
  const env = ctx.env;
  const places = nsgPlaces(env, nsg);
  const compiled = places.contexts.map((c) => ({ c, rules: compileCustom(env, nsg, direction, c) }));
  const count = compiled[0]?.rules.length ?? 0;
  const out: Finding[] = [];
  for (let i = 0; i < count; i++) {
    const rule = compiled[0].rules[i].rule;
    if (isUnknown(rule.priority) || isUnknown(rule.direction)) continue;
    const verdicts = compiled.map(({ c, rules }) => coverage(restrictToApplied(rules[i].may, direction, c), rules.slice(0, i)));
    if (!verdicts.every((v) => v.covered || v.empty) || !verdicts.some((v) => v.covered)) continue;
    const byName = new Map<string, CompiledRule>();
    for (const v of verdicts) for (const e of v.coverers) byName.set(e.rule.name, e);
    const coverers = [...byName.values()].sort((a, b) => (a.rule.priority as number) - (b.rule.priority as number));
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
        example: verdicts.find((v) => v.covered)?.example,
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
