import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import type { Diagnostic } from "../../model/diagnostic";

/** What the runner needs from `Pulumi.yaml`. */
export interface ProjectFile {
  readonly name: string;
  /** Absolute path of the file to load. */
  readonly entry: string;
  /** Project-level config defaults (`config:` in Pulumi.yaml), keys already namespaced. */
  readonly defaults: Readonly<Record<string, string>>;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

function readYaml(file: string): Parsed<unknown> {
  try {
    return { ok: true, value: parseYaml(fs.readFileSync(file, "utf8")) as unknown };
  } catch (e) {
    return { ok: false, error: `${path.basename(file)}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}` };
  }
}

/** `key` -> `project:key`; keys that already carry a namespace (`azure-native:location`) are left alone. */
export function namespacedKey(project: string, key: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/**
 * How the CLI hands a config value to the program: strings as they are, everything else as JSON (that is what
 * `config.getObject`/`getNumber`/`getBoolean` parse).
 */
export function configValueString(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

function runtimeName(runtime: unknown): string | undefined {
  if (typeof runtime === "string") return runtime;
  const name = asRecord(runtime)?.["name"];
  return typeof name === "string" ? name : undefined;
}

/** Pulumi.yaml `config:` entries: a plain value, or `{ type?, default?, value? }`. */
function projectDefaults(project: string, config: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = asRecord(config) ?? {};
  for (const key of Object.keys(entries)) {
    const raw = entries[key];
    const spec = asRecord(raw);
    const value = spec ? spec["value"] ?? spec["default"] : raw;
    if (value !== undefined && value !== null) out[namespacedKey(project, key)] = configValueString(value);
  }
  return out;
}

/** The program's entry point, as the Node language host finds it: `main` (file or folder), else index.ts/index.js. */
export function resolveEntry(dir: string, main: string | undefined): Parsed<string> {
  const base = main ? path.resolve(dir, main) : dir;
  const candidates = fs.existsSync(base) && fs.statSync(base).isFile() ? [base] : [path.join(base, "index.ts"), path.join(base, "index.js")];
  const found = candidates.find((f) => fs.existsSync(f));
  return found ? { ok: true, value: found } : { ok: false, error: `no entry point (looked for ${candidates.map((c) => path.relative(dir, c) || c).join(", ")})` };
}

export function readProject(dir: string): Parsed<ProjectFile> {
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  if (!file) return { ok: false, error: "no Pulumi.yaml" };
  const doc = readYaml(file);
  if (!doc.ok) return doc;
  const project = asRecord(doc.value);
  const name = project?.["name"];
  if (!project || typeof name !== "string" || name === "") return { ok: false, error: "Pulumi.yaml has no project name" };
  const runtime = runtimeName(project["runtime"]);
  if (runtime !== "nodejs") return { ok: false, error: `Pulumi.yaml runtime is ${runtime ?? "missing"}; only nodejs programs can be run` };
  const main = project["main"];
  const entry = resolveEntry(dir, typeof main === "string" ? main : undefined);
  if (!entry.ok) return entry;
  return { ok: true, value: { name, entry: entry.value, defaults: projectDefaults(name, project["config"]) } };
}

export interface StackConfig {
  readonly config: Record<string, string>;
  readonly diagnostics: Diagnostic[];
}

/**
 * `Pulumi.<stack>.yaml` `config:` over the project defaults. Encrypted (`secure:`) values cannot be read without
 * the stack's secrets provider: they are left out, with a warning, so `config.require` fails loudly in the program.
 */
export function readStackConfig(dir: string, project: ProjectFile, stack: string): Parsed<StackConfig> {
  const config: Record<string, string> = { ...project.defaults };
  const diagnostics: Diagnostic[] = [];
  const file = [`Pulumi.${stack}.yaml`, `Pulumi.${stack}.yml`].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  if (!file) return { ok: true, value: { config, diagnostics } };
  const doc = readYaml(file);
  if (!doc.ok) return doc;
  const entries = asRecord(asRecord(doc.value)?.["config"]) ?? {};
  for (const key of Object.keys(entries)) {
    const value = entries[key];
    const full = namespacedKey(project.name, key);
    if (asRecord(value)?.["secure"] !== undefined) {
      diagnostics.push({
        code: "config-secret-skipped",
        severity: "warning",
        resource: full,
        field: key,
        message: `${path.basename(file)}: ${full} is encrypted; the program runs without it`,
      });
      continue;
    }
    if (value !== undefined && value !== null) config[full] = configValueString(value);
  }
  return { ok: true, value: { config, diagnostics } };
}
