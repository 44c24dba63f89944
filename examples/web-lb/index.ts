// web-lb: how traffic really enters (docs/ingress.md): public IP and load balancer SKUs, a load-balancing rule with
// port translation, an inbound NAT rule, and a private subnet.
//
//   web-vnet 10.30.0.0/16
//   ├─ web  10.30.1.0/24  web-nsg   web-1 10.30.1.4, web-2 10.30.1.5 (backend pool of web-lb; accelerated networking)
//   ├─ ops  10.30.2.0/24  no NSG    ops-vm 10.30.2.4 (a Standard public IP of its own)
//   └─ app  10.30.3.0/24  app-nsg   app-vm 10.30.3.4 (defaultOutboundAccess: false, no NAT gateway: private)
//
//   web-lb (Standard, public frontend "fe" = web-lb-pip):
//     rule http:    TCP 80 -> backend port 8080 on pool web-pool (probe http-probe, TCP 8080)
//     NAT ssh-web1: TCP 50001 -> web-1:22
//
// What the check should find:
// - the Internet reaches web-1 and web-2 on 8080 (the port the NICs see; clients use 80 on the frontend), and
//   nothing else through the LB: web-nsg allows 22 from the Internet too, but only web-1 has a NAT rule for it;
// - ops-vm's Standard public IP with no NSG on its NIC or subnet lets nothing in (secure by default);
// - app-vm has no way to the Internet (private subnet, no NAT gateway, no public IP, no LB outbound rule).
// Shapes: azure-native v3 (API 2024-05-01) LoadBalancer, PublicIPAddress, NetworkInterface, Subnet; the LB's rules
// refer to its own frontend, pool and probe by ARM id (azure-rest-api-specs 2024-05-01 loadBalancer.json).
import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";

const config = new pulumi.Config();
const location = "westeurope";
const sshPublicKey = config.get("sshPublicKey") ?? "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExamplePlaceholderKeyForPreviewOnly";

const rg = new resources.ResourceGroup("rg", { resourceGroupName: "web-lb-rg", location });

const rule = (name: string, priority: number, port: string, source = "Internet") => ({
  name,
  priority,
  direction: "Inbound",
  access: "Allow",
  protocol: "Tcp",
  sourceAddressPrefix: source,
  sourcePortRange: "*",
  destinationAddressPrefix: "*",
  destinationPortRange: port,
});

// The NSG sees the backend port (8080), not the frontend port (80); it also allows SSH, which only the NAT rule forwards.
const webNsg = new network.NetworkSecurityGroup("web-nsg", {
  resourceGroupName: rg.name,
  networkSecurityGroupName: "web-nsg",
  location,
  securityRules: [rule("Allow-HTTP-8080", 100, "8080"), rule("Allow-SSH", 110, "22")],
});
const appNsg = new network.NetworkSecurityGroup("app-nsg", {
  resourceGroupName: rg.name,
  networkSecurityGroupName: "app-nsg",
  location,
  securityRules: [rule("Allow-App-From-Web", 100, "8443", "10.30.1.0/24")],
});

const vnet = new network.VirtualNetwork("web-vnet", {
  resourceGroupName: rg.name,
  virtualNetworkName: "web-vnet",
  location,
  addressSpace: { addressPrefixes: ["10.30.0.0/16"] },
});

// Standalone subnets: each names its own NSG, so even a first preview (ids unknown) knows which NSG is where.
const subnet = (name: string, addressPrefix: string, nsg?: network.NetworkSecurityGroup, privateSubnet = false): network.Subnet =>
  new network.Subnet(name, {
    resourceGroupName: rg.name,
    virtualNetworkName: vnet.name,
    subnetName: name,
    addressPrefix,
    networkSecurityGroup: nsg ? { id: nsg.id } : undefined,
    // false: a private subnet, no default outbound access (learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access).
    ...(privateSubnet ? { defaultOutboundAccess: false } : {}),
  });
const subnets: Record<string, network.Subnet> = {
  web: subnet("web", "10.30.1.0/24", webNsg),
  ops: subnet("ops", "10.30.2.0/24"),
  app: subnet("app", "10.30.3.0/24", appNsg, true),
};

const publicIp = (name: string): network.PublicIPAddress =>
  new network.PublicIPAddress(name, {
    resourceGroupName: rg.name,
    publicIpAddressName: name,
    location,
    sku: { name: "Standard" },
    publicIPAllocationMethod: "Static",
  });

// The LB's rules name its own children by id: the id is built from the resource group's id and the LB's name.
const lbName = "web-lb";
const lbChild = (kind: string, name: string): pulumi.Output<string> =>
  pulumi.interpolate`${rg.id}/providers/Microsoft.Network/loadBalancers/${lbName}/${kind}/${name}`;

const lb = new network.LoadBalancer("web-lb", {
  resourceGroupName: rg.name,
  loadBalancerName: lbName,
  location,
  sku: { name: "Standard" },
  frontendIPConfigurations: [{ name: "fe", publicIPAddress: { id: publicIp("web-lb-pip").id } }],
  backendAddressPools: [{ name: "web-pool" }],
  probes: [{ name: "http-probe", protocol: "Tcp", port: 8080, intervalInSeconds: 5, numberOfProbes: 2 }],
  loadBalancingRules: [
    {
      name: "http",
      protocol: "Tcp",
      frontendPort: 80,
      backendPort: 8080,
      enableFloatingIP: false,
      frontendIPConfiguration: { id: lbChild("frontendIPConfigurations", "fe") },
      backendAddressPool: { id: lbChild("backendAddressPools", "web-pool") },
      probe: { id: lbChild("probes", "http-probe") },
    },
  ],
  inboundNatRules: [
    { name: "ssh-web1", protocol: "Tcp", frontendPort: 50001, backendPort: 22, frontendIPConfiguration: { id: lbChild("frontendIPConfigurations", "fe") } },
  ],
});

interface VmSpec {
  readonly subnet: string;
  readonly privateIp: string;
  readonly inPool?: boolean;
  readonly natRule?: string;
  readonly publicIp?: boolean;
  readonly accelerated?: boolean;
}

function vm(name: string, spec: VmSpec): compute.VirtualMachine {
  const pip = spec.publicIp ? publicIp(`${name}-pip`) : undefined;
  const nic = new network.NetworkInterface(`${name}-nic`, {
    resourceGroupName: rg.name,
    networkInterfaceName: `${name}-nic`,
    location,
    enableAcceleratedNetworking: spec.accelerated ?? false,
    ipConfigurations: [
      {
        name: "ipconfig1",
        primary: true,
        subnet: { id: subnets[spec.subnet].id },
        privateIPAllocationMethod: "Static",
        privateIPAddress: spec.privateIp,
        publicIPAddress: pip ? { id: pip.id } : undefined,
        loadBalancerBackendAddressPools: spec.inPool ? [{ id: pulumi.interpolate`${lb.id}/backendAddressPools/web-pool` }] : undefined,
        loadBalancerInboundNatRules: spec.natRule ? [{ id: pulumi.interpolate`${lb.id}/inboundNatRules/${spec.natRule}` }] : undefined,
      },
    ],
  });
  return new compute.VirtualMachine(name, {
    resourceGroupName: rg.name,
    vmName: name,
    location,
    hardwareProfile: { vmSize: "Standard_D2s_v5" },
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

vm("web-1", { subnet: "web", privateIp: "10.30.1.4", inPool: true, natRule: "ssh-web1", accelerated: true });
vm("web-2", { subnet: "web", privateIp: "10.30.1.5", inPool: true, accelerated: true });
vm("ops-vm", { subnet: "ops", privateIp: "10.30.2.4", publicIp: true });
vm("app-vm", { subnet: "app", privateIp: "10.30.3.4" });
