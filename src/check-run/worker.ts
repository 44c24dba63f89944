/**
 * A check worker thread (started by parallel.ts): builds the env from the records exactly as the main thread did
 * (composeStack) and the same intents, then runs the tasks it is sent, one at a time (task.ts), and posts their
 * results back as plain data.
 */
import { deserialize } from "v8";
import { parentPort, workerData } from "worker_threads";
import { EMPTY_CATALOG } from "../azure/service-tags";
import { readServiceTagsFile } from "../resources/service-tags-file";
import { checkContext } from "../checks";
import { parseIntentDocument, readConfigDocument } from "../intents/parse";
import type { Intent } from "../intents/types";
import { composeStack } from "../providers/compose";
import type { ResourceRecord } from "../resources/record";
import { collectIntents } from "./run";
import { runTask } from "./task";
import type { WorkerData, WorkerPayload, WorkerReply, WorkerTask } from "./worker-protocol";

function post(reply: WorkerReply): void {
  parentPort?.postMessage(reply);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The intents as the CLI collects them (commands/check.ts: the file, then the components in the records). */
function intentsOf(file: string | undefined, records: readonly ResourceRecord[], expected: readonly string[]): readonly Intent[] {
  let configured: Intent[] = [];
  if (file !== undefined) {
    const doc = readConfigDocument(file);
    if (!doc.ok) throw new Error(doc.error);
    const parsed = parseIntentDocument(doc.doc, file);
    if (!parsed.ok) throw new Error(parsed.errors.join("; "));
    configured = parsed.intents;
  }
  const intents = collectIntents(configured, file, records).intents;
  // The file may have changed since the main thread read it: results for other intents must never be merged.
  if (intents.length !== expected.length || intents.some((i, k) => i.name !== expected[k])) throw new Error(`${file ?? "the plan"}: the intents changed while they were checked`);
  return intents;
}

function start(): void {
  const port = parentPort;
  if (!port) throw new Error("src/check-run/worker.ts runs only as a worker thread");
  const payload = deserialize(Buffer.from((workerData as WorkerData).payload)) as WorkerPayload;
  const tags = payload.serviceTags === undefined ? undefined : readServiceTagsFile(payload.serviceTags);
  // The main thread read the same file a moment ago; a failure now (the file changed) must not pass silently.
  if (tags !== undefined && !tags.ok) throw new Error(tags.error);
  const env = composeStack(payload.records, tags?.catalog ?? EMPTY_CATALOG, payload.hints).env;
  const intents = intentsOf(payload.intentsFile, payload.records, payload.intentNames);
  const ctx = checkContext(env, payload.routing ? { routing: payload.routing } : {});
  port.on("message", (task: WorkerTask) => {
    try {
      post(runTask(ctx, intents, task, (name) => post({ type: "intent", name })));
    } catch (e) {
      post({ type: "error", message: message(e) });
    }
  });
  post({ type: "ready" });
}

start();
