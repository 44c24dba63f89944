// hub-and-spoke-firewall: a landing-zone hub whose Azure Firewall decides what passes between the spokes.
//
//   hub-vnet    10.0.0.0/16   AzureFirewallSubnet 10.0.1.0/26   hub-fw (private IP 10.0.1.4, public IP fw-pip)
//   spoke1-vnet 10.1.0.0/16   spoke1-workload 10.1.1.0/24       spoke1-vm (dynamic IP)   route 0.0.0.0/0 -> 10.0.1.4
//   spoke2-vnet 10.2.0.0/16   spoke2-workload 10.2.1.0/24       web-vm 10.2.1.10         route 0.0.0.0/0 -> 10.0.1.4
//
// Firewall Policy hub-policy (parent: org-policy):
//   org-policy / org-baseline (group priority 100): network collection deny-rdp (Deny, 100): TCP 3389 anywhere
//   hub-policy / spoke-rules (group priority 200):
//     DNAT collection web-dnat (100): TCP fw-pip:8080 from anywhere -> 10.2.1.10:80
//     network collection spoke-to-spoke (Allow, 200): TCP 443 from IP group spokes to 10.1.0.0/16, 10.2.0.0/16
//     application collection updates (Allow, 300): HTTPS to the WindowsUpdate FQDN tag from the spokes
// Everything else is denied by the firewall's default deny.
//
// The firewall's private IP is an output of Azure (ipConfigurations[0].privateIPAddress); the spokes' routes use
// 10.0.1.4, the first assignable address of AzureFirewallSubnet, which Azure gives the first firewall there. The
// checker takes the same address when the plan does not hold it, and says so.
//
// Property names: pulumi-azure-native v3 (network.AzureFirewall, FirewallPolicy, FirewallPolicyRuleCollectionGroup,
// IpGroup; the SDK's types/input.d.ts NetworkRuleArgs, NatRuleArgs, ApplicationRuleArgs), which are those of the
// ARM REST API (Microsoft.Network azureFirewall.json / firewallPolicy.json).
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";

const config = new pulumi.Config();
const location = "westeurope";
const sshPublicKey = config.get("sshPublicKey") ?? "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExamplePlaceholderKeyForPreviewOnly";
const firewallIp = "10.0.1.4";
const webIp = "10.2.1.10";
// The firewall's public address. Azure allocates it (fwPip.ipAddress); the program states it (a documentation
// address, RFC 5737) so that the DNAT rule and the trace can name it in every plan file. With the address left to
// Azure the DNAT rule's destination is unknown at preview, and the checker then uses the fact that a DNAT rule must
// target a public IP of its firewall: with one public IP, that one.
const firewallPublicAddress = config.get("firewallPublicIp") ?? "203.0.113.10";

const rg = new resources.ResourceGroup("rg", { resourceGroupName: "hub-and-spoke-fw-rg", location });

// ---------------------------------------------------------------------------------------------------------------
// Route tables: every spoke sends everything to the firewall.
// ---------------------------------------------------------------------------------------------------------------
function spokeRoutes(name: string): network.RouteTable {
  return new network.RouteTable(name, {
    resourceGroupName: rg.name,
    routeTableName: name,
    location,
    routes: [{ name: "default-via-firewall", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: firewallIp }],
  });
}

const spoke1Routes = spokeRoutes("spoke1-rt");
const spoke2Routes = spokeRoutes("spoke2-rt");

// ---------------------------------------------------------------------------------------------------------------
// NSGs. The spokes keep Azure's defaults (AllowVnetInBound covers the peered hub and, with the 0.0.0.0/0 route,
// everything routed); the web VM's NIC lets HTTP in from AzureFirewallSubnet, the source of DNAT'd traffic (the
// firewall translates the source to its own address).
// ---------------------------------------------------------------------------------------------------------------
const spoke1Nsg = new network.NetworkSecurityGroup("spoke1-nsg", { resourceGroupName: rg.name, networkSecurityGroupName: "spoke1-nsg", location });
const spoke2Nsg = new network.NetworkSecurityGroup("spoke2-nsg", { resourceGroupName: rg.name, networkSecurityGroupName: "spoke2-nsg", location });
const webNsg = new network.NetworkSecurityGroup("web-nsg", {
  resourceGroupName: rg.name,
  networkSecurityGroupName: "web-nsg",
  location,
  securityRules: [
    {
      name: "Allow-HTTP-From-Firewall",
      priority: 100,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: "10.0.1.0/26",
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      destinationPortRange: "80",
    },
  ],
});

// ---------------------------------------------------------------------------------------------------------------
// VNets. AzureFirewallSubnet takes no NSG and no route table here.
// ---------------------------------------------------------------------------------------------------------------
const hub = new network.VirtualNetwork("hub", {
  resourceGroupName: rg.name,
  virtualNetworkName: "hub-vnet",
  location,
  addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
  subnets: [{ name: "AzureFirewallSubnet", addressPrefix: "10.0.1.0/26" }],
});

function spoke(name: string, prefix: string, workloadPrefix: string, nsg: network.NetworkSecurityGroup, routes: network.RouteTable): network.VirtualNetwork {
  return new network.VirtualNetwork(name, {
    resourceGroupName: rg.name,
    virtualNetworkName: `${name}-vnet`,
    location,
    addressSpace: { addressPrefixes: [prefix] },
    subnets: [{ name: `${name}-workload`, addressPrefix: workloadPrefix, networkSecurityGroup: { id: nsg.id }, routeTable: { id: routes.id } }],
  });
}

const spoke1 = spoke("spoke1", "10.1.0.0/16", "10.1.1.0/24", spoke1Nsg, spoke1Routes);
const spoke2 = spoke("spoke2", "10.2.0.0/16", "10.2.1.0/24", spoke2Nsg, spoke2Routes);

const subnetId = (vnet: network.VirtualNetwork, name: string): pulumi.Output<string> => pulumi.interpolate`${vnet.id}/subnets/${name}`;

// Peerings both ways; the spokes accept forwarded traffic (it comes from the firewall, with a spoke source).
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
// Firewall Policy: a parent (org-policy) whose groups are processed first, and the hub's policy.
// ---------------------------------------------------------------------------------------------------------------
const orgPolicy = new network.FirewallPolicy("org-policy", {
  resourceGroupName: rg.name,
  firewallPolicyName: "org-policy",
  location,
  sku: { tier: "Standard" },
  threatIntelMode: "Alert",
});

new network.FirewallPolicyRuleCollectionGroup("org-baseline", {
  resourceGroupName: rg.name,
  firewallPolicyName: orgPolicy.name,
  ruleCollectionGroupName: "org-baseline",
  priority: 100,
  ruleCollections: [
    {
      ruleCollectionType: "FirewallPolicyFilterRuleCollection",
      name: "deny-rdp",
      priority: 100,
      action: { type: "Deny" },
      rules: [{ ruleType: "NetworkRule", name: "no-rdp", ipProtocols: ["TCP"], sourceAddresses: ["*"], destinationAddresses: ["*"], destinationPorts: ["3389"] }],
    },
  ],
});

const hubPolicy = new network.FirewallPolicy("hub-policy", {
  resourceGroupName: rg.name,
  firewallPolicyName: "hub-policy",
  location,
  sku: { tier: "Standard" },
  basePolicy: { id: orgPolicy.id },
  threatIntelMode: "Alert",
});

const spokes = new network.IpGroup("spokes", {
  resourceGroupName: rg.name,
  ipGroupsName: "spokes",
  location,
  ipAddresses: ["10.1.0.0/16", "10.2.0.0/16"],
});

const fwPip = new network.PublicIPAddress("fw-pip", {
  resourceGroupName: rg.name,
  publicIpAddressName: "fw-pip",
  location,
  sku: { name: "Standard" },
  publicIPAllocationMethod: "Static",
  ipAddress: firewallPublicAddress,
});

new network.FirewallPolicyRuleCollectionGroup("spoke-rules", {
  resourceGroupName: rg.name,
  firewallPolicyName: hubPolicy.name,
  ruleCollectionGroupName: "spoke-rules",
  priority: 200,
  ruleCollections: [
    {
      ruleCollectionType: "FirewallPolicyNatRuleCollection",
      name: "web-dnat",
      priority: 100,
      action: { type: "DNAT" },
      rules: [
        {
          ruleType: "NatRule",
          name: "web-http",
          ipProtocols: ["TCP"],
          sourceAddresses: ["*"],
          destinationAddresses: [firewallPublicAddress],
          destinationPorts: ["8080"],
          translatedAddress: webIp,
          translatedPort: "80",
        },
      ],
    },
    {
      ruleCollectionType: "FirewallPolicyFilterRuleCollection",
      name: "spoke-to-spoke",
      priority: 200,
      action: { type: "Allow" },
      rules: [
        {
          ruleType: "NetworkRule",
          name: "https",
          ipProtocols: ["TCP"],
          sourceIpGroups: [spokes.id],
          destinationAddresses: ["10.1.0.0/16", "10.2.0.0/16"],
          destinationPorts: ["443"],
        },
      ],
    },
    {
      ruleCollectionType: "FirewallPolicyFilterRuleCollection",
      name: "updates",
      priority: 300,
      action: { type: "Allow" },
      rules: [{ ruleType: "ApplicationRule", name: "windows-update", sourceAddresses: ["10.1.0.0/16", "10.2.0.0/16"], protocols: [{ protocolType: "Https", port: 443 }], fqdnTags: ["WindowsUpdate"] }],
    },
  ],
});

new network.AzureFirewall("hub-fw", {
  resourceGroupName: rg.name,
  azureFirewallName: "hub-fw",
  location,
  sku: { name: "AZFW_VNet", tier: "Standard" },
  firewallPolicy: { id: hubPolicy.id },
  ipConfigurations: [{ name: "fw-ipconfig", subnet: { id: subnetId(hub, "AzureFirewallSubnet") }, publicIPAddress: { id: fwPip.id } }],
});

// ---------------------------------------------------------------------------------------------------------------
// VMs: spoke1-vm (dynamic address) and the web server in spoke2.
// ---------------------------------------------------------------------------------------------------------------
function vm(name: string, subnet: pulumi.Input<string>, privateIp?: string, nsg?: network.NetworkSecurityGroup): compute.VirtualMachine {
  const nic = new network.NetworkInterface(`${name}-nic`, {
    resourceGroupName: rg.name,
    networkInterfaceName: `${name}-nic`,
    location,
    ...(nsg ? { networkSecurityGroup: { id: nsg.id } } : {}),
    ipConfigurations: [
      { name: "ipconfig1", primary: true, subnet: { id: subnet }, privateIPAllocationMethod: privateIp ? "Static" : "Dynamic", privateIPAddress: privateIp },
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

vm("spoke1-vm", subnetId(spoke1, "spoke1-workload"));
vm("web-vm", subnetId(spoke2, "spoke2-workload"), webIp, webNsg);

export const firewallPublicIp = fwPip.ipAddress;
