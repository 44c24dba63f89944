/**
 * Policy-pack overhead: the AnalyzeStack round trip of the compiled pack (dist/policy-pack), driven the way the
 * Pulumi engine drives it, through the protocol harness of the tests (test/protocol/harness.ts: the pack started by
 * `run-policy-pack` in a child process, a fake engine, gRPC over loopback). The harness is TypeScript outside the
 * build, so it is loaded at run time through the repository's transpile-only hook (scripts/register-ts.js).
 */
import * as fs from "fs";
import * as path from "path";
import { now } from "./pipeline";

/** The part of the harness used here (test/protocol/harness.ts). */
interface Harness {
  start(timeoutMs?: number): Promise<void>;
  configure(config: Record<string, { enforcementLevel?: "advisory" | "mandatory"; [key: string]: unknown }>): Promise<unknown>;
  analyzeStack(states: readonly unknown[]): Promise<ReadonlyArray<{ readonly enforcementLevel: string; readonly message: string }>>;
  stop(): Promise<void>;
  readonly stderr: string;
}

interface HarnessModule {
  readonly PackHarness: new () => Harness;
  readonly PACK_ENTRY: string;
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
  // The harness's client takes the engine's 400 MB message limit (a large plan's answer exceeds grpc-js's 4 MB).
  require(path.join(root, "scripts", "register-ts.js"));
  return require(path.join(root, "test", "protocol", "harness.ts")) as HarnessModule;
}

export interface PackFigures {
  readonly bootMs: number;
  readonly configureMs: number;
  /** Struct encoding of every resource, as the engine does it (client side, part of the round trip). */
  readonly encodeMs: number;
  /** AnalyzeStack, request built to response decoded. */
  readonly roundTripMs: number;
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
    await harness.configure({
      "reachability-intents": { enforcementLevel: "mandatory", intents, serviceTagsFile: tags },
      "network-hygiene": { enforcementLevel: "advisory", serviceTagsFile: tags },
    });
    const configureMs = now() - t1;
    const t2 = now();
    for (const s of states) h.analyzerResource(s);
    const encodeMs = now() - t2;
    const t3 = now();
    const diagnostics = await harness.analyzeStack(states);
    const roundTripMs = now() - t3;
    return { bootMs, configureMs, encodeMs, roundTripMs, violations: diagnostics.length, mandatory: diagnostics.filter((d) => d.enforcementLevel === "mandatory").length };
  } finally {
    await harness.stop();
  }
}
