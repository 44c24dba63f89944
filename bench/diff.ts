/**
 * `npm run bench -- --diff`: the cost of `diff` at a size, against the cost of one check of the same plan, measured
 * in one process (ratios within one run). The second version of the estate is the stack export with a few rules
 * changed, as a pull request changes them (changedVersion: a deny's port range widened, a deny removed, a user
 * route to None added), in `inputs` and `outputs` alike; the figures say how many flows each side opens and closes.
 */
import * as fs from "fs";
import { composeTopology as buildTopology } from "../src/providers/compose";
import { engineEnv } from "../src/engine/nsg";
import { readServiceTagsFile } from "../src/resources/service-tags-file";
import { diffPlans } from "../src/diff/compute";
import { buildDiffReport } from "../src/diff/report";
import { resourceChanges } from "../src/diff/resources";
import { diffRows } from "../src/diff/rows";
import { formatDiffJson } from "../src/report/diff-json";
import { readResourceJson } from "../src/resources/detect";
import { now, runPipeline } from "./pipeline";
import { CLI_HINTS } from "../src/cli/input-hints";

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

/** A spoke's NSG or route table (the hub's serve the appliances: a change there makes every pair count). */
const inSpoke = (r: Raw): boolean => /::spoke\d+-/.test(String(r.urn));
const shortName = (r: Raw): string => String(r.urn).split("::").pop() ?? "";

/**
 * The second version: a few changes to the first that really change what is delivered, described for the figures.
 * (Widening or removing an *allow* of this estate changes nothing: the default rules AllowVnetInBound and
 * AllowInternetOutBound already allow what its allows allow, and nothing enters from the Internet. So the port
 * range widened and the rule removed are outbound denies, and the route added drops a prefix that holds NICs.)
 * - one rule's port range widened: `deny-smtp-out` of one spoke NSG from 25 to 25-125 (closes TCP 26-125 to the
 *   Internet from its subnet);
 * - one rule removed: `deny-smtp-out` of another spoke NSG (opens SMTP to the Internet from its subnet);
 * - one route added: a spoke route table sends another spoke's subnet 10.<k>.0.0/25 to None (closes it).
 */
export function changedVersion(doc: Raw): { doc: Raw; changes: string[] } {
  const copy = JSON.parse(JSON.stringify(doc)) as Raw;
  const resources = (copy.deployment as Raw).resources as Raw[];
  const changes: string[] = [];
  const both = (r: Raw, key: string, fn: (items: Raw[]) => void): void => {
    for (const part of ["inputs", "outputs"]) {
      const p = r[part] as Raw | undefined;
      if (p && Array.isArray(p[key])) fn(p[key] as Raw[]);
    }
  };
  const smtp = (r: Raw): Raw | undefined => rulesOf(r)?.find((x) => String(x.name).endsWith("deny-smtp-out") && Array.isArray(x.destinationPortRanges));
  // Subnets whose Internet traffic goes through the hub meet the hub's own deny-smtp-out there: the NSGs changed
  // are those of subnets that go out directly (their route table has no 0.0.0.0/0 to an appliance).
  const lastSegment = (id: unknown): string => String(id ?? "").split("/").pop() ?? "";
  const viaHub = new Set(
    resources
      .filter((r) => String(r.type).endsWith(":RouteTable") && ((r.outputs as Raw | undefined)?.routes as Raw[] | undefined)?.some((x) => x.addressPrefix === "0.0.0.0/0"))
      .map((r) => String((r.outputs as Raw).name ?? lastSegment((r.outputs as Raw).id))),
  );
  const subnets: Raw[] = resources.flatMap((r) =>
    String(r.type).endsWith(":Subnet") ? [r.outputs as Raw] : String(r.type).endsWith(":VirtualNetwork") ? (((r.outputs as Raw | undefined)?.subnets as Raw[] | undefined) ?? []) : [],
  );
  const direct = new Set<string>();
  const throughHub = new Set<string>();
  for (const sn of subnets) {
    const nsg = lastSegment((sn.networkSecurityGroup as Raw | undefined)?.id);
    if (nsg === "") continue;
    (viaHub.has(lastSegment((sn.routeTable as Raw | undefined)?.id)) ? throughHub : direct).add(nsg);
  }
  const nsgs = resources.filter((r) => {
    const name = String((r.outputs as Raw | undefined)?.name ?? "");
    return String(r.type).endsWith(":NetworkSecurityGroup") && inSpoke(r) && smtp(r) !== undefined && direct.has(name) && !throughHub.has(name);
  });
  const [widen, remove] = nsgs;
  if (widen) {
    const name = (smtp(widen) as Raw).name;
    both(widen, "securityRules", (rules) => rules.filter((x) => x.name === name).forEach((x) => (x.destinationPortRanges = (x.destinationPortRanges as string[]).map((p) => (p === "25" ? "25-125" : p)))));
    changes.push(`widened ${String(name)} in ${shortName(widen)} from 25 to 25-125`);
  }
  if (remove) {
    const name = (smtp(remove) as Raw).name;
    both(remove, "securityRules", (rules) => rules.splice(rules.findIndex((x) => x.name === name), 1));
    changes.push(`removed ${String(name)} from ${shortName(remove)}`);
  }
  const table = resources.find((r) => String(r.type).endsWith(":RouteTable") && inSpoke(r) && Array.isArray((r.outputs as Raw | undefined)?.routes));
  if (table) {
    const spoke = Number(/::spoke(\d+)-/.exec(String(table.urn))?.[1] ?? 1);
    const prefix = `10.${spoke + 1}.0.0/25`;
    for (const part of ["inputs", "outputs"]) {
      const p = table[part] as Raw | undefined;
      if (p && Array.isArray(p.routes)) (p.routes as Raw[]).push({ name: "bench-added", addressPrefix: prefix, nextHopType: "None", ...(part === "outputs" ? { id: `${String(p.id)}/routes/bench-added` } : {}) });
    }
    changes.push(`added route ${prefix} -> None to ${shortName(table)}`);
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
    return { records: read.records, env: engineEnv(topology, tags.catalog, CLI_HINTS) };
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
