/**
 * AR-034 firewall-subnet-nsg: an NSG on AzureFirewallSubnet or AzureFirewallManagementSubnet. Azure Firewall is a
 * managed service; NSGs are not supported on its subnets and Azure rejects the association
 * (MicrosoftDocs/azure-docs articles/firewall/firewall-faq.yml, "Are Network Security Groups (NSGs) supported on the
 * AzureFirewallSubnet?"): a plan Azure will reject, so high.
 */
import { makeFinding, nameOf, subnetLabel } from "./helpers";
import { subnetNsg, subnetsNamed } from "./platform-subnets";
import type { Check, CheckContext, Finding } from "./types";

export const firewallSubnetNsg: Check = {
  id: "AR-034",
  name: "firewall-subnet-nsg",
  title: "NSG on AzureFirewallSubnet (rejected)",
  severity: "high",
  explanation:
    "Azure Firewall's subnets (AzureFirewallSubnet, AzureFirewallManagementSubnet) take no NSG: the firewall is a " +
    "managed service with its own protection, and Azure rejects the association (firewall-faq).",
  fix: "Remove the NSG from the firewall's subnet; filter with the firewall's own rules.",
  run(ctx: CheckContext): Finding[] {
    const topo = ctx.env.topo;
    const out: Finding[] = [];
    for (const subnet of subnetsNamed(topo, "AzureFirewallSubnet", "AzureFirewallManagementSubnet")) {
      const nsg = subnetNsg(topo, subnet);
      if (!nsg) continue;
      out.push(
        makeFinding(firewallSubnetNsg, {
          severity: "high",
          resources: [subnet.urn, nsg.urn],
          message: `${subnetLabel(topo, subnet)} has NSG ${nameOf(nsg)}: Azure does not support an NSG on the firewall's subnet and rejects the association`,
        }),
      );
    }
    return out;
  },
};
