import { existsSync, statSync, writeFileSync } from "fs";
import { join } from "path";
import { checkExitCode, collectIntents, runCheck } from "../../check-run/run";
import { finishFindings, runChecks } from "../../checks";
import { defaultParallelism, runOnWorkers, workerCount, WORKERS_ENV } from "../../check-run/parallel";
import type { IntentResult } from "../../intents/result";
import { checkFormats, reporterFor } from "../../check-run/reporters";
import { hygieneConfigFromDocument } from "../../check-run/hygiene-config";
import type { Finding } from "../../checks/types";
import type { CheckOptions as HygieneOptions } from "../../checks/types";
import { parseIntentDocument, readConfigDocument } from "../../intents/parse";
import type { Intent } from "../../intents/types";
import { summaryLine } from "../../report/check-text";
import { checkTextReporter, colourEnabled } from "../../report/colour";
import { createProgress } from "../../report/progress";
import { fail } from "../errors";
import { loadInput, type InputOptions } from "../input";
import { topologySketch } from "../../report/topology-mermaid";
import type { Diagnostic } from "../../model/diagnostic";
import { printDiagnostics, type Io } from "../output";

export interface CheckOptions extends InputOptions {
  readonly intents?: string;
  readonly format?: string;
  readonly output?: string;
  readonly failOnIndeterminate?: boolean;
  /** Text: every finding on its own line instead of one line per group. */
  readonly allFindings?: boolean;
  /** `--workers N`: worker threads for the checks and intents (parallel.ts); wins over AZURE_REACHABILITY_WORKERS. */
  readonly workers?: string;
}

/** `--intents FILE`, else `<dir>/intents.json` for a program directory, else none (in-code intents only). */
function intentsFileFor(input: string, explicit: string | undefined): string | undefined {
  if (explicit) return explicit;
  let isDir = false;
  try {
    isDir = statSync(input).isDirectory();
  } catch {
    return undefined;
  }
  const candidate = join(input, "intents.json");
  return isDir && existsSync(candidate) ? candidate : undefined;
}

interface Configured {
  readonly intents: Intent[];
  readonly hygiene: HygieneOptions;
  /** Checks whose unsuppressed findings fail the check like a mandatory intent. */
  readonly mandatoryChecks: ReadonlySet<string>;
}

/** The intents file, also read as a policy-config file for its `network-hygiene` section. */
function readConfigured(file: string | undefined): Configured {
  const defaults: Configured = { intents: [], hygiene: {}, mandatoryChecks: new Set() };
  if (!file) return defaults;
  const doc = readConfigDocument(file);
  if (!doc.ok) fail(doc.error);
  const parsed = parseIntentDocument(doc.doc, file);
  if (!parsed.ok) fail(parsed.errors.length === 1 ? parsed.errors[0] : `${parsed.errors.length} problems in the intents: ${parsed.errors.join("; ")}`);
  const hygiene = hygieneConfigFromDocument(doc.doc);
  if (!hygiene.ok) fail(`${file}: network-hygiene: ${hygiene.errors.join("; ")}`);
  const mandatory = Object.entries(hygiene.enforcement).filter(([, e]) => e === "mandatory").map(([name]) => name);
  return { intents: parsed.intents, hygiene: hygiene.options, mandatoryChecks: new Set(mandatory) };
}

function failsMandatoryCheck(findings: readonly Finding[], mandatory: ReadonlySet<string>): boolean {
  return findings.some((f) => !f.suppressed && mandatory.has(f.check));
}

/**
 * Exit 0 when every mandatory intent holds, 1 when one fails (or is undecided, with --fail-on-indeterminate) or a check
 * configured mandatory has an unsuppressed finding, 2 for bad input.
 */
export async function checkCommand(input: string, opts: CheckOptions, io: Io): Promise<number> {
  const format = opts.format ?? "text";
  const chosen = reporterFor(format);
  if (!chosen) fail(`--format must be one of ${checkFormats().join(", ")}, not "${format}"`);
  // Colour only for text on a terminal (never in a file, a pipe or with NO_COLOR).
  const reporter = format === "text" && !opts.output && colourEnabled(process.stdout) ? checkTextReporter({ colour: true }) : chosen;
  // A bad --workers (or AZURE_REACHABILITY_WORKERS) is bad input: said before the plan is read.
  const workers = workerCount({ option: opts.workers, optionName: "--workers", env: process.env[WORKERS_ENV], resources: 0, parallelism: 1 });
  if (!workers.ok) fail(workers.error);
  const progress = createProgress();
  const file = intentsFileFor(input, opts.intents);
  // Bad intents are bad input: say so before the (possibly slow) program run.
  const configured = readConfigured(file);
  progress.start(`reading ${input}`);
  const loaded = await loadInput(input, opts, io);
  progress.done();
  printDiagnostics(io, loaded.diagnostics);
  const collected = collectIntents(configured.intents, file, loaded.records);
  if (collected.errors.length > 0) fail(`invalid ReachabilityIntent in the program: ${collected.errors.join("; ")}`);
  if (collected.intents.length === 0) {
    io.err(`azure-reachability: no intents to check: pass --intents FILE${statSafeIsDir(input) ? `, add ${join(input, "intents.json")}` : ""}, or declare ReachabilityIntent components in the program`);
  }
  // Hygiene and exposure findings come along; only checks configured mandatory change the exit code.
  const { findings, results } = await checksAndIntents(loaded, configured.hygiene, collected.intents, file, opts, progress);
  const report = runCheck({
    env: loaded.env,
    intents: collected.intents,
    intentSources: collected.sources,
    input,
    diagnostics: loaded.diagnostics,
    findings,
    ...(results ? { results } : {}),
    onIntent: (name) => progress.tick(name),
  });
  progress.done();
  // The pull request comment draws the plan (topology-mermaid.ts); the other formats do not need its shape.
  const shown = opts.allFindings ? { ...report, allFindings: true } : report;
  const text = reporter(format === "markdown" ? { ...shown, sketch: topologySketch(loaded.topology) } : shown);
  if (opts.output) {
    try {
      writeFileSync(opts.output, text.endsWith("\n") ? text : `${text}\n`);
    } catch (e) {
      fail(`cannot write ${opts.output}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    io.err(`azure-reachability: ${summaryLine(report)}; report written to ${opts.output}`);
  } else {
    io.out(text);
  }
  const hint = otherStackHint(report.results.some((r) => r.verdict === "indeterminate"), loaded.diagnostics, opts.withStack);
  if (hint) io.err(`azure-reachability: ${hint}`);
  const code = checkExitCode(report, opts.failOnIndeterminate === true);
  return code === 0 && failsMandatoryCheck(findings, configured.mandatoryChecks) ? 1 : code;
}

type Progress = ReturnType<typeof createProgress>;

/**
 * The checks, and the intents on worker threads for a large plan (check-run/parallel.ts; same report either way).
 * Without workers the intents are left to runCheck, with progress still open for it.
 */
async function checksAndIntents(
  loaded: Awaited<ReturnType<typeof loadInput>>,
  hygiene: HygieneOptions,
  intents: readonly Intent[],
  intentsFile: string | undefined,
  opts: CheckOptions,
  progress: Progress,
): Promise<{ findings: Finding[]; results?: IntentResult[] }> {
  const chosen = workerCount({ option: opts.workers, optionName: "--workers", env: process.env[WORKERS_ENV], resources: loaded.records.length, parallelism: defaultParallelism() });
  if (!chosen.ok) fail(chosen.error);
  if (chosen.workers === 0) {
    progress.start("hygiene and exposure checks");
    const findings = runChecks(loaded.env, hygiene);
    progress.done();
    progress.start("intents", intents.length);
    return { findings };
  }
  progress.start(`checks and intents on this thread and ${chosen.workers} worker thread${chosen.workers === 1 ? "" : "s"}`, intents.length);
  const out = await runOnWorkers({
    env: loaded.env,
    records: loaded.records,
    ...(opts.serviceTags !== undefined ? { serviceTags: opts.serviceTags } : {}),
    ...(intentsFile !== undefined ? { intentsFile } : {}),
    intents,
    hygiene,
    workers: chosen.workers,
    onIntent: (name) => progress.tick(name),
  });
  return { findings: finishFindings(loaded.env, out.found, hygiene), results: out.results };
}

/**
 * Undecided intents while known ARM ids name resources the plan lacks, and no --with-stack: those resources may be
 * another stack's (a hub's VNet, a shared route table). Said once, on stderr, with the first such id.
 */
function otherStackHint(undecided: boolean, diagnostics: readonly Diagnostic[], withStack: readonly string[] | undefined): string | undefined {
  if (!undecided || (withStack ?? []).length > 0) return undefined;
  const outside = diagnostics.filter((d) => d.code === "unresolved-reference" && typeof d.value === "string" && d.value.startsWith("/subscriptions/"));
  if (outside.length === 0) return undefined;
  const n = new Set(outside.map((d) => d.value)).size;
  return `hint: ${n} reference${n === 1 ? "" : "s"} name${n === 1 ? "s" : ""} a resource outside this plan (${outside[0].value}); if it is another stack's, give that stack's \`pulumi stack export\` with --with-stack FILE`;
}

function statSafeIsDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
