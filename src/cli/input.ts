import { statSync } from "fs";
import { buildTopology } from "../adapters/azure-native";
import type { Diagnostic } from "../model/diagnostic";
import type { Topology } from "../model/topology";
import { readResourceFile } from "../resources/detect";
import type { ResourceRecord } from "../resources/record";
import { runProgram } from "../resources/program";
import { EMPTY_CATALOG, readServiceTagsFile, unresolvedServiceTags, type ServiceTagCatalog } from "../engine/service-tags";
import { engineEnv, type EngineEnv } from "../engine/nsg";
import { fail } from "./errors";

export interface InputOptions {
  readonly serviceTags?: string;
  readonly preview?: string;
  readonly stack?: string;
  /** A stack export of the current stack, which a preview file's steps apply to (previews without `--show-sames`). */
  readonly state?: string;
}

export interface LoadedInput {
  readonly records: readonly ResourceRecord[];
  readonly topology: Topology;
  readonly env: EngineEnv;
  /** Reader, adapter and service tag diagnostics together. */
  readonly diagnostics: readonly Diagnostic[];
}

async function readRecords(path: string, options: InputOptions): Promise<{ records: ResourceRecord[]; diagnostics: Diagnostic[] }> {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    fail(`cannot read ${path}: no such file or directory`);
  }
  if (isDir) {
    if (options.state !== undefined) fail(`--state applies to a preview file, and ${path} is a program directory`);
    const preview = options.preview ?? "first";
    if (preview !== "first" && preview !== "update") fail(`--preview must be "first" or "update", not "${preview}"`);
    const run = await runProgram(path, { preview, stack: options.stack });
    if (!run.ok) fail(run.error);
    return { records: run.records, diagnostics: run.diagnostics };
  }
  const state = options.state === undefined ? undefined : readState(options.state);
  const read = readResourceFile(path, state === undefined ? {} : { state: { records: state.records, origin: options.state ?? "" } });
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
export async function loadInput(path: string, options: InputOptions): Promise<LoadedInput> {
  const tags = loadServiceTags(options.serviceTags);
  const { records, diagnostics } = await readRecords(path, options);
  const topology = buildTopology(records);
  const tagDiagnostics: Diagnostic[] = tags.warnings.map((message) => ({ code: "service-tags-file", severity: "warning", resource: options.serviceTags ?? "", message }));
  return {
    records,
    topology,
    env: engineEnv(topology, tags.catalog),
    diagnostics: [...diagnostics, ...topology.diagnostics, ...tagDiagnostics, ...unresolvedServiceTags(topology, tags.catalog)],
  };
}
