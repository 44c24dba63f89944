/**
 * Issue 13, found by the fuzz suite: a firewall rule's or an AVNM admin rule's address, port or protocol list of
 * the wrong shape was read as absent (every port, every address) without a word, and flipped intents:
 * - fuzz seed 777 mutant 220: hub-and-spoke-firewall's spoke-rules `destinationPorts[0]` set to null: the rule
 *   allowed every port and "no-ssh-between-spokes" went from pass to fail;
 * - fuzz seed 1911954498 mutant 262: avnm-baseline's admin rule `destinationPortRanges` given as a number: the deny
 *   covered every port and "https-from-internet" went from pass to fail.
 * Each is now a malformed-field diagnostic naming the resource and field, and the list is Unknown (undecided).
 * The plans are the examples' stack exports (shapes cited in each example's README).
 */
import * as fs from "fs";
import * as os from "os";
import { join } from "path";
import { cli } from "../helpers/cli";

const EXAMPLES = join(__dirname, "../../examples");
const TMP = fs.mkdtempSync(join(os.tmpdir(), "ar-rule-lists-"));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

type Outputs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function mutated(example: string, name: string, edit: (outputs: Outputs) => void): string {
  const doc = JSON.parse(fs.readFileSync(join(EXAMPLES, example, "stack-export.json"), "utf8"));
  const r = doc.deployment.resources.find((x: { urn: string }) => x.urn.endsWith(`::${name}`));
  edit(r.outputs);
  const f = join(TMP, `${name}-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(f, JSON.stringify(doc));
  return f;
}

async function checkJson(example: string, file: string): Promise<{ results: Array<{ name: string; verdict: string }>; diagnostics: Array<{ code: string; resource: string; field?: string; message: string }> }> {
  const r = await cli("check", file, "--intents", join(EXAMPLES, example, "intents.json"), "--format", "json");
  expect(r.code).not.toBe(3);
  return JSON.parse(r.out);
}

test.each<[string, string, string, (o: Outputs) => void, string, string]>([
  ["a policy rule's destinationPorts[0] null", "hub-and-spoke-firewall", "spoke-rules", (o) => (o.ruleCollections[1].rules[0].destinationPorts = [null]), "ruleCollections[1].rules[0].destinationPorts[0]", "no-ssh-between-spokes"],
  ["a policy rule's destinationPorts as a string", "hub-and-spoke-firewall", "spoke-rules", (o) => (o.ruleCollections[1].rules[0].destinationPorts = "443"), "ruleCollections[1].rules[0].destinationPorts", "no-ssh-between-spokes"],
  ["an admin rule's destinationPortRanges as a number", "avnm-baseline", "deny-ssh-rdp-from-internet", (o) => (o.destinationPortRanges = Number.MAX_VALUE), "destinationPortRanges", "https-from-internet"],
  ["an admin rule's destinationPortRanges with a number in it", "avnm-baseline", "deny-ssh-rdp-from-internet", (o) => (o.destinationPortRanges = [22, "3389"]), "destinationPortRanges[0]", "https-from-internet"],
  // Fuzz seed 2026 mutant 277: a commit's configurationIds given as a number committed nothing, silently.
  ["a commit's configurationIds as a number", "avnm-baseline", "commit-baseline", (o) => (o.properties.configurationIds = 0.5), "properties.configurationIds", "no-ssh-rdp-from-internet"],
  // Fuzz seed 20261202 mutants 3080 and 3108: a VNet location no region has matched no commit's targetLocations,
  // and mutant 3106: a scope access that is no ConfigurationType; both dropped the admin rules silently.
  ["a VNet's location with a control character", "avnm-baseline", "spoke-vnet", (o) => (o.location = "westeurope\u0000"), "location", "no-ssh-rdp-from-internet"],
  ["a VNet's location given as a URN", "avnm-baseline", "spoke-vnet", (o) => (o.location = "urn:pulumi:dev::avnm-baseline::azure-native:resources:ResourceGroup::rg"), "location", "no-ssh-rdp-from-internet"],
  ["a network manager's scope access that is no ConfigurationType", "avnm-baseline", "avnm", (o) => (o.networkManagerScopeAccesses = ["urn:pulumi:dev::avnm-baseline::azure-native:network:NetworkManager::avnm"]), "networkManagerScopeAccesses[0]", ""],
  // Fuzz seed 20261202 mutant 31: a load balancer's inboundNatRules given as a string was read as no NAT rules.
  ["a load balancer's inboundNatRules as a string", "web-lb", "web-lb", (o) => (o.inboundNatRules = "1".repeat(50_000)), "inboundNatRules", "ssh-to-web-1-via-nat-rule"],
  // Fuzz seed 2026 mutant 380: the firewall's subnet reference given as a number was read as absent.
  ["the firewall's subnet reference as a number", "hub-and-spoke-firewall", "hub-fw", (o) => (o.ipConfigurations[0].subnet = 0.5), "ipConfigurations[0].subnet", ""],
])("%s: reported, and the intent it decided (if any) is undecided, not flipped", async (_label, example, resource, edit, field, intent) => {
  const base = await checkJson(example, join(EXAMPLES, example, "stack-export.json"));
  const got = await checkJson(example, mutated(example, resource, edit));
  if (intent !== "") {
    expect(base.results.find((r) => r.name === intent)?.verdict).toBe("pass");
    expect(got.results.find((r) => r.name === intent)?.verdict).toBe("indeterminate");
  }
  expect(got.diagnostics.filter((x) => x.code === "malformed-field")).toEqual([
    expect.objectContaining({ resource: expect.stringMatching(new RegExp(`::${resource}$`)), field, message: expect.stringMatching(/; treated as unknown$/) }),
  ]);
});

test.each(["hub-and-spoke-firewall", "avnm-baseline", "web-lb"])("%s as it is: no malformed field", async (example) => {
  const got = await checkJson(example, join(EXAMPLES, example, "stack-export.json"));
  expect(got.diagnostics.filter((x) => x.code === "malformed-field")).toEqual([]);
});
