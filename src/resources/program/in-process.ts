import Module = require("module");
import * as fs from "fs";
import * as path from "path";
import type { Diagnostic } from "../../model/diagnostic";
import { NO_HINTS, type InputHints } from "../../model/input-hints";
import { mockResource, type ShapeSource } from "./mock-state";
import { OutputShapes } from "./output-shapes";
import { createCapturingMonitor } from "./monitor";
import { checkDependencies, readProject, readStackConfig } from "./project";
import { toRecords } from "./records";
import { registerTypeScript, type TranspilerApi } from "./register";
import { loadPulumiSdk, type Mocks } from "./sdk";
import { dropAliases, lazyOutputs, limitStackTraces } from "./speed";
import { STACK_REFERENCE_TYPE, stackReferenceState, type StackOutputs } from "./stack-references";
import { DEFAULT_ORGANIZATION, DEFAULT_STACK, type ProgramOptions, type ProgramResult } from "./types";

/** Where a SyntaxError is: Node puts `<file>:<line>` alone on the first line of its stack. */
function syntaxErrorLocation(e: Error): string | undefined {
  if (e.name !== "SyntaxError") return undefined;
  const first = e.stack?.split("\n")[0] ?? "";
  return /^\S+:\d+$/.test(first) ? first : undefined;
}

/**
 * The program's own message, on one line (the first that says something): no stack trace, no "Require stack"
 * listing. A syntax error is prefixed with its file and line.
 */
export function errorMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : typeof e === "string" ? e : JSON.stringify(e) ?? String(e);
  const line = text.split("\n").map((l) => l.trim()).find((l) => l !== "") ?? (e instanceof Error ? e.name : "unknown error");
  const where = e instanceof Error ? syntaxErrorLocation(e) : undefined;
  return where ? `${where}: ${line}` : line;
}

type ResolveFilename = (request: string, parent: { filename?: string | null } | undefined, ...rest: unknown[]) => string;

/**
 * Lets a program without its own node_modules (a folder outside any project) import @pulumi/* packages from the
 * runner's installation: normal resolution first, the runner's copy only when that fails. Returns the undo.
 */
function fallBackToOurPulumiPackages(programDir: string): () => void {
  const loader = Module as unknown as { _resolveFilename: ResolveFilename };
  const original = loader._resolveFilename;
  const inside = programDir + path.sep;
  loader._resolveFilename = function (this: unknown, request, parent, ...rest) {
    try {
      return original.call(this, request, parent, ...rest);
    } catch (e) {
      if (!request.startsWith("@pulumi/") || !parent?.filename?.startsWith(inside)) throw e;
      return require.resolve(request);
    }
  };
  return () => {
    loader._resolveFilename = original;
  };
}

/** The typescript compiler: the program's own copy first (it is the one its code was written for), else ours. */
function loadTypeScript(programDir: string): TranspilerApi {
  try {
    return Module.createRequire(path.join(programDir, "index.ts"))("typescript") as TranspilerApi;
  } catch {
    try {
      return require("typescript") as TranspilerApi;
    } catch {
      throw new Error("running a TypeScript program needs the typescript package (5.x); install it next to the program or this tool");
    }
  }
}

/** The full compiler API (the output shapes parse declarations), from the same copy the transpiler comes from. */
function loadCompiler(programDir: string): typeof import("typescript") {
  return loadTypeScript(programDir) as unknown as typeof import("typescript");
}

/** The @pulumi/azure-native the program loads (its own copy first, else the runner's), or undefined. */
function azureNativeRoot(programDir: string): string | undefined {
  for (const load of [Module.createRequire(path.join(programDir, "index.ts")), require]) {
    try {
      return path.dirname(load.resolve("@pulumi/azure-native/package.json"));
    } catch {
      // not there: try the next
    }
  }
  return undefined;
}

/** Output shapes of the program's azure-native; warns once per type that has none (its outputs are its inputs). */
function shapeSource(programDir: string, diagnostics: Diagnostic[]): ShapeSource | undefined {
  const root = azureNativeRoot(programDir);
  if (root === undefined) return undefined;
  const warned = new Set<string>();
  return {
    shapes: new OutputShapes(() => loadCompiler(programDir), root),
    missing: (type) => {
      if (warned.has(type)) return;
      warned.add(type);
      diagnostics.push({
        code: "program-output-shape-missing",
        severity: "warning",
        resource: type,
        message: `${type}: the installed @pulumi/azure-native declares no output type for it; its preview outputs are taken to be its inputs`,
      });
    },
  };
}

/** Forget every module loaded from the program's folder (not its node_modules), so a second run reloads it. */
function forgetProgramModules(programDir: string): void {
  const inside = programDir + path.sep;
  for (const file of Object.keys(require.cache)) {
    if (file.startsWith(inside) && !file.slice(inside.length).split(path.sep).includes("node_modules")) delete require.cache[file];
  }
}

/** What `pulumi up` does with the entry module's exports: a function is called, a promise is awaited. */
function loadProgram(entry: string): () => unknown {
  return () => {
    const load = Module.createRequire(entry);
    const exported: unknown = load(entry);
    return typeof exported === "function" ? (exported as () => unknown)() : exported;
  };
}

function mocksFor(diagnostics: Diagnostic[], stacks: readonly StackOutputs[], hints: InputHints): Mocks {
  return {
    // Invokes (getters of existing resources) would need Azure: answer with the arguments, and say so.
    call: ({ token, inputs }) => {
      diagnostics.push({
        code: "program-invoke-mocked",
        severity: "warning",
        resource: token,
        message: `${token} was called; under mocks it returns its arguments only`,
      });
      return typeof inputs === "object" && inputs !== null ? (inputs as Record<string, unknown>) : {};
    },
    // Registrations are answered by the capturing monitor; only reads (`Resource.get`) reach this hook.
    newResource: ({ type, name, id }) => {
      // A StackReference reads another stack's outputs: from the --with-stack files (stack-references.ts).
      if (type === STACK_REFERENCE_TYPE) {
        const answer = stackReferenceState(id ?? name, stacks, hints);
        diagnostics.push(...answer.diagnostics);
        return { id, state: answer.state };
      }
      diagnostics.push({
        code: "program-read-mocked",
        severity: "warning",
        resource: `${type}::${name}`,
        message: `${type} ${name} is read from an existing resource (${id ?? "no id"}); its properties are not known under mocks`,
      });
      return { id, state: {} };
    },
  };
}

/**
 * Runs a Pulumi TypeScript program in this process under mocks and returns what it registered; `label` names the
 * program in messages and records (the folder as the user wrote it); `untilIdle`, when given, resolves once the
 * program's timers and pending work have all run (the child waits for the event loop to empty). Meant for a
 * process of its own (see runProgram): a failing program rejects promises the SDK deliberately leaves unhandled,
 * and the SDK's state is global; the caller owns both.
 */
export async function runProgramInProcess(
  dir: string,
  options: ProgramOptions,
  label: string = dir,
  untilIdle?: () => Promise<void>,
): Promise<ProgramResult> {
  const abs = path.resolve(dir);
  const fail = (error: string): ProgramResult => ({ ok: false, error: `${label}: ${error}` });
  const project = readProject(abs);
  if (!project.ok) return fail(project.error);
  const stack = options.stack ?? DEFAULT_STACK;
  const config = readStackConfig(abs, project.value, stack);
  if (!config.ok) return fail(config.error);
  const deps = checkDependencies(abs);
  if (!deps.ok) return fail(deps.error);
  const diagnostics: Diagnostic[] = [...config.value.diagnostics];

  const undo: (() => void)[] = [];
  const isProgramFile = (file: string): boolean => file.startsWith(abs + path.sep) && !file.includes(`${path.sep}node_modules${path.sep}`);
  try {
    if (project.value.entry.endsWith(".ts")) undo.push(registerTypeScript(loadTypeScript(abs), isProgramFile));
    // A program with a package.json runs on its own dependencies only (checkDependencies said they are there).
    if (!fs.existsSync(path.join(abs, "package.json"))) undo.push(fallBackToOurPulumiPackages(abs));
    forgetProgramModules(abs);
    const sdk = loadPulumiSdk(abs);
    undo.push(dropAliases(sdk), lazyOutputs(sdk), limitStackTraces(0));
    const name = project.value.name;
    const mocks = mocksFor(diagnostics, options.stackOutputs ?? [], options.hints ?? NO_HINTS);
    const shapes = shapeSource(abs, diagnostics);
    sdk.runtime.setAllConfig(config.value.config, config.value.secretKeys);
    // Both modes are previews; they differ in what already exists (see mock-state.ts).
    const organization = options.organization ?? DEFAULT_ORGANIZATION;
    await sdk.runtime.setMocks(mocks, name, stack, true, organization);
    const { monitor, capture } = createCapturingMonitor(sdk, mocks, {
      project: name,
      stack,
      mock: (req) => mockResource(options.preview, req, shapes),
    });
    sdk.settings.setMockOptions(monitor, name, stack, true, organization);
    await sdk.runtime.runInPulumiStack(loadProgram(project.value.entry));
    await sdk.settings.waitForRPCs();
    // Pulumi's Node host keeps a program alive until its event loop empties: timers may still register resources
    // (or throw, which the caller hears of); the records are read once they have run.
    if (untilIdle !== undefined) {
      await untilIdle();
      await sdk.settings.waitForRPCs();
    }
    return { ok: true, records: toRecords(capture, options.preview, label, options.view), diagnostics };
  } catch (e) {
    return fail(errorMessage(e));
  } finally {
    for (const u of undo.reverse()) u();
    forgetProgramModules(abs);
  }
}
