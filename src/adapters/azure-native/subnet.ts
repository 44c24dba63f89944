/**
 * Subnets: standalone Subnet resources and subnets declared inline in VirtualNetwork.subnets, merged (same VNet and
 * name, or same id, is one subnet; the standalone declaration wins).
 */
import type { ServiceEndpointSpec, Subnet } from "../../model/topology";
import { isUnknown, unknown, type Maybe } from "../../model/unknown";
import { sortedMap, type BuildContext } from "./context";
import { collectChildren, type ChildDraft } from "./entities";
import { bool, get, indexPath, keyPath, list, text, type PV } from "./props";
import { collectPrefixes } from "./prefixes";
import { resolveRef } from "./refs";

export function collectSubnets(ctx: BuildContext): ChildDraft[] {
  return collectChildren(ctx, "subnet");
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
    ...networkPolicies(get(body, "privateEndpointNetworkPolicies")),
    ...serviceEndpoints(get(body, "serviceEndpoints"), keyPath(basePath, "serviceEndpoints"), record.urn),
    natGatewayKey: natGatewayOf(ctx, get(body, "natGateway"), record.urn, d.depProp("natGateway"), record.propertyDependencies),
    defaultOutboundAccess: bool(get(body, "defaultOutboundAccess")) ?? true,
  };
}

/** Absent: Azure's default (Disabled), left absent so that models built before this field read the same. */
function networkPolicies(v: PV): { privateEndpointNetworkPolicies?: Maybe<string> } {
  const t = text(v);
  return t === undefined ? {} : { privateEndpointNetworkPolicies: t };
}

/**
 * `serviceEndpoints: [{service: "Microsoft.Storage", locations: ["westeurope"]}]` (pulumi-azure-native
 * sdk/nodejs/types/input.ts ServiceEndpointPropertiesFormatArgs: service, locations, networkIdentifier).
 */
function serviceEndpoints(v: PV, path: string, urn: string): { serviceEndpoints?: Maybe<readonly ServiceEndpointSpec[]> } {
  const items = list(v);
  if (items === undefined) return {};
  if (isUnknown(items)) return { serviceEndpoints: items };
  const out: ServiceEndpointSpec[] = items.map((item, i) => {
    const service = text(get(item, "service"));
    const locs = list(get(item, "locations"));
    const locations: Maybe<readonly string[]> = isUnknown(locs)
      ? locs
      : (locs ?? []).map((l, j) => {
          const t = text(l);
          return typeof t === "string" ? t : "";
        }).filter((t) => t !== "");
    return { service: service ?? unknown(`${indexPath(path, i)}.service`, urn, "missing"), locations };
  });
  return out.length > 0 ? { serviceEndpoints: out } : {};
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

