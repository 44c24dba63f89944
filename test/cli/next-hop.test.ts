import { join } from "path";
import { cli } from "../helpers/cli";

const EXAMPLE = join(__dirname, "../../examples/hub-and-spoke");
const EXPORT = join(EXAMPLE, "stack-export.json");
const PREVIEW = join(EXAMPLE, "preview.json");
const RT = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/hub-and-spoke-rg/providers/Microsoft.Network/routeTables";


describe("next-hop on examples/hub-and-spoke", () => {
  test.each([
    ["spoke1 to spoke2: the UDR to the NVA (stack export)", EXPORT, "spoke1-vm", "10.1.1.4", "10.2.1.4", { nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.1.4", routeTableId: `${RT}/spoke1-rt`, routeName: "default-via-nva" }],
    ["spoke2's route is a standalone Route resource", EXPORT, "spoke2-vm", "10.2.1.9", "8.8.8.8", { nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.1.4", routeTableId: `${RT}/spoke2-rt` }],
    ["hub to spoke1: the peering route", EXPORT, "hub-vm", "10.0.2.4", "10.1.1.4", { nextHopType: "VNetPeering", nextHopIpAddress: null, routeTableId: "System Route" }],
    ["hub to an unpeered private address: the reserved None route", EXPORT, "hub-vm", "10.0.2.4", "10.9.0.1", { nextHopType: "None", routeTableId: "System Route", addressPrefix: "10.0.0.0/8" }],
    ["hub to the Internet", EXPORT, "hub-vm", "10.0.2.4", "13.107.21.200", { nextHopType: "Internet", routeTableId: "System Route" }],
    ["at preview the route table id is unknown: named by its URN", PREVIEW, "spoke1-vm", "10.1.1.4", "10.2.1.4", { nextHopType: "VirtualAppliance", routeTableId: "urn:pulumi:dev::hub-and-spoke::azure-native:network:RouteTable::spoke1-rt" }],
  ] as const)("%s", async (_name, input, nic, source, destination, expected) => {
    const r = await cli("next-hop", input, "--nic", nic, "--source", source, "--destination", destination, "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject(expected);
  });

  test("readable output: the next hop first", async () => {
    const r = await cli("next-hop", EXPORT, "--nic", "spoke1-vm", "--source", "10.1.1.4", "--destination", "10.2.1.4");
    expect(r.code).toBe(0);
    expect(r.out.split("\n").slice(0, 3)).toEqual(["Next hop  10.1.1.4 -> 10.2.1.4  from spoke1-vm", "  next hop type:    VirtualAppliance", "  next hop address: 10.0.1.4"]);
  });

  test.each([
    ["a source that is not the NIC's", ["--nic", "hub-vm", "--source", "10.0.2.5", "--destination", "8.8.8.8"], "--source: 10.0.2.5 is not an address of network interface hub-vm-nic"],
    ["a bad address", ["--nic", "hub-vm", "--source", "10.0.2.4", "--destination", "10.0.2"], "--destination"],
    ["a missing option", ["--nic", "hub-vm", "--source", "10.0.2.4"], "--destination is required"],
    ["an unknown NIC", ["--nic", "nope", "--source", "10.0.2.4", "--destination", "8.8.8.8"], '--nic: no network interface or VM "nope"'],
  ])("usage error, exit 2, one line: %s", async (_name, args, message) => {
    const r = await cli("next-hop", EXPORT, ...args);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err.trim().split("\n").filter((l) => !l.startsWith("warning:"))).toHaveLength(1);
    expect(r.err).toContain(message);
  });
});
