// nsg-basics: how Azure evaluates network security groups, as a Pulumi program.
//
// The first part is the worked example of Microsoft's "How network security groups filter network traffic"
// (TC10 in the semantics reference): four VMs, two NSGs, TCP 80 from the internet.
//
//   tc10-vnet 10.0.0.0/16
//   ├─ subnet1 10.0.1.0/24  NSG1 (subnet)   vm1 10.0.1.4 (NIC: NSG2)   vm2 10.0.1.5
//   ├─ subnet2 10.0.2.0/24  no NSG          vm3 10.0.2.4 (NIC: NSG2)
//   ├─ subnet3 10.0.3.0/24  no NSG          vm4 10.0.3.4 (public IP, no NSG anywhere)
//   └─ web     10.0.4.0/24  web-nsg         web1 10.0.4.4 (asg-web, public IP)   web2 10.0.4.5
//
// Inbound, the subnet's NSG is evaluated first, then the NIC's; both must allow, and a deny in the first ends the
// evaluation. Outbound, the NIC's NSG comes first, then the subnet's. No NSG at all means everything is allowed.
// The second part (web-nsg) shows an application security group rule and an "augmented" rule (plural prefixes).
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";

const config = new pulumi.Config();
const location = "westeurope";
// Only the public half of a key pair; a placeholder is enough for a preview.
const sshPublicKey = config.get("sshPublicKey") ?? "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExamplePlaceholderKeyForPreviewOnly";

const rg = new resources.ResourceGroup("rg", { resourceGroupName: "nsg-basics-rg", location });

// ---------------------------------------------------------------------------------------------------------------
// NSG1, on subnet1. Rules inline.
// ---------------------------------------------------------------------------------------------------------------
const nsg1 = new network.NetworkSecurityGroup("nsg1", {
  resourceGroupName: rg.name,
  networkSecurityGroupName: "NSG1",
  location,
  securityRules: [
    {
      // The fix of TC13: port 80 from the internet. On its own it opens vm2 only: vm1 also has NSG2 on its NIC.
      name: "Allow-HTTP-All",
      priority: 100,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: "Internet",
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      destinationPortRange: "80",
    },
    {
      // A deny in the subnet's NSG ends inbound evaluation: NSG2's Allow-8080 is never reached for vm1.
      name: "Deny-8080",
      priority: 110,
      direction: "Inbound",
      access: "Deny",
      protocol: "Tcp",
      sourceAddressPrefix: "*",
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      destinationPortRange: "8080",
    },
  ],
});

// ---------------------------------------------------------------------------------------------------------------
// NSG2, on the NICs of vm1 and vm3. Rules as standalone SecurityRule resources. (Do not also give NSG2 inline
// rules: azure-native would treat the inline list as the whole truth and fight the standalone rules.)
// ---------------------------------------------------------------------------------------------------------------
const nsg2 = new network.NetworkSecurityGroup("nsg2", {
  resourceGroupName: rg.name,
  networkSecurityGroupName: "NSG2",
  location,
});

new network.SecurityRule("nsg2-deny-http", {
  resourceGroupName: rg.name,
  networkSecurityGroupName: nsg2.name,
  securityRuleName: "Deny-HTTP",
  priority: 200,
  direction: "Inbound",
  access: "Deny",
  protocol: "Tcp",
  sourceAddressPrefix: "*",
  sourcePortRange: "*",
  destinationAddressPrefix: "*",
  destinationPortRange: "80",
});

new network.SecurityRule("nsg2-allow-8080", {
  resourceGroupName: rg.name,
  networkSecurityGroupName: nsg2.name,
  securityRuleName: "Allow-8080",
  priority: 210,
  direction: "Inbound",
  access: "Allow",
  protocol: "Tcp",
  sourceAddressPrefix: "*",
  sourcePortRange: "*",
  destinationAddressPrefix: "*",
  destinationPortRange: "8080",
});

// ---------------------------------------------------------------------------------------------------------------
// web-nsg: an application security group rule and an augmented rule.
// ---------------------------------------------------------------------------------------------------------------
const asgWeb = new network.ApplicationSecurityGroup("asg-web", {
  resourceGroupName: rg.name,
  applicationSecurityGroupName: "asg-web",
  location,
});

const webNsg = new network.NetworkSecurityGroup("web-nsg", {
  resourceGroupName: rg.name,
  networkSecurityGroupName: "web-nsg",
  location,
  securityRules: [
    {
      // Applies to the IPs of member NICs only: web1 is in asg-web, web2 is not.
      name: "Allow-HTTPS-To-Web",
      priority: 100,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: "Internet",
      sourcePortRange: "*",
      destinationApplicationSecurityGroups: [{ id: asgWeb.id }],
      destinationPortRange: "443",
    },
    {
      // Augmented rule: several prefixes and several ports in one rule.
      name: "Allow-Admin-From-Offices",
      priority: 200,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefixes: ["203.0.113.0/24", "198.51.100.0/24"],
      sourcePortRange: "*",
      destinationAddressPrefix: "10.0.4.0/24",
      destinationPortRanges: ["22", "3389"],
    },
  ],
});

// ---------------------------------------------------------------------------------------------------------------
// Network: standalone Subnet resources (the hub-and-spoke example declares its subnets inline instead).
// ---------------------------------------------------------------------------------------------------------------
const vnet = new network.VirtualNetwork("vnet", {
  resourceGroupName: rg.name,
  virtualNetworkName: "tc10-vnet",
  location,
  addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
});

const subnet = (name: string, addressPrefix: string, nsg?: network.NetworkSecurityGroup): network.Subnet =>
  new network.Subnet(name, {
    resourceGroupName: rg.name,
    virtualNetworkName: vnet.name,
    subnetName: name,
    addressPrefix,
    networkSecurityGroup: nsg ? { id: nsg.id } : undefined,
  });

const subnet1 = subnet("subnet1", "10.0.1.0/24", nsg1);
const subnet2 = subnet("subnet2", "10.0.2.0/24");
const subnet3 = subnet("subnet3", "10.0.3.0/24");
const webSubnet = subnet("web", "10.0.4.0/24", webNsg);

// ---------------------------------------------------------------------------------------------------------------
// VMs. Every private IP is static so the answers name concrete addresses.
// ---------------------------------------------------------------------------------------------------------------
interface VmSpec {
  readonly subnet: network.Subnet;
  readonly privateIp: string;
  readonly nicNsg?: network.NetworkSecurityGroup;
  readonly publicIp?: boolean;
  /**
   * The public IP's SKU. vm4 keeps TC10's answer ("traffic is allowed to VM4" with no NSG anywhere), which is what
   * an open Basic IP gives; a Standard IP is closed to inbound traffic unless an NSG allows it, so with Standard
   * vm4 would get nothing in (docs/ingress.md). Basic public IPs were retired on 30 September 2025: Azure no longer
   * creates them, so this example is for plan checks only on that VM.
   */
  readonly publicIpSku?: "Basic" | "Standard";
  readonly asgs?: network.ApplicationSecurityGroup[];
}

function vm(name: string, spec: VmSpec): compute.VirtualMachine {
  const pip = spec.publicIp
    ? new network.PublicIPAddress(`${name}-pip`, {
        resourceGroupName: rg.name,
        publicIpAddressName: `${name}-pip`,
        location,
        sku: { name: spec.publicIpSku ?? "Standard" },
        publicIPAllocationMethod: "Static",
      })
    : undefined;
  const nic = new network.NetworkInterface(`${name}-nic`, {
    resourceGroupName: rg.name,
    networkInterfaceName: `${name}-nic`,
    location,
    networkSecurityGroup: spec.nicNsg ? { id: spec.nicNsg.id } : undefined,
    ipConfigurations: [
      {
        name: "ipconfig1",
        primary: true,
        subnet: { id: spec.subnet.id },
        privateIPAllocationMethod: "Static",
        privateIPAddress: spec.privateIp,
        publicIPAddress: pip ? { id: pip.id } : undefined,
        applicationSecurityGroups: spec.asgs?.map((asg) => ({ id: asg.id })),
      },
    ],
  });
  return new compute.VirtualMachine(name, {
    resourceGroupName: rg.name,
    vmName: name,
    location,
    hardwareProfile: { vmSize: "Standard_B1s" },
    storageProfile: {
      imageReference: { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" },
      osDisk: { createOption: "FromImage", managedDisk: { storageAccountType: "Standard_LRS" } },
    },
    osProfile: {
      computerName: name,
      adminUsername: "azureuser",
      linuxConfiguration: {
        disablePasswordAuthentication: true,
        ssh: { publicKeys: [{ path: "/home/azureuser/.ssh/authorized_keys", keyData: sshPublicKey }] },
      },
    },
    networkProfile: { networkInterfaces: [{ id: nic.id, primary: true }] },
  });
}

// TC10: vm1 is decided by NSG1 then NSG2, vm2 by NSG1 only, vm3 by NSG2 only, vm4 by nothing (allowed).
vm("vm1", { subnet: subnet1, privateIp: "10.0.1.4", nicNsg: nsg2 });
vm("vm2", { subnet: subnet1, privateIp: "10.0.1.5" });
vm("vm3", { subnet: subnet2, privateIp: "10.0.2.4", nicNsg: nsg2 });
vm("vm4", { subnet: subnet3, privateIp: "10.0.3.4", publicIp: true, publicIpSku: "Basic" });

// web1 is in asg-web and gets HTTPS from the internet; web2 is not, so the ASG rule does not apply to it.
vm("web1", { subnet: webSubnet, privateIp: "10.0.4.4", publicIp: true, asgs: [asgWeb] });
vm("web2", { subnet: webSubnet, privateIp: "10.0.4.5" });

export const vnetId = vnet.id;
