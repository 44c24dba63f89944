/**
 * `--with-stack FILE`: a spoke whose Internet traffic goes through a hub's appliance in another stack
 * (examples/split-hub-and-spoke). Alone, the spoke's plan leaves the paths through the hub undecided and says why;
 * with the hub's export they are decided, and the hub's resources keep their stack in names and blame.
 * These tests fail on the code before `--with-stack` (commander refuses the unknown option: exit 2).
 */
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { cli } from "../helpers/cli";
import { tempDir } from "../helpers/temp-dir";

const SPLIT = join(__dirname, "../../examples/split-hub-and-spoke");
const HUB = join(SPLIT, "hub/stack-export.json");
const SPOKE_DIR = join(SPLIT, "spoke");
const INTENTS = join(SPOKE_DIR, "intents.json");
const TMP = tempDir("with-stack-test-");

interface CheckJson {
  results: Array<{ name: string; verdict: string; unknowns?: string[]; message: string }>;
}

async function checkJson(...args: string[]): Promise<{ code: number; json: CheckJson; err: string }> {
  const r = await cli("check", ...args, "--intents", INTENTS, "--format", "json");
  return { code: r.code, json: JSON.parse(r.out) as CheckJson, err: r.err };
}

const verdicts = (j: CheckJson): string[][] => j.results.map((r) => [r.name, r.verdict]);

describe.each([["stack-export.json"], ["preview.json"]])("the spoke's %s", (file) => {
  const spoke = join(SPOKE_DIR, file);

  test("alone: the paths through the hub are undecided, naming the hub's VNet that is not in the plan", async () => {
    const { code, json, err } = await checkJson(spoke);
    expect(code).toBe(0);
    expect(verdicts(json)).toEqual([
      ["app-reaches-internet-https-through-hub", "indeterminate"],
      ["no-ssh-out-through-hub", "indeterminate"],
    ]);
    expect(err).toContain("azure-reachability: hint: 1 reference names a resource outside this plan (/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/split-hub-rg/providers/Microsoft.Network/virtualNetworks/hub-vnet); if it is another stack's, give that stack's `pulumi stack export` with --with-stack FILE");
    for (const r of json.results) expect(r.unknowns?.join("\n")).toContain("spoke-to-hub .remoteVirtualNetwork.id (not in the plan: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/split-hub-rg/providers/Microsoft.Network/virtualNetworks/hub-vnet)");
  });

  test("with the hub's export: both decided (HTTPS through the appliance delivered, SSH denied by its NSG)", async () => {
    const { code, json, err } = await checkJson(spoke, "--with-stack", HUB);
    expect(code).toBe(0);
    expect(err).not.toContain("hint:");
    expect(verdicts(json)).toEqual([
      ["app-reaches-internet-https-through-hub", "pass"],
      ["no-ssh-out-through-hub", "pass"],
    ]);
  });
});

test("trace: the hub's appliance and NSG are named with their stack, in the hops and the blame", async () => {
  const r = await cli("trace", join(SPOKE_DIR, "stack-export.json"), "--from", "app-vm", "--to", "8.8.8.8", "--protocol", "TCP", "--port", "22", "--with-stack", HUB);
  expect(r.code).toBe(0);
  expect(r.out).toContain("2. VirtualAppliance split-hub/nva-nic 10.0.1.4  via user route default-via-hub-nva 0.0.0.0/0 -> VirtualAppliance 10.0.1.4 (route table spoke-rt)");
  expect(r.out).toContain("=> denied by securityRules/Deny-All-Inbound of NSG split-hub/nva-nsg (inbound, on the network interface)");
});

test("the hub without its side of the peering: the HTTPS intent fails, blaming the unpeered appliance", async () => {
  const doc = JSON.parse(readFileSync(HUB, "utf8")) as { deployment: { resources: Array<{ urn: string }> } };
  doc.deployment.resources = doc.deployment.resources.filter((r) => !r.urn.endsWith("::hub-to-spoke"));
  const file = join(TMP, "hub-without-peering.json");
  writeFileSync(file, JSON.stringify(doc));
  const { code, json } = await checkJson(join(SPOKE_DIR, "stack-export.json"), "--with-stack", file);
  expect(code).toBe(1);
  expect(verdicts(json)[0]).toEqual(["app-reaches-internet-https-through-hub", "fail"]);
  expect(json.results[0].message).toContain("appliance split-hub/nva-nic is in a VNet that is neither spoke nor peered with it");
});

describe("the spoke's program under mocks: its StackReference reads the --with-stack file's outputs", () => {
  test("with the hub: decided", async () => {
    const { code, json } = await checkJson(SPOKE_DIR, "--with-stack", HUB);
    expect(code).toBe(0);
    expect(verdicts(json).map((v) => v[1])).toEqual(["pass", "pass"]);
  }, 90_000);

  test("without: the StackReference's outputs are unknown (a warning says so), the intents undecided", async () => {
    const { json, err } = await checkJson(SPOKE_DIR);
    expect(err).toContain("warning: StackReference organization/split-hub/dev: no --with-stack file holds that stack; its outputs are unknown (give the stack's export with --with-stack FILE)");
    expect(verdicts(json).map((v) => v[1])).toEqual(["indeterminate", "indeterminate"]);
  }, 90_000);
});

test("diff takes --with-stack on both sides: the hub's appliance decides what a spoke change opens", async () => {
  const doc = JSON.parse(readFileSync(join(SPOKE_DIR, "stack-export.json"), "utf8")) as { deployment: { resources: Array<{ urn: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }> } };
  // The spoke sends its Internet traffic straight out instead of through the hub: SSH to the Internet opens.
  for (const r of doc.deployment.resources.filter((x) => x.urn.endsWith("RouteTable::spoke-rt"))) {
    for (const part of [r.inputs, r.outputs]) (part.routes as Array<Record<string, unknown>>).splice(0);
  }
  const after = join(TMP, "spoke-direct.json");
  writeFileSync(after, JSON.stringify(doc));
  const r = await cli("diff", join(SPOKE_DIR, "stack-export.json"), after, "--with-stack", HUB, "--format", "json");
  expect(r.code).toBe(0);
  const report = JSON.parse(r.out) as { opened: Array<{ from: string; to: string; ports: string }> };
  expect(report.opened.some((row) => row.from.includes("app-nic") && row.to === "Internet" && /\b22\b|^\*$|0-65535/.test(row.ports))).toBe(true);
});

test.each([
  [["--with-stack", join(TMP, "nothing-here.json")], /^azure-reachability: --with-stack: cannot read .*nothing-here\.json: no such file\n$/],
  [["--with-stack", SPOKE_DIR], /^azure-reachability: --with-stack: cannot read .*spoke: it is a directory\n$/],
])("a bad --with-stack (%j): exit 2, one line", async (extra, message) => {
  const r = await cli("check", join(SPOKE_DIR, "stack-export.json"), "--intents", INTENTS, ...extra);
  expect(r.code).toBe(2);
  expect(r.err).toMatch(message);
});
