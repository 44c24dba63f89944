/**
 * AR-031 bastion-subnet-nsg: an NSG on AzureBastionSubnet that does not allow every flow Azure Bastion requires.
 * Microsoft's table (learn.microsoft.com/azure/bastion/bastion-nsg, MicrosoftDocs/azure-docs
 * articles/bastion/bastion-nsg.md): "If you apply an NSG to your Azure Bastion resource, you must create all of the
 * following ingress and egress traffic rules"; ARM refuses a Bastion deployment into a subnet whose NSG lacks them.
 * The requirement is read by what the NSG lets through (default rules included), exactly: required-rules.ts.
 */
import { makeFinding, subnetLabel, nameOf } from "./helpers";
import { requirementReport, subnetNsg, subnetsNamed } from "./platform-subnets";
import type { RequiredFlow } from "./required-rules";
import type { Check, CheckContext, Finding } from "./types";

/** bastion-nsg.md, "The following table summarizes all required NSG rules". */
const BASTION_REQUIRED: readonly RequiredFlow[] = [
  // "the source can be either the Internet or a set of public IP addresses that you specify": some of it suffices.
  { name: "AllowHttpsInbound", direction: "Inbound", protocol: "Tcp", ports: "443", remote: "Internet", mode: "some" },
  { name: "AllowGatewayManagerInbound", direction: "Inbound", protocol: "Tcp", ports: "443", remote: "GatewayManager" },
  { name: "AllowBastionHostCommunication", direction: "Inbound", protocol: "*", ports: "8080,5701", remote: "VirtualNetwork" },
  { name: "AllowAzureLoadBalancerInbound", direction: "Inbound", protocol: "Tcp", ports: "443", remote: "AzureLoadBalancer" },
  { name: "AllowSshRdpOutbound", direction: "Outbound", protocol: "*", ports: "22,3389", remote: "VirtualNetwork" },
  { name: "AllowAzureCloudOutbound", direction: "Outbound", protocol: "Tcp", ports: "443", remote: "AzureCloud" },
  { name: "AllowBastionCommunication", direction: "Outbound", protocol: "*", ports: "8080,5701", remote: "VirtualNetwork" },
  { name: "AllowHttpOutbound", direction: "Outbound", protocol: "*", ports: "80", remote: "Internet" },
];

export const bastionSubnetNsg: Check = {
  id: "AR-031",
  name: "bastion-subnet-nsg",
  title: "NSG on AzureBastionSubnet without the rules Azure Bastion requires",
  severity: "high",
  explanation:
    "An NSG on AzureBastionSubnet must allow HTTPS in from the Internet, GatewayManager and AzureLoadBalancer, " +
    "8080/5701 within the virtual network, and out SSH/RDP to the virtual network, 443 to AzureCloud and 80 to " +
    "the Internet (Microsoft's bastion-nsg table). Azure rejects the deployment otherwise, or Bastion stops " +
    "receiving updates and connecting.",
  fix: "Add the missing rules of Microsoft's table (bastion-nsg) to the NSG, above any deny that covers them.",
  run(ctx: CheckContext): Finding[] {
    const topo = ctx.env.topo;
    const out: Finding[] = [];
    for (const subnet of subnetsNamed(topo, "AzureBastionSubnet")) {
      const nsg = subnetNsg(topo, subnet);
      if (!nsg) continue;
      const r = requirementReport(ctx.env, subnet, nsg, BASTION_REQUIRED);
      if (r.missing.length > 0) {
        out.push(
          makeFinding(bastionSubnetNsg, {
            severity: "high",
            resources: [nsg.urn, subnet.urn],
            rules: r.rules,
            message: `NSG ${nameOf(nsg)} on ${subnetLabel(topo, subnet)} does not allow what Azure Bastion requires: ${r.missing.join("; ")}. Azure rejects Bastion in this subnet`,
            details: { missing: r.missing },
          }),
        );
      }
      if (r.undecided.length > 0) {
        out.push(
          makeFinding(bastionSubnetNsg, {
            severity: "low",
            resources: [nsg.urn, subnet.urn],
            message: `NSG ${nameOf(nsg)} on ${subnetLabel(topo, subnet)}: whether it allows what Azure Bastion requires is undecided: ${r.undecided.join("; ")}`,
            details: { undecided: r.undecided },
          }),
        );
      }
    }
    return out;
  },
};
