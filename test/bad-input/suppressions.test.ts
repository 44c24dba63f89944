/**
 * Issue 13 point 2: a malformed suppression (an extra key, a field that is not a string, an entry that is not an
 * object, a list that is not a list) is reported as an invalid-suppression finding and ignored alone: every other
 * check still runs, and the other suppressions still apply. Before, the whole configuration was rejected and only
 * one advisory message remained, so a mandatory check could not fail the preview.
 */
import { join } from "path";
import { checkHygiene } from "../../policy-pack/policies/network-hygiene";
import { policyConfigToCheckOptions } from "../../src/checks";
import { policyResourcesFromPreview } from "../helpers/policy-resources";
import { happy, only, run } from "../checks/fixture";

const RESOURCES = policyResourcesFromPreview(join(__dirname, "../../examples/nsg-basics/preview.json"));
const VM4_NIC = "urn:pulumi:dev::nsg-basics::azure-native:network:NetworkInterface::vm4-nic";
const GOOD = { check: "internet-exposure", resource: "vm4-nic", reason: "demo host, torn down nightly" };
const MANDATORY = { "internet-exposure": { enforcement: "mandatory" } };

const BAD: ReadonlyArray<[string, unknown, RegExp]> = [
  ["an extra key", { check: "shadowed-rule", resource: "nsg1", reason: "long enough reason", ticket: "SEC-1" }, /unknown field "ticket"/],
  ["a non-string reason", { check: "shadowed-rule", resource: "nsg1", reason: 42 }, /reason must be a string, not number 42/],
  ["a non-string resource", { check: "shadowed-rule", resource: ["a"], reason: "long enough reason" }, /resource must be a string, not a list/],
  ["an entry that is not an object", "shadowed-rule", /suppressions\[1\] must be an object/],
  ["null", null, /suppressions\[1\] must be an object \{check, resource, reason\}, not null/],
];

describe.each(BAD)("a suppression with %s", (_label, bad, problem) => {
  test("options are still ok; the bad one is carried to be reported", () => {
    const r = policyConfigToCheckOptions({ checks: MANDATORY, suppressions: [GOOD, bad] });
    expect(r.ok).toBe(true);
  });

  test("runChecks: an invalid-suppression finding naming the problem; the checks still run", () => {
    const r = policyConfigToCheckOptions({ suppressions: [bad] });
    if (!r.ok) throw new Error(r.errors.join("; "));
    const out = run(happy(), r.options);
    expect(only(out, "internet-exposure")).toHaveLength(1);
    const [finding] = only(out, "invalid-suppression");
    expect(finding.message).toMatch(problem.source.includes("must be an object") ? /must be an object/ : problem);
    expect(finding.message).toMatch(/not applied$/);
  });

  test("the pack: the mandatory check still fails the preview, the good suppression still applies", () => {
    const v = checkHygiene(RESOURCES, { checks: MANDATORY, suppressions: [GOOD, bad] });
    expect(v.some((x) => x.message.startsWith("policy config of network-hygiene"))).toBe(false);
    const invalid = v.filter((x) => x.message.includes("invalid-suppression (AR-015)"));
    expect(invalid).toHaveLength(1);
    expect(invalid[0].message).toMatch(problem);
    const vm4 = v.filter((x) => x.urn === VM4_NIC && x.message.includes("internet-exposure (AR-001)"));
    expect(vm4.map((x) => [x.enforcementLevel, x.message.startsWith("suppressed (demo host")])).toEqual([["advisory", true]]);
    // Without the good suppression the same finding is mandatory: the bad one never disabled the check.
    const unsuppressed = checkHygiene(RESOURCES, { checks: MANDATORY, suppressions: [bad] }).filter((x) => x.urn === VM4_NIC && x.message.includes("internet-exposure (AR-001)"));
    expect(unsuppressed.map((x) => x.enforcementLevel)).toEqual(["mandatory"]);
  });
});

test("suppressions that are not a list: one invalid-suppression finding, the checks still run", () => {
  const v = checkHygiene(RESOURCES, { checks: MANDATORY, suppressions: { check: "x" } });
  expect(v.filter((x) => x.message.includes("invalid-suppression (AR-015)")).map((x) => x.message)).toEqual([expect.stringMatching(/suppressions must be a list of \{check, resource, reason\}, not an object; not applied/)]);
  expect(v.filter((x) => x.urn === VM4_NIC && x.message.includes("internet-exposure (AR-001)")).map((x) => x.enforcementLevel)).toEqual(["mandatory"]);
});
