/**
 * NetworkSecurityGroup: inline and standalone rules merged (standalone wins on the same name); Azure's six
 * documented default rules, with the plan's own list read and what differs reported (default-rules.ts).
 */
import type { Nsg, RuleOrigin, SecurityRule } from "../../model/topology";
import { isUnknown } from "../../model/unknown";
import type { ResourceRecord } from "../../resources/record";
import { recordsOf, report, sortedMap, type BuildContext } from "./context";
import { readDefaultRules } from "./default-rules";
import { groupByParent, type ChildDraft } from "./entities";
import { entityIdOf, fieldOf, knownString, list, tagsOf } from "./props";
import { parseSecurityRule, type RuleSource } from "./security-rule";

/** Who declares a rule, for its RuleSource. */
interface RuleDeclaration {
  readonly record: ResourceRecord;
  readonly origin: RuleOrigin;
  depProp(field: string): string;
}

export function buildNsgs(ctx: BuildContext, ruleDrafts: readonly ChildDraft[]): Map<string, Nsg> {
  const byNsg = groupByParent(ruleDrafts);
  return sortedMap(recordsOf(ctx, "nsg").map((record) => [record.urn, buildNsg(ctx, record, byNsg.get(record.urn) ?? [])] as const));
}

function buildNsg(ctx: BuildContext, record: ResourceRecord, ruleDrafts: readonly ChildDraft[]): Nsg {
  const ref = ctx.refs.get(record.urn);
  const azureName = ref?.azureName ?? record.name;
  const nsgName = knownString(azureName) ?? record.name;
  const source = (d: RuleDeclaration, collection: RuleSource["collection"]): RuleSource => ({
    ctx,
    nsgKey: record.urn,
    nsgUrn: record.urn,
    nsgName,
    record: d.record,
    origin: d.origin,
    collection,
    depProp: d.depProp,
  });

  const rules: SecurityRule[] = [];
  const inlineList = list(record.props.securityRules);
  if (isUnknown(inlineList)) {
    // The whole list is computed: one rule that is unknown in every field keeps verdicts honest.
    const inlineSource = { record, origin: "inline" as const, depProp: () => "securityRules" };
    rules.push(parseSecurityRule(source(inlineSource, "securityRules"), inlineList, ".securityRules", "securityRules[*]"));
  }
  for (const d of ruleDrafts) {
    const name = knownString(d.ref.azureName) ?? (d.origin === "standalone" ? d.record.name : fieldOf(d.basePath));
    rules.push(parseSecurityRule(source(d, "securityRules"), d.body, d.basePath, name));
  }
  reportDuplicatePriorities(ctx, record.urn, nsgName, rules);

  return {
    key: record.urn,
    urn: record.urn,
    logicalName: record.name,
    azureName,
    id: ref?.id ?? entityIdOf(record),
    rules,
    defaultRules: readDefaultRules(ctx, record, nsgName),
    tags: tagsOf(record.props.tags),
  };
}

/** Azure rejects two rules with one priority in one direction; both are reported and both stay in the model. */
function reportDuplicatePriorities(ctx: BuildContext, nsgUrn: string, nsgName: string, rules: readonly SecurityRule[]): void {
  const groups = new Map<string, SecurityRule[]>();
  for (const r of rules) {
    if (typeof r.priority !== "number" || typeof r.direction !== "string") continue;
    const key = `${r.direction}:${r.priority}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [r]);
    else group.push(r);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    for (const r of group) {
      // A few names, then a count: each message stays short however many rules share the priority (fuzz seed
      // 28000 mutant 475: 2,000 copies of one rule gave 2,000 messages of 2,000 names, 270 MB of report).
      const all = group.filter((o) => o !== r);
      const others = all.length <= 5 ? all.map((o) => o.name).join(", ") : `${all.slice(0, 5).map((o) => o.name).join(", ")} and ${all.length - 5} more`;
      report(ctx, {
        code: "duplicate-priority",
        severity: "error",
        resource: nsgUrn,
        field: `securityRules[${r.name}].priority`,
        value: String(r.priority),
        message: `NSG ${nsgName} rule ${r.name}: priority ${String(r.priority)} (${String(r.direction)}) is also used by rule ${others}; Azure rejects two rules with one priority in one direction`,
      });
    }
  }
}
