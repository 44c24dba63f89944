/**
 * A plan file (stack export, deployment, preview) as a JSON document. The file is stat'ed first (a regular file,
 * at most planFileCap() bytes: io/safe-read.ts); up to streamThreshold() it is read as one string and parsed by
 * JSON.parse, as before. A larger one (V8 holds no string over about 512 MB) is streamed (io/stream-json.ts) and
 * the resource states are slimmed as each closes: a state whose type the adapter does not read
 * (readsPropertiesOf) loses its `inputs` and `outputs`, and keeps urn, type, custom, id, parent, dependencies and
 * the rest, so its record still exists and the "not modelled" diagnostics still name it.
 * The streamed document is otherwise JSON.parse's: the readers see the same values (test/resources/stream.test.ts).
 */
import * as fs from "fs";
import { jsonErrorReason } from "../io/json-error";
import { grewPast, openRegularFile, planFileCap, readErrorReason, readRegularFile, refusal, streamThreshold } from "../io/safe-read";
import { parseJsonFd, type CloseHook } from "../io/stream-json";
import { isRawObject } from "./state";

export type PlanJson =
  | { readonly ok: true; readonly json: unknown; readonly streamed: boolean }
  /** The file cannot be read (the error names it). */
  | { readonly ok: false; readonly error: string }
  /** The file is no valid JSON: JSON.parse's reason (position included), without the file's name. */
  | { readonly ok: false; readonly jsonReason: string };

/**
 * Which types' properties the model reads. Only the composition root and the adapters may name an adapter
 * (test/architecture/imports.test.ts), so the azure-native adapter registers its predicate when it is loaded
 * (unmodelled.ts, readsPropertiesOf). Until one is registered every body is kept: nothing is lost, only memory.
 */
let readsProperties: (type: string) => boolean = () => true;

export function registerPropertyReader(reads: (type: string) => boolean): void {
  readsProperties = reads;
}

/** Where resource states sit: `deployment.resources[i]`, `resources[i]`, `steps[i].newState` / `.oldState`. */
function isStatePath(path: readonly (string | number)[]): boolean {
  if (path.length === 2) return path[0] === "resources" && typeof path[1] === "number";
  if (path.length !== 3) return false;
  if (path[0] === "deployment") return path[1] === "resources" && typeof path[2] === "number";
  return path[0] === "steps" && typeof path[1] === "number" && (path[2] === "newState" || path[2] === "oldState");
}

/**
 * Whether a state's body is kept: the adapter reads its type, or it is a component (intents are components) or
 * the stack itself (its outputs are another stack's StackReference values, stacks.ts). A state without a string
 * type is kept whole: the reader says it is malformed.
 */
function keepsBody(state: Record<string, unknown>): boolean {
  const type = state.type;
  if (typeof type !== "string") return true;
  if (state.custom === false || type === "pulumi:pulumi:Stack") return true;
  return readsProperties(type);
}

const slimStates: CloseHook = (value, path) => {
  if (!isStatePath(path) || keepsBody(value)) return;
  delete value.inputs;
  delete value.outputs;
};

/** The same slimming on a document already parsed (tests compare the streamed read with it). */
export function slimDocument(json: unknown): unknown {
  if (!isRawObject(json)) return json;
  const slim = (v: unknown, path: (string | number)[]): void => {
    if (isRawObject(v)) slimStates(v, path);
  };
  const list = (v: unknown, at: string[], then: (item: unknown, path: (string | number)[]) => void): void => {
    if (Array.isArray(v)) v.forEach((item, i) => then(item, [...at, i]));
  };
  if (isRawObject(json.deployment)) list(json.deployment.resources, ["deployment", "resources"], slim);
  list(json.resources, ["resources"], slim);
  list(json.steps, ["steps"], (step, path) => {
    if (!isRawObject(step)) return;
    slim(step.newState, [...path, "newState"]);
    slim(step.oldState, [...path, "oldState"]);
  });
  return json;
}

/** Reads the plan file at `path`: whole up to the stream threshold, streamed and slimmed above it. */
export function readPlanJson(path: string, env: NodeJS.ProcessEnv = process.env): PlanJson {
  const cap = planFileCap(env);
  const opened = openRegularFile(path, { what: "", maxBytes: cap });
  if (!opened.ok) return opened;
  if (opened.size <= streamThreshold(env)) {
    fs.closeSync(opened.fd);
    return parseWhole(path, cap);
  }
  try {
    const read = parseJsonFd(opened.fd, { maxBytes: cap, onClose: slimStates, hookDepth: 3 });
    if (read.ok) return { ok: true, json: read.value, streamed: true };
    if (read.kind === "size") return { ok: false, error: refusal(path, "", grewPast(cap)) };
    return { ok: false, jsonReason: read.reason };
  } catch (e) {
    return { ok: false, error: refusal(path, "", readErrorReason(e)) };
  } finally {
    fs.closeSync(opened.fd);
  }
}

function parseWhole(path: string, cap: number): PlanJson {
  const read = readRegularFile(path, { what: "", maxBytes: cap });
  if (!read.ok) return { ok: false, error: read.error };
  try {
    // A UTF-8 byte order mark is legal in files written by some Windows tools.
    return { ok: true, json: JSON.parse(read.text.replace(/^\uFEFF/, "")) as unknown, streamed: false };
  } catch (e) {
    // The parser's message quotes part of the file: only the reason and position are kept.
    return { ok: false, jsonReason: jsonErrorReason(e) };
  }
}
