import { fork } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { ChildRequest } from "./child";
import { checkDependencies, readProject } from "./project";
import { DEFAULT_TIMEOUT_MS, MAIN_FINISHED, type ProgramOptions, type ProgramResult } from "./types";

/** The child entry next to this file: `child.js` once compiled, `child.ts` when run from sources (tests, scripts). */
function childEntry(): string {
  return path.join(__dirname, `child${path.extname(__filename) || ".js"}`);
}

/**
 * Node flags for the child. From sources the child is TypeScript, which Node 20 cannot load: a few lines installed
 * with `-e` transpile `.ts` files on the fly (the same transpile-only settings as register.ts), then load the entry.
 */
export function childExecArgv(entry: string): string[] {
  if (!entry.endsWith(".ts")) return [];
  const ts = JSON.stringify(require.resolve("typescript"));
  const bootstrap = [
    `const ts = require(${ts}), fs = require("fs"), Module = require("module");`,
    `Module._extensions[".ts"] = (m, f) => m._compile(ts.transpileModule(fs.readFileSync(f, "utf8"), { fileName: f,`,
    `  compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true } }).outputText, f);`,
    `require(process.argv[1]);`,
  ].join("\n");
  return ["-e", bootstrap];
}

function isProgramResult(v: unknown): v is ProgramResult {
  const r = v as { ok?: unknown } | null;
  return typeof r === "object" && r !== null && typeof r.ok === "boolean";
}

/** Last non-empty line of what the child printed on stderr, to explain an unexpected exit. */
function lastLine(text: string): string {
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  return lines[lines.length - 1] ?? "";
}

const KEEP_STDERR = 8 * 1024;

/**
 * Runs the Pulumi TypeScript program in `dir` under Pulumi's mocks, imitating a first preview (nothing exists:
 * ids and computed values unknown) or an update preview (everything exists: deterministic ARM ids), and returns
 * every resource it registered as a ResourceRecord. Nothing is deployed and no Pulumi CLI is needed.
 * Never rejects: a failing, crashing or hanging program gives `{ ok: false, error: "<dir>: <message>" }`.
 * Each run has a process of its own, started with the program's folder as working directory (as Pulumi does).
 */
export function runProgram(dir: string, options: ProgramOptions): Promise<ProgramResult> {
  const abs = path.resolve(dir);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // Say what is wrong with the folder itself without starting a process.
  if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory()) return Promise.resolve({ ok: false, error: `${dir}: no such directory` });
  const project = readProject(abs);
  if (!project.ok) return Promise.resolve({ ok: false, error: `${dir}: ${project.error}` });
  const deps = checkDependencies(abs);
  if (!deps.ok) return Promise.resolve({ ok: false, error: `${dir}: ${deps.error}` });
  return new Promise<ProgramResult>((resolve) => {
    let settled = false;
    let stderr = "";
    let timer: NodeJS.Timeout | undefined;
    let mainFinished = false;
    const settle = (result: ProgramResult): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      resolve(result);
    };
    const fail = (error: string): void => settle({ ok: false, error: `${dir}: ${error}` });
    const entry = childEntry();
    const child = fork(entry, [], {
      cwd: abs,
      execArgv: childExecArgv(entry),
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      serialization: "json",
    });
    // The program's own output is not ours to print (the CLI's stdout is its answer); drain it, keep stderr's tail.
    child.stdout?.resume();
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-KEEP_STDERR);
    });
    timer = setTimeout(() => {
      child.kill("SIGKILL");
      const s = Math.round(timeoutMs / 1000);
      fail(
        mainFinished
          ? `the program did not finish within ${s} s: its main code finished, but a timer or open handle kept it running (pulumi preview waits for those too)`
          : `the program did not finish within ${s} s`,
      );
    }, timeoutMs);
    child.on("message", (msg: unknown) => {
      if (msg === MAIN_FINISHED) mainFinished = true;
      else if (isProgramResult(msg)) settle(msg);
    });
    child.on("error", (e) => fail(`could not start the program runner: ${e.message}`));
    // "close", not "exit": it comes after the IPC channel has delivered the result.
    child.on("close", (code, signal) => {
      const why = lastLine(stderr);
      fail(`the program exited (${signal ?? `code ${code}`}) before finishing${why ? `: ${why}` : ""}`);
    });
    const request: ChildRequest = { dir: abs, label: dir, options };
    child.send(request, (e) => {
      if (e) fail(`could not start the program runner: ${e.message}`);
    });
  });
}
