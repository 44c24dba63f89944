/**
 * `npm run bench`: the whole check (read, topology, intents, checks) on synthetic estates of three sizes, with the
 * figures that say whether it scales.
 *
 *   node dist/bench/run.js [--family adversarial|landing-zone ...] [--size S|M|L ...] [--json] [--input preview|export|both]
 *                          [--pack] [--out DIR] [--regen] [--node-option FLAG ...]
 *
 * Two estate families (docs/bench.md): `adversarial` (bench/estate.ts: every NSG and route table distinct, many
 * rules, ASGs, plural fields) and `landing-zone` (bench/estate-landing-zone.ts: a hub with a firewall, spokes stamped
 * from a few templates, public load balancers, an AVNM baseline). Each is generated and cached per size.
 *
 * Each size is generated in one child process and measured in another (a fresh one per input file), so that the
 * peak RSS reported (process.resourceUsage().maxRSS) is that of one check of one size. Ratios are taken within one
 * run of one process: on a shared, noisy machine they say more than absolute times.
 */
import { fork } from "child_process";
import * as os from "os";
import * as path from "path";
import { compareWithBruteForce, type BruteForceFigures } from "./brute-force";
import { readIntentsFile } from "../src/intents/parse";
import type { Intent } from "../src/intents/types";
import { ensureEstate, SIZES, type EstateCounts, type EstateFiles, type SizeName } from "./estate";
import { ensureLandingZone, LANDING_ZONE_SIZES, type LandingZoneCounts } from "./estate-landing-zone";
import { perCheckCpuMs } from "./per-check";
import type { EngineEnv } from "../src/engine/nsg";
import { measurePack, type PackFigures } from "./pack";
import { freshEnv, gcByStage, gcRecorder, peakRssMb, runPipeline } from "./pipeline";
import { measureVerifyFlow, type VerifyFlowFigures } from "./verify-flow";
import { measureRunner, runnerTable, splitRunnerArgs } from "./runner";
import { measureDiff, type DiffFigures } from "./diff";

type InputKind = "preview" | "export";
export type Family = "adversarial" | "landing-zone";
export const FAMILIES: readonly Family[] = ["adversarial", "landing-zone"];

interface Options {
  readonly families: Family[];
  readonly sizes: SizeName[];
  readonly json: boolean;
  readonly inputs: InputKind[];
  readonly pack: boolean;
  readonly packAll: boolean;
  readonly nodeOptions: string[];
  readonly out: string;
  readonly regen: boolean;
  readonly queries: number;
  readonly brute: boolean;
  readonly perCheck: boolean;
  /** Also measure `diff` at M against one check of the same plan (`--diff`). */
  readonly diff: boolean;
}

/** Figures of one check of one input file of one size (one child process). */
interface Measurement {
  readonly family: Family;
  readonly size: SizeName;
  readonly input: InputKind;
  readonly fileMb: number;
  readonly resources: number;
  readonly nics: number;
  readonly subnets: number;
  readonly nsgs: number;
  readonly rules: number;
  readonly routeTables: number;
  readonly routes: number;
  readonly intents: number;
  readonly readMs: number;
  readonly parseMs: number;
  readonly checkMs: number;
  readonly checkCpuMs: number;
  readonly totalMs: number;
  readonly checkOverParse: number;
  /** GC pauses during the check (every stage after parse, perf_hooks 'gc' entries) and their share of its time. */
  readonly checkGcMs?: number;
  readonly checkGcShare?: number;
  readonly stages: Record<string, { ms: number; cpuMs: number; peakRssMb: number; gcMs?: number }>;
  readonly verdicts: { pass: number; fail: number; indeterminate: number };
  readonly findings: number;
  readonly diagnostics: number;
  readonly peakRssMb: number;
  readonly verifyFlow?: VerifyFlowFigures;
  readonly bruteForce?: BruteForceFigures;
  readonly pack?: PackFigures | { error: string };
  /** CPU time of each check run alone over a fresh environment (bench/per-check.ts), `<id> <name>` -> ms. */
  readonly perCheckCpuMs?: Record<string, number>;
  /** Each pass after the check (its own process): its peak RSS, or the reason it did not finish. */
  readonly passes?: Partial<Record<Pass, PassOutcome>>;
  readonly generated: EstateCounts | LandingZoneCounts;
}

const USAGE = `usage: npm run bench -- [--family F ...] [--size S|M|L ...] [--json] [--input preview|export|both] [--pack] [--out DIR] [--regen]
  --family F        estate family: adversarial or landing-zone (repeatable or comma list; default both)
  --size S,M,L      sizes to run (repeatable or comma list; default S,M,L)
  --json            one JSON line per size instead of a table
  --input KIND      which file to check: preview (a first preview, the default), export (a stack export) or both
  --pack            also time the policy pack's AnalyzeStack round trip at S and M (needs npm run build)
  --pack-all        the same at L too (the request then holds a second copy of a 425 MB plan)
  --node-option F   a V8/Node flag for the measuring processes (e.g. --max-semi-space-size=64); default: none
  --queries N       verify-flow queries to time (default 50000)
  --no-brute        skip the comparison with brute force at S
  --no-per-check    skip the CPU time of each check run alone (a second run of the checks)
  --runner N,N      also run generated programs of about N resources under mocks (default 1000,5000); --no-runner skips
  --runner-only     only the program runner part (npm run bench -- --runner-only [--runner N,N])
  --diff            also time \`diff\` at M (two versions of the estate, a few rules apart) against one check
  --out DIR         where the generated estates live (default ${path.join(os.tmpdir(), "azure-reachability-bench")})
  --regen           regenerate the estates even when they are up to date`;

function parseArgs(argv: readonly string[]): Options {
  const families: Family[] = [];
  const sizes: SizeName[] = [];
  let json = false;
  let inputs: InputKind[] = ["preview"];
  let pack = false;
  let packAll = false;
  const nodeOptions: string[] = [];
  let out = path.join(os.tmpdir(), "azure-reachability-bench");
  let regen = false;
  let queries = 50_000;
  let brute = true;
  let perCheck = true;
  let diff = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    if (a === "--family") {
      for (const f of value().split(",")) {
        const name = f.trim().toLowerCase();
        if (name !== "adversarial" && name !== "landing-zone") throw new Error(`--family must be adversarial or landing-zone, not "${f}"\n${USAGE}`);
        if (!families.includes(name)) families.push(name);
      }
    } else if (a === "--size") {
      for (const s of value().split(",")) {
        const name = s.trim().toUpperCase();
        if (name !== "S" && name !== "M" && name !== "L") throw new Error(`--size must be S, M or L, not "${s}"\n${USAGE}`);
        if (!sizes.includes(name)) sizes.push(name);
      }
    } else if (a === "--json") json = true;
    else if (a === "--pack") pack = true;
    else if (a === "--pack-all") pack = packAll = true;
    else if (a === "--node-option") nodeOptions.push(value());
    else if (a === "--regen") regen = true;
    else if (a === "--no-brute") brute = false;
    else if (a === "--no-per-check") perCheck = false;
    else if (a === "--diff") diff = true;
    else if (a === "--out") out = path.resolve(value());
    else if (a === "--queries") queries = Number(value());
    else if (a === "--input") {
      const v = value();
      if (v === "both") inputs = ["preview", "export"];
      else if (v === "preview" || v === "export") inputs = [v];
      else throw new Error(`--input must be preview, export or both, not "${v}"\n${USAGE}`);
    } else if (a === "--help" || a === "-h") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else throw new Error(`unknown argument "${a}"\n${USAGE}`);
  }
  const order: SizeName[] = ["S", "M", "L"];
  return {
    families: families.length > 0 ? FAMILIES.filter((f) => families.includes(f)) : [...FAMILIES],
    sizes: sizes.length > 0 ? order.filter((s) => sizes.includes(s)) : order,
    json,
    inputs,
    pack,
    packAll,
    nodeOptions,
    out,
    regen,
    queries,
    brute,
    perCheck,
    diff,
  };
}

/** Estates are cached per family and size (a generator version change in either rewrites its own). */
const estateDir = (out: string, family: Family, size: SizeName): string => path.join(out, family, size);

function ensureFamily(family: Family, size: SizeName, dir: string, force = false): EstateFiles<EstateCounts | LandingZoneCounts> {
  return family === "landing-zone" ? ensureLandingZone(LANDING_ZONE_SIZES[size], dir, force) : ensureEstate(SIZES[size], dir, force);
}

// ---- child processes ----------------------------------------------------------------------------------------------

interface MeasureOptions {
  readonly out: string;
  readonly brute: boolean;
}

/** The passes measured after the check, each in a process of its own (see `measurePass`). */
export type Pass = "verify-flow" | "per-check" | "pack";

/** What one pass's process reports besides its figures: its own peak RSS, or why it did not finish. */
export interface PassOutcome {
  readonly peakRssMb?: number;
  readonly error?: string;
}

/** The check of one input file in this process: its stages, GC pauses and peak RSS (and brute force at S). */
async function measure(family: Family, size: SizeName, input: InputKind, opts: MeasureOptions): Promise<Measurement> {
  const files = ensureFamily(family, size, estateDir(opts.out, family, size));
  const gc = gcRecorder();
  const checked = measureCheck(family, size, input, files, opts);
  const { stages: stageWindows, ...rest } = checked;
  const gcFigures = gcByStage(stageWindows, await gc.collect());
  const stages: Measurement["stages"] = {};
  for (const s of stageWindows) stages[s.name] = { ms: round(s.ms), cpuMs: round(s.cpuMs), peakRssMb: s.peakRssMb, gcMs: gcFigures.byStage[s.name] ?? 0 };
  return { ...rest, stages, checkGcMs: gcFigures.checkGcMs, checkGcShare: gcFigures.checkGcShare };
}

function measureCheck(
  family: Family,
  size: SizeName,
  input: InputKind,
  files: EstateFiles<EstateCounts | LandingZoneCounts>,
  opts: { brute: boolean },
): Omit<Measurement, "pack" | "stages"> & { stages: readonly import("./pipeline").Stage[] } {
  const first = checkOnce(family, size, input, files);
  // Peak RSS of the check itself, before the brute-force comparison below allocates anything.
  const checkPeak = peakRssMb();
  const env = first.env as EngineEnv;
  first.env = undefined;
  const bruteForce = input === "preview" && size === "S" && opts.brute ? compareWithBruteForce(env, parsedIntents(files.intents)) : undefined;
  return { ...first.base, peakRssMb: checkPeak, ...(bruteForce ? { bruteForce } : {}) };
}

/**
 * One pass after the check, in a process of its own: verify-flow and per-check over a fresh environment of the same
 * plan (built untimed), the pack's round trip through the fake engine. At L the check's heap and a pass's caches did
 * not fit in V8's default 4 GB heap together (both families ran out, 2026-12-03); apart, each has the whole heap, and
 * a pass that still runs out is reported as such instead of ending the run.
 */
async function measurePass(pass: Pass, family: Family, size: SizeName, input: InputKind, out: string, queries: number): Promise<unknown> {
  const files = ensureFamily(family, size, estateDir(out, family, size));
  const plan = { file: input === "preview" ? files.preview : files.stackExport, serviceTags: files.serviceTags };
  if (pass === "verify-flow") return measureVerifyFlow(freshEnv(plan), queries);
  if (pass === "per-check") return perCheckCpuMs(freshEnv(plan));
  try {
    return await measurePack(files.preview, files.intents, files.serviceTags);
  } catch (e) {
    return { error: (e instanceof Error ? e.message : String(e)).split("\n")[0] };
  }
}

/** The passes a measurement gets: verify-flow on previews, per-check unless turned off, the pack when asked. */
export function passesFor(opts: Pick<Options, "queries" | "perCheck" | "pack" | "packAll">, size: SizeName, input: InputKind): Pass[] {
  const passes: Pass[] = [];
  if (input === "preview" && opts.queries > 0) passes.push("verify-flow");
  if (opts.perCheck) passes.push("per-check");
  if (opts.pack && input === "preview" && (size !== "L" || opts.packAll)) passes.push("pack");
  return passes;
}

/**
 * The V8 flags of a pass's process. The pack pass's process is the fake engine (test/protocol/harness.ts), which
 * stands for the Pulumi CLI, a Go program with no V8 heap limit: it holds the whole plan as gRPC Structs, and at L
 * that did not fit in V8's default 4 GB heap (both families, 2026-12-03). It gets a heap as large as the machine
 * allows unless a `--max-old-space-size` is given; the pack itself runs in the process the harness spawns, with
 * Node's defaults, as the Node language host runs it.
 */
export function passNodeOptions(pass: Pass, nodeOptions: readonly string[], totalMb = Math.floor(os.totalmem() / 2 ** 20)): string[] {
  if (pass !== "pack" || nodeOptions.some((o) => o.startsWith("--max-old-space-size"))) return [...nodeOptions];
  return [...nodeOptions, `--max-old-space-size=${Math.max(4096, Math.floor(totalMb * 0.6))}`];
}

/** Runs each pass in its own child and folds its figures into the check's measurement. */
async function withPasses(m: Measurement, passes: readonly Pass[], out: string, queries: number, nodeOptions: readonly string[]): Promise<Measurement> {
  let merged: Measurement = m;
  const outcomes: Partial<Record<Pass, PassOutcome>> = {};
  for (const pass of passes) {
    try {
      const r = (await child(["--child-pass", pass, m.family, m.size, m.input, out, String(queries)], passNodeOptions(pass, nodeOptions))) as { figures: unknown; peakRssMb: number };
      outcomes[pass] = { peakRssMb: r.peakRssMb };
      if (pass === "verify-flow") merged = { ...merged, verifyFlow: r.figures as VerifyFlowFigures };
      else if (pass === "per-check") merged = { ...merged, perCheckCpuMs: r.figures as Record<string, number> };
      else merged = { ...merged, pack: r.figures as PackFigures | { error: string } };
    } catch (e) {
      outcomes[pass] = { error: e instanceof Error ? e.message : String(e) };
    }
  }
  return { ...merged, passes: outcomes };
}

/** The check itself, and what the measurement keeps of it: its figures and its environment (the rest is garbage). */
function checkOnce(family: Family, size: SizeName, input: InputKind, files: EstateFiles<EstateCounts | LandingZoneCounts>) {
  const run = runPipeline({ file: input === "preview" ? files.preview : files.stackExport, intents: files.intents, serviceTags: files.serviceTags });
  const topo = run.topology;
  const stages = run.stages;
  const summary = run.report.summary;
  const base = {
    family,
    size,
    input,
    fileMb: round(run.bytes / 1e6),
    resources: run.records.length,
    nics: topo.nics.size,
    subnets: topo.subnets.size,
    nsgs: topo.nsgs.size,
    rules: [...topo.nsgs.values()].reduce((acc, n) => acc + n.rules.length, 0),
    routeTables: topo.routeTables.size,
    routes: [...topo.routeTables.values()].reduce((acc, t) => acc + t.routes.length, 0),
    intents: run.report.results.length,
    readMs: round(run.readMs),
    parseMs: round(run.parseMs),
    checkMs: round(run.checkMs),
    checkCpuMs: round(run.checkCpuMs),
    totalMs: round(run.totalMs),
    checkOverParse: round(run.checkMs / run.parseMs, 3),
    stages,
    verdicts: { pass: summary.pass, fail: summary.fail, indeterminate: summary.indeterminate },
    findings: run.report.findings.length,
    diagnostics: run.report.diagnostics.length,
    generated: files.counts,
  };
  return { base, env: run.env as EngineEnv | undefined } as { base: typeof base; env?: EngineEnv };
}

function parsedIntents(intentsFile: string): Intent[] {
  const parsed = readIntentsFile(intentsFile);
  return parsed.ok ? parsed.intents : [];
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function child(args: readonly string[], execArgv: readonly string[] = []): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const c = fork(__filename, [...args], { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv: [...execArgv] });
    let result: unknown;
    c.on("message", (m) => (result = m));
    c.on("error", reject);
    c.on("exit", (code, signal) =>
      code === 0 ? resolve(result) : reject(new Error(`bench child ${args.join(" ")} exited with ${signal !== null ? `signal ${signal}` : `code ${code}`} (its stderr is above)`)),
    );
  });
}

// ---- output -------------------------------------------------------------------------------------------------------

/** Least-squares slope of log(check time) over log(resources). */
function slope(points: ReadonlyArray<{ x: number; y: number }>): number | undefined {
  const p = points.filter((q) => q.x > 0 && q.y > 0).map((q) => ({ x: Math.log(q.x), y: Math.log(q.y) }));
  if (p.length < 2) return undefined;
  const mx = p.reduce((a, q) => a + q.x, 0) / p.length;
  const my = p.reduce((a, q) => a + q.y, 0) / p.length;
  const num = p.reduce((a, q) => a + (q.x - mx) * (q.y - my), 0);
  const den = p.reduce((a, q) => a + (q.x - mx) ** 2, 0);
  return den === 0 ? undefined : num / den;
}

function machine(): Record<string, unknown> {
  return { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "", totalMemGb: round(os.totalmem() / 2 ** 30, 1) };
}

function line(m: Measurement, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    family: m.family,
    size: m.size,
    input: m.input,
    nics: m.nics,
    rules: m.rules,
    routes: m.routes,
    intents: m.intents,
    resources: m.resources,
    subnets: m.subnets,
    nsgs: m.nsgs,
    routeTables: m.routeTables,
    fileMb: m.fileMb,
    readMs: m.readMs,
    parseMs: m.parseMs,
    checkMs: m.checkMs,
    checkCpuMs: m.checkCpuMs,
    totalMs: m.totalMs,
    checkOverParse: m.checkOverParse,
    ...(m.checkGcShare !== undefined ? { checkGcMs: m.checkGcMs, checkGcShare: m.checkGcShare } : {}),
    verifyFlowQps: m.verifyFlow ? Math.round(m.verifyFlow.qps) : null,
    verifyFlowColdQps: m.verifyFlow ? Math.round(m.verifyFlow.coldQps) : null,
    peakRssMb: m.peakRssMb,
    ...(m.bruteForce ? { symbolicSpeedup: round(m.bruteForce.speedup, 0), symbolicSpeedupOneSourcePort: round(m.bruteForce.speedupOneSourcePort, 0) } : {}),
    ...(m.pack && !("error" in m.pack)
      ? {
          packRoundTripMs: round(m.pack.roundTripMs),
          packOverCheck: round(m.pack.roundTripMs / m.checkMs, 2),
          packAnalyzeMs: round(m.pack.analyzeMs),
          packResponseBytes: m.pack.responseBytes,
          packResponseUnderLimit: m.pack.responseBytes < m.pack.responseLimitBytes,
        }
      : {}),
    ...extra,
    stages: m.stages,
    ...(m.perCheckCpuMs ? { perCheckCpuMs: m.perCheckCpuMs } : {}),
    ...(m.passes && Object.keys(m.passes).length > 0 ? { passes: m.passes } : {}),
    verdicts: m.verdicts,
    findings: m.findings,
    diagnostics: m.diagnostics,
    ...(m.verifyFlow ? { verifyFlow: { ...m.verifyFlow, ms: round(m.verifyFlow.ms), qps: Math.round(m.verifyFlow.qps) } } : {}),
    ...(m.bruteForce ? { bruteForce: m.bruteForce } : {}),
    ...(m.pack ? { pack: m.pack } : {}),
    generated: m.generated,
    machine: machine(),
  };
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : " ".repeat(n - s.length) + s;
}

function table(ms: readonly Measurement[], growth: Map<string, number | undefined>, steps: Map<string, Record<string, number>>, nodeOptionsNote = ""): string {
  const cols: Array<[string, (m: Measurement) => string]> = [
    ["family", (m) => m.family],
    ["size", (m) => m.size],
    ["input", (m) => m.input],
    ["NICs", (m) => String(m.nics)],
    ["rules", (m) => String(m.rules)],
    ["routes", (m) => String(m.routes)],
    ["intents", (m) => String(m.intents)],
    ["file MB", (m) => m.fileMb.toFixed(1)],
    ["parse ms", (m) => m.parseMs.toFixed(0)],
    ["check ms", (m) => m.checkMs.toFixed(0)],
    ["check cpu ms", (m) => m.checkCpuMs.toFixed(0)],
    ["check/parse", (m) => m.checkOverParse.toFixed(2)],
    ["records", (m) => (m.stages.records?.ms ?? 0).toFixed(0)],
    ["topology", (m) => (m.stages.topology?.ms ?? 0).toFixed(0)],
    ["checks", (m) => (m.stages.checks?.ms ?? 0).toFixed(0)],
    ["intents ms", (m) => (m.stages.intents?.ms ?? 0).toFixed(0)],
    ["verify qps cold/warm", (m) => (m.verifyFlow ? `${Math.round(m.verifyFlow.coldQps)}/${Math.round(m.verifyFlow.qps)}` : "-")],
    ["peak RSS MB", (m) => String(m.peakRssMb)],
    ["pass/fail/indet", (m) => `${m.verdicts.pass}/${m.verdicts.fail}/${m.verdicts.indeterminate}`],
  ];
  const rows = [cols.map(([h]) => h), ...ms.map((m) => cols.map(([, f]) => f(m)))];
  const widths = cols.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const out = rows.map((r) => r.map((c, i) => pad(c, widths[i])).join("  "));
  out.splice(1, 0, widths.map((w) => "-".repeat(w)).join("  "));
  for (const m of ms) {
    const s = Object.entries(m.stages)
      .map(([k, v]) => `${k} ${v.ms.toFixed(0)} ms (cpu ${v.cpuMs.toFixed(0)}, ${v.peakRssMb} MB)`)
      .join(", ");
    out.push(`${m.family}/${m.size}/${m.input} stages: ${s}`);
    if (m.perCheckCpuMs) {
      const top = Object.entries(m.perCheckCpuMs)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([k, v]) => `${k} ${v.toFixed(0)}`)
        .join(", ");
      out.push(`${m.family}/${m.size}/${m.input} costliest checks (cpu ms, each alone): ${top}; GC ${((m.checkGcShare ?? 0) * 100).toFixed(1)}% of the check`);
    }
    if (m.bruteForce) {
      const b = m.bruteForce;
      out.push(
        `${m.family}/${m.size}/${m.input} symbolic vs brute force: ${b.intents} intents (${b.externalIntents} with a side outside the VNets left out), symbolic ${b.symbolicMs.toFixed(0)} ms; ` +
          `${b.flows} concrete flows at ${b.usPerFlow.toFixed(1)} us each ≈ ${(b.extrapolatedMs / 3.6e6).toExponential(2)} h -> ${b.speedup.toExponential(2)}x ` +
          `(one source port: ${b.flowsOneSourcePort} flows ≈ ${(b.extrapolatedOneSourcePortMs / 1000).toFixed(0)} s -> ${b.speedupOneSourcePort.toFixed(0)}x; ${b.method})`,
      );
    }
    if (m.pack) {
      out.push(
        "error" in m.pack
          ? `${m.family}/${m.size}/${m.input} policy pack: ${m.pack.error}`
          : `${m.family}/${m.size}/${m.input} policy pack: AnalyzeStack round trip ${m.pack.roundTripMs.toFixed(0)} ms (client encoding ${m.pack.encodeMs.toFixed(0)} ms) = ${(m.pack.roundTripMs / m.checkMs).toFixed(2)}x the standalone check; Analyze per resource ${m.pack.analyzeMs.toFixed(0)} ms; boot ${m.pack.bootMs.toFixed(0)} ms; ${m.pack.violations} violations; answer ${(m.pack.responseBytes / 1048576).toFixed(2)} MiB (limit ${(m.pack.responseLimitBytes / 1048576).toFixed(0)} MiB)`,
      );
    }
  }
  for (const [input, g] of growth) {
    if (g === undefined) continue;
    const pairwise = Object.entries(steps.get(input) ?? {})
      .map(([k, v]) => `${k} ${v.toFixed(2)}`)
      .join(", ");
    out.push(`growth exponent of check time over resources (${input}, log-log slope): ${g.toFixed(2)}${pairwise ? ` (${pairwise})` : ""}`);
  }
  const mach = machine();
  out.push(`machine: ${mach.cpus} x ${mach.cpuModel}, ${mach.totalMemGb} GB, node ${mach.node}${nodeOptionsNote}`);
  return out.join("\n");
}

/** A growth series: one family and one input file, over the sizes run. */
const seriesKey = (m: Pick<Measurement, "family" | "input">): string => `${m.family}/${m.input}`;

/**
 * Growth exponents of check time over resources per series: the least-squares slope over every size run, and the
 * slope of each consecutive pair (S->M, M->L) on its own (issue 19: M->L is reported separately).
 */
export function growthOf(results: readonly Pick<Measurement, "family" | "input" | "size" | "resources" | "checkMs">[]): { growth: Map<string, number | undefined>; steps: Map<string, Record<string, number>> } {
  const growth = new Map<string, number | undefined>();
  const steps = new Map<string, Record<string, number>>();
  for (const key of [...new Set(results.map(seriesKey))]) {
    const ms = results.filter((m) => seriesKey(m) === key);
    growth.set(key, slope(ms.map((m) => ({ x: m.resources, y: m.checkMs }))));
    const pairwise: Record<string, number> = {};
    for (let i = 1; i < ms.length; i++) {
      const a = ms[i - 1] as (typeof ms)[number];
      const b = ms[i] as (typeof ms)[number];
      const g = slope([
        { x: a.resources, y: a.checkMs },
        { x: b.resources, y: b.checkMs },
      ]);
      if (g !== undefined) pairwise[`${a.size}->${b.size}`] = round(g, 3);
    }
    steps.set(key, pairwise);
  }
  return { growth, steps };
}

// ---- main ---------------------------------------------------------------------------------------------------------

async function main(argv: readonly string[]): Promise<void> {
  if (argv[0] === "--child-generate") {
    const [, family, size, out, regen] = argv;
    const files = ensureFamily(family as Family, size as SizeName, estateDir(out as string, family as Family, size as SizeName), regen === "1");
    process.send?.(files.counts);
    return;
  }
  if (argv[0] === "--child-measure") {
    const [, family, size, input, out, brute] = argv;
    const m = await measure(family as Family, size as SizeName, input as InputKind, { out: out as string, brute: brute === "1" });
    process.send?.(m);
    return;
  }
  if (argv[0] === "--child-pass") {
    const [, pass, family, size, input, out, queries] = argv;
    const figures = await measurePass(pass as Pass, family as Family, size as SizeName, input as InputKind, out as string, Number(queries));
    process.send?.({ figures, peakRssMb: peakRssMb() });
    return;
  }
  if (argv[0] === "--child-diff") {
    // The diff figures stay on the adversarial family (two versions a few rules apart: bench/diff.ts).
    const files = ensureEstate(SIZES[argv[1] as SizeName], estateDir(argv[2] as string, "adversarial", argv[1] as SizeName));
    process.send?.(measureDiff(files.stackExport, files.intents, files.serviceTags));
    return;
  }
  const { rest, runner } = splitRunnerArgs(argv);
  const opts = parseArgs(rest);
  if (runner.only) {
    const figures = await measureRunner(runner, opts.out, (l) => process.stderr.write(`${l}\n`));
    process.stdout.write(opts.json ? figures.map((f) => `${JSON.stringify({ ...f, machine: machine() })}\n`).join("") : `${runnerTable(figures)}\n`);
    return;
  }
  const results: Measurement[] = [];
  for (const family of opts.families) {
    for (const size of opts.sizes) {
      process.stderr.write(`bench: ${family}/${size}: generating in ${estateDir(opts.out, family, size)}\n`);
      await child(["--child-generate", family, size, opts.out, opts.regen ? "1" : "0"]);
      for (const input of opts.inputs) {
        process.stderr.write(`bench: ${family}/${size}: checking the ${input} file\n`);
        const args = ["--child-measure", family, size, input, opts.out, opts.brute ? "1" : "0"];
        const checked = (await child(args, opts.nodeOptions)) as Measurement;
        const m = await withPasses(checked, passesFor(opts, size, input), opts.out, opts.queries, opts.nodeOptions);
        for (const [pass, o] of Object.entries(m.passes ?? {})) if (o.error) process.stderr.write(`bench: ${family}/${size}/${input}: the ${pass} pass did not finish: ${o.error}\n`);
        results.push(m);
        if (!opts.json) process.stderr.write(`bench: ${family}/${size}/${input}: check ${m.checkMs.toFixed(0)} ms, parse ${m.parseMs.toFixed(0)} ms, peak RSS ${m.peakRssMb} MB\n`);
      }
    }
  }
  const { growth, steps } = growthOf(results);
  const diffs: Array<{ size: SizeName } & DiffFigures> = [];
  if (opts.diff) {
    for (const size of opts.sizes.filter((x) => x === "M")) {
      process.stderr.write(`bench: ${size}: diff of two versions of the stack export\n`);
      diffs.push({ size, ...((await child(["--child-diff", size, opts.out], opts.nodeOptions)) as DiffFigures) });
    }
  }
  // The program runner does not depend on the estate: measured once, attached to every line (and its own lines).
  const runnerFigures = await measureRunner(runner, opts.out, (l) => process.stderr.write(`${l}\n`));
  if (opts.json) {
    for (const d of diffs) process.stdout.write(`${JSON.stringify({ diff: d, machine: machine() })}\n`);
    for (const m of results) {
      const g = growth.get(seriesKey(m));
      const pairwise = steps.get(seriesKey(m)) ?? {};
      const extra = {
        ...(runnerFigures.length > 0 ? { runner: runnerFigures.map((f) => ({ resources: f.resources, ms: f.ms, peakRssMb: f.peakRssMb, ...(f.error ? { error: f.error } : {}) })) } : {}),
        ...(g !== undefined ? { growthExponent: round(g, 3) } : {}),
        ...(Object.keys(pairwise).length > 0 ? { growthExponentSteps: pairwise } : {}),
        ...(opts.nodeOptions.length > 0 ? { nodeOptions: opts.nodeOptions } : {}),
      };
      process.stdout.write(`${JSON.stringify(line(m, extra))}\n`);
    }
  } else {
    process.stdout.write(`${table(results, growth, steps, opts.nodeOptions.length > 0 ? `, node options ${opts.nodeOptions.join(" ")}` : "")}\n`);
    for (const d of diffs) {
      process.stdout.write(
        `${d.size}/export diff: ${d.diffMs} ms (cpu ${d.diffCpuMs}) = ${d.diffOverCheck}x one check of the same plan (${d.checkMs} ms, same process); ` +
          `${d.endpoints} endpoints, ${d.pairsEvaluated} pairs evaluated (${d.pairsSkipped} no change can touch skipped); ${d.opened} opened, ${d.closed} closed, ${d.undecided} undecided rows; ` +
          `stages ${Object.entries(d.stages).map(([k, v]) => `${k} ${v} ms`).join(", ")}; changes: ${d.changes.join("; ")}\n`,
      );
    }
  }
  process.stdout.write(opts.json ? runnerFigures.map((f) => `${JSON.stringify({ ...f, machine: machine() })}\n`).join("") : `${runnerTable(runnerFigures)}\n`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}

export { main as benchMain, parseArgs };
export type { Measurement };
