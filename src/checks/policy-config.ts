/**
 * The checks' fragment of the policy pack configuration:
 *   { "checks": { "<check name or id>": { "enforcement": "advisory" | "mandatory" | "disabled" } },
 *     "suppressions": [ { "check": "...", "resource": "...", "reason": "..." } ] }
 * Other top-level keys (intents, ...) belong to others and are ignored. Checks not named are advisory.
 */
import { CATALOGUE, findCheck } from "./catalogue";
import type { CheckEnforcement, CheckOptions, Suppression } from "./types";

export type ActiveEnforcement = Exclude<CheckEnforcement, "disabled">;

export type CheckConfigResult =
  | { readonly ok: true; readonly options: CheckOptions; readonly enforcement: Readonly<Record<string, ActiveEnforcement>> }
  | { readonly ok: false; readonly errors: readonly string[] };

export const DEFAULT_ENFORCEMENT: ActiveEnforcement = "advisory";
const ENFORCEMENTS: readonly CheckEnforcement[] = ["advisory", "mandatory", "disabled"];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Validates the fragment and returns `runChecks` options (enabled checks, suppressions) and each enabled check's
 * enforcement, or one-line errors naming the offending path. A suppression whose reason is too short is not an
 * error here: `runChecks` reports it as an `invalid-suppression` finding and does not apply it.
 */
export function policyConfigToCheckOptions(config: unknown): CheckConfigResult {
  const errors: string[] = [];
  const enforcement = new Map<string, CheckEnforcement>(CATALOGUE.map((c) => [c.name, DEFAULT_ENFORCEMENT]));
  const suppressions: Suppression[] = [];
  if (config !== undefined && config !== null && !isRecord(config)) {
    return { ok: false, errors: ["check configuration must be an object with optional 'checks' and 'suppressions'"] };
  }
  const cfg = isRecord(config) ? config : {};

  if (cfg.checks !== undefined) {
    if (!isRecord(cfg.checks)) errors.push("checks: must be an object mapping check names to { enforcement }");
    else
      for (const [name, value] of Object.entries(cfg.checks)) {
        const check = findCheck(name);
        if (!check) {
          errors.push(`checks.${name}: unknown check (known: ${CATALOGUE.map((c) => c.name).join(", ")})`);
          continue;
        }
        if (!isRecord(value)) {
          errors.push(`checks.${name}: must be an object like {"enforcement": "advisory"}`);
          continue;
        }
        for (const key of Object.keys(value)) if (key !== "enforcement") errors.push(`checks.${name}.${key}: unknown setting (only 'enforcement')`);
        const e = value.enforcement;
        if (e === undefined) continue;
        if (typeof e !== "string" || !ENFORCEMENTS.includes(e as CheckEnforcement)) {
          errors.push(`checks.${name}.enforcement: ${JSON.stringify(e)} is not one of ${ENFORCEMENTS.join(", ")}`);
          continue;
        }
        enforcement.set(check.name, e as CheckEnforcement);
      }
  }

  if (cfg.suppressions !== undefined) {
    if (!Array.isArray(cfg.suppressions)) errors.push("suppressions: must be a list of {check, resource, reason}");
    else
      cfg.suppressions.forEach((s: unknown, i: number) => {
        if (!isRecord(s)) {
          errors.push(`suppressions[${i}]: must be an object {check, resource, reason}`);
          return;
        }
        const bad = (["check", "resource", "reason"] as const).filter((k) => typeof s[k] !== "string");
        for (const k of bad) errors.push(`suppressions[${i}].${k}: must be a string`);
        for (const key of Object.keys(s)) if (!["check", "resource", "reason"].includes(key)) errors.push(`suppressions[${i}].${key}: unknown field (check, resource, reason)`);
        if (bad.length === 0) suppressions.push({ check: s.check as string, resource: s.resource as string, reason: s.reason as string });
      });
  }

  if (errors.length > 0) return { ok: false, errors };
  const active: Record<string, ActiveEnforcement> = {};
  for (const [name, e] of enforcement) if (e !== "disabled") active[name] = e;
  return { ok: true, options: { enabled: Object.keys(active), suppressions }, enforcement: active };
}
