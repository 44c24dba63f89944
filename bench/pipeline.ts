/**
 * The `check` pipeline as the CLI runs it (src/cli/commands/check.ts and src/cli/input.ts), stage by stage, with a
 * clock and the peak RSS after each stage. Only the order of reading and parsing differs: the file is read and
 * JSON.parse'd here so that parsing is timed on its own; everything after it is the product's own code.
 */
import * as fs from "fs";
import { performance, PerformanceObserver, type PerformanceEntry } from "perf_hooks";
import { reporterFor } from "../src/check-run/reporters";
import { collectIntents, runCheck } from "../src/check-run/run";
import { runChecks } from "../src/checks";
import type { EngineEnv } from "../src/engine/nsg";
import { readServiceTagsFile } from "../src/resources/service-tags-file";
import { composeStack } from "../src/providers/compose";
import { readIntentsFile } from "../src/intents/parse";
import type { Topology } from "../src/model/topology";
import type { CheckReport } from "../src/report/types";
import { readResourceJson } from "../src/resources/detect";
import type { ResourceRecord } from "../src/resources/record";
import { CLI_HINTS } from "../src/cli/input-hints";

export interface Stage {
  readonly name: string;
  readonly ms: number;
  /** CPU time of the process during the stage (user + system): less sensitive than wall time to a busy machine. */
  readonly cpuMs: number;
  /** Peak resident set size of the process so far (MB), read after the stage. */
  readonly peakRssMb: number;
  /** The stage's window on the performance timeline (perf_hooks performance.now()), to attribute GC pauses. */
  readonly start: number;
  readonly end: number;
}

export interface PipelineRun {
  readonly file: string;
  readonly bytes: number;
  readonly stages: readonly Stage[];
  /** File read (fs.readFileSync) and JSON.parse: the cost of merely looking at the plan. */
  readonly readMs: number;
  readonly parseMs: number;
  /** Everything after JSON.parse: records, topology, checks, intents, report. */
  readonly checkMs: number;
  /** CPU time of the same part. */
  readonly checkCpuMs: number;
  readonly totalMs: number;
  readonly records: readonly ResourceRecord[];
  readonly topology: Topology;
  readonly env: EngineEnv;
  readonly report: CheckReport;
}

export function peakRssMb(): number {
  // maxRSS is in kilobytes.
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Runs `fn`, records its wall time and the peak RSS after it. */
function timed<T>(stages: Stage[], name: string, fn: () => T): T {
  const t0 = now();
  const start = performance.now();
  const c0 = process.cpuUsage();
  const out = fn();
  const c = process.cpuUsage(c0);
  stages.push({ name, ms: now() - t0, cpuMs: (c.user + c.system) / 1000, peakRssMb: peakRssMb(), start, end: performance.now() });
  return out;
}

export interface PipelineInput {
  readonly file: string;
  readonly intents: string;
  readonly serviceTags: string;
}

function must<T extends { ok: boolean }>(r: T, what: string): Extract<T, { ok: true }> {
  if (!r.ok) throw new Error(`${what}: ${JSON.stringify(r).slice(0, 300)}`);
  return r as Extract<T, { ok: true }>;
}

export function runPipeline(input: PipelineInput): PipelineRun {
  const stages: Stage[] = [];
  // As in the CLI (readResourceFile), the file's text and its parsed JSON are garbage once the records exist:
  // nothing here keeps them alive through the check (they would inflate the heap the collector walks, and RSS).
  let text: string | undefined = timed(stages, "read", () => fs.readFileSync(input.file, "utf8"));
  const bytes = Buffer.byteLength(text);
  let json: unknown = timed(stages, "parse", () => JSON.parse(text as string) as unknown);
  text = undefined;
  // Stage names follow the pipeline of design.md: resources -> adapter -> checks and intents -> report.
  const read = timed(stages, "records", () => must(readResourceJson(json, input.file), "reading the plan"));
  json = undefined;
  const { topology, env, diagnostics } = timed(stages, "topology", () => {
    const tags = must(readServiceTagsFile(input.serviceTags), "reading the service tags");
    const { topology, env, modelDiagnostics, tagDiagnostics } = composeStack(read.records, tags.catalog, CLI_HINTS);
    const diagnostics = [...read.diagnostics, ...modelDiagnostics, ...tagDiagnostics];
    return { topology, env, diagnostics };
  });
  const collected = timed(stages, "intents-parse", () => {
    const parsed = readIntentsFile(input.intents);
    if (!parsed.ok) throw new Error(`intents: ${parsed.errors.slice(0, 3).join("; ")}`);
    const c = collectIntents(parsed.intents, input.intents, read.records);
    if (c.errors.length > 0) throw new Error(`intents: ${c.errors.slice(0, 3).join("; ")}`);
    return c;
  });
  // The CLI runs the hygiene checks first, then the intents (src/cli/commands/check.ts).
  const findings = timed(stages, "checks", () => runChecks(env));
  const report = timed(stages, "intents", () =>
    runCheck({ env, intents: collected.intents, intentSources: collected.sources, input: input.file, diagnostics, findings }),
  );
  timed(stages, "report", () => (reporterFor("json") as (r: CheckReport) => string)(report).length);
  const ms = (name: string): number => stages.find((s) => s.name === name)?.ms ?? 0;
  const readMs = ms("read");
  const parseMs = ms("parse");
  const totalMs = stages.reduce((acc, s) => acc + s.ms, 0);
  const checkCpuMs = stages.filter((s) => s.name !== "read" && s.name !== "parse").reduce((acc, s) => acc + s.cpuMs, 0);
  return { file: input.file, bytes, stages, readMs, parseMs, checkMs: totalMs - readMs - parseMs, checkCpuMs, totalMs, records: read.records, topology, env, report };
}

/**
 * A fresh engine environment of one plan, built the way runPipeline builds it but untimed: the bench's later passes
 * (verify-flow, per-check) each run in a process of their own and start from this (bench/run.ts).
 */
export function freshEnv(input: { readonly file: string; readonly serviceTags: string }): EngineEnv {
  let json: unknown = JSON.parse(fs.readFileSync(input.file, "utf8")) as unknown;
  const read = must(readResourceJson(json, input.file), "reading the plan");
  json = undefined;
  const tags = must(readServiceTagsFile(input.serviceTags), "reading the service tags");
  return composeStack(read.records, tags.catalog, CLI_HINTS).env;
}

/**
 * GC pauses (perf_hooks 'gc' entries) recorded from `start()` on. Node delivers them asynchronously: `collect()`
 * waits for the queued entries, then returns each GC pause's start and duration.
 */
export function gcRecorder(): { collect(): Promise<Array<{ start: number; ms: number }>> } {
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => entries.push(...list.getEntries()));
  observer.observe({ entryTypes: ["gc"] });
  return {
    async collect() {
      for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
      observer.disconnect();
      return entries.map((e) => ({ start: e.startTime, ms: e.duration }));
    },
  };
}

/** GC time inside each stage's window, and the share of the check (every stage after parse) spent in GC. */
export function gcByStage(stages: readonly Stage[], pauses: ReadonlyArray<{ start: number; ms: number }>): { byStage: Record<string, number>; checkGcMs: number; checkGcShare: number } {
  const byStage: Record<string, number> = {};
  let checkGcMs = 0;
  let checkMs = 0;
  for (const s of stages) {
    const ms = pauses.filter((p) => p.start >= s.start && p.start < s.end).reduce((a, p) => a + p.ms, 0);
    byStage[s.name] = Math.round(ms * 10) / 10;
    if (s.name !== "read" && s.name !== "parse") {
      checkGcMs += ms;
      checkMs += s.end - s.start;
    }
  }
  return { byStage, checkGcMs: Math.round(checkGcMs * 10) / 10, checkGcShare: checkMs > 0 ? Math.round((checkGcMs / checkMs) * 1000) / 1000 : 0 };
}
