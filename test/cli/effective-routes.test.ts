import { join } from "path";
import { cli } from "../helpers/cli";

const EXAMPLE = join(__dirname, "../../examples/hub-and-spoke");
const EXPORT = join(EXAMPLE, "stack-export.json");
const PREVIEW = join(EXAMPLE, "preview.json");


type Row = { name: string | null; source: string; state: string; addressPrefix: string[]; nextHopIpAddress: string[]; nextHopType: string };

function rows(json: { value: Row[] }): string[] {
  return json.value.map((v) => `${v.source} ${v.state} ${v.addressPrefix.join(",")} ${v.nextHopType}${v.nextHopIpAddress.length ? ` ${v.nextHopIpAddress.join(",")}` : ""}${v.name ? ` (${v.name})` : ""}`);
}

describe("effective-routes on examples/hub-and-spoke", () => {
  test.each([EXPORT, PREVIEW])("spoke1: the user 0/0 to the NVA overrides the system 0/0 and removes the None routes (%s)", async (input) => {
    const r = await cli("effective-routes", input, "--nic", "spoke1-vm", "--json");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(rows(json)).toEqual([
      "Default Active 10.1.0.0/16 VnetLocal",
      "Default Invalid 0.0.0.0/0 Internet",
      "Default Active 10.0.0.0/16 VNetPeering",
      "User Active 0.0.0.0/0 VirtualAppliance 10.0.1.4 (default-via-nva)",
    ]);
    // The REST shape of each entry, keys as the API spells them.
    expect(Object.keys(json.value[0]).sort()).toEqual(["addressPrefix", "disableBgpRoutePropagation", "name", "nextHopIpAddress", "nextHopType", "source", "state"]);
  });

  test("hub: peering routes to both spokes (not transitive: nothing else), reserved None routes", async () => {
    const r = await cli("effective-routes", EXPORT, "--nic", "hub-vm", "--json");
    expect(rows(JSON.parse(r.out))).toEqual([
      "Default Active 10.0.0.0/16 VnetLocal",
      "Default Active 0.0.0.0/0 Internet",
      "Default Active 10.0.0.0/8 None",
      "Default Active 172.16.0.0/12 None",
      "Default Active 192.168.0.0/16 None",
      "Default Active 100.64.0.0/10 None",
      "Default Active 10.1.0.0/16 VNetPeering",
      "Default Active 10.2.0.0/16 VNetPeering",
    ]);
  });

  test("readable table", async () => {
    const r = await cli("effective-routes", EXPORT, "--nic", "spoke1-vm");
    expect(r.code).toBe(0);
    const lines = r.out.split("\n");
    expect(lines[0]).toMatch(/^Effective routes of spoke1-vm \(subnet spoke1-workload, route table \/subscriptions\/.*\/routeTables\/spoke1-rt\)$/);
    expect(lines[1]).toMatch(/^ {2}source +state +address prefix +next hop type +next hop IP +name$/);
    expect(lines[5]).toMatch(/^ {2}User +Active +0\.0\.0\.0\/0 +VirtualAppliance +10\.0\.1\.4 +default-via-nva$/);
  });

  test("--nic is required", async () => {
    const r = await cli("effective-routes", EXPORT);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--nic is required");
  });
});
