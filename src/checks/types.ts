import type { RoutingOptions } from "../engine/effective-routes";
import type { EngineEnv } from "../engine/nsg";
import type { Flow } from "../sets/flow";

export type FindingSeverity = "low" | "medium" | "high" | "critical";

/**
 * One hygiene, exposure or configuration finding (`check --format json` → `findings[]`). `check` is the check's
 * kebab-case name, `id` its stable id (AR-xxx). Resources are URNs.
 */
export interface Finding {
  readonly check: string;
  readonly id: string;
  readonly severity: FindingSeverity;
  readonly resources: readonly string[];
  readonly message: string;
  /** Rules involved, as `<nsg name>/securityRules/<rule>` or `<nsg name>/defaultSecurityRules/<rule>`. */
  readonly rules?: readonly string[];
  /** A concrete example flow when one illustrates the finding. */
  readonly example?: Flow;
  /** Extra figures (e.g. exposed ports x sources) for reports. */
  readonly details?: Readonly<Record<string, string | number | boolean | readonly string[]>>;
  /** Set when a suppression in the configuration matches; suppressed findings stay visible. */
  readonly suppressed?: { readonly reason: string };
}

/** A check: one per file in src/checks/, named after its export, listed in the catalogue. */
export interface Check {
  readonly id: string;
  readonly name: string;
  readonly title: string;
  readonly severity: FindingSeverity;
  /** Why it matters (shown in reports and SARIF rule help). */
  readonly explanation: string;
  /** How to fix it. */
  readonly fix: string;
  run(ctx: CheckContext): Finding[];
}

export interface CheckContext {
  readonly env: EngineEnv;
  /** Options for the effective routes the routing checks read (reserved prefixes, gateway prefixes). */
  readonly routing?: RoutingOptions;
}

/** How a check's findings are enforced by the policy pack. */
export type CheckEnforcement = "advisory" | "mandatory" | "disabled";

/** Options of `runChecks`. */
export interface CheckOptions {
  /** Suppressions from the configuration; invalid ones are reported (check `invalid-suppression`) and not applied. */
  readonly suppressions?: readonly Suppression[];
  /** Names (or ids) of the checks to run; all catalogue checks when absent. Unknown names are ignored. */
  readonly enabled?: readonly string[];
  readonly routing?: RoutingOptions;
}

export interface Suppression {
  readonly check: string;
  /** URN, logical name or Azure name of the resource. */
  readonly resource: string;
  readonly reason: string;
  /** Shape problems found when the configuration was read (an extra key, a field that is not a string): not applied. */
  readonly problems?: readonly string[];
}
