import Module = require("module");
import * as fs from "fs";

/**
 * The part of the `typescript` module the hook needs. Declared here so the compiler API is only loaded when a
 * program is actually run (it is 9 MB of JavaScript) and so callers may pass their own copy.
 */
export interface TranspilerApi {
  transpileModule(
    input: string,
    options: { compilerOptions: Record<string, unknown>; fileName?: string; reportDiagnostics?: boolean },
  ): { outputText: string };
  readonly ModuleKind: { readonly CommonJS: number };
  readonly ScriptTarget: { readonly ES2020: number };
}

type LoaderModule = { _compile(code: string, filename: string): unknown };
type Loader = (module: LoaderModule, filename: string) => void;
type Extensions = Record<string, Loader | undefined>;

/** Node's table of loaders by file extension (the documented-but-deprecated `require.extensions`). */
function extensions(): Extensions {
  return (Module as unknown as { _extensions: Extensions })._extensions;
}

/** Transpile one TypeScript source to CommonJS. No type checking: a program is run, not compiled. */
export function transpileTypeScript(ts: TranspilerApi, source: string, fileName: string): string {
  return ts.transpileModule(source, {
    fileName,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2020,
      esModuleInterop: true,
      sourceMap: false,
      inlineSourceMap: false,
    },
  }).outputText;
}

/**
 * Installs a `.ts` loader (when none is installed, e.g. by ts-node or ts-jest in a child) and returns a function
 * that restores the previous state. `shouldHandle` limits the hook to some files (the program's, not node_modules);
 * other `.ts` files fall through to the previous loader, or to the hook when there was none.
 */
export function registerTypeScript(ts: TranspilerApi, shouldHandle: (file: string) => boolean = () => true): () => void {
  const table = extensions();
  const previous = table[".ts"];
  const loader: Loader = (module, filename) => {
    if (previous !== undefined && !shouldHandle(filename)) {
      previous(module, filename);
      return;
    }
    const source = fs.readFileSync(filename, "utf8");
    module._compile(transpileTypeScript(ts, source, filename), filename);
  };
  table[".ts"] = loader;
  return () => {
    // Only undo our own installation: another hook installed after ours stays.
    if (table[".ts"] !== loader) return;
    if (previous === undefined) delete table[".ts"];
    else table[".ts"] = previous;
  };
}
