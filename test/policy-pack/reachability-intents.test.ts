/**
 * The stack policy in-process (no gRPC): resources as @pulumi/policy hands them, props behind its
 * unknown-checking proxy, the first preview of test/fixtures/intents/app-db (every id unknown).
 */
import { join } from "path";
import type { ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { checkStack, reachabilityIntentsPolicy, validateReachability, type Violation } from "../../policy-pack/policies/reachability-intents";
import type { PolicyResourceLike } from "../../src/resources/policy-args";
import { policyResourcesFromPreview, proxy } from "../helpers/policy-resources";

const FIXTURE = join(__dirname, "../fixtures/intents/app-db");
const DB_NIC = "urn:pulumi:dev::app-db::azure-native:network:NetworkInterface::db-nic";
const policyResources = (file: string): PolicyResourceLike[] => policyResourcesFromPreview(join(FIXTURE, file));

const FIRST = policyResources("preview.json");
const ADVISORY = { name: "https-from-internet", from: { serviceTag: "Internet" }, to: { nic: "db-nic" }, protocol: "Tcp", ports: "443", expect: "reachable", enforcement: "advisory" };

test("the props really are behind the unknown-checking proxy", () => {
  const nic = FIRST.find((r) => r.urn === DB_NIC);
  expect(() => JSON.stringify(nic?.props)).toThrow(proxy.UnknownValueError);
});

test("the policy: mandatory, config schema without enforcementLevel", () => {
  expect(reachabilityIntentsPolicy.name).toBe("reachability-intents");
  expect(reachabilityIntentsPolicy.enforcementLevel).toBe("mandatory");
  expect(Object.keys(reachabilityIntentsPolicy.configSchema?.properties ?? {}).sort()).toEqual(["intents", "onUnknown", "serviceTagsFile", "stacks"]);
});

test("a first preview is checked, not skipped: one violation per failing intent, on its destination", () => {
  const v = checkStack({ resources: FIRST, config: { intents: [ADVISORY] } });
  expect(v.map((x) => [x.urn, x.enforcementLevel ?? "(policy level)", x.message.split("\n")[0]])).toEqual([
    [DB_NIC, "advisory", expect.stringMatching(/^intent "https-from-internet" fails \(expect reachable; declared in policy config\): TCP 1\.0\.0\.0:50000 -> 10\.30\.2\.4:443 is not delivered/)],
    [DB_NIC, "(policy level)", expect.stringMatching(/^intent "app-to-db" fails \(expect reachable; declared in urn:pulumi:dev::app-db::azure-reachability:index:Intent::app-to-db\)/)],
  ]);
  expect(v[1].message.split("\n").slice(1)).toEqual([
    "counterexample: TCP 10.30.1.4:50000 -> 10.30.2.4:1433 from app-nic to db-nic: blocked",
    "  - no NSG filters outbound traffic of app-nic (neither its subnet nor the NIC has one)",
    "  - system route 10.30.0.0/16 -> VnetLocal, effective in subnet app",
    "  ! NSG db-nsg on subnet db, Inbound: denied by securityRules/Deny-VNet-Inbound (priority 300)",
  ]);
});

describe("config", () => {
  test.each<[string, Record<string, unknown>, string]>([
    ["onUnknown", { onUnknown: "maybe" }, 'policy config "onUnknown" is "maybe"; allowed: "warn" (the default) or "fail". Using "warn".'],
    ["serviceTagsFile unreadable", { serviceTagsFile: "/nonexistent/tags.json" }, 'policy config "serviceTagsFile": cannot read service tags file /nonexistent/tags.json: no such file (a relative path is read from the policy pack\'s directory)'],
    ["serviceTagsFile not a string", { serviceTagsFile: 3 }, `policy config "serviceTagsFile" must be a path to Microsoft's Service Tags JSON file, not 3`],
    ["intents not a list", { intents: { name: "x" } }, 'invalid intent: policy config: "intents" must be a list of intents, not {"name":"x"}'],
  ])("%s: a violation at the policy's level, and the rest is still checked", (_name, config, message) => {
    const v = checkStack({ resources: FIRST, config });
    expect(v[0]).toEqual({ message });
    expect(v.some((x) => x.message.startsWith('intent "app-to-db" fails'))).toBe(true);
  });

  test("no intents anywhere: nothing to report", () => {
    const withoutComponents = FIRST.filter((r) => r.type !== "azure-reachability:index:Intent");
    expect(checkStack({ resources: withoutComponents, config: {} })).toEqual([]);
  });
});

test("an internal error becomes a violation that says so, never an exception", () => {
  const broken = [{ get type(): string { throw new Error("boom"); }, urn: "urn:x", name: "x", props: {}, dependencies: [], propertyDependencies: {} }] as unknown as PolicyResourceLike[];
  expect(checkStack({ resources: broken, config: {} })).toEqual([
    { message: "azure-reachability could not check the stack's reachability intents: internal error: boom (please report it)" },
  ]);
});

test("validateStack reports through reportViolation's object form (per-violation enforcement level)", () => {
  const reported: Violation[] = [];
  const report = ((v: Violation) => reported.push(v)) as unknown as ReportViolation;
  const args = { resources: FIRST, getConfig: () => ({ intents: [ADVISORY] }) } as unknown as StackValidationArgs;
  validateReachability(args, report);
  expect(reported.map((v) => v.enforcementLevel ?? "policy")).toEqual(["advisory", "policy"]);
});
