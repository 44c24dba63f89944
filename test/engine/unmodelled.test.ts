/**
 * Issue 12, point 8: resources of types the model does not represent but that carry or filter traffic are listed
 * in every report ("not modelled: N resources of types ..."), and a path that meets one (an address of a subnet it
 * sits in, a route to its address) is undecided with that reason, never delivered or dropped. A plan written with the
 * classic provider (@pulumi/azure) says so instead of only "the plan has no network interface".
 * Record shapes follow pulumi-azure-native's schema outputs: PrivateEndpoint `subnet: {id}`, AzureFirewall
 * `ipConfigurations[{name, subnet: {id}, privateIPAddress}]` (sdk/nodejs/network/privateEndpoint.ts, azureFirewall.ts);
 * the classic provider's type tokens are `azure:network/virtualNetwork:VirtualNetwork` (pulumi/pulumi-azure).
 * Minimal repro: a private endpoint in subnet `data`; `trace <plan> --from nic-web --to 10.1.3.5` answered Reachable
 * ("a host in subnet data"), and nothing in any report mentioned the endpoint.
 */
import { buildTopology } from "../../src/adapters/azure-native";
import { findNic } from "../../src/engine/find";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import { trace } from "../../src/answers/trace";
import { parseIntent } from "../../src/intents/parse";
import { verifyReach } from "../../src/intents/reach";
import type { ReachIntent } from "../../src/intents/types";
import type { ResourceRecord } from "../../src/resources/record";
import { happyPath, NET, rec, setProp } from "../adapters/azure-native/fixture";

const DATA = `${NET}/virtualNetworks/vnet-spoke/subnets/data`;
const FW = `${NET}/virtualNetworks/vnet-spoke/subnets/AzureFirewallSubnet`;

function plan(): ResourceRecord[] {
  const base = setProp(happyPath(), "rt", "routes", [{ name: "default", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.1.4.4" }]);
  return [
    ...base,
    rec("azure-native:network:Subnet", "subnet-data", { name: "data", addressPrefix: "10.1.3.0/24" }, { id: DATA, inputs: { resourceGroupName: "rg-net", virtualNetworkName: "vnet-spoke", subnetName: "data" } }),
    rec("azure-native:network:Subnet", "subnet-fw", { name: "AzureFirewallSubnet", addressPrefix: "10.1.4.0/26" }, { id: FW, inputs: { resourceGroupName: "rg-net", virtualNetworkName: "vnet-spoke", subnetName: "AzureFirewallSubnet" } }),
    // An application gateway (gatewayIPConfigurations[{name, subnet: {id}}], sdk/nodejs/network/applicationGateway.ts).
    rec("azure-native:network:ApplicationGateway", "agw", { name: "agw", gatewayIPConfigurations: [{ name: "gw", subnet: { id: DATA } }] }, { id: `${NET}/applicationGateways/agw` }),
    rec("azure-native:network/v20240501:AzureFirewall", "fw", { name: "fw", ipConfigurations: [{ name: "cfg", subnet: { id: FW }, privateIPAddress: "10.1.4.4" }] }, { id: `${NET}/azureFirewalls/fw` }),
  ];
}

function run(records: ResourceRecord[], to: string) {
  const out = trace(engineEnv(buildTopology(records), EMPTY_CATALOG), { from: "nic-web", to, protocol: "TCP", port: 443 });
  if (!out.ok) throw new Error(out.error);
  return out.result.json;
}

describe("unmodelled resources are never silent", () => {
  test("the model lists them, and a warning says 'not modelled: N resources of types ...'", () => {
    const topo = buildTopology(plan());
    // Azure Firewall (issue 15) and private endpoints (issue 16) are modelled: only the application gateway is left.
    expect(topo.unmodelled?.map((u) => [u.name, u.label, u.subnetKeys.length])).toEqual([["agw", "application gateway", 1]]);
    expect(topo.firewall?.firewalls.size).toBe(1);
    const d = topo.diagnostics.find((x) => x.code === "unmodelled-resources");
    expect(d?.message).toMatch(/^not modelled: 1 resource of types application gateway \(1\)/);
  });

  test("an address of the subnet an application gateway sits in is undecided, naming it (it was 'a host in subnet data')", () => {
    const j = run(plan(), "10.1.3.5");
    expect(j.connectionStatus).toBe("Indeterminate");
    expect(JSON.stringify(j.paths)).toMatch(/application gateway agw/);
  });

  test("a route to the firewall's address reaches the firewall, which (no policy, no rules) denies by default (issue 15; was undecided)", () => {
    const j = run(plan(), "203.0.113.9");
    expect(j.connectionStatus).toBe("Unreachable");
    expect(JSON.stringify(j.paths)).toMatch(/denied by Azure Firewall fw: default deny/);
  });

  test("an intent into the endpoint's subnet is indeterminate, not a pass", () => {
    const env = engineEnv(buildTopology(plan()), EMPTY_CATALOG);
    const parsed = parseIntent({ name: "i", from: { nic: "nic-web" }, to: { subnet: "data" }, protocol: "Tcp", ports: "1433", expect: "unreachable" }, 0, { source: "test" });
    const r = verifyReach(env, parsed.intent as ReachIntent);
    expect(r.verdict).toBe("indeterminate");
    expect(r.message).toMatch(/application gateway agw/);
  });

  test("a classic-provider plan says so instead of only 'the plan has no network interface'", () => {
    const classic = [
      rec("azure:network/virtualNetwork:VirtualNetwork", "vnet", { name: "vnet", addressSpaces: ["10.0.0.0/16"] }),
      rec("azure:network/networkInterface:NetworkInterface", "nic", { name: "nic", ipConfigurations: [{ name: "c", privateIpAddress: "10.0.1.4" }] }),
    ];
    const topo = buildTopology(classic);
    expect(topo.diagnostics.find((x) => x.code === "unmodelled-resources")?.message).toMatch(/not modelled: 2 resources .*classic provider \(@pulumi\/azure\)/);
    const found = findNic(topo, "nic");
    expect(found.ok).toBe(false);
    expect(found.ok ? "" : found.error).toMatch(/the plan has 2 network resources of the classic provider @pulumi\/azure \(azure:network\/virtualNetwork:VirtualNetwork \(1\), azure:network\/networkInterface:NetworkInterface \(1\)\)/);
  });
});
