/**
 * A small happy-path network as plain ResourceRecords, and helpers to change one field per test.
 */
import type { PropertyObject, PropertyValue, ResourceRecord } from "../../../src/resources/record";
import { unknown, type Unknown } from "../../../src/model/unknown";

export const SUB = "/subscriptions/11111111-2222-3333-4444-555555555555";
export const RG = `${SUB}/resourceGroups/rg-net`;
export const NET = `${RG}/providers/Microsoft.Network`;

export function urn(type: string, name: string): string {
  return `urn:pulumi:dev::net::${type}::${name}`;
}

const T = (r: string): string => `azure-native:network:${r}`;

export interface RecordOptions {
  readonly id?: string | Unknown;
  readonly inputs?: PropertyObject;
  readonly propertyDependencies?: Record<string, string[]>;
  readonly type?: string;
}

export function rec(type: string, name: string, props: PropertyObject, opts: RecordOptions = {}): ResourceRecord {
  const u = urn(opts.type ?? type, name);
  return {
    urn: u,
    type: opts.type ?? type,
    name,
    id: opts.id,
    props,
    ...(opts.inputs !== undefined ? { inputs: opts.inputs } : {}),
    dependencies: Object.values(opts.propertyDependencies ?? {}).flat(),
    propertyDependencies: opts.propertyDependencies ?? {},
    custom: true,
  };
}

/** An unknown marker as the readers produce it. */
export function unk(path: string, resource: string): Unknown {
  return unknown(path, resource);
}

export const U = {
  vnet: urn(T("VirtualNetwork"), "vnet"),
  subnetWeb: urn(T("Subnet"), "subnet-web"),
  nsgWeb: urn(T("NetworkSecurityGroup"), "nsg-web"),
  ruleSsh: urn(T("SecurityRule"), "rule-ssh"),
  asgWeb: urn(T("ApplicationSecurityGroup"), "asg-web"),
  rt: urn(T("RouteTable"), "rt"),
  nic: urn(T("NetworkInterface"), "nic-web"),
  pip: urn(T("PublicIPAddress"), "pip-web"),
  vm: urn("azure-native:compute:VirtualMachine", "vm-web"),
};

export const ID = {
  vnet: `${NET}/virtualNetworks/vnet-spoke`,
  subnetApp: `${NET}/virtualNetworks/vnet-spoke/subnets/app`,
  subnetWeb: `${NET}/virtualNetworks/vnet-spoke/subnets/web`,
  nsgWeb: `${NET}/networkSecurityGroups/nsg-web`,
  asgWeb: `${NET}/applicationSecurityGroups/asg-web`,
  rt: `${NET}/routeTables/rt-spoke`,
  nic: `${NET}/networkInterfaces/nic-web`,
  pip: `${NET}/publicIPAddresses/pip-web`,
  vm: `${SUB}/resourceGroups/rg-net/providers/Microsoft.Compute/virtualMachines/vm-web`,
};

/** A valid inbound TCP 443 allow rule; `extra` overrides fields (undefined removes one). */
export function rule(name: string, priority: number, extra: Record<string, PropertyValue | undefined> = {}): PropertyObject {
  const r: Record<string, PropertyValue | undefined> = {
    name,
    priority,
    direction: "Inbound",
    access: "Allow",
    protocol: "Tcp",
    sourceAddressPrefix: "*",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "443",
    ...extra,
  };
  const out: PropertyObject = {};
  for (const [k, v] of Object.entries(r)) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * VNet `vnet-spoke` (10.1.0.0/16) with inline subnet `app` and standalone subnet `web` (NSG nsg-web, route table),
 * NSG with one inline rule and one standalone rule, an ASG, a NIC with a public IP, a VM. All ids known.
 */
export function happyPath(): ResourceRecord[] {
  return [
    rec(T("VirtualNetwork"), "vnet", {
      name: "vnet-spoke",
      addressSpace: { addressPrefixes: ["10.1.0.0/16"] },
      subnets: [{ name: "app", addressPrefix: "10.1.1.0/24" }],
      tags: { env: "dev" },
    }, { id: ID.vnet, inputs: { resourceGroupName: "rg-net", virtualNetworkName: "vnet-spoke" } }),
    rec(T("Subnet"), "subnet-web", {
      name: "web",
      addressPrefix: "10.1.2.0/24",
      networkSecurityGroup: { id: ID.nsgWeb },
      routeTable: { id: ID.rt },
    }, { id: ID.subnetWeb, inputs: { resourceGroupName: "rg-net", virtualNetworkName: "vnet-spoke", subnetName: "web" } }),
    rec(T("NetworkSecurityGroup"), "nsg-web", {
      name: "nsg-web",
      securityRules: [rule("allow-https", 100)],
    }, { id: ID.nsgWeb, inputs: { resourceGroupName: "rg-net" } }),
    rec(T("SecurityRule"), "rule-ssh", rule("allow-ssh", 110, { destinationPortRange: "22", sourceAddressPrefix: "10.0.0.0/8" }), {
      id: `${ID.nsgWeb}/securityRules/allow-ssh`,
      inputs: { resourceGroupName: "rg-net", networkSecurityGroupName: "nsg-web" },
    }),
    rec(T("ApplicationSecurityGroup"), "asg-web", { name: "asg-web" }, { id: ID.asgWeb }),
    rec(T("RouteTable"), "rt", {
      name: "rt-spoke",
      routes: [{ name: "default", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.0.4" }],
    }, { id: ID.rt }),
    rec(T("PublicIPAddress"), "pip-web", { name: "pip-web", ipAddress: "20.1.2.3" }, { id: ID.pip }),
    rec(T("NetworkInterface"), "nic-web", {
      name: "nic-web",
      ipConfigurations: [{
        name: "ipconfig1",
        subnet: { id: ID.subnetWeb },
        privateIPAllocationMethod: "Static",
        privateIPAddress: "10.1.2.4",
        applicationSecurityGroups: [{ id: ID.asgWeb }],
        publicIPAddress: { id: ID.pip },
      }],
      tags: { tier: "web" },
    }, { id: ID.nic }),
    rec("azure-native:compute:VirtualMachine", "vm-web", {
      name: "vm-web",
      networkProfile: { networkInterfaces: [{ id: ID.nic }] },
    }, { id: ID.vm }),
  ];
}

/** Replaces one record (by logical name) with a changed copy. */
export function change(
  records: readonly ResourceRecord[],
  name: string,
  f: (r: ResourceRecord) => ResourceRecord,
): ResourceRecord[] {
  let hit = false;
  const out = records.map((r) => {
    if (r.name !== name) return r;
    hit = true;
    return f(r);
  });
  if (!hit) throw new Error(`no record named ${name}`);
  return out;
}

/** Sets one property of one record's props (by logical name). */
export function setProp(records: readonly ResourceRecord[], name: string, key: string, value: PropertyValue | undefined): ResourceRecord[] {
  return change(records, name, (r) => {
    const props: PropertyObject = { ...r.props };
    if (value === undefined) delete props[key];
    else props[key] = value;
    return { ...r, props };
  });
}

export function without(records: readonly ResourceRecord[], name: string): ResourceRecord[] {
  return records.filter((r) => r.name !== name);
}
