// locked-down: a subnet that talks to nobody, except SSH/RDP from the bastion subnet.
//
//   secure-vnet 10.20.0.0/16
//   ├─ AzureBastionSubnet 10.20.0.0/26   bastion (Azure Bastion host: where administrators come from)
//   ├─ restricted 10.20.1.0/24  restricted-nsg   locked-vm 10.20.1.4
//   └─ workload   10.20.2.0/24  no NSG           other-vm  10.20.2.4
//
// restricted-nsg replaces Azure's permissive defaults (AllowVnetInBound, AllowInternetOutBound, ...) with its own
// deny-all rules at 4096, the last custom priority, so they are evaluated before any default rule (65000+). The only
// way in is SSH/RDP from the bastion subnet; nothing goes out (replies to allowed connections still do: NSGs are
// stateful). Note that this also blocks Azure Load Balancer health probes, which is fine for a VM behind none.
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";

const config = new pulumi.Config();
const location = "westeurope";
const sshPublicKey = config.get("sshPublicKey") ?? "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExamplePlaceholderKeyForPreviewOnly";
const bastionPrefix = "10.20.0.0/26";

const rg = new resources.ResourceGroup("rg", { resourceGroupName: "locked-down-rg", location });

const restrictedNsg = new network.NetworkSecurityGroup("restricted-nsg", {
  resourceGroupName: rg.name,
  networkSecurityGroupName: "restricted-nsg",
  location,
  securityRules: [
    {
      name: "Allow-Management-From-Bastion",
      priority: 100,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: bastionPrefix,
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      destinationPortRanges: ["22", "3389"],
    },
    {
      name: "Deny-All-Inbound",
      priority: 4096,
      direction: "Inbound",
      access: "Deny",
      protocol: "*",
      sourceAddressPrefix: "*",
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      destinationPortRange: "*",
    },
    {
      name: "Deny-All-Outbound",
      priority: 4096,
      direction: "Outbound",
      access: "Deny",
      protocol: "*",
      sourceAddressPrefix: "*",
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      destinationPortRange: "*",
    },
  ],
});

// Inline subnets; the restricted one carries the NSG.
const vnet = new network.VirtualNetwork("secure-vnet", {
  resourceGroupName: rg.name,
  virtualNetworkName: "secure-vnet",
  location,
  addressSpace: { addressPrefixes: ["10.20.0.0/16"] },
  subnets: [
    { name: "AzureBastionSubnet", addressPrefix: bastionPrefix },
    { name: "restricted", addressPrefix: "10.20.1.0/24", networkSecurityGroup: { id: restrictedNsg.id } },
    { name: "workload", addressPrefix: "10.20.2.0/24" },
  ],
});

const subnetId = (name: string): pulumi.Output<string> => pulumi.interpolate`${vnet.id}/subnets/${name}`;

// Azure Bastion: administrators reach VMs through it, from inside AzureBastionSubnet.
const bastionIp = new network.PublicIPAddress("bastion-pip", {
  resourceGroupName: rg.name,
  publicIpAddressName: "bastion-pip",
  location,
  sku: { name: "Standard" },
  publicIPAllocationMethod: "Static",
});

new network.BastionHost("bastion", {
  resourceGroupName: rg.name,
  bastionHostName: "bastion",
  location,
  ipConfigurations: [{ name: "bastion-ipconfig", subnet: { id: subnetId("AzureBastionSubnet") }, publicIPAddress: { id: bastionIp.id } }],
});

function vm(name: string, subnet: string, privateIp: string): compute.VirtualMachine {
  const nic = new network.NetworkInterface(`${name}-nic`, {
    resourceGroupName: rg.name,
    networkInterfaceName: `${name}-nic`,
    location,
    ipConfigurations: [
      {
        name: "ipconfig1",
        primary: true,
        subnet: { id: subnetId(subnet) },
        privateIPAllocationMethod: "Static",
        privateIPAddress: privateIp,
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

vm("locked-vm", "restricted", "10.20.1.4");
// A neighbour in the same VNet: the default rules would let it in; restricted-nsg does not.
vm("other-vm", "workload", "10.20.2.4");

export const lockedVmSubnetId = subnetId("restricted");
