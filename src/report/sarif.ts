/**
 * `check --format sarif`: SARIF 2.1.0 for code scanning (GitHub's upload-sarif, Azure DevOps, IDE viewers).
 *
 * - One run; `tool.driver.rules` lists every check of the catalogue (AR-001...) and the two intent rules
 *   (`INTENT_RULES`: AR-100 `reachability-intent`, AR-101 `ip-flow-verify-intent`). Ids never change.
 * - One result per failing intent: level `error` when mandatory, `warning` when advisory.
 * - Undecided (indeterminate) intents are reported too, as level `note` with `properties.verdict: "indeterminate"`
 *   and the unknown values in the message: they need a look (or a second check after the first deployment), and
 *   a `note` never fails a code scanning gate on its own. Passing intents are not results.
 * - One result per finding, level from its severity (critical and high: error; medium: warning; low: note);
 *   suppressed findings carry `suppressions: [{kind: "external", justification}]` (the suppression lives in the
 *   policy configuration, outside the program).
 * - `locations`: a logical location naming the resource URN (`fullyQualifiedName`, kind `resource`) and, when the
 *   Pulumi program's file is known, a physical location in it (relative to the working directory, which in CI is
 *   the repository root), at the line that names the blamed rule or resource when one does (else line 1). An
 *   intent declared in a file without a known program is placed in that file, at its `"name"`.
 * - `partialFingerprints["azureReachability/v1"]`: a hash of the rule id and what the result is about (intent name
 *   and where it is declared; finding id, resources and rules), so the same problem keeps its identity across runs
 *   even when line numbers or counterexample addresses change.
 *
 * `sarifLog(report, options)` is pure; `formatCheckSarif(report)` first reads the program and intent files named
 * by the report (`sarifOptionsFor`) to place results at lines.
 */
import { createHash } from "crypto";
import { existsSync, readFileSync, statSync } from "fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "path";
import { pathToFileURL } from "url";
import { parse as parseYaml } from "yaml";
import { CATALOGUE } from "../checks/catalogue";
import type { FindingSeverity } from "../checks/types";
import { blameLines, blamedUrns, intentScope, primaryUrn, sourceNames, urnName } from "./blame";
import type { CheckReport, Finding, IntentResult } from "./types";

export const SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
export const SARIF_VERSION = "2.1.0";
/** The key of our fingerprint in `partialFingerprints` (bump the version if what it hashes ever changes). */
export const FINGERPRINT_KEY = "azureReachability/v1";

export type SarifLevel = "error" | "warning" | "note" | "none";

export interface SarifMessage {
  readonly text: string;
}

export interface SarifReportingDescriptor {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: SarifMessage;
  readonly fullDescription: SarifMessage;
  readonly help: { readonly text: string; readonly markdown?: string };
  readonly defaultConfiguration: { readonly level: SarifLevel };
  readonly properties: { readonly tags: readonly string[]; readonly "security-severity"?: string; readonly precision?: string };
}

export interface SarifLogicalLocation {
  readonly name: string;
  readonly fullyQualifiedName: string;
  readonly kind: string;
}

export interface SarifPhysicalLocation {
  readonly artifactLocation: { readonly uri: string; readonly uriBaseId?: string };
  readonly region?: { readonly startLine: number };
}

export interface SarifLocation {
  readonly id?: number;
  readonly physicalLocation?: SarifPhysicalLocation;
  readonly logicalLocations?: readonly SarifLogicalLocation[];
  readonly message?: SarifMessage;
}

export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: SarifLevel;
  readonly message: SarifMessage;
  readonly locations: readonly SarifLocation[];
  readonly relatedLocations?: readonly SarifLocation[];
  readonly partialFingerprints: Readonly<Record<string, string>>;
  readonly suppressions?: ReadonlyArray<{ readonly kind: "external" | "inSource"; readonly justification: string }>;
  readonly properties?: Readonly<Record<string, unknown>>;
}

export interface SarifNotification {
  readonly level: SarifLevel;
  readonly message: SarifMessage;
  readonly descriptor: { readonly id: string };
  readonly locations?: readonly SarifLocation[];
}

export interface SarifLog {
  readonly $schema: string;
  readonly version: "2.1.0";
  readonly runs: ReadonlyArray<{
    readonly tool: { readonly driver: { readonly name: string; readonly version: string; readonly semanticVersion: string; readonly informationUri?: string; readonly rules: readonly SarifReportingDescriptor[] } };
    readonly invocations: ReadonlyArray<{ readonly executionSuccessful: boolean; readonly toolExecutionNotifications?: readonly SarifNotification[] }>;
    readonly columnKind: "utf16CodeUnits";
    readonly results: readonly SarifResult[];
    readonly properties?: Readonly<Record<string, unknown>>;
  }>;
}

/** A file results can point at: its URI (relative to the repository root, `/`-separated) and, to find lines, its text. */
export interface SarifSource {
  readonly uri: string;
  readonly text?: string;
}

export interface SarifOptions {
  /** The Pulumi program's main file. */
  readonly program?: SarifSource;
  /** Intent files, keyed by the `declaredIn` the report uses for them. */
  readonly intentFiles?: Readonly<Record<string, SarifSource>>;
  readonly informationUri?: string;
}

/** The intent rules: stable ids next to the catalogue's AR-0xx. */
const INTENT_RULES = {
  reach: {
    id: "AR-100",
    name: "reachability-intent",
    title: "A reachability intent does not hold",
    explanation:
      "A declared reachability intent (expect reachable or unreachable, over every flow its selectors name) does not hold on the planned network. The result names a counterexample flow and the NSG rule, route or appliance that decides its fate.",
    fix: "Change the rule or route named in the result (for example the priority of a deny that comes before an allow), or the intent if it no longer says what should hold. Undecided intents name the values unknown at preview; check again after the first deployment or pin them.",
  },
  ipFlowVerify: {
    id: "AR-101",
    name: "ip-flow-verify-intent",
    title: "An IP flow verify assertion does not hold",
    explanation: "An IP flow verify assertion (one flow at one NIC, as Azure Network Watcher's IP flow verify answers it) gets a different access, or a different deciding rule, than expected.",
    fix: "Change the NSG rule named in the result, or the assertion if the expected access or rule is no longer right.",
  },
} as const;

const SEVERITY_LEVEL: Readonly<Record<FindingSeverity, SarifLevel>> = { critical: "error", high: "error", medium: "warning", low: "note" };
/** GitHub code scanning's `security-severity` (0.0-10.0) for each severity. */
const SECURITY_SEVERITY: Readonly<Record<FindingSeverity, string>> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

function descriptor(id: string, name: string, title: string, explanation: string, fix: string, level: SarifLevel, securitySeverity: string | undefined, tags: readonly string[]): SarifReportingDescriptor {
  return {
    id,
    name,
    shortDescription: { text: title },
    fullDescription: { text: explanation },
    help: { text: `${explanation}\n\nFix: ${fix}`, markdown: `${explanation}\n\n**Fix:** ${fix}` },
    defaultConfiguration: { level },
    properties: { tags, ...(securitySeverity ? { "security-severity": securitySeverity } : {}), precision: "very-high" },
  };
}

/** Every rule, in a fixed order: the catalogue, then the intent rules. */
function sarifRules(): SarifReportingDescriptor[] {
  const checks = CATALOGUE.map((c) => descriptor(c.id, c.name, c.title, c.explanation, c.fix, SEVERITY_LEVEL[c.severity], SECURITY_SEVERITY[c.severity], ["security", "network", "azure"]));
  const intents = [INTENT_RULES.reach, INTENT_RULES.ipFlowVerify].map((r) => descriptor(r.id, r.name, r.title, r.explanation, r.fix, "error", "7.5", ["security", "network", "azure", "reachability-intent"]));
  return [...checks, ...intents];
}

function fingerprint(parts: readonly string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The first line (1-based) holding `name` as a string literal ("name", 'name' or `name`), comment lines aside. */
export function lineOfLiteral(text: string, name: string): number | undefined {
  if (name === "") return undefined;
  const re = new RegExp(`(["'\`])${escapeRegExp(name)}\\1`);
  const lines = text.split(/\r\n|\r|\n/);
  const i = lines.findIndex((l) => !/^\s*(\/\/|\/\*|\*|#)/.test(l) && re.test(l));
  return i >= 0 ? i + 1 : undefined;
}

/** The line of an intent's `"name": "<name>"` (JSON) or `name: <name>` (YAML) in an intents file. */
export function lineOfIntent(text: string, name: string): number | undefined {
  const n = escapeRegExp(name);
  const re = new RegExp(`(["']?)name\\1\\s*:\\s*(["']?)${n}\\2\\s*(,|$|})`);
  const lines = text.split(/\r\n|\r|\n/);
  const i = lines.findIndex((l) => re.test(l));
  return i >= 0 ? i + 1 : undefined;
}

/** Relative URIs are relative to the repository root (`%SRCROOT%`, as code scanning expects). */
function artifact(uri: string): { readonly uri: string; readonly uriBaseId?: string } {
  return /^[a-z][a-z0-9+.-]*:/i.test(uri) ? { uri } : { uri, uriBaseId: "%SRCROOT%" };
}

function physical(source: SarifSource, names: readonly string[]): SarifPhysicalLocation {
  let line: number | undefined;
  if (source.text !== undefined) {
    for (const n of names) {
      line = lineOfLiteral(source.text, n);
      if (line !== undefined) break;
    }
  }
  return { artifactLocation: artifact(source.uri), region: { startLine: line ?? 1 } };
}

function logical(urn: string): SarifLogicalLocation {
  return { name: urnName(urn), fullyQualifiedName: urn, kind: "resource" };
}

function location(urn: string | undefined, phys: SarifPhysicalLocation | undefined, message?: string): SarifLocation {
  return {
    ...(phys ? { physicalLocation: phys } : {}),
    ...(urn ? { logicalLocations: [logical(urn)] } : {}),
    ...(message ? { message: { text: message } } : {}),
  };
}

function intentMessage(r: IntentResult): string {
  const what = r.verdict === "fail" ? "does not hold" : "cannot be decided at preview";
  const lines = [`Intent "${r.name}" ${what} (${intentScope(r)}${r.enforcement}, expect ${r.expect}): ${r.message}`];
  const cx = r.counterexample;
  if (cx) {
    const from = cx.source ? `from ${cx.source.name}` : "from outside the VNets";
    const to = cx.destination ? `to ${cx.destination.name}` : "to outside the VNets";
    lines.push(`Counterexample: ${cx.text} ${from} ${to}: ${cx.outcome}.`);
    for (const e of cx.evidence) lines.push(`${e.decisive ? "!" : "-"} ${e.text}`);
  }
  const blame = blameLines(r);
  if (blame.length > 0) lines.push(`Blame: ${blame.join("; ")}`);
  for (const n of r.notes) lines.push(`Note: ${n}`);
  lines.push(`Declared in ${r.declaredIn}.`);
  return lines.join("\n");
}

function intentResult(r: IntentResult, rules: readonly SarifReportingDescriptor[], options: SarifOptions): SarifResult {
  const rule = r.kind === "ipFlowVerify" ? INTENT_RULES.ipFlowVerify : INTENT_RULES.reach;
  const urn = primaryUrn(r);
  const intentFile = options.intentFiles?.[r.declaredIn];
  const phys = options.program ? physical(options.program, [...sourceNames(r), r.name]) : undefined;
  const declared = intentFile ? { artifactLocation: artifact(intentFile.uri), region: { startLine: (intentFile.text !== undefined ? lineOfIntent(intentFile.text, r.name) : undefined) ?? 1 } } : undefined;
  const related: SarifLocation[] = [];
  let id = 1;
  for (const b of blamedUrns(r)) {
    if (b === urn) continue;
    related.push({ id: id++, ...location(b, options.program ? physical(options.program, [urnName(b)]) : undefined, `blamed: ${urnName(b)}`) });
  }
  if (declared && phys) related.push({ id: id++, physicalLocation: declared, message: { text: `intent "${r.name}" is declared here` } });
  return {
    ruleId: rule.id,
    ruleIndex: rules.findIndex((x) => x.id === rule.id),
    level: r.verdict === "indeterminate" ? "note" : r.enforcement === "mandatory" ? "error" : "warning",
    message: { text: intentMessage(r) },
    locations: [location(urn, phys ?? declared)],
    ...(related.length > 0 ? { relatedLocations: related } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint([rule.id, r.name, r.declaredIn]) },
    properties: {
      intent: r.name,
      verdict: r.verdict,
      enforcement: r.enforcement,
      expect: r.expect,
      declaredIn: r.declaredIn,
      ...(r.counterexample ? { counterexample: r.counterexample.flow } : {}),
      ...(r.unknowns && r.unknowns.length > 0 ? { unknowns: r.unknowns } : {}),
    },
  };
}

function findingMessage(f: Finding): string {
  const lines = [f.message];
  if (f.rules && f.rules.length > 0) lines.push(`Rules: ${f.rules.join(", ")}`);
  if (f.resources.length > 1) lines.push(`Resources: ${f.resources.map(urnName).join(", ")}`);
  return lines.join("\n");
}

function findingResult(f: Finding, key: string, rules: readonly SarifReportingDescriptor[], options: SarifOptions): SarifResult {
  const ruleIndex = rules.findIndex((x) => x.id === f.id);
  const names = [...(f.rules ?? []).map((r) => r.slice(r.lastIndexOf("/") + 1)), ...f.resources.map(urnName)];
  const phys = options.program ? physical(options.program, names) : undefined;
  const [first, ...rest] = f.resources;
  const related = rest.map((urn, i) => ({ id: i + 1, ...location(urn, options.program ? physical(options.program, [urnName(urn)]) : undefined, urnName(urn)) }));
  return {
    ruleId: f.id,
    ruleIndex,
    level: SEVERITY_LEVEL[f.severity],
    message: { text: findingMessage(f) },
    locations: [location(first, phys)],
    ...(related.length > 0 ? { relatedLocations: related } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: key },
    ...(f.suppressed ? { suppressions: [{ kind: "external" as const, justification: f.suppressed.reason }] } : {}),
    properties: { check: f.check, severity: f.severity, ...(f.rules ? { rules: f.rules } : {}), resources: f.resources },
  };
}

/** Stable fingerprints for findings: id, resources and rules; the message only to tell apart otherwise equal ones. */
function findingKeys(findings: readonly Finding[]): string[] {
  const base = findings.map((f) => fingerprint([f.id, ...f.resources, "|", ...(f.rules ?? [])]));
  const seen = new Map<string, number>();
  return findings.map((f, i) => {
    const b = base[i];
    if (base.filter((x) => x === b).length === 1) return b;
    const withMessage = fingerprint([b, f.message]);
    const n = (seen.get(withMessage) ?? 0) + 1;
    seen.set(withMessage, n);
    return n === 1 ? withMessage : fingerprint([withMessage, String(n)]);
  });
}

/** The SARIF log of a report. Pure: files are read by `sarifOptionsFor`, not here. */
export function sarifLog(report: CheckReport, options: SarifOptions = {}): SarifLog {
  const rules = [...sarifRules()];
  // A finding from a check missing from the catalogue still needs its rule.
  for (const f of report.findings) {
    if (!rules.some((r) => r.id === f.id)) rules.push(descriptor(f.id, f.check, f.check, f.check, "See the finding's message.", SEVERITY_LEVEL[f.severity], SECURITY_SEVERITY[f.severity], ["security", "network", "azure"]));
  }
  const intentResults = report.results.filter((r) => r.verdict !== "pass").map((r) => intentResult(r, rules, options));
  const keys = findingKeys(report.findings);
  const findingResults = report.findings.map((f, i) => findingResult(f, keys[i], rules, options));
  const notifications: SarifNotification[] = report.diagnostics.map((d) => ({
    level: d.severity === "error" ? "error" : d.severity === "warning" ? "warning" : "note",
    message: { text: d.message },
    descriptor: { id: d.code },
    ...(d.resource.startsWith("urn:") ? { locations: [location(d.resource, undefined)] } : {}),
  }));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            ...(options.informationUri ? { informationUri: options.informationUri } : {}),
            rules,
          },
        },
        invocations: [{ executionSuccessful: true, ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}) }],
        columnKind: "utf16CodeUnits",
        results: [...intentResults, ...findingResults],
        properties: { summary: report.summary, ...(report.input !== undefined ? { input: report.input } : {}), intentSources: report.intentSources },
      },
    ],
  };
}

/** A path as a SARIF URI: relative to `cwd` with `/` separators when inside it, else a `file:` URL. */
export function sarifUri(path: string, cwd: string = process.cwd()): string {
  const abs = resolve(cwd, path);
  const rel = relative(cwd, abs);
  if (rel !== "" && !rel.startsWith("..") && !isAbsolute(rel)) return rel.split(sep).join("/");
  return pathToFileURL(abs).href;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The main file of the Pulumi program behind an input: the input directory's, or, for a stack export or preview
 * file, the program in the same directory (where `pulumi preview --json > preview.json` leaves it). Pulumi.yaml's
 * `main` is honoured; else index.ts, then index.js.
 */
export function programFileFor(input: string | undefined, cwd: string = process.cwd()): string | undefined {
  if (input === undefined) return undefined;
  const abs = resolve(cwd, input);
  const dir = isDir(abs) ? abs : dirname(abs);
  const project = ["Pulumi.yaml", "Pulumi.yml"].map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!project) return undefined;
  let base = dir;
  try {
    const doc: unknown = parseYaml(readFileSync(project, "utf8"));
    const main = doc !== null && typeof doc === "object" ? (doc as Record<string, unknown>).main : undefined;
    if (typeof main === "string" && main !== "") {
      const m = resolve(dir, main);
      if (!isDir(m)) return existsSync(m) ? m : undefined;
      base = m;
    }
  } catch {
    // an unreadable Pulumi.yaml: look for the usual entry points
  }
  return ["index.ts", "index.js"].map((f) => join(base, f)).find((f) => existsSync(f));
}

function readSource(path: string, cwd: string): SarifSource {
  let text: string | undefined;
  try {
    text = readFileSync(resolve(cwd, path), "utf8");
  } catch {
    text = undefined;
  }
  return { uri: sarifUri(path, cwd), ...(text !== undefined ? { text } : {}) };
}

/** Reads the program and intent files a report names, so results can point at lines in them. */
export function sarifOptionsFor(report: CheckReport, cwd: string = process.cwd()): SarifOptions {
  const program = programFileFor(report.input, cwd);
  const intentFiles: Record<string, SarifSource> = {};
  for (const src of new Set(report.results.map((r) => r.declaredIn))) {
    if (src.startsWith("urn:") || src === "policy config" || src === "") continue;
    const abs = resolve(cwd, src);
    if (existsSync(abs) && !isDir(abs)) intentFiles[src] = readSource(src, cwd);
  }
  return { ...(program ? { program: readSource(program, cwd) } : {}), intentFiles };
}

/** The SARIF log of a report as JSON text, with results placed in the program and intent files when they exist. */
export function formatCheckSarif(report: CheckReport): string {
  return JSON.stringify(sarifLog(report, sarifOptionsFor(report)), null, 2);
}
