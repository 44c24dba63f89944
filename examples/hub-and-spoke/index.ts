// hub-and-spoke: two spokes that talk to each other only through a network virtual appliance (NVA) in the hub.
//
//   hub-vnet 10.0.0.0/16      nva 10.0.1.0/24           nva-vm 10.0.1.4 (IP forwarding on)
//                             hub-workload 10.0.2.0/24  hub-vm 10.0.2.4
//   spoke1-vnet 10.1.0.0/16   spoke1-workload 10.1.1.0/24  spoke1-vm (dynamic IP)   route 0.0.0.0/0 -> 10.0.1.4
//   spoke2-vnet 10.2.0.0/16   spoke2-workload 10.2.1.0/24  spoke2-vm (dynamic IP)   route 0.0.0.0/0 -> 10.0.1.4
//
// Peering is not transitive: hub<->spoke1 and hub<->spoke2 give no path spoke1 -> spoke2 by themselves. The path
// exists because (1) each spoke's route table sends everything to the NVA, (2) the NVA's NIC has IP forwarding, and
// (3) every peering allows forwarded traffic. Remove any one of the three and spoke-to-spoke traffic stops.
//
// Subnets are declared inline in their VNets here (nsg-basics uses standalone Subnet resources instead).
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";

const config = new pulumi.Config();
const location = "westeurope";
const sshPublicKey = config.get("sshPublicKey") ?? "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExamplePlaceholderKeyForPreviewOnly";
const nvaIp = "10.0.1.4";

const rg = new resources.ResourceGroup("rg", { resourceGroupName: "hub-and-spoke-rg", location });

// ---------------------------------------------------------------------------------------------------------------
// Route tables: every spoke sends all traffic to the NVA. spoke1's route is inline, spoke2's is a standalone Route.
// ---------------------------------------------------------------------------------------------------------------
const spoke1Routes = new network.RouteTable("spoke1-rt", {
  resourceGroupName: rg.name,
  routeTableName: "spoke1-rt",
  location,
  routes: [{ name: "default-via-nva", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: nvaIp }],
});

const spoke2Routes = new network.RouteTable("spoke2-rt", {
  resourceGroupName: rg.name,
  routeTableName: "spoke2-rt",
  location,
});

new network.Route("spoke2-default-via-nva", {
  resourceGroupName: rg.name,
  routeTableName: spoke2Routes.name,
  routeName: "default-via-nva",
  addressPrefix: "0.0.0.0/0",
  nextHopType: "VirtualAppliance",
  nextHopIpAddress: nvaIp,
});

// ---------------------------------------------------------------------------------------------------------------
// NSGs. Spokes allow HTTPS to and from the other spoke explicitly (outbound too: without a UDR quirk the other
// spoke is not "VirtualNetwork" for them), and refuse SSH/RDP from anywhere.
// ---------------------------------------------------------------------------------------------------------------
function spokeNsg(name: string, otherSpoke: string): network.NetworkSecurityGroup {
  return new network.NetworkSecurityGroup(name, {
    resourceGroupName: rg.name,
    networkSecurityGroupName: name,
    location,
    securityRules: [
      {
        name: "Allow-HTTPS-From-Other-Spoke",
        priority: 100,
        direction: "Inbound",
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefix: otherSpoke,
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: "443",
      },
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
      {
        name: "Allow-HTTPS-To-Other-Spoke",
        priority: 100,
        direction: "Outbound",
        access: "Allow",
        protocol: "Tcp",
        sourceAddressPrefix: "*",
        sourcePortRange: "*",
        destinationAddressPrefix: otherSpoke,
        destinationPortRange: "443",
      },
    ],
  });
}

const spoke1Nsg = spokeNsg("spoke1-nsg", "10.2.0.0/16");
const spoke2Nsg = spokeNsg("spoke2-nsg", "10.1.0.0/16");

const hubNsg = new network.NetworkSecurityGroup("hub-nsg", {
  resourceGroupName: rg.name,
  networkSecurityGroupName: "hub-nsg",
  location,
  securityRules: [
    {
      name: "Deny-Management-From-Internet",
      priority: 4000,
      direction: "Inbound",
      access: "Deny",
      protocol: "Tcp",
      sourceAddressPrefix: "Internet",
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      destinationPortRanges: ["22", "3389"],
    },
  ],
});

// ---------------------------------------------------------------------------------------------------------------
// VNets with inline subnets. The NVA subnet has no NSG: forwarded spoke-to-spoke packets cross it.
// ---------------------------------------------------------------------------------------------------------------
const hub = new network.VirtualNetwork("hub", {
  resourceGroupName: rg.name,
  virtualNetworkName: "hub-vnet",
  location,
  addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
  subnets: [
    { name: "nva", addressPrefix: "10.0.1.0/24" },
    { name: "hub-workload", addressPrefix: "10.0.2.0/24", networkSecurityGroup: { id: hubNsg.id } },
  ],
});

function spoke(name: string, prefix: string, workloadPrefix: string, nsg: network.NetworkSecurityGroup, routes: network.RouteTable): network.VirtualNetwork {
  return new network.VirtualNetwork(name, {
    resourceGroupName: rg.name,
    virtualNetworkName: `${name}-vnet`,
    location,
    addressSpace: { addressPrefixes: [prefix] },
    subnets: [
      {
        name: `${name}-workload`,
        addressPrefix: workloadPrefix,
        networkSecurityGroup: { id: nsg.id },
        routeTable: { id: routes.id },
      },
    ],
  });
}

const spoke1 = spoke("spoke1", "10.1.0.0/16", "10.1.1.0/24", spoke1Nsg, spoke1Routes);
const spoke2 = spoke("spoke2", "10.2.0.0/16", "10.2.1.0/24", spoke2Nsg, spoke2Routes);

/** The id of an inline subnet: Azure builds it from the VNet's id. */
const subnetId = (vnet: network.VirtualNetwork, name: string): pulumi.Output<string> => pulumi.interpolate`${vnet.id}/subnets/${name}`;

// ---------------------------------------------------------------------------------------------------------------
// Peerings, both directions, forwarded traffic allowed (the NVA forwards spoke traffic, so it arrives "forwarded").
// ---------------------------------------------------------------------------------------------------------------
function peer(name: string, from: network.VirtualNetwork, to: network.VirtualNetwork): network.VirtualNetworkPeering {
  return new network.VirtualNetworkPeering(name, {
    resourceGroupName: rg.name,
    virtualNetworkName: from.name,
    virtualNetworkPeeringName: name,
    remoteVirtualNetwork: { id: to.id },
    allowVirtualNetworkAccess: true,
    allowForwardedTraffic: true,
    allowGatewayTransit: false,
    useRemoteGateways: false,
  });
}

peer("hub-to-spoke1", hub, spoke1);
peer("spoke1-to-hub", spoke1, hub);
peer("hub-to-spoke2", hub, spoke2);
peer("spoke2-to-hub", spoke2, hub);

// ---------------------------------------------------------------------------------------------------------------
// VMs. The spoke VMs take a dynamic private IP: at plan time each stands for "some address in its subnet".
// ---------------------------------------------------------------------------------------------------------------
interface VmSpec {
  readonly subnetId: pulumi.Input<string>;
  /** Static address; absent = dynamic. */
  readonly privateIp?: string;
  readonly ipForwarding?: boolean;
}

function vm(name: string, spec: VmSpec): compute.VirtualMachine {
  const nic = new network.NetworkInterface(`${name}-nic`, {
    resourceGroupName: rg.name,
    networkInterfaceName: `${name}-nic`,
    location,
    enableIPForwarding: spec.ipForwarding ?? false,
    ipConfigurations: [
      {
        name: "ipconfig1",
        primary: true,
        subnet: { id: spec.subnetId },
        privateIPAllocationMethod: spec.privateIp ? "Static" : "Dynamic",
        privateIPAddress: spec.privateIp,
      },
    ],
  });
  return new compute.VirtualMachine(name, {
    resourceGroupName: rg.name,
    vmName: name,
    location,
    hardwareProfile: { vmSize: "Standard_B2s" },
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

// The appliance: a Linux router (its OS must forward too, which no plan can show; the NIC flag is what Azure checks).
vm("nva-vm", { subnetId: subnetId(hub, "nva"), privateIp: nvaIp, ipForwarding: true });
vm("hub-vm", { subnetId: subnetId(hub, "hub-workload"), privateIp: "10.0.2.4" });
vm("spoke1-vm", { subnetId: subnetId(spoke1, "spoke1-workload") });
vm("spoke2-vm", { subnetId: subnetId(spoke2, "spoke2-workload") });

export const hubVnetId = hub.id;
