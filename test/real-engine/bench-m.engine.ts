/**
 * The bench's M estate (bench/estate.ts, written as `pulumi stack export` writes it) under the real CLI.
 *
 * Since CLI v3.221 a Node pack is started by the Node language host, and its answers reach the engine through the
 * policy proxy of the language host (pulumi/pulumi sdk/policy_proxy.go, PolicyProxy.Attach: `grpc.NewClient(...)`
 * with no call options, so gRPC's default 4 MiB receive limit), not through the engine's own analyzer connection
 * (pkg/resource/plugin/analyzer_plugin.go analyzerPluginDialOptions -> rpcutil.GrpcChannelOptions: 400 MiB). An
 * AnalyzeStack answer over 4 MiB fails the run with RESOURCE_EXHAUSTED there.
 *
 * The answer's size is measured exactly: the stack policies' events, re-encoded with @pulumi/policy's own encoder
 * (protoutil.js makeAnalyzeResponse, which sets the policy description on every diagnostic) are the AnalyzeStack
 * response the pack sent.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ensureEstate, SIZES } from "../../bench/estate";
import { policies } from "../../policy-pack/policies";
import { analyze, engineManifest, type AnalyzeRun, type PolicyEvent } from "./cli";

const FOUR_MIB = 4 * 1024 * 1024;
const installed = engineManifest();
const viaLanguageHost = installed.ok && installed.manifest.launcher === "pulumi-language-nodejs";

interface Diag {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  description: string;
  message: string;
  urn?: string;
  enforcementLevel: string;
  severity?: string;
}
// @pulumi/policy's internal encoder: the bytes it would put on the wire for these diagnostics.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { makeAnalyzeResponse } = require("@pulumi/policy/protoutil") as { makeAnalyzeResponse(ds: Diag[]): { serializeBinary(): Uint8Array } };

const STACK_POLICIES = new Map<string, string>(policies.map((p) => [p.name, p.description]));

/** The AnalyzeStack response the pack sent, in bytes, rebuilt from the stack policies' events. */
function analyzeStackResponseBytes(violations: readonly PolicyEvent[]): number {
  const ds: Diag[] = violations
    .filter((v) => STACK_POLICIES.has(v.policyName))
    .map((v) => ({
      policyName: v.policyName,
      policyPackName: v.policyPackName,
      policyPackVersion: v.policyPackVersion,
      description: STACK_POLICIES.get(v.policyName) ?? "",
      message: v.message,
      ...(v.resourceUrn ? { urn: v.resourceUrn } : {}),
      enforcementLevel: v.enforcementLevel,
      ...(v.severity ? { severity: v.severity } : {}),
    }));
  return makeAnalyzeResponse(ds).serializeBinary().length;
}

const describeEngine = installed.ok ? describe : describe.skip;

describeEngine("the bench's M export under the real CLI", () => {
  let run: AnalyzeRun;
  let bytes = 0;
  beforeAll(() => {
    const files = ensureEstate(SIZES.M, path.join(os.tmpdir(), "azure-reachability-bench", "M"));
    const intents = (JSON.parse(fs.readFileSync(files.intents, "utf8")) as { intents: unknown[] }).intents;
    const config = {
      "reachability-intents": { intents, serviceTagsFile: files.serviceTags },
      "network-hygiene": { serviceTagsFile: files.serviceTags },
    };
    run = analyze({ file: files.stackExport, config, timeoutMs: 30 * 60 * 1000 });
    bytes = analyzeStackResponseBytes(run.violations);
    process.stderr.write(
      `real engine, M export: ${run.violations.length} policy events, AnalyzeStack response ${(bytes / 1024 / 1024).toFixed(1)} MiB, ` +
        `exit ${run.code}, ${(run.ms / 1000).toFixed(0)} s, pack started by ${installed.ok ? installed.manifest.launcher : "?"}\n`,
    );
  });

  test("the run completes: every stdout line an event, the summary last, no transport error", () => {
    expect(run.stray).toEqual([]);
    expect(run.events[run.events.length - 1]?.summaryEvent?.PolicyPacks).toHaveProperty("azure-reachability");
    expect(run.stderr).not.toMatch(/RESOURCE_EXHAUSTED|received message larger than max/);
    expect(run.violations.length).toBeGreaterThan(0);
  });

  // With one diagnostic per finding (26,640 at M, each repeating the policy description) the answer was 16.1 MiB;
  // the pack now aggregates a check's findings beyond ten (policy-pack/policies/finding-violations.ts).
  test("the AnalyzeStack response fits the language host's 4 MiB policy proxy", () => {
    expect(bytes).toBeLessThanOrEqual(FOUR_MIB);
  });

  (viaLanguageHost ? test : test.skip)("through the language host's policy proxy, the run fails exactly when the response is over 4 MiB", () => {
    const exhausted = /RESOURCE_EXHAUSTED|received message larger than max/.test(run.stderr);
    expect(exhausted).toBe(bytes > FOUR_MIB);
  });
});

if (installed.ok && !viaLanguageHost) {
  test.skip(`M export through the language host's 4 MiB policy proxy: ${installed.manifest.languageHost.unavailable ?? "the Node language host is not installed"}`, () => undefined);
}
