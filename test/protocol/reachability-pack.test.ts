/**
 * The policy pack over the analyzer protocol, booted as the engine boots it (see harness.ts), against dist/.
 * The stack comes from a real Pulumi program (test/fixtures/intents/app-db) run under mocks, encoded as the
 * engine encodes resources: outputs with unknown sentinels, parents, dependencies, propertyDependencies.
 */
import * as path from "path";
import { checkHygiene } from "../../policy-pack/policies/network-hygiene";
import { checkStack, type Violation } from "../../policy-pack/policies/reachability-intents";
import { resetStackModel } from "../../policy-pack/policies/stack-model";
import type { PolicyResourceLike } from "../../src/resources/policy-args";
import { runProgram } from "../../src/resources/program";
import { toPreviewJson } from "../../src/resources/program/writers";
import { UNKNOWN_NUMBER, UNKNOWN_STRING } from "../../src/resources/unknowns";
import { proxy } from "../helpers/policy-resources";
import { PackHarness, type Diagnostic, type EngineState } from "./harness";

const FIXTURE = path.resolve(__dirname, "../fixtures/intents/app-db");
const POLICY = "reachability-intents";
const DB_NIC = "urn:pulumi:dev::app-db::azure-native:network:NetworkInterface::db-nic";

async function states(preview: "first" | "update"): Promise<EngineState[]> {
  const run = await runProgram(FIXTURE, { preview });
  if (!run.ok) throw new Error(run.error);
  const doc = toPreviewJson(run.records) as { steps: Array<{ newState: EngineState }> };
  return doc.steps.map((s) => s.newState);
}

function byName(list: readonly EngineState[], name: string): EngineState {
  const s = list.find((r) => r.urn.endsWith(`::${name}`));
  if (!s) throw new Error(`no ${name}`);
  return s;
}

/**
 * The first preview with one more unknown: the priority of db-nsg's deny rule, unknown in the plan itself (as when
 * the program computes it from another resource's output), so in the inputs and the outputs alike.
 */
function withUnknownPriority(list: readonly EngineState[]): EngineState[] {
  return list.map((s) => {
    if (!s.urn.endsWith("::db-nsg")) return s;
    const outputs = JSON.parse(JSON.stringify(s.outputs)) as { securityRules: Array<Record<string, unknown>> };
    const inputs = JSON.parse(JSON.stringify(s.inputs)) as { securityRules: Array<Record<string, unknown>> };
    outputs.securityRules[0].priority = UNKNOWN_NUMBER;
    inputs.securityRules[0].priority = UNKNOWN_NUMBER;
    return { ...s, inputs, outputs };
  });
}

/** The states as @pulumi/policy hands them to a policy (props behind its proxy, references as objects). */
function policyResources(list: readonly EngineState[]): PolicyResourceLike[] {
  return list.map((s) => ({
    type: s.type,
    urn: s.urn,
    name: s.urn.slice(s.urn.lastIndexOf("::") + 2),
    props: proxy.unknownCheckingProxy(s.outputs && Object.keys(s.outputs).length > 0 ? s.outputs : (s.inputs ?? {})),
    ...(s.parent ? { parent: { urn: s.parent } } : {}),
    dependencies: (s.dependencies ?? []).map((urn) => ({ urn })),
    propertyDependencies: Object.fromEntries(Object.entries(s.propertyDependencies ?? {}).map(([k, urns]) => [k, urns.map((urn) => ({ urn }))])),
  }));
}

const shape = (policyName: string, level: Diagnostic["enforcementLevel"]) => (v: Violation) => ({
  policyName,
  message: v.message,
  urn: v.urn ?? "",
  enforcementLevel: v.enforcementLevel ?? level,
});

const configuredIntents = [
  { name: "app-no-rdp-to-db", from: { subnet: "app" }, to: { subnet: "db" }, protocol: "Tcp", ports: "3389", expect: "unreachable" },
  { name: "internet-https-to-db-advisory", from: { serviceTag: "Internet" }, to: { nic: "db-nic" }, protocol: "Tcp", ports: "443", expect: "reachable", enforcement: "advisory" },
];

describe("the pack over the analyzer protocol", () => {
  const pack = new PackHarness();
  let first: EngineState[];
  let update: EngineState[];

  beforeAll(async () => {
    [first, update] = await Promise.all([states("first"), states("update"), pack.start()]).then(([f, u]) => [f, u]);
  }, 90_000);

  afterAll(async () => {
    await pack.stop();
  });

  test("GetAnalyzerInfo advertises the mandatory stack policy and its config schema", async () => {
    const info = await pack.getAnalyzerInfo();
    expect(info.getName()).toBe("azure-reachability");
    const policy = info.getPoliciesList().find((p) => p.getName() === POLICY);
    expect(policy).toBeDefined();
    expect(policy?.getEnforcementlevel()).toBe(1);
    const schema = policy?.getConfigschema()?.getProperties()?.toJavaScript() as Record<string, unknown>;
    expect(Object.keys(schema).sort()).toEqual(["intents", "onUnknown", "serviceTagsFile", "stacks"]);
  });

  test("the first preview really has unknown ids (the NIC's subnet reference)", () => {
    const nic = byName(first, "db-nic").outputs as { ipConfigurations: Array<{ subnet: { id: unknown } }> };
    expect(nic.ipConfigurations[0].subnet.id).toBe(UNKNOWN_STRING);
    expect(byName(first, "app-to-db").outputs?.from).toBe(UNKNOWN_STRING);
  });

  test.each(["first", "update"] as const)("%s preview: the failing in-code intent is one mandatory violation on its destination", async (mode) => {
    await pack.configureAsEngine({ [POLICY]: { enforcementLevel: "mandatory", intents: configuredIntents } });
    const diags = await pack.preview(mode === "first" ? first : update);
    // Never skipped because of unknowns: no "can't run policy ... during preview" diagnostic.
    expect(diags.filter((d) => d.message.includes("can't run policy"))).toEqual([]);
    const mandatory = diags.filter((d) => d.enforcementLevel === "mandatory");
    // The hygiene policy is advisory unless configured otherwise: the one mandatory violation is the intent's.
    expect(mandatory).toHaveLength(1);
    const [v] = mandatory;
    expect(v.policyName).toBe(POLICY);
    expect(v.policyPackName).toBe("azure-reachability");
    expect(v.urn).toBe(DB_NIC);
    expect(v.message).toContain('intent "app-to-db" fails');
    expect(v.message).toContain("TCP 10.30.1.4:50000 -> 10.30.2.4:1433");
    expect(v.message).toContain("! NSG db-nsg on subnet db, Inbound: denied by securityRules/Deny-VNet-Inbound (priority 300)");
    // The advisory configured intent fails too (db-nsg has no HTTPS allow): advisory, same destination.
    const advisory = diags.filter((d) => d.enforcementLevel === "advisory" && d.policyName === POLICY);
    expect(advisory.map((d) => [d.urn, d.message.startsWith('intent "internet-https-to-db-advisory" fails')])).toEqual([[DB_NIC, true]]);
  });

  test.each([
    ["warn", "advisory"],
    ["fail", "mandatory"],
  ] as const)("an intent left undecided by an unknown value is %s -> %s", async (onUnknown, level) => {
    await pack.configureAsEngine({ [POLICY]: { enforcementLevel: "mandatory", onUnknown } });
    const diags = await pack.preview(withUnknownPriority(first));
    const appToDb = diags.filter((d) => d.message.startsWith('intent "app-to-db"'));
    expect(appToDb).toHaveLength(1);
    expect(appToDb[0].enforcementLevel).toBe(level);
    expect(appToDb[0].message).toContain("cannot be decided at preview");
    expect(appToDb[0].message).toContain("db-nsg .securityRules[0].priority");
  });

  test("an invalid configured intent is a mandatory violation naming the intent and the field", async () => {
    await pack.configureAsEngine({ [POLICY]: { enforcementLevel: "mandatory", intents: [{ name: "typo", from: { subnet: "app" }, to: { subnet: "db" }, protocol: "Tcpp", expect: "reachable" }] } });
    const diags = await pack.preview(update);
    const bad = diags.filter((d) => d.message.includes('intent "typo"'));
    expect(bad).toHaveLength(1);
    expect(bad[0].enforcementLevel).toBe("mandatory");
    expect(bad[0].message).toContain('field "protocol": "Tcpp" is not allowed; use Tcp, Udp, Icmp, Any');
  });

  test("GetAnalyzerInfo also advertises the advisory network-hygiene policy", async () => {
    const info = await pack.getAnalyzerInfo();
    expect(info.getPoliciesList().map((p) => p.getName())).toEqual([POLICY, "network-hygiene", "planned-inputs"]);
    const hygiene = info.getPoliciesList().find((p) => p.getName() === "network-hygiene");
    expect(hygiene?.getEnforcementlevel()).toBe(0);
  });

  test("first preview: hygiene findings arrive as advisory diagnostics of network-hygiene; a mandatory check fails the preview", async () => {
    await pack.configureAsEngine({ [POLICY]: { enforcementLevel: "mandatory" }, "network-hygiene": { enforcementLevel: "advisory" } });
    const advisory = (await pack.preview(first)).filter((d) => d.policyName === "network-hygiene");
    expect(advisory.length).toBeGreaterThan(0);
    expect(advisory.every((d) => d.enforcementLevel === "advisory" && /^\[(low|medium|high|critical)\] [a-z-]+ \(AR-\d{3}\): /.test(d.message))).toBe(true);
    await pack.configureAsEngine({ [POLICY]: { enforcementLevel: "mandatory" }, "network-hygiene": { enforcementLevel: "advisory", checks: { "subnet-without-nsg": { enforcement: "mandatory" } } } });
    const diags = (await pack.preview(first)).filter((d) => d.policyName === "network-hygiene" && d.enforcementLevel === "mandatory");
    expect(diags.length).toBeGreaterThan(0);
    expect(diags.map((d) => d.message.split(":")[0])).toEqual(advisory.filter((d) => d.message.includes("subnet-without-nsg")).map((d) => d.message.split(":")[0]));
  });

  test("both policies share one reading of the stack and answer exactly what each answers alone", async () => {
    await pack.configureAsEngine({ [POLICY]: { enforcementLevel: "mandatory", intents: configuredIntents }, "network-hygiene": { enforcementLevel: "advisory" } });
    const diags = await pack.preview(first);
    // In this process, each policy on its own with nothing shared (the model is reset before each).
    resetStackModel();
    const intents = checkStack({ resources: policyResources(first), config: { intents: configuredIntents } }).map(shape(POLICY, "mandatory"));
    resetStackModel();
    const hygiene = checkHygiene(policyResources(first), {}).map(shape("network-hygiene", "advisory"));
    resetStackModel();
    expect(intents.length).toBeGreaterThan(1);
    expect(hygiene.length).toBeGreaterThan(0);
    const seen = diags.map((d) => ({ policyName: d.policyName, message: d.message, urn: d.urn, enforcementLevel: d.enforcementLevel }));
    expect(seen).toEqual([...intents, ...hygiene]);
  });

  test("the pack logged nothing to the engine and printed no error", () => {
    expect(pack.engineLogs).toEqual([]);
    expect(pack.stderr).not.toMatch(/error/i);
  });
});
