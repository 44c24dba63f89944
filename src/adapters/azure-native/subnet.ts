/**
 * Subnets: standalone Subnet resources and subnets declared inline in VirtualNetwork.subnets, merged (same VNet and
 * name, or same id, is one subnet; the standalone declaration wins).
 */
import type { Subnet } from "../../model/topology";
import { isUnknown, unknown, type Maybe } from "../../model/unknown";
import { sortedMap, type BuildContext } from "./context";
import { collectChildren, type ChildDraft } from "./entities";
import { bool, get, keyPath, text, type PV } from "./props";
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
    natGatewayKey: natGatewayOf(ctx, get(body, "natGateway"), record.urn, d.depProp("natGateway"), record.propertyDependencies),
    defaultOutboundAccess: bool(get(body, "defaultOutboundAccess")) ?? true,
  };
}

/**
 * The subnet's NAT gateway (NAT gateways are not a modelled kind: only their presence and name matter for egress).
 * Known id: the id. Unknown id: the one NatGateway the property depends on, else the Unknown (a gateway is there,
 * which one is not known). Absent or null: none.
 */
function natGatewayOf(ctx: BuildContext, v: PV, urn: string, depProp: string, deps: Readonly<Record<string, readonly string[]>>): Maybe<string | null> {
  if (v === undefined || v === null) return null;
  if (isUnknown(v)) return v;
  const id = text(get(v, "id"));
  if (typeof id === "string") return id;
  const candidates = (deps[depProp] ?? []).filter((u) => /:network(\/[^:]*)?:NatGateway::/.test(u) && ctx.recordsByUrn.has(u));
  if (candidates.length === 1) return candidates[0];
  // A natGateway object is there: a gateway is, whichever it is.
  return isUnknown(id) ? "(NAT gateway whose id is unknown at preview)" : null;
}

