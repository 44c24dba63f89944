/**
 * Model diagnostics (what the adapter found wrong or undecidable in the plan: invalid rules, duplicate priorities,
 * unresolved references, ...) as findings, so `check` shows them with everything else.
 * Configuration Azure would reject goes to check `invalid-rule`; the other diagnostics to `model-diagnostic`.
 */
import type { Diagnostic } from "../model/diagnostic";
import type { Topology } from "../model/topology";
import { makeFinding } from "./helpers";
import type { Check, Finding, FindingSeverity } from "./types";

/** Diagnostic codes that mean "Azure rejects this configuration" (whatever their severity). */
export const INVALID_CONFIGURATION_CODES: readonly string[] = ["invalid-rule", "duplicate-priority", "conflicting-fields", "invalid-prefix", "prefix-normalised"];

function isInvalidConfiguration(d: Diagnostic): boolean {
  return d.severity === "error" || INVALID_CONFIGURATION_CODES.includes(d.code);
}

function toFinding(check: Pick<Check, "id" | "name">, d: Diagnostic, severity: FindingSeverity): Finding {
  return makeFinding(check, {
    severity,
    resources: [d.resource],
    message: d.message,
    details: {
      code: d.code,
      diagnosticSeverity: d.severity,
      ...(d.field !== undefined ? { field: d.field } : {}),
      ...(d.value !== undefined ? { value: d.value } : {}),
    },
  });
}

export const INVALID_RULE = { id: "AR-013", name: "invalid-rule" } as const;
export const MODEL_DIAGNOSTIC = { id: "AR-014", name: "model-diagnostic" } as const;

/**
 * Every diagnostic of the topology as a finding: invalid configuration (check `invalid-rule`: error -> high,
 * otherwise medium) and the rest (check `model-diagnostic`: low). Same order as the diagnostics.
 */
export function diagnosticFindings(topology: Topology): Finding[] {
  return topology.diagnostics.map((d) =>
    isInvalidConfiguration(d) ? toFinding(INVALID_RULE, d, d.severity === "error" ? "high" : "medium") : toFinding(MODEL_DIAGNOSTIC, d, "low"),
  );
}
