import { refusalText } from "../../src/answers/refusal";
/**
 * Property: the route a packet to a private endpoint takes (symbolic route selection over address sets, with the
 * endpoint's /32 and its invalidation under network policies) agrees with a brute-force oracle that, for the one
 * destination address, lists every route that covers it and picks the longest prefix, user before system on a tie
 * (virtual-networks-udr-overview.md), after dropping the /32 when the endpoint's subnet enables route-table policies
 * and a user route no longer than the VNet's address space, other than 0.0.0.0/0, holds the address
 * (disable-private-endpoint-network-policy.md).
 */
import fc from "fast-check";
import { buildTopology } from "../../src/adapters/azure-native";
import { nextHop } from "../../src/answers/next-hop";
import type { PropertyObject, PropertyValue, ResourceRecord } from "../../src/resources/record";
import { IpSet } from "../../src/sets/ip-set";
import { happyPath, ID, NET, rec, setProp } from "../adapters/azure-native/fixture";

const PE_IP = "10.1.3.5";
const DATA = `${NET}/virtualNetworks/vnet-spoke/subnets/data`;
// Prefixes that hold the endpoint's address, of every length class that matters: wider than, equal to and longer
// than the VNet's /16, and 0.0.0.0/0.
const PREFIXES = ["0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.0.0/17", "10.1.3.0/24", "10.1.3.4/30", "10.1.3.5/32", "10.2.0.0/16"];
const HOPS = ["VirtualAppliance", "None", "Internet"] as const;

function plan(routes: PropertyObject[], policies: string | undefined): ResourceRecord[] {
  const base = setProp(happyPath(), "rt", "routes", routes as PropertyValue);
  return [
    ...base,
    rec("azure-native:network:Subnet", "subnet-data", { name: "data", addressPrefix: "10.1.3.0/24", ...(policies ? { privateEndpointNetworkPolicies: policies } : {}) }, {
      id: DATA,
      inputs: { resourceGroupName: "rg-net", virtualNetworkName: "vnet-spoke", subnetName: "data" },
    }),
    rec("azure-native:network:NetworkInterface", "nic-nva", { name: "nic-nva", enableIPForwarding: true, ipConfigurations: [{ name: "c", subnet: { id: ID.subnetApp }, privateIPAllocationMethod: "Static", privateIPAddress: "10.1.1.10" }] }, { id: `${NET}/networkInterfaces/nic-nva` }),
    rec("azure-native:network:PrivateEndpoint", "pe", { name: "pe", subnet: { id: DATA }, ipConfigurations: [{ name: "c", groupId: "blob", memberName: "blob", privateIPAddress: PE_IP }] }, { id: `${NET}/privateEndpoints/pe` }),
  ];
}

interface Candidate {
  readonly length: number;
  readonly user: boolean;
  readonly hop: string;
}

function oracle(routes: ReadonlyArray<{ prefix: string; hop: string }>, policies: string | undefined): string {
  const holds = (p: string) => IpSet.fromCidr(p).contains(PE_IP);
  const len = (p: string) => Number(p.split("/")[1]);
  const userCands: Candidate[] = routes.filter((r) => holds(r.prefix)).map((r) => ({ length: len(r.prefix), user: true, hop: r.hop }));
  const rtPolicies = policies === "Enabled" || policies === "RouteTableEnabled";
  const invalidated = rtPolicies && routes.some((r) => holds(r.prefix) && len(r.prefix) > 0 && len(r.prefix) <= 16);
  const userDefault = routes.some((r) => r.prefix === "0.0.0.0/0");
  const system: Candidate[] = [
    { length: 16, user: false, hop: "VnetLocal" },
    { length: 0, user: false, hop: "Internet" },
    ...(userDefault ? [] : [{ length: 8, user: false, hop: "None" }]),
    ...(invalidated ? [] : [{ length: 32, user: false, hop: "InterfaceEndpoint" }]),
  ];
  const all = [...userCands, ...system].sort((a, b) => b.length - a.length || Number(b.user) - Number(a.user));
  return all[0].hop;
}

describe("private endpoint route selection = brute force", () => {
  test("next hop to the endpoint's address", () => {
    const routeArb = fc.uniqueArray(fc.record({ prefix: fc.constantFrom(...PREFIXES), hop: fc.constantFrom(...HOPS) }), { maxLength: 4, selector: (r) => r.prefix });
    const policyArb = fc.constantFrom(undefined, "Disabled", "Enabled", "NetworkSecurityGroupEnabled", "RouteTableEnabled");
    fc.assert(
      fc.property(routeArb, policyArb, (routes, policies) => {
        const records = plan(routes.map((r, i) => ({ name: `r${i}`, addressPrefix: r.prefix, nextHopType: r.hop, ...(r.hop === "VirtualAppliance" ? { nextHopIpAddress: "10.1.1.10" } : {}) })), policies);
        const topo = buildTopology(records);
        const nic = [...topo.nics.values()].find((n) => n.logicalName === "nic-web")!;
        const got = nextHop(topo, { nic, sourceIp: "10.1.2.4", destinationIp: PE_IP });
        if (!got.ok) throw new Error(refusalText(got.refusal));
        expect(got.result.nextHopType).toBe(oracle(routes, policies));
      }),
      { numRuns: 200 },
    );
  });
});
