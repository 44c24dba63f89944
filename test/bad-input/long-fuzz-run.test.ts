/**
 * Issue 13: the four silent verdict changes a long fuzz run found (5 seeds x 4,000 mutants, 2026-12-02), each now a
 * malformed-field diagnostic naming the resource, field and value, read as Unknown. The plans are the bundled
 * examples (azure-native shapes as `pulumi stack export` and `pulumi preview --json` write them); each mutation is
 * the fuzz mutant's, reproducible with the seed and index in its label (FUZZ_SEED=s FUZZ_MUTANTS=4000 FUZZ_ONLY=i).
 */
import * as fs from "fs";
import * as os from "os";
import { join } from "path";
import { cli } from "../helpers/cli";

const EXAMPLES = join(__dirname, "../../examples");
const TMP = fs.mkdtempSync(join(os.tmpdir(), "ar-long-fuzz-"));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

type Bag = Record<string, unknown>;

/** The example's plan with one resource's property bag (export outputs, or a preview step's new outputs) edited. */
function mutated(example: string, file: string, name: string, edit: (props: Bag) => void): string {
  const doc = JSON.parse(fs.readFileSync(join(EXAMPLES, example, file), "utf8"));
  const all: Array<{ urn: string; outputs?: Bag; newState?: { outputs: Bag } }> = doc.deployment?.resources ?? doc.steps;
  const r = all.find((x) => x.urn.endsWith(`::${name}`))!;
  edit(r.outputs ?? r.newState!.outputs);
  const f = join(TMP, `${example}-${name}-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(f, JSON.stringify(doc));
  return f;
}

const at = (o: unknown, ...path: Array<string | number>): Bag => path.reduce((v: unknown, k) => (v as Bag)[k], o) as Bag;

test.each<[string, string, string, string, (p: Bag) => void, string, string]>([
  [
    "seed 101 mutant 2488: a DNAT rule's translatedPort set to an ARM id",
    "hub-and-spoke-firewall", "stack-export.json", "spoke-rules",
    (p) => (at(p, "ruleCollections", 0, "rules", 0).translatedPort = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/web-vm-nic/ipConfigurations/ipconfig1"),
    "ruleCollections[0].rules[0].translatedPort", '"/subscriptions/0/',
  ],
  [
    "seed 101 mutant 2613: an AVNM commit's target location with U+202E in it",
    "avnm-baseline", "preview.json", "commit-baseline",
    (p) => {
      const locs = at(p, "properties").targetLocations as string[];
      locs[0] = `${locs[0].slice(0, 6)}\u202e${locs[0].slice(6)}`;
    },
    "properties.targetLocations[0]", '"',
  ],
  [
    "seed 1911954498 mutant 2186: a load balancer's NAT rule renamed to a path",
    "web-lb", "stack-export.json", "web-lb",
    (p) => (at(p, "inboundNatRules", 0).name = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/web-vnet/subnets/ops"),
    "inboundNatRules[0].name", '"/subscriptions/0/',
  ],
  [
    "seed 467245166 mutant 414: a public IP's sku given as a 31,121-character string",
    "web-lb", "preview.json", "ops-vm-pip",
    (p) => (p.sku = "S".repeat(31_121)),
    "sku", '"SSSS',
  ],
  [
    // The fuzz mutation of the lost 2026-12-02 long run (retype of a NIC's NAT rule list), redone by hand.
    "a NIC's loadBalancerInboundNatRules given as a number",
    "web-lb", "stack-export.json", "web-1-nic",
    (p) => (at(p, "ipConfigurations", 0).loadBalancerInboundNatRules = 42),
    "ipConfigurations[0].loadBalancerInboundNatRules", "42",
  ],
  [
    "seed 424242 mutant 1981: a NAT rule's backendAddressPool set to -1e21",
    "web-lb", "preview.json", "web-lb",
    (p) => (at(p, "inboundNatRules", 0).backendAddressPool = -1e21),
    "inboundNatRules[0].backendAddressPool", "-1e+21",
  ],
  [
    "seed 12000 mutant 1856: a subnet's defaultOutboundAccess set to Number.MAX_VALUE",
    "web-lb", "stack-export.json", "app",
    (p) => (p.defaultOutboundAccess = Number.MAX_VALUE),
    "defaultOutboundAccess", "1.7976931348623157e+308",
  ],
  [
    "seed 52000 mutant 1086: a NAT rule's backendAddressPool given as an object without an id",
    "web-lb", "preview.json", "web-lb",
    (p) => (at(p, "inboundNatRules", 0).backendAddressPool = { nested: "x" }),
    "inboundNatRules[0].backendAddressPool", '{"nested"',
  ],
])("%s: reported on the resource and field, read as unknown", async (_label, example, file, name, edit, field, value) => {
  const r = await cli("check", mutated(example, file, name, edit), "--intents", join(EXAMPLES, example, "intents.json"), "--format", "json");
  expect(r.code).not.toBe(3);
  const diagnostics = JSON.parse(r.out).diagnostics as Array<{ code: string; resource: string; field?: string; value?: string; message: string }>;
  const d = diagnostics.find((x) => x.code === "malformed-field" && x.resource.endsWith(`::${name}`));
  expect(d).toMatchObject({ field });
  expect(d?.value?.startsWith(value)).toBe(true);
  expect(d?.message).toMatch(/; treated as unknown$/);
});

// The long fuzz run of 2026-12-03 (seeds 31337 and 8000 at 4,000 mutants): an AVNM commit that Azure would not
// deploy as planned (a commit type that is none of the API's, a region where the plan has no VNet) turned the admin
// rules off, and the two intents that rely on them failed, with no word on the commit.
test.each<[string, (p: Bag) => void, string, string, string]>([
  [
    "seed 8000 mutant 3679: an AVNM commit's commitType with U+0130 in it",
    (p) => (at(p, "properties").commitType = "SecurityAdmİn"),
    "invalid-admin-rule", "properties.commitType", '"SecurityAdmİn"',
  ],
  [
    "seed 31337 mutant 2212: an AVNM commit's target location made 100,012 characters long",
    (p) => {
      const locs = at(p, "properties").targetLocations as string[];
      locs[0] = `${locs[0]}${"a".repeat(100_000)}`;
    },
    "target-location-without-vnets", "properties.targetLocations[0]", '"westeuropeaaa',
  ],
])("%s: named on the commit's field", async (_label, edit, code, field, value) => {
  const example = "avnm-baseline";
  const r = await cli("check", mutated(example, "stack-export.json", "commit-baseline", edit), "--intents", join(EXAMPLES, example, "intents.json"), "--format", "json");
  expect(r.code).not.toBe(3);
  const diagnostics = JSON.parse(r.out).diagnostics as Array<{ code: string; resource: string; field?: string; value?: string }>;
  const d = diagnostics.find((x) => x.code === code && x.resource.endsWith("::commit-baseline"));
  expect(d).toMatchObject({ field });
  expect(d?.value?.startsWith(value)).toBe(true);
});

// Seed 12000 mutant 3365: an NSG whose type token was lengthened by 100,000 characters is no kind the adapter
// models; it is said on the resource (its field `type`), not dropped without a word.
test("a network resource of a type the tool does not know is named, on its type", async () => {
  const example = "hub-and-spoke-firewall";
  const doc = JSON.parse(fs.readFileSync(join(EXAMPLES, example, "preview.json"), "utf8"));
  const step = doc.steps.find((s: { urn: string }) => s.urn.endsWith("::spoke2-nsg"));
  step.newState.type = `${step.newState.type}${"a".repeat(100_000)}`;
  const f = join(TMP, `${example}-type-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(f, JSON.stringify(doc));
  const r = await cli("check", f, "--intents", join(EXAMPLES, example, "intents.json"), "--format", "json");
  expect(r.code).not.toBe(3);
  const d = (JSON.parse(r.out).diagnostics as Array<{ code: string; resource: string; field?: string; value?: string; message: string }>).find((x) => x.code === "unmodelled-resource" && x.resource.endsWith("::spoke2-nsg"));
  expect(d).toMatchObject({ field: "type", severity: "info" });
  expect(d!.value!.length).toBeLessThan(200);
  expect(d!.message).toMatch(/is not one the reachability model reads; the resource is left out$/);
});

// Seed 28000 mutants 1421 and 2639: a path parameter (a preview step's input) that is not a string became the
// rule's name (a number) or fell back to the logical name (a list); either way the verdicts quoting it changed.
test.each<[string, string, string, unknown, string]>([
  ["an admin rule's ruleName given as -1e21", "avnm-baseline", "deny-ssh-rdp-from-internet", -1e21, "ruleName"],
  ["a security rule's securityRuleName given as a list", "nsg-basics", "nsg2-allow-8080", ["Allow-8080", "Allow-8080"], "securityRuleName"],
])("%s: reported on the resource and parameter, read as unknown", async (_label, example, name, bad, param) => {
  const doc = JSON.parse(fs.readFileSync(join(EXAMPLES, example, "preview.json"), "utf8"));
  const step = doc.steps.find((s: { urn: string }) => s.urn.endsWith(`::${name}`));
  step.newState.inputs[param] = bad;
  const f = join(TMP, `${example}-${param}-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(f, JSON.stringify(doc));
  const r = await cli("check", f, "--intents", join(EXAMPLES, example, "intents.json"), "--format", "json");
  expect(r.code).not.toBe(3);
  const d = (JSON.parse(r.out).diagnostics as Array<{ code: string; resource: string; field?: string; message: string }>).find((x) => x.code === "malformed-field" && x.resource.endsWith(`::${name}`));
  expect(d).toMatchObject({ field: param });
  expect(d!.message).toMatch(/; treated as unknown$/);
});

// Seed 16000 mutant 2999: a peering's id replaced by a subnet's id moved the peering to the subnet's VNet (children
// are placed by their ids) and spoke1 lost the hub; the id is now said to be of another type.
test("a resource whose id is another type's id is named on its id", async () => {
  const example = "hub-and-spoke-firewall";
  const doc = JSON.parse(fs.readFileSync(join(EXAMPLES, example, "stack-export.json"), "utf8"));
  const peering = doc.deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::spoke1-to-hub"));
  peering.id = peering.id.replace(/\/virtualNetworks\/spoke1-vnet\/virtualNetworkPeerings\/spoke1-to-hub$/, "/virtualNetworks/spoke2-vnet/subnets/spoke2-workload");
  expect(peering.id).toMatch(/subnets\/spoke2-workload$/);
  const f = join(TMP, `${example}-id-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(f, JSON.stringify(doc));
  const r = await cli("check", f, "--intents", join(EXAMPLES, example, "intents.json"), "--format", "json");
  expect(r.code).not.toBe(3);
  const d = (JSON.parse(r.out).diagnostics as Array<{ code: string; resource: string; field?: string; message: string }>).find((x) => x.code === "mismatched-id");
  expect(d).toMatchObject({ resource: peering.urn, field: "id" });
  expect(d!.message).toMatch(/is the id of a microsoft\.network\/virtualnetworks\/subnets resource, not of a virtual network peering/);
});

// Seed 28000 mutant 1864: the avnm-baseline preview's only commit deleted; its configuration is now said to be
// deployed nowhere (the two intents that rely on the admin rules fail, as they must).
test("a security admin configuration no commit lists is said to be deployed nowhere", async () => {
  const example = "avnm-baseline";
  const doc = JSON.parse(fs.readFileSync(join(EXAMPLES, example, "preview.json"), "utf8"));
  doc.steps = doc.steps.filter((s: { urn: string }) => !s.urn.endsWith("::commit-baseline"));
  const f = join(TMP, `${example}-nocommit-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(f, JSON.stringify(doc));
  const r = await cli("check", f, "--intents", join(EXAMPLES, example, "intents.json"), "--format", "json");
  expect(r.code).not.toBe(3);
  const d = (JSON.parse(r.out).diagnostics as Array<{ code: string; resource: string; severity: string; message: string }>).find((x) => x.code === "uncommitted-configuration");
  expect(d).toMatchObject({ resource: expect.stringMatching(/:SecurityAdminConfiguration::baseline$/), severity: "info" });
  expect(d!.message).toMatch(/is listed by no SecurityAdmin commit of the plan: its admin rules are deployed nowhere$/);
});

// Seed 44000 mutant 2307: hub-and-spoke's spoke1-to-hub peering deleted; hub-to-spoke1 stays Initiated and carries
// nothing (docs/azure-semantics.md §2.4), which is now said on the VNet that lacks the peering back.
test("a peering with no peering back is said on the VNet that lacks it", async () => {
  const example = "hub-and-spoke";
  const doc = JSON.parse(fs.readFileSync(join(EXAMPLES, example, "stack-export.json"), "utf8"));
  doc.deployment.resources = doc.deployment.resources.filter((r: { urn: string }) => !r.urn.endsWith("::spoke1-to-hub"));
  const f = join(TMP, `${example}-onesided-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(f, JSON.stringify(doc));
  const r = await cli("check", f, "--intents", join(EXAMPLES, example, "intents.json"), "--format", "json");
  expect(r.code).not.toBe(3);
  const d = (JSON.parse(r.out).diagnostics as Array<{ code: string; resource: string; message: string }>).filter((x) => x.code === "one-sided-peering");
  expect(d).toHaveLength(1);
  expect(d[0].resource).toMatch(/:VirtualNetwork::spoke1-vnet$|:VirtualNetwork::spoke1$/);
  expect(d[0].message).toMatch(/has no peering back to .*: the peering stays Initiated and carries no traffic$/);
});

// Seed 64000 mutant 3497: avnm-baseline's spoke-vnet (a static member of the group the committed baseline applies
// to) given a 50,002-character location; the admin rules stopped applying to it and two intents failed, while only
// the commit was said to reach no VNet. The VNet is now said to be outside the committed regions (docs/avnm.md).
test("a group member VNet outside the regions its configuration is committed to is said on the VNet", async () => {
  const f = mutated("avnm-baseline", "preview.json", "spoke-vnet", (p) => (p.location = `westeurope${"x".repeat(49_992)}`));
  const r = await cli("check", f, "--intents", join(EXAMPLES, "avnm-baseline", "intents.json"), "--format", "json");
  expect(r.code).not.toBe(3);
  const d = (JSON.parse(r.out).diagnostics as Array<{ code: string; resource: string; field?: string; severity: string; message: string }>).filter((x) => x.code === "member-outside-committed-regions");
  expect(d).toEqual([expect.objectContaining({ resource: expect.stringMatching(/:VirtualNetwork::spoke-vnet$/), field: "location", severity: "info" })]);
  expect(d[0].message).toMatch(/is none of the regions security admin configuration baseline is committed to \(westeurope\): the admin rules it applies to network group spokes do not apply to this VNet$/);
});

