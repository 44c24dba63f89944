/**
 * `diff` as text: a summary line, the opened, closed and undecided rows (from, to, protocol, ports, an example
 * flow and the cause in each plan), and the Internet exposure the change adds.
 */
import type { DiffReport } from "../diff/report";
import type { CauseItem, DiffRow } from "../diff/rows";
import { shortenUrns } from "./blame";

export function diffSummaryLine(r: DiffReport): string {
  const s = r.summary;
  const parts = [`${s.opened} opened`, `${s.closed} closed`];
  if (s.undecided > 0) parts.push(`${s.undecided} undecided at preview`);
  parts.push(`${s.exposures} new Internet exposure${s.exposures === 1 ? "" : "s"}`);
  return `diff ${r.before} -> ${r.after}: ${parts.join(", ")} (${s.endpoints} endpoints, ${s.pairsEvaluated} pairs compared)`;
}

export function causeText(c: CauseItem): string {
  const change = c.change ? ` [${c.change}]` : "";
  return `${c.plan}: ${shortenUrns(c.text)}${change}`;
}

function rowLines(row: DiffRow): string[] {
  const lines = [`  ${row.from} -> ${row.to}  ${row.protocol} ${row.ports}`];
  lines.push(`      example: ${row.example.text} (before: ${row.example.before}; after: ${row.example.after})`);
  for (const c of row.cause) lines.push(`      ${causeText(c)}`);
  return lines;
}

function section(title: string, rows: readonly DiffRow[]): string[] {
  if (rows.length === 0) return [];
  return ["", `${title} (${rows.length}):`, ...rows.flatMap(rowLines)];
}

export function formatDiffText(r: DiffReport): string {
  const out = [diffSummaryLine(r)];
  out.push(...section("Opened: delivered after, not before", r.opened));
  out.push(...section("Closed: delivered before, not after", r.closed));
  out.push(...section("Undecided: the fate changes to or from a value unknown at preview", r.undecided));
  if (r.exposure.length > 0) {
    out.push("", `Newly exposed to the Internet (${r.exposure.length}):`);
    for (const e of r.exposure) out.push(`  ${e.nic}  ${e.protocol} ${e.ports}  e.g. ${e.example}`);
  }
  if (r.opened.length === 0 && r.closed.length === 0 && r.undecided.length === 0) out.push("", "No flow between the plan's endpoints changes fate.");
  for (const n of r.notes) out.push(`note: ${n}`);
  return out.join("\n");
}
