/**
 * AR-010 unfiltered-nic: a NIC with no NSG of its own in a subnet with no NSG. Nothing filters its traffic in
 * either direction ("No NSG anywhere = all allowed", docs/azure-semantics.md §1).
 */
import { subnetOfNic } from "../engine/topology-queries";
import { isUnknown } from "../model/unknown";
import { ingressPaths } from "./internet-exposure";
import { makeFinding, nicLabel, nicUrns, sortedValues, subnetLabel } from "./helpers";
import type { Check, CheckContext, Finding } from "./types";

export const unfilteredNic: Check = {
  id: "AR-010",
  name: "unfiltered-nic",
  title: "NIC with no NSG on it or on its subnet",
  severity: "medium",
  explanation:
    "A network interface is filtered by its own NSG and its subnet's NSG. With neither, every inbound and outbound " +
    "flow is allowed: any host that can route to it reaches every port, and it can reach anything.",
  fix: "Associate an NSG with the subnet (preferred: it covers every NIC in it) or with the NIC.",
  run(ctx: CheckContext): Finding[] {
    const topo = ctx.env.topo;
    const out: Finding[] = [];
    for (const nic of sortedValues(topo.nics)) {
      if (nic.nsgKey !== null) continue;
      const subnet = subnetOfNic(topo, nic);
      if (isUnknown(subnet) || !subnet || subnet.nsgKey !== null) continue;
      const publicIngress = ingressPaths(topo, nic).some((p) => !p.admits.isEmpty());
      out.push(
        makeFinding(unfilteredNic, {
          severity: "medium",
          resources: [...nicUrns(topo, nic), subnet.urn],
          message: `${nicLabel(topo, nic)} has no NSG and neither has its ${subnetLabel(topo, subnet)}: its traffic is entirely unfiltered${publicIngress ? " (it is reachable from the Internet: see internet-exposure)" : ""}`,
          details: { publicIngress },
        }),
      );
    }
    return out;
  },
};
