/**
 * RouteTable: inline routes and standalone Route resources merged (standalone wins on the same name).
 */
import type { Route, RouteTable } from "../../model/topology";
import { isUnknown } from "../../model/unknown";
import { recordsOf, sortedMap, type BuildContext } from "./context";
import { collectChildren, groupByParent, type ChildDraft } from "./entities";
import { bool, entityIdOf, fieldOf, knownString, list, tagsOf } from "./props";
import { parseRoute, type RouteSource } from "./route";

export function collectRoutes(ctx: BuildContext): ChildDraft[] {
  return collectChildren(ctx, "route");
}

export function buildRouteTables(ctx: BuildContext, drafts: readonly ChildDraft[]): Map<string, RouteTable> {
  const byTable = groupByParent(drafts);
  return sortedMap(
    recordsOf(ctx, "routeTable").map((record) => {
      const ref = ctx.refs.get(record.urn);
      const azureName = ref?.azureName ?? record.name;
      const src: RouteSource = {
        ctx,
        routeTableKey: record.urn,
        routeTableUrn: record.urn,
        routeTableName: knownString(azureName) ?? record.name,
      };
      const routes: Route[] = [];
      const inline = list(record.props.routes);
      if (isUnknown(inline)) {
        // Routes computed at preview: one route unknown in every field.
        routes.push(parseRoute(src, { record, body: inline, basePath: ".routes", origin: "inline" }, "routes[*]"));
      }
      for (const d of byTable.get(record.urn) ?? []) {
        const name = knownString(d.ref.azureName) ?? (d.origin === "standalone" ? d.record.name : fieldOf(d.basePath));
        // An unknown element parses to a route unknown in every field.
        routes.push(parseRoute(src, d, name));
      }
      const table: RouteTable = {
        key: record.urn,
        urn: record.urn,
        logicalName: record.name,
        azureName,
        id: ref?.id ?? entityIdOf(record),
        routes,
        disableBgpRoutePropagation: bool(record.props.disableBgpRoutePropagation) ?? false,
        tags: tagsOf(record.props.tags),
      };
      return [record.urn, table] as const;
    }),
  );
}
