// three-tier: web, app and database tiers separated by NSGs written with application security groups (ASGs), and
// an Azure Bastion for administration.
//
//   app-vnet 10.10.0.0/16
//   ├─ AzureBastionSubnet 10.10.0.0/26   bastion (Azure Bastion host)
//   ├─ web 10.10.1.0/24   web-nsg   web-vm-1 10.10.1.4, web-vm-2 10.10.1.5 (asg-web, public IPs)
//   ├─ app 10.10.2.0/24   app-nsg   app-vm-1 10.10.2.4 (asg-app)
//   └─ db  10.10.3.0/24   db-nsg    db-vm-1  10.10.3.4 (asg-db)
//
// Intended flows: Internet -> web on 443, web -> app on 8080, app -> db on 1433, bastion -> every tier on 22.
//
// DELIBERATE MISTAKE (so the check has something to find): db-nsg's "Deny-VNet-Inbound" has priority 300, which is
// evaluated before "Allow-SQL-From-App" at 400. The deny matches app -> db too, so the app tier cannot reach the
// database. The intent "app-reaches-db" fails and names Deny-VNet-Inbound. The fix: give the deny a larger number
// than the allows (e.g. 4000), as app-nsg does.
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import type { input } from "@pulumi/azure-native/types";

const config = new pulumi.Config();
const location = "westeurope";
const sshPublicKey = config.get("sshPublicKey") ?? "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExamplePlaceholderKeyForPreviewOnly";
const bastionPrefix = "10.10.0.0/26";

const rg = new resources.ResourceGroup("rg", { resourceGroupName: "three-tier-rg", location });

// ---------------------------------------------------------------------------------------------------------------
// Application security groups: rules name roles, not addresses.
// ---------------------------------------------------------------------------------------------------------------
const asg = (name: string): network.ApplicationSecurityGroup =>
  new network.ApplicationSecurityGroup(name, { resourceGroupName: rg.name, applicationSecurityGroupName: name, location });

const asgWeb = asg("asg-web");
const asgApp = asg("asg-app");
const asgDb = asg("asg-db");

// ---------------------------------------------------------------------------------------------------------------
// NSGs, one per tier, inline rules. Shorthand for the fields every rule repeats.
// ---------------------------------------------------------------------------------------------------------------
type RuleArgs = input.network.SecurityRuleArgs;
const inbound = (rule: Omit<RuleArgs, "direction" | "sourcePortRange">): RuleArgs => ({ ...rule, direction: "Inbound", sourcePortRange: "*" });

const sshFromBastion = inbound({
  name: "Allow-SSH-From-Bastion",
  priority: 200,
  access: "Allow",
  protocol: "Tcp",
  sourceAddressPrefix: bastionPrefix,
  destinationAddressPrefix: "*",
  destinationPortRange: "22",
});

const webNsg = new network.NetworkSecurityGroup("web-nsg", {
  resourceGroupName: rg.name,
  networkSecurityGroupName: "web-nsg",
  location,
  securityRules: [
    inbound({
      name: "Allow-HTTPS-From-Internet",
      priority: 100,
      access: "Allow",
      protocol: "Tcp",
      sourceAddressPrefix: "Internet",
      destinationApplicationSecurityGroups: [{ id: asgWeb.id }],
      destinationPortRange: "443",
    }),
    sshFromBastion,
  ],
});

const appNsg = new network.NetworkSecurityGroup("app-nsg", {
  resourceGroupName: rg.name,
  networkSecurityGroupName: "app-nsg",
  location,
  securityRules: [
    inbound({
      name: "Allow-8080-From-Web",
      priority: 100,
      access: "Allow",
      protocol: "Tcp",
      sourceApplicationSecurityGroups: [{ id: asgWeb.id }],
      destinationApplicationSecurityGroups: [{ id: asgApp.id }],
      destinationPortRange: "8080",
    }),
    sshFromBastion,
    // Done right: the catch-all deny comes after (a larger number than) every allow.
    inbound({
      name: "Deny-VNet-Inbound",
      priority: 4000,
      access: "Deny",
      protocol: "*",
      sourceAddressPrefix: "VirtualNetwork",
      destinationAddressPrefix: "*",
      destinationPortRange: "*",
    }),
  ],
});

const dbNsg = new network.NetworkSecurityGroup("db-nsg", {
  resourceGroupName: rg.name,
  networkSecurityGroupName: "db-nsg",
  location,
  securityRules: [
    sshFromBastion,
    // BUG (deliberate, see the top of the file): 300 is evaluated before 400, so this deny shadows the SQL allow.
    inbound({
      name: "Deny-VNet-Inbound",
      priority: 300,
      access: "Deny",
      protocol: "*",
      sourceAddressPrefix: "VirtualNetwork",
      destinationAddressPrefix: "*",
      destinationPortRange: "*",
    }),
    inbound({
      name: "Allow-SQL-From-App",
      priority: 400,
      access: "Allow",
      protocol: "Tcp",
      sourceApplicationSecurityGroups: [{ id: asgApp.id }],
      destinationApplicationSecurityGroups: [{ id: asgDb.id }],
      destinationPortRange: "1433",
    }),
  ],
});

// ---------------------------------------------------------------------------------------------------------------
// Network: standalone subnets.
// ---------------------------------------------------------------------------------------------------------------
const vnet = new network.VirtualNetwork("app-vnet", {
  resourceGroupName: rg.name,
  virtualNetworkName: "app-vnet",
  location,
  addressSpace: { addressPrefixes: ["10.10.0.0/16"] },
});

const subnet = (name: string, addressPrefix: string, nsg?: network.NetworkSecurityGroup): network.Subnet =>
  new network.Subnet(name, {
    resourceGroupName: rg.name,
    virtualNetworkName: vnet.name,
    subnetName: name,
    addressPrefix,
    networkSecurityGroup: nsg ? { id: nsg.id } : undefined,
  });

// Azure Bastion requires this exact subnet name, a /26 or larger.
const bastionSubnet = subnet("AzureBastionSubnet", bastionPrefix);
const webSubnet = subnet("web", "10.10.1.0/24", webNsg);
const appSubnet = subnet("app", "10.10.2.0/24", appNsg);
const dbSubnet = subnet("db", "10.10.3.0/24", dbNsg);

const publicIp = (name: string): network.PublicIPAddress =>
  new network.PublicIPAddress(name, {
    resourceGroupName: rg.name,
    publicIpAddressName: name,
    location,
    sku: { name: "Standard" },
    publicIPAllocationMethod: "Static",
  });

new network.BastionHost("bastion", {
  resourceGroupName: rg.name,
  bastionHostName: "bastion",
  location,
  sku: { name: "Standard" },
  ipConfigurations: [
    { name: "bastion-ipconfig", subnet: { id: bastionSubnet.id }, publicIPAddress: { id: publicIp("bastion-pip").id } },
  ],
});

// ---------------------------------------------------------------------------------------------------------------
// VMs: each NIC joins its tier's ASG.
// ---------------------------------------------------------------------------------------------------------------
interface VmSpec {
  readonly subnet: network.Subnet;
  readonly privateIp: string;
  readonly asg: network.ApplicationSecurityGroup;
  readonly publicIp?: boolean;
}

function vm(name: string, spec: VmSpec): compute.VirtualMachine {
  const pip = spec.publicIp ? publicIp(`${name}-pip`) : undefined;
  const nic = new network.NetworkInterface(`${name}-nic`, {
    resourceGroupName: rg.name,
    networkInterfaceName: `${name}-nic`,
    location,
    ipConfigurations: [
      {
        name: "ipconfig1",
        primary: true,
        subnet: { id: spec.subnet.id },
        privateIPAllocationMethod: "Static",
        privateIPAddress: spec.privateIp,
        publicIPAddress: pip ? { id: pip.id } : undefined,
        applicationSecurityGroups: [{ id: spec.asg.id }],
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
    tags: { tier: spec.asg === asgWeb ? "web" : spec.asg === asgApp ? "app" : "db" },
  });
}

vm("web-vm-1", { subnet: webSubnet, privateIp: "10.10.1.4", asg: asgWeb, publicIp: true });
vm("web-vm-2", { subnet: webSubnet, privateIp: "10.10.1.5", asg: asgWeb, publicIp: true });
vm("app-vm-1", { subnet: appSubnet, privateIp: "10.10.2.4", asg: asgApp });
vm("db-vm-1", { subnet: dbSubnet, privateIp: "10.10.3.4", asg: asgDb });

export const vnetId = vnet.id;
