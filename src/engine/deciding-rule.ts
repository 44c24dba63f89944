/**
 * Which rule decides a flow, when that is not sure (issue 12, point 2). First match (first-match.ts) records, for
 * each decision, the earlier rules whose match depends on values unknown at preview (`doubtful`). When the
 * access is sure anyway (every one of them has the deciding rule's access), the flow is decided, but by "one of"
 * those rules and the deciding one. IP flow verify, trace and the intents' evidence all name it from this one
 * record, so they cannot disagree.
 */
import { describeUnknown, isUnknown } from "../model/unknown";
import type { CompiledRule } from "./rules";

export interface RuleDoubt {
  /** Every rule that may decide, in evaluation order; the last is the one that surely matches. */
  readonly candidates: readonly string[];
  /** Why the earlier ones may or may not match (described unknowns, deduplicated). */
  readonly unknowns: readonly string[];
}

/** The doubt over a decision's rule, or undefined when the deciding rule is sure (no earlier rule may match). */
export function ruleDoubt(rule: CompiledRule, doubtful: readonly CompiledRule[]): RuleDoubt | undefined {
  if (doubtful.length === 0) return undefined;
  const unknowns = new Set(doubtful.flatMap((r) => [...r.causes, ...(isUnknown(r.access) ? [r.access] : [])]).map(describeUnknown));
  return { candidates: [...doubtful.map((r) => r.ruleName), rule.ruleName], unknowns: [...unknowns] };
}

/** "securityRules/x" or "one of securityRules/a, securityRules/x". */
export function decidingRuleText(rule: CompiledRule, doubtful: readonly CompiledRule[]): string {
  const doubt = ruleDoubt(rule, doubtful);
  return doubt ? `one of ${doubt.candidates.join(", ")}` : rule.ruleName;
}

/** " (which matches depends on: ...)" for a doubtful decision, else "". */
export function ruleDoubtSuffix(rule: CompiledRule, doubtful: readonly CompiledRule[]): string {
  const doubt = ruleDoubt(rule, doubtful);
  return doubt ? ` (the access is the same; which rule matches depends on: ${doubt.unknowns.join("; ") || "values unknown at preview"})` : "";
}
