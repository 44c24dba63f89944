/**
 * One check run: intents against a topology, into a CheckReport. Shared by the CLI and the stack policy, so both
 * answer the same thing for the same plan.
 */
import type { Diagnostic } from "../model/diagnostic";
import type { EngineEnv } from "../engine/nsg";
import type { ResourceRecord } from "../resources/record";
import { intentsFromRecords } from "../intents/component";
import { evaluateIntent } from "../intents/evaluate";
import type { ReachOptions } from "../intents/reach";
import type { IntentResult } from "../intents/result";
import type { Intent } from "../intents/types";
import type { CheckReport, CheckSummary, Finding } from "../report/types";
import { sortFindings } from "../checks";
import { routesToNoneNeededByIntents } from "../checks/route-to-none";
import { TOOL_VERSION } from "./version";

export interface CheckRun {
  readonly env: EngineEnv;
  readonly intents: readonly Intent[];
  readonly intentSources?: readonly string[];
  readonly input?: string;
  readonly diagnostics?: readonly Diagnostic[];
  readonly findings?: readonly Finding[];
  readonly options?: ReachOptions;
  /** Called after each intent (progress on a terminal for long runs). */
  readonly onIntent?: (name: string) => void;
  /** The intents' results, when worker threads computed them (parallel.ts), in the order of `intents`. */
  readonly results?: readonly IntentResult[];
}

export function summarize(results: readonly IntentResult[], findings: readonly Finding[]): CheckSummary {
  const count = (pred: (r: IntentResult) => boolean): number => results.filter(pred).length;
  const mandatoryFailures = count((r) => r.verdict === "fail" && r.enforcement === "mandatory");
  const mandatoryIndeterminate = count((r) => r.verdict === "indeterminate" && r.enforcement === "mandatory");
  return {
    intents: results.length,
    pass: count((r) => r.verdict === "pass"),
    fail: count((r) => r.verdict === "fail"),
    indeterminate: count((r) => r.verdict === "indeterminate"),
    mandatoryFailures,
    advisoryFailures: count((r) => r.verdict === "fail" && r.enforcement === "advisory"),
    mandatoryIndeterminate,
    findings: findings.length,
    verdict: mandatoryFailures > 0 ? "fail" : mandatoryIndeterminate > 0 ? "indeterminate" : "pass",
  };
}

export function runCheck(run: CheckRun): CheckReport {
  const results = run.results ?? run.intents.map((intent) => {
    const result = evaluateIntent(run.env, intent, run.options ?? {});
    run.onIntent?.(intent.name);
    return result;
  });
  const findings = sortFindings([...(run.findings ?? []), ...routesToNoneNeededByIntents(results)]);
  return {
    tool: { name: "azure-reachability", version: TOOL_VERSION },
    ...(run.input !== undefined ? { input: run.input } : {}),
    intentSources: run.intentSources ?? [],
    results,
    findings,
    diagnostics: run.diagnostics ?? [],
    summary: summarize(results, findings),
  };
}

/** 1 when a mandatory intent fails (or, with failOnIndeterminate, is undecided); else 0. */
export function checkExitCode(report: CheckReport, failOnIndeterminate: boolean): 0 | 1 {
  const s = report.summary;
  return s.mandatoryFailures > 0 || (failOnIndeterminate && s.mandatoryIndeterminate > 0) ? 1 : 0;
}

export interface CollectedIntents {
  readonly intents: Intent[];
  readonly sources: string[];
  readonly errors: string[];
}

/** Configured intents (file or policy config) plus the ReachabilityIntent components found in the records. */
export function collectIntents(configured: readonly Intent[], configuredSource: string | undefined, records: readonly ResourceRecord[]): CollectedIntents {
  const fromComponents = intentsFromRecords(records);
  const sources = [
    ...(configuredSource !== undefined && configured.length > 0 ? [configuredSource] : []),
    ...[...new Set(fromComponents.intents.map((i) => i.origin.componentUrn ?? i.origin.source))],
  ];
  return { intents: [...configured, ...fromComponents.intents], sources, errors: fromComponents.errors };
}
