/**
 * AR-011 subnet-without-nsg: a subnet with no NSG. NICs in it are then filtered only by their own NSGs, and
 * anything else placed in it (private endpoints, new NICs) by nothing. Subnets where Azure does not support or use
 * NSGs (GatewaySubnet, AzureFirewallSubnet, AzureFirewallManagementSubnet, RouteServerSubnet) are skipped.
 */
import { isUnknown } from "../model/unknown";
import { isExemptSubnet, makeFinding, nicsInSubnet, sortedValues, subnetLabel } from "./helpers";
import type { Check, CheckContext, Finding } from "./types";

export const subnetWithoutNsg: Check = {
  id: "AR-011",
  name: "subnet-without-nsg",
  title: "Subnet with no NSG",
  severity: "low",
  explanation:
    "An NSG on the subnet filters every resource in it, including ones added later. Without one, each NIC depends " +
    "on its own NSG, and a NIC without one is not filtered at all.",
  fix: "Associate an NSG with the subnet (subnet.networkSecurityGroup).",
  run(ctx: CheckContext): Finding[] {
    const topo = ctx.env.topo;
    const out: Finding[] = [];
    for (const subnet of sortedValues(topo.subnets)) {
      if (subnet.nsgKey !== null || isExemptSubnet(subnet)) continue;
      const nics = nicsInSubnet(topo, subnet);
      const bare = nics.filter((n) => n.nsgKey === null);
      const what = nics.length === 0 ? "" : bare.length === 0 ? `; its ${nics.length} NIC(s) have their own NSGs` : `; ${bare.length} of its ${nics.length} NIC(s) have no NSG either, so their traffic is entirely unfiltered`;
      out.push(
        makeFinding(subnetWithoutNsg, {
          severity: bare.length > 0 ? "medium" : "low",
          resources: [subnet.urn],
          message: `${subnetLabel(topo, subnet)} has no NSG${what}`,
          details: { nics: nics.length, nicsWithoutNsg: bare.length, addressUnknown: isUnknown(subnet.addressSpace) },
        }),
      );
    }
    return out;
  },
};
