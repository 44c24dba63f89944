/** AR-009 unattached-route-table: a route table no subnet uses has no effect; often a forgotten association. */
import { makeFinding, nameOf, sortedValues } from "./helpers";
import { attachments } from "./route-queries";
import type { Check, CheckContext, Finding } from "./types";

export const unattachedRouteTable: Check = {
  id: "AR-009",
  name: "unattached-route-table",
  title: "Route table attached to no subnet",
  severity: "low",
  explanation:
    "Route tables act only through the subnets they are associated with. A table attached to none changes nothing, " +
    "which usually means the association (subnet.routeTable) was forgotten and traffic takes the system routes.",
  fix: "Associate the route table with the subnets it was written for, or delete it.",
  run(ctx: CheckContext): Finding[] {
    const topo = ctx.env.topo;
    return sortedValues(topo.routeTables).flatMap((table) => {
      const a = attachments(topo, table);
      if (a.subnets.length > 0 || a.maybeMore) return [];
      return [
        makeFinding(unattachedRouteTable, {
          severity: "low",
          resources: [table.urn],
          message: `route table ${nameOf(table)} (${table.routes.length} route${table.routes.length === 1 ? "" : "s"}) is attached to no subnet, so none of its routes apply`,
        }),
      ];
    });
  },
};
