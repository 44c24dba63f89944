/**
 * AR-007 appliance-route-loop: a virtual appliance sits in a subnet whose own effective routes send some of the
 * traffic it forwards back to itself (a user route to its own address wins there). What the appliance forwards
 * to those addresses comes straight back: a loop (docs/azure-semantics.md §2: "VA in the subnet it serves can
 * loop"). Uses the engine's effective routes, so longer system routes (the VNet's own range) win as in Azure.
 */
import { subnetOfNic } from "../engine/topology-queries";
import { isUnknown } from "../model/unknown";
import { describeAddresses, makeFinding, nameOf, nicLabel, nicUrns, subnetLabel } from "./helpers";
import { applianceRoutes, holdersOf, routeText, winningAddresses } from "./route-queries";
import type { Check, CheckContext, Finding } from "./types";

export const applianceRouteLoop: Check = {
  id: "AR-007",
  name: "appliance-route-loop",
  title: "Virtual appliance routes its own traffic back to itself",
  severity: "high",
  explanation:
    "When the route table of the appliance's own subnet sends a destination to the appliance itself, the packets " +
    "the appliance forwards to that destination are routed back to it. They loop until they are dropped, so the " +
    "destination is unreachable through the appliance.",
  fix:
    "Do not associate the spoke route table with the appliance's subnet; give the appliance subnet its own route " +
    "table (for example 0.0.0.0/0 -> Internet) or none.",
  run(ctx: CheckContext): Finding[] {
    const topo = ctx.env.topo;
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const r of applianceRoutes(topo)) {
      for (const nic of holdersOf(topo, r.ip)) {
        const subnet = subnetOfNic(topo, nic);
        if (isUnknown(subnet) || !subnet || subnet.routeTableKey !== r.table.key) continue;
        const key = `${nic.key}|${r.table.key}|${r.route.name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const looping = winningAddresses(ctx, subnet, r.route);
        if (looping.isEmpty()) continue;
        out.push(
          makeFinding(applianceRouteLoop, {
            severity: "high",
            resources: [...nicUrns(topo, nic), r.route.urn, r.table.urn, subnet.urn],
            message: `${nicLabel(topo, nic)} (${r.ip}) sits in ${subnetLabel(topo, subnet)}, whose route table ${nameOf(r.table)} ${routeText(r)} sends ${describeAddresses(looping)} back to the appliance itself: traffic it forwards there loops`,
            details: { nextHop: r.ip, loopingAddresses: describeAddresses(looping) },
          }),
        );
      }
    }
    return out;
  },
};
