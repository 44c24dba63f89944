/**
 * Progress for long runs, on stderr, only when stderr is a terminal: one line rewritten in place
 * (`label  12/40  30%  detail`), shown only once the run has lasted `delayMs` (short runs print nothing), redrawn
 * at most every `intervalMs`, cleared by `done()`. When the stream is not a TTY (CI logs, pipes, files) every method
 * is a no-op, so output that is parsed or diffed never sees it.
 *
 *   const progress = createProgress();                 // process.stderr
 *   progress.start("checking intents", intents.length);
 *   for (const i of intents) { ...; progress.tick(i.name); }
 *   progress.done();
 */

export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(chunk: string): unknown;
}

export interface ProgressOptions {
  /** Default: process.stderr. */
  readonly stream?: ProgressStream;
  /** Nothing is drawn before the run has lasted this long (default 300 ms). */
  readonly delayMs?: number;
  /** Minimum time between redraws (default 100 ms). */
  readonly intervalMs?: number;
  /** Clock, for tests (default Date.now). */
  readonly now?: () => number;
}

export interface Progress {
  /** False when progress goes nowhere (not a terminal). */
  readonly enabled: boolean;
  /** Begins a phase: a label and, when known, the number of steps. */
  start(label: string, total?: number): void;
  /** One step done (or `steps`); `detail` names what is being worked on. */
  tick(detail?: string, steps?: number): void;
  /** Ends the phase: clears the line, then prints `message` on its own line if given. */
  done(message?: string): void;
}

/** A progress that does nothing. */
export const NO_PROGRESS: Progress = { enabled: false, start: () => undefined, tick: () => undefined, done: () => undefined };

const CLEAR_LINE = "\r\u001b[2K";

export function createProgress(options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (stream.isTTY !== true) return NO_PROGRESS;
  const delayMs = options.delayMs ?? 300;
  const intervalMs = options.intervalMs ?? 100;
  const now = options.now ?? Date.now;
  let label = "";
  let total: number | undefined;
  let count = 0;
  let detail = "";
  let startedAt = 0;
  let drawnAt: number | undefined;
  let visible = false;

  const line = (): string => {
    const parts = [label];
    if (total !== undefined && total > 0) parts.push(`${Math.min(count, total)}/${total}`, `${Math.floor((Math.min(count, total) * 100) / total)}%`);
    else if (count > 0) parts.push(String(count));
    if (detail !== "") parts.push(detail);
    const text = parts.join("  ");
    const width = Math.max(10, (stream.columns ?? 80) - 1);
    return text.length > width ? `${text.slice(0, width - 1)}…` : text;
  };

  const draw = (force: boolean): void => {
    const t = now();
    if (t - startedAt < delayMs) return;
    if (!force && drawnAt !== undefined && t - drawnAt < intervalMs) return;
    stream.write(`${CLEAR_LINE}${line()}`);
    drawnAt = t;
    visible = true;
  };

  return {
    enabled: true,
    start(l: string, n?: number): void {
      label = l;
      total = n;
      count = 0;
      detail = "";
      startedAt = now();
      drawnAt = undefined;
      draw(false);
    },
    tick(d?: string, steps = 1): void {
      count += steps;
      if (d !== undefined) detail = d;
      draw(false);
    },
    done(message?: string): void {
      if (visible) stream.write(CLEAR_LINE);
      visible = false;
      if (message !== undefined) stream.write(`${message}\n`);
    },
  };
}
