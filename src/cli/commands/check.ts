import { existsSync, statSync, writeFileSync } from "fs";
import { join } from "path";
import { checkExitCode, collectIntents, runCheck } from "../../check/run";
import { runChecks } from "../../checks";
import { checkFormats, reporterFor } from "../../check/reporters";
import { readIntentsFile } from "../../intents/parse";
import type { Intent } from "../../intents/types";
import { summaryLine } from "../../report/check-text";
import { fail } from "../errors";
import { loadInput, type InputOptions } from "../input";
import { printDiagnostics, type Io } from "../output";

export interface CheckOptions extends InputOptions {
  readonly intents?: string;
  readonly format?: string;
  readonly output?: string;
  readonly failOnIndeterminate?: boolean;
}

/** `--intents FILE`, else `<dir>/intents.json` for a program directory, else none (in-code intents only). */
export function intentsFileFor(input: string, explicit: string | undefined): string | undefined {
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

function readConfigured(file: string | undefined): Intent[] {
  if (!file) return [];
  const parsed = readIntentsFile(file);
  if (!parsed.ok) fail(parsed.errors.length === 1 ? parsed.errors[0] : `${parsed.errors.length} problems in the intents: ${parsed.errors.join("; ")}`);
  return parsed.intents;
}

/** Exit 0 when every mandatory intent holds, 1 when one fails (or is undecided, with --fail-on-indeterminate), 2 for bad input. */
export async function checkCommand(input: string, opts: CheckOptions, io: Io): Promise<number> {
  const format = opts.format ?? "text";
  const reporter = reporterFor(format);
  if (!reporter) fail(`--format must be one of ${checkFormats().join(", ")}, not "${format}"`);
  const file = intentsFileFor(input, opts.intents);
  // Bad intents are bad input: say so before the (possibly slow) program run.
  const configured = readConfigured(file);
  const loaded = await loadInput(input, opts);
  printDiagnostics(io, loaded.diagnostics);
  const collected = collectIntents(configured, file, loaded.records);
  if (collected.errors.length > 0) fail(`invalid ReachabilityIntent in the program: ${collected.errors.join("; ")}`);
  if (collected.intents.length === 0) {
    io.err(`azure-reachability: no intents to check: pass --intents FILE${statSafeIsDir(input) ? `, add ${join(input, "intents.json")}` : ""}, or declare ReachabilityIntent components in the program`);
  }
  // Hygiene and exposure findings come along (they do not change the exit code, which is about intents).
  const findings = runChecks(loaded.env);
  const report = runCheck({ env: loaded.env, intents: collected.intents, intentSources: collected.sources, input, diagnostics: loaded.diagnostics, findings });
  const text = reporter(report);
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
  return checkExitCode(report, opts.failOnIndeterminate === true);
}

function statSafeIsDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
