/**
 * AR-005 missing-appliance: a user route sends traffic to a VirtualAppliance address that no NIC in the plan holds.
 * Azure forwards the packets to that address anyway; with nothing there they are lost.
 *
 * Not every next-hop address is a NIC: Azure Firewall and internal load balancer frontends are not NICs in the
 * model. An Azure Firewall of the plan holds its private IP (issue 15: src/engine/firewall.ts); a route into
 * AzureFirewallSubnet where a firewall of the plan sits but at another address is reported (the spoke's UDR names an
 * address nothing holds); an address in an AzureFirewallSubnet with no firewall of the plan in it is taken to be a
 * firewall of another stack and skipped; the message says when an internal load balancer could hold it. An address outside every VNet of the plan (a hub deployed by
 * another stack) cannot be verified here and is reported as low.
 */
import { displayName } from "../engine/find";
import { firewallAt, firewallName } from "../engine/firewall";
import { isUnknown } from "../model/unknown";
import { joinNames, makeFinding, nameOf, subnetAzureName, subnetLabel } from "./helpers";
import { applianceRoutes, holdersOf, inSomeVnet, mayHold, routeText, subnetHolding } from "./route-queries";
import type { Check, CheckContext, Finding } from "./types";

export const missingAppliance: Check = {
  id: "AR-005",
  name: "missing-appliance",
  title: "Route to a virtual appliance address no NIC holds",
  severity: "high",
  explanation:
    "A user route with next hop VirtualAppliance sends matching traffic to the given private address. If no " +
    "network interface has that address the traffic is dropped (virtual-networks-udr-overview.md). Dynamic " +
    "addresses are allocated at deployment, so an appliance that only may get the address is a risk too: a next " +
    "hop address should be static.",
  fix:
    "Point the route at the appliance's actual private address and give the appliance NIC a static private IP; if " +
    "the next hop is an internal load balancer frontend or an appliance in another stack, suppress the finding with a reason.",
  run(ctx: CheckContext): Finding[] {
    const topo = ctx.env.topo;
    const out: Finding[] = [];
    for (const r of applianceRoutes(topo)) {
      if (holdersOf(topo, r.ip).length > 0) continue;
      const fw = firewallAt(topo, r.ip);
      if (fw.firewall) continue;
      const subnet = subnetHolding(topo, r.ip);
      if (subnet && (subnetAzureName(subnet) ?? "").toLowerCase() === "azurefirewallsubnet") {
        const there = [...(topo.firewall?.firewalls.values() ?? [])].filter((f) => f.subnetKey === subnet.key);
        if (there.length === 0) continue;
        const known = there.filter((f) => typeof f.privateIp === "string");
        const undecided = there.some((f) => isUnknown(f.privateIp)) || known.some((f) => f.privateIpAssumed);
        out.push(
          makeFinding(missingAppliance, {
            severity: undecided ? "medium" : "high",
            resources: [r.route.urn, r.table.urn, ...there.map((f) => f.urn)],
            message: `route table ${nameOf(r.table)} ${routeText(r)}: ${r.ip} is in AzureFirewallSubnet, but firewall ${there.map(firewallName).join(", ")} ${known.length > 0 ? `has ${known.map((f) => `${f.privateIp as string}${f.privateIpAssumed ? " (assumed: the plan does not give it)" : ""}`).join(", ")}` : "has a private IP not known at preview"}, so traffic sent to ${r.ip} ${undecided ? "may be" : "is"} dropped`,
            details: { nextHop: r.ip, inPlan: true, ...(undecided ? { indeterminate: true } : {}) },
          }),
        );
        continue;
      }
      const where = `route table ${nameOf(r.table)} ${routeText(r)}`;
      const maybe = mayHold(topo, r.ip);
      if (maybe.length > 0) {
        out.push(
          makeFinding(missingAppliance, {
            severity: "medium",
            resources: [r.route.urn, r.table.urn, ...maybe.map((n) => n.urn)],
            message: `${where}: no NIC has the static address ${r.ip}; ${joinNames(maybe.map(displayName))} may get it when dynamic addresses are allocated, which is not guaranteed`,
            details: { nextHop: r.ip, indeterminate: true },
          }),
        );
        continue;
      }
      if (subnet || inSomeVnet(topo, r.ip)) {
        const ilb = [...topo.loadBalancers.values()].some((lb) => lb.publicIpKeys.length === 0);
        out.push(
          makeFinding(missingAppliance, {
            severity: "high",
            resources: [r.route.urn, r.table.urn, ...(subnet ? [subnet.urn] : [])],
            message: `${where}: no NIC in the plan holds ${r.ip}${subnet ? ` (in ${subnetLabel(topo, subnet)})` : ""}, so traffic sent to it is dropped${ilb ? " (unless it is an internal load balancer frontend, which the model does not carry)" : ""}`,
            details: { nextHop: r.ip, inPlan: true },
          }),
        );
        continue;
      }
      out.push(
        makeFinding(missingAppliance, {
          severity: "low",
          resources: [r.route.urn, r.table.urn],
          message: `${where}: ${r.ip} is outside every virtual network of the plan (an appliance in another stack?), so it cannot be verified here`,
          details: { nextHop: r.ip, inPlan: false },
        }),
      );
    }
    return out;
  },
};
