/**
 * Two wrong traces found by the differential comparison (test/differential, issue 12), as minimal stack exports in
 * the generator's shape (examples' export shape: ARM ids, subnets inline, rules and routes inline):
 * - a route whose next hop appliance is the packet's destination delivered nothing ("routing loop" through the
 *   appliance to itself): the appliance receives packets addressed to it;
 * - a next hop address inside a VNet's address space but in none of its subnets answered Indeterminate: nothing can
 *   hold such an address, so the packet is dropped (an address inside a subnet that no NIC holds stays undecided:
 *   an internal load balancer frontend or another stack's resource may hold it).
 */
import { cli } from "../helpers/cli";
import { writeFileSync } from "fs";
import { join } from "path";
import { tempDir } from "../helpers/temp-dir";

const SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network";

function resource(type: string, name: string, id: string, props: Record<string, unknown>): Record<string, unknown> {
  return { urn: `urn:pulumi:dev::p::azure-native:network:${type}::${name}`, custom: true, id, type: `azure-native:network:${type}`, inputs: props, outputs: { id, name, ...props } };
}

function plan(nextHopIp: string): string {
  const vnet = `${SUB}/virtualNetworks/vnet`;
  const nic = (name: string, ip: string, forwarding: boolean) =>
    resource("NetworkInterface", name, `${SUB}/networkInterfaces/${name}`, {
      enableIPForwarding: forwarding,
      ipConfigurations: [{ name: "ipconfig1", primary: true, privateIPAddress: ip, privateIPAllocationMethod: "Static", subnet: { id: `${vnet}/subnets/s0` } }],
    });
  const resources = [
    resource("RouteTable", "rt", `${SUB}/routeTables/rt`, { routes: [{ name: "via-nva", addressPrefix: "10.0.0.0/24", nextHopType: "VirtualAppliance", nextHopIpAddress: nextHopIp }] }),
    resource("VirtualNetwork", "vnet", vnet, {
      addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
      subnets: [{ name: "s0", id: `${vnet}/subnets/s0`, addressPrefix: "10.0.0.0/24", routeTable: { id: `${SUB}/routeTables/rt` } }],
    }),
    nic("nva", "10.0.0.4", true),
    nic("vm", "10.0.0.5", false),
  ];
  const file = join(tempDir("ar-nva-"), "stack-export.json");
  writeFileSync(file, JSON.stringify({ version: 3, deployment: { manifest: {}, resources } }));
  return file;
}

async function status(file: string, to: string): Promise<string> {
  const r = await cli("trace", file, "--from", "vm", "--to", to, "--protocol", "TCP", "--port", "80", "--json");
  return JSON.parse(r.out).connectionStatus;
}

test.each([
  ["the appliance is the destination", "10.0.0.4", "10.0.0.4", "Reachable"],
  ["through the appliance to another host", "10.0.0.4", "10.0.0.6", "Unreachable"],
  ["next hop address in no subnet", "10.0.250.4", "10.0.0.6", "Unreachable"],
  ["next hop address in a subnet, held by no NIC", "10.0.0.200", "10.0.0.6", "Indeterminate"],
])("%s: next hop %s, trace to %s is %s", async (_what, nextHop, to, expected) => {
  expect(await status(plan(nextHop), to)).toBe(expected);
});
