/**
 * `check --format text`: a verdict per intent, and for a failure the counterexample flow with its evidence, the
 * decisive lines marked with `!`.
 */
import { groupsWithFirst, type FindingGroup } from "./finding-groups";
import { templatesWithFirst, type FindingTemplate } from "./finding-templates";
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

/** A template of one is its finding's line; a larger one a line with the count, where, and its first findings. */
function templateLines(t: FindingTemplate, first: Finding): string[] {
  if (t.count === 1) return [findingLine(first)];
  const suppressed = t.suppressed ? ` (suppressed: ${t.suppressed.reason})` : "";
  const others = t.subjects - t.nsgs;
  const where =
    t.template === "(no rule)"
      ? `on ${plural(t.subjects, "resource")}`
      : `of ${t.template} in ${plural(t.nsgs, "NSG")}${others > 0 ? ` and ${plural(others, "other resource")}` : ""}`;
  const head = `  [${t.severity}] ${t.check} (${t.id}): ${t.count.toLocaleString("en-US")} findings ${where}${suppressed} (--all-findings lists each); the first ${t.examples.length}:`;
  const more = t.count - t.examples.length;
  return [head, ...t.examples.map((m) => `      - ${m}`), ...(more > 0 ? [`      - and ${more.toLocaleString("en-US")} more`] : [])];
}

function plural(n: number, what: string): string {
  return `${n.toLocaleString("en-US")} ${what}${n === 1 ? "" : "s"}`;
}

/** More NSG groups than this in one check, severity and suppression, and the templates may show them instead. */
export const GROUPS_BEFORE_TEMPLATES = 10;

/** Findings of one check, severity and suppression are shown in the same aggregation. */
const classOf = (f: Finding): string => `${f.id}\0${f.severity}\0${f.suppressed ? f.suppressed.reason : ""}`;

/**
 * Per check, severity and suppression, the findings are shown by NSG (finding-groups.ts), or by rule template
 * (finding-templates.ts) when that takes fewer entries and the NSG groups would be more than a screenful
 * (GROUPS_BEFORE_TEMPLATES): a plan stamped from templates reads per template, a plan of distinct NSGs per NSG, and
 * a small plan as before. Entries stand where their first finding stands.
 */
function findingsLines(report: CheckReport): string[] {
  if (report.allFindings) return report.findings.map(findingLine);
  const groups = groupsWithFirst(report.findings);
  const templates = templatesWithFirst(report.findings);
  const count = (firsts: readonly Finding[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const f of firsts) m.set(classOf(f), (m.get(classOf(f)) ?? 0) + 1);
    return m;
  };
  const perGroup = count(groups.map((g) => g.first));
  const perTemplate = count(templates.map((t) => t.first));
  const byTemplate = (f: Finding): boolean => {
    const g = perGroup.get(classOf(f)) ?? 0;
    return g > GROUPS_BEFORE_TEMPLATES && (perTemplate.get(classOf(f)) ?? 0) < g;
  };
  const order = new Map<Finding, number>(report.findings.map((f, i) => [f, i]));
  const entries = [
    ...groups.filter((g) => !byTemplate(g.first)).map((g) => ({ first: g.first, lines: () => groupLines(g.group, g.first) })),
    ...templates.filter((t) => byTemplate(t.first)).map((t) => ({ first: t.first, lines: () => templateLines(t.template, t.first) })),
  ];
  entries.sort((a, b) => (order.get(a.first) as number) - (order.get(b.first) as number));
  return entries.flatMap((e) => e.lines());
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
