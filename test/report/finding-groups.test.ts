/**
 * Issue 19, point 4: findings aggregated per check and NSG (or resource), in the text report by default (every
 * finding with --all-findings) and in the JSON report as `findingGroups` beside the unchanged `findings`.
 */
import type { Finding } from "../../src/checks/types";
import { checkJson } from "../../src/report/check-json";
import { formatCheckText } from "../../src/report/check-text";
import { groupFindings } from "../../src/report/finding-groups";
import type { CheckReport } from "../../src/report/types";
import { exampleReport } from "./reports";

const shadowed = (nsg: string, rule: string, severity: Finding["severity"] = "low"): Finding => ({
  check: "shadowed-rule",
  id: "AR-002",
  severity,
  resources: [`urn:nsg:${nsg}`],
  message: `NSG ${nsg}: rule ${rule} never matches`,
  rules: [`${nsg}/securityRules/${rule}`, `${nsg}/securityRules/first`],
});
const exposure: Finding = { check: "internet-exposure", id: "AR-001", severity: "high", resources: ["urn:nic:web"], message: "web-nic is exposed" };

const FINDINGS: Finding[] = [exposure, ...["r1", "r2", "r3", "r4", "r5"].map((r) => shadowed("nsg-a", r)), shadowed("nsg-a", "r6", "medium"), shadowed("nsg-b", "r1")];

describe("finding groups", () => {
  test.each<[string, number, string, string, number, number]>([
    // check, index, subject, severity, count, examples
    ["internet-exposure", 0, "urn:nic:web", "high", 1, 1],
    ["shadowed-rule", 1, "NSG nsg-a", "low", 5, 3],
    ["shadowed-rule", 2, "NSG nsg-a", "medium", 1, 1],
    ["shadowed-rule", 3, "NSG nsg-b", "low", 1, 1],
  ])("%s group %i: %s, %s, %i findings, %i shown", (check, index, subject, severity, count, examples) => {
    const g = groupFindings(FINDINGS)[index];
    expect(g).toMatchObject({ check, subject, severity, count });
    expect(g.examples).toHaveLength(examples);
  });

  test("four groups, in the order of their first findings", () => {
    expect(groupFindings(FINDINGS)).toHaveLength(4);
  });

  const report = (allFindings?: boolean): CheckReport => ({
    tool: { name: "azure-reachability", version: "0" },
    intentSources: [],
    results: [],
    findings: FINDINGS,
    diagnostics: [],
    summary: { intents: 0, pass: 0, fail: 0, indeterminate: 0, mandatoryFailures: 0, advisoryFailures: 0, mandatoryIndeterminate: 0, findings: FINDINGS.length, verdict: "pass" },
    ...(allFindings ? { allFindings } : {}),
  });

  test("text: a group of one is its finding's line; a larger group one line with the count and the first three", () => {
    const text = formatCheckText(report());
    expect(text).toContain("  [high] internet-exposure (AR-001): web-nic is exposed");
    expect(text).toContain("  [low] shadowed-rule (AR-002): 5 findings on NSG nsg-a (--all-findings lists each); the first 3:");
    expect(text).toContain("      - NSG nsg-a: rule r3 never matches\n      - and 2 more");
    expect(text).not.toContain("rule r4");
    expect(text).toContain("  [low] shadowed-rule (AR-002): NSG nsg-b: rule r1 never matches");
  });

  test("text with --all-findings: one line per finding, as before", () => {
    const lines = formatCheckText(report(true)).split("\n").filter((l) => l.startsWith("  ["));
    expect(lines).toHaveLength(FINDINGS.length);
  });

  test("JSON: findingGroups added, findings unchanged", () => {
    const json = checkJson(report());
    expect(json.findings).toEqual(FINDINGS);
    expect(json.findingGroups).toEqual(groupFindings(FINDINGS));
  });

  test("an example's JSON report: every finding counted once in the groups", async () => {
    const r = await exampleReport("nsg-basics");
    const groups = checkJson(r).findingGroups as ReturnType<typeof groupFindings>;
    expect(groups.reduce((a, g) => a + g.count, 0)).toBe(r.findings.length);
  });
});

describe("check --all-findings (the bench S estate, generator version 3: 52 findings)", () => {
  test("grouped by default, every finding with the flag", async () => {
    const { mkdtempSync, rmSync } = await import("fs");
    const { tmpdir } = await import("os");
    const { join } = await import("path");
    const { ensureEstate, SIZES } = await import("../../bench/estate");
    const { cli } = await import("../helpers/cli");
    const dir = mkdtempSync(join(tmpdir(), "groups-"));
    try {
      const files = ensureEstate(SIZES.S, dir);
      const lines = async (...extra: string[]): Promise<string[]> =>
        (await cli("check", files.preview, "--intents", files.intents, "--service-tags", files.serviceTags, ...extra)).out.split("\n").filter((l) => l.startsWith("  ["));
      const all = await lines("--all-findings");
      const grouped = await lines();
      expect(all).toHaveLength(52);
      // Generator version 3 has no duplicate rules any more: fewer findings to fold (it was fewer than half of 138).
      // 35 NSG groups; the medium unreachable-rule findings are in more than ten NSG groups and fewer templates, so
      // they read per template (finding-templates.test.ts): 34 lines.
      expect(grouped).toHaveLength(34);
      expect(grouped.some((l) => / findings on NSG .* \(--all-findings lists each\); the first 3:$/.test(l))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
