export type DiagnosticSeverity = "error" | "warning" | "info";

/**
 * A problem found while reading or modelling the plan. Never fatal: the rest is still analysed.
 * `message` is one line naming the resource, the field and the bad value.
 */
export interface Diagnostic {
  /** Stable kebab-case code, e.g. `invalid-rule`, `unresolved-reference`, `unresolved-service-tag`. */
  readonly code: string;
  readonly severity: DiagnosticSeverity;
  /** URN of the resource concerned (or a logical name when no URN exists). */
  readonly resource: string;
  /** Property path or field name, e.g. `securityRules[allow-ssh].destinationPortRange`. */
  readonly field?: string;
  /** The offending value as written. */
  readonly value?: string;
  readonly message: string;
}
