/**
 * An AVNM security admin configuration, rule collection or rule is named in every verdict it decides
 * (`securityAdminRules/<configuration>/<collection>/<rule>`), and intents name rules by that path. Its `name` and
 * the path parameter that names it (`configurationName`, `ruleCollectionName`, `ruleName`) are one value in Azure
 * (the last segment of the ARM id the path parameters build; names are case-insensitive): a plan where both are
 * known and differ is malformed, and which one is right is not known. The model reads `name` (props.ts,
 * azureNameOf); the difference is said, so a verdict naming the rule does not change silently (fuzz seed 20261202
 * mutant 2414: an admin rule's name set to a URN).
 * Other kinds are not checked here: plans written by the Pulumi mocks carry a `name` that is the logical name
 * beside the path parameter (examples/avnm-baseline's NetworkManager and StaticMember), and no verdict names them.
 */
import { quoteValue } from "../../io/quote";
import type { Diagnostic } from "../../model/diagnostic";
import type { ResourceRecord } from "../../resources/record";
import { pathParam, text } from "./props";
import { kindOfType, NAME_PARAM, rowOf } from "./kinds";

export function nameMismatches(records: readonly ResourceRecord[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const r of records) {
    const kind = kindOfType(r.type);
    if (kind === undefined || rowOf(kind).namedInVerdicts !== true) continue;
    const param = NAME_PARAM[kind];
    const name = text(r.props.name);
    const fromParam = pathParam(r, param);
    if (typeof name !== "string" || typeof fromParam !== "string" || name.toLowerCase() === fromParam.toLowerCase()) continue;
    out.push({
      code: "name-mismatch",
      severity: "warning",
      resource: r.urn,
      field: "name",
      value: quoteValue(name, 120),
      message: `${r.name}: name ${quoteValue(name, 120)} differs from ${param} ${quoteValue(fromParam, 120)}, which Azure names it by; verdicts name it by name`,
    });
  }
  return out;
}
