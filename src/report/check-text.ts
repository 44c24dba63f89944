/**
 * `check --format text`: a verdict per intent, and for a failure the counterexample flow with its evidence, the
 * decisive lines marked with `!`.
 */
import { groupsWithFirst, type FindingGroup } from "./finding-groups";
import type { CheckReport, Evidence, Finding, IntentResult } from "./types";

const LABEL: Readonly<Record<IntentResult["verdict"], string>> = { pass: "PASS", fail: "FAIL", indeterminate: "UNDECIDED" };

function evidenceLine(e: Evidence): string {
  return `${e.decisive ? "!" : "-"} ${e.text}`;
}

function resultLines(r: IntentResult): string[] {
  const head = `${LABEL[r.verdict].padEnd(9)} ${r.name}  (${r.enforcement}, expect ${r.expect})`;
  const lines = [head, `          ${r.message}`];
  const cx = r.counterexample;
  if (cx) {
    const ends = [cx.source ? `from ${cx.source.name}` : "from outside the VNets", cx.destination ? `to ${cx.destination.name}` : "to outside the VNets"].join(" ");
    lines.push(`          counterexample: ${cx.text} (${ends}): ${cx.outcome}`);
    for (const e of cx.evidence) lines.push(`            ${evidenceLine(e)}`);
  }
  for (const u of r.unknowns ?? []) lines.push(`          unknown: ${u}`);
  if (r.error && !r.message.includes(r.error)) lines.push(`          error: ${r.error}`);
  for (const n of r.notes) lines.push(`          note: ${n}`);
  if (r.declaredIn) lines.push(`          declared in ${r.declaredIn}`);
  return lines;
}

function findingLine(f: Finding): string {
  return `  [${f.severity}] ${f.check} (${f.id}): ${f.message}`;
}

/** A group of one is its finding's line; a larger group is one line with the count, then its first findings. */
function groupLines(g: FindingGroup, first: Finding): string[] {
  if (g.count === 1) return [findingLine(first)];
  const suppressed = g.suppressed ? ` (suppressed: ${g.suppressed.reason})` : "";
  const head = `  [${g.severity}] ${g.check} (${g.id}): ${g.count} findings on ${g.subject}${suppressed} (--all-findings lists each); the first ${g.examples.length}:`;
  return [head, ...g.examples.map((m) => `      - ${m}`), ...(g.count > g.examples.length ? [`      - and ${g.count - g.examples.length} more`] : [])];
}

function findingsLines(report: CheckReport): string[] {
  if (report.allFindings) return report.findings.map(findingLine);
  return groupsWithFirst(report.findings).flatMap(({ group, first }) => groupLines(group, first));
}

export function summaryLine(report: CheckReport): string {
  const s = report.summary;
  const parts = [`${s.pass} pass`, `${s.fail} fail${s.fail > 0 ? ` (${s.mandatoryFailures} mandatory)` : ""}`, `${s.indeterminate} undecided`];
  const findings = s.findings > 0 ? `; ${s.findings} finding${s.findings === 1 ? "" : "s"}` : "";
  return `${s.intents} intent${s.intents === 1 ? "" : "s"}: ${parts.join(", ")}${findings}`;
}

export function formatCheckText(report: CheckReport): string {
  const lines = [`azure-reachability check${report.input ? ` ${report.input}` : ""}`];
  if (report.results.length === 0) lines.push("", "no intents to check");
  for (const r of report.results) lines.push("", ...resultLines(r));
  if (report.findings.length > 0) lines.push("", "Findings:", ...findingsLines(report));
  lines.push("", summaryLine(report));
  return lines.join("\n");
}
