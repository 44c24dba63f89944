/**
 * Issue 13 point 1: a malformed or wrong-typed field the model reads is reported (malformed-field, naming the
 * resource, field and value) and read as Unknown, never dropped: a failing intent can no longer turn into a pass.
 * The plan is examples/three-tier's stack export (azure-native outputs as `pulumi stack export` writes them), where
 * "app-reaches-db" fails (db-nsg's Deny-VNet-Inbound blocks TCP 1433).
 */
import * as fs from "fs";
import * as os from "os";
import { join } from "path";
import { cli } from "../helpers/cli";

const EXAMPLE = join(__dirname, "../../examples/three-tier");
const TMP = fs.mkdtempSync(join(os.tmpdir(), "ar-malformed-"));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

type Outputs = Record<string, unknown> & { ipConfigurations?: Array<Record<string, unknown>> };

function mutated(name: string, edit: (outputs: Outputs) => void): string {
  const doc = JSON.parse(fs.readFileSync(join(EXAMPLE, "stack-export.json"), "utf8"));
  const r = doc.deployment.resources.find((x: { urn: string }) => x.urn.endsWith(`::${name}`));
  edit(r.outputs);
  const f = join(TMP, `${name}-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(f, JSON.stringify(doc));
  return f;
}

async function checkJson(file: string): Promise<{ results: Array<{ name: string; verdict: string }>; diagnostics: Array<{ code: string; resource: string; field?: string; value?: string; message: string }> }> {
  const r = await cli("check", file, "--intents", join(EXAMPLE, "intents.json"), "--format", "json");
  expect(r.code).not.toBe(3);
  return JSON.parse(r.out);
}

test.each<[string, string, (o: Outputs) => void, string, string]>([
  ["securityRules given as an object", "db-nsg", (o) => (o.securityRules = { "Deny-VNet-Inbound": (o.securityRules as unknown[])[0] }), "securityRules", '{"Deny-VNet-Inbound":'],
  ["a NIC's networkSecurityGroup given as a number", "db-vm-1-nic", (o) => (o.networkSecurityGroup = 7), "networkSecurityGroup", "7"],
  ["privateIPAddress 10.10.3.999", "db-vm-1-nic", (o) => (o.ipConfigurations![0].privateIPAddress = "10.10.3.999"), "ipConfigurations[0].privateIPAddress", '"10.10.3.999"'],
  // Fuzz seed 20261202 mutant 2845: a mangled unknown where a reference goes was read as a bare ARM id.
  ["a subnet reference as a string that is no ARM id", "db-vm-1-nic", (o) => (o.ipConfigurations![0].subnet = "db-subnet"), "ipConfigurations[0].subnet", '"db-subnet"'],
  ["publicIPAddress {}", "db-vm-1-nic", (o) => (o.ipConfigurations![0].publicIPAddress = {}), "ipConfigurations[0].publicIPAddress", "{}"],
  ["a subnet reference as a list", "db-vm-1-nic", (o) => (o.ipConfigurations![0].subnet = [o.ipConfigurations![0].subnet]), "ipConfigurations[0].subnet", "[{"],
  ["an ASG list as an object", "db-vm-1-nic", (o) => (o.ipConfigurations![0].applicationSecurityGroups = { id: "x" }), "ipConfigurations[0].applicationSecurityGroups", '{"id":"x"}'],
  ["a rule's destinationPortRanges as a string", "db-nsg", (o) => ((o.securityRules as Array<Record<string, unknown>>)[0].destinationPortRanges = "1433"), "securityRules[0].destinationPortRanges", '"1433"'],
])("%s: reported, and app-reaches-db no longer passes silently", async (_label, resource, edit, field, value) => {
  const base = await checkJson(join(EXAMPLE, "stack-export.json"));
  expect(base.results.find((r) => r.name === "app-reaches-db")?.verdict).toBe("fail");
  const got = await checkJson(mutated(resource, edit));
  expect(got.results.find((r) => r.name === "app-reaches-db")?.verdict).not.toBe("pass");
  const d = got.diagnostics.find((x) => x.code === "malformed-field");
  expect(d).toMatchObject({ resource: expect.stringMatching(new RegExp(`::${resource}$`)), field });
  expect(d?.value?.startsWith(value)).toBe(true);
  expect(d?.message).toMatch(/; treated as unknown$/);
});

// Fuzz seed 20261202 mutants 3022 and 3227: in a first preview the reader fills the outputs' unknowns from the
// inputs (reconcile.ts) and skipped an input of the wrong shape without a word; the verdicts went undecided silently.
test.each<[string, unknown]>([
  ["an object", { id: 7 }],
  ["a number", 7],
])("a preview's input subnets given as %s: reported on the VNet", async (_label, bad) => {
  const doc = JSON.parse(fs.readFileSync(join(__dirname, "../../examples/hub-and-spoke/preview.json"), "utf8"));
  const step = doc.steps.find((s: { urn: string }) => s.urn.endsWith("::spoke2"));
  step.newState.inputs.subnets = bad;
  const f = join(TMP, `spoke2-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(f, JSON.stringify(doc));
  const r = await cli("check", f, "--intents", join(__dirname, "../../examples/hub-and-spoke/intents.json"), "--format", "json");
  expect(r.code).not.toBe(3);
  const d = (JSON.parse(r.out).diagnostics as Array<{ code: string; resource: string; field?: string; message: string }>).filter((x) => x.code === "malformed-field");
  expect(d).toEqual([expect.objectContaining({ resource: expect.stringMatching(/::spoke2$/), field: "subnets", message: expect.stringMatching(/^spoke2: the input subnets is .*, not a list; ignored: the outputs are read$/) })]);
});
