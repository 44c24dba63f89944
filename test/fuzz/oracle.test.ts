/**
 * The fuzz oracle's rule for renames (issue 13, seed 20261202 mutant 3515): a verdict that changes because it names
 * the renamed resource, and quotes the new name, is not a silent change; one that changes without showing it is.
 */
import type { Answers } from "./oracle";
import { judge } from "./oracle";
import { getAt, mutate, type Json, type Mutant } from "./mutate";

const URN = "urn:pulumi:dev::avnm-baseline::azure-native:network:SecurityAdminConfiguration::baseline";

function mutant(field: string, value: Json): Mutant {
  const doc: Json = { steps: [{ urn: URN, newState: { inputs: { [field]: value } } }] };
  return { kind: "unicode", path: ["steps", 0, "newState", "inputs", field], urn: URN, field, names: ["baseline"], envelope: false, doc, description: "test" };
}

function answers(verdicts: Record<string, string>, explanations: Record<string, string> = {}): Answers {
  return { verdicts: new Map(Object.entries(verdicts)), explanations: new Map(Object.entries(explanations)), diagnostics: [], breaks: [], ms: 1 };
}

const BASE = answers({ "intent ssh": "pass", "intent https": "pass" });

test.each([
  ["a renamed configuration the failing intent quotes", "configurationName", "bİaseline", { "intent ssh": "fail" }, { "intent ssh": "Deny by securityAdminRules/bİaseline/deny-mgmt/x, expected Deny by securityAdminRules/baseline/deny-mgmt/x" }, "renamed-and-shown"],
  ["a rename no changed verdict quotes", "configurationName", "bİaseline", { "intent ssh": "fail" }, { "intent ssh": "Deny by something else" }, "silent-change"],
  ["a rename one of two changed verdicts quotes", "configurationName", "bİaseline", { "intent ssh": "fail", "intent https": "fail" }, { "intent ssh": "by securityAdminRules/bİaseline/a/b", "intent https": "no" }, "silent-change"],
  ["a changed field that is not a name", "description", "bİaseline", { "intent ssh": "fail" }, { "intent ssh": "by securityAdminRules/bİaseline/a/b" }, "silent-change"],
  ["a name set back to one the resource already goes by", "configurationName", "baseline", { "intent ssh": "fail" }, { "intent ssh": "baseline" }, "silent-change"],
  ["a rename that changes nothing", "configurationName", "bİaseline", { "intent ssh": "pass" }, {}, "same"],
])("%s", (_label, field, value, verdicts, explanations, outcome) => {
  const got = answers({ ...Object.fromEntries(BASE.verdicts), ...verdicts }, explanations);
  expect(judge(mutant(field, value), BASE, got).outcome).toBe(outcome);
});

// The long fuzz run of 2026-12-02: a `huge` mutation that made a list 2,000 copies of its first element changed
// verdicts as dropping the other elements does; the mutant carries the plan it must answer like (the list of that
// element alone) and is judged against it.
test("a list made of copies of its first element carries the plan of that element alone", () => {
  const doc: Json = { resources: [{ urn: "urn:pulumi:dev::p::azure-native:network:Subnet::s", outputs: { addressPrefixes: ["10.0.0.0/24", "10.0.1.0/24"] } }] };
  const list = ["resources", 0, "outputs", "addressPrefixes"] as const;
  const found = Array.from({ length: 4000 }, (_, seed) => mutate(doc, seed)).find((m) => m.kind === "huge" && m.path.join("/") === list.join("/") && Array.isArray(getAt(m.doc, m.path)));
  expect(found).toBeDefined();
  expect(getAt(found!.doc, found!.path)).toEqual(Array.from({ length: 2000 }, () => "10.0.0.0/24"));
  expect(getAt(found!.equivalent!, list)).toEqual(["10.0.0.0/24"]);
  // Everything else is the unmutated plan.
  expect(getAt(found!.equivalent!, ["resources", 0, "urn"])).toBe("urn:pulumi:dev::p::azure-native:network:Subnet::s");
});

test("huge values in place of anything but a non-empty list have no equivalent plan", () => {
  const doc: Json = { resources: [{ urn: "urn:pulumi:dev::p::t::s", outputs: { name: "s", prefix: "10.0.0.0/24" } }] };
  const huge = Array.from({ length: 400 }, (_, seed) => mutate(doc, seed)).filter((m) => m.kind === "huge" && !Array.isArray(getAt(doc, m.path)));
  expect(huge.length).toBeGreaterThan(0);
  expect(huge.every((m) => m.equivalent === undefined)).toBe(true);
});

// Seed 24000 mutant 2809: a backend pool renamed ("webé-pool"); the rule and NIC references to the old name are
// reported as naming none of the pools, quoting the new name: that speaks of the mutation.
test.each([
  ["a diagnostic quotes the new name", "web-lb: loadBalancingRules[0].backendAddressPool.id names web-pool, which is not one of webé-pool", "changed-and-named"],
  ["no diagnostic quotes it", "web-lb: something else", "silent-change"],
])("a renamed child: %s", (_label, message, outcome) => {
  const urn = "urn:pulumi:dev::web-lb::azure-native:network:LoadBalancer::web-lb";
  const doc: Json = { resources: [{ urn, outputs: { backendAddressPools: [{ name: "webé-pool" }] } }] };
  const m: Mutant = { kind: "unicode", path: ["resources", 0, "outputs", "backendAddressPools", 0, "name"], urn, field: "backendAddressPools[0].name", names: ["web-lb"], envelope: false, doc, description: "test" };
  const got = { ...answers({ "intent lb": "indeterminate" }), diagnostics: [{ code: "unresolved-reference", severity: "warning" as const, resource: "urn:pulumi:dev::web-lb::azure-native:network:NetworkInterface::web-1-nic", field: "ipConfigurations[0].loadBalancerBackendAddressPools[0].id", message }] };
  expect(judge(m, answers({ "intent lb": "pass" }), got).outcome).toBe(outcome);
});
