// split-hub-and-spoke, the hub stack (project split-hub): the platform team's network virtual appliance (NVA), the
// route table of its subnet, and the hub's side of the peering with the application's spoke.
//
//   hub-vnet 10.0.0.0/16   nva 10.0.1.0/24      nva-nic 10.0.1.4 (IP forwarding on), route table nva-rt
//                          shared 10.0.2.0/24
//   peering hub-to-spoke -> the spoke's VNet (its id from config: the spoke lives in another stack)
//
// The spoke stack (../spoke) reads this stack's outputs (hubVnetId, nvaIp, ...) through a StackReference.
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";

const config = new pulumi.Config();
const spokeVnetId = config.require("spokeVnetId");
const sshPublicKey = config.get("sshPublicKey") ?? "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExamplePlaceholderKeyForPreviewOnly";
const location = "westeurope";
const nvaIp = "10.0.1.4";

const rg = new resources.ResourceGroup("rg", { resourceGroupName: "split-hub-rg", location });

// What the appliance forwards leaves for the Internet from its own subnet (the system default route, made explicit
// so that a change to it shows in a review).
const nvaRoutes = new network.RouteTable("nva-rt", {
  resourceGroupName: rg.name,
  routeTableName: "nva-rt",
  location,
  routes: [{ name: "internet", addressPrefix: "0.0.0.0/0", nextHopType: "Internet" }],
});

// The appliance's own filter: web traffic from the spokes only; nothing else comes in (SSH included).
const nvaNsg = new network.NetworkSecurityGroup("nva-nsg", {
  resourceGroupName: rg.name,
  networkSecurityGroupName: "nva-nsg",
  location,
  securityRules: [
    {
      name: "Allow-Spoke-Web",
      priority: 100,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: "10.1.0.0/16",
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      destinationPortRanges: ["80", "443"],
    },
    {
      name: "Deny-All-Inbound",
      priority: 4000,
      direction: "Inbound",
      access: "Deny",
      protocol: "*",
      sourceAddressPrefix: "*",
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      destinationPortRange: "*",
    },
  ],
});

const hub = new network.VirtualNetwork("hub", {
  resourceGroupName: rg.name,
  virtualNetworkName: "hub-vnet",
  location,
  addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
  subnets: [
    { name: "nva", addressPrefix: "10.0.1.0/24", routeTable: { id: nvaRoutes.id } },
    { name: "shared", addressPrefix: "10.0.2.0/24" },
  ],
});

// The hub's side of the peering; the spoke stack declares the other side. Forwarded traffic is allowed: what the
// NVA forwards for the spoke arrives "forwarded".
new network.VirtualNetworkPeering("hub-to-spoke", {
  resourceGroupName: rg.name,
  virtualNetworkName: hub.name,
  virtualNetworkPeeringName: "hub-to-spoke",
  remoteVirtualNetwork: { id: spokeVnetId },
  allowVirtualNetworkAccess: true,
  allowForwardedTraffic: true,
  allowGatewayTransit: false,
  useRemoteGateways: false,
});

const nvaNic = new network.NetworkInterface("nva-nic", {
  resourceGroupName: rg.name,
  networkInterfaceName: "nva-nic",
  location,
  enableIPForwarding: true,
  networkSecurityGroup: { id: nvaNsg.id },
  ipConfigurations: [
    {
      name: "ipconfig1",
      primary: true,
      subnet: { id: pulumi.interpolate`${hub.id}/subnets/nva` },
      privateIPAllocationMethod: "Static",
      privateIPAddress: nvaIp,
    },
  ],
});

// The appliance: a Linux router (its OS must forward too, which no plan can show; the NIC flag is what Azure checks).
new compute.VirtualMachine("nva-vm", {
  resourceGroupName: rg.name,
  vmName: "nva-vm",
  location,
  hardwareProfile: { vmSize: "Standard_B2s" },
  storageProfile: {
    imageReference: { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" },
    osDisk: { createOption: "FromImage", managedDisk: { storageAccountType: "Standard_LRS" } },
  },
  osProfile: {
    computerName: "nva-vm",
    adminUsername: "azureuser",
    linuxConfiguration: {
      disablePasswordAuthentication: true,
      ssh: { publicKeys: [{ path: "/home/azureuser/.ssh/authorized_keys", keyData: sshPublicKey }] },
    },
  },
  networkProfile: { networkInterfaces: [{ id: nvaNic.id, primary: true }] },
});

// What the spokes read through their StackReference.
export const resourceGroupName = rg.name;
export const hubVnetId = hub.id;
export const hubVnetName = hub.name;
export const nvaIpAddress = nvaIp;
