/**
 * AR-008 route-to-none: a user route with next hop None, effective in at least one subnet, drops the traffic it
 * wins for. Often deliberate (black-holing a range), so low; the finding says which subnets and addresses it
 * drops. When a reachability intent needs those flows, `routesToNoneNeededByIntents` (run after the intents) says
 * so at high severity.
 */
import { describeAddresses, makeFinding, nameOf, sortedValues, subnetLabel } from "./helpers";
import { attachments, routeText, winningAddresses } from "./route-queries";
import type { IntentResult } from "../intents/result";
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

/**
 * The part of AR-008 that needs the intents: a route to None that drops the counterexample of a failing
 * `reachable` intent. High, since traffic someone declared they need disappears there.
 */
export function routesToNoneNeededByIntents(results: readonly IntentResult[]): Finding[] {
  const out: Finding[] = [];
  for (const r of results) {
    if (r.verdict !== "fail" || r.expect !== "reachable" || !r.counterexample) continue;
    for (const e of r.counterexample.evidence) {
      if (e.kind !== "route" || e.nextHopType !== "None" || !e.decisive) continue;
      const table = e.routeTable === "System Route" ? undefined : e.routeTable;
      const where = table ? `route ${e.routeName ?? e.addressPrefix} of route table ${table.name}` : `the system route ${e.addressPrefix} -> None`;
      out.push(
        makeFinding(routeToNone, {
          severity: "high",
          resources: [...(table ? [table.urn] : []), e.subnet.urn],
          message: `${where} (effective in subnet ${e.subnet.name}) drops traffic that intent "${r.name}" needs: ${r.counterexample.text}`,
          details: { intent: r.name, subnet: e.subnet.name },
        }),
      );
    }
  }
  return out;
}
