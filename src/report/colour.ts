/**
 * Colour for the text reports, only on a terminal: `colourEnabled(process.stdout)` is true when the stream is a TTY,
 * `NO_COLOR` is unset or empty (https://no-color.org) and `TERM` is not `dumb`. Everything else (files, pipes,
 * CI logs, --output) gets plain text: `palette(false)` leaves text unchanged.
 *
 * `colouriseCheckText` adds colour to `formatCheckText`'s output line by line (verdict words, the decisive `!`
 * evidence lines, unknowns, finding severities, the summary), so the text reporter itself stays plain and tested
 * as such. `checkTextReporter({ colour })` is the reporter the CLI can register for `--format text`.
 */
import { formatCheckText } from "./check-text";
import type { CheckReport, CheckReporter } from "./types";

export interface ColourStream {
  readonly isTTY?: boolean;
}

export type Paint = (text: string) => string;

export interface Palette {
  readonly enabled: boolean;
  readonly red: Paint;
  readonly green: Paint;
  readonly yellow: Paint;
  readonly cyan: Paint;
  readonly bold: Paint;
  readonly dim: Paint;
}

/** True when `stream` is a terminal and the environment does not ask for plain output. */
export function colourEnabled(stream: ColourStream = process.stdout, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  if (stream.isTTY !== true) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return env.TERM !== "dumb";
}

function sgr(open: number, close: number): Paint {
  return (text) => (text === "" ? text : `\u001b[${open}m${text}\u001b[${close}m`);
}

const identity: Paint = (text) => text;

export function palette(enabled: boolean): Palette {
  if (!enabled) return { enabled, red: identity, green: identity, yellow: identity, cyan: identity, bold: identity, dim: identity };
  return { enabled, red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), cyan: sgr(36, 39), bold: sgr(1, 22), dim: sgr(2, 22) };
}

/** Removes ANSI SGR sequences (for tests and for measuring width). */
export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, "");
}

const SEVERITY_PAINT: Readonly<Record<string, (p: Palette) => Paint>> = {
  critical: (p) => (t) => p.bold(p.red(t)),
  high: (p) => p.red,
  medium: (p) => p.yellow,
  low: (p) => p.dim,
};

/** Colours the lines of `formatCheckText`'s output. With a disabled palette the text comes back unchanged. */
export function colouriseCheckText(text: string, p: Palette): string {
  if (!p.enabled) return text;
  const lines = text.split("\n");
  const last = lines.length - 1 - [...lines].reverse().findIndex((l) => l.trim() !== "");
  return lines
    .map((line, i) => {
      let m: RegExpMatchArray | null;
      if ((m = line.match(/^(FAIL)(\s+)(\S+)(.*)$/))) return `${p.bold(p.red(m[1]))}${m[2]}${p.bold(m[3])}${m[4]}`;
      if ((m = line.match(/^(PASS)(\s+)(.*)$/))) return `${p.green(m[1])}${m[2]}${m[3]}`;
      if ((m = line.match(/^(UNDECIDED)(\s+)(\S+)(.*)$/))) return `${p.bold(p.yellow(m[1]))}${m[2]}${p.bold(m[3])}${m[4]}`;
      if ((m = line.match(/^(\s+)(! )(.*)$/))) return `${m[1]}${p.red(`${m[2]}${m[3]}`)}`;
      if ((m = line.match(/^(\s+)(- .*)$/))) return `${m[1]}${p.dim(m[2])}`;
      if ((m = line.match(/^(\s+)(unknown: .*)$/))) return `${m[1]}${p.yellow(m[2])}`;
      if ((m = line.match(/^(\s+)(counterexample: )(.*)$/))) return `${m[1]}${p.cyan(m[2])}${m[3]}`;
      if ((m = line.match(/^(\s+)\[(critical|high|medium|low)\](.*)$/))) return `${m[1]}${SEVERITY_PAINT[m[2]](p)(`[${m[2]}]`)}${m[3]}`;
      if (line === "Findings:") return p.bold(line);
      if (i === last && /^\d+ intents?: /.test(line)) return / [1-9]\d* fail/.test(line) ? p.bold(p.red(line)) : / [1-9]\d* undecided/.test(line) ? p.yellow(line) : p.green(line);
      return line;
    })
    .join("\n");
}

/** The text reporter, coloured when `colour` is true (pass `colourEnabled(process.stdout)` for stdout). */
export function checkTextReporter(options: { readonly colour: boolean }): CheckReporter {
  const p = palette(options.colour);
  return (report: CheckReport) => colouriseCheckText(formatCheckText(report), p);
}
