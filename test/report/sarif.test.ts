/**
 * SARIF 2.1.0: validated against the SARIF 2.1.0 JSON schema (as shipped by @microsoft/jest-sarif, in its draft-04
 * dialect: the test declares it to Ajv 8 as a draft-07 schema, which changes nothing for this schema: it uses no
 * keyword whose meaning differs between the two), rule ids pinned, one result per failing intent and finding,
 * locations, suppressions, fingerprints.
 */
import Ajv, { type ValidateFunction } from "ajv";
import { mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import {
  FINGERPRINT_KEY,
  formatCheckSarif,
  lineOfIntent,
  lineOfLiteral,
  programFileFor,
  sarifLog,
  sarifOptionsFor,
  sarifUri,
  type SarifLog,
  type SarifResult,
} from "../../src/report/sarif";
import type { CheckReport, IntentResult } from "../../src/report/types";
import { exampleReport, HUB_EXTRA, resultNamed, ROOT, withResults } from "./reports";
import { tempDir } from "../helpers/temp-dir";

function loadSchemaValidator(): ValidateFunction {
  const file = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
  const raw = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  expect(raw.title).toMatch(/SARIF\) Version 2\.1\.0/);
  // Draft-04 spells the schema's own id `id`; Ajv 8 speaks draft-07 (`$id`). Nothing else in the schema differs.
  const { $schema: _dialect, id, ...rest } = raw;
  // unicodeRegExp off: this schema's `language` pattern has a stray `]` that only the `u` flag rejects.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  ajv.addFormat("uri", (s: string) => /^[a-z][a-z0-9+.-]*:[^\s]*$/i.test(s));
  ajv.addFormat("uri-reference", (s: string) => !/\s/.test(s));
  ajv.addFormat("date-time", (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/.test(s));
  return ajv.compile({ ...rest, $id: String(id) });
}

let validate: ValidateFunction;
let threeTier: CheckReport;
let threeTierPreview: CheckReport;
let hub: CheckReport;
let passing: CheckReport;

const FLOW_VERIFY_FAIL = { name: "vm1-http-in-allowed", ipFlowVerify: { nic: "vm1", direction: "Inbound", protocol: "TCP", local: "10.0.1.4:80", remote: "203.0.113.9:50000" }, expect: "Allow" };

beforeAll(async () => {
  validate = loadSchemaValidator();
  threeTier = await exampleReport("three-tier");
  threeTierPreview = await exampleReport("three-tier", "preview.json");
  hub = await exampleReport("hub-and-spoke", "stack-export.json", {
    extraIntents: HUB_EXTRA,
    suppressions: [
      { check: "unfiltered-nic", resource: "nva-vm-nic", reason: "the NVA filters traffic itself (ticket NET-42)" },
      { check: "subnet-without-nsg", resource: "nva", reason: "hub NVA subnet: filtering is done by the appliance" },
    ],
  });
  passing = await exampleReport("nsg-basics");
});

function sarifOf(report: CheckReport): SarifLog {
  return sarifLog(report, sarifOptionsFor(report, ROOT));
}

function expectValid(log: SarifLog): void {
  const ok = validate(JSON.parse(JSON.stringify(log)));
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

function results(log: SarifLog): readonly SarifResult[] {
  return log.runs[0].results;
}

/** Pinned: ids and names never change (the catalogue's, then the intent rules). */
const RULES: ReadonlyArray<readonly [string, string]> = [
  ["AR-001", "internet-exposure"],
  ["AR-002", "shadowed-rule"],
  ["AR-003", "unreachable-rule"],
  ["AR-004", "cross-layer-contradiction"],
  ["AR-005", "missing-appliance"],
  ["AR-006", "appliance-ip-forwarding-disabled"],
  ["AR-007", "appliance-route-loop"],
  ["AR-008", "route-to-none"],
  ["AR-009", "unattached-route-table"],
  ["AR-010", "unfiltered-nic"],
  ["AR-011", "subnet-without-nsg"],
  ["AR-012", "unattached-nsg"],
  ["AR-013", "invalid-rule"],
  ["AR-014", "model-diagnostic"],
  ["AR-015", "invalid-suppression"],
  ["AR-020", "flow-count-risk"],
  ["AR-030", "service-endpoint-bypasses-appliance"],
  ["AR-031", "bastion-subnet-nsg"],
  ["AR-032", "app-gateway-subnet-nsg"],
  ["AR-033", "gateway-subnet-nsg"],
  ["AR-034", "firewall-subnet-nsg"],
  ["AR-040", "firewall-shadowed-rule"],
  ["AR-041", "firewall-dnat-target-missing"],
  ["AR-050", "admin-rule-overrides-nsg-rule"],
  ["AR-100", "reachability-intent"],
  ["AR-101", "ip-flow-verify-intent"],
];

describe("SARIF 2.1.0", () => {
  test("the schema validator rejects what is not SARIF", () => {
    expect(validate({ version: "2.1.0", runs: [{ tool: { driver: {} } }] })).toBe(false);
    expect(validate({ version: "2.0.0", runs: [] })).toBe(false);
  });

  test("a passing run: schema-valid, no intent results, one result per finding", () => {
    const log = sarifOf(passing);
    expectValid(log);
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    expect(log.runs).toHaveLength(1);
    expect(results(log).filter((r) => r.ruleId.startsWith("AR-1"))).toEqual([]);
    expect(results(log)).toHaveLength(passing.findings.length);
    const empty = sarifLog({ ...passing, findings: [], diagnostics: [] });
    expectValid(empty);
    expect(results(empty)).toEqual([]);
  });

  test("tool.driver: name, version and every rule with its help, level and stable id", () => {
    const driver = sarifOf(threeTier).runs[0].tool.driver;
    expect(driver.name).toBe("azure-reachability");
    expect(driver.version).toBe(threeTier.tool.version);
    expect(driver.rules.map((r) => [r.id, r.name])).toEqual(RULES);
    const shadowed = driver.rules[1];
    expect(shadowed.shortDescription.text.length).toBeGreaterThan(5);
    expect(shadowed.help.text).toContain("Fix: ");
    expect(shadowed.defaultConfiguration.level).toBe("warning");
    expect(driver.rules[0].defaultConfiguration.level).toBe("error");
    expect(driver.rules[0].properties["security-severity"]).toBe("8.0");
  });

  test("a failing run: one result per failing intent and per finding, each pointing at its rule", () => {
    const log = sarifOf(threeTier);
    expectValid(log);
    const rs = results(log);
    const failing = threeTier.results.filter((r) => r.verdict === "fail");
    expect(rs.filter((r) => r.ruleId === "AR-100")).toHaveLength(failing.length);
    expect(rs).toHaveLength(failing.length + threeTier.findings.length);
    const rules = log.runs[0].tool.driver.rules;
    for (const r of rs) expect(rules[r.ruleIndex].id).toBe(r.ruleId);
    expect(rs.filter((r) => r.ruleId !== "AR-100").map((r) => r.ruleId)).toEqual(threeTier.findings.map((f) => f.id));
  });

  test("the failing intent: level error, the counterexample and blame in the message, located at the deny rule", () => {
    const r = results(sarifOf(threeTier))[0];
    expect(r.level).toBe("error");
    expect(r.message.text).toContain('Intent "app-reaches-db" does not hold');
    expect(r.message.text).toContain("Counterexample: TCP 10.10.2.4:50000 -> 10.10.3.4:1433 from app-vm-1-nic to db-vm-1-nic: blocked.");
    expect(r.message.text).toContain("Blame: db-nsg/securityRules/Deny-VNet-Inbound (priority 300, Inbound, Deny)");
    const loc = r.locations[0];
    expect(loc.logicalLocations).toEqual([{ name: "asg-db", fullyQualifiedName: "urn:pulumi:dev::three-tier::azure-native:network:ApplicationSecurityGroup::asg-db", kind: "resource" }]);
    expect(loc.physicalLocation?.artifactLocation).toEqual({ uri: "examples/three-tier/index.ts", uriBaseId: "%SRCROOT%" });
    const program = readFileSync(join(ROOT, "examples/three-tier/index.ts"), "utf8").split("\n");
    expect(program[(loc.physicalLocation?.region?.startLine ?? 0) - 1]).toContain('name: "Deny-VNet-Inbound"');
    const related = r.relatedLocations ?? [];
    expect(related.map((x) => x.logicalLocations?.[0]?.name ?? x.physicalLocation?.artifactLocation.uri)).toEqual(["db-nsg", "examples/three-tier/intents.json"]);
    const intents = readFileSync(join(ROOT, "examples/three-tier/intents.json"), "utf8").split("\n");
    expect(intents[(related[1].physicalLocation?.region?.startLine ?? 0) - 1]).toContain('"name": "app-reaches-db"');
    expect(r.properties).toMatchObject({ intent: "app-reaches-db", verdict: "fail", enforcement: "mandatory", counterexample: { destinationPort: 1433 } });
  });

  test("undecided intents are notes; advisory failures warnings; uncheckable intents errors; IP flow verify assertions AR-101", async () => {
    const preview = sarifOf(threeTierPreview);
    expectValid(preview);
    const undecided = results(preview).find((r) => r.properties?.intent === "web-reaches-app");
    expect(undecided?.level).toBe("note");
    expect(undecided?.properties?.verdict).toBe("indeterminate");
    expect(undecided?.message.text).toContain("cannot be decided at preview");

    const log = sarifOf(hub);
    expectValid(log);
    const byIntent = (name: string): SarifResult | undefined => results(log).find((r) => r.properties?.intent === name);
    expect(byIntent("spoke1-no-https-to-spoke2")?.level).toBe("warning");
    expect(byIntent("ghost-vm-reaches-spoke2")?.level).toBe("error");
    expect(byIntent("spoke1-reaches-spoke2-https")).toBeUndefined();

    const flow = sarifOf(await exampleReport("nsg-basics", "stack-export.json", { extraIntents: [FLOW_VERIFY_FAIL] }));
    expectValid(flow);
    const assertion = results(flow).find((r) => r.properties?.intent === "vm1-http-in-allowed");
    expect(assertion?.ruleId).toBe("AR-101");
    expect(assertion?.message.text).toContain("Blame: nsg2/securityRules/Deny-HTTP (priority 200, Inbound, Deny)");
  });

  test("suppressed findings: still results, with an external suppression and its justification", () => {
    const log = sarifOf(hub);
    const suppressed = results(log).filter((r) => r.suppressions !== undefined);
    expect(suppressed.map((r) => r.ruleId).sort()).toEqual(["AR-010", "AR-011"]);
    expect(suppressed.find((r) => r.ruleId === "AR-010")?.suppressions).toEqual([{ kind: "external", justification: "the NVA filters traffic itself (ticket NET-42)" }]);
    expect(results(log).filter((r) => !r.ruleId.startsWith("AR-1") && r.suppressions === undefined)).toHaveLength(hub.findings.filter((f) => !f.suppressed).length);
  });

  test("finding levels follow severity; locations name every resource URN", () => {
    const log = sarifOf(threeTier);
    const shadowed = results(log).find((r) => r.ruleId === "AR-002");
    expect(shadowed?.level).toBe("warning");
    expect(shadowed?.locations[0].logicalLocations?.[0].fullyQualifiedName).toBe("urn:pulumi:dev::three-tier::azure-native:network:NetworkSecurityGroup::db-nsg");
    const exposure = results(log).find((r) => r.ruleId === "AR-001");
    expect(exposure?.level).toBe("note");
    const finding = threeTier.findings.find((f) => f.id === "AR-001");
    const named = [exposure?.locations[0], ...(exposure?.relatedLocations ?? [])].map((l) => l?.logicalLocations?.[0].fullyQualifiedName);
    expect(named).toEqual(finding?.resources);
  });

  test("fingerprints: the same across runs and when the counterexample changes, distinct within a run", async () => {
    const again = await exampleReport("three-tier");
    const prints = (log: SarifLog): string[] => results(log).map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    const first = prints(sarifOf(threeTier));
    expect(prints(sarifOf(again))).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
    const fail = resultNamed(threeTier, "app-reaches-db");
    const cx = fail.counterexample;
    if (!cx) throw new Error("expected a counterexample");
    const moved: IntentResult = { ...fail, counterexample: { ...cx, flow: { ...cx.flow, sourceAddress: "10.10.2.9" }, text: "TCP 10.10.2.9:50000 -> 10.10.3.4:1433" } };
    const changed = sarifLog(withResults(threeTier, threeTier.results.map((r) => (r === fail ? moved : r))));
    expect(prints(changed)[0]).toBe(first[0]);
    // Without the program (no lines), fingerprints do not change either.
    expect(prints(sarifLog(threeTier))).toEqual(first);
  });

  test("without a program or intents file: logical locations only, still valid", () => {
    const log = sarifLog(threeTier);
    expectValid(log);
    for (const r of results(log)) expect(r.locations[0].physicalLocation).toBeUndefined();
    expect(results(log)[0].locations[0].logicalLocations?.[0].name).toBe("asg-db");
  });

  test("formatCheckSarif: JSON text of the same log (read relative to the working directory)", () => {
    const text = formatCheckSarif(threeTier);
    const parsed = JSON.parse(text) as SarifLog;
    expect(validate(parsed)).toBe(true);
    expect(results(parsed)).toHaveLength(results(sarifLog(threeTier)).length);
  });
});

describe("locating results in files", () => {
  test("programFileFor: the input directory's program, or the program next to a stack export or preview file", () => {
    expect(programFileFor("examples/three-tier", ROOT)).toBe(join(ROOT, "examples/three-tier/index.ts"));
    expect(programFileFor("examples/three-tier/preview.json", ROOT)).toBe(join(ROOT, "examples/three-tier/index.ts"));
    expect(programFileFor(undefined, ROOT)).toBeUndefined();
    const dir = tempDir("sarif-program-");
    writeFileSync(join(dir, "preview.json"), "{}");
    expect(programFileFor(join(dir, "preview.json"), ROOT)).toBeUndefined();
    mkdirSync(join(dir, "src"));
    writeFileSync(join(dir, "src", "index.ts"), "");
    writeFileSync(join(dir, "Pulumi.yaml"), "name: x\nruntime: nodejs\nmain: src/\n");
    expect(programFileFor(dir, ROOT)).toBe(join(dir, "src", "index.ts"));
  });

  test("sarifUri: relative with / inside the working directory, a file URL outside it", () => {
    expect(sarifUri(join(ROOT, "examples", "three-tier", "index.ts"), ROOT)).toBe("examples/three-tier/index.ts");
    expect(sarifUri("/elsewhere/index.ts", ROOT)).toBe("file:///elsewhere/index.ts");
  });

  test("lineOfLiteral skips comments; lineOfIntent finds JSON and YAML declarations", () => {
    const program = ['// "db-nsg" is the database NSG', 'const x = new Nsg("db-nsg", {', "  name: 'Deny-All',"].join("\n");
    expect(lineOfLiteral(program, "db-nsg")).toBe(2);
    expect(lineOfLiteral(program, "Deny-All")).toBe(3);
    expect(lineOfLiteral(program, "db")).toBeUndefined();
    expect(lineOfIntent('[\n  { "name": "a-b", "x": 1 },\n  {"name":"a"}\n]', "a")).toBe(3);
    expect(lineOfIntent("intents:\n  - name: web-in\n    from: {}\n", "web-in")).toBe(2);
  });
});
