/**
 * Both policies share one reading of the stack per AnalyzeStack (policy-pack/policies/stack-model.ts).
 * Driven through @pulumi/policy's own AnalyzeStack handler (makeAnalyzeStackRpcFun), in-process: it deserialises
 * the request afresh for each policy exactly as the served pack does, so the sharing is tested where it matters.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import type { Policies } from "@pulumi/policy";
import { AnalyzeStackRequest, type AnalyzeResponse } from "@pulumi/pulumi/proto/analyzer_pb";
import { checkHygiene, networkHygienePolicy } from "../../policy-pack/policies/network-hygiene";
import { checkStack, reachabilityIntentsPolicy } from "../../policy-pack/policies/reachability-intents";
import { loadServiceTags, resetStackModel, sameValue, stackModel, stackModelStats } from "../../policy-pack/policies/stack-model";
import { policyResourcesFromPreview } from "../helpers/policy-resources";
import { analyzerResource, type EngineState } from "../protocol/harness";

const PREVIEW = join(__dirname, "../fixtures/intents/app-db/preview.json");
const TAGS = { changeNumber: 1, cloud: "Public", values: [{ name: "Storage", id: "Storage", properties: { addressPrefixes: ["20.38.96.0/19"] } }] };

// Runtime export of @pulumi/policy's server module (the typings do not declare it).
const server = require("@pulumi/policy/server") as {
  makeAnalyzeStackRpcFun(
    name: string,
    version: string,
    level: string,
    policies: Policies,
  ): (call: { request: AnalyzeStackRequest }, cb: (err: unknown, res?: AnalyzeResponse) => void) => Promise<void>;
};

interface Diag {
  readonly policy: string;
  readonly message: string;
  readonly urn: string;
  readonly level: number;
}

function states(): EngineState[] {
  const doc = JSON.parse(readFileSync(PREVIEW, "utf8")) as { steps: Array<{ newState: EngineState }> };
  return doc.steps.map((s) => s.newState);
}

/** One AnalyzeStack through @pulumi/policy's handler, as the served pack answers it. */
async function analyzeStack(policies: Policies, list: readonly EngineState[] = states()): Promise<Diag[]> {
  const request = new AnalyzeStackRequest();
  request.setResourcesList(list.map(analyzerResource));
  const rpc = server.makeAnalyzeStackRpcFun("azure-reachability", "0.1.0", "advisory", policies);
  const res = await new Promise<AnalyzeResponse>((resolve, reject) => {
    void rpc({ request }, (err, r) => (err || r === undefined ? reject(err) : resolve(r)));
  });
  return res.getDiagnosticsList().map((d) => ({ policy: d.getPolicyname(), message: d.getMessage(), urn: d.getUrn(), level: d.getEnforcementlevel() }));
}

const byPolicy = (diags: readonly Diag[], policy: string): Diag[] => diags.filter((d) => d.policy === policy);
const LEVEL: Record<string, number> = { advisory: 0, mandatory: 1 };

/** What each policy answers on its own, every stage built afresh (the behaviour before the sharing). */
function unshared(): { intents: Diag[]; hygiene: Diag[] } {
  resetStackModel();
  const intents = checkStack({ resources: policyResourcesFromPreview(PREVIEW), config: {} });
  resetStackModel();
  const hygiene = checkHygiene(policyResourcesFromPreview(PREVIEW), {});
  resetStackModel();
  const diag = (policy: string, defaultLevel: string) => (v: { message: string; urn?: string; enforcementLevel?: string }): Diag => ({
    policy,
    message: v.message,
    urn: v.urn ?? "",
    level: LEVEL[v.enforcementLevel ?? defaultLevel],
  });
  return { intents: intents.map(diag("reachability-intents", "mandatory")), hygiene: hygiene.map(diag("network-hygiene", "advisory")) };
}

beforeEach(() => resetStackModel());

test.each([
  ["intents first (the pack's order)", [reachabilityIntentsPolicy, networkHygienePolicy]],
  ["hygiene first", [networkHygienePolicy, reachabilityIntentsPolicy]],
] as const)("one AnalyzeStack, %s: records, topology and env are built once; violations as without sharing", async (_, order) => {
  const expected = unshared();
  expect(expected.intents.length).toBeGreaterThan(0);
  expect(expected.hygiene.length).toBeGreaterThan(0);

  const diags = await analyzeStack([...order]);
  expect(stackModelStats()).toEqual({ reads: 1, hits: 1, topologies: 1, envs: 1 });
  expect(byPolicy(diags, "reachability-intents")).toEqual(expected.intents);
  expect(byPolicy(diags, "network-hygiene")).toEqual(expected.hygiene);
});

test("the next AnalyzeStack of the same stack reuses the model; a changed stack replaces it", async () => {
  const policies = [reachabilityIntentsPolicy, networkHygienePolicy];
  const first = await analyzeStack(policies);
  await analyzeStack(policies);
  expect(stackModelStats()).toEqual({ reads: 1, hits: 3, topologies: 1, envs: 1 });

  // db-nsg's deny rule moves: a deep change, so the cached model must not answer.
  const changed = states().map((s) => {
    if (!s.urn.endsWith("::db-nsg")) return s;
    const outputs = JSON.parse(JSON.stringify(s.outputs)) as { securityRules: Array<Record<string, unknown>> };
    outputs.securityRules[0].priority = 4000;
    return { ...s, outputs };
  });
  const after = await analyzeStack(policies, changed);
  expect(stackModelStats()).toEqual({ reads: 2, hits: 4, topologies: 2, envs: 2 });
  expect(after).not.toEqual(first);
});

test("a reachability check with nothing to check builds no topology", () => {
  const noIntents = policyResourcesFromPreview(PREVIEW).filter((r) => !r.type.startsWith("azure-reachability:"));
  expect(checkStack({ resources: noIntents, config: {} })).toEqual([]);
  expect(stackModelStats()).toEqual({ reads: 1, hits: 0, topologies: 0, envs: 0 });
});

test("the model holds one stack: another stack in between is a miss", () => {
  const a = policyResourcesFromPreview(PREVIEW);
  const b = a.slice(1);
  const model = stackModel(a);
  expect(stackModel(policyResourcesFromPreview(PREVIEW))).toBe(model);
  expect(stackModel(b)).not.toBe(model);
  expect(stackModel(a)).not.toBe(model);
  expect(stackModelStats()).toMatchObject({ reads: 3, hits: 1 });
});

test("envs are per service tag catalog; one catalog object per unchanged file", () => {
  const dir = mkdtempSync(join(tmpdir(), "ar-tags-"));
  try {
    const file = join(dir, "tags.json");
    writeFileSync(file, JSON.stringify(TAGS));
    const one = loadServiceTags(file);
    const two = loadServiceTags(file);
    if (!one.ok || !two.ok) throw new Error("service tags not loaded");
    expect(two.catalog).toBe(one.catalog);
    const model = stackModel(policyResourcesFromPreview(PREVIEW));
    expect(model.env(one.catalog)).toBe(model.env(two.catalog));
    expect(stackModelStats()).toMatchObject({ topologies: 1, envs: 1 });

    // A different size, so the change is seen even within the file system's time resolution.
    writeFileSync(file, JSON.stringify({ ...TAGS, values: [] }));
    const three = loadServiceTags(file);
    if (!three.ok) throw new Error("service tags not loaded");
    expect(three.catalog).not.toBe(one.catalog);
    expect(model.env(three.catalog)).not.toBe(model.env(one.catalog));
    expect(stackModelStats()).toMatchObject({ topologies: 1, envs: 2 });

    // Failures are reported every time, never cached.
    rmSync(file);
    expect(loadServiceTags(file).ok).toBe(false);
    expect(loadServiceTags(file).ok).toBe(false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe("sameValue: equal only where the records would be equal", () => {
  test.each([
    [{ a: 1, b: [1, { c: "x" }] }, { a: 1, b: [1, { c: "x" }] }, true],
    [{ a: 1, b: 2 }, { b: 2, a: 1 }, false],
    [{ a: [1, 2] }, { a: [1, 2, 3] }, false],
    [{ a: null }, { a: undefined }, false],
    [{ a: {} }, { a: [] }, false],
    [[1, undefined], [1, undefined], true],
    // eslint-disable-next-line no-sparse-arrays
    [[1, , 3], [1, undefined, 3], false],
    [{ a: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }, { a: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }, true],
    [{ a: new Date(0) }, { a: new Date(0) }, false],
  ])("%j vs %j -> %s", (a, b, same) => {
    expect(sameValue(a, b)).toBe(same);
  });
});
