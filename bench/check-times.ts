/**
 * Per-check CPU time of one plan, with the JSON.parse of the same file as the yardstick (ratios within one process
 * say more than seconds on a shared machine), and a digest of the JSON report (so a faster version can be shown to
 * give the same bytes).
 *
 *   node dist/bench/check-times.js <plan.json> [--intents FILE] [--service-tags FILE] [--json]
 *
 * The checks run in catalogue order over one engine environment, as runChecks runs them (a later check reads the
 * caches an earlier one filled, as in the product), then the intents and the JSON report.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import { composeTopology as buildTopology } from "../src/providers/compose";
import { reporterFor } from "../src/check-run/reporters";
import { collectIntents, runCheck } from "../src/check-run/run";
import { CATALOGUE, runChecks } from "../src/checks";
import { engineEnv } from "../src/engine/nsg";
import { EMPTY_CATALOG, unresolvedServiceTags } from "../src/azure/service-tags";
import { readServiceTagsFile } from "../src/resources/service-tags-file";
import { readIntentsFile } from "../src/intents/parse";
import type { CheckReport } from "../src/report/types";
import { readResourceJson } from "../src/resources/detect";
import { CLI_HINTS } from "../src/cli/input-hints";

function cpu<T>(fn: () => T): { value: T; ms: number } {
  const c0 = process.cpuUsage();
  const value = fn();
  const c = process.cpuUsage(c0);
  return { value, ms: (c.user + c.system) / 1000 };
}

function main(argv: readonly string[]): void {
  const file = argv[0];
  if (file === undefined) throw new Error("usage: check-times <plan.json> [--intents FILE] [--service-tags FILE] [--json]");
  const opt = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i < 0 ? undefined : argv[i + 1];
  };
  const text = fs.readFileSync(file, "utf8");
  const parsed = cpu(() => JSON.parse(text) as unknown);
  const read = readResourceJson(parsed.value, file);
  if (!read.ok) throw new Error("cannot read the plan");
  const tagsFile = opt("--service-tags");
  const tags = tagsFile ? readServiceTagsFile(tagsFile) : undefined;
  if (tags && !tags.ok) throw new Error("cannot read the service tags");
  const catalog = tags && tags.ok ? tags.catalog : EMPTY_CATALOG;
  const topology = cpu(() => buildTopology(read.records));
  const env = engineEnv(topology.value, catalog, CLI_HINTS);
  const perCheck: Record<string, number> = {};
  for (const check of CATALOGUE) perCheck[`${check.id} ${check.name}`] = Math.round(cpu(() => runChecks(env, { enabled: [check.name] })).ms);
  // The findings of the report come from one runChecks over a fresh environment (the same as the CLI's).
  const env2 = engineEnv(topology.value, catalog, CLI_HINTS);
  const checks = cpu(() => runChecks(env2));
  const intentsFile = opt("--intents");
  const collected = intentsFile ? readIntentsFile(intentsFile) : undefined;
  const c = collected && collected.ok ? collectIntents(collected.intents, intentsFile as string, read.records) : { intents: [], sources: [] };
  const diagnostics = [...read.diagnostics, ...topology.value.diagnostics, ...unresolvedServiceTags(topology.value, catalog, CLI_HINTS)];
  const intents = cpu(() => runCheck({ env: env2, intents: c.intents, intentSources: c.sources, input: file, diagnostics, findings: checks.value }));
  const json = cpu(() => (reporterFor("json") as (r: CheckReport) => string)(intents.value));
  const out = {
    file,
    parseMs: Math.round(parsed.ms),
    topologyMs: Math.round(topology.ms),
    checksMs: Math.round(checks.ms),
    intentsMs: Math.round(intents.ms),
    reportMs: Math.round(json.ms),
    checksOverParse: Math.round((checks.ms / parsed.ms) * 100) / 100,
    perCheck,
    findings: checks.value.length,
    reportBytes: Buffer.byteLength(json.value),
    reportSha256: createHash("sha256").update(json.value).digest("hex"),
  };
  process.stdout.write(argv.includes("--json") ? `${JSON.stringify(out)}\n` : `${JSON.stringify(out, null, 2)}\n`);
}

main(process.argv.slice(2));
