/**
 * Default security rules as a plan lists them (`defaultSecurityRules` in deployed outputs) are data: each is read
 * and compared with Azure's documented defaults (docs/azure-semantics.md §1: six rules per NSG, fixed by Azure,
 * neither removable nor editable). What differs is reported (`odd-default-rule`, naming the rule, field and value)
 * and the documented defaults are what the model uses, so a narrowed or partly unknown DenyAll can never leave a
 * rule list without its catch-all. Unknown fields are normal at preview and are not reported.
 */
import { DEFAULT_RULE_TABLE, defaultSecurityRules } from "../../azure/default-rules";
import type { SecurityRule } from "../../model/topology";
import { isUnknown } from "../../model/unknown";
import type { ResourceRecord } from "../../resources/record";
import { quoteValue } from "../../io/quote";
import { report, type BuildContext } from "./context";
import { get, isPropertyObject, list, type PV } from "./props";

/** Documented value of each compared field, per default rule (names compared case-insensitively). */
function documented(row: (typeof DEFAULT_RULE_TABLE)[number]): Record<string, string | number> {
  const [name, direction, priority, source, destination, access] = row;
  return {
    name,
    direction,
    priority,
    access,
    protocol: "*",
    sourceAddressPrefix: source,
    destinationAddressPrefix: destination,
    sourcePortRange: "*",
    destinationPortRange: "*",
  };
}

/** Plural fields Azure returns empty on default rules: a non-empty one changes what the rule matches. */
const EMPTY_PLURALS = ["sourceAddressPrefixes", "destinationAddressPrefixes", "sourcePortRanges", "destinationPortRanges", "sourceApplicationSecurityGroups", "destinationApplicationSecurityGroups"];

function sameValue(declared: PV, expected: string | number): boolean {
  if (typeof expected === "number") return declared === expected || (typeof declared === "string" && declared.trim() === String(expected));
  return typeof declared === "string" && declared.trim().toLowerCase() === expected.toLowerCase();
}

/** Whether a value holds an Unknown anywhere (then it is not compared: unknown at preview is not odd). */
function hasUnknown(v: PV): boolean {
  if (isUnknown(v)) return true;
  if (Array.isArray(v)) return v.some(hasUnknown);
  if (isPropertyObject(v)) return Object.values(v).some(hasUnknown);
  return false;
}

export function readDefaultRules(ctx: BuildContext, record: ResourceRecord, nsgName: string): SecurityRule[] {
  const declared = list(record.props.defaultSecurityRules);
  const odd = (field: string, value: string | undefined, problem: string): void =>
    report(ctx, {
      code: "odd-default-rule",
      severity: "warning",
      resource: record.urn,
      field,
      ...(value !== undefined ? { value } : {}),
      message: `NSG ${nsgName}: ${field} ${problem}; Azure's documented default rules are used`,
    });
  const raw = record.props.defaultSecurityRules;
  if (declared === undefined && raw !== undefined && raw !== null) odd("defaultSecurityRules", quoteValue(raw), `is ${quoteValue(raw)}, not a list`);
  if (declared === undefined || isUnknown(declared) || declared.length === 0) return defaultSecurityRules(record.urn, record.urn);

  const seen = new Set<string>();
  declared.forEach((body, i) => {
    if (isUnknown(body)) return;
    const at = `defaultSecurityRules[${i}]`;
    if (!isPropertyObject(body)) {
      odd(at, quoteValue(body), `is ${quoteValue(body)}, not a rule`);
      return;
    }
    const name = get(body, "name");
    if (isUnknown(name)) return;
    const row = typeof name === "string" ? DEFAULT_RULE_TABLE.find((r) => r[0].toLowerCase() === name.trim().toLowerCase()) : undefined;
    if (row === undefined) {
      odd(`${at}.name`, quoteValue(name), `${quoteValue(name)} is not one of Azure's default rules (${DEFAULT_RULE_TABLE.map((r) => r[0]).join(", ")})`);
      return;
    }
    if (seen.has(row[0])) odd(`defaultSecurityRules[${row[0]}]`, undefined, "is listed twice");
    seen.add(row[0]);
    for (const [field, expected] of Object.entries(documented(row))) {
      if (field === "name") continue;
      const v = get(body, field);
      if (v === undefined || hasUnknown(v) || sameValue(v, expected)) continue;
      odd(`defaultSecurityRules[${row[0]}].${field}`, quoteValue(v), `is ${quoteValue(v)}, not ${JSON.stringify(expected)} as Azure defines it`);
    }
    for (const field of EMPTY_PLURALS) {
      const v = get(body, field);
      if (v === undefined || v === null || hasUnknown(v) || (Array.isArray(v) && v.length === 0)) continue;
      odd(`defaultSecurityRules[${row[0]}].${field}`, quoteValue(v), `is ${quoteValue(v)}; Azure's default rules have none`);
    }
  });
  const missing = DEFAULT_RULE_TABLE.map((r) => r[0]).filter((n) => !seen.has(n));
  // A list with unknown elements may hold the missing ones.
  if (missing.length > 0 && !declared.some((b) => isUnknown(b) || isUnknown(get(b, "name")))) odd("defaultSecurityRules", undefined, `lacks ${missing.join(", ")}`);
  return defaultSecurityRules(record.urn, record.urn);
}
