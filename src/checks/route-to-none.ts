/**
 * AR-008 route-to-none: a user route with next hop None, effective in at least one subnet, drops the traffic it
 * wins for. Often deliberate (black-holing a range), so low; the finding says which subnets and addresses it
 * drops. Whether a reachability intent needs those flows is the intents' business (a failing intent names the
 * route), not this check's.
 */
import { describeAddresses, makeFinding, nameOf, sortedValues, subnetLabel } from "./helpers";
import { attachments, routeText, winningAddresses } from "./route-queries";
import type { Check, CheckContext, Finding } from "./types";

export const routeToNone: Check = {
  id: "AR-008",
  name: "route-to-none",
  title: "Route that drops traffic (next hop None)",
  severity: "low",
  explanation:
    "A route whose next hop type is None drops every packet it is selected for (virtual-networks-udr-overview.md). " +
    "That is sometimes the intent; when it is not, the traffic silently disappears with no NSG involved.",
  fix: "Confirm the drop is intended; otherwise point the route at the right next hop or remove it.",
  run(ctx: CheckContext): Finding[] {
    const topo = ctx.env.topo;
    const out: Finding[] = [];
    for (const table of sortedValues(topo.routeTables)) {
      for (const route of table.routes) {
        if (!route.valid || route.nextHopType !== "None") continue;
        const hits = attachments(topo, table)
          .subnets.map((s) => ({ s, dropped: winningAddresses(ctx, s, route) }))
          .filter((h) => !h.dropped.isEmpty());
        if (hits.length === 0) continue;
        out.push(
          makeFinding(routeToNone, {
            severity: "low",
            resources: [route.urn, table.urn, ...hits.map((h) => h.s.urn)],
            message: `route table ${nameOf(table)} ${routeText({ table, route })} drops traffic from ${hits.map((h) => `${subnetLabel(topo, h.s)} to ${describeAddresses(h.dropped, 3)}`).join("; ")}`,
            details: { subnets: hits.map((h) => subnetLabel(topo, h.s)) },
          }),
        );
      }
    }
    return out;
  },
};
