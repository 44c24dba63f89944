/**
 * How a policy's configured enforcement level and its config keys reach the violations, the way the Pulumi engine
 * and @pulumi/policy 1.21 hand them over:
 *
 * - The level: the engine reconciles the `--policy-pack-config` file (a policy's level as `"<policy>": "mandatory"`,
 *   `{"enforcementLevel": ...}`, or `"all": "mandatory"` for every policy; pkg/resource/analyzer/config.go,
 *   ReconcilePolicyPackConfig and applyConfig) and sends it in Configure. @pulumi/policy keeps it for the policy
 *   (server.js `configure`), hides it from `getConfig()` (makeGetConfigFun drops `enforcementLevel`) and uses it as
 *   the default level of every violation the policy reports (makeReportViolationFun: `policyInfo.enforcementLevel
 *   || enforcementLevel`). So a violation honours the configured level only when it carries no level of its own:
 *   per-violation levels are set only where the pack's own config says so.
 * - The keys: the engine validates each policy's config against `configSchema.properties` and `required` only
 *   (analyzer.proto PolicyConfigSchema has no other field; @pulumi/policy's protoutil.js sends only those two;
 *   config.go convertSchema rebuilds `{type: object, properties, required}`). A top-level `additionalProperties:
 *   false` therefore never reaches the engine, and a misspelt top-level key arrives in `getConfig()` unchecked: the
 *   pack names it itself, as a mandatory violation, so the preview stops. Schemas nested inside a property do reach
 *   the engine (config-schema.ts uses that for `checks` and `suppressions`).
 */
import { findCheck } from "../../src/checks/catalogue";
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { Violation } from "./violation";

export type ConfiguredLevel = "advisory" | "mandatory";

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The levels the hygiene config sets explicitly, by check name (`checks: {"<name or id>": {"enforcement": ...}}`).
 * Checks not named here take the policy's configured level. Invalid entries are left out (policy-config.ts
 * reports them); `disabled` is not a level (the check does not run).
 */
export function explicitCheckLevels(checks: unknown): Readonly<Record<string, ConfiguredLevel>> {
  const out: Record<string, ConfiguredLevel> = {};
  if (!isRecord(checks)) return out;
  for (const [ref, value] of Object.entries(checks)) {
    const check = findCheck(ref);
    if (!check || !isRecord(value)) continue;
    const e = value.enforcement;
    if (e === "advisory" || e === "mandatory") out[check.name] = e;
  }
  return out;
}

/** The config keys a policy does not know (in config order). `enforcementLevel` is the engine's, never the pack's. */
export function unknownConfigKeys(config: unknown, schema: PolicyConfigSchema): string[] {
  if (!isRecord(config)) return [];
  const known = new Set(Object.keys(schema.properties));
  return Object.keys(config).filter((k) => k !== "enforcementLevel" && !known.has(k));
}

/**
 * One mandatory violation per unknown key: a misspelt key would otherwise be ignored silently (the engine cannot
 * catch it, see above). Mandatory whatever the policy's level, so a mistyped configuration stops the preview.
 */
export function unknownKeyViolations(policy: string, config: unknown, schema: PolicyConfigSchema): Violation[] {
  const known = Object.keys(schema.properties).join(", ");
  return unknownConfigKeys(config, schema).map((k) => ({
    message: `policy config of ${policy}: unknown key ${JSON.stringify(k)} (known: ${known}); fix the policy-config file`,
    enforcementLevel: "mandatory" as const,
  }));
}
