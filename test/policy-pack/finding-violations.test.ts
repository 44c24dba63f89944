import type { Finding } from "../../src/checks/types";
import { FINDINGS_PER_CHECK, SHOWN_IN_AGGREGATE, findingMessage, findingViolations } from "../../policy-pack/policies/finding-violations";

const finding = (check: string, i: number, extra: Partial<Finding> = {}): Finding => ({
  check,
  id: check === "shadowed-rule" ? "AR-004" : "AR-001",
  severity: check === "shadowed-rule" ? "low" : "high",
  resources: [`urn:pulumi:dev::p::azure-native:network:NetworkSecurityGroup::nsg-${i}`],
  message: `finding ${i} of ${check}`,
  ...extra,
});

const many = (check: string, n: number, extra: Partial<Finding> = {}): Finding[] => Array.from({ length: n }, (_, i) => finding(check, i, extra));

describe("hygiene findings as pack violations", () => {
  test("a check with few findings: one violation per finding, on its resource, in order", () => {
    const findings = many("internet-exposure", FINDINGS_PER_CHECK);
    const v = findingViolations(findings, () => "advisory");
    expect(v.map((x) => x.message)).toEqual(findings.map(findingMessage));
    expect(v.map((x) => x.urn)).toEqual(findings.map((f) => f.resources[0]));
  });

  test("a check with many findings: one violation with the count, the first few and the rest counted", () => {
    const v = findingViolations(many("shadowed-rule", 2_500), () => "advisory");
    expect(v).toHaveLength(1);
    const lines = v[0].message.split("\n");
    expect(lines[0]).toBe(
      `[low] shadowed-rule (AR-004): 2,500 findings on 2,500 resources (run \`azure-reachability check\` on the plan for every one); the first ${SHOWN_IN_AGGREGATE}:`,
    );
    expect(lines.slice(1, -1)).toEqual(Array.from({ length: SHOWN_IN_AGGREGATE }, (_, i) => `- finding ${i} of shadowed-rule`));
    expect(lines[lines.length - 1]).toBe(`- and ${(2_500 - SHOWN_IN_AGGREGATE).toLocaleString("en-US")} more`);
    expect(v[0].urn).toBe("urn:pulumi:dev::p::azure-native:network:NetworkSecurityGroup::nsg-0");
  });

  test("levels and suppression are never mixed in one violation", () => {
    const findings = [...many("internet-exposure", 12), ...many("internet-exposure", 12, { suppressed: { reason: "reviewed by the web team" } })];
    const v = findingViolations(findings, (f) => (f.suppressed ? "advisory" : f.message.endsWith("0 of internet-exposure") ? "mandatory" : "advisory"));
    // Mandatory: findings 0 and 10 (two, listed alone); advisory: ten (listed alone); suppressed: twelve (one aggregate).
    expect(v.filter((x) => x.enforcementLevel === "mandatory").map((x) => x.message)).toEqual([findingMessage(findings[0]), findingMessage(findings[10])]);
    expect(v.filter((x) => x.message.startsWith("suppressed (reviewed by the web team): [high] internet-exposure (AR-001): 12 findings"))).toHaveLength(1);
    expect(v).toHaveLength(2 + 10 + 1);
  });

  test("the answer's size does not grow with the number of findings", () => {
    const size = (n: number): number => JSON.stringify(findingViolations(many("shadowed-rule", n), () => "advisory")).length;
    expect(size(100_000)).toBeLessThan(size(100) + 16);
  });
});
