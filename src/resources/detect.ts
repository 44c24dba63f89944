/**
 * Reads a file the user hands the CLI and picks the reader from its content, not its name.
 * Never throws: every problem with user input is a one-line error naming the file.
 */
import { jsonErrorReason } from "../io/json-error";
import { escapeText } from "../io/quote";
import { readPlanJson } from "./plan-file";
import type { InputHints } from "../model/input-hints";
import { readPreview, type PreviewBase } from "./preview";
import { readDeployment, readStackExport } from "./stack-export";
import { isRawObject, type ReadResult } from "./state";

export type { ReadResult } from "./state";

export interface ReadOptions {
  /** The current stack (a stack export's records) that a preview's steps apply to: `--state FILE`. */
  readonly state?: PreviewBase;
  /** How the front end's user gives what a reader finds missing (the current stack): src/model/input-hints.ts. */
  readonly hints?: InputHints;
}

/**
 * Only a regular file (after symlinks), at most planFileCap() bytes: a FIFO, a device or a socket is refused
 * before it is read, so nothing hangs or fills memory. Files over streamThreshold() are streamed (plan-file.ts).
 */
export function readResourceFile(path: string, options: ReadOptions = {}): ReadResult {
  const read = readPlanJson(path);
  const origin = escapeText(path, 240);
  if (!read.ok) return { ok: false, error: "error" in read ? read.error : `${origin} is not valid JSON: ${read.jsonReason}` };
  return readResourceJson(read.json, origin, options);
}

/** Same as readResourceFile, for text already in hand (stdin, tests). `origin` names it in messages. */
export function readResourceText(text: string, origin: string, options: ReadOptions = {}): ReadResult {
  let json: unknown;
  try {
    // A UTF-8 byte order mark is legal in files written by some Windows tools.
    json = JSON.parse(text.replace(/^\uFEFF/, "")) as unknown;
  } catch (e) {
    // The parser's message quotes part of the file: only the reason and position are kept.
    return { ok: false, error: `${origin} is not valid JSON: ${jsonErrorReason(e)}` };
  }
  return readResourceJson(json, origin, options);
}

export type ResourceFileFormat = "stack-export" | "deployment" | "preview";

/** Which reader applies, from the top-level keys. */
export function detectFormat(json: unknown): ResourceFileFormat | undefined {
  if (!isRawObject(json)) return undefined;
  if (isRawObject(json.deployment)) return "stack-export";
  if (Array.isArray(json.steps)) return "preview";
  if (Array.isArray(json.resources)) return "deployment";
  return undefined;
}

export function readResourceJson(json: unknown, origin: string, options: ReadOptions = {}): ReadResult {
  try {
    const format = detectFormat(json);
    const read = readAs(format, json, origin, options);
    return read.ok && format !== undefined ? { ...read, format } : read;
  } catch (e) {
    // Readers do not throw on data; this guards against the unforeseen (e.g. absurdly deep nesting).
    return { ok: false, error: `${origin} could not be read: ${e instanceof RangeError ? "it is nested too deeply" : oneLine(e instanceof Error ? e.message : String(e))}` };
  }
}

function readAs(format: ResourceFileFormat | undefined, json: unknown, origin: string, options: ReadOptions): ReadResult {
  switch (format) {
    case "stack-export":
      return readStackExport(json, origin);
    case "preview":
      return readPreview(json, origin, options.state, options.hints);
    case "deployment":
      return readDeployment(json, origin);
    default:
      return { ok: false, error: notAPlanFile(json, origin) };
  }
}

/**
 * Why a JSON document is no plan. A preview that failed before planning prints `{}` or only its diagnostics
 * (pkg/backend/display/json.go): say so, with the first error, rather than "not a preview file".
 */
function notAPlanFile(json: unknown, origin: string): string {
  if (isRawObject(json) && (Object.keys(json).length === 0 || (Array.isArray(json.diagnostics) && json.steps === undefined))) {
    const diagnostics = Array.isArray(json.diagnostics) ? json.diagnostics : [];
    const error = diagnostics.find((d) => isRawObject(d) && d.severity === "error" && typeof d.message === "string");
    const first = isRawObject(error) && typeof error.message === "string" ? `: ${JSON.stringify(oneLine(error.message).slice(0, 200))}` : "";
    return `${origin} holds no plan: the preview that wrote it failed before planning${first}`;
  }
  return `${origin} is not a Pulumi stack export or preview file: expected a 'deployment' or 'steps' key`;
}

/** The reason of a failed read, in words: "no such file", "it is a directory", ... */
export function describeFsError(e: unknown): string {
  if (isRawObject(e) && typeof e.code === "string") {
    if (e.code === "ENOENT") return "no such file";
    // Node's longest string is about 512 MB (2^29 - 24 characters): a file read as one string (plan files up to
    // the stream threshold, a --before file) cannot be larger.
    if (e.code === "ERR_STRING_TOO_LONG") return "the file is over 512 MB, the most Node can hold as one string, and plan files are read whole";
    if (e.code === "EISDIR") return "it is a directory";
    if (e.code === "EACCES") return "permission denied";
    return e.code;
  }
  return oneLine(e instanceof Error ? e.message : String(e));
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}
