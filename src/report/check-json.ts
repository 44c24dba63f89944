/**
 * `check --format json`: the report as data (design.md contract: `{"results":[...],"findings":[...],
 * "summary":{...}}`, extended with the tool, input, intent sources, diagnostics, `findingGroups` and
 * `findingTemplates`).
 */
import { groupFindings } from "./finding-groups";
import { findingTemplates } from "./finding-templates";
import type { CheckReport } from "./types";

export function checkJson(report: CheckReport): Record<string, unknown> {
  return {
    tool: report.tool,
    ...(report.input !== undefined ? { input: report.input } : {}),
    intentSources: report.intentSources,
    // Every result has the same keys: `counterexample` is null when there is none.
    results: report.results.map((r) => ({ ...r, counterexample: r.counterexample ?? null })),
    findings: report.findings,
    summary: report.summary,
    diagnostics: report.diagnostics,
    // Added by issue 19: the findings per check and NSG (or resource), with counts and the first few.
    findingGroups: groupFindings(report.findings),
    // The same findings per rule template, across NSGs stamped from one template (finding-templates.ts).
    findingTemplates: findingTemplates(report.findings),
  };
}

export function formatCheckJson(report: CheckReport): string {
  return JSON.stringify(checkJson(report), null, 2);
}
