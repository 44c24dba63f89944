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
import { isPropertyObject, pathParam, text } from "./props";
import { isUnknown } from "../../model/unknown";
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

/** The last segment of an ARM id, decoded when it is percent-encoded (an id names its resource by it). */
function lastSegment(id: string): string {
  const seg = id.slice(id.lastIndexOf("/") + 1);
  try {
    return decodeURIComponent(seg);
  } catch {
    return seg;
  }
}

/**
 * A child resource written inside its parent (a subnet in `subnets`, a NAT rule in `inboundNatRules`, a NIC's
 * `ipConfigurations`) is named twice: by `name` and by the last segment of its own `id`, which Azure keeps equal
 * (docs/azure-semantics.md §15). References to a child name its id; the model reads `name`. A plan where both are
 * known and differ is malformed, so references to it no longer resolve: that is said on the parent, with the
 * child's field (fuzz seed 52000 mutants 1267 and 2291: a load balancer's NAT rule and frontend renamed, the NIC's
 * and rules' references to them left unresolved, and two intents turned indeterminate with no word on the rename).
 */
export function childNameMismatches(records: readonly ResourceRecord[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const r of records) {
    if (kindOfType(r.type) === undefined) continue;
    for (const [key, items] of Object.entries(r.props)) {
      if (!Array.isArray(items)) continue;
      items.forEach((item, i) => {
        if (!isPropertyObject(item) || isUnknown(item)) return;
        const name = item.name;
        const id = item.id;
        if (typeof name !== "string" || typeof id !== "string" || !id.includes("/")) return;
        const fromId = lastSegment(id);
        if (fromId.length === 0 || fromId.toLowerCase() === name.toLowerCase()) return;
        out.push({
          code: "name-mismatch",
          severity: "warning",
          resource: r.urn,
          field: `${key}[${i}].name`,
          value: quoteValue(name, 120),
          message: `${r.name}: ${key}[${i}].name ${quoteValue(name, 120)} differs from the last segment of its id, ${quoteValue(fromId, 120)}, which Azure names it by; references to it by id do not find it`,
        });
      });
    }
  }
  return out;
}
