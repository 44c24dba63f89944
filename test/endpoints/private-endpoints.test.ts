/**
 * Issue 16, point 4: private endpoints. Record shapes follow pulumi/pulumi-azure-native
 * sdk/nodejs/network/privateEndpoint.ts (subnet: {id}; ipConfigurations[{name, groupId, memberName,
 * privateIPAddress}]; privateLinkServiceConnections[{name, privateLinkServiceId, groupIds}]; networkInterfaces is an
 * output) and the subnet's `privateEndpointNetworkPolicies` (Disabled | Enabled | NetworkSecurityGroupEnabled |
 * RouteTableEnabled; sdk/nodejs/types/enums VirtualNetworkPrivateEndpointNetworkPolicies).
 * Golden cases from learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy: network policies
 * are disabled by default and then the subnet's NSG does not apply to the endpoint; the /32 route wins by longest
 * prefix; with route-table policies enabled, a user route of a prefix no longer than the VNet's address space
 * invalidates the /32, and 0.0.0.0/0 does not.
 * On the old code every case here was "Indeterminate" (the endpoint was an unmodelled resource of subnet data).
 */
import { buildTopology } from "../../src/adapters/azure-native";
import { effectiveRoutesJson } from "../../src/answers/effective-routes";
import { effectiveRoutesForNic } from "../../src/engine/effective-routes";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import { trace } from "../../src/answers/trace";
import { parseIntent } from "../../src/intents/parse";
import { verifyReach } from "../../src/intents/reach";
import { unknown } from "../../src/model/unknown";
import type { ReachIntent } from "../../src/intents/types";
import type { PropertyObject, PropertyValue, ResourceRecord } from "../../src/resources/record";
import { happyPath, ID, NET, RG, rec, rule, setProp } from "../adapters/azure-native/fixture";

const DATA = `${NET}/virtualNetworks/vnet-spoke/subnets/data`;
const NSG_DATA = `${NET}/networkSecurityGroups/nsg-data`;
const SQL = `${RG}/providers/Microsoft.Sql/servers/sql-main`;

interface Options {
  readonly policies?: string;
  /** User routes of the web subnet's route table (default: 0.0.0.0/0 -> the appliance). */
  readonly routes?: PropertyObject[];
  /** Static address of the endpoint; undefined: dynamic. */
  readonly address?: string;
}

function plan(o: Options = {}): ResourceRecord[] {
  const routes = o.routes ?? [{ name: "default", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.1.1.10" }];
  const base = setProp(happyPath(), "rt", "routes", routes as PropertyValue);
  const data: PropertyObject = { name: "data", addressPrefix: "10.1.3.0/24", networkSecurityGroup: { id: NSG_DATA } };
  const pe: PropertyObject = {
    name: "pe-sql",
    subnet: { id: DATA },
    privateLinkServiceConnections: [{ name: "sql", privateLinkServiceId: SQL, groupIds: ["sqlServer"] }],
  };
  return [
    ...base,
    rec("azure-native:network:Subnet", "subnet-data", o.policies ? { ...data, privateEndpointNetworkPolicies: o.policies } : data, {
      id: DATA,
      inputs: { resourceGroupName: "rg-net", virtualNetworkName: "vnet-spoke", subnetName: "data" },
    }),
    // The data subnet's NSG denies SQL from everywhere: it decides only when network policies enable NSGs.
    rec("azure-native:network:NetworkSecurityGroup", "nsg-data", { name: "nsg-data", securityRules: [rule("deny-sql", 100, { access: "Deny", destinationPortRange: "1433" })] }, { id: NSG_DATA }),
    // The appliance the user routes name, in subnet app.
    rec("azure-native:network:NetworkInterface", "nic-nva", {
      name: "nic-nva",
      enableIPForwarding: true,
      ipConfigurations: [{ name: "c", subnet: { id: ID.subnetApp }, privateIPAllocationMethod: "Static", privateIPAddress: "10.1.1.10" }],
    }, { id: `${NET}/networkInterfaces/nic-nva` }),
    rec("azure-native:network:PrivateEndpoint", "pe-sql", o.address ? { ...pe, ipConfigurations: [{ name: "sql", groupId: "sqlServer", memberName: "sqlServer", privateIPAddress: o.address }] } : pe, {
      id: `${NET}/privateEndpoints/pe-sql`,
    }),
  ];
}

function traceTo(records: ResourceRecord[], to: string) {
  const out = trace(engineEnv(buildTopology(records), EMPTY_CATALOG), { from: "nic-web", to, protocol: "TCP", port: 1433 });
  if (!out.ok) throw new Error(out.error);
  return out.result.json;
}

function hopTypes(j: { hops: ReadonlyArray<{ type: string }> }): string[] {
  return j.hops.map((h) => h.type);
}

const toVnet = [{ name: "vnet", addressPrefix: "10.1.0.0/16", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.1.1.10" }];
const toData = [{ name: "data", addressPrefix: "10.1.3.0/24", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.1.1.10" }];
const toAll = [{ name: "default", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.1.1.10" }];

describe("private endpoints: NSG and routes by the subnet's network policies (Microsoft's documented cases)", () => {
  test.each([
    // policies, user routes, connection status, through the appliance?
    ["absent (Disabled by default): the subnet NSG's deny does not apply", undefined, toAll, "Reachable", false],
    ["Disabled", "Disabled", toAll, "Reachable", false],
    ["NetworkSecurityGroupEnabled: the subnet NSG's deny applies", "NetworkSecurityGroupEnabled", toAll, "Unreachable", false],
    ["Enabled: the subnet NSG's deny applies", "Enabled", toAll, "Unreachable", false],
    ["RouteTableEnabled: NSG still not applied; 0.0.0.0/0 does not invalidate the /32", "RouteTableEnabled", toAll, "Reachable", false],
    ["Disabled: a UDR for the VNet's whole space does not override the /32", undefined, toVnet, "Reachable", false],
    ["RouteTableEnabled: a UDR as wide as the VNet space invalidates the /32: through the appliance", "RouteTableEnabled", toVnet, "Reachable", true],
    ["RouteTableEnabled: a UDR longer than the VNet space (/24) does not: the /32 wins", "RouteTableEnabled", toData, "Reachable", false],
    ["Disabled: the /32 beats a /24 UDR to the appliance", undefined, toData, "Reachable", false],
  ])("%s", (_name, policies, routes, status, viaAppliance) => {
    const j = traceTo(plan({ policies, routes, address: "10.1.3.5" }), "10.1.3.5");
    expect(j.connectionStatus).toBe(status);
    expect(hopTypes(j).includes("VirtualAppliance")).toBe(viaAppliance);
  });

  test("effective routes show the endpoint's /32 with next hop InterfaceEndpoint, Active beside the UDR", () => {
    const topo = buildTopology(plan({ address: "10.1.3.5", routes: toVnet }));
    const nic = topo.nics.get([...topo.nics.keys()].find((k) => k.endsWith("::nic-web")) as string);
    const r = effectiveRoutesForNic(topo, nic!);
    if (!r.ok) throw new Error(r.error);
    const json = effectiveRoutesJson(nic!, r.routes);
    expect(json.value.filter((v) => v.nextHopType === "InterfaceEndpoint")).toEqual([
      expect.objectContaining({ source: "Default", state: "Active", addressPrefix: ["10.1.3.5/32"] }),
    ]);
  });

  test("under RouteTableEnabled the effective /32 is Invalid, naming the user route", () => {
    const topo = buildTopology(plan({ address: "10.1.3.5", routes: toVnet, policies: "RouteTableEnabled" }));
    const nic = topo.nics.get([...topo.nics.keys()].find((k) => k.endsWith("::nic-web")) as string);
    const r = effectiveRoutesForNic(topo, nic!);
    if (!r.ok) throw new Error(r.error);
    const pe = effectiveRoutesJson(nic!, r.routes).value.find((v) => v.nextHopType === "InterfaceEndpoint");
    expect(pe?.state).toBe("Invalid");
    expect(pe?.note).toMatch(/user route vnet 10\.1\.0\.0\/16/);
  });

  test("an unknown network policy leaves the NSG's say undecided, never a silent allow", () => {
    const fixed = plan({ address: "10.1.3.5" }).map((r) =>
      r.name === "subnet-data" ? { ...r, props: { ...r.props, privateEndpointNetworkPolicies: unknown(".privateEndpointNetworkPolicies", r.urn) } } : r,
    );
    expect(traceTo(fixed, "10.1.3.5").connectionStatus).toBe("Indeterminate");
  });
});

describe("private endpoints as intent endpoints", () => {
  function verify(records: ResourceRecord[], to: unknown, expectWord = "reachable") {
    const env = engineEnv(buildTopology(records), EMPTY_CATALOG);
    const parsed = parseIntent({ name: "i", from: { nic: "nic-web" }, to, protocol: "Tcp", ports: "1433", expect: expectWord }, 0, { source: "test" });
    if (!parsed.intent) throw new Error(parsed.errors.join("; "));
    return verifyReach(env, parsed.intent as ReachIntent);
  }

  test.each([
    ["by logical name", { privateEndpoint: "pe-sql" }],
    ["by the resource it connects to (ARM id)", { privateEndpoint: SQL }],
    ["by the resource's name", { privateEndpoint: "sql-main" }],
    ["as a nic", { nic: "pe-sql" }],
  ])("selects the endpoint %s; a dynamic address stands for some address of its subnet", (_n, to) => {
    const r = verify(plan(), to);
    expect(r.verdict).toBe("pass");
  });

  test("the subnet NSG decides when network policies enable it: the intent fails, naming the rule", () => {
    const r = verify(plan({ policies: "NetworkSecurityGroupEnabled" }), { privateEndpoint: "pe-sql" });
    expect(r.verdict).toBe("fail");
    expect(r.message).toMatch(/deny-sql/);
  });

  test("a resource no endpoint connects to selects nothing: the intent fails with the reason", () => {
    const r = verify(plan(), { privateEndpoint: "kv-other" });
    expect(r.verdict).toBe("fail");
    expect(r.message).toMatch(/neither a private endpoint of the plan nor a resource one connects to/);
  });

  test("the endpoint is no longer listed as unmodelled", () => {
    const topo = buildTopology(plan());
    expect(topo.unmodelled ?? []).toEqual([]);
    expect([...topo.nics.values()].filter((n) => n.privateEndpoint).map((n) => [n.logicalName, n.nsgKey, n.ipConfigurations[0].allocation])).toEqual([["pe-sql", null, "Dynamic"]]);
  });
});
