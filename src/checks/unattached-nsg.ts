/** AR-012 unattached-nsg: an NSG associated with no subnet and no NIC filters nothing; often a forgotten association. */
import { makeFinding, nameOf, nsgAssociations, sortedValues } from "./helpers";
import type { Check, CheckContext, Finding } from "./types";

export const unattachedNsg: Check = {
  id: "AR-012",
  name: "unattached-nsg",
  title: "NSG attached to nothing",
  severity: "low",
  explanation:
    "An NSG filters traffic only where it is associated: with subnets (subnet.networkSecurityGroup) or network " +
    "interfaces (networkInterface.networkSecurityGroup). One associated with neither has no effect, which usually " +
    "means the traffic it was written for is not filtered.",
  fix: "Associate the NSG with the subnets or NICs it was written for, or delete it.",
  run(ctx: CheckContext): Finding[] {
    const topo = ctx.env.topo;
    return sortedValues(topo.nsgs).flatMap((nsg) => {
      const a = nsgAssociations(topo, nsg);
      if (a.subnets.length > 0 || a.nics.length > 0 || a.maybeMore) return [];
      return [
        makeFinding(unattachedNsg, {
          severity: "low",
          resources: [nsg.urn],
          message: `NSG ${nameOf(nsg)} (${nsg.rules.length} custom rule${nsg.rules.length === 1 ? "" : "s"}) is associated with no subnet and no NIC, so it filters nothing`,
        }),
      ];
    });
  },
};
