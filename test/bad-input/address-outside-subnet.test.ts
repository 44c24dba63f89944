/**
 * Issue 13 (long fuzz run, 2026-12-02): a NIC's subnet reference pointed at a sibling subnet (the fuzzer's `cycle`
 * and `dangling` mutations of `ipConfigurations[0].subnet.id`) left its static address outside the subnet it now
 * sits in; the verdicts followed the address and changed with no word. Azure assigns a configuration's address from
 * its subnet (docs/azure-semantics.md §2.5), so such a plan is reported on the NIC's subnet field. The plan is
 * examples/three-tier's stack export (`pulumi stack export` shape); db-vm-1-nic holds 10.10.3.4 in subnet db.
 */
import * as fs from "fs";
import * as os from "os";
import { join } from "path";
import { cli } from "../helpers/cli";

const EXAMPLES = join(__dirname, "../../examples");
const TMP = fs.mkdtempSync(join(os.tmpdir(), "ar-outside-"));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

type Config = { privateIPAddress?: string; subnet?: { id: string } };

function threeTier(edit: (config: Config) => void): string {
  const doc = JSON.parse(fs.readFileSync(join(EXAMPLES, "three-tier", "stack-export.json"), "utf8"));
  const nic = doc.deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::db-vm-1-nic"));
  edit(nic.outputs.ipConfigurations[0]);
  const f = join(TMP, `three-tier-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(f, JSON.stringify(doc));
  return f;
}

async function diagnostics(file: string): Promise<Array<{ code: string; resource: string; field?: string; value?: string; message: string }>> {
  const r = await cli("check", file, "--intents", join(EXAMPLES, "three-tier", "intents.json"), "--format", "json");
  expect(r.code).not.toBe(3);
  return JSON.parse(r.out).diagnostics;
}

test("a static address outside the subnet the NIC now references is named on the NIC's subnet field", async () => {
  const file = threeTier((c) => (c.subnet = { id: c.subnet!.id.replace(/\/subnets\/db$/, "/subnets/app") }));
  const d = (await diagnostics(file)).find((x) => x.code === "address-outside-subnet");
  expect(d).toMatchObject({ resource: expect.stringMatching(/::db-vm-1-nic$/), field: "ipConfigurations[0].subnet", value: "10.10.3.4", severity: "warning" });
  expect(d?.message).toMatch(/10\.10\.3\.4 is not in subnet app's prefixes/);
});

test("the address moved out of its subnet is named the same way", async () => {
  const d = (await diagnostics(threeTier((c) => (c.privateIPAddress = "10.10.9.4")))).find((x) => x.code === "address-outside-subnet");
  expect(d).toMatchObject({ field: "ipConfigurations[0].subnet", value: "10.10.9.4" });
});

test.each(fs.readdirSync(EXAMPLES).filter((n) => fs.existsSync(join(EXAMPLES, n, "stack-export.json"))).flatMap((n) => [[n, "stack-export.json"], [n, "preview.json"]]))(
  "%s/%s: every address lies in its subnet (no address-outside-subnet)",
  async (name, file) => {
    const f = join(EXAMPLES, name, file);
    if (!fs.existsSync(f)) return;
    const r = await cli("check", f, "--format", "json");
    expect(r.code).not.toBe(3);
    expect((JSON.parse(r.out).diagnostics as Array<{ code: string }>).filter((d) => d.code === "address-outside-subnet")).toEqual([]);
  },
);
