/**
 * `azure-reachability diff <before> <after>` and `diff <preview.json>`: what a change opens and closes, exactly,
 * between the plan's endpoints (src/diff). Exit 0 answered; 1 when the change does what `--fail-on` names; 2 bad
 * usage or input.
 */
import { statSync, writeFileSync } from "fs";
import { composeStack } from "../../providers/compose";
import { CLI_HINTS } from "../input-hints";
import { IpSet } from "../../sets/ip-set";
import { diffPlans } from "../../diff/compute";
import type { ExternalPrefix } from "../../diff/endpoints";
import { buildDiffReport, diffExitCode, FAIL_ON, type DiffReport, type FailOn } from "../../diff/report";
import { changesFromOps, resourceChanges } from "../../diff/resources";
import { diffRows } from "../../diff/rows";
import { formatDiffJson } from "../../report/diff-json";
import { formatDiffMarkdown } from "../../report/diff-markdown";
import { formatDiffSarif } from "../../report/diff-sarif";
import { diffSummaryLine, formatDiffText } from "../../report/diff-text";
import { fail } from "../errors";
import { loadInput, loadServiceTags, readOtherStacks, withOtherStacks, type InputOptions, type LoadedInput } from "../input";
import { printDiagnostics, type Io } from "../output";
import { readPreviewBefore } from "./diff-before";

export interface DiffCommandOptions extends InputOptions {
  readonly format?: string;
  readonly output?: string;
  readonly failOn?: string | readonly string[];
  readonly external?: string | readonly string[];
}

const FORMATS: Readonly<Record<string, (r: DiffReport) => string>> = {
  text: formatDiffText,
  json: formatDiffJson,
  markdown: formatDiffMarkdown,
  sarif: formatDiffSarif,
};

function list(v: string | readonly string[] | undefined): string[] {
  if (v === undefined) return [];
  return (typeof v === "string" ? [v] : [...v]).flatMap((s) => s.split(",")).map((s) => s.trim()).filter((s) => s !== "");
}

function parseFailOn(v: string | readonly string[] | undefined): FailOn[] {
  return list(v).map((s) => {
    if (!(FAIL_ON as readonly string[]).includes(s)) fail(`--fail-on must be ${FAIL_ON.join(", ")} (comma-separated or repeated), not "${s}"`);
    return s as FailOn;
  });
}

/** `--external NAME=CIDR[;CIDR...]`, repeatable: addresses outside every VNet that deserve a name (on-premises). */
function parseExternals(v: string | readonly string[] | undefined): ExternalPrefix[] {
  const items = v === undefined ? [] : typeof v === "string" ? [v] : [...v];
  return items.map((item) => {
    const eq = item.indexOf("=");
    const name = eq > 0 ? item.slice(0, eq).trim() : "";
    if (name === "") fail(`--external takes NAME=CIDR[;CIDR...], e.g. on-premises=192.168.0.0/16; got "${item}"`);
    const cidrs = item.slice(eq + 1).split(/[;,]/).map((s) => s.trim()).filter((s) => s !== "");
    if (cidrs.length === 0) fail(`--external ${name}: no prefix given`);
    let set = IpSet.empty();
    for (const c of cidrs) {
      try {
        set = set.union(c.includes("/") ? IpSet.fromCidr(c) : IpSet.fromAddress(c));
      } catch {
        fail(`--external ${name}: "${c}" is not an IP address or CIDR prefix`);
      }
    }
    return { name, addresses: set };
  });
}

async function loadBoth(before: string, after: string | undefined, opts: DiffCommandOptions, io: Io): Promise<{ b: LoadedInput; a: LoadedInput; changes: ReturnType<typeof resourceChanges>; names: { before: string; after: string } }> {
  if (after !== undefined) {
    const b = await loadInput(before, opts);
    const a = await loadInput(after, opts);
    printDiagnostics(io, b.diagnostics.map((d) => ({ ...d, message: `before: ${d.message}` })));
    printDiagnostics(io, a.diagnostics.map((d) => ({ ...d, message: `after: ${d.message}` })));
    return { b, a, changes: resourceChanges(b.records, a.records), names: { before, after } };
  }
  // One preview: before is its current state (oldState of each step, or --state FILE), after the planned state.
  if (isDirectory(before)) fail(`${before} is a program directory: it plans a state but holds no current one; give two inputs: diff <before> <after>`);
  const a = await loadInput(before, opts);
  let b: LoadedInput;
  let ops: Array<{ urn: string; op: string }>;
  const read = readPreviewBefore(before, opts.state === undefined);
  if (!read.ok) fail(read.error);
  if (opts.state !== undefined) {
    b = await loadInput(opts.state, { ...opts, state: undefined });
    ops = read.ops;
  } else {
    const tags = loadServiceTags(opts.serviceTags);
    // The other stacks (--with-stack) are the same on both sides: merged into the current state too.
    const merged = withOtherStacks(read.records, read.diagnostics, readOtherStacks(opts.withStack));
    const { topology, env, modelDiagnostics, tagDiagnostics } = composeStack(merged.records, tags.catalog, CLI_HINTS);
    b = { records: merged.records, topology, env, diagnostics: [...merged.diagnostics, ...modelDiagnostics, ...tagDiagnostics] };
    ops = read.ops;
  }
  printDiagnostics(io, b.diagnostics.map((d) => ({ ...d, message: `before: ${d.message}` })));
  printDiagnostics(io, a.diagnostics.map((d) => ({ ...d, message: `after: ${d.message}` })));
  return { b, a, changes: changesFromOps(ops), names: { before: opts.state ?? `${before} (current state)`, after: `${before} (planned)` } };
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

export async function diffCommand(before: string, after: string | undefined, opts: DiffCommandOptions, io: Io): Promise<number> {
  const format = opts.format ?? "text";
  const render = FORMATS[format];
  if (!render) fail(`--format must be one of ${Object.keys(FORMATS).join(", ")}, not "${format}"`);
  const failOn = parseFailOn(opts.failOn);
  const externals = parseExternals(opts.external);
  const { b, a, changes, names } = await loadBoth(before, after, opts, io);
  const diff = diffPlans(b.env, a.env, { externals });
  const report = buildDiffReport(diff, diffRows(diff, changes), changes, names);
  const text = render(report);
  if (opts.output) {
    try {
      writeFileSync(opts.output, text.endsWith("\n") ? text : `${text}\n`);
    } catch (e) {
      fail(`cannot write ${opts.output}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    io.err(`azure-reachability: ${diffSummaryLine(report)}; report written to ${opts.output}`);
  } else {
    io.out(text);
  }
  return diffExitCode(report, failOn);
}
