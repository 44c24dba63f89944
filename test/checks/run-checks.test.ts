import { runChecks, sortFindings } from "../../src/checks";
import { CATALOGUE, policyConfigToCheckOptions } from "../../src/checks";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import type { Topology } from "../../src/model/topology";
import type { RuleSpec } from "../helpers/model-builder";
import { addDiagnostics, happy, HTTPS_FROM_ANY, HTTPS_FROM_INTERNET, oneLine, only, run } from "./fixture";

const SSH: RuleSpec = { name: "allow-ssh", priority: 110, direction: "Inbound", access: "Allow", protocol: "Tcp", src: "*", dport: "22" };
const messy = (): Topology =>
  addDiagnostics(happy({ nsgWeb: [HTTPS_FROM_INTERNET, SSH], nsgWebNic: [HTTPS_FROM_ANY, SSH], appNsg: null, nvaForwarding: false }), [
    { code: "unresolved-reference", severity: "warning", resource: "urn:x", message: "x: something is unknown at preview" },
  ]);

describe("runChecks", () => {
  test("baseline: the web NIC's exposure (low) and its flow-count risk (own public IP, no DDoS: medium)", () => {
    expect(run(happy()).map((f) => [f.check, f.severity])).toEqual([["internet-exposure", "low"], ["flow-count-risk", "medium"]]);
  });

  test("several checks at once, in catalogue order", () => {
    expect(run(messy()).map((f) => f.check)).toEqual([
      "internet-exposure",
      "appliance-ip-forwarding-disabled",
      "unfiltered-nic",
      "subnet-without-nsg",
      "unattached-nsg",
      "model-diagnostic",
      "flow-count-risk",
    ]);
  });

  test("deterministic: same answer twice, and whatever the insertion order of the topology's maps", () => {
    const topo = messy();
    const reversed: Topology = {
      ...topo,
      nics: new Map([...topo.nics].reverse()),
      subnets: new Map([...topo.subnets].reverse()),
      nsgs: new Map([...topo.nsgs].reverse()),
      routeTables: new Map([...topo.routeTables].reverse()),
    };
    const a = run(topo);
    expect(run(topo)).toEqual(a);
    expect(run(reversed)).toEqual(a);
    expect(sortFindings([...a].reverse())).toEqual(a);
  });

  test("enabled: only the named checks (names or ids)", () => {
    expect(run(messy(), { enabled: ["unattached-nsg", "AR-006"] }).map((f) => f.check)).toEqual(["appliance-ip-forwarding-disabled", "unattached-nsg"]);
    expect(run(messy(), { enabled: [] })).toEqual([]);
  });

  test("every message is one line and names resources", () => {
    const all = run(messy());
    expect(oneLine(all)).toBe(true);
    for (const f of all) expect(f.resources.length).toBeGreaterThan(0);
  });

  test("a check that throws on a malformed model reports it and the others still run", () => {
    const topo = happy();
    const broken: Topology = { ...topo, nsgs: new Map([...topo.nsgs].map(([k, n]) => [k, k === "nsg-app" ? { ...n, rules: null as unknown as typeof n.rules } : n])) };
    const out = runChecks(engineEnv(broken, EMPTY_CATALOG));
    expect(out.some((f) => f.details?.internalError === true)).toBe(true);
    expect(only(out, "internet-exposure")).toHaveLength(1);
  });
});

describe("suppressions", () => {
  const topo = messy();

  test.each([
    ["by logical name of the NIC", { check: "internet-exposure", resource: "web-nic" }],
    ["by the VM name", { check: "internet-exposure", resource: "web-vm" }],
    ["by check id", { check: "AR-001", resource: "web-nic" }],
    ["by URN", { check: "internet-exposure", resource: "urn:pulumi:test::test::azure-native:network:networkInterfaces::web-nic" }],
    ["by the rule reference", { check: "internet-exposure", resource: "nsg-web-nic/securityRules/allow-ssh" }],
  ])("%s: the finding stays, marked suppressed with the reason", (_name, s) => {
    const out = run(topo, { suppressions: [{ ...s, reason: "bastion host, reviewed 2025-01" }] });
    const [f] = only(out, "internet-exposure");
    expect(f.suppressed).toEqual({ reason: "bastion host, reviewed 2025-01" });
    expect(only(out, "invalid-suppression")).toEqual([]);
    expect(out.filter((x) => x.suppressed).length).toBe(1);
  });

  test("a suppression for another check or resource does not apply", () => {
    const out = run(topo, { suppressions: [{ check: "shadowed-rule", resource: "web-nic", reason: "not this one at all" }, { check: "internet-exposure", resource: "app-nic", reason: "not this one either" }] });
    expect(out.every((f) => f.suppressed === undefined)).toBe(true);
  });

  test.each([
    ["reason shorter than 10 characters", { check: "internet-exposure", resource: "web-nic", reason: "ok" }, 'reason "ok" is shorter than 10 characters'],
    ["reason of spaces", { check: "internet-exposure", resource: "web-nic", reason: "            " }, 'reason "" is shorter than 10 characters'],
    ["unknown check", { check: "internet-exposur", resource: "web-nic", reason: "a good long reason" }, 'unknown check "internet-exposur"'],
    ["no resource", { check: "internet-exposure", resource: "", reason: "a good long reason" }, "no resource named"],
  ])("invalid: %s -> invalid-suppression finding naming it, not applied", (_name, s, text) => {
    const out = run(topo, { suppressions: [s] });
    expect(only(out, "internet-exposure")[0].suppressed).toBeUndefined();
    const [bad] = only(out, "invalid-suppression");
    expect(bad).toMatchObject({ id: "AR-015", severity: "medium" });
    expect(bad.message).toContain(`suppression #1 (check ${s.check ? JSON.stringify(s.check) : "?"}, resource ${s.resource ? JSON.stringify(s.resource) : "?"})`);
    expect(bad.message).toContain(text);
    expect(bad.message).toContain("not applied");
  });

  test("the invalid-suppression finding names the resource's URN when it exists", () => {
    const [bad] = only(run(topo, { suppressions: [{ check: "internet-exposure", resource: "web-nic", reason: "short" }] }), "invalid-suppression");
    expect(bad.resources).toEqual(["urn:pulumi:test::test::azure-native:network:networkInterfaces::web-nic"]);
  });
});

describe("policyConfigToCheckOptions", () => {
  test("no configuration: every check enabled, advisory", () => {
    const r = policyConfigToCheckOptions(undefined);
    if (!r.ok) throw new Error(r.errors.join("; "));
    expect(r.options.enabled).toHaveLength(CATALOGUE.length);
    expect(Object.values(r.enforcement).every((e) => e === "advisory")).toBe(true);
    expect(r.options.suppressions).toEqual([]);
  });

  test("enforcement per check (by name or id); disabled checks are not run", () => {
    const r = policyConfigToCheckOptions({
      checks: { "internet-exposure": { enforcement: "mandatory" }, "AR-012": { enforcement: "disabled" } },
      suppressions: [{ check: "shadowed-rule", resource: "nsg-app", reason: "x" }],
      intents: [],
    });
    if (!r.ok) throw new Error(r.errors.join("; "));
    expect(r.enforcement["internet-exposure"]).toBe("mandatory");
    expect(r.enforcement["unattached-nsg"]).toBeUndefined();
    expect(r.options.enabled).not.toContain("unattached-nsg");
    // A too-short reason is not a configuration error: runChecks reports it as a finding.
    expect(r.options.suppressions).toEqual([{ check: "shadowed-rule", resource: "nsg-app", reason: "x" }]);
    expect(run(messy(), r.options).map((f) => f.check)).not.toContain("unattached-nsg");
    expect(only(run(messy(), r.options), "invalid-suppression")).toHaveLength(1);
  });

  test.each<[string, unknown, string]>([
    ["not an object", "mandatory", "check configuration must be an object with optional 'checks' and 'suppressions'"],
    ["checks not an object", { checks: ["internet-exposure"] }, "checks: must be an object mapping check names to { enforcement }"],
    ["unknown check", { checks: { "port-22": { enforcement: "mandatory" } } }, "checks.port-22: unknown check (known: internet-exposure,"],
    ["bad enforcement", { checks: { "shadowed-rule": { enforcement: "blocking" } } }, 'checks.shadowed-rule.enforcement: "blocking" is not one of advisory, mandatory, disabled'],
    ["unknown setting", { checks: { "shadowed-rule": { enforcment: "advisory" } } }, "checks.shadowed-rule.enforcment: unknown setting (only 'enforcement')"],
    ["check entry not an object", { checks: { "shadowed-rule": "mandatory" } }, 'checks.shadowed-rule: must be an object like {"enforcement": "advisory"}'],
    // Malformed suppressions are not configuration errors: each is an invalid-suppression finding on its own
    // (test/bad-input/suppressions.test.ts).
  ])("error: %s", (_name, config, error) => {
    const r = policyConfigToCheckOptions(config);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.some((e) => e.startsWith(error))).toBe(true);
    expect(r.errors.every((e) => !e.includes("\n"))).toBe(true);
  });
});
