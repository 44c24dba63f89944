import { applianceIpForwardingDisabled } from "../../src/checks/appliance-ip-forwarding-disabled";
import { applianceRouteLoop } from "../../src/checks/appliance-route-loop";
import { missingAppliance } from "../../src/checks/missing-appliance";
import { routeToNone } from "../../src/checks/route-to-none";
import type { Check, Finding } from "../../src/checks/types";
import { unattachedRouteTable } from "../../src/checks/unattached-route-table";
import { unknown } from "../../src/model/unknown";
import type { Topology } from "../../src/model/topology";
import { env, happy, oneLine, patchNic } from "./fixture";

const ROUTING: Check[] = [missingAppliance, applianceIpForwardingDisabled, applianceRouteLoop, routeToNone, unattachedRouteTable];
const routing = (topo: Topology): Finding[] => ROUTING.flatMap((c) => c.run({ env: env(topo) }));
const toNva = (ip: string) => [{ name: "to-nva", prefix: "0.0.0.0/0", nextHopType: "VirtualAppliance" as const, nextHopIp: ip }];

describe("routing checks on the happy path (rt-app: 0.0.0.0/0 -> nva-nic 10.1.3.4, forwarding on)", () => {
  test("baseline: no routing finding", () => {
    expect(routing(happy())).toEqual([]);
  });

  test.each<[string, Parameters<typeof happy>[0], string, string, string]>([
    ["appliance NIC without IP forwarding", { nvaForwarding: false }, "appliance-ip-forwarding-disabled", "high",
      "route table rt-app route to-nva (0.0.0.0/0 -> VirtualAppliance 10.1.3.4): NIC nva-nic holds 10.1.3.4 but IP forwarding is disabled on it, so Azure drops the traffic the route sends there"],
    ["next hop no NIC holds, inside a subnet of the plan", { routes: toNva("10.1.3.5") }, "missing-appliance", "high",
      "route table rt-app route to-nva (0.0.0.0/0 -> VirtualAppliance 10.1.3.5): no NIC in the plan holds 10.1.3.5 (in subnet nva (vnet)), so traffic sent to it is dropped"],
    ["next hop outside every VNet of the plan (hub in another stack)", { routes: toNva("10.200.0.4") }, "missing-appliance", "low",
      "route table rt-app route to-nva (0.0.0.0/0 -> VirtualAppliance 10.200.0.4): 10.200.0.4 is outside every virtual network of the plan (an appliance in another stack?), so it cannot be verified here"],
    ["route table also on the appliance's own subnet: loop", { nvaRouteTable: "rt-app" }, "appliance-route-loop", "high",
      "NIC nva-nic (10.1.3.4) sits in subnet nva (vnet), whose route table rt-app route to-nva (0.0.0.0/0 -> VirtualAppliance 10.1.3.4) sends 0.0.0.0/5,8.0.0.0/7,10.0.0.0/16,... (16 ranges, 4294901760 addresses) back to the appliance itself: traffic it forwards there loops"],
    ["route to None", { routes: [...toNva("10.1.3.4"), { name: "blackhole", prefix: "203.0.113.0/24", nextHopType: "None" }] }, "route-to-none", "low",
      "route table rt-app route blackhole (203.0.113.0/24 -> None) drops traffic from subnet app (vnet) to 203.0.113.0/24"],
    ["route table attached to no subnet", { appRouteTable: null }, "unattached-route-table", "low",
      "route table rt-app (1 route) is attached to no subnet, so none of its routes apply"],
  ])("%s", (_name, o, check, severity, message) => {
    const findings = routing(happy(o));
    expect(findings.map((f) => [f.check, f.severity, f.message])).toEqual([[check, severity, message]]);
  });

  test("the loop leaves out the VNet's own range (its system route is longer)", () => {
    const [f] = applianceRouteLoop.run({ env: env(happy({ nvaRouteTable: "rt-app" })) });
    expect(f.details?.loopingAddresses).not.toContain("10.1.0.0/16");
  });

  test("near miss: the appliance subnet has a table that does not point back at it", () => {
    const topo = happy({
      nvaRouteTable: "rt-nva",
      extra: (b) => b.routeTable("rt-nva", [{ name: "internet", prefix: "0.0.0.0/0", nextHopType: "Internet" }]),
    });
    expect(routing(topo)).toEqual([]);
  });

  test("near miss: a None route overridden by longer routes drops nothing", () => {
    const topo = happy({
      routes: [
        { name: "blackhole", prefix: "203.0.113.0/24", nextHopType: "None" },
        { name: "low-half", prefix: "203.0.113.0/25", nextHopType: "Internet" },
        { name: "high-half", prefix: "203.0.113.128/25", nextHopType: "Internet" },
      ],
    });
    expect(routeToNone.run({ env: env(topo) })).toEqual([]);
  });

  test("a None route equal to the VNet range wins the tie with the system route (User beats Default)", () => {
    const [f] = routeToNone.run({ env: env(happy({ routes: [{ name: "blackhole", prefix: "10.1.0.0/16", nextHopType: "None" }] })) });
    expect(f.message).toContain("drops traffic from subnet app (vnet) to 10.1.0.0/16");
  });

  test("next hop inside AzureFirewallSubnet is taken to be the firewall (not modelled): not reported", () => {
    const topo = happy({ routes: toNva("10.1.4.4"), extra: (b) => b.subnet("AzureFirewallSubnet", "vnet", "10.1.4.0/26") });
    expect(missingAppliance.run({ env: env(topo) })).toEqual([]);
  });

  test("a NIC with a dynamic address may get the next hop address: medium, named", () => {
    let topo = happy({ routes: toNva("10.1.3.10") });
    topo = patchNic(topo, "nva-nic", (n) => ({ ...n, ipConfigurations: n.ipConfigurations.map((c) => ({ ...c, allocation: "Dynamic" as const, privateIpAddress: undefined })) }));
    const [f] = missingAppliance.run({ env: env(topo) });
    expect(f.severity).toBe("medium");
    expect(f.message).toContain("nva-nic may get it");
  });

  test("IP forwarding unknown at preview: low, indeterminate", () => {
    const topo = patchNic(happy(), "nva-nic", (n) => ({ ...n, ipForwarding: unknown(".enableIPForwarding", n.urn) }));
    const [f] = applianceIpForwardingDisabled.run({ env: env(topo) });
    expect(f).toMatchObject({ severity: "low", details: { indeterminate: true } });
  });

  test("next hop written differently (IPv4 with leading zeros is not an address; spacing is trimmed)", () => {
    expect(routing(happy({ routes: toNva(" 10.1.3.4") }))).toEqual([]);
  });

  test("messages are one line", () => {
    expect(oneLine(routing(happy({ nvaForwarding: false, nvaRouteTable: "rt-app" })))).toBe(true);
  });
});
