import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import type { Diagnostic } from "../../model/diagnostic";
import { MASKED_SECRET } from "./values";

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

/** `main` of the package.json in `dir`, when there is one that says so. */
function packageMain(dir: string): string | undefined {
  const file = path.join(dir, "package.json");
  if (!fs.existsSync(file)) return undefined;
  try {
    const main = asRecord(JSON.parse(fs.readFileSync(file, "utf8")) as unknown)?.["main"];
    return typeof main === "string" && main !== "" ? main : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The program's entry point, as the Node language host finds it: it `require`s the program folder (Pulumi.yaml
 * `main`, a file or folder, else the project folder), so a folder's package.json `main` is honoured before
 * index.ts/index.js.
 */
export function resolveEntry(dir: string, main: string | undefined): Parsed<string> {
  const base = main ? path.resolve(dir, main) : dir;
  if (fs.existsSync(base) && fs.statSync(base).isFile()) return { ok: true, value: base };
  const own = packageMain(base);
  const fromPackage = own === undefined ? [] : [path.resolve(base, own), `${path.resolve(base, own)}.ts`, `${path.resolve(base, own)}.js`, path.join(path.resolve(base, own), "index.ts"), path.join(path.resolve(base, own), "index.js")];
  const candidates = [...fromPackage, path.join(base, "index.ts"), path.join(base, "index.js")];
  const found = candidates.find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
  if (found) return { ok: true, value: found };
  const looked = own !== undefined ? [`package.json main ${own}`, ...candidates.slice(fromPackage.length)] : candidates;
  return { ok: false, error: `no entry point (looked for ${looked.map((c) => path.relative(dir, c) || c).join(", ")})` };
}

/** The install command of the package manager a folder's lock file names (npm when there is none). */
export function installCommand(dir: string): string {
  if (fs.existsSync(path.join(dir, "pnpm-lock.yaml"))) return "pnpm install";
  if (fs.existsSync(path.join(dir, "yarn.lock"))) return "yarn install";
  if (fs.existsSync(path.join(dir, "bun.lockb")) || fs.existsSync(path.join(dir, "bun.lock"))) return "bun install";
  return "npm install";
}

/**
 * A program with a package.json of its own runs on its own dependencies, as `pulumi preview` runs it: when
 * @pulumi/pulumi cannot be resolved from its folder, say which install to run instead of running it on ours.
 * A folder without a package.json (a loose program, or one inside another project) may use the runner's packages.
 */
export function checkDependencies(dir: string): Parsed<true> {
  if (!fs.existsSync(path.join(dir, "package.json"))) return { ok: true, value: true };
  try {
    require.resolve("@pulumi/pulumi", { paths: [dir] });
    return { ok: true, value: true };
  } catch {
    return { ok: false, error: `its dependencies are not installed (@pulumi/pulumi not found from ${dir}): run \`${installCommand(dir)}\` there first` };
  }
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
  /** Keys of `config` that are secrets (`secure:` values). */
  readonly secretKeys: string[];
  readonly diagnostics: Diagnostic[];
}

/**
 * What a `secure:` value reads as: it cannot be decrypted without the stack's secrets provider, so the program
 * gets the mask `pulumi preview --json` prints for every secret, marked secret; records turn it into an Unknown
 * with the reason "secret" (values.ts).
 */
export const MASKED_CONFIG_SECRET = MASKED_SECRET;

/**
 * `Pulumi.<stack>.yaml` `config:` over the project defaults. Encrypted (`secure:`) values are secrets the program
 * may require: they are set to the mask and listed in `secretKeys` (so `config.requireSecret` gives a secret
 * Output), with a note that their value is not known here.
 */
export function readStackConfig(dir: string, project: ProjectFile, stack: string): Parsed<StackConfig> {
  const config: Record<string, string> = { ...project.defaults };
  const secretKeys: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const file = [`Pulumi.${stack}.yaml`, `Pulumi.${stack}.yml`].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  if (!file) return { ok: true, value: { config, secretKeys, diagnostics } };
  const doc = readYaml(file);
  if (!doc.ok) return doc;
  const entries = asRecord(asRecord(doc.value)?.["config"]) ?? {};
  for (const key of Object.keys(entries)) {
    const value = entries[key];
    const full = namespacedKey(project.name, key);
    if (asRecord(value)?.["secure"] !== undefined) {
      config[full] = MASKED_CONFIG_SECRET;
      secretKeys.push(full);
      diagnostics.push({
        code: "config-secret-masked",
        severity: "info",
        resource: full,
        field: key,
        message: `${path.basename(file)}: ${full} is encrypted; the program gets it as a secret whose value is unknown here`,
      });
      continue;
    }
    if (value !== undefined && value !== null) config[full] = configValueString(value);
  }
  return { ok: true, value: { config, secretKeys, diagnostics } };
}
