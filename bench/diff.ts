/**
 * `npm run bench -- --diff`: the cost of `diff` at a size, against the cost of one check of the same plan, measured
 * in one process (ratios within one run). The second version of the estate is the stack export with a few rules
 * changed, as a pull request changes them: one allow's destination port widened, one allow removed, one user route
 * added (next hop None), in `inputs` and `outputs` alike.
 */
import * as fs from "fs";
import { buildTopology } from "../src/adapters/azure-native";
import { engineEnv } from "../src/engine/nsg";
import { readServiceTagsFile } from "../src/engine/service-tags";
import { diffPlans } from "../src/diff/compute";
import { buildDiffReport } from "../src/diff/report";
import { resourceChanges } from "../src/diff/resources";
import { diffRows } from "../src/diff/rows";
import { formatDiffJson } from "../src/report/diff-json";
import { readResourceJson } from "../src/resources/detect";
import { now, runPipeline } from "./pipeline";

export interface DiffFigures {
  readonly checkMs: number;
  readonly diffMs: number;
  readonly diffCpuMs: number;
  /** diff time over check time, same process, same plan. */
  readonly diffOverCheck: number;
  readonly stages: Record<string, number>;
  readonly endpoints: number;
  readonly pairsEvaluated: number;
  readonly pairsSkipped: number;
  readonly opened: number;
  readonly closed: number;
  readonly undecided: number;
  readonly changes: readonly string[];
}

type Raw = Record<string, unknown>;

function rulesOf(r: Raw): Raw[] | undefined {
  const out = r.outputs as Raw | undefined;
  return Array.isArray(out?.securityRules) ? (out?.securityRules as Raw[]) : undefined;
}

/** The second version: a few changes to the first, described for the figures. */
export function changedVersion(doc: Raw): { doc: Raw; changes: string[] } {
  const copy = JSON.parse(JSON.stringify(doc)) as Raw;
  const resources = (copy.deployment as Raw).resources as Raw[];
  const changes: string[] = [];
  const nsgs = resources.filter((r) => String(r.type).endsWith(":NetworkSecurityGroup") && (rulesOf(r)?.length ?? 0) > 0);
  const both = (r: Raw, fn: (rules: Raw[]) => void): void => {
    for (const part of ["inputs", "outputs"]) {
      const p = r[part] as Raw | undefined;
      if (p && Array.isArray(p.securityRules)) fn(p.securityRules as Raw[]);
    }
  };
  const allowWithPort = (r: Raw): Raw | undefined => rulesOf(r)?.find((x) => x.access === "Allow" && /^\d+$/.test(String(x.destinationPortRange)));
  const widen = nsgs.find((r) => allowWithPort(r));
  if (widen) {
    const rule = allowWithPort(widen) as Raw;
    const name = rule.name;
    const port = Number(rule.destinationPortRange);
    both(widen, (rules) => rules.filter((x) => x.name === name).forEach((x) => (x.destinationPortRange = `${port}-${Math.min(65535, port + 1000)}`)));
    changes.push(`widened ${String(name)} in ${String(widen.urn).split("::").pop()} to ${port}-${port + 1000}`);
  }
  const remove = nsgs.find((r) => r !== widen && rulesOf(r)?.some((x) => x.access === "Allow"));
  if (remove) {
    const name = (rulesOf(remove) as Raw[]).find((x) => x.access === "Allow")?.name;
    both(remove, (rules) => rules.splice(rules.findIndex((x) => x.name === name), 1));
    changes.push(`removed ${String(name)} from ${String(remove.urn).split("::").pop()}`);
  }
  const table = resources.find((r) => String(r.type).endsWith(":RouteTable") && Array.isArray((r.outputs as Raw | undefined)?.routes));
  if (table) {
    for (const part of ["inputs", "outputs"]) {
      const p = table[part] as Raw | undefined;
      if (p && Array.isArray(p.routes)) (p.routes as Raw[]).push({ name: "bench-added", addressPrefix: "10.250.0.0/24", nextHopType: "None", ...(part === "outputs" ? { id: `${String(p.id)}/routes/bench-added` } : {}) });
    }
    changes.push(`added route 10.250.0.0/24 -> None to ${String(table.urn).split("::").pop()}`);
  }
  return { doc: copy, changes };
}

export function measureDiff(stackExport: string, intents: string, serviceTags: string): DiffFigures {
  // One check of the same plan first, in this process: the yardstick.
  const check = runPipeline({ file: stackExport, intents, serviceTags });
  const checkMs = check.checkMs;
  const before = JSON.parse(fs.readFileSync(stackExport, "utf8")) as Raw;
  const { doc: after, changes } = changedVersion(before);
  const stages: Record<string, number> = {};
  const t0 = now();
  const c0 = process.cpuUsage();
  const step = <T>(name: string, fn: () => T): T => {
    const t = now();
    const out = fn();
    stages[name] = Math.round(now() - t);
    return out;
  };
  const tags = readServiceTagsFile(serviceTags);
  if (!tags.ok) throw new Error(tags.error);
  const envOf = (json: unknown, name: string) => {
    const read = readResourceJson(json, name);
    if (!read.ok) throw new Error(read.error);
    const topology = buildTopology(read.records);
    return { records: read.records, env: engineEnv(topology, tags.catalog) };
  };
  const b = step("before", () => envOf(before, "before"));
  const a = step("after", () => envOf(after, "after"));
  const diff = step("compare", () => diffPlans(b.env, a.env));
  const resources = resourceChanges(b.records, a.records);
  const rows = step("rows", () => diffRows(diff, resources));
  const report = buildDiffReport(diff, rows, resources, { before: "before", after: "after" });
  step("report", () => formatDiffJson(report).length);
  const c = process.cpuUsage(c0);
  const diffMs = now() - t0;
  return {
    checkMs: Math.round(checkMs),
    diffMs: Math.round(diffMs),
    diffCpuMs: Math.round((c.user + c.system) / 1000),
    diffOverCheck: Math.round((diffMs / checkMs) * 100) / 100,
    stages,
    endpoints: diff.endpoints.length,
    pairsEvaluated: diff.pairsEvaluated,
    pairsSkipped: diff.pairsSkipped,
    opened: report.summary.opened,
    closed: report.summary.closed,
    undecided: report.summary.undecided,
    changes,
  };
}
