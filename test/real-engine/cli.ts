/**
 * Runs the real Pulumi CLI built by `npm run engine:install` (.engine/bin, scripts/engine/install.js):
 * `pulumi policy analyze --file <export> --policy-pack <dir> --policy-pack-config <config> --json`, offline, with
 * PULUMI_HOME and a local file backend in a temporary folder and the update check off.
 *
 * `policy analyze` (pkg/cmd/pulumi/policy/policy_analyze.go in pulumi/pulumi at the pinned v3.260.0) reads the export, loads the
 * packs (engine.LoadLocalPolicyPackAnalyzers: GetAnalyzerInfo, config reconciliation and validation, Configure),
 * calls Analyze per resource with its inputs and AnalyzeStack with the outputs (deploy.AnalyzeSnapshot), and with
 * `--json` writes one apitype.EngineEvent per line (policy_analyze.go writeEvent: a `policyEvent` per violation, a
 * `summaryEvent` last). It exits non-zero on a mandatory violation ("one or more mandatory policy violations were
 * found") and on any error, which it prints on stderr (the only place config errors appear).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "../..");
export const ENGINE_BIN = path.join(ROOT, ".engine", "bin");
const MANIFEST = path.join(ROOT, ".engine", "manifest.json");

export interface EngineManifest {
  readonly cli: { readonly module: string; readonly version: string; readonly reports: string };
  /** How the CLI starts a Node pack: through the Node language host, or the CLI's fallback analyzer plugin. */
  readonly launcher: "pulumi-language-nodejs" | "pulumi-analyzer-policy-nodejs";
  readonly languageHost: { readonly module: string; readonly version?: string; readonly unavailable?: string };
}

/** The manifest of the installed engine, or why there is none. */
export function engineManifest(): { ok: true; manifest: EngineManifest } | { ok: false; reason: string } {
  if (!fs.existsSync(path.join(ENGINE_BIN, "pulumi"))) return { ok: false, reason: "the Pulumi CLI is not installed: run `npm run engine:install`" };
  try {
    return { ok: true, manifest: JSON.parse(fs.readFileSync(MANIFEST, "utf8")) as EngineManifest };
  } catch {
    return { ok: false, reason: `${path.relative(ROOT, MANIFEST)} is missing or unreadable: run \`npm run engine:install\`` };
  }
}

/** apitype.PolicyEvent (sdk/go/common/apitype/events.go). */
export interface PolicyEvent {
  readonly resourceUrn?: string;
  readonly message: string;
  readonly policyName: string;
  readonly policyPackName: string;
  readonly policyPackVersion: string;
  readonly enforcementLevel: string;
  readonly severity?: string;
}

export interface EngineEvent {
  readonly sequence: number;
  readonly policyEvent?: PolicyEvent;
  readonly summaryEvent?: { readonly result?: string; readonly PolicyPacks?: Record<string, string> };
  readonly [other: string]: unknown;
}

export interface AnalyzeRun {
  readonly code: number | null;
  readonly events: readonly EngineEvent[];
  readonly violations: readonly PolicyEvent[];
  readonly stderr: string;
  /** Lines of stdout that are not JSON events (there should be none). */
  readonly stray: readonly string[];
  readonly ms: number;
}

export interface AnalyzeOptions {
  readonly file: string;
  /** A config document (written to a temporary file) or the path of a config file; none when absent. */
  readonly config?: object | string;
  /** The policy pack directory (default: the repository root, as `--policy-pack .`). */
  readonly policyPack?: string;
  readonly timeoutMs?: number;
}

/** A fresh PULUMI_HOME and local backend per run: nothing is read from or written to the user's. */
export function engineEnv(tmp: string): NodeJS.ProcessEnv {
  const home = path.join(tmp, "pulumi-home");
  const state = path.join(tmp, "state");
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(state, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: [ENGINE_BIN, path.dirname(process.execPath), process.env.PATH ?? ""].join(path.delimiter),
    PULUMI_HOME: home,
    PULUMI_BACKEND_URL: `file://${state}`,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_CONFIG_PASSPHRASE: "",
    NO_COLOR: "1",
  };
  // An ambient language host or token must not change which path the CLI takes.
  delete env.PULUMI_ACCESS_TOKEN;
  delete env.PULUMI_IGNORE_AMBIENT_PLUGINS;
  return env;
}

export function analyze(opts: AnalyzeOptions): AnalyzeRun {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ar-engine-"));
  try {
    const args = ["policy", "analyze", "--file", opts.file, "--policy-pack", opts.policyPack ?? ".", "--json"];
    if (opts.config !== undefined) {
      const file = typeof opts.config === "string" ? opts.config : path.join(tmp, "policy-config.json");
      if (typeof opts.config !== "string") fs.writeFileSync(file, JSON.stringify(opts.config));
      args.push("--policy-pack-config", file);
    }
    const started = Date.now();
    const r = spawnSync(path.join(ENGINE_BIN, "pulumi"), args, {
      cwd: ROOT,
      env: engineEnv(tmp),
      encoding: "utf8",
      timeout: opts.timeoutMs ?? 5 * 60 * 1000,
      maxBuffer: 1024 * 1024 * 1024,
    });
    const ms = Date.now() - started;
    if (r.error) throw new Error(`pulumi ${args.join(" ")}: ${r.error.message}`);
    const events: EngineEvent[] = [];
    const stray: string[] = [];
    for (const line of r.stdout.split("\n")) {
      if (line.trim() === "") continue;
      try {
        events.push(JSON.parse(line) as EngineEvent);
      } catch {
        stray.push(line);
      }
    }
    const violations = events.flatMap((e) => (e.policyEvent ? [e.policyEvent] : []));
    return { code: r.status, events, violations, stderr: r.stderr, stray, ms };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The first line of a violation's message (the pack puts the verdict there). */
export const headline = (v: PolicyEvent): string => v.message.split("\n")[0];
