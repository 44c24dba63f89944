import * as path from "path";
import { isUnknown, type Unknown } from "../../src/model/unknown";
import type { PropertyObject, PropertyValue, ResourceRecord } from "../../src/resources/record";
import { runProgram, type ProgramResult } from "../../src/resources/program";

const ROOT = path.join(__dirname, "..", "..");
const example = (name: string): string => path.join(ROOT, "examples", name);
const fixture = (name: string): string => path.join(ROOT, "test", "fixtures", "programs", name);

const ARM_PREFIX = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/";
const STACK_URN = "urn:pulumi:dev::nsg-basics::pulumi:pulumi:Stack::nsg-basics-dev";
const urn = (type: string, name: string): string => `urn:pulumi:dev::nsg-basics::${type}::${name}`;

function records(r: ProgramResult): ResourceRecord[] {
  if (!r.ok) throw new Error(r.error);
  return r.records;
}

function byName(rs: readonly ResourceRecord[], name: string): ResourceRecord {
  const found = rs.find((r) => r.name === name);
  if (!found) throw new Error(`no resource ${name}`);
  return found;
}

function countByType(rs: readonly ResourceRecord[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rs) out[r.type] = (out[r.type] ?? 0) + 1;
  return out;
}

function at(v: PropertyValue | undefined, ...steps: (string | number)[]): PropertyValue | undefined {
  let cur = v;
  for (const s of steps) {
    if (cur === null || cur === undefined || typeof cur !== "object" || isUnknown(cur)) return undefined;
    cur = Array.isArray(cur) ? cur[s as number] : (cur as PropertyObject)[s as string];
  }
  return cur;
}

function unknownsIn(v: PropertyValue): Unknown[] {
  if (isUnknown(v)) return [v];
  if (Array.isArray(v)) return v.flatMap(unknownsIn);
  if (v !== null && typeof v === "object") return Object.values(v).flatMap(unknownsIn);
  return [];
}

const NSG_BASICS_TYPES = {
  "pulumi:pulumi:Stack": 1,
  "azure-native:resources:ResourceGroup": 1,
  "azure-native:network:ApplicationSecurityGroup": 1,
  "azure-native:network:NetworkSecurityGroup": 3,
  "azure-native:network:SecurityRule": 2,
  "azure-native:network:PublicIPAddress": 2,
  "azure-native:network:VirtualNetwork": 1,
  "azure-native:network:Subnet": 4,
  "azure-native:network:NetworkInterface": 6,
  "azure-native:compute:VirtualMachine": 6,
};

describe("runProgram on examples/nsg-basics", () => {
  let first: ResourceRecord[];
  let update: ResourceRecord[];
  let deployed: ResourceRecord[];
  beforeAll(async () => {
    const [f, u, d] = await Promise.all([
      runProgram(example("nsg-basics"), { preview: "first" }),
      runProgram(example("nsg-basics"), { preview: "update" }),
      runProgram(example("nsg-basics"), { preview: "deployed" }),
    ]);
    first = records(f);
    update = records(u);
    deployed = records(d);
  }, 90_000);

  it("registers the same resources in both modes", () => {
    expect(countByType(first)).toEqual(NSG_BASICS_TYPES);
    expect(countByType(update)).toEqual(NSG_BASICS_TYPES);
    expect(first.map((r) => r.urn)).toEqual(update.map((r) => r.urn));
  });

  it("builds URNs as the engine does: stack and project, no Stack type in the chain, parented to the stack", () => {
    const subnet1 = byName(first, "subnet1");
    expect(subnet1.urn).toBe(urn("azure-native:network:Subnet", "subnet1"));
    expect(subnet1.parent).toBe(STACK_URN);
    expect(byName(first, "nsg-basics-dev")).toMatchObject({ urn: STACK_URN, type: "pulumi:pulumi:Stack", custom: false });
    expect(byName(first, "nsg-basics-dev").id).toBeUndefined();
    expect(subnet1.custom).toBe(true);
    expect(subnet1.origin).toBe(example("nsg-basics"));
  });

  it("first preview: every custom resource's id is unknown, and so is everything derived from an id", () => {
    for (const r of first.filter((x) => x.custom)) {
      expect(isUnknown(r.id)).toBe(true);
      expect(r.id).toEqual({ kind: "unknown", path: ".id", resource: r.urn });
    }
    const subnet1 = byName(first, "subnet1");
    expect(at(subnet1.props, "networkSecurityGroup", "id")).toEqual({ kind: "unknown", path: ".networkSecurityGroup.id", resource: subnet1.urn });
    const nic = byName(first, "vm1-nic");
    expect(isUnknown(at(nic.props, "ipConfigurations", 0, "subnet", "id"))).toBe(true);
    // Known inputs stay known.
    expect(at(nic.props, "ipConfigurations", 0, "privateIPAddress")).toBe("10.0.1.4");
    expect(at(subnet1.props, "addressPrefix")).toBe("10.0.1.0/24");
    // Outputs are the inputs: no invented name or id.
    expect(subnet1.props["id"]).toBeUndefined();
    expect(subnet1.props["name"]).toBeUndefined();
  });

  it("first preview: inline rules get an unknown id of their own", () => {
    const nsg1 = byName(first, "nsg1");
    expect(at(nsg1.props, "securityRules", 1, "id")).toEqual({ kind: "unknown", path: ".securityRules[1].id", resource: nsg1.urn });
    expect(at(nsg1.props, "securityRules", 1, "name")).toBe("Deny-8080");
  });

  it("update preview: ARM-shaped ids built from resource group, parent and Azure names", () => {
    const id = (name: string): unknown => byName(update, name).id;
    expect(id("rg")).toBe("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/nsg-basics-rg");
    expect(id("vnet")).toBe(`${ARM_PREFIX}nsg-basics-rg/providers/Microsoft.Network/virtualNetworks/tc10-vnet`);
    expect(id("subnet1")).toBe(`${ARM_PREFIX}nsg-basics-rg/providers/Microsoft.Network/virtualNetworks/tc10-vnet/subnets/subnet1`);
    expect(id("nsg2-deny-http")).toBe(`${ARM_PREFIX}nsg-basics-rg/providers/Microsoft.Network/networkSecurityGroups/NSG2/securityRules/Deny-HTTP`);
    expect(id("vm1-nic")).toBe(`${ARM_PREFIX}nsg-basics-rg/providers/Microsoft.Network/networkInterfaces/vm1-nic`);
    expect(id("vm4-pip")).toBe(`${ARM_PREFIX}nsg-basics-rg/providers/Microsoft.Network/publicIPAddresses/vm4-pip`);
    expect(id("vm1")).toBe(`${ARM_PREFIX}nsg-basics-rg/providers/Microsoft.Compute/virtualMachines/vm1`);
    for (const r of update.filter((x) => x.custom)) expect(r.id).toMatch(/^\/subscriptions\/0{8}-0{4}-0{4}-0{4}-0{12}\/resourceGroups\//);
  });

  it("update preview: references resolve to the old ids; outputs are Update's preview outputs with the old name and location", () => {
    const nic = byName(update, "vm1-nic");
    expect(at(nic.props, "ipConfigurations", 0, "subnet", "id")).toBe(byName(update, "subnet1").id);
    expect(at(nic.props, "networkSecurityGroup", "id")).toBe(byName(update, "nsg2").id);
    // An inline child's id is a response property the program did not set: computed at preview.
    expect(at(nic.props, "ipConfigurations", 0, "id")).toEqual({ kind: "unknown", path: ".ipConfigurations[0].id", resource: nic.urn });
    const subnet1 = byName(update, "subnet1");
    // `name` comes back from state (provider.go Update: stableOutputs), though the program set only subnetName.
    expect(subnet1.props["name"]).toBe("subnet1");
    expect(at(nic.props, "location")).toBe("westeurope");
    // azure-native's path parameters are inputs only, as in Azure's state.
    expect(subnet1.props["virtualNetworkName"]).toBeUndefined();
    expect(subnet1.inputs?.["virtualNetworkName"]).toBe("tc10-vnet");
    // What stays unknown once outputs are read with the inputs: what Azure assigns (src/resources/reconcile.ts
    // COMPUTED_KEYS): ids inside objects the program set (inline children, the VM's image and disk references) and
    // public IP addresses (the public IP's own, and the copy inside the NIC's reference to it).
    const left = [...new Set(update.flatMap((r) => unknownsIn(r.props)).map((u) => u.path.replace(/\[\d+\]/g, "[]")))].sort();
    expect(left).toEqual([
      ".ipAddress",
      ".ipConfigurations[].id",
      ".ipConfigurations[].publicIPAddress.ipAddress",
      ".securityRules[].id",
      ".storageProfile.imageReference.id",
      ".storageProfile.osDisk.managedDisk.id",
    ]);
  });

  it("deployed (the state a stack export holds): outputs carry id and name, inline children their ids, nothing is unknown", () => {
    const nic = byName(deployed, "vm1-nic");
    expect(at(nic.props, "ipConfigurations", 0, "subnet", "id")).toBe(byName(deployed, "subnet1").id);
    expect(at(nic.props, "ipConfigurations", 0, "id")).toBe(`${String(nic.id)}/ipConfigurations/ipconfig1`);
    const subnet1 = byName(deployed, "subnet1");
    expect(subnet1.props["id"]).toBe(subnet1.id);
    expect(subnet1.props["name"]).toBe("subnet1");
    expect(subnet1.props["virtualNetworkName"]).toBeUndefined();
    expect(deployed.flatMap((r) => unknownsIn(r.props))).toEqual([]);
    expect(deployed.map((r) => r.id)).toEqual(update.map((r) => r.id));
  });

  it("records dependencies and per-property dependencies, without empty lists", () => {
    for (const rs of [first, update, deployed]) {
      const nic = byName(rs, "vm1-nic");
      expect(nic.propertyDependencies["ipConfigurations"]).toEqual([urn("azure-native:network:Subnet", "subnet1")]);
      expect(nic.propertyDependencies["networkSecurityGroup"]).toEqual([urn("azure-native:network:NetworkSecurityGroup", "nsg2")]);
      expect(nic.dependencies).toEqual(expect.arrayContaining([urn("azure-native:network:Subnet", "subnet1"), urn("azure-native:resources:ResourceGroup", "rg")]));
      for (const r of rs) for (const urns of Object.values(r.propertyDependencies)) expect(urns.length).toBeGreaterThan(0);
      const rule = byName(rs, "nsg2-deny-http");
      expect(rule.propertyDependencies["networkSecurityGroupName"]).toEqual([urn("azure-native:network:NetworkSecurityGroup", "nsg2")]);
    }
  });

  it("orders resources so that parents and dependencies come first", () => {
    for (const rs of [first, update]) {
      const seen = new Set<string>();
      for (const r of rs) {
        for (const d of [...(r.parent ? [r.parent] : []), ...r.dependencies]) expect(seen.has(d)).toBe(true);
        seen.add(r.urn);
      }
    }
  });
});

describe("runProgram on examples/hub-and-spoke", () => {
  it("never invents a dynamic private IP, in any mode", async () => {
    const [f, u] = await Promise.all([
      runProgram(example("hub-and-spoke"), { preview: "first" }),
      runProgram(example("hub-and-spoke"), { preview: "deployed" }),
    ]);
    for (const rs of [records(f), records(u)]) {
      const spokeNic = byName(rs, "spoke1-vm-nic");
      expect(at(spokeNic.props, "ipConfigurations", 0, "privateIPAllocationMethod")).toBe("Dynamic");
      expect(at(spokeNic.props, "ipConfigurations", 0, "privateIPAddress")).toBeUndefined();
      expect(at(byName(rs, "nva-vm-nic").props, "ipConfigurations", 0, "privateIPAddress")).toBe("10.0.1.4");
      expect(at(byName(rs, "nva-vm-nic").props, "enableIPForwarding")).toBe(true);
      // Inline subnets' NICs depend on the VNet (the program builds the subnet id from the VNet id).
      expect(spokeNic.propertyDependencies["ipConfigurations"]).toEqual(["urn:pulumi:dev::hub-and-spoke::azure-native:network:VirtualNetwork::spoke1"]);
    }
    const spoke1 = byName(records(u), "spoke1");
    expect(at(spoke1.props, "subnets", 0, "id")).toBe(`${String(spoke1.id)}/subnets/spoke1-workload`);
    expect(at(byName(records(u), "spoke1-vm-nic").props, "ipConfigurations", 0, "subnet", "id")).toBe(`${String(spoke1.id)}/subnets/spoke1-workload`);
    expect(countByType(records(u))["azure-native:network:VirtualNetworkPeering"]).toBe(4);
  }, 60_000);
});

describe("stack configuration", () => {
  const vnetOf = (r: ProgramResult): ResourceRecord => byName(records(r), "vnet");

  it("reads Pulumi.<stack>.yaml, with Pulumi.yaml defaults and other namespaces", async () => {
    const [dev, prod] = await Promise.all([
      runProgram(fixture("config-reader"), { preview: "update" }),
      runProgram(fixture("config-reader"), { preview: "update", stack: "prod" }),
    ]);
    expect(at(vnetOf(dev).props, "addressSpace", "addressPrefixes")).toEqual(["10.1.0.0/16"]);
    expect(at(vnetOf(dev).props, "subnets", 0, "addressPrefix")).toBe("10.1.1.0/24"); // project default
    expect(at(vnetOf(dev).props, "tags")).toEqual({ env: "dev", owner: "network-team" }); // structured value
    expect(at(vnetOf(dev).props, "location")).toBe("westeurope"); // azure-native:location
    expect(vnetOf(dev).urn).toBe("urn:pulumi:dev::config-reader::azure-native:network:VirtualNetwork::vnet");

    expect(at(vnetOf(prod).props, "addressSpace", "addressPrefixes")).toEqual(["10.2.0.0/16"]);
    expect(at(vnetOf(prod).props, "subnets", 0, "addressPrefix")).toBe("10.2.1.0/24");
    expect(at(vnetOf(prod).props, "location")).toBe("northeurope");
    expect(vnetOf(prod).urn).toBe("urn:pulumi:prod::config-reader::azure-native:network:VirtualNetwork::vnet");
    expect(vnetOf(prod).id).toBe(`${ARM_PREFIX}config-rg/providers/Microsoft.Network/virtualNetworks/vnet-prod`);
  }, 60_000);

  it("gives encrypted values to the program as secrets (masked: their value is unknown here), with a note", async () => {
    const prod = await runProgram(fixture("config-reader"), { preview: "first", stack: "prod" });
    if (!prod.ok) throw new Error(prod.error);
    // `pulumi preview` decrypts secure: values, so config.get finds the key; the runner cannot decrypt it.
    expect(byName(prod.records, "config-reader-prod").props).toEqual({ hasApiKey: true });
    expect(prod.diagnostics).toEqual([expect.objectContaining({ code: "config-secret-masked", severity: "info", resource: "config-reader:apiKey" })]);
  }, 60_000);
});

describe("component resources", () => {
  it("carry the whole parent type chain in their children's URNs, and their registered outputs as props", async () => {
    const rs = records(await runProgram(fixture("component"), { preview: "update" }));
    const prefix = "urn:pulumi:dev::component::";
    expect(rs.map((r) => r.urn)).toEqual([
      `${prefix}pulumi:pulumi:Stack::component-dev`,
      `${prefix}fixture:network:Spoke::spoke`,
      `${prefix}fixture:network:Spoke$fixture:network:Tier::spoke-web`,
      `${prefix}fixture:network:Spoke$fixture:network:Tier$azure-native:network:NetworkSecurityGroup::spoke-web-nsg`,
      `${prefix}fixture:network:Spoke$azure-native:network:VirtualNetwork::spoke-vnet`,
    ]);
    const tier = byName(rs, "spoke-web");
    expect(tier).toMatchObject({ custom: false, parent: `${prefix}fixture:network:Spoke::spoke` });
    expect(tier.id).toBeUndefined();
    expect(tier.props).toEqual({ nsgId: byName(rs, "spoke-web-nsg").id });
    expect(byName(rs, "spoke-vnet").propertyDependencies["subnets"]).toEqual([
      `${prefix}fixture:network:Spoke$fixture:network:Tier$azure-native:network:NetworkSecurityGroup::spoke-web-nsg`,
    ]);
  }, 60_000);
});

describe("running a program more than once", () => {
  it("gives the same records every time", async () => {
    const a = records(await runProgram(fixture("component"), { preview: "first" }));
    const b = records(await runProgram(fixture("component"), { preview: "first" }));
    expect(b).toEqual(a);
  }, 60_000);
});
