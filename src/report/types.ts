/**
 * The report of `check` (and of the stack policy): one object, every reporter formats it. A reporter is one file
 * exporting a `CheckReporter`; src/check-run/reporters.ts lists them by format name.
 */
import type { Diagnostic } from "../model/diagnostic";
import type { Finding } from "../checks/types";
import type { IntentResult, Verdict } from "../intents/result";

export type { Counterexample, Evidence, FlowTuple, IntentResult, ResourceRef, Verdict } from "../intents/result";

/** A hygiene, exposure or configuration finding (src/checks/): `check` is the check's kebab-case name. */
export type { Finding } from "../checks/types";

export interface CheckSummary {
  readonly intents: number;
  readonly pass: number;
  readonly fail: number;
  readonly indeterminate: number;
  readonly mandatoryFailures: number;
  readonly advisoryFailures: number;
  readonly mandatoryIndeterminate: number;
  readonly findings: number;
  /** fail when a mandatory intent fails; indeterminate when none fails but a mandatory one is undecided. */
  readonly verdict: Verdict;
}

export interface CheckReport {
  readonly tool: { readonly name: "azure-reachability"; readonly version: string };
  /** The input checked (file or program directory), when there is one. */
  readonly input?: string;
  /** Where the intents came from: files, "policy config", ReachabilityIntent URNs. */
  readonly intentSources: readonly string[];
  readonly results: readonly IntentResult[];
  readonly findings: readonly Finding[];
  /** Reader, model and service tag problems, for context (not verdicts). */
  readonly diagnostics: readonly Diagnostic[];
  readonly summary: CheckSummary;
  /** The plan's shape, for the markdown report's picture (topology-mermaid.ts); only the markdown reporter reads it. */
  readonly sketch?: TopologySketch;
  /**
   * Text reports: one line per finding (`check --all-findings`) instead of one per group of findings
   * (finding-groups.ts). The JSON report always holds both.
   */
  readonly allFindings?: boolean;
}

/** Formats a report; returns the whole output text. */
export type CheckReporter = (report: CheckReport) => string;

/** What the picture shows of the plan: built once from the topology, independent of the report. */
export interface TopologySketch {
  readonly vnets: readonly SketchVnet[];
  /** Peered VNet pairs (by VNet id), each once; `both` when both directions are connected. */
  readonly peerings: ReadonlyArray<{ readonly a: string; readonly b: string; readonly both: boolean }>;
  /** Where an intent's side is, from its selector (nic, vm, subnet, vnet, serviceTag, cidr, ip...). */
  place(selector: Readonly<Record<string, unknown>> | undefined): readonly Place[];
}

export interface SketchVnet {
  readonly id: string;
  readonly lines: readonly string[];
  readonly subnets: ReadonlyArray<{ readonly id: string; readonly lines: readonly string[] }>;
  readonly nics: number;
}

/** A node an intent's side maps to: a subnet (inside a VNet), a VNet, or the outside. */
export type Place = { readonly kind: "subnet"; readonly id: string; readonly vnet: string } | { readonly kind: "vnet"; readonly id: string } | { readonly kind: "outside"; readonly label: string };
