/**
 * AR-033 gateway-subnet-nsg: an NSG on GatewaySubnet. "Network security groups (NSGs) on the gateway subnet aren't
 * supported. Associating a network security group to this subnet might cause your virtual network gateway (VPN and
 * ExpressRoute gateways) to stop functioning as expected" (learn.microsoft.com/azure/vpn-gateway/
 * vpn-gateway-about-vpn-gateway-settings, "Gateway subnet"). Azure accepts the association, so this is medium, not
 * the high of a plan Azure rejects.
 */
import { makeFinding, nameOf, subnetLabel } from "./helpers";
import { subnetNsg, subnetsNamed } from "./platform-subnets";
import type { Check, CheckContext, Finding } from "./types";

export const gatewaySubnetNsg: Check = {
  id: "AR-033",
  name: "gateway-subnet-nsg",
  title: "NSG on GatewaySubnet (not supported)",
  severity: "medium",
  explanation:
    "Network security groups on the gateway subnet are not supported: associating one may make the VPN or " +
    "ExpressRoute gateway stop working as expected (vpn-gateway-about-vpn-gateway-settings).",
  fix: "Remove the NSG association from GatewaySubnet; filter on the subnets behind the gateway instead.",
  run(ctx: CheckContext): Finding[] {
    const topo = ctx.env.topo;
    const out: Finding[] = [];
    for (const subnet of subnetsNamed(topo, "GatewaySubnet")) {
      const nsg = subnetNsg(topo, subnet);
      if (!nsg) continue;
      out.push(
        makeFinding(gatewaySubnetNsg, {
          severity: "medium",
          resources: [subnet.urn, nsg.urn],
          message: `${subnetLabel(topo, subnet)} has NSG ${nameOf(nsg)}: NSGs on the gateway subnet are not supported and may stop the virtual network gateway from working`,
        }),
      );
    }
    return out;
  },
};
