// avnm-baseline: Azure Virtual Network Manager security admin rules over an NSG that says otherwise.
//
//   spoke-vnet 10.1.0.0/16 (westeurope), member of the network group "spokes"
//   └─ app 10.1.1.0/24  app-nsg: allows TCP 22, 3389 and 443 from the Internet
//      └─ app1 10.1.1.4 (public IP)
//
// The network manager's security admin configuration "baseline" has one rule collection, "deny-mgmt", applied to
// "spokes", with one rule: deny TCP 22 and 3389 from the Internet (priority 100). Security admin rules are evaluated
// before NSGs, and a Deny stops the traffic whatever the NSGs say
// (https://learn.microsoft.com/azure/virtual-network-manager/concept-security-admins). The configuration takes
// effect only where it is committed: the Commit deploys it to westeurope
// (https://learn.microsoft.com/azure/virtual-network-manager/concept-deployments).
//
// Resource shapes: @pulumi/azure-native network NetworkManager, NetworkGroup, StaticMember,
// SecurityAdminConfiguration, AdminRuleCollection, AdminRule, Commit (pulumi/pulumi-azure-native-sdk
// network/adminRule.go and siblings).
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";

const config = new pulumi.Config();
const location = "westeurope";
const subscriptionId = config.get("subscriptionId") ?? "00000000-0000-0000-0000-000000000000";
const sshPublicKey = config.get("sshPublicKey") ?? "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExamplePlaceholderKeyForPreviewOnly";

const rg = new resources.ResourceGroup("rg", { resourceGroupName: "avnm-baseline-rg", location });

// ---------------------------------------------------------------------------------------------------------------
// The application team's network: its NSG opens management ports to the Internet (the mistake the baseline stops).
// ---------------------------------------------------------------------------------------------------------------
const appNsg = new network.NetworkSecurityGroup("app-nsg", {
  resourceGroupName: rg.name,
  networkSecurityGroupName: "app-nsg",
  location,
  securityRules: [
    {
      name: "Allow-Mgmt-From-Internet",
      priority: 100,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: "Internet",
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      destinationPortRanges: ["22", "3389"],
    },
    {
      name: "Allow-HTTPS-From-Internet",
      priority: 110,
      direction: "Inbound",
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: "Internet",
      sourcePortRange: "*",
      destinationAddressPrefix: "*",
      destinationPortRange: "443",
    },
  ],
});

const vnet = new network.VirtualNetwork("spoke-vnet", {
  resourceGroupName: rg.name,
  virtualNetworkName: "spoke-vnet",
  location,
  addressSpace: { addressPrefixes: ["10.1.0.0/16"] },
  subnets: [{ name: "app", addressPrefix: "10.1.1.0/24", networkSecurityGroup: { id: appNsg.id } }],
});

const pip = new network.PublicIPAddress("app1-pip", {
  resourceGroupName: rg.name,
  publicIpAddressName: "app1-pip",
  location,
  sku: { name: "Standard" },
  publicIPAllocationMethod: "Static",
});

const nic = new network.NetworkInterface("app1-nic", {
  resourceGroupName: rg.name,
  networkInterfaceName: "app1-nic",
  location,
  ipConfigurations: [
    {
      name: "ipconfig1",
      primary: true,
      subnet: { id: vnet.subnets.apply((s) => s?.[0]?.id ?? "") },
      privateIPAllocationMethod: "Static",
      privateIPAddress: "10.1.1.4",
      publicIPAddress: { id: pip.id },
    },
  ],
});

new compute.VirtualMachine("app1", {
  resourceGroupName: rg.name,
  vmName: "app1",
  location,
  hardwareProfile: { vmSize: "Standard_B1s" },
  storageProfile: {
    imageReference: { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" },
    osDisk: { createOption: "FromImage", managedDisk: { storageAccountType: "Standard_LRS" } },
  },
  osProfile: {
    computerName: "app1",
    adminUsername: "azureuser",
    linuxConfiguration: {
      disablePasswordAuthentication: true,
      ssh: { publicKeys: [{ path: "/home/azureuser/.ssh/authorized_keys", keyData: sshPublicKey }] },
    },
  },
  networkProfile: { networkInterfaces: [{ id: nic.id, primary: true }] },
});

// ---------------------------------------------------------------------------------------------------------------
// The central network team's baseline: Virtual Network Manager.
// ---------------------------------------------------------------------------------------------------------------
const manager = new network.NetworkManager("avnm", {
  resourceGroupName: rg.name,
  networkManagerName: "avnm-baseline",
  location,
  networkManagerScopes: { subscriptions: [`/subscriptions/${subscriptionId}`] },
  networkManagerScopeAccesses: ["SecurityAdmin"],
});

// Static membership: the VNet is named by its resource id. (Dynamic membership through Azure Policy is not in the
// plan; the checker does not see it: docs/avnm.md.)
const spokes = new network.NetworkGroup("spokes", {
  resourceGroupName: rg.name,
  networkManagerName: manager.name,
  networkGroupName: "spokes",
  memberType: "VirtualNetwork",
});

new network.StaticMember("spoke-vnet-member", {
  resourceGroupName: rg.name,
  networkManagerName: manager.name,
  networkGroupName: spokes.name,
  staticMemberName: "spoke-vnet",
  resourceId: vnet.id,
});

const baseline = new network.SecurityAdminConfiguration("baseline", {
  resourceGroupName: rg.name,
  networkManagerName: manager.name,
  configurationName: "baseline",
  description: "Organisation-wide guardrails",
});

const denyMgmt = new network.AdminRuleCollection("deny-mgmt", {
  resourceGroupName: rg.name,
  networkManagerName: manager.name,
  configurationName: baseline.name,
  ruleCollectionName: "deny-mgmt",
  appliesToGroups: [{ networkGroupId: spokes.id }],
});

new network.AdminRule("deny-ssh-rdp-from-internet", {
  resourceGroupName: rg.name,
  networkManagerName: manager.name,
  configurationName: baseline.name,
  ruleCollectionName: denyMgmt.name,
  ruleName: "deny-ssh-rdp-from-internet",
  kind: "Custom",
  priority: 100,
  direction: "Inbound",
  access: "Deny",
  protocol: "Tcp",
  sources: [{ addressPrefix: "Internet", addressPrefixType: "ServiceTag" }],
  destinations: [{ addressPrefix: "*", addressPrefixType: "IPPrefix" }],
  sourcePortRanges: ["0-65535"],
  destinationPortRanges: ["22", "3389"],
});

// Rules take effect only in the regions a SecurityAdmin commit deploys the configuration to.
new network.Commit("commit-baseline", {
  resourceGroupName: rg.name,
  networkManagerName: manager.name,
  properties: {
    commitType: "SecurityAdmin",
    configurationIds: [baseline.id],
    targetLocations: [location],
  },
});

export const vnetId = vnet.id;
