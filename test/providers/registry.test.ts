/**
 * The provider registry picks the adapter by the type token's package (issue 14 point 7), and resources of a
 * package no adapter reads are reported by the composition root's topology, never silently dropped.
 */
import { composeTopology } from "../../src/providers/compose";
import { adapterFor, PROVIDERS, unreadPackages, type ProviderAdapter } from "../../src/providers/registry";
import type { ResourceRecord } from "../../src/resources/record";

function record(type: string, name: string, inputs: ResourceRecord["props"] = {}): ResourceRecord {
  return { urn: `urn:pulumi:dev::p::${type}::${name}`, type, name, id: undefined, props: inputs, inputs, dependencies: [], propertyDependencies: {}, custom: true } as ResourceRecord;
}

test.each([
  ["azure-native:network:Subnet", "azure-native"],
  ["azure-native:network/v20240501:NetworkSecurityGroup", "azure-native"],
  ["azure-native:compute:VirtualMachine", "azure-native"],
  ["azure:network/networkSecurityGroup:NetworkSecurityGroup", undefined],
  ["random:index/randomString:RandomString", undefined],
  ["not a token", undefined],
])("adapterFor(%s) is the %s adapter", (type, pkg) => {
  expect(adapterFor(type)?.pkg).toBe(pkg);
});

test("a second provider is one row: the registry picks it by package", () => {
  const classic: ProviderAdapter = { pkg: "azure", buildTopology: () => { throw new Error("not called"); } };
  const providers = [...PROVIDERS, classic];
  expect(adapterFor("azure:network/networkSecurityGroup:NetworkSecurityGroup", providers)).toBe(classic);
  expect(adapterFor("azure-native:network:Subnet", providers)).toBe(PROVIDERS[0]);
  expect(unreadPackages([record("azure:network/networkSecurityGroup:NetworkSecurityGroup", "n")], providers)).toEqual([]);
});

test("an unread package's network resources are reported, not silently ignored", () => {
  const records = [
    record("azure:network/networkSecurityGroup:NetworkSecurityGroup", "classic-nsg", { name: "classic-nsg", resourceGroupName: "rg", location: "westeurope" }),
    record("azure-native:network:VirtualNetwork", "vnet", { virtualNetworkName: "vnet", resourceGroupName: "rg", location: "westeurope", addressSpace: { addressPrefixes: ["10.0.0.0/16"] } }),
  ];
  expect(unreadPackages(records)).toEqual(["azure"]);
  const topology = composeTopology(records);
  expect(topology.vnets.size).toBe(1);
  expect(topology.unmodelled?.map((u) => [u.provider, u.type])).toEqual([["azure-classic", "azure:network/networkSecurityGroup:NetworkSecurityGroup"]]);
  expect(topology.diagnostics.some((d) => d.resource === records[0].urn || d.message.includes("classic-nsg"))).toBe(true);
});
