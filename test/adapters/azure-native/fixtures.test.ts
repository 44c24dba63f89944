import * as path from "path";
import { buildTopology } from "../../../src/adapters/azure-native";
import type { Topology } from "../../../src/model/topology";
import { isUnknown } from "../../../src/model/unknown";
import { readResourceFile } from "../../../src/resources/detect";

const FIXTURES = path.join(__dirname, "..", "..", "fixtures", "adapter");
const P = "urn:pulumi:dev::netdemo::";
const K = {
  vnet: `${P}azure-native:network:VirtualNetwork::vnet-spoke`,
  subnetWeb: `${P}azure-native:network:Subnet::subnet-web`,
  subnetApp: `${P}azure-native:network:VirtualNetwork::vnet-spoke/subnets/app`,
  nsgWeb: `${P}azure-native:network:NetworkSecurityGroup::nsg-web`,
  nsgApp: `${P}azure-native:network:NetworkSecurityGroup::nsg-app`,
  asg: `${P}azure-native:network:ApplicationSecurityGroup::asg-web`,
  rt: `${P}azure-native:network:RouteTable::rt-spoke`,
  pip: `${P}netdemo:index:WebTier$azure-native:network:PublicIPAddress::pip-web`,
  nic: `${P}netdemo:index:WebTier$azure-native:network:NetworkInterface::nic-web`,
  vm: `${P}netdemo:index:WebTier$azure-native:compute:VirtualMachine::vm-web`,
};

function topologyOf(file: string): Topology {
  const r = readResourceFile(path.join(FIXTURES, file));
  if (!r.ok) throw new Error(r.error);
  return buildTopology(r.records);
}

/** The parts of a topology that must not depend on whether it was read before or after deployment. */
function shape(t: Topology) {
  return {
    vnets: [...t.vnets.values()].map((v) => [v.key, v.addressPrefixes, v.subnetKeys, v.peeringKeys]),
    subnets: [...t.subnets.values()].map((s) => [s.key, s.vnetKey, s.addressPrefixes, s.nsgKey, s.routeTableKey]),
    nsgs: [...t.nsgs.values()].map((n) => [n.key, n.rules.map((r) => [r.name, r.origin, r.priority, r.valid, r.protocolText]), n.defaultRules.map((r) => r.name)]),
    nics: [...t.nics.values()].map((n) => [n.key, n.vmKey, n.nsgKey, n.ipConfigurations.map((c) => [c.name, c.primary, c.subnetKey, c.allocation, c.asgKeys, c.publicIpKey])]),
    vms: [...t.vms.values()].map((v) => [v.key, v.nicKeys, v.primaryNicKey]),
    routeTables: [...t.routeTables.values()].map((r) => [r.key, r.routes.map((x) => [x.name, x.addressPrefixText, x.nextHopType, x.nextHopIpAddress])]),
    asgs: [...t.asgs.keys()],
    publicIps: [...t.publicIps.keys()],
  };
}

describe("fixtures: stack export", () => {
  const t = topologyOf("stack-export.json");

  test("no diagnostics", () => {
    expect(t.diagnostics).toEqual([]);
  });

  test("subnets: inline app and standalone web, listed inline again in the VNet outputs, are two subnets", () => {
    expect([...t.subnets.keys()]).toEqual([K.subnetWeb, K.subnetApp]);
    expect(t.subnets.get(K.subnetApp)!.nsgKey).toBe(K.nsgApp);
    expect(t.subnets.get(K.subnetWeb)).toMatchObject({ nsgKey: K.nsgWeb, routeTableKey: K.rt, vnetKey: K.vnet });
  });

  test("NSG names from the outputs (auto-named), rules merged, defaults from outputs", () => {
    const nsg = t.nsgs.get(K.nsgWeb)!;
    expect(nsg.azureName).toBe("nsg-web1a2b3c4");
    expect(nsg.rules.map((r) => `${r.name}/${r.origin}`)).toEqual(["allow-https/inline", "allow-ssh/standalone"]);
    expect(nsg.defaultRules).toHaveLength(6);
    expect(nsg.defaultRules[5].description).toBe("Deny all outbound traffic");
  });

  test("ASG source resolved by id; NIC attached to the VM with its address", () => {
    expect(t.nsgs.get(K.nsgApp)!.rules[0].sources).toMatchObject([{ kind: "asg", asgKey: K.asg }]);
    const nic = t.nics.get(K.nic)!;
    expect(nic.vmKey).toBe(K.vm);
    expect(nic.ipConfigurations[0].privateIpAddress).toBe("10.1.2.4");
    expect(t.publicIps.get(K.pip)!.ipAddress).toBe("20.51.10.7");
  });
});

describe("fixtures: first preview (ids unknown, resolved through propertyDependencies)", () => {
  const t = topologyOf("preview.json");

  test("no diagnostics: every reference is resolved", () => {
    expect(t.diagnostics).toEqual([]);
  });

  test("unknown values stay unknown", () => {
    expect(isUnknown(t.nics.get(K.nic)!.id)).toBe(true);
    expect(t.nics.get(K.nic)!.ipConfigurations[0].privateIpAddress).toBeUndefined();
    expect(isUnknown(t.publicIps.get(K.pip)!.ipAddress)).toBe(true);
    expect(isUnknown(t.nsgs.get(K.nsgWeb)!.azureName)).toBe(true);
  });

  test("the same network as the export", () => {
    expect(shape(t)).toEqual(shape(topologyOf("stack-export.json")));
  });
});
