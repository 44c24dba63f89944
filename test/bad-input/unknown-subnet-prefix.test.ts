/**
 * Fuzz seeds 1, 2 and 3 (mutants 7, 6 and 5; issue 13): in locked-down's preview, the inline subnet "restricted"
 * given unknown addressPrefixes (a list of Pulumi's unknown sentinel) made every NIC whose static address lies in
 * it ambiguous between the VNet's three subnets, and two passing intents undecided, with no diagnostic naming the
 * VNet's field: a subnet whose prefixes are unknown was dropped from the candidates instead of kept.
 * Now a NIC whose address no known subnet holds is in the unknown one by elimination (its dependency says its
 * subnet is one of the VNet's); a NIC whose address a known subnet holds stays ambiguous between that one and the
 * unknown one, and the unknown prefix is named on the VNet with its field.
 * The plan is examples/locked-down/preview.json (a `pulumi preview --json`; shapes cited in its README).
 */
import * as fs from "fs";
import { join } from "path";
import { buildTopology } from "../../src/adapters/azure-native";
import { isUnknown } from "../../src/model/unknown";
import { readPreview } from "../../src/resources/preview";
import { UNKNOWN_STRING } from "../../src/resources/unknowns";

const PREVIEW = join(__dirname, "../../examples/locked-down/preview.json");

function topology(prefixes: unknown) {
  const doc = JSON.parse(fs.readFileSync(PREVIEW, "utf8"));
  const vnet = doc.steps.find((s: { newState?: { type: string } }) => s.newState?.type === "azure-native:network:VirtualNetwork").newState;
  const restricted = vnet.outputs.subnets.find((s: { name: string }) => s.name === "restricted");
  restricted.addressPrefixes = prefixes;
  const r = readPreview(doc, "plan.json");
  if (!r.ok) throw new Error(r.error);
  return buildTopology(r.records);
}

const subnetOf = (topo: ReturnType<typeof topology>, nic: string) => {
  const n = [...topo.nics.values()].find((x) => x.urn.endsWith(`::${nic}`))!;
  const key = n.ipConfigurations[0].subnetKey;
  const label = (k: string) => topo.subnets.get(k)!.azureName;
  return isUnknown(key) ? { ambiguous: (key.candidates ?? []).map(label).sort() } : label(key);
};

test("restricted's prefixes unknown: locked-vm (10.20.1.4) is in it by elimination; other-vm (10.20.2.4) may be in it or in workload, and the cause is named", () => {
  const topo = topology([UNKNOWN_STRING, UNKNOWN_STRING]);
  expect(subnetOf(topo, "locked-vm-nic")).toBe("restricted");
  expect(subnetOf(topo, "other-vm-nic")).toEqual({ ambiguous: ["restricted", "workload"] });
  expect(topo.diagnostics.filter((d) => d.code === "unresolved-reference" && /VirtualNetwork::secure-vnet$/.test(d.resource))).toEqual([
    expect.objectContaining({ field: "subnets[1].addressPrefixes[0]", message: "subnet secure-vnet/restricted: subnets[1].addressPrefixes[0] is unknown at preview, so other-vm-nic's address 10.20.2.4 may lie in it" }),
  ]);
});

test("the plan as it is: each NIC in its own subnet, nothing said", () => {
  const doc = JSON.parse(fs.readFileSync(PREVIEW, "utf8"));
  const r = readPreview(doc, "plan.json");
  if (!r.ok) throw new Error(r.error);
  const topo = buildTopology(r.records);
  expect([subnetOf(topo, "locked-vm-nic"), subnetOf(topo, "other-vm-nic")]).toEqual(["restricted", "workload"]);
  expect(topo.diagnostics.filter((d) => d.code === "unresolved-reference")).toEqual([]);
});
