/**
 * The checks' fragment of the policy pack configuration:
 *   { "checks": { "<check name or id>": { "enforcement": "advisory" | "mandatory" | "disabled" } },
 *     "suppressions": [ { "check": "...", "resource": "...", "reason": "..." } ] }
 * Other top-level keys (intents, ...) belong to others and are ignored. Checks not named are advisory.
 */
import { quote, quoteValue } from "../io/quote";
import { CATALOGUE, findCheck } from "./catalogue";
import type { CheckEnforcement, CheckOptions, Suppression } from "./types";

export type ActiveEnforcement = Exclude<CheckEnforcement, "disabled">;

export type CheckConfigResult =
  | { readonly ok: true; readonly options: CheckOptions; readonly enforcement: Readonly<Record<string, ActiveEnforcement>> }
  | { readonly ok: false; readonly errors: readonly string[] };

export const DEFAULT_ENFORCEMENT: ActiveEnforcement = "advisory";
const ENFORCEMENTS: readonly CheckEnforcement[] = ["advisory", "mandatory", "disabled"];

/** A configured value in words, quoted and cut (never a whole document). */
function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  return `${typeof v} ${quoteValue(v)}`;
}

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
    if (!Array.isArray(cfg.suppressions)) {
      // Reported as one suppression not applied (an invalid-suppression finding): the checks still run.
      suppressions.push({ check: "", resource: "", reason: "", problems: [`suppressions must be a list of {check, resource, reason}, not ${describe(cfg.suppressions)}`] });
    }
    else
      // A malformed suppression is not applied and is reported (an invalid-suppression finding) on its own: it
      // never disables the checks, nor the other suppressions.
      cfg.suppressions.forEach((s: unknown, i: number) => {
        if (!isRecord(s)) {
          suppressions.push({ check: "", resource: "", reason: "", problems: [`suppressions[${i}] must be an object {check, resource, reason}, not ${describe(s)}`] });
          return;
        }
        const problems: string[] = [];
        const field = (k: "check" | "resource" | "reason"): string => {
          const v = s[k];
          if (typeof v === "string") return v;
          if (v !== undefined) problems.push(`${k} must be a string, not ${describe(v)}`);
          return "";
        };
        const check = field("check");
        const resource = field("resource");
        const reason = field("reason");
        for (const key of Object.keys(s)) if (!["check", "resource", "reason"].includes(key)) problems.push(`unknown field ${quote(key)} (only check, resource, reason)`);
        suppressions.push({ check, resource, reason, ...(problems.length > 0 ? { problems } : {}) });
      });
  }

  if (errors.length > 0) return { ok: false, errors };
  const active: Record<string, ActiveEnforcement> = {};
  for (const [name, e] of enforcement) if (e !== "disabled") active[name] = e;
  return { ok: true, options: { enabled: Object.keys(active), suppressions }, enforcement: active };
}
