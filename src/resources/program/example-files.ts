import * as fs from "fs";
import * as path from "path";
import { runProgram } from "./run";
import type { ProgramResult } from "./types";
import { formatJson, toPreviewJson, toStackExport, unknownPaths } from "./writers";

/** The generated files of an example, next to its Pulumi.yaml. */
export const STACK_EXPORT_FILE = "stack-export.json";
export const PREVIEW_FILE = "preview.json";

export type ExampleFiles =
  | { readonly ok: true; readonly files: Readonly<Record<string, string>>; readonly warnings: string[] }
  | { readonly ok: false; readonly error: string };

/** Example folders (those holding a Pulumi.yaml) under `root`, sorted. */
export function listExamples(root: string): string[] {
  return fs
    .readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(root, d.name, "Pulumi.yaml")))
    .map((d) => path.join(root, d.name))
    .sort();
}

/**
 * The contents `stack-export.json` (the state after an update: everything deployed) and `preview.json` (a first
 * preview: nothing deployed; each step's newState holds the program's inputs and azure-native's preview outputs,
 * as the engine holds them) of an example should have now. Warns when the export had to leave out values no mock
 * can know.
 */
export async function renderExampleFiles(dir: string): Promise<ExampleFiles> {
  const [update, first]: ProgramResult[] = await Promise.all([
    runProgram(dir, { preview: "deployed" }),
    runProgram(dir, { preview: "first", view: "engine" }),
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
