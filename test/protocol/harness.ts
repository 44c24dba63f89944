/**
 * Drives the policy pack the way the Pulumi engine does: `node <@pulumi/pulumi/cmd/run-policy-pack> <engine> .`
 * with the repository root as working directory (what `pulumi-analyzer-policy` runs), the port read from the
 * pack's stdout, then the pulumirpc.Analyzer service over insecure gRPC.
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
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import {
  AnalyzerInfo,
  AnalyzerPropertyDependencies,
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
/**
 * What the Pulumi engine allows on its analyzer connections (pkg/util/rpcutil: 400 MB). grpc-js's default 4 MB
 * receive limit would reject a large plan's AnalyzeStack answer (one violation per hygiene finding).
 */
export const ENGINE_MAX_MESSAGE = 400 * 1024 * 1024;
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

/** Encodes a resource as the engine does for AnalyzeStack: outputs as a Struct (unknowns stay sentinel strings). */
export function analyzerResource(s: EngineState): AnalyzerResource {
  const props = s.outputs && Object.keys(s.outputs).length > 0 ? s.outputs : (s.inputs ?? {});
  const r = new AnalyzerResource();
  r.setType(s.type);
  r.setUrn(s.urn);
  r.setName(nameOf(s.urn));
  r.setProperties(Struct.fromJavaScript(props as Record<string, never>));
  // Without options every call fails ("A more recent version of the Pulumi CLI is required").
  r.setOptions(new AnalyzerResourceOptions().setProtect(false));
  if (s.parent) r.setParent(s.parent);
  r.setDependenciesList([...(s.dependencies ?? [])]);
  const deps = r.getPropertydependenciesMap();
  for (const [key, urns] of Object.entries(s.propertyDependencies ?? {})) {
    if (urns.length > 0) deps.set(key, new AnalyzerPropertyDependencies().setUrnsList([...urns]));
  }
  return r;
}

function unary<Req, Res>(call: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => call(req, (err, res) => (err ? reject(err) : resolve(res))));
}

export class PackHarness {
  readonly engineLogs: string[] = [];
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
    this.client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": ENGINE_MAX_MESSAGE,
      "grpc.max_send_message_length": ENGINE_MAX_MESSAGE,
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
  configure(config: Record<string, { enforcementLevel?: "advisory" | "mandatory"; [key: string]: unknown }>): Promise<Empty> {
    const req = new ConfigureAnalyzerRequest();
    for (const [policy, { enforcementLevel, ...props }] of Object.entries(config)) {
      const pc = new PolicyConfig();
      pc.setEnforcementlevel(enforcementLevel === "advisory" ? EnforcementLevel.ADVISORY : EnforcementLevel.MANDATORY);
      pc.setProperties(Struct.fromJavaScript(props as Record<string, never>));
      req.getPolicyconfigMap().set(policy, pc);
    }
    return unary<ConfigureAnalyzerRequest, Empty>((r, cb) => this.analyzer.configure(r, cb), req);
  }

  async analyzeStack(states: readonly EngineState[]): Promise<Diagnostic[]> {
    const req = new AnalyzeStackRequest();
    req.setResourcesList(states.map(analyzerResource));
    const res = await unary<AnalyzeStackRequest, AnalyzeResponse>((r, cb) => this.analyzer.analyzeStack(r, cb), req);
    return res.getDiagnosticsList().map((d) => ({
      policyName: d.getPolicyname(),
      policyPackName: d.getPolicypackname(),
      message: d.getMessage(),
      urn: d.getUrn(),
      enforcementLevel: LEVELS[d.getEnforcementlevel()] ?? "advisory",
    }));
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
