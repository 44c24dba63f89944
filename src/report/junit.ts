/**
 * `check --format junit`: JUnit XML for CI test views.
 *
 * - Test suite `reachability-intents`: one test case per intent (name = intent name, `file` = where it is declared).
 *   A failing intent has a `<failure>` whose `type` is its enforcement (`mandatory` or `advisory`) and whose text
 *   holds the counterexample, the evidence (decisive lines marked `!`) and the blame; an intent that cannot be
 *   checked as written (a selector that names nothing, an internal error) has an `<error>`; an undecided intent is
 *   `<skipped>`, its message naming the unknown values.
 * - Test suite `reachability-findings` (omit with `{ findings: false }`): one test case per finding, a `<failure>`
 *   typed by severity, or `<skipped>` when suppressed. Most findings do not change `check`'s exit code (only
 *   those of checks configured mandatory do), so a CI gate should rely on the exit code, not on this count.
 *
 * Text is escaped for XML (`&`, `<`, `>`, quotes) and characters XML 1.0 forbids are replaced, so any name or
 * message from the plan yields a well-formed document. No timestamps or durations: the output is deterministic.
 */
import { blameLines, intentScope, urnName } from "./blame";
import type { CheckReport, Finding, IntentResult } from "./types";

export interface JunitOptions {
  /** Include the `reachability-findings` suite (default true). */
  readonly findings?: boolean;
}

/** Escapes text for XML content and attribute values; replaces characters XML 1.0 does not allow. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** Attribute values also keep their line breaks (a parser would otherwise normalise them to spaces). */
function attr(text: string): string {
  return xmlEscape(text).replace(/\t/g, "&#9;").replace(/\n/g, "&#10;").replace(/\r/g, "&#13;");
}

function element(name: string, attrs: Readonly<Record<string, string | number | undefined>>, body?: string): string {
  const a = Object.entries(attrs)
    .filter((e): e is [string, string | number] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${attr(String(v))}"`)
    .join("");
  return body === undefined ? `<${name}${a}/>` : `<${name}${a}>${body}</${name}>`;
}

function intentDetail(r: IntentResult): string {
  const lines = [`${r.message}`, `intent: ${intentScope(r)}expect ${r.expect} (${r.enforcement})`];
  const cx = r.counterexample;
  if (cx) {
    const from = cx.source ? `from ${cx.source.name}` : "from outside the VNets";
    const to = cx.destination ? `to ${cx.destination.name}` : "to outside the VNets";
    lines.push(`counterexample: ${cx.text} (${from} ${to}): ${cx.outcome}`);
    for (const e of cx.evidence) lines.push(`  ${e.decisive ? "!" : "-"} ${e.text}`);
  }
  const blame = blameLines(r);
  if (blame.length > 0 && r.verdict === "fail") lines.push(...blame.map((b) => `blame: ${b}`));
  for (const u of r.unknowns ?? []) lines.push(`unknown: ${u}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  lines.push(`declared in ${r.declaredIn}`);
  return lines.join("\n");
}

function intentCase(r: IntentResult): { xml: string; failure: boolean; error: boolean; skipped: boolean } {
  const attrs = { name: r.name, classname: "reachability-intents", file: r.declaredIn.startsWith("urn:") ? undefined : r.declaredIn, time: 0 };
  const detail = xmlEscape(intentDetail(r));
  if (r.verdict === "fail" && r.error) {
    return { xml: element("testcase", attrs, element("error", { message: r.message, type: "intent-error" }, detail)), failure: false, error: true, skipped: false };
  }
  if (r.verdict === "fail") {
    const message = r.counterexample ? `${r.counterexample.text}: ${r.counterexample.outcome}; ${blameLines(r)[0] ?? r.message}` : r.message;
    return { xml: element("testcase", attrs, element("failure", { message, type: r.enforcement }, detail)), failure: true, error: false, skipped: false };
  }
  if (r.verdict === "indeterminate") {
    const message = `undecided at preview: ${(r.unknowns ?? []).join("; ") || r.message}`;
    return { xml: element("testcase", attrs, element("skipped", { message }) + element("system-out", {}, detail)), failure: false, error: false, skipped: true };
  }
  return { xml: element("testcase", attrs, element("system-out", {}, detail)), failure: false, error: false, skipped: false };
}

function findingCaseName(f: Finding): string {
  const first = f.resources[0];
  return `${f.id} ${f.check}${first ? `: ${urnName(first)}` : ""}`;
}

function findingDetail(f: Finding): string {
  const lines = [f.message, ...f.resources.map((r) => `resource: ${r}`), ...(f.rules ?? []).map((r) => `rule: ${r}`)];
  if (f.suppressed) lines.push(`suppressed: ${f.suppressed.reason}`);
  return lines.join("\n");
}

function suite(name: string, cases: ReadonlyArray<{ xml: string; failure: boolean; error: boolean; skipped: boolean }>, properties: ReadonlyArray<readonly [string, string]>): { xml: string; tests: number; failures: number; errors: number; skipped: number } {
  const failures = cases.filter((c) => c.failure).length;
  const errors = cases.filter((c) => c.error).length;
  const skipped = cases.filter((c) => c.skipped).length;
  const props = properties.length > 0 ? `\n    ${element("properties", {}, properties.map(([k, v]) => element("property", { name: k, value: v })).join(""))}` : "";
  const body = `${props}${cases.map((c) => `\n    ${c.xml}`).join("")}\n  `;
  return { xml: `  ${element("testsuite", { name, tests: cases.length, failures, errors, skipped, time: 0 }, body)}`, tests: cases.length, failures, errors, skipped };
}

/** The JUnit XML document of a report. */
export function junitXml(report: CheckReport, options: JunitOptions = {}): string {
  const properties: Array<readonly [string, string]> = [["tool", `${report.tool.name} ${report.tool.version}`]];
  if (report.input !== undefined) properties.push(["input", report.input]);
  for (const s of report.intentSources) properties.push(["intents", s]);
  properties.push(["verdict", report.summary.verdict]);
  const suites = [suite("reachability-intents", report.results.map(intentCase), properties)];
  if (options.findings !== false) {
    const seen = new Map<string, number>();
    const cases = report.findings.map((f) => {
      const base = findingCaseName(f);
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      const attrs = { name: n === 1 ? base : `${base} (${n})`, classname: `reachability-findings.${f.check}`, time: 0 };
      const detail = xmlEscape(findingDetail(f));
      return f.suppressed
        ? { xml: element("testcase", attrs, element("skipped", { message: `suppressed: ${f.suppressed.reason}` }) + element("system-out", {}, detail)), failure: false, error: false, skipped: true }
        : { xml: element("testcase", attrs, element("failure", { message: f.message, type: f.severity }, detail)), failure: true, error: false, skipped: false };
    });
    suites.push(suite("reachability-findings", cases, []));
  }
  const total = (k: "tests" | "failures" | "errors" | "skipped"): number => suites.reduce((n, s) => n + s[k], 0);
  const head = element("testsuites", { name: report.tool.name, tests: total("tests"), failures: total("failures"), errors: total("errors"), skipped: total("skipped"), time: 0 }, `\n${suites.map((s) => s.xml).join("\n")}\n`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${head}\n`;
}

/** `check --format junit`: intents and findings. */
export function formatCheckJunit(report: CheckReport): string {
  return junitXml(report);
}
