/**
 * Issue 12, point 7 (the StackReference part), from a stack export (test/fixtures/engine/README.md): a spoke whose
 * peering names a hub VNet of another stack. Azure peers only VNets whose address spaces do not overlap
 * (virtual-network-manage-peering.md, "Requirements and constraints"), so next hops and traces inside the spoke are
 * decided; beyond it the unknown hub space and the spoke's 0.0.0.0/0 route disagree, and the note names both.
 * Minimal repro (failed on the old code: Indeterminate): `next-hop test/fixtures/engine/stackref-spoke-export.json
 * --nic spoke2-vm --source 10.2.1.4 --destination 10.2.1.20`, and `trace ... --from spoke2-vm --to 10.2.1.20`.
 */
import { cli } from "../helpers/cli";

const FILE = "test/fixtures/engine/stackref-spoke-export.json";

test("next hop inside the spoke: VnetLocal", async () => {
  const r = await cli("next-hop", FILE, "--nic", "spoke2-vm", "--source", "10.2.1.4", "--destination", "10.2.1.20", "--json");
  expect(r.code).toBe(0);
  expect(JSON.parse(r.out)).toMatchObject({ nextHopType: "VnetLocal", routeTableId: "System Route", addressPrefix: "10.2.0.0/16" });
});

test("next hop beyond the spoke: Indeterminate, naming the cases that disagree", async () => {
  const r = await cli("next-hop", FILE, "--nic", "spoke2-vm", "--source", "10.2.1.4", "--destination", "8.8.8.8", "--json");
  const j = JSON.parse(r.out);
  expect(j.nextHopType).toBe("Indeterminate");
  expect(j.notes.join(" ")).toMatch(/the cases disagree: system route \(remote address space unknown\) -> VNetPeering: VNetPeering .*; otherwise user route default-via-nva 0\.0\.0\.0\/0 -> VirtualAppliance 10\.0\.1\.4/);
});

test("trace inside the spoke: Reachable", async () => {
  const r = await cli("trace", FILE, "--from", "spoke2-vm", "--to", "10.2.1.20", "--protocol", "TCP", "--port", "443", "--json");
  expect(JSON.parse(r.out).connectionStatus).toBe("Reachable");
});
