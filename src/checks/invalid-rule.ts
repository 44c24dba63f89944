/** AR-013 invalid-rule: configuration in the plan that Azure would reject (from the adapter's diagnostics). */
import { diagnosticFindings, INVALID_RULE } from "./diagnostic-findings";
import type { Check, CheckContext, Finding } from "./types";

export const invalidRule: Check = {
  ...INVALID_RULE,
  title: "Configuration Azure would reject",
  severity: "high",
  explanation:
    "A security rule, prefix or priority that Azure's API rejects (a malformed prefix or port range, two rules with " +
    "one priority in one direction, both singular and plural fields set, host bits in a prefix) fails the " +
    "deployment; until fixed, the rule is left out of every analysis, so verdicts about the flows it would match are " +
    "about the other rules only.",
  fix: "Correct the field named in the finding.",
  run(ctx: CheckContext): Finding[] {
    return diagnosticFindings(ctx.env.topo).filter((f) => f.check === INVALID_RULE.name);
  },
};
