/**
 * Policy-pack overhead: the compiled pack (dist/policy-pack) driven the way the Pulumi engine drives it, through
 * the protocol harness of the tests (test/protocol/harness.ts: the pack started by `run-policy-pack` in a child
 * process, a fake engine, gRPC over loopback, config reconciled as the engine does, Analyze per resource with its
 * inputs, then AnalyzeStack with the outputs, read with the policy proxy's 4 MiB receive limit). The harness is
 * TypeScript outside the build, so it is loaded at run time through the repository's transpile-only hook
 * (scripts/register-ts.js).
 */
import * as fs from "fs";
import * as path from "path";
import { now } from "./pipeline";

/** The part of the harness used here (test/protocol/harness.ts). */
interface Harness {
  start(timeoutMs?: number): Promise<void>;
  configureAsEngine(config: Record<string, unknown>): Promise<unknown>;
  analyze(state: unknown): Promise<unknown>;
  analyzeStack(states: readonly unknown[]): Promise<ReadonlyArray<{ readonly enforcementLevel: string; readonly message: string }>>;
  stop(): Promise<void>;
  readonly stderr: string;
  readonly lastStackResponseBytes: number;
}

interface HarnessModule {
  readonly PackHarness: new () => Harness;
  readonly PACK_ENTRY: string;
  readonly PROXY_MAX_RECEIVE: number;
  analyzerResource(state: unknown): unknown;
}

/** The repository root: the nearest directory above with this package's package.json. */
export function repoRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, "utf8")) as { name?: string }).name === "azure-reachability") return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no azure-reachability package.json above ${from}`);
    dir = up;
  }
}

function loadHarness(): HarnessModule {
  const root = repoRoot();
  require(path.join(root, "scripts", "register-ts.js"));
  return require(path.join(root, "test", "protocol", "harness.ts")) as HarnessModule;
}

export interface PackFigures {
  readonly bootMs: number;
  readonly configureMs: number;
  /** Struct encoding of every resource, as the engine does it (client side, part of the round trip). */
  readonly encodeMs: number;
  /** Analyze for every resource (its inputs), one call each, as the engine does before AnalyzeStack. */
  readonly analyzeMs: number;
  /** AnalyzeStack, request built to response decoded. */
  readonly roundTripMs: number;
  /** The AnalyzeStack answer's size on the wire, and the proxy's limit it must stay under. */
  readonly responseBytes: number;
  readonly responseLimitBytes: number;
  readonly violations: number;
  readonly mandatory: number;
}

export async function measurePack(previewFile: string, intentsFile: string, serviceTagsFile: string): Promise<PackFigures> {
  const h = loadHarness();
  if (!fs.existsSync(h.PACK_ENTRY)) throw new Error(`${h.PACK_ENTRY} is missing: run npm run build first`);
  const steps = (JSON.parse(fs.readFileSync(previewFile, "utf8")) as { steps: Array<{ newState?: unknown }> }).steps;
  const states = steps.flatMap((s) => (s.newState ? [s.newState] : []));
  const intents = (JSON.parse(fs.readFileSync(intentsFile, "utf8")) as { intents: unknown[] }).intents;
  const harness = new h.PackHarness();
  const t0 = now();
  await harness.start(120_000);
  const bootMs = now() - t0;
  try {
    const t1 = now();
    // Both policies read the same service tags as the standalone check (`--service-tags`).
    const tags = path.resolve(serviceTagsFile);
    await harness.configureAsEngine({
      "reachability-intents": { enforcementLevel: "mandatory", intents, serviceTagsFile: tags },
      "network-hygiene": { enforcementLevel: "advisory", serviceTagsFile: tags },
    });
    const configureMs = now() - t1;
    const t2 = now();
    for (const s of states) h.analyzerResource(s);
    const encodeMs = now() - t2;
    const tA = now();
    for (const s of states) await harness.analyze(s);
    const analyzeMs = now() - tA;
    const t3 = now();
    const diagnostics = await harness.analyzeStack(states);
    const roundTripMs = now() - t3;
    return {
      bootMs,
      configureMs,
      encodeMs,
      analyzeMs,
      roundTripMs,
      responseBytes: harness.lastStackResponseBytes,
      responseLimitBytes: h.PROXY_MAX_RECEIVE,
      violations: diagnostics.length,
      mandatory: diagnostics.filter((d) => d.enforcementLevel === "mandatory").length,
    };
  } finally {
    await harness.stop();
  }
}
