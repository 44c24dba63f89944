/**
 * Issue 19, point 4, "one per check and NSG or rule template": findings of NSGs stamped from one template are
 * aggregated by the rule's name (NSG left out) in the JSON report's `findingTemplates`, and in the text report when
 * that takes fewer entries than the NSG groups and those are more than GROUPS_BEFORE_TEMPLATES.
 */
import type { Finding } from "../../src/checks/types";
import { checkJson } from "../../src/report/check-json";
import { formatCheckText, GROUPS_BEFORE_TEMPLATES } from "../../src/report/check-text";
import { groupFindings } from "../../src/report/finding-groups";
import { findingTemplates, ruleTemplateName, templateOf } from "../../src/report/finding-templates";
import type { CheckReport } from "../../src/report/types";
import { exampleReport } from "./reports";

const unreachable = (nsg: string, rule: string, severity: Finding["severity"] = "low"): Finding => ({
  check: "unreachable-rule",
  id: "AR-003",
  severity,
  resources: [`urn:nsg:${nsg}`],
  message: `NSG ${nsg}: rule ${rule} can never match`,
  rules: [`${nsg}/securityRules/${rule}`],
});
const flowRisk = (nic: string): Finding => ({ check: "flow-count-risk", id: "AR-020", severity: "low", resources: [`urn:nic:${nic}`], message: `NIC ${nic}: many flows` });

test.each<[string, string]>([
  ["nsg-spoke7-app/securityRules/allow-ssh-jump", "allow-ssh-jump"],
  ["nsg-a/defaultSecurityRules/AllowVnetInBound", "default AllowVnetInBound"],
  ["securityAdminRules/baseline/platform-baseline/deny-ssh", "securityAdminRules/baseline/platform-baseline/deny-ssh"],
  ["nsg/with/slashes/securityRules/r1", "r1"],
])("rule %s is template rule %s", (rule, name) => {
  expect(ruleTemplateName(rule)).toBe(name);
});

test.each<[string, Finding, string]>([
  ["one rule", unreachable("nsg-a", "r1"), "rule r1"],
  ["several", { ...unreachable("nsg-a", "r1"), rules: ["nsg-a/securityRules/r1", "nsg-a/securityRules/r0"] }, "rules r1, r0"],
  ["no rule", flowRisk("web0"), "(no rule)"],
])("template of a finding with %s", (_name, f, template) => {
  expect(templateOf(f)).toBe(template);
});

// Twelve NSGs stamped from one template, each with rules r1 and r2 unreachable; one NSG's r1 is of another severity.
const STAMPED: Finding[] = [];
for (let k = 0; k < 12; k++) STAMPED.push(unreachable(`nsg-${k}`, "r1", k === 5 ? "medium" : "low"), unreachable(`nsg-${k}`, "r2"));
const RISKS = Array.from({ length: 15 }, (_, k) => flowRisk(`web${k}`));

describe("finding templates", () => {
  test("one per check, template, severity and suppression, in the order of their first findings", () => {
    const t = findingTemplates([...STAMPED, ...RISKS]);
    expect(t.map((x) => [x.id, x.template, x.severity, x.count, x.subjects, x.nsgs])).toEqual([
      ["AR-003", "rule r1", "low", 11, 11, 11],
      ["AR-003", "rule r2", "low", 12, 12, 12],
      ["AR-003", "rule r1", "medium", 1, 1, 1],
      ["AR-020", "(no rule)", "low", 15, 15, 0],
    ]);
    expect(t[0].firstSubjects).toEqual(["NSG nsg-0", "NSG nsg-1", "NSG nsg-2"]);
    expect(t[0].examples).toEqual(["NSG nsg-0: rule r1 can never match", "NSG nsg-1: rule r1 can never match", "NSG nsg-2: rule r1 can never match"]);
  });

  test("suppressed findings are never in a template with enforced ones", () => {
    const s = { ...unreachable("nsg-1", "r1"), suppressed: { reason: "known" } };
    const t = findingTemplates([unreachable("nsg-0", "r1"), s]);
    expect(t.map((x) => [x.count, x.suppressed?.reason])).toEqual([[1, undefined], [1, "known"]]);
  });

  test("every finding is counted once", () => {
    const all = [...STAMPED, ...RISKS];
    expect(findingTemplates(all).reduce((a, x) => a + x.count, 0)).toBe(all.length);
  });

  const report = (findings: Finding[]): CheckReport => ({
    tool: { name: "azure-reachability", version: "0" },
    intentSources: [],
    results: [],
    findings,
    diagnostics: [],
    summary: { intents: 0, pass: 0, fail: 0, indeterminate: 0, mandatoryFailures: 0, advisoryFailures: 0, mandatoryIndeterminate: 0, findings: findings.length, verdict: "pass" },
  });

  test("text: more NSG groups than the threshold, fewer templates: one line per template", () => {
    const text = formatCheckText(report([...STAMPED, ...RISKS]));
    const heads = text.split("\n").filter((l) => l.startsWith("  ["));
    expect(heads).toEqual([
      "  [low] unreachable-rule (AR-003): 11 findings of rule r1 in 11 NSGs (--all-findings lists each); the first 3:",
      "  [low] unreachable-rule (AR-003): 12 findings of rule r2 in 12 NSGs (--all-findings lists each); the first 3:",
      "  [medium] unreachable-rule (AR-003): NSG nsg-5: rule r1 can never match",
      "  [low] flow-count-risk (AR-020): 15 findings on 15 resources (--all-findings lists each); the first 3:",
    ]);
    expect(text).toContain("      - and 12 more");
  });

  test(`text: at most ${GROUPS_BEFORE_TEMPLATES} NSG groups stay NSG groups`, () => {
    const few = STAMPED.filter((f) => Number(/nsg-(\d+)/.exec(f.message)?.[1]) < GROUPS_BEFORE_TEMPLATES && f.severity === "low");
    const heads = formatCheckText(report(few)).split("\n").filter((l) => l.startsWith("  ["));
    expect(heads.some((l) => / findings of rule /.test(l))).toBe(false);
    expect(heads).toHaveLength(groupFindings(few).length);
  });

  test("text: NSGs that are all distinct keep their NSG groups (templates would not be fewer)", () => {
    const distinct = Array.from({ length: 12 }, (_, k) => [unreachable(`nsg-${k}`, `a${k}`), unreachable(`nsg-${k}`, `b${k}`)]).flat();
    const heads = formatCheckText(report(distinct)).split("\n").filter((l) => l.startsWith("  ["));
    expect(heads).toHaveLength(12);
    expect(heads[0]).toBe("  [low] unreachable-rule (AR-003): 2 findings on NSG nsg-0 (--all-findings lists each); the first 2:");
  });

  test("JSON: findingTemplates beside findingGroups, findings unchanged", () => {
    const findings = [...STAMPED, ...RISKS];
    const json = checkJson(report(findings));
    expect(json.findings).toEqual(findings);
    expect(json.findingGroups).toEqual(groupFindings(findings));
    expect(json.findingTemplates).toEqual(findingTemplates(findings));
  });

  test("an example's JSON report: every finding counted once in the templates", async () => {
    const r = await exampleReport("three-tier");
    const templates = checkJson(r).findingTemplates as ReturnType<typeof findingTemplates>;
    expect(r.findings.length).toBeGreaterThan(0);
    expect(templates.reduce((a, t) => a + t.count, 0)).toBe(r.findings.length);
  });
});
