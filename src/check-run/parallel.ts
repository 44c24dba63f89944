/**
 * The check classes and the intents of a large plan on worker threads (issue 19 point 6): each worker builds the
 * same env from the same records; the workers and the main thread take tasks from one queue (a check class, or a
 * run of intents); workers send back plain results; the main thread puts them back in the one-thread order (checks
 * in catalogue order, intents in input order), so the report is byte-identical to a run on one thread
 * (test/check-run/parallel.test.ts).
 *
 * The records cross once: v8.serialize into a SharedArrayBuffer that every worker deserializes. Measured at M
 * (17,606 records, 85 MB preview; CPU time, as the 2-core machine was shared): serialize 0.4-0.5 s once +
 * deserialize 0.75 s per worker, against 1.47 s per worker to read and parse the plan again; and only this way
 * works for a program directory, --state and --with-stack (the merged records are what the env is built from).
 */
import { existsSync } from "fs";
import { availableParallelism } from "os";
import { join } from "path";
import { serialize } from "v8";
import { Worker } from "worker_threads";
import type { CheckOptions, Finding } from "../checks/types";
import { checkContext, enabledChecks } from "../checks";
import type { EngineEnv } from "../engine/nsg";
import type { IntentResult } from "../intents/result";
import type { Intent } from "../intents/types";
import type { ResourceRecord } from "../resources/record";
import { runTask, type TaskReply } from "./task";
import type { WorkerPayload, WorkerReply, WorkerTask } from "./worker-protocol";

/** Plans with fewer resources are checked on the main thread: starting workers and building their envs costs more. */
export const WORKER_MIN_RESOURCES = 5_000;
/**
 * Worker threads besides the main thread, which works too. Each holds its own records, topology and env: more than
 * a few would cost memory for little time.
 */
const MAX_AUTO_WORKERS = 3;
const MAX_WORKERS = 64;
export const WORKERS_ENV = "AZURE_REACHABILITY_WORKERS";

export type WorkerCount = { readonly ok: true; readonly workers: number } | { readonly ok: false; readonly error: string };

export interface WorkerChoice {
  /** The front end's option as typed (the CLI's `--workers N`), when given: wins over the environment. */
  readonly option?: string;
  /** How the front end names that option in errors (the CLI: `--workers`). */
  readonly optionName: string;
  /** The value of AZURE_REACHABILITY_WORKERS, when set. */
  readonly env?: string;
  readonly resources: number;
  /** os.availableParallelism(). */
  readonly parallelism: number;
}

function parseCount(text: string, what: string): WorkerCount {
  const t = text.trim();
  if (!/^\d{1,3}$/.test(t) || Number(t) > MAX_WORKERS) return { ok: false, error: `${what} must be auto or a whole number from 0 (no worker threads) to ${MAX_WORKERS}, not "${text}"` };
  return { ok: true, workers: Number(t) };
}

/**
 * How many worker threads besides the main thread: `--workers` or the environment (0: none; `auto`: one per core
 * but the main thread's, for a large plan); none when neither says. Off by default: on the shared 2-core machine
 * (2026-12-03, load 15-30) one worker did not make M faster and raised peak RSS by about 40%, and no quiet-machine
 * figure says otherwise yet.
 */
export function workerCount(choice: WorkerChoice): WorkerCount {
  const given = choice.option !== undefined ? { text: choice.option, what: choice.optionName } : choice.env !== undefined && choice.env.trim() !== "" ? { text: choice.env, what: WORKERS_ENV } : undefined;
  if (given === undefined) return { ok: true, workers: 0 };
  if (given.text.trim().toLowerCase() === "auto") {
    const auto = choice.resources >= WORKER_MIN_RESOURCES && choice.parallelism > 1 ? Math.min(choice.parallelism - 1, MAX_AUTO_WORKERS) : 0;
    return { ok: true, workers: auto };
  }
  return parseCount(given.text, given.what);
}

export function defaultParallelism(): number {
  return availableParallelism();
}

export interface ParallelRun {
  /** The main thread's env (built from `records`): it takes tasks too. */
  readonly env: EngineEnv;
  readonly records: readonly ResourceRecord[];
  readonly serviceTags?: string;
  /** The intents file they came from (workers parse it again), and the intents: that file's, then the records'. */
  readonly intentsFile?: string;
  readonly intents: readonly Intent[];
  readonly hygiene: CheckOptions;
  /** Worker threads besides the main thread (at least 1; 0 is runChecks and runCheck on this thread). */
  readonly workers: number;
  /** false: the main thread only hands out tasks and merges (tests: every answer then crosses a thread). */
  readonly mainThreadWorks?: boolean;
  readonly onIntent?: (name: string) => void;
}

/** The checks' raw findings (catalogue order, before suppressions: finishFindings) and the intents' results. */
export interface ParallelResult {
  readonly found: Finding[];
  readonly results: IntentResult[];
  /** Tasks the worker threads did (the rest the main thread did): how much crossed a thread. */
  readonly workerTasks: number;
}

/**
 * The worker entry next to this file: worker.js when compiled (dist/), else worker.ts through ts-node's
 * transpile-only hook (a dependency), which is how the tests under ts-jest run real threads without a build.
 */
export function workerEntry(dir: string = __dirname): { readonly file: string; readonly typescript: boolean } {
  const js = join(dir, "worker.js");
  if (existsSync(js)) return { file: js, typescript: false };
  return { file: join(dir, "worker.ts"), typescript: true };
}

function startWorker(payload: SharedArrayBuffer): Worker {
  const entry = workerEntry();
  if (!entry.typescript) return new Worker(entry.file, { workerData: { payload } });
  const boot = `require("ts-node").register({ transpileOnly: true, projectSearchDir: ${JSON.stringify(__dirname)} }); require(${JSON.stringify(entry.file)});`;
  return new Worker(boot, { eval: true, workerData: { payload } });
}

/** Intents per task: small enough for the last tasks to even out the workers, large enough to keep messages few. */
export function intentChunks(count: number, workers: number): number[][] {
  const size = Math.max(1, Math.ceil(count / Math.max(1, workers * 8)));
  const chunks: number[][] = [];
  for (let i = 0; i < count; i += size) chunks.push(Array.from({ length: Math.min(size, count - i) }, (_, k) => i + k));
  return chunks;
}

function sharedPayload(payload: WorkerPayload): SharedArrayBuffer {
  const bytes = serialize(payload);
  const shared = new SharedArrayBuffer(bytes.length);
  new Uint8Array(shared).set(bytes);
  return shared;
}

/**
 * Runs the enabled checks and the intents on the main thread (on `run.env`) and `workers` worker threads, all
 * taking tasks from one queue: the main thread starts at once while the workers build their envs. Rejects with the
 * first error's own message (an exception in a check class is a finding, as on one thread; one in an intent, a
 * worker's uncaught error or a worker that exits early rejects), after every worker is stopped: never a hang.
 */
export function runOnWorkers(run: ParallelRun): Promise<ParallelResult> {
  const checks = enabledChecks(run.hygiene);
  const tasks: WorkerTask[] = [
    ...checks.map((c, id): WorkerTask => ({ id, kind: "check", name: c.name })),
    ...intentChunks(run.intents.length, run.workers + 1).map((indices, k): WorkerTask => ({ id: checks.length + k, kind: "intents", indices })),
  ];
  const found: Finding[][] = checks.map(() => []);
  const results: IntentResult[] = new Array<IntentResult>(run.intents.length);
  const routing = run.hygiene.routing;
  const ctx = checkContext(run.env, run.hygiene);
  return new Promise<ParallelResult>((resolve, reject) => {
    const workers: Worker[] = [];
    let next = 0;
    let pending = tasks.length;
    let settled = false;
    let workerTasks = 0;
    const finish = (error: unknown): void => {
      if (settled) return;
      settled = true;
      void Promise.all(workers.map((w) => w.terminate())).then(() => (error !== undefined ? reject(error) : resolve({ found: found.flat(), results, workerTasks })));
    };
    /** Files one task's answer; false when the run is over (done or failed). */
    const record = (reply: TaskReply): boolean => {
      if (reply.type === "findings") found[reply.id] = [...reply.findings];
      else {
        const task = tasks[reply.id];
        if (task.kind !== "intents" || task.indices.length !== reply.results.length) {
          finish(new Error(`worker thread answered task ${reply.id} with ${reply.results.length} results`));
          return false;
        }
        task.indices.forEach((i, k) => (results[i] = reply.results[k]));
      }
      pending -= 1;
      if (pending === 0) finish(undefined);
      return pending > 0;
    };
    const give = (w: Worker): void => {
      if (next < tasks.length) w.postMessage(tasks[next++]);
    };
    const onReply = (w: Worker, reply: WorkerReply): void => {
      if (settled) return;
      if (reply.type === "ready") return give(w);
      if (reply.type === "intent") return run.onIntent?.(reply.name);
      if (reply.type === "error") return finish(new Error(reply.message));
      workerTasks += 1;
      if (record(reply)) give(w);
    };
    if (tasks.length === 0) return finish(undefined);
    const payload = sharedPayload({
      records: run.records,
      intentNames: run.intents.map((i) => i.name),
      hints: run.env.hints,
      ...(run.intentsFile !== undefined ? { intentsFile: run.intentsFile } : {}),
      ...(run.serviceTags !== undefined ? { serviceTags: run.serviceTags } : {}),
      ...(routing ? { routing: { ...(routing.reservedPrefixes ? { reservedPrefixes: routing.reservedPrefixes } : {}), ...(routing.gatewayPrefixes ? { gatewayPrefixes: routing.gatewayPrefixes } : {}) } } : {}),
    });
    const mainWorks = run.mainThreadWorks !== false;
    for (let i = 0; i < Math.max(1, Math.min(run.workers, tasks.length - (mainWorks ? 1 : 0))); i++) {
      const w = startWorker(payload);
      workers.push(w);
      w.on("message", (reply: WorkerReply) => onReply(w, reply));
      w.on("error", (e: unknown) => finish(e instanceof Error ? e : new Error(String(e))));
      w.on("exit", (code) => finish(new Error(`a check worker thread stopped (exit code ${code}) before its work was done`)));
    }
    // The main thread's share: one task at a time, yielding between tasks so that workers' answers are filed and
    // their next tasks sent. Its exceptions are the in-process run's own (same object, same message).
    const mainThread = (): void => {
      if (settled || next >= tasks.length) return;
      const task = tasks[next++];
      try {
        if (record(runTask(ctx, run.intents, task, run.onIntent))) setImmediate(mainThread);
      } catch (e) {
        finish(e);
      }
    };
    if (mainWorks) setImmediate(mainThread);
  });
}
