/**
 * Subnets: standalone Subnet resources and subnets declared inline in VirtualNetwork.subnets, merged (same VNet and
 * name, or same id, is one subnet; the standalone declaration wins).
 */
import type { Subnet } from "../../model/topology";
import { unknown } from "../../model/unknown";
import { sortedMap, type BuildContext } from "./context";
import { collectChildren, type ChildDraft } from "./entities";
import { get, keyPath } from "./props";
import { collectPrefixes } from "./prefixes";
import { resolveRef } from "./refs";

export function collectSubnets(ctx: BuildContext): ChildDraft[] {
  return collectChildren(ctx, { kind: "subnet", parentKind: "vnet", inlineProp: "subnets" });
}

export function buildSubnets(ctx: BuildContext, drafts: readonly ChildDraft[]): Map<string, Subnet> {
  return sortedMap(drafts.map((d) => [d.ref.key, buildSubnet(ctx, d)] as const));
}

function buildSubnet(ctx: BuildContext, d: ChildDraft): Subnet {
  const { ref, record, body, basePath } = d;
  const subject = `subnet ${ref.label}`;
  const prefixes = collectPrefixes(
    ctx,
    record.urn,
    subject,
    [
      { value: get(body, "addressPrefix"), path: keyPath(basePath, "addressPrefix") },
      { value: get(body, "addressPrefixes"), path: keyPath(basePath, "addressPrefixes") },
    ],
    unknown(keyPath(basePath, "addressPrefix"), record.urn, "no address prefix declared"),
  );
  const reference = (field: string, kind: "nsg" | "routeTable") =>
    resolveRef(ctx, { value: get(body, field), path: keyPath(basePath, field), record, depProp: d.depProp(field), kind });
  return {
    key: ref.key,
    urn: ref.urn,
    logicalName: d.origin === "standalone" ? record.name : "",
    azureName: ref.azureName,
    id: ref.id,
    vnetKey: ref.parentKey ?? unknown(".virtualNetworkName", record.urn),
    addressPrefixes: prefixes.texts,
    addressSpace: prefixes.space,
    nsgKey: reference("networkSecurityGroup", "nsg"),
    routeTableKey: reference("routeTable", "routeTable"),
  };
}

