/**
 * Issue 13 point 3 and the default-rule half of point 8: default rules in a plan are data. A narrowed or partly
 * unknown DenyAll, a changed priority, a foreign or missing rule are reported (odd-default-rule, naming the rule,
 * field and value) and Azure's documented defaults are used; `check` never stops with exit 3 "rule list ended
 * without a catch-all rule". Shape: deployed outputs list `defaultSecurityRules` with every field set
 * (pulumi-azure-native's SecurityRuleResponse; test/adapters/azure-native/nsg.test.ts AZURE_DEFAULTS).
 */
import * as fs from "fs";
import * as os from "os";
import { join } from "path";
import { buildTopology } from "../../src/adapters/azure-native";
import { readResourceFile } from "../../src/resources/detect";
import type { ResourceRecord } from "../../src/resources/record";
import { unknown } from "../../src/model/unknown";
import { cli } from "../helpers/cli";

const EXPORT = join(__dirname, "../../examples/nsg-basics/stack-export.json");
const TMP = fs.mkdtempSync(join(os.tmpdir(), "ar-defaults-"));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

const ROWS = [
  ["AllowVnetInBound", "Inbound", 65000, "VirtualNetwork", "VirtualNetwork", "Allow"],
  ["AllowAzureLoadBalancerInBound", "Inbound", 65001, "AzureLoadBalancer", "*", "Allow"],
  ["DenyAllInBound", "Inbound", 65500, "*", "*", "Deny"],
  ["AllowVnetOutBound", "Outbound", 65000, "VirtualNetwork", "VirtualNetwork", "Allow"],
  ["AllowInternetOutBound", "Outbound", 65001, "*", "Internet", "Allow"],
  ["DenyAllOutBound", "Outbound", 65500, "*", "*", "Deny"],
] as const;
const defaults = (): Record<string, unknown>[] =>
  ROWS.map(([name, direction, priority, src, dst, access]) => ({
    name, direction, priority, access, protocol: "*", sourceAddressPrefix: src, destinationAddressPrefix: dst, sourcePortRange: "*", destinationPortRange: "*",
    sourceAddressPrefixes: [], destinationAddressPrefixes: [], sourcePortRanges: [], destinationPortRanges: [], provisioningState: "Succeeded",
  }));

/** The nsg-basics export with NSG `nsg1`'s defaultSecurityRules replaced. */
function exportWith(edit: (rules: Record<string, unknown>[]) => unknown): string {
  const doc = JSON.parse(fs.readFileSync(EXPORT, "utf8"));
  const nsg = doc.deployment.resources.find((r: { type: string; urn: string }) => r.type === "azure-native:network:NetworkSecurityGroup" && r.urn.endsWith("::nsg1"));
  nsg.outputs.defaultSecurityRules = edit(defaults());
  const f = join(TMP, `export-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(f, JSON.stringify(doc));
  return f;
}

function recordsOf(file: string): ResourceRecord[] {
  const r = readResourceFile(file);
  if (!r.ok) throw new Error(r.error);
  return r.records;
}

const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

test.each<[string, (rules: Record<string, unknown>[]) => unknown, RegExp | undefined]>([
  ["as Azure lists them", (r) => r, undefined],
  ["DenyAllInBound narrowed to port 22", (r) => r.map((x) => (x.name === "DenyAllInBound" ? { ...x, destinationPortRange: "22" } : x)), /defaultSecurityRules\[DenyAllInBound\]\.destinationPortRange is "22", not "\*"/],
  ["DenyAllInBound partly unknown", (r) => r.map((x) => (x.name === "DenyAllInBound" ? { ...x, sourceAddressPrefix: UNKNOWN_STRING } : x)), undefined],
  ["DenyAllOutBound's priority changed", (r) => r.map((x) => (x.name === "DenyAllOutBound" ? { ...x, priority: 100 } : x)), /defaultSecurityRules\[DenyAllOutBound\]\.priority is 100, not 65500/],
  ["DenyAllInBound dropped", (r) => r.filter((x) => x.name !== "DenyAllInBound"), /defaultSecurityRules lacks DenyAllInBound/],
  ["a foreign rule", (r) => [...r, { ...r[0], name: "AllowAll" }], /defaultSecurityRules\[6\]\.name "AllowAll" is not one of Azure's default rules/],
  ["an augmented default", (r) => r.map((x) => (x.name === "DenyAllInBound" ? { ...x, sourceAddressPrefixes: ["10.0.0.0/8"] } : x)), /defaultSecurityRules\[DenyAllInBound\]\.sourceAddressPrefixes is \["10\.0\.0\.0\/8"\]/],
  ["not a list", () => ({ DenyAllInBound: {} }), /defaultSecurityRules is \{"DenyAllInBound":\{\}\}, not a list/],
])("defaults %s: documented defaults used, oddities reported, no exit 3", async (_label, edit, diagnostic) => {
  const file = exportWith(edit);
  const topo = buildTopology(recordsOf(file));
  const nsg = [...topo.nsgs.values()].find((n) => n.logicalName === "nsg1")!;
  expect(nsg.defaultRules.map((r) => [r.name, r.priority, r.valid])).toEqual(ROWS.map((r) => [r[0], r[2], true]));
  const odd = topo.diagnostics.filter((d) => d.code === "odd-default-rule");
  if (diagnostic === undefined) expect(odd).toEqual([]);
  else expect(odd.map((d) => d.message)).toEqual([expect.stringMatching(diagnostic)]);
  const r = await cli("verify-flow", file, "--nic", "vm1", "--direction", "Inbound", "--protocol", "TCP", "--local", "10.0.1.4:22", "--remote", "203.0.113.9:50000", "--json");
  expect(r.code).toBe(0);
  expect(JSON.parse(r.out).access).toBe("Deny");
  const c = await cli("check", file, "--intents", join(__dirname, "../../examples/nsg-basics/intents.json"), "--format", "json");
  expect(c.code).not.toBe(3);
  expect(c.out).not.toContain("internal error");
});

test("a default rule unknown as a whole (a preview) is not odd", () => {
  const records = recordsOf(exportWith((r) => r)).map((rec) =>
    rec.name === "nsg1" ? { ...rec, props: { ...rec.props, defaultSecurityRules: [unknown(".defaultSecurityRules[0]", rec.urn)] } } : rec,
  );
  const topo = buildTopology(records);
  expect(topo.diagnostics.filter((d) => d.code === "odd-default-rule")).toEqual([]);
});
