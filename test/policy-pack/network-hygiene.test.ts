/**
 * The network-hygiene stack policy in-process, on the first preview of examples/nsg-basics (props behind the proxy).
 * The preview is in the real shape (outputs: azure-native's preview outputs), so, as the engine does, each
 * resource's planned inputs reach the pack first (Analyze, kept by the planned-inputs policy).
 */
import { readFileSync } from "fs";
import { join } from "path";
import { checkHygiene, networkHygienePolicy } from "../../policy-pack/policies/network-hygiene";
import { policies } from "../../policy-pack/policies";
import { keepPlannedInputs, withPlannedInputs } from "../../policy-pack/policies/planned-inputs";
import { policyResourcesFromPreview } from "../helpers/policy-resources";

const PREVIEW = join(__dirname, "../../examples/nsg-basics/preview.json");
for (const { newState } of (JSON.parse(readFileSync(PREVIEW, "utf8")) as { steps: Array<{ newState: { urn: string; inputs: unknown } }> }).steps) {
  keepPlannedInputs(newState.urn, newState.inputs);
}
// What the stack policies do with what they are handed (network-hygiene.ts validateStack).
const RESOURCES = withPlannedInputs(policyResourcesFromPreview(PREVIEW));
const VM4_NIC = "urn:pulumi:dev::nsg-basics::azure-native:network:NetworkInterface::vm4-nic";

const exposureOfVm4 = (v: ReturnType<typeof checkHygiene>) => v.filter((x) => x.urn === VM4_NIC && x.message.includes("internet-exposure (AR-001)"));

test("the pack serves its policies under stable names; hygiene is advisory", () => {
  expect(policies.map((p) => p.name)).toEqual(["reachability-intents", "network-hygiene", "planned-inputs"]);
  expect(networkHygienePolicy.enforcementLevel).toBe("advisory");
  expect(Object.keys(networkHygienePolicy.configSchema?.properties ?? {}).sort()).toEqual(["checks", "serviceTagsFile", "stacks", "suppressions"]);
});

test("a first preview is checked, not skipped: vm4 (public IP, no NSG anywhere) is exposed on every port, at the policy's level", () => {
  const v = exposureOfVm4(checkHygiene(RESOURCES, {}));
  expect(v).toHaveLength(1);
  // No level of its own: @pulumi/policy then uses the policy's configured level (advisory unless configured).
  expect(v[0].enforcementLevel).toBeUndefined();
  expect(v[0].severity).toBe("high");
  expect(v[0].message).toMatch(/^\[high\] internet-exposure \(AR-001\): /);
});

test("a check configured mandatory is reported at the mandatory level", () => {
  const v = exposureOfVm4(checkHygiene(RESOURCES, { checks: { "internet-exposure": { enforcement: "mandatory" } } }));
  expect(v.map((x) => x.enforcementLevel)).toEqual(["mandatory"]);
});

test("a disabled check reports nothing", () => {
  expect(exposureOfVm4(checkHygiene(RESOURCES, { checks: { "internet-exposure": { enforcement: "disabled" } } }))).toEqual([]);
});

test("a suppression with a reason keeps the finding visible, as suppressed and advisory", () => {
  const config = {
    checks: { "internet-exposure": { enforcement: "mandatory" } },
    suppressions: [{ check: "internet-exposure", resource: "vm4-nic", reason: "TC10 demo host, torn down nightly" }],
  };
  const v = exposureOfVm4(checkHygiene(RESOURCES, config));
  expect(v.map((x) => [x.enforcementLevel, x.message.slice(0, 54)])).toEqual([["advisory", "suppressed (TC10 demo host, torn down nightly): [high]"]]);
});

test("a suppression with a too-short reason is not applied, and says so", () => {
  const v = checkHygiene(RESOURCES, { suppressions: [{ check: "internet-exposure", resource: "vm4-nic", reason: "ok" }] });
  expect(exposureOfVm4(v)[0].message).not.toMatch(/^suppressed/);
  expect(v.some((x) => x.message.includes("invalid-suppression (AR-015)"))).toBe(true);
});

test("bad configuration is one line naming the field", () => {
  expect(checkHygiene(RESOURCES, { checks: { "no-such-check": { enforcement: "mandatory" } } }).map((x) => x.message)).toEqual([
    expect.stringMatching(/^policy config of network-hygiene: checks\.no-such-check: unknown check \(known: /),
  ]);
});
