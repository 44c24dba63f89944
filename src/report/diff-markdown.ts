/**
 * `diff --format markdown`: a pull request comment in the house style of markdown.ts (a marker line a CI job can
 * find to update its comment, a headline, tables with escaped cells, sizes capped) with a Mermaid `flowchart LR`
 * of the changed paths: one edge per row between its ends, opened edges thick, closed edges crossed and red,
 * undecided edges dotted and orange (mermaid.ts's edge kinds and styles).
 */
import type { DiffReport } from "../diff/report";
import type { DiffRow } from "../diff/rows";
import { causeText, diffSummaryLine } from "./diff-text";
import { markdownCode, markdownText } from "./markdown";
import { renderFlowchart, type Diagram, type DiagramEdge, type DiagramNode } from "./mermaid";

const DIFF_COMMENT_MARKER = "<!-- azure-reachability:diff -->";

const DIFF_MARKDOWN_LIMITS = { rows: 60, edges: 40, cell: 300 } as const;

function clip(text: string, max: number = DIFF_MARKDOWN_LIMITS.cell): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function table(rows: readonly DiffRow[]): string[] {
  const shown = rows.slice(0, DIFF_MARKDOWN_LIMITS.rows);
  const out = ["| From | To | Protocol | Ports | Example | Cause |", "| --- | --- | --- | --- | --- | --- |"];
  for (const r of shown) {
    const cause = r.cause.map((c) => markdownText(clip(causeText(c)))).join("<br>");
    out.push(`| ${markdownText(clip(r.from))} | ${markdownText(clip(r.to))} | ${markdownText(r.protocol)} | ${markdownCode(r.ports)} | ${markdownCode(r.example.text)} | ${cause} |`);
  }
  if (rows.length > shown.length) out.push("", `_and ${rows.length - shown.length} more rows (see \`--format json\`)_`);
  return out;
}

/** The changed paths: endpoints as nodes, one edge per row (labels: protocol and ports). */
function diffDiagram(r: DiffReport): Diagram {
  const ids = new Map<string, string>();
  const nodes: DiagramNode[] = [];
  const node = (name: string): string => {
    let id = ids.get(name);
    if (!id) {
      id = `n${ids.size}`;
      ids.set(name, id);
      nodes.push({ id, lines: [name], kind: "end" });
    }
    return id;
  };
  const edges: DiagramEdge[] = [];
  const add = (rows: readonly DiffRow[], kind: DiagramEdge["kind"], verb: string): void => {
    for (const row of rows) {
      if (edges.length >= DIFF_MARKDOWN_LIMITS.edges) return;
      edges.push({ from: node(row.from), to: node(row.to), label: `${verb} ${row.protocol} ${row.ports}`, kind });
    }
  };
  add(r.opened, "decisive", "opened");
  add(r.closed, "blocked", "closed");
  add(r.undecided, "unknown", "undecided");
  return { nodes, edges };
}

export function formatDiffMarkdown(r: DiffReport): string {
  const out = [DIFF_COMMENT_MARKER, `### Reachability diff: ${markdownText(diffSummaryLine(r))}`];
  if (r.opened.length === 0 && r.closed.length === 0 && r.undecided.length === 0) {
    out.push("", "No flow between the plan's endpoints changes fate.");
  } else {
    const d = diffDiagram(r);
    out.push("", "```mermaid", renderFlowchart(d), "```");
    if (edges(r) > d.edges.length) out.push("", `_the picture shows the first ${d.edges.length} of ${edges(r)} changed paths_`);
  }
  if (r.opened.length > 0) out.push("", `#### Opened (${r.opened.length})`, "", ...table(r.opened));
  if (r.closed.length > 0) out.push("", `#### Closed (${r.closed.length})`, "", ...table(r.closed));
  if (r.undecided.length > 0) out.push("", `#### Undecided at preview (${r.undecided.length})`, "", ...table(r.undecided));
  if (r.exposure.length > 0) {
    out.push("", `#### Newly exposed to the Internet (${r.exposure.length})`, "", "| NIC | Protocol | Ports | Example |", "| --- | --- | --- | --- |");
    for (const e of r.exposure.slice(0, DIFF_MARKDOWN_LIMITS.rows)) out.push(`| ${markdownText(e.nic)} | ${markdownText(e.protocol)} | ${markdownCode(e.ports)} | ${markdownCode(e.example)} |`);
  }
  if (r.notes.length > 0) out.push("", ...r.notes.map((n) => `- ${markdownText(n)}`));
  return out.join("\n");
}

function edges(r: DiffReport): number {
  return r.opened.length + r.closed.length + r.undecided.length;
}
