/**
 * JSON documents too large for one string (V8's longest string is 2^29 - 24 characters, about 512 MB), read from a
 * file descriptor in chunks and assembled into the same values JSON.parse would give, with a hook that may prune
 * an object when it closes (the plan readers drop the bodies of resources the model does not read).
 *
 * Library: @streamparser/json (MIT, dependency-free; CommonJS and ESM builds). Its Tokenizer is synchronous
 * (`write(bytes)` emits every token before it returns, each with its byte offset), so the readers stay synchronous
 * and errors can be placed. Checked on 2026-12-03 and not taken: stream-json 3.x is ESM-only (its "Migrating from
 * 2.x to 3.x" wiki page: `"type": "module"`, Node >= 22, no require()), which jest's CommonJS runtime on Node 20
 * cannot load; stream-json 2.x parses through Node Transform streams (asynchronous) and its tokens carry no offsets.
 * Only the tokenizer is used: the values are assembled here, so that the pruning hook sees each object as it
 * closes and the container stack is known when an error must be explained.
 *
 * Errors are JSON.parse's own (same wording, same position): the failing spot is found by the tokenizer, then a
 * short document with the same open containers and the text from the last good token on is given to JSON.parse,
 * and its position is moved back to where it is in the file (streamErrorReason).
 */
import * as fs from "fs";
import { isUtf8 } from "buffer";
import { Tokenizer, TokenizerError, TokenType } from "@streamparser/json";
import { jsonErrorReason } from "./json-error";

/** Called when an object closes at depth `path.length` (root = 0) within hookDepth; may delete its keys. */
export type CloseHook = (value: Record<string, unknown>, path: readonly (string | number)[]) => void;

export type StreamedJson = { readonly ok: true; readonly value: unknown; readonly bytes: number } | { readonly ok: false; readonly kind: "json"; readonly reason: string } | { readonly ok: false; readonly kind: "size"; readonly bytes: number };

export interface StreamOptions {
  /** Most bytes read: a file that grows past it while being read is refused. */
  readonly maxBytes: number;
  readonly onClose?: CloseHook;
  /** Deepest object the hook is called for (root 0). */
  readonly hookDepth?: number;
  /** Bytes per read; tests use small chunks so that tokens straddle them. */
  readonly chunkBytes?: number;
}

const enum State {
  /** A value is expected: the root, after ':' or after ',' in an array. */
  Value,
  /** Just after '[': a value or ']'. */
  FirstValue,
  /** Just after '{': a key or '}'. */
  FirstKey,
  /** After ',' in an object: a key. */
  Key,
  /** After a key: ':'. */
  Colon,
  /** After a value in a container: ',' or the closing bracket. */
  Comma,
  /** After the root value: nothing but whitespace. */
  Done,
}

class Unexpected extends Error {}

/**
 * The token types as local constants: the package's CommonJS build re-exports TokenType through a getter, which
 * cost 3% of a streamed read when looked up per token (CPU profile of the bench's M preview).
 */
const T = {
  LEFT_BRACE: TokenType.LEFT_BRACE,
  RIGHT_BRACE: TokenType.RIGHT_BRACE,
  LEFT_BRACKET: TokenType.LEFT_BRACKET,
  RIGHT_BRACKET: TokenType.RIGHT_BRACKET,
  COLON: TokenType.COLON,
  COMMA: TokenType.COMMA,
  TRUE: TokenType.TRUE,
  FALSE: TokenType.FALSE,
  NULL: TokenType.NULL,
  STRING: TokenType.STRING,
  NUMBER: TokenType.NUMBER,
} as const;

/** JSON.parse defines "__proto__" as an own property; plain assignment would set the prototype instead. */
function setKey(o: Record<string, unknown>, key: string, v: unknown): void {
  if (key === "__proto__") Object.defineProperty(o, key, { value: v, writable: true, enumerable: true, configurable: true });
  else o[key] = v;
}

/** Assembles values from tokens, as JSON.parse would; throws Unexpected on a token out of place. */
class Builder {
  state: State = State.Value;
  readonly containers: Array<Record<string, unknown> | unknown[]> = [];
  readonly keys: Array<string | undefined> = [];
  /** The key of each open container in its parent (an index for an array element); [0] is unused. */
  readonly at: Array<string | number> = [];
  root: unknown = undefined;
  /** Byte offset and type of the last token taken: where a failing document is resumed from. */
  lastOffset = -1;
  lastToken: TokenType | undefined = undefined;
  /** Byte offset of the token being taken (the failing one when take throws). */
  current = -1;

  constructor(
    private readonly onClose: CloseHook | undefined,
    private readonly hookDepth: number,
  ) {}

  take(token: TokenType, value: unknown, offset: number): void {
    this.current = offset;
    switch (token) {
      case T.LEFT_BRACE:
      case T.LEFT_BRACKET:
        this.open(token === T.LEFT_BRACE ? {} : []);
        break;
      case T.RIGHT_BRACE:
        if (this.state !== State.FirstKey && !(this.state === State.Comma && !Array.isArray(this.top()))) throw new Unexpected();
        this.close();
        break;
      case T.RIGHT_BRACKET:
        if (this.state !== State.FirstValue && !(this.state === State.Comma && Array.isArray(this.top()))) throw new Unexpected();
        this.close();
        break;
      case T.COLON:
        if (this.state !== State.Colon) throw new Unexpected();
        this.state = State.Value;
        break;
      case T.COMMA:
        if (this.state !== State.Comma) throw new Unexpected();
        this.state = Array.isArray(this.top()) ? State.Value : State.Key;
        break;
      case T.STRING:
        if (this.state === State.FirstKey || this.state === State.Key) {
          this.keys[this.keys.length - 1] = value as string;
          this.state = State.Colon;
        } else this.put(value);
        break;
      case T.NUMBER:
      case T.TRUE:
      case T.FALSE:
      case T.NULL:
        this.put(value);
        break;
      default:
        throw new Unexpected();
    }
    this.lastOffset = offset;
    this.lastToken = token;
  }

  /** The document is complete: the root value, or Unexpected. */
  finish(): unknown {
    if (this.state !== State.Done) throw new Unexpected();
    return this.root;
  }

  private top(): Record<string, unknown> | unknown[] {
    return this.containers[this.containers.length - 1];
  }

  private acceptsValue(): boolean {
    return this.state === State.Value || this.state === State.FirstValue;
  }

  /** A complete value in the current place: the root, an array element or an object member. */
  private put(v: unknown): void {
    if (!this.acceptsValue()) throw new Unexpected();
    const n = this.containers.length;
    if (n === 0) {
      this.root = v;
      this.state = State.Done;
      return;
    }
    const c = this.containers[n - 1];
    if (Array.isArray(c)) c.push(v);
    else setKey(c, this.keys[n - 1] as string, v);
    this.state = State.Comma;
  }

  private open(c: Record<string, unknown> | unknown[]): void {
    if (!this.acceptsValue()) throw new Unexpected();
    const n = this.containers.length;
    const parent = n === 0 ? undefined : this.containers[n - 1];
    this.at.push(parent === undefined ? 0 : Array.isArray(parent) ? parent.length : (this.keys[n - 1] as string));
    this.containers.push(c);
    this.keys.push(undefined);
    this.state = Array.isArray(c) ? State.FirstValue : State.FirstKey;
  }

  private close(): void {
    const c = this.containers.pop()!;
    this.keys.pop();
    const depth = this.containers.length;
    if (this.onClose !== undefined && depth <= this.hookDepth && !Array.isArray(c)) this.onClose(c, this.at.slice(1));
    this.at.pop();
    // Put it in its place: the state is Value again for that one step.
    this.state = State.Value;
    this.put(c);
  }

  /**
   * A short document that leaves JSON.parse where this builder is: the open containers, and in the innermost the
   * state (after '{', after a key, after a value, ...). Outer objects are opened as `{"k":`, arrays as `[`.
   */
  skeleton(state: State = this.state): string {
    const n = this.containers.length;
    if (n === 0) return state === State.Done ? "0" : "";
    let s = "";
    for (let i = 0; i < n - 1; i++) s += Array.isArray(this.containers[i]) ? "[" : '{"k":';
    const inner = this.containers[n - 1];
    if (Array.isArray(inner)) {
      if (state === State.FirstValue) return `${s}[`;
      return state === State.Comma ? `${s}[0` : `${s}[0,`;
    }
    switch (state) {
      case State.FirstKey:
        return `${s}{`;
      case State.Key:
        return `${s}{"k":0,`;
      case State.Colon:
        return `${s}{"k"`;
      case State.Value:
        return `${s}{"k":`;
      default:
        return `${s}{"k":0`;
    }
  }
}

const MB = 1024 * 1024;

/** Where a chunk may end without cutting a UTF-8 sequence: the incomplete tail is carried to the next read. */
function completeUtf8End(buf: Buffer, n: number): number {
  let j = n - 1;
  while (j >= 0 && n - j < 4 && (buf[j] & 0xc0) === 0x80) j--;
  if (j < 0) return n;
  const lead = buf[j];
  const len = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return j + len > n ? j : n;
}

/**
 * Reads the open descriptor to its end through the tokenizer. Never throws on the data: malformed JSON is a
 * reason in JSON.parse's words; a file that grows past maxBytes is `size`.
 */
export function parseJsonFd(fd: number, options: StreamOptions): StreamedJson {
  const builder = new Builder(options.onClose, options.hookDepth ?? 0);
  // Buffered strings and numbers: decoded once per value rather than per byte run (halves the tokenizer's time on
  // the bench's M preview); the values are the same.
  const tokenizer = new Tokenizer({ stringBufferSize: 64 * 1024, numberBufferSize: 64 });
  tokenizer.onToken = ({ token, value, offset }) => builder.take(token, value, offset);
  const chunkBytes = options.chunkBytes ?? 8 * MB;
  let failAt: number | undefined;
  let carry: Buffer | undefined;
  let total = 0;
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(chunkBytes + (carry?.length ?? 0));
      const head = carry?.length ?? 0;
      if (carry !== undefined) carry.copy(buf, 0);
      const n = fs.readSync(fd, buf, head, chunkBytes, null);
      total += n;
      if (total > options.maxBytes) return { ok: false, kind: "size", bytes: total };
      const filled = head + n;
      if (n === 0) {
        if (filled > 0) tokenizer.write(asUtf8(buf.subarray(0, filled)));
        break;
      }
      const end = completeUtf8End(buf, filled);
      carry = end < filled ? Buffer.from(buf.subarray(end, filled)) : undefined;
      if (end > 0) tokenizer.write(asUtf8(buf.subarray(0, end)));
    }
    tokenizer.end();
    return { ok: true, value: builder.finish(), bytes: total };
  } catch (e) {
    // Only the data's errors are reasons; a read error or a bug in the hook is the caller's to report.
    if (!(e instanceof Unexpected) && !(e instanceof TokenizerError)) throw e;
    failAt = e instanceof Unexpected ? (builder.current >= 0 && !tokenizer.isEnded ? builder.current : undefined) : tokenizerErrorOffset(e);
    return { ok: false, kind: "json", reason: streamErrorReason(fd, builder, failAt) };
  }
}

/**
 * Text that is not UTF-8 is decoded as Buffer#toString does for JSON.parse (each bad sequence becomes U+FFFD);
 * the tokenizer's decoder would stop at it instead. Positions after such a byte shift by what the replacement adds.
 */
function asUtf8(b: Buffer): Buffer {
  return isUtf8(b) ? b : Buffer.from(b.toString("utf8"), "utf8");
}

/** The tokenizer names the failing byte: `... (absolute position "123") ...`. */
function tokenizerErrorOffset(e: unknown): number | undefined {
  const m = /absolute position "(\d+)"/.exec(e instanceof Error ? e.message : "");
  return m === null ? undefined : Number(m[1]);
}

/** Bytes before a UTF-8 BOM-less offset: the tokenizer counts from after the BOM, as JSON.parse does. */
function bomLength(fd: number): number {
  const b = Buffer.alloc(3);
  const n = fs.readSync(fd, b, 0, 3, 0);
  return n === 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
}

function readAt(fd: number, from: number, length: number): Buffer {
  const b = Buffer.allocUnsafe(Math.max(0, length));
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, b, got, length - got, from + got);
    if (n === 0) break;
    got += n;
  }
  return b.subarray(0, got);
}

/** UTF-16 length, newlines and the UTF-16 length after the last newline of the file's first `bytes` bytes (past the BOM). */
function measurePrefix(fd: number, start: number, bytes: number): { units: number; lines: number; column: number } {
  let units = 0;
  let lines = 0;
  let column = 0;
  const step = 8 * MB;
  for (let from = 0; from < bytes; from += step) {
    const b = readAt(fd, start + from, Math.min(step, bytes - from));
    for (let i = 0; i < b.length; i++) {
      const c = b[i];
      if ((c & 0xc0) === 0x80) continue;
      const u = c >= 0xf0 ? 2 : 1;
      units += u;
      if (c === 0x0a) {
        lines++;
        column = 0;
      } else column += u;
    }
    if (b.length === 0) break;
  }
  return { units, lines, column };
}

/** Bytes of the raw token at `offset` (a string or number has no fixed length): where the text after it starts. */
function tokenEnd(fd: number, offset: number, token: TokenType | undefined): number {
  if (token === undefined) return 0;
  if (token === T.TRUE || token === T.NULL) return offset + 4;
  if (token === T.FALSE) return offset + 5;
  if (token !== T.STRING && token !== T.NUMBER) return offset + 1;
  let at = offset + (token === T.STRING ? 1 : 0);
  let escaped = false;
  for (;;) {
    const b = readAt(fd, at, 64 * 1024);
    if (b.length === 0) return at;
    for (let i = 0; i < b.length; i++) {
      const c = b[i];
      if (token === T.NUMBER) {
        const numeric = (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e || c === 0x45 || c === 0x65;
        if (!numeric) return at + i;
      } else if (escaped) escaped = false;
      else if (c === 0x5c) escaped = true;
      else if (c === 0x22) return at + i + 1;
    }
    at += b.length;
  }
}

/** Past the failing spot, this much text is given to JSON.parse: enough for any token V8 reads ahead. */
const LOOKAHEAD = 256;
/** Longest text from the last good token to the failing spot that is re-parsed (a huge broken string is rare). */
const MAX_TAIL = 64 * MB;

/**
 * JSON.parse's reason for the file's error: the skeleton of the builder's open containers plus the file's text from
 * the end of the last good token, parsed whole; the position V8 names in that text is moved to the file's.
 */
function streamErrorReason(fd: number, builder: Builder, failAt: number | undefined): string {
  try {
    const bom = bomLength(fd);
    const size = fs.fstatSync(fd).size - bom;
    // After a number, resume at its start (the tokenizer may end a number where V8 goes on reading: `01`), with
    // the state before it; after any other token, at its end.
    const atNumber = builder.lastToken === T.NUMBER && (builder.state === State.Comma || builder.state === State.Done);
    const resume = atNumber ? builder.lastOffset : Math.min(size, tokenEnd(fd, builder.lastOffset + bom, builder.lastToken) - (builder.lastToken === undefined ? 0 : bom));
    const until = failAt === undefined ? size : Math.min(size, failAt + LOOKAHEAD);
    if (until - resume > MAX_TAIL) return fallback(failAt);
    const tail = readAt(fd, bom + resume, until - resume).toString("utf8");
    const skeleton = builder.skeleton(atNumber ? State.Value : builder.state);
    let message: string | undefined;
    try {
      JSON.parse(skeleton + tail);
    } catch (e) {
      message = e instanceof Error ? e.message : String(e);
    }
    if (message === undefined) return fallback(failAt);
    const before = measurePrefix(fd, bom, resume);
    const moved = message.replace(/at position (\d+)( \(line \d+ column \d+\))?/, (_all, p: string, lc: string | undefined) => {
      const inTail = Number(p) - skeleton.length;
      if (inTail < 0) return `at position ${p}${lc ?? ""}`;
      const where = advance(before, tail.slice(0, inTail));
      return `at position ${where.units}${lc === undefined ? "" : ` (line ${where.lines + 1} column ${where.column + 1})`}`;
    });
    return jsonErrorReason(new SyntaxError(moved));
  } catch {
    return fallback(failAt);
  }
}

function advance(at: { units: number; lines: number; column: number }, text: string): { units: number; lines: number; column: number } {
  let { units, lines, column } = at;
  for (let i = 0; i < text.length; i++) {
    units++;
    if (text.charCodeAt(i) === 0x0a) {
      lines++;
      column = 0;
    } else column++;
  }
  return { units, lines, column };
}

function fallback(failAt: number | undefined): string {
  return failAt === undefined ? "it ends before the JSON is complete" : `unexpected character at byte ${failAt}`;
}
