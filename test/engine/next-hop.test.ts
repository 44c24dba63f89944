import { refusalText } from "../../src/answers/refusal";
import { nextHop, type NextHopResult } from "../../src/answers/next-hop";
import type { Topology } from "../../src/model/topology";
import { unknown } from "../../src/model/unknown";
import { ModelBuilder } from "../helpers/model-builder";

function hop(topo: Topology, nic: string, source: string, destination: string, gatewayPrefixes?: string[]): NextHopResult {
  const n = topo.nics.get(nic);
  if (!n) throw new Error(`no nic ${nic}`);
  const out = nextHop(topo, { nic: n, sourceIp: source, destinationIp: destination }, gatewayPrefixes ? { gatewayPrefixes } : {});
  if (!out.ok) throw new Error(refusalText(out.refusal));
  return out.result;
}

const RT_ID = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt";

describe("next hop (Network Watcher shape)", () => {
  const topo = new ModelBuilder()
    .vnet("vnet", ["10.0.0.0/16"])
    .vnet("peer", ["10.5.0.0/16"])
    .subnet("s", "vnet", "10.0.0.0/24", { routeTable: "rt" })
    .subnet("GatewaySubnet", "vnet", "10.0.255.0/27")
    .gateway("vpn", "GatewaySubnet")
    .nic("vm", "s", "10.0.0.4")
    .nic("dyn", "s", undefined)
    .peering("to-peer", "vnet", "peer")
    .peering("back", "peer", "vnet")
    .routeTable("rt", [
      { name: "r24", prefix: "10.0.0.0/24", nextHopType: "VnetLocal" },
      { name: "fw", prefix: "10.0.0.0/16", nextHopType: "VirtualAppliance", nextHopIp: "10.0.9.4" },
      { name: "onprem", prefix: "0.0.0.0/0", nextHopType: "VirtualNetworkGateway" },
      { name: "drop", prefix: "203.0.113.0/24", nextHopType: "None" },
    ])
    .build();

  test.each([
    // TC6: 10.0.0.5 uses the /24, 10.0.1.5 the /16; the user 0/0 beats the system 0/0.
    ["TC6 /24", "10.0.0.5", { nextHopType: "VnetLocal", nextHopIpAddress: null, routeTableId: RT_ID, routeName: "r24" }],
    ["TC6 /16", "10.0.1.5", { nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.9.4", routeTableId: RT_ID, routeName: "fw" }],
    ["TC6 user 0/0 to the gateway", "8.8.8.8", { nextHopType: "VirtualNetworkGateway", nextHopIpAddress: null, routeTableId: RT_ID }],
    ["peered VNet: a system route", "10.5.0.9", { nextHopType: "VNetPeering", nextHopIpAddress: null, routeTableId: "System Route" }],
    ["user None route", "203.0.113.9", { nextHopType: "None", routeTableId: RT_ID, routeName: "drop" }],
  ] as const)("%s", (_name, dst, expected) => {
    expect(hop(topo, "vm", "10.0.0.4", dst)).toMatchObject(expected);
  });

  test("without a route table: system routes, 'System Route'", () => {
    const t = new ModelBuilder().vnet("vnet", ["10.0.0.0/16"]).subnet("s", "vnet", "10.0.0.0/24").nic("vm", "s", "10.0.0.4").build();
    expect(hop(t, "vm", "10.0.0.4", "13.107.21.200")).toEqual({ nextHopType: "Internet", nextHopIpAddress: null, routeTableId: "System Route", routeName: null, addressPrefix: "0.0.0.0/0", source: "Default" });
    expect(hop(t, "vm", "10.0.0.4", "10.10.10.10")).toMatchObject({ nextHopType: "None", routeTableId: "System Route", addressPrefix: "10.0.0.0/8" });
  });

  test("a dynamic NIC accepts any address it may get as the source", () => {
    expect(hop(topo, "dyn", "10.0.0.77", "10.0.0.5").nextHopType).toBe("VnetLocal");
  });

  test("the source must belong to the NIC", () => {
    const out = nextHop(topo, { nic: topo.nics.get("vm")!, sourceIp: "10.0.0.9", destinationIp: "8.8.8.8" }, {});
    expect(out).toEqual({ ok: false, refusal: { input: "source", reason: expect.stringContaining("not an address of network interface vm") } });
  });

  test("unknown route table association: Indeterminate, naming it", () => {
    const t = new ModelBuilder().vnet("vnet", ["10.0.0.0/16"]).subnet("s", "vnet", "10.0.0.0/24", { routeTable: unknown(".routeTable.id", "urn:s") }).nic("vm", "s", "10.0.0.4").build();
    const r = hop(t, "vm", "10.0.0.4", "8.8.8.8");
    expect(r.nextHopType).toBe("Indeterminate");
    expect(r.unknowns?.[0]).toContain(".routeTable.id");
  });

  test("a route table with a URN-only id (preview) is named by its URN", () => {
    const t = new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .subnet("s", "vnet", "10.0.0.0/24", { routeTable: "rt" })
      .nic("vm", "s", "10.0.0.4")
      .routeTable("rt", [{ name: "x", prefix: "0.0.0.0/0", nextHopType: "None" }])
      .build();
    const rt = t.routeTables.get("rt")!;
    (t.routeTables as Map<string, typeof rt>).set("rt", { ...rt, id: unknown(".id", rt.urn) });
    expect(hop(t, "vm", "10.0.0.4", "8.8.8.8").routeTableId).toBe(rt.urn);
  });
});
