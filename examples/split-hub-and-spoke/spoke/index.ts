// split-hub-and-spoke, the spoke stack (project split-spoke): an application's VNet whose traffic to the Internet
// goes through the hub's network virtual appliance. The hub is another stack (../hub), read by a StackReference:
// its VNet's id (for this side of the peering) and the appliance's address (for the route).
//
//   spoke-vnet 10.1.0.0/16   workload 10.1.1.0/24   app-vm (dynamic IP)   route 0.0.0.0/0 -> the hub's NVA
//   peering spoke-to-hub -> the hub's VNet
//
// Checked alone, this plan cannot say where 0.0.0.0/0 leads (no NIC of the plan holds the appliance's address) nor
// whether the peering connects (the hub's VNet is not in the plan): paths through the hub are undecided. With the
// hub's stack export (`--with-stack ../hub/stack-export.json`) they are decided.
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";

const config = new pulumi.Config();
const sshPublicKey = config.get("sshPublicKey") ?? "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExamplePlaceholderKeyForPreviewOnly";
const location = "westeurope";

// "<organization>/<project>/<stack>": the hub stack of the same name as this one.
const hubStack = new pulumi.StackReference("hub", { name: `${pulumi.getOrganization()}/split-hub/${pulumi.getStack()}` });
const hubVnetId = hubStack.getOutput("hubVnetId") as pulumi.Output<string>;
const nvaIp = hubStack.getOutput("nvaIpAddress") as pulumi.Output<string>;

const rg = new resources.ResourceGroup("rg", { resourceGroupName: "split-spoke-rg", location });

const routes = new network.RouteTable("spoke-rt", {
  resourceGroupName: rg.name,
  routeTableName: "spoke-rt",
  location,
  routes: [{ name: "default-via-hub-nva", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: nvaIp }],
});

const nsg = new network.NetworkSecurityGroup("spoke-nsg", {
  resourceGroupName: rg.name,
  networkSecurityGroupName: "spoke-nsg",
  location,
  securityRules: [
    {
      name: "Deny-Management-Inbound",
      priority: 4000,
      direction: "Inbound",
      access: "Deny",
      protocol: "Tcp",
      sourceAddressPrefix: "*",
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      destinationPortRanges: ["22", "3389"],
    },
  ],
});

const spoke = new network.VirtualNetwork("spoke", {
  resourceGroupName: rg.name,
  virtualNetworkName: "spoke-vnet",
  location,
  addressSpace: { addressPrefixes: ["10.1.0.0/16"] },
  subnets: [{ name: "workload", addressPrefix: "10.1.1.0/24", networkSecurityGroup: { id: nsg.id }, routeTable: { id: routes.id } }],
});

// This side of the peering; the hub stack declares the other.
new network.VirtualNetworkPeering("spoke-to-hub", {
  resourceGroupName: rg.name,
  virtualNetworkName: spoke.name,
  virtualNetworkPeeringName: "spoke-to-hub",
  remoteVirtualNetwork: { id: hubVnetId },
  allowVirtualNetworkAccess: true,
  allowForwardedTraffic: true,
  allowGatewayTransit: false,
  useRemoteGateways: false,
});

const nic = new network.NetworkInterface("app-nic", {
  resourceGroupName: rg.name,
  networkInterfaceName: "app-nic",
  location,
  ipConfigurations: [{ name: "ipconfig1", primary: true, subnet: { id: pulumi.interpolate`${spoke.id}/subnets/workload` }, privateIPAllocationMethod: "Dynamic" }],
});

new compute.VirtualMachine("app-vm", {
  resourceGroupName: rg.name,
  vmName: "app-vm",
  location,
  hardwareProfile: { vmSize: "Standard_B2s" },
  storageProfile: {
    imageReference: { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" },
    osDisk: { createOption: "FromImage", managedDisk: { storageAccountType: "Standard_LRS" } },
  },
  osProfile: {
    computerName: "app-vm",
    adminUsername: "azureuser",
    linuxConfiguration: {
      disablePasswordAuthentication: true,
      ssh: { publicKeys: [{ path: "/home/azureuser/.ssh/authorized_keys", keyData: sshPublicKey }] },
    },
  },
  networkProfile: { networkInterfaces: [{ id: nic.id, primary: true }] },
});

export const spokeVnetId = spoke.id;
