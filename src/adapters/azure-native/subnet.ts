/**
 * Subnets: standalone Subnet resources and subnets declared inline in VirtualNetwork.subnets, merged (same VNet and
 * name, or same id, is one subnet; the standalone declaration wins).
 */
import type { ServiceEndpointSpec, Subnet } from "../../model/topology";
import { isUnknown, unknown, type Maybe } from "../../model/unknown";
import { sortedMap, type BuildContext } from "./context";
import { collectChildren, type ChildDraft } from "./entities";
import { get, indexPath, keyPath, list, text, type PV } from "./props";
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
    ...networkPolicies(get(body, "privateEndpointNetworkPolicies")),
    ...serviceEndpoints(get(body, "serviceEndpoints"), keyPath(basePath, "serviceEndpoints"), record.urn),
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

