import { lstatSync } from "fs";
import { escapeText, quote } from "../io/quote";
import { fileKind, resolveInputPath } from "../io/safe-read";
import type { Diagnostic } from "../model/diagnostic";
import type { Topology } from "../model/topology";
import { readResourceFile } from "../resources/detect";
import type { ResourceRecord } from "../resources/record";
import { runProgram } from "../resources/program";
import { mergeStacks, readOtherStack, type OtherStack } from "../resources/stacks";
import { EMPTY_CATALOG, type ServiceTagCatalog } from "../azure/service-tags";
import { readServiceTagsFile } from "../resources/service-tags-file";
import { CLI_HINTS } from "./input-hints";
import type { EngineEnv } from "../engine/nsg";
import { composeStack } from "../providers/compose";
import { fail } from "./errors";

export interface InputOptions {
  readonly serviceTags?: string;
  readonly preview?: string;
  readonly stack?: string;
  /** A stack export of the current stack, which a preview file's steps apply to (previews without `--show-sames`). */
  readonly state?: string;
  /** `--with-stack FILE` (repeatable): other stacks' exports or previews, merged into the topology. */
  readonly withStack?: readonly string[];
}

export interface LoadedInput {
  readonly records: readonly ResourceRecord[];
  readonly topology: Topology;
  readonly env: EngineEnv;
  /** Reader, adapter and service tag diagnostics together. */
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Pulumi's own rule for stack names (pulumi/pulumi pkg/backend/diy/backend.go and pkg/backend/httpstate/backend.go,
 * validateStackName: `stackNameAndProjectRegexp = ^[A-Za-z0-9_.-]{1,100}$`, and no slashes): the name becomes part
 * of a file name (`Pulumi.<stack>.yaml`), so a name such as `x/../../y` must never reach the file system.
 */
const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

export function validateStackName(stack: string): string | undefined {
  if (stack.includes("/")) return `--stack ${quote(stack)}: stack names may not contain slashes`;
  if (!STACK_NAME.test(stack)) return `--stack ${quote(stack)}: stack names are 1 to 100 characters, each a letter, digit, hyphen, underscore or period (Pulumi's rule)`;
  return undefined;
}

/**
 * What the input is, decided by what the path is after symlinks are resolved (not by its name): a directory is a
 * program, a regular file a plan file; anything else is refused. A symlink is said out loud when its name and its
 * target disagree (`x.json` naming a program directory).
 */
function inputKind(path: string, io: { err(text: string): void } | undefined): "program" | "file" {
  const where = resolveInputPath(path);
  if (!where.ok) fail(`cannot read ${escapeText(path, 240)}: ${where.error}`);
  const isLink = (() => {
    try {
      return lstatSync(path).isSymbolicLink();
    } catch {
      return false;
    }
  })();
  if (where.stats.isDirectory()) {
    if (isLink) io?.err(`azure-reachability: ${escapeText(path, 240)} is a symbolic link to the directory ${escapeText(where.resolved, 240)}: it is run as a Pulumi program`);
    return "program";
  }
  if (!where.stats.isFile()) fail(`cannot read ${escapeText(path, 240)}: it is ${fileKind(where.stats)}${isLink ? ` (a symbolic link to ${escapeText(where.resolved, 240)})` : ""}, not a regular file or a program directory`);
  return "file";
}

/** `--with-stack FILE...`: each file read once (a bad one stops the command with its one-line reason). */
export function readOtherStacks(files: readonly string[] | undefined): OtherStack[] {
  return (files ?? []).map((file) => {
    const read = readOtherStack(file, "--with-stack");
    if (!read.ok) fail(read.error);
    return read.stack;
  });
}

/** The plan's records with the other stacks' merged in (resources/stacks.ts). */
export function withOtherStacks(records: readonly ResourceRecord[], diagnostics: readonly Diagnostic[], others: readonly OtherStack[]): { records: ResourceRecord[]; diagnostics: Diagnostic[] } {
  if (others.length === 0) return { records: [...records], diagnostics: [...diagnostics] };
  const merged = mergeStacks(records, others);
  return { records: merged.records, diagnostics: [...diagnostics, ...merged.diagnostics] };
}

async function readRecords(path: string, options: InputOptions, io?: { err(text: string): void }, others: readonly OtherStack[] = []): Promise<{ records: ResourceRecord[]; diagnostics: Diagnostic[] }> {
  if (inputKind(path, io) === "program") {
    if (options.state !== undefined) fail(`--state applies to a preview file, and ${escapeText(path, 240)} is a program directory`);
    const preview = options.preview ?? "first";
    if (preview !== "first" && preview !== "update") fail(`--preview must be "first" or "update", not ${quote(preview)}`);
    if (options.stack !== undefined) {
      const bad = validateStackName(options.stack);
      if (bad !== undefined) fail(bad);
    }
    // The program's StackReferences read the other stacks' outputs (program/stack-references.ts).
    const stackOutputs = others.map((o) => ({ stack: o.stack, project: o.project, file: o.file, outputs: o.outputs }));
    const run = await runProgram(path, { preview, stack: options.stack, hints: CLI_HINTS, ...(stackOutputs.length > 0 ? { stackOutputs } : {}) });
    if (!run.ok) fail(run.error);
    return { records: run.records, diagnostics: run.diagnostics };
  }
  const state = options.state === undefined ? undefined : readState(options.state);
  const read = readResourceFile(path, state === undefined ? { hints: CLI_HINTS } : { state: { records: state.records, origin: options.state ?? "" }, hints: CLI_HINTS });
  if (!read.ok) fail(read.error);
  return { records: read.records, diagnostics: [...(state?.diagnostics ?? []), ...read.diagnostics] };
}

/** `--state FILE`: the current stack, from `pulumi stack export` (a preview file is no state). */
function readState(path: string): { records: ResourceRecord[]; diagnostics: Diagnostic[] } {
  const read = readResourceFile(path);
  if (!read.ok) fail(`--state: ${read.error}`);
  if (read.format !== "stack-export" && read.format !== "deployment") {
    fail(`--state takes the current stack from \`pulumi stack export\`; ${path} is a preview file`);
  }
  return { records: read.records, diagnostics: read.diagnostics };
}

export function loadServiceTags(path: string | undefined): { catalog: ServiceTagCatalog; warnings: string[] } {
  if (!path) return { catalog: EMPTY_CATALOG, warnings: [] };
  const loaded = readServiceTagsFile(path);
  if (!loaded.ok) fail(loaded.error);
  return { catalog: loaded.catalog, warnings: loaded.warnings };
}

/** Reads `<input>` (stack export, preview file, or program directory) into a topology ready for queries. */
export async function loadInput(path: string, options: InputOptions, io?: { err(text: string): void }): Promise<LoadedInput> {
  const tags = loadServiceTags(options.serviceTags);
  const others = readOtherStacks(options.withStack);
  const own = await readRecords(path, options, io, others);
  const { records, diagnostics } = withOtherStacks(own.records, own.diagnostics, others);
  const { topology, env, modelDiagnostics, tagDiagnostics: unresolved } = composeStack(records, tags.catalog, CLI_HINTS);
  const tagDiagnostics: Diagnostic[] = tags.warnings.map((message) => ({ code: "service-tags-file", severity: "warning", resource: options.serviceTags ?? "", message }));
  return {
    records,
    topology,
    env,
    diagnostics: [...diagnostics, ...modelDiagnostics, ...tagDiagnostics, ...unresolved],
  };
}
