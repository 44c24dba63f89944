/**
 * AR-040 firewall-shadowed-rule: an Azure Firewall rule that never decides anything, because rules processed
 * before it match every flow it could match. Processing order is Azure's (engine/firewall.ts, after
 * learn.microsoft.com/azure/firewall/rule-processing): parent policy first, network rules before application
 * rules, groups then collections by priority, first match terminates. A network rule is shadowed when the flows
 * it may match lie inside the union of the flows earlier rules surely match; an application rule likewise, over
 * its addresses, protocol and ports (network rules always decide first, whatever the priorities). Exact: flow sets,
 * never samples; a rule whose reach depends on values unknown at preview is judged on what it may match, so it is
 * reported only when even that is covered.
 */
import { forwardingRules, type FirewallMatchRule } from "../engine/firewall";
import { isUnknown } from "../model/unknown";
import { FlowSet } from "../sets/flow-set";
import { makeFinding, sortedValues } from "./helpers";
import type { Check, CheckContext, Finding } from "./types";

export const firewallShadowedRule: Check = {
  id: "AR-040",
  name: "firewall-shadowed-rule",
  title: "Azure Firewall rule shadowed by rules processed before it",
  severity: "medium",
  explanation:
    "Azure Firewall processes network rules before application rules, a parent policy's rule collection groups " +
    "before its own, and groups and collections by priority; rules are terminating (learn.microsoft.com/azure/" +
    "firewall/rule-processing). A rule every flow of which is matched by earlier rules never applies: if its action " +
    "differs, the policy does not do what the rule says.",
  fix: "Remove the rule, or move it (its collection's or group's priority, or its collection's type) before the rules that cover it.",
  run(ctx: CheckContext): Finding[] {
    const model = ctx.env.topo.firewall;
    if (!model) return [];
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const fw of sortedValues(model.firewalls)) {
      const rules = forwardingRules(ctx.env, fw);
      let cover = FlowSet.empty();
      const earlier: FirewallMatchRule[] = [];
      for (const r of rules) {
        if (r.kind === "Default" || !r.rule) break;
        const key = `${r.rule.place.urn}|${r.ruleName}`;
        if (!seen.has(key) && !r.may.isEmpty() && r.may.subtract(cover).isEmpty()) {
          seen.add(key);
          const by = earlier.filter((e) => e.must.overlaps(r.may));
          const conflicting = by.some((e) => !isUnknown(e.access) && !isUnknown(r.access) && e.access !== r.access);
          out.push(
            makeFinding(firewallShadowedRule, {
              severity: conflicting ? "medium" : "low",
              resources: [r.rule.place.urn, ...by.map((e) => e.rule?.place.urn ?? "")],
              message: `Azure Firewall ${fw.logicalName}: ${r.ruleName} (${r.access === "Deny" ? "Deny" : "Allow"}) never applies: every flow it could match is decided first by ${by.map((e) => `${e.ruleName} (${String(e.access)})`).join(", ")}${conflicting ? "; their action differs, so the rule's intent is not what the firewall does" : ""}`,
              rules: [r.ruleName, ...by.map((e) => e.ruleName)],
              details: { firewall: fw.logicalName, conflicting },
            }),
          );
        }
        cover = cover.union(r.must);
        earlier.push(r);
      }
    }
    return out;
  },
};
