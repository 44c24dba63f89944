/**
 * A second provider is one row (issue 14 point 7): the composition root gives every row the whole plan, tells each
 * which packages the others read, and merges their topologies structurally (src/providers/merge.ts).
 */
import { buildTopology } from "../../src/adapters/azure-native";
import type { Nsg, Topology } from "../../src/model/topology";
import { composeTopology } from "../../src/providers/compose";
import { mergeTopologies } from "../../src/providers/merge";
import { PROVIDERS, type ProviderAdapter } from "../../src/providers/registry";
import type { ResourceRecord } from "../../src/resources/record";

function record(type: string, name: string, inputs: ResourceRecord["props"] = {}): ResourceRecord {
  return { urn: `urn:pulumi:dev::p::${type}::${name}`, type, name, id: undefined, props: inputs, inputs, dependencies: [], propertyDependencies: {}, custom: true } as ResourceRecord;
}

const CLASSIC_NSG = record("azure:network/networkSecurityGroup:NetworkSecurityGroup", "classic-nsg", { name: "classic-nsg", resourceGroupName: "rg", location: "westeurope" });
const VNET = record("azure-native:network:VirtualNetwork", "vnet", { virtualNetworkName: "vnet", resourceGroupName: "rg", location: "westeurope", addressSpace: { addressPrefixes: ["10.0.0.0/16"] } });
const BAD_TOKEN = record("azure-native:network:Virtual Network", "bad", {});

/** A stand-in classic adapter: one NSG per classic NSG record, and a diagnostic the azure-native adapter raises too. */
function classicTopology(records: readonly ResourceRecord[]): Topology {
  const empty = buildTopology([]);
  const nsgs = new Map(records.filter((r) => r.type.startsWith("azure:network/networkSecurityGroup")).map((r) => [r.urn, { key: r.urn, urn: r.urn, logicalName: r.name } as unknown as Nsg]));
  const shared = buildTopology(records.filter((r) => r === BAD_TOKEN)).diagnostics;
  return { ...empty, nsgs, diagnostics: shared };
}
const CLASSIC: ProviderAdapter = { pkg: "azure", buildTopology: (records) => classicTopology(records) };

test("with one row the adapter's topology is returned as it is (the examples' reports do not change)", () => {
  const records = [VNET, CLASSIC_NSG];
  expect(composeTopology(records)).toEqual(buildTopology(records));
});

test("a second row: both topologies, merged in key order; its package is no longer listed as unmodelled", () => {
  const records = [CLASSIC_NSG, VNET, BAD_TOKEN];
  const alone = composeTopology(records);
  expect(alone.unmodelled?.map((u) => u.urn)).toEqual([CLASSIC_NSG.urn]);
  const both = composeTopology(records, [...PROVIDERS, CLASSIC]);
  expect([...both.vnets.keys()]).toEqual([VNET.urn]);
  expect([...both.nsgs.keys()]).toEqual([CLASSIC_NSG.urn]);
  expect(both.unmodelled).toBeUndefined();
  // The malformed token is said by both adapters, and once in the merged topology.
  const bad = both.diagnostics.filter((d) => d.resource === BAD_TOKEN.urn);
  expect(bad).toHaveLength(1);
  expect(bad[0].code).toBe("unmodelled-resource");
});

test("an entity two providers both build is kept from the first and said", () => {
  const a = buildTopology([VNET]);
  const b = { ...buildTopology([]), vnets: new Map([[VNET.urn, { ...a.vnets.get(VNET.urn)!, logicalName: "other" }]]) };
  const merged = mergeTopologies([a, b]);
  expect(merged.vnets.get(VNET.urn)).toBe(a.vnets.get(VNET.urn));
  expect(merged.diagnostics.map((d) => [d.code, d.resource, d.field])).toEqual([["conflicting-providers", VNET.urn, "vnets"]]);
});

test("sub-models merge field by field, lists concatenate in provider order", () => {
  const fw = (key: string) => ({ firewalls: new Map([[key, { key }]]), policies: new Map(), ruleCollectionGroups: new Map(), ipGroups: new Map() });
  const a = { ...buildTopology([]), firewall: fw("b-fw"), applicationGateways: [{ urn: "u1", name: "g1", tier: "WAF_v2", subnetKeys: [] }] } as unknown as Topology;
  const b = { ...buildTopology([]), firewall: fw("a-fw"), applicationGateways: [{ urn: "u2", name: "g2", tier: "WAF_v2", subnetKeys: [] }] } as unknown as Topology;
  const merged = mergeTopologies([a, b]);
  expect([...merged.firewall!.firewalls.keys()]).toEqual(["a-fw", "b-fw"]);
  expect(merged.applicationGateways?.map((g) => g.urn)).toEqual(["u1", "u2"]);
  expect(merged.avnm).toBeUndefined();
});
