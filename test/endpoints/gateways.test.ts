import { refusalText } from "../../src/answers/refusal";
/**
 * Issue 16, point 7: on-premises prefixes from the plan. Shapes: pulumi/pulumi-azure-native
 * sdk/nodejs/network/localNetworkGateway.ts (localNetworkAddressSpace: {addressPrefixes}, gatewayIpAddress) and
 * virtualNetworkGatewayConnection.ts (connectionType IPsec | Vnet2Vnet | ExpressRoute, virtualNetworkGateway1,
 * virtualNetworkGateway2, localNetworkGateway2, enableBgp). A site-to-site connection's local network gateway
 * address space becomes gateway routes (source VirtualNetworkGateway) of the VNet's subnets
 * (virtual-networks-udr-overview.md, "Virtual network gateway" and "Border gateway protocol"), so
 * `--gateway-prefixes` is needed only for BGP-learned prefixes.
 * On the old code the plan's prefixes were ignored: 192.168.1.5 went to the 0.0.0.0/0 appliance route, not the gateway.
 */
import { buildTopology } from "../../src/adapters/azure-native";
import { effectiveRoutesForNic } from "../../src/engine/effective-routes";
import { nextHop } from "../../src/answers/next-hop";
import type { Nic, Topology } from "../../src/model/topology";
import type { PropertyObject, ResourceRecord } from "../../src/resources/record";
import { happyPath, ID, NET, rec, setProp } from "../adapters/azure-native/fixture";

const GW_SUBNET = `${ID.vnet}/subnets/GatewaySubnet`;
const VPN = `${NET}/virtualNetworkGateways/vpn`;
const LNG = `${NET}/localNetworkGateways/onprem`;

function plan(connection: PropertyObject = {}, lngSpace: string[] = ["192.168.0.0/16", "172.20.0.0/16"]): ResourceRecord[] {
  return [
    ...happyPath(),
    rec("azure-native:network:Subnet", "subnet-gw", { name: "GatewaySubnet", addressPrefix: "10.1.255.0/27" }, { id: GW_SUBNET, inputs: { resourceGroupName: "rg-net", virtualNetworkName: "vnet-spoke", subnetName: "GatewaySubnet" } }),
    rec("azure-native:network:VirtualNetworkGateway", "vpn", { name: "vpn", gatewayType: "Vpn", vpnType: "RouteBased", ipConfigurations: [{ name: "gw", subnet: { id: GW_SUBNET } }] }, { id: VPN }),
    rec("azure-native:network:LocalNetworkGateway", "onprem", { name: "onprem", gatewayIpAddress: "203.0.113.10", localNetworkAddressSpace: { addressPrefixes: lngSpace } }, { id: LNG }),
    rec("azure-native:network:VirtualNetworkGatewayConnection", "s2s", { name: "s2s", connectionType: "IPsec", virtualNetworkGateway1: { id: VPN }, localNetworkGateway2: { id: LNG }, ...connection }, { id: `${NET}/connections/s2s` }),
  ];
}

function nicNamed(topo: Topology, name: string): Nic {
  return [...topo.nics.values()].find((n) => n.logicalName === name)!;
}

function hop(records: ResourceRecord[], dst: string, gatewayPrefixes?: string[]): [string, string | undefined] {
  const topo = buildTopology(records);
  const r = nextHop(topo, { nic: nicNamed(topo, "nic-web"), sourceIp: "10.1.2.4", destinationIp: dst }, gatewayPrefixes ? { gatewayPrefixes } : {});
  if (!r.ok) throw new Error(refusalText(r.refusal));
  return [r.result.nextHopType, r.result.source];
}

// The web subnet's table sends 0.0.0.0/0 to an appliance: the gateway routes must be more specific to win.
describe("gateway routes from local network gateways and connections", () => {
  test.each([
    ["an on-premises address of the local network gateway: the gateway", plan(), "192.168.1.5", ["VirtualNetworkGateway", "VirtualNetworkGateway"]],
    ["the second prefix too", plan(), "172.20.9.9", ["VirtualNetworkGateway", "VirtualNetworkGateway"]],
    ["an address outside it: the 0.0.0.0/0 user route", plan(), "172.21.0.1", ["VirtualAppliance", "User"]],
    ["without the connection: no gateway route, the 0.0.0.0/0 user route", plan().filter((r) => r.name !== "s2s"), "192.168.1.5", ["VirtualAppliance", "User"]],
    ["BGP propagation disabled on the route table: no gateway route", setProp(plan(), "rt", "disableBgpRoutePropagation", true), "192.168.1.5", ["VirtualAppliance", "User"]],
  ])("%s", (_n, records, dst, expected) => {
    expect(hop(records, dst)).toEqual(expected);
  });

  test("effective routes list the plan's prefixes as VirtualNetworkGateway routes; no 'pass the prefixes' note", () => {
    const topo = buildTopology(plan());
    const r = effectiveRoutesForNic(topo, nicNamed(topo, "nic-web"));
    if (!r.ok) throw new Error(r.error);
    expect(r.routes.routes.filter((x) => x.source === "VirtualNetworkGateway").map((x) => x.addressPrefixText)).toEqual(["192.168.0.0/16", "172.20.0.0/16"]);
    expect(r.routes.notes.join(" ")).not.toMatch(/pass the prefixes/);
  });

  test("a BGP-enabled connection says BGP-learned prefixes are not in the plan; --gateway-prefixes adds them", () => {
    const records = plan({ enableBgp: true });
    const topo = buildTopology(records);
    const r = effectiveRoutesForNic(topo, nicNamed(topo, "nic-web"));
    if (!r.ok) throw new Error(r.error);
    expect(r.routes.notes.join(" ")).toMatch(/learns routes over BGP/);
    expect(hop(records, "10.50.0.1", ["10.50.0.0/16"])).toEqual(["VirtualNetworkGateway", "VirtualNetworkGateway"]);
  });

  test("VNet-to-VNet: each side routes the other VNet's address space to its gateway", () => {
    const VNET2 = `${NET}/virtualNetworks/vnet-remote`;
    const GW2_SUBNET = `${VNET2}/subnets/GatewaySubnet`;
    const VPN2 = `${NET}/virtualNetworkGateways/vpn2`;
    const records = [
      ...plan().filter((r) => r.name !== "s2s" && r.name !== "onprem"),
      rec("azure-native:network:VirtualNetwork", "vnet-remote", { name: "vnet-remote", addressSpace: { addressPrefixes: ["10.9.0.0/16"] }, subnets: [{ name: "GatewaySubnet", addressPrefix: "10.9.255.0/27" }] }, { id: VNET2, inputs: { resourceGroupName: "rg-net", virtualNetworkName: "vnet-remote" } }),
      rec("azure-native:network:VirtualNetworkGateway", "vpn2", { name: "vpn2", gatewayType: "Vpn", ipConfigurations: [{ name: "gw", subnet: { id: GW2_SUBNET } }] }, { id: VPN2 }),
      rec("azure-native:network:VirtualNetworkGatewayConnection", "v2v", { name: "v2v", connectionType: "Vnet2Vnet", virtualNetworkGateway1: { id: VPN }, virtualNetworkGateway2: { id: VPN2 } }, { id: `${NET}/connections/v2v` }),
    ];
    expect(hop(records, "10.9.1.1")).toEqual(["VirtualNetworkGateway", "VirtualNetworkGateway"]);
  });

  test("an address space unknown at preview is an unknown gateway route: next hop undecided, never silently None", () => {
    const { unknown } = jest.requireActual("../../src/model/unknown") as typeof import("../../src/model/unknown");
    const records = plan().map((r) => (r.name === "onprem" ? { ...r, props: { ...r.props, localNetworkAddressSpace: { addressPrefixes: unknown(".localNetworkAddressSpace.addressPrefixes", r.urn) } } } : r));
    expect(hop(records, "192.168.1.5")[0]).toBe("Indeterminate");
  });

  test("local network gateways and connections are no longer listed as unmodelled", () => {
    expect(buildTopology(plan()).unmodelled ?? []).toEqual([]);
  });
});
