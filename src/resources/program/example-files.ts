import * as fs from "fs";
import * as path from "path";
import { runProgram } from "./run";
import type { ProgramResult } from "./types";
import { formatJson, toPreviewJson, toStackExport, unknownPaths } from "./writers";
import { readOtherStack } from "../stacks";
import type { StackOutputs } from "./stack-references";

/** The generated files of an example, next to its Pulumi.yaml. */
export const STACK_EXPORT_FILE = "stack-export.json";
export const PREVIEW_FILE = "preview.json";

export type ExampleFiles =
  | { readonly ok: true; readonly files: Readonly<Record<string, string>>; readonly warnings: string[] }
  | { readonly ok: false; readonly error: string };

/**
 * An example made of several stacks (examples/split-hub-and-spoke/{hub,spoke}) lists, next to a program, the other
 * stacks' files its StackReferences read (paths relative to the program): `["../hub/stack-export.json"]`.
 */
export const WITH_STACKS_FILE = "with-stacks.json";

const isProgramDir = (dir: string): boolean => fs.existsSync(path.join(dir, "Pulumi.yaml"));

/**
 * Example folders (those holding a Pulumi.yaml) under `root`, sorted; an example of several stacks is a folder
 * of programs, listed in name order (the stacks others reference come first by their names: hub before spoke).
 */
export function listExamples(root: string): string[] {
  const dirs = fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(root, d.name))
    .sort();
  return dirs.flatMap((dir) => {
    if (isProgramDir(dir)) return [dir];
    return fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && isProgramDir(path.join(dir, d.name)))
      .map((d) => path.join(dir, d.name))
      .sort();
  });
}

/** The other stacks' outputs an example's StackReferences read (WITH_STACKS_FILE), or an error. */
function exampleStackOutputs(dir: string): { ok: true; stacks: StackOutputs[] } | { ok: false; error: string } {
  const file = path.join(dir, WITH_STACKS_FILE);
  if (!fs.existsSync(file)) return { ok: true, stacks: [] };
  const list = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
  if (!Array.isArray(list) || list.some((x) => typeof x !== "string")) return { ok: false, error: `${file}: expected a list of paths` };
  const stacks: StackOutputs[] = [];
  for (const rel of list as string[]) {
    const read = readOtherStack(path.join(dir, rel), file);
    if (!read.ok) return { ok: false, error: read.error };
    stacks.push({ stack: read.stack.stack, project: read.stack.project, file: rel, outputs: read.stack.outputs });
  }
  return { ok: true, stacks };
}

/**
 * The contents `stack-export.json` (the state after an update: everything deployed) and `preview.json` (a first
 * preview: nothing deployed; each step's newState holds the program's inputs and azure-native's preview outputs,
 * as the engine holds them) of an example should have now. Warns when the export had to leave out values no mock
 * can know.
 */
export async function renderExampleFiles(dir: string): Promise<ExampleFiles> {
  // A spoke's first preview and its export both read the hub as deployed (a StackReference reads the other
  // stack's current outputs): the same files for both.
  const others = exampleStackOutputs(dir);
  if (!others.ok) return others;
  const stackOutputs = others.stacks.length > 0 ? { stackOutputs: others.stacks } : {};
  const [update, first]: ProgramResult[] = await Promise.all([
    runProgram(dir, { preview: "deployed", ...stackOutputs }),
    runProgram(dir, { preview: "first", view: "engine", ...stackOutputs }),
  ]);
  if (!update.ok) return update;
  if (!first.ok) return first;
  const warnings = update.records.flatMap((r) => unknownPaths(r).map((p) => `${STACK_EXPORT_FILE} leaves out ${r.urn} ${p} (unknown under mocks)`));
  return {
    ok: true,
    files: {
      [STACK_EXPORT_FILE]: formatJson(toStackExport(update.records)),
      [PREVIEW_FILE]: formatJson(toPreviewJson(first.records)),
    },
    warnings,
  };
}
