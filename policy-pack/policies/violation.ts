/** The violation shape every policy of the pack reports, in a file of its own so the policies import it without importing each other. */
import type { Severity } from "@pulumi/policy";

export type EnforcementLevel = "advisory" | "mandatory";

/** A violation as @pulumi/policy's reportViolation accepts it at run time (the typed signature is narrower). */
export interface Violation {
  readonly message: string;
  readonly urn?: string;
  /** Absent: the policy's level (mandatory unless configured otherwise). */
  readonly enforcementLevel?: EnforcementLevel;
  /** The diagnostic's severity field (analyzer.proto AnalyzeDiagnostic.severity, a PolicySeverity). */
  readonly severity?: Severity;
}
