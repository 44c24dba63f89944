/**
 * Worker threads (src/check-run/parallel.ts) give the same report as one thread, byte for byte, and their errors
 * the same message. Under ts-jest there is no compiled worker.js next to parallel.ts, so these tests start real
 * threads that run worker.ts through ts-node's transpile-only hook (workerEntry); the last test runs the compiled
 * CLI in dist/ with --workers 2 vs 0 when a build is there, and says in its name when it is not.
 */
import { spawnSync } from "child_process";
import { existsSync, readdirSync, writeFileSync } from "fs";
import { join } from "path";
import { ensureEstate, SIZES } from "../../bench/estate";
import { intentChunks, runOnWorkers, workerCount, workerEntry, WORKER_MIN_RESOURCES } from "../../src/check-run/parallel";
import { hygieneConfigFromDocument } from "../../src/check-run/hygiene-config";
import { collectIntents, runCheck } from "../../src/check-run/run";
import { formatCheckJson } from "../../src/report/check-json";
import { finishFindings, runChecks } from "../../src/checks";
import type { CheckOptions } from "../../src/checks/types";
import { loadInput } from "../../src/cli/input";
import { parseIntentDocument, readConfigDocument } from "../../src/intents/parse";
import type { Intent } from "../../src/intents/types";
import { tempDir } from "../helpers/temp-dir";

const ROOT = join(__dirname, "../..");
const TIMEOUT = 240_000;

interface Case {
  readonly input: string;
  readonly intentsFile: string;
  readonly serviceTags?: string;
}

/** The CLI's reading of an intents file (commands/check.ts readConfigured): intents and the hygiene options. */
function configured(file: string): { intents: Intent[]; hygiene: CheckOptions } {
  const doc = readConfigDocument(file);
  if (!doc.ok) throw new Error(doc.error);
  const parsed = parseIntentDocument(doc.doc, file);
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  const hygiene = hygieneConfigFromDocument(doc.doc);
  if (!hygiene.ok) throw new Error(hygiene.errors.join("; "));
  return { intents: parsed.intents, hygiene: hygiene.options };
}

/** The check JSON of one case, on one thread (workers 0) or on `workers` threads. */
async function checkJson(c: Case, workers: number, mainThreadWorks = false): Promise<string> {
  const loaded = await loadInput(c.input, c.serviceTags ? { serviceTags: c.serviceTags } : {});
  const conf = configured(c.intentsFile);
  const collected = collectIntents(conf.intents, c.intentsFile, loaded.records);
  const base = { env: loaded.env, intents: collected.intents, intentSources: collected.sources, input: c.input, diagnostics: loaded.diagnostics };
  if (workers === 0) return formatCheckJson(runCheck({ ...base, findings: runChecks(loaded.env, conf.hygiene) }));
  const out = await runOnWorkers({
    env: loaded.env,
    records: loaded.records,
    ...(c.serviceTags ? { serviceTags: c.serviceTags } : {}),
    intentsFile: c.intentsFile,
    intents: collected.intents,
    hygiene: conf.hygiene,
    workers,
    mainThreadWorks,
  });
  // Without the main thread's share every task is a worker's: the comparison is of answers that crossed a thread.
  if (!mainThreadWorks) expect(out.workerTasks).toBeGreaterThan(collected.intents.length > 0 ? 1 : 0);
  return formatCheckJson(runCheck({ ...base, findings: finishFindings(loaded.env, out.found, conf.hygiene), results: out.results }));
}

const EXAMPLES = readdirSync(join(ROOT, "examples"), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(ROOT, "examples", d.name, "intents.json")))
  .map((d) => d.name);

describe("worker count", () => {
  const auto = { resources: WORKER_MIN_RESOURCES, parallelism: 2, optionName: "--workers" };
  test("forced by --workers over the environment, by the environment over the plan size", () => {
    expect(workerCount({ ...auto, option: "0", env: "3" })).toEqual({ ok: true, workers: 0 });
    expect(workerCount({ ...auto, env: "3" })).toEqual({ ok: true, workers: 3 });
    expect(workerCount({ resources: 10, parallelism: 1, option: "2", optionName: "--workers" })).toEqual({ ok: true, workers: 2 });
  });
  test("off unless asked, whatever the plan's size", () => {
    expect(workerCount(auto)).toEqual({ ok: true, workers: 0 });
    expect(workerCount({ ...auto, env: "" })).toEqual({ ok: true, workers: 0 });
  });
  test("auto: only for large plans and more than one core, one per core but the main thread's, at most 3", () => {
    const asked = { ...auto, option: "auto" };
    expect(workerCount(asked)).toEqual({ ok: true, workers: 1 });
    expect(workerCount({ ...auto, env: "AUTO" })).toEqual({ ok: true, workers: 1 });
    expect(workerCount({ ...asked, resources: WORKER_MIN_RESOURCES - 1 })).toEqual({ ok: true, workers: 0 });
    expect(workerCount({ ...asked, parallelism: 1 })).toEqual({ ok: true, workers: 0 });
    expect(workerCount({ ...asked, parallelism: 16 })).toEqual({ ok: true, workers: 3 });
  });
  test.each(["-1", "two", "1.5", "65", "1e3"])("%p is refused with one line", (bad) => {
    expect(workerCount({ ...auto, option: bad })).toEqual({ ok: false, error: `--workers must be auto or a whole number from 0 (no worker threads) to 64, not "${bad}"` });
    expect(workerCount({ ...auto, env: bad })).toEqual({ ok: false, error: `AZURE_REACHABILITY_WORKERS must be auto or a whole number from 0 (no worker threads) to 64, not "${bad}"` });
  });
});

test("intent chunks cover every intent once, in order", () => {
  for (const [count, workers] of [[0, 2], [1, 2], [7, 2], [500, 2], [33, 3]]) {
    const chunks = intentChunks(count, workers);
    expect(chunks.flat()).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(chunks.every((c) => c.length > 0)).toBe(true);
  }
});

test("under ts-jest the worker is the TypeScript source (there is no worker.js next to parallel.ts)", () => {
  expect(workerEntry()).toEqual({ file: join(ROOT, "src/check-run/worker.ts"), typescript: true });
  expect(workerEntry(join(ROOT, "test/check-run"))).toEqual({ file: join(ROOT, "test/check-run/worker.ts"), typescript: true });
});

describe("byte-identical check JSON, 2 worker threads vs none", () => {
  test("the examples are found (the cases below are not vacuous)", () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(7);
  });

  // Each case starts two threads that transpile the source tree (ts-node): the previews only, to keep this file
  // to minutes on a shared 2-core machine; the stack exports of the same examples check the same networks.
  test.each(EXAMPLES)(
    "examples/%s/preview.json, every task on a worker",
    async (example) => {
      const c = { input: join(ROOT, "examples", example, "preview.json"), intentsFile: join(ROOT, "examples", example, "intents.json") };
      const one = await checkJson(c, 0);
      expect(await checkJson(c, 2)).toBe(one);
    },
    TIMEOUT,
  );

  test(
    "a generated bench S estate (preview, with its service tags), every task on a worker and with the main thread's share",
    async () => {
      const dir = tempDir("ar-workers-");
      const files = ensureEstate(SIZES.S, dir);
      const c = { input: files.preview, intentsFile: files.intents, serviceTags: files.serviceTags };
      const one = await checkJson(c, 0);
      expect(JSON.parse(one).results.length).toBe(SIZES.S.intents);
      expect(JSON.parse(one).findings.length).toBeGreaterThan(0);
      expect(await checkJson(c, 2)).toBe(one);
      expect(await checkJson(c, 2, true)).toBe(one);
    },
    TIMEOUT,
  );
});

// With the main thread's share a worker that fails to start may be overtaken (the main thread does every task, and
// the run's answer is right); without it, the worker's error is the run's.
describe("errors in a worker", () => {
  test(
    "a worker that cannot read the intents file rejects with the message the main thread gives for it, and stops",
    async () => {
      const dir = tempDir("ar-workers-");
      const ex = join(ROOT, "examples", "three-tier");
      const loaded = await loadInput(join(ex, "preview.json"), {});
      const conf = configured(join(ex, "intents.json"));
      const gone = join(dir, "intents.json");
      const inProcess = readConfigDocument(gone);
      expect(inProcess.ok).toBe(false);
      const run = runOnWorkers({ env: loaded.env, records: loaded.records, intentsFile: gone, intents: conf.intents, hygiene: {}, workers: 2, mainThreadWorks: false });
      await expect(run).rejects.toThrow(inProcess.ok ? "" : inProcess.error);
    },
    TIMEOUT,
  );

  test(
    "intents that changed since the main thread read them are refused, never merged",
    async () => {
      const dir = tempDir("ar-workers-");
      const ex = join(ROOT, "examples", "three-tier");
      const loaded = await loadInput(join(ex, "preview.json"), {});
      const conf = configured(join(ex, "intents.json"));
      const other = join(dir, "intents.json");
      writeFileSync(other, JSON.stringify({ intents: [] }));
      const run = runOnWorkers({ env: loaded.env, records: loaded.records, intentsFile: other, intents: conf.intents, hygiene: {}, workers: 1, mainThreadWorks: false });
      await expect(run).rejects.toThrow(`${other}: the intents changed while they were checked`);
    },
    TIMEOUT,
  );
});

const CLI = join(ROOT, "dist/src/cli/main.js");
const BUILT = existsSync(CLI) && existsSync(join(ROOT, "dist/src/check-run/worker.js"));

(BUILT ? test : test.skip)(
  BUILT ? "the compiled CLI (dist/): check --workers 2 and --workers 0 print the same JSON" : "the compiled CLI (skipped: no dist/ build here; run `npm run build` first)",
  () => {
    const ex = join(ROOT, "examples", "hub-and-spoke-firewall");
    // Exit 1 is a verdict (a mandatory intent fails), not an error: the output is what is compared.
    const run = (workers: string): string => {
      const r = spawnSync(process.execPath, [CLI, "check", join(ex, "preview.json"), "--intents", join(ex, "intents.json"), "--format", "json", "--workers", workers], { encoding: "utf8" });
      expect(r.status === 0 || r.status === 1).toBe(true);
      return r.stdout;
    };
    const one = run("0");
    expect(JSON.parse(one).results.length).toBeGreaterThan(0);
    expect(run("2")).toBe(one);
  },
  TIMEOUT,
);
