/**
 * CheckReports for the reporter tests, computed from the bundled examples (so they cannot drift from the engine):
 * the same steps as `check`: read the input, run the checks, evaluate the intents.
 */
import { join } from "path";
import { runCheck } from "../../src/check-run/run";
import { runChecks } from "../../src/checks";
import type { Suppression } from "../../src/checks/types";
import { loadInput } from "../../src/cli/input";
import { parseIntentList, readIntentsFile } from "../../src/intents/parse";
import type { Intent } from "../../src/intents/types";
import type { CheckReport, IntentResult } from "../../src/report/types";

export const ROOT = join(__dirname, "../..");

export interface ReportOptions {
  /** Extra intents, as users write them (declared in "extra-intents.json"). */
  readonly extraIntents?: readonly unknown[];
  readonly suppressions?: readonly Suppression[];
  /** Skip the example's own intents file. */
  readonly noIntentsFile?: boolean;
}

/** The report `check examples/<example>/<file> --intents examples/<example>/intents.json` computes. */
export async function exampleReport(example: string, file = "stack-export.json", options: ReportOptions = {}): Promise<CheckReport> {
  const input = `examples/${example}/${file}`;
  const intentsFile = `examples/${example}/intents.json`;
  const loaded = await loadInput(join(ROOT, input), {});
  const intents: Intent[] = [];
  const sources: string[] = [];
  if (!options.noIntentsFile) {
    const parsed = readIntentsFile(join(ROOT, intentsFile));
    if (!parsed.ok) throw new Error(parsed.errors.join("; "));
    // Declared in the file as the CLI names it (relative to the repository root).
    intents.push(...parsed.intents.map((i) => ({ ...i, origin: { ...i.origin, source: intentsFile } })));
    sources.push(intentsFile);
  }
  if (options.extraIntents) {
    const extra = parseIntentList(options.extraIntents, { source: "extra-intents.json" });
    if (!extra.ok) throw new Error(extra.errors.join("; "));
    intents.push(...extra.intents);
    sources.push("extra-intents.json");
  }
  const findings = runChecks(loaded.env, options.suppressions ? { suppressions: options.suppressions } : {});
  return runCheck({ env: loaded.env, intents, intentSources: sources, input, diagnostics: loaded.diagnostics, findings });
}

export function resultNamed(report: CheckReport, name: string): IntentResult {
  const r = report.results.find((x) => x.name === name);
  if (!r) throw new Error(`no result ${name}`);
  return r;
}

/** A copy of a report with one result replaced (for escaping tests with hostile names). */
export function withResults(report: CheckReport, results: readonly IntentResult[]): CheckReport {
  return { ...report, results };
}

/** Intents whose verdicts the reporters must show: an advisory fail with a delivered path through the hub NVA. */
export const HUB_EXTRA = [
  { name: "spoke1-no-https-to-spoke2", from: { vm: "spoke1-vm" }, to: { vm: "spoke2-vm" }, protocol: "Tcp", ports: "443", expect: "unreachable", enforcement: "advisory" },
  { name: "ghost-vm-reaches-spoke2", from: { vm: "ghost-vm" }, to: { vm: "spoke2-vm" }, protocol: "Tcp", ports: "443", expect: "reachable" },
];
