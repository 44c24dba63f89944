/**
 * `check --format markdown`: a pull request comment. A headline verdict; a table of intents (failing first, then
 * undecided, then passing; each group in report order) with the verdict as a word (no emoji), enforcement, ends,
 * traffic, counterexample and blame; a table of findings (suppressed ones marked); a Mermaid picture of the plan
 * with every intent's arrow, passing ones too (when the report carries the plan's sketch: topology-mermaid.ts); and
 * a Mermaid `flowchart LR` of each failing or undecided intent's path, its blocking edge labelled with the rule or
 * route.
 *
 * The first line is an HTML comment (`COMMENT_MARKER`) a CI job can search for to update its previous comment
 * instead of adding one. Sizes are capped so the comment stays well under GitHub's 65,536-character limit.
 * Every piece of text from the plan is escaped for Markdown (`markdownText`, `markdownCode`); diagram labels are
 * escaped for Mermaid (`mermaidText`).
 */
import { blameLines, intentEnds, intentTraffic, joinCapped, shortenUrns, urnName } from "./blame";
import { summaryLine } from "./check-text";
import { intentFlowchart } from "./mermaid";
import { topologyFlowchart } from "./topology-mermaid";
import type { CheckReport, Finding, IntentResult, Verdict } from "./types";

/** The first line of every comment: lets a workflow find and edit its previous comment. */
export const COMMENT_MARKER = "<!-- azure-reachability:check -->";

/** Caps that keep a comment readable and under GitHub's size limit. */
const MARKDOWN_LIMITS = { intents: 100, findings: 50, diagrams: 10, diagnostics: 20, cell: 300 } as const;

const VERDICT_WORD: Readonly<Record<Verdict, string>> = { pass: "PASS", fail: "FAIL", indeterminate: "UNDECIDED" };
const VERDICT_ORDER: Readonly<Record<Verdict, number>> = { fail: 0, indeterminate: 1, pass: 2 };
const SEVERITY_ORDER: Readonly<Record<Finding["severity"], number>> = { critical: 0, high: 1, medium: 2, low: 3 };

function clip(text: string, max: number = MARKDOWN_LIMITS.cell): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Plain text for Markdown, safe in a table cell: HTML-significant characters as entities, Markdown punctuation
 * backslash-escaped, `|` escaped for tables, line breaks as `<br>`.
 */
export function markdownText(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_[\]~|#!{}]/g, (c) => `\\${c}`)
    .replace(/\r\n|\r|\n/g, "<br>");
}

/** A code span that survives any content: a fence longer than any backtick run, `|` escaped for tables. */
export function markdownCode(text: string): string {
  const flat = text.replace(/\r\n|\r|\n/g, " ");
  if (flat === "") return "";
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longest + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || (flat.startsWith(" ") && flat.endsWith(" ")) ? " " : "";
  return `${fence}${pad}${flat.replace(/\|/g, "\\|")}${pad}${fence}`;
}

function verdictMarker(v: Verdict): string {
  return v === "pass" ? VERDICT_WORD[v] : `**${VERDICT_WORD[v]}**`;
}

function counterexampleCell(r: IntentResult): string {
  const cx = r.counterexample;
  if (!cx) return r.verdict === "indeterminate" ? "undecided at preview" : "";
  const ends = `${cx.source ? cx.source.name : "outside"} → ${cx.destination ? cx.destination.name : "outside"}`;
  return `${markdownCode(cx.text)} ${markdownText(`(${ends}): ${cx.outcome}`)}`;
}

function blameCell(r: IntentResult): string {
  const lines = blameLines(r);
  return lines.length === 0 ? "" : markdownText(clip(shortenUrns(joinCapped(lines, 3))));
}

function intentRow(r: IntentResult): string {
  const ends = intentEnds(r);
  return tableRow([
    verdictMarker(r.verdict),
    markdownCode(r.name),
    markdownText(r.enforcement),
    markdownText(r.expect),
    ends ? markdownText(clip(`${ends.from} → ${ends.to}`)) : "",
    markdownText(intentTraffic(r)),
    counterexampleCell(r),
    blameCell(r),
  ]);
}

function tableRow(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function table(header: readonly string[], rows: readonly string[]): string[] {
  return [tableRow(header), tableRow(header.map(() => "---")), ...rows];
}

/** Results failing first, then undecided, then passing; report order within each group. */
function orderedResults(results: readonly IntentResult[]): IntentResult[] {
  return results.map((r, i) => ({ r, i })).sort((a, b) => VERDICT_ORDER[a.r.verdict] - VERDICT_ORDER[b.r.verdict] || a.i - b.i).map((x) => x.r);
}

/** Unsuppressed findings first, by severity (critical first), then suppressed ones; report order within. */
function orderedFindings(findings: readonly Finding[]): Finding[] {
  const rank = (f: Finding): number => (f.suppressed ? 10 : 0) + SEVERITY_ORDER[f.severity];
  return findings.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i).map((x) => x.f);
}

function more(n: number, what: string): string {
  return `_${n} more ${what} not shown: see the JSON or SARIF report._`;
}

function intentsSection(report: CheckReport): string[] {
  if (report.results.length === 0) return ["### Intents", "", "No intents to check."];
  const ordered = orderedResults(report.results);
  const shown = ordered.slice(0, MARKDOWN_LIMITS.intents);
  const header = ["Verdict", "Intent", "Enforcement", "Expect", "From → To", "Traffic", "Counterexample", "Blame"];
  const out = ["### Intents", "", ...table(header, shown.map(intentRow))];
  if (ordered.length > shown.length) out.push("", more(ordered.length - shown.length, "intents"));
  return out;
}

function findingRow(f: Finding): string {
  const first = f.resources[0];
  const resource = first === undefined ? "" : `${markdownCode(urnName(first))}${f.resources.length > 1 ? markdownText(` (+${f.resources.length - 1})`) : ""}`;
  const severity = f.suppressed ? `${markdownText(f.severity)}, suppressed` : `**${markdownText(f.severity)}**`;
  const message = f.suppressed ? `${markdownText(clip(f.message))}<br>_Suppressed: ${markdownText(clip(f.suppressed.reason, 200))}_` : markdownText(clip(f.message));
  return tableRow([severity, markdownText(f.id), markdownText(f.check), resource, message]);
}

function findingsSection(report: CheckReport): string[] {
  const all = orderedFindings(report.findings);
  if (all.length === 0) return [];
  const suppressed = all.filter((f) => f.suppressed).length;
  const shown = all.slice(0, MARKDOWN_LIMITS.findings);
  const title = `Findings (${all.length}${suppressed > 0 ? `, ${suppressed} suppressed` : ""})`;
  const body = table(["Severity", "ID", "Check", "Resource", "Message"], shown.map(findingRow));
  if (all.length > shown.length) body.push("", more(all.length - shown.length, "findings"));
  // Findings never change the verdict: collapsed unless one is high or critical and not suppressed.
  const open = all.some((f) => !f.suppressed && (f.severity === "high" || f.severity === "critical"));
  return [`<details${open ? " open" : ""}>`, `<summary>${markdownText(title)}</summary>`, "", ...body, "", "</details>"];
}

function pathSection(report: CheckReport): string[] {
  const interesting = orderedResults(report.results).filter((r) => r.verdict !== "pass");
  if (interesting.length === 0) return [];
  const shown = interesting.slice(0, MARKDOWN_LIMITS.diagrams);
  const out = ["### Paths"];
  for (const r of shown) {
    out.push("", `#### ${markdownCode(r.name)}: ${VERDICT_WORD[r.verdict]}`, "", markdownText(clip(shortenUrns(r.message), 600)));
    // An intent that could not be evaluated (no ends, no counterexample) has no path to draw.
    if (r.counterexample || intentEnds(r)) out.push("", "```mermaid", intentFlowchart(r), "```");
  }
  if (interesting.length > shown.length) out.push("", more(interesting.length - shown.length, "paths"));
  return out;
}

/** The plan and every intent's arrow, whatever the verdicts (topology-mermaid.ts); absent without a sketch. */
function topologySection(report: CheckReport): string[] {
  if (!report.sketch || report.sketch.vnets.length === 0) return [];
  const { source, note } = topologyFlowchart(report.sketch, report.results);
  const out = ["### Topology", ""];
  if (note) out.push(markdownText(`Summarised: ${note}.`), "");
  return [...out, "```mermaid", source, "```"];
}

function diagnosticsSection(report: CheckReport): string[] {
  const d = report.diagnostics;
  if (d.length === 0) return [];
  const shown = d.slice(0, MARKDOWN_LIMITS.diagnostics);
  const lines = shown.map((x) => `- ${markdownText(x.severity)}: ${markdownText(clip(x.message))}`);
  if (d.length > shown.length) lines.push(`- ${more(d.length - shown.length, "diagnostics")}`);
  return ["<details>", `<summary>Diagnostics (${d.length})</summary>`, "", ...lines, "", "</details>"];
}

function headline(report: CheckReport): string[] {
  const s = report.summary;
  const sources = report.intentSources.length > 0 ? ` Intents from ${report.intentSources.map((x) => markdownCode(x)).join(", ")}.` : "";
  const input = report.input !== undefined ? ` Input ${markdownCode(report.input)}.` : "";
  return [`## Azure reachability: ${VERDICT_WORD[s.verdict]}`, "", `${markdownText(summaryLine(report))}.${input}${sources}`];
}

/** The whole comment. */
export function formatCheckMarkdown(report: CheckReport): string {
  const sections = [
    [COMMENT_MARKER, ...headline(report)],
    intentsSection(report),
    findingsSection(report),
    topologySection(report),
    pathSection(report),
    diagnosticsSection(report),
    [`<sub>${markdownText(`${report.tool.name} ${report.tool.version}`)}</sub>`],
  ].filter((s) => s.length > 0);
  return `${sections.map((s) => s.join("\n")).join("\n\n")}\n`;
}
