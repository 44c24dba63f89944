/**
 * One task of a parallel check run (parallel.ts), done the same way on the main thread and in a worker
 * (worker.ts): a check class by name (runOneCheck, as runChecks runs it), or a run of intents by index.
 */
import { findCheck, runOneCheck } from "../checks";
import type { CheckContext } from "../checks/types";
import { evaluateIntent } from "../intents/evaluate";
import type { Intent } from "../intents/types";
import type { WorkerReply, WorkerTask } from "./worker-protocol";

export type TaskReply = Extract<WorkerReply, { type: "findings" | "results" }>;

export function runTask(ctx: CheckContext, intents: readonly Intent[], task: WorkerTask, onIntent?: (name: string) => void): TaskReply {
  if (task.kind === "check") {
    const check = findCheck(task.name);
    if (!check) throw new Error(`no check named ${task.name}`);
    return { type: "findings", id: task.id, findings: runOneCheck(check, ctx) };
  }
  const results = task.indices.map((i) => {
    const result = evaluateIntent(ctx.env, intents[i], {});
    onIntent?.(intents[i].name);
    return result;
  });
  return { type: "results", id: task.id, results };
}
