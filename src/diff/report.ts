/**
 * The diff report every format renders: rows (rows.ts), the Internet exposure the change adds, and a summary.
 * `opened`, `closed` and `summary` are the contract of `diff --format json` (design.md); the rest extends it.
 */
import type { PlanDiff } from "./compute";
import type { ResourceChanges } from "./resources";
import type { DiffRow, DiffRows, Exposure } from "./rows";

export interface DiffSummary {
  readonly opened: number;
  readonly closed: number;
  readonly undecided: number;
  readonly exposures: number;
  /** Flows opened and closed in all, decimal (they can exceed 2^53). */
  readonly openedFlows: string;
  readonly closedFlows: string;
  readonly endpoints: number;
  readonly pairsEvaluated: number;
  readonly resources: { readonly added: number; readonly removed: number; readonly changed: number };
}

export interface DiffReport {
  readonly before: string;
  readonly after: string;
  readonly opened: readonly DiffRow[];
  readonly closed: readonly DiffRow[];
  readonly undecided: readonly DiffRow[];
  readonly exposure: readonly Exposure[];
  readonly summary: DiffSummary;
  readonly notes: readonly string[];
}

export function buildDiffReport(diff: PlanDiff, rows: DiffRows, changes: ResourceChanges, inputs: { before: string; after: string }): DiffReport {
  const total = (f: (p: PlanDiff["pairs"][number]) => { size(): bigint }): string => diff.pairs.reduce((acc, p) => acc + f(p).size(), 0n).toString();
  return {
    before: inputs.before,
    after: inputs.after,
    opened: rows.opened,
    closed: rows.closed,
    undecided: rows.undecided,
    exposure: rows.exposure,
    summary: {
      opened: rows.opened.length,
      closed: rows.closed.length,
      undecided: rows.undecided.length,
      exposures: rows.exposure.length,
      openedFlows: total((p) => p.opened),
      closedFlows: total((p) => p.closed),
      endpoints: diff.endpoints.length,
      pairsEvaluated: diff.pairsEvaluated,
      resources: { added: changes.added.length, removed: changes.removed.length, changed: changes.changed.length },
    },
    notes: diff.notes,
  };
}

export type FailOn = "opened" | "closed" | "exposure";
export const FAIL_ON: readonly FailOn[] = ["opened", "closed", "exposure"];

/** Exit 1 when the change does what `--fail-on` names, else 0. */
export function diffExitCode(report: DiffReport, failOn: readonly FailOn[]): number {
  const hit = failOn.some((f) => (f === "opened" ? report.opened.length > 0 : f === "closed" ? report.closed.length > 0 : report.exposure.length > 0));
  return hit ? 1 : 0;
}
