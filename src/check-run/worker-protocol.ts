/**
 * The messages between the main thread and the check worker threads (parallel.ts <-> worker.ts). Everything crosses
 * the thread boundary by the structured clone algorithm, so it is plain data: no class instances, no functions.
 */
import type { RoutingOptions } from "../engine/effective-routes";
import type { InputHints } from "../model/input-hints";
import type { Finding } from "../checks/types";
import type { IntentResult } from "../intents/result";
import type { ResourceRecord } from "../resources/record";

/**
 * What every worker needs to build the same env and intents as the main thread: the records (after --state and
 * --with-stack were applied), the Service Tags file (re-read: a catalog is functions, not data), the intents file
 * (re-parsed: intents hold set objects, which a structured clone strips of their methods) with the names the main
 * thread found (checked), and the routing options and input hints of the checks. Serialized once (v8.serialize) into a
 * SharedArrayBuffer that all workers read.
 */
export interface WorkerPayload {
  readonly records: readonly ResourceRecord[];
  readonly serviceTags?: string;
  readonly intentsFile?: string;
  readonly intentNames: readonly string[];
  readonly routing?: RoutingOptions;
  /** The main thread's input hints (plain strings), so that the workers' notes read as the main thread's. */
  readonly hints: InputHints;
}

export interface WorkerData {
  readonly payload: SharedArrayBuffer;
}

/** One unit of work: a check class by name, or a run of intents by index into the payload's intents. */
export type WorkerTask = { readonly id: number; readonly kind: "check"; readonly name: string } | { readonly id: number; readonly kind: "intents"; readonly indices: readonly number[] };

export type WorkerReply =
  | { readonly type: "ready" }
  | { readonly type: "intent"; readonly name: string }
  | { readonly type: "findings"; readonly id: number; readonly findings: readonly Finding[] }
  | { readonly type: "results"; readonly id: number; readonly results: readonly IntentResult[] }
  /** An exception the in-process run would have let through: the same message reaches the user. */
  | { readonly type: "error"; readonly message: string };
