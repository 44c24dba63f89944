/**
 * Drives the policy pack the way the Pulumi engine does: `node <@pulumi/pulumi/cmd/run-policy-pack> <engine> .`
 * with the repository root as working directory, the port read from the pack's stdout, then the
 * pulumirpc.Analyzer service over insecure gRPC, as the engine calls it:
 * - Configure with the policy config reconciled and validated as the engine does (`configureAsEngine`: each
 *   policy's schema defaults, then the `--policy-pack-config` file, `all` first, then per policy; a string is an
 *   enforcement level; then JSON-schema validation of each policy's config against its configSchema plus the
 *   enforcementLevel enum; pulumi/pulumi sdk/go/common/resource/plugin/analyzer_plugin.go, the policy config
 *   reconciliation and validation before Configure);
 * - Analyze once per resource with its *inputs*, then AnalyzeStack with every resource's *outputs*, top-level
 *   `__` keys stripped and a provider per resource (pkg/resource/deploy: the analyzers' pass over the registered
 *   resources, then the stack analysis);
 * - responses read with gRPC's default 4 MiB receive limit: since CLI v3.221 a Node pack is started through the
 *   Node language host, whose policy proxy client keeps that default, so a larger answer fails the real preview
 *   with RESOURCE_EXHAUSTED.
 *
 * run-policy-pack drops the engine address before loading the pack (cmd/run-policy-pack/index.js: "Remove
 * <engine-address> so we simply execute the program"), but a real engine is listening there: a tiny fake Engine
 * service (log only) stands in for it and records anything the pack would log.
 */
import { spawn, type ChildProcess } from "child_process";
import { existsSync } from "fs";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import Ajv from "ajv";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import {
  AnalyzerInfo,
  AnalyzeRequest,
  AnalyzerPropertyDependencies,
  AnalyzerProviderResource,
  AnalyzerResource,
  AnalyzerResourceOptions,
  AnalyzeResponse,
  AnalyzeStackRequest,
  ConfigureAnalyzerRequest,
  EnforcementLevel,
  PolicyConfig,
} from "@pulumi/pulumi/proto/analyzer_pb";
import { EngineService } from "@pulumi/pulumi/proto/engine_grpc_pb";

export const ROOT = path.resolve(__dirname, "../..");
/** What the language host's policy proxy accepts in one response: gRPC's default receive limit. */
export const PROXY_MAX_RECEIVE = 4 * 1024 * 1024;
export const PACK_ENTRY = path.join(ROOT, "dist", "policy-pack", "index.js");

/** One resource as the engine keeps it (a preview file's newState). */
export interface EngineState {
  readonly urn: string;
  readonly type: string;
  readonly custom?: boolean;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
  readonly parent?: string;
  readonly dependencies?: readonly string[];
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
  /** `<provider urn>::<provider id>`, as in a stack export. */
  readonly provider?: string;
}

export interface Diagnostic {
  readonly policyName: string;
  readonly policyPackName: string;
  readonly message: string;
  readonly urn: string;
  readonly enforcementLevel: "advisory" | "mandatory" | "disabled" | "remediate";
}

const LEVELS: Record<number, Diagnostic["enforcementLevel"]> = {
  [EnforcementLevel.ADVISORY]: "advisory",
  [EnforcementLevel.MANDATORY]: "mandatory",
  [EnforcementLevel.DISABLED]: "disabled",
  [EnforcementLevel.REMEDIATE]: "remediate",
};

function nameOf(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}

/** The engine strips top-level `__` keys (internal properties such as `__inputs`) before a stack analysis. */
function withoutInternalKeys(props: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).filter(([k]) => !k.startsWith("__")));
}

/** The provider of a resource, as the engine sends it: its URN, type and name (its properties are not needed here). */
function providerOf(s: EngineState): AnalyzerProviderResource {
  const urn = s.provider?.slice(0, s.provider.lastIndexOf("::")) || `urn:pulumi:dev::p::pulumi:providers:${s.type.split(":")[0]}::default`;
  const p = new AnalyzerProviderResource();
  p.setUrn(urn);
  p.setType(`pulumi:providers:${s.type.split(":")[0]}`);
  p.setName(nameOf(urn));
  p.setProperties(Struct.fromJavaScript({}));
  return p;
}

/** Encodes a resource as the engine does for AnalyzeStack: outputs as a Struct (unknowns stay sentinel strings). */
export function analyzerResource(s: EngineState): AnalyzerResource {
  const props = s.outputs && Object.keys(s.outputs).length > 0 ? s.outputs : (s.inputs ?? {});
  const r = new AnalyzerResource();
  r.setType(s.type);
  r.setUrn(s.urn);
  r.setName(nameOf(s.urn));
  r.setProperties(Struct.fromJavaScript(withoutInternalKeys(props) as Record<string, never>));
  // Without options every call fails ("A more recent version of the Pulumi CLI is required").
  r.setOptions(new AnalyzerResourceOptions().setProtect(false));
  if (s.custom !== false) r.setProvider(providerOf(s));
  if (s.parent) r.setParent(s.parent);
  r.setDependenciesList([...(s.dependencies ?? [])]);
  const deps = r.getPropertydependenciesMap();
  for (const [key, urns] of Object.entries(s.propertyDependencies ?? {})) {
    if (urns.length > 0) deps.set(key, new AnalyzerPropertyDependencies().setUrnsList([...urns]));
  }
  return r;
}

/** Encodes a resource as the engine does for Analyze: its inputs. */
export function analyzeRequest(s: EngineState): AnalyzeRequest {
  const r = new AnalyzeRequest();
  r.setType(s.type);
  r.setUrn(s.urn);
  r.setName(nameOf(s.urn));
  r.setProperties(Struct.fromJavaScript((s.inputs ?? {}) as Record<string, never>));
  r.setOptions(new AnalyzerResourceOptions().setProtect(false));
  if (s.custom !== false) r.setProvider(providerOf(s));
  return r;
}

function unary<Req, Res>(call: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => call(req, (err, res) => (err ? reject(err) : resolve(res))));
}

function diagnosticsOf(res: AnalyzeResponse): Diagnostic[] {
  return res.getDiagnosticsList().map((d) => ({
    policyName: d.getPolicyname(),
    policyPackName: d.getPolicypackname(),
    message: d.getMessage(),
    urn: d.getUrn(),
    enforcementLevel: LEVELS[d.getEnforcementlevel()] ?? "advisory",
  }));
}

type Level = Diagnostic["enforcementLevel"];
interface PolicyConfigEntry {
  enforcementLevel?: "advisory" | "mandatory" | "remediate" | "disabled";
  [key: string]: unknown;
}

const LEVEL_NAMES: ReadonlySet<string> = new Set(["advisory", "mandatory", "remediate", "disabled"]);

/**
 * The engine's reading, reconciliation and validation of policy config, as pulumi/pulumi's analyzer package does
 * it (pkg/resource/analyzer/config.go: parsePolicyPackConfig, extractEnforcementLevel, ReconcilePolicyPackConfig,
 * applyConfig, validatePolicyConfig, convertSchema):
 * - per policy a string (an enforcement level) or an object whose `enforcementLevel`, if any, must be a valid level
 *   and is taken out; anything else is an error;
 * - defaults: the policy's own level and its schema's `default`s; then `all` (its level only), then each policy's
 *   entry (level, and properties merged over the defaults);
 * - each policy's properties are validated against `{type: "object", properties, required}` (GetAnalyzerInfo
 *   carries nothing else of the schema, so a top-level `additionalProperties` never reaches the engine; nested
 *   property schemas are used whole). Errors read `<policy>: <message>`.
 */
export function reconcilePolicyConfig(
  policies: ReadonlyArray<{ name: string; level: Level; schema: { properties: Record<string, Record<string, unknown>>; required: readonly string[] } }>,
  fileConfig: Record<string, unknown>,
): { ok: true; config: Record<string, PolicyConfigEntry> } | { ok: false; error: string } {
  const given = new Map<string, { level?: string; properties: Record<string, unknown> }>();
  for (const [name, v] of Object.entries(fileConfig)) {
    if (typeof v === "string") {
      if (!LEVEL_NAMES.has(v)) return { ok: false, error: `parsing enforcement level for "${name}": "${v}" is not a valid enforcement level` };
      given.set(name, { level: v, properties: {} });
    } else if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      const { enforcementLevel, ...properties } = v as Record<string, unknown>;
      if (enforcementLevel !== undefined && typeof enforcementLevel !== "string") {
        return { ok: false, error: `parsing enforcement level for "${name}": ${String(enforcementLevel)} is not a valid enforcement level; must be a string` };
      }
      if (typeof enforcementLevel === "string" && !LEVEL_NAMES.has(enforcementLevel)) {
        return { ok: false, error: `parsing enforcement level for "${name}": "${enforcementLevel}" is not a valid enforcement level` };
      }
      given.set(name, { ...(enforcementLevel !== undefined ? { level: enforcementLevel } : {}), properties });
    } else {
      return { ok: false, error: `parsing "${name}": ${JSON.stringify(v)} is not a valid value; must be a string or object` };
    }
  }
  const ajv = new Ajv({ allErrors: true, strict: false });
  const config: Record<string, PolicyConfigEntry> = {};
  const errors: string[] = [];
  const allLevel = given.get("all")?.level;
  for (const p of policies) {
    const properties: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(p.schema.properties)) if (v && "default" in v) properties[k] = v.default;
    let level: string = allLevel ?? p.level;
    const own = given.get(p.name);
    if (own?.level !== undefined) level = own.level;
    Object.assign(properties, own?.properties ?? {});
    const schema = {
      type: "object",
      ...(Object.keys(p.schema.properties).length > 0 ? { properties: p.schema.properties } : {}),
      ...(p.schema.required.length > 0 ? { required: p.schema.required } : {}),
    };
    const validate = ajv.compile(schema);
    if (!validate(properties)) {
      for (const e of validate.errors ?? []) errors.push(`${p.name}: ${e.instancePath ? `${e.instancePath.slice(1).replace(/\//g, ".")}: ` : ""}${e.message ?? "is invalid"}`);
    }
    config[p.name] = { ...properties, enforcementLevel: level as PolicyConfigEntry["enforcementLevel"] };
  }
  if (errors.length > 0) return { ok: false, error: `validating policy config: ${errors.join("; ")}` };
  return { ok: true, config };
}

export class PackHarness {
  readonly engineLogs: string[] = [];
  /** Size of the last AnalyzeStack answer as it crossed the wire (protobuf bytes). */
  lastStackResponseBytes = 0;
  private child?: ChildProcess;
  private engine?: grpc.Server;
  private client?: AnalyzerClient;
  stderr = "";

  /** Starts the fake engine and the pack; resolves once the pack printed its port. */
  async start(timeoutMs = 45_000): Promise<void> {
    if (!existsSync(PACK_ENTRY)) throw new Error(`${PACK_ENTRY} is missing: compile first (npm test runs tsc before jest)`);
    const enginePort = await this.startEngine();
    const entry = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
    const child = spawn(process.execPath, [entry, `127.0.0.1:${enginePort}`, "."], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    child.stderr?.on("data", (d: Buffer) => (this.stderr += d.toString("utf8")));
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`the pack printed no port within ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
      child.stdout?.on("data", (d: Buffer) => {
        out += d.toString("utf8");
        const line = out.split("\n")[0];
        if (out.includes("\n")) {
          clearTimeout(timer);
          // The port must be alone on the first line: anything printed before it would break the engine.
          if (/^\d+$/.test(line.trim())) resolve(Number(line.trim()));
          else reject(new Error(`the pack's first line is not a port: ${JSON.stringify(line)}`));
        }
      });
      child.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`the pack exited (code ${code}) before printing its port; stderr: ${this.stderr}`));
      });
    });
    // gRPC's defaults, as the language host's policy proxy has them: 4 MiB receive (PROXY_MAX_RECEIVE).
    this.client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": PROXY_MAX_RECEIVE,
    });
  }

  private startEngine(): Promise<number> {
    const server = new grpc.Server();
    server.addService(EngineService, {
      log: (call: grpc.ServerUnaryCall<{ getMessage(): string }, Empty>, cb: grpc.sendUnaryData<Empty>) => {
        this.engineLogs.push(call.request.getMessage());
        cb(null, new Empty());
      },
    } as unknown as grpc.UntypedServiceImplementation);
    this.engine = server;
    return new Promise((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
    );
  }

  private get analyzer(): AnalyzerClient {
    if (!this.client) throw new Error("the pack is not started");
    return this.client;
  }

  getAnalyzerInfo(): Promise<AnalyzerInfo> {
    return unary<Empty, AnalyzerInfo>((req, cb) => this.analyzer.getAnalyzerInfo(req, cb), new Empty());
  }

  /** Configure: per-policy config as the engine sends it (enforcement level apart, the rest as a Struct). */
  configure(config: Record<string, PolicyConfigEntry>): Promise<Empty> {
    const req = new ConfigureAnalyzerRequest();
    for (const [policy, { enforcementLevel, ...props }] of Object.entries(config)) {
      const pc = new PolicyConfig();
      pc.setEnforcementlevel(
        enforcementLevel === "advisory"
          ? EnforcementLevel.ADVISORY
          : enforcementLevel === "disabled"
            ? EnforcementLevel.DISABLED
            : enforcementLevel === "remediate"
              ? EnforcementLevel.REMEDIATE
              : EnforcementLevel.MANDATORY,
      );
      pc.setProperties(Struct.fromJavaScript(props as Record<string, never>));
      req.getPolicyconfigMap().set(policy, pc);
    }
    return unary<ConfigureAnalyzerRequest, Empty>((r, cb) => this.analyzer.configure(r, cb), req);
  }

  /**
   * Configure as the engine does: `fileConfig` is what `--policy-pack-config` holds (per policy a level string or
   * an object with `enforcementLevel` and properties; `all` for every policy). Defaults come from each policy's
   * schema; the result is validated against the schema plus the enforcementLevel enum, and an invalid config is
   * an error (the engine stops the preview) instead of a Configure call.
   */
  async configureAsEngine(fileConfig: Record<string, unknown>): Promise<void> {
    const info = await this.getAnalyzerInfo();
    const policies = info.getPoliciesList().map((p) => ({
      name: p.getName(),
      level: LEVELS[p.getEnforcementlevel()] ?? "advisory",
      schema: {
        properties: (p.getConfigschema()?.getProperties()?.toJavaScript() ?? {}) as Record<string, Record<string, unknown>>,
        required: p.getConfigschema()?.getRequiredList() ?? [],
      },
    }));
    const reconciled = reconcilePolicyConfig(policies, fileConfig);
    if (!reconciled.ok) throw new Error(reconciled.error);
    await this.configure(reconciled.config);
  }

  /** Analyze for one resource (its inputs): what resource policies see. */
  async analyze(state: EngineState): Promise<Diagnostic[]> {
    const res = await unary<AnalyzeRequest, AnalyzeResponse>((r, cb) => this.analyzer.analyze(r, cb), analyzeRequest(state));
    return diagnosticsOf(res);
  }

  /** AnalyzeStack alone (outputs). Use `preview` for what the engine does. */
  async analyzeStack(states: readonly EngineState[]): Promise<Diagnostic[]> {
    const req = new AnalyzeStackRequest();
    req.setResourcesList(states.map(analyzerResource));
    const res = await unary<AnalyzeStackRequest, AnalyzeResponse>((r, cb) => this.analyzer.analyzeStack(r, cb), req);
    this.lastStackResponseBytes = res.serializeBinary().length;
    return diagnosticsOf(res);
  }

  /** What the engine does with the analyzers during a preview: Analyze per resource, then AnalyzeStack. */
  async preview(states: readonly EngineState[]): Promise<Diagnostic[]> {
    const perResource: Diagnostic[] = [];
    for (const s of states) perResource.push(...(await this.analyze(s)));
    return [...perResource, ...(await this.analyzeStack(states))];
  }

  async stop(): Promise<void> {
    this.client?.close();
    if (this.child && this.child.exitCode === null) {
      const exited = new Promise<void>((resolve) => this.child?.once("exit", () => resolve()));
      this.child.kill();
      await exited;
    }
    this.engine?.forceShutdown();
  }
}
