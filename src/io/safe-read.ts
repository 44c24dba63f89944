/**
 * Reading a file a user names (plan, intents, service tags): only a regular file, after symlinks are resolved, and
 * at most a capped number of bytes. A FIFO, a socket or a device (`/dev/zero`, `/dev/stdin`) is refused before it
 * is opened for reading, so nothing blocks or grows without bound; the open is non-blocking and the descriptor is
 * checked again, so a file swapped for a FIFO between the two checks is refused too.
 * Never throws: every problem is a one-line reason naming the file (quoted and escaped).
 */
import * as fs from "fs";
import { escapeText } from "./quote";

export type SafeRead = { readonly ok: true; readonly text: string; readonly resolved: string } | { readonly ok: false; readonly error: string };

export interface SafeReadOptions {
  /** What the file is, for messages: "" (a plan file: the path says enough), "intents file", "service tags file". */
  readonly what: string;
  /** Most bytes read; a larger file is refused with its size. */
  readonly maxBytes: number;
}

const MB = 1024 * 1024;

/**
 * The cap for plan files: AZURE_REACHABILITY_MAX_FILE_MB when set to a positive number, else 4096 MB. Files over
 * streamThreshold() are read in chunks (stream-json.ts), so the cap is no longer V8's longest string (about 512 MB);
 * 4 GB is eight times the largest plan the bench writes (L, 505 MB) and still bounds what a mistaken path costs.
 */
export function planFileCap(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.AZURE_REACHABILITY_MAX_FILE_MB;
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(n) && n > 0 ? Math.floor(n * MB) : 4096 * MB;
}

/**
 * Plan files larger than this are streamed rather than read as one string: AZURE_REACHABILITY_STREAM_MB when set
 * to a number >= 0 (0 streams every file: tests), else 480 MB: just under the longest string Node holds (about 512
 * MB; a file's UTF-8 bytes are never fewer than its characters), since reading whole is 2.4 to 3 times faster than
 * streaming (the L preview, 425 MB: 33 s whole, 80 s streamed, one run on 2026-12-03).
 */
export function streamThreshold(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.AZURE_REACHABILITY_STREAM_MB;
  const n = raw === undefined || raw.trim() === "" ? NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? Math.floor(n * MB) : 480 * MB;
}

/** Intents and policy-config files are small: 16 MB is far beyond any real one. */
export const CONFIG_FILE_CAP = 16 * MB;
/** Microsoft's Service Tags file is about 4 MB; 64 MB leaves room for growth. */
export const SERVICE_TAGS_FILE_CAP = 64 * MB;

/** The kind of a non-regular file, in words. */
export function fileKind(st: fs.Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a named pipe (FIFO)";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSymbolicLink()) return "a symbolic link";
  return "not a regular file";
}

function fsReason(e: unknown): string {
  const code = typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "ELOOP") return "too many levels of symbolic links";
  if (code === "ENOTDIR") return "a part of the path is not a directory";
  if (code === "EISDIR") return "it is a directory";
  return typeof code === "string" ? code : "it cannot be read";
}

function megabytes(n: number): string {
  return `${Math.round((n / MB) * 10) / 10} MB`;
}

/** Resolves symlinks and says what the path is: a regular file, a directory, or something refused. */
export function resolveInputPath(path: string): { ok: true; resolved: string; stats: fs.Stats } | { ok: false; error: string } {
  let resolved: string;
  try {
    resolved = fs.realpathSync(path);
  } catch (e) {
    return { ok: false, error: fsReason(e) };
  }
  try {
    return { ok: true, resolved, stats: fs.statSync(resolved) };
  } catch (e) {
    return { ok: false, error: fsReason(e) };
  }
}

/** An open regular file, checked (stat before open, fstat after), with its size at the check. */
export type OpenedFile = { readonly ok: true; readonly fd: number; readonly size: number; readonly resolved: string } | { readonly ok: false; readonly error: string };

/** The one-line refusal naming the file, as readRegularFile words it. */
export function refusal(path: string, what: string, reason: string): string {
  // The path is the user's own argument: echoed as given, with control characters escaped.
  return `cannot read ${what === "" ? "" : `${what} `}${escapeText(path, 240)}: ${reason}`;
}

/**
 * Stats the path, then opens it: only a regular file of at most maxBytes. The caller closes the descriptor.
 * Never throws.
 */
export function openRegularFile(path: string, options: SafeReadOptions): OpenedFile {
  const refuse = (reason: string): OpenedFile => ({ ok: false, error: refusal(path, options.what, reason) });
  const where = resolveInputPath(path);
  if (!where.ok) return refuse(where.error);
  const via = isSymlink(path) ? ` (a symbolic link to ${escapeText(where.resolved, 240)})` : "";
  if (!where.stats.isFile()) return refuse(`it is ${fileKind(where.stats)}${via}${where.stats.isDirectory() ? "" : ", not a regular file"}`);
  if (where.stats.size > options.maxBytes) return refuse(`it is ${megabytes(where.stats.size)}, over the ${megabytes(options.maxBytes)} limit`);
  let fd: number;
  try {
    // O_NONBLOCK: should the path have become a FIFO since the check, opening it does not wait for a writer.
    fd = fs.openSync(where.resolved, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return refuse(fsReason(e));
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) {
      fs.closeSync(fd);
      return refuse(`it is ${fileKind(st)}, not a regular file`);
    }
    return { ok: true, fd, size: st.size, resolved: where.resolved };
  } catch (e) {
    fs.closeSync(fd);
    return refuse(fsReason(e));
  }
}

/** The "over the limit" reason for a file that grew past the cap while it was read. */
export function grewPast(maxBytes: number): string {
  return `it is over the ${megabytes(maxBytes)} limit`;
}

/** A read error's reason in words ("permission denied", "EIO", ...). */
export function readErrorReason(e: unknown): string {
  return fsReason(e);
}

export function readRegularFile(path: string, options: SafeReadOptions): SafeRead {
  const refuse = (reason: string): SafeRead => ({ ok: false, error: refusal(path, options.what, reason) });
  const opened = openRegularFile(path, options);
  if (!opened.ok) return opened;
  const fd = opened.fd;
  const where = opened;
  try {
    // Read until the end, or until one byte past the cap: a file that grew since the check is refused, not read whole.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(options.maxBytes + 1 - total, 8 * MB));
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
      total += n;
      if (total > options.maxBytes) return refuse(grewPast(options.maxBytes));
    }
    const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
    try {
      return { ok: true, text: all.toString("utf8"), resolved: where.resolved };
    } catch {
      return refuse("it is too large to hold as one string");
    }
  } catch (e) {
    return refuse(fsReason(e));
  } finally {
    fs.closeSync(fd);
  }
}

function isSymlink(path: string): boolean {
  try {
    return fs.lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
