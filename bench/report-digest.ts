/**
 * SHA-256 of the JSON check report of the bundled examples (preview and stack export, with their intents) and of the
 * bench S estate: the figures test/bench/report-identity.test.ts pins, so that a change meant to make the check
 * faster is shown to give the same bytes.
 *
 *   node dist/bench/report-digest.js [--estate-dir DIR]
 *
 * The pipeline is bench/pipeline.ts's (the CLI's check), with the report's `input` set to the file's path relative
 * to the repository (or to the estate directory), so the digests do not depend on where the files are; the
 * `findingGroups` key (added by issue 19, derived from `findings`) is left out, so the rest is compared byte for byte.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { composeTopology as buildTopology } from "../src/providers/compose";
import { reporterFor } from "../src/check-run/reporters";
import { collectIntents, runCheck } from "../src/check-run/run";
import { runChecks } from "../src/checks";
import { engineEnv } from "../src/engine/nsg";
import { EMPTY_CATALOG, unresolvedServiceTags } from "../src/azure/service-tags";
import { readServiceTagsFile } from "../src/resources/service-tags-file";
import { readIntentsFile } from "../src/intents/parse";
import type { CheckReport } from "../src/report/types";
import { readResourceJson } from "../src/resources/detect";
import { ensureEstate, SIZES } from "./estate";
import { CLI_HINTS } from "../src/cli/input-hints";

export const EXAMPLES = ["hub-and-spoke", "locked-down", "nsg-basics", "three-tier"] as const;

/** The JSON report of one plan, as `check --format json` prints it (input named `label`). */
export function reportJson(file: string, intentsFile: string, label: string, serviceTags?: string): string {
  const read = readResourceJson(JSON.parse(fs.readFileSync(file, "utf8")) as unknown, label);
  if (!read.ok) throw new Error(`cannot read ${file}`);
  const tags = serviceTags === undefined ? undefined : readServiceTagsFile(serviceTags);
  if (tags !== undefined && !tags.ok) throw new Error(`cannot read ${serviceTags}`);
  const catalog = tags !== undefined && tags.ok ? tags.catalog : EMPTY_CATALOG;
  const topology = buildTopology(read.records);
  const env = engineEnv(topology, catalog, CLI_HINTS);
  const diagnostics = [...read.diagnostics, ...topology.diagnostics, ...unresolvedServiceTags(topology, catalog, CLI_HINTS)];
  const parsed = readIntentsFile(intentsFile);
  if (!parsed.ok) throw new Error(`cannot read ${intentsFile}`);
  const c = collectIntents(parsed.intents, path.basename(intentsFile), read.records);
  const findings = runChecks(env);
  const report = runCheck({ env, intents: c.intents, intentSources: c.sources, input: label, diagnostics, findings });
  return (reporterFor("json") as (r: CheckReport) => string)(report);
}

/** The JSON report as it was before `findingGroups` was added (issue 19): the same bytes, that key left out. */
export function withoutFindingGroups(json: string): string {
  const parsed = JSON.parse(json) as Record<string, unknown>;
  delete parsed.findingGroups;
  return JSON.stringify(parsed, null, 2);
}

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** Name -> digest of every pinned report; `root` is the repository, `estateDir` where the S estate is written. */
export function reportDigests(root: string, estateDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of EXAMPLES) {
    for (const kind of ["preview", "stack-export"]) {
      const rel = `examples/${name}/${kind}.json`;
      const text = reportJson(path.join(root, rel), path.join(root, `examples/${name}/intents.json`), rel);
      out[`${name}/${kind}`] = sha256(withoutFindingGroups(text).split(root).join("<repo>"));
    }
  }
  const files = ensureEstate(SIZES.S, estateDir);
  // Intent results name their intents file by path: the estate's directory is written as "<estate>".
  const relative = (text: string): string => withoutFindingGroups(text).split(path.dirname(files.intents)).join("<estate>");
  out["bench-S/preview"] = sha256(relative(reportJson(files.preview, files.intents, "preview.json", files.serviceTags)));
  out["bench-S/stack-export"] = sha256(relative(reportJson(files.stackExport, files.intents, "stack-export.json", files.serviceTags)));
  return out;
}

if (require.main === module) {
  const i = process.argv.indexOf("--estate-dir");
  const dir = i > 0 ? (process.argv[i + 1] as string) : fs.mkdtempSync(path.join(os.tmpdir(), "report-digest-"));
  process.stdout.write(`${JSON.stringify(reportDigests(path.resolve(__dirname, "../.."), dir), null, 2)}\n`);
}
