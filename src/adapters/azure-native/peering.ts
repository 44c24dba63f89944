/**
 * VirtualNetworkPeering: standalone resources and VirtualNetwork.virtualNetworkPeerings, merged like subnets.
 * Flags take Azure's defaults when absent: allowVirtualNetworkAccess true, the others false.
 */
import type { Peering } from "../../model/topology";
import { unknown, type Maybe } from "../../model/unknown";
import { report, sortedMap, type BuildContext } from "./context";
import { collectChildren, type ChildDraft } from "./entities";
import { bool, fieldOf, get, keyPath, knownString, type PV } from "./props";
import { resolveRef } from "./refs";

export function collectPeerings(ctx: BuildContext): ChildDraft[] {
  return collectChildren(ctx, "peering");
}

export function buildPeerings(ctx: BuildContext, drafts: readonly ChildDraft[]): Map<string, Peering> {
  return sortedMap(drafts.map((d) => [d.ref.key, buildPeering(ctx, d)] as const));
}

function flag(v: PV, fallback: boolean): Maybe<boolean> {
  return bool(v) ?? fallback;
}

function buildPeering(ctx: BuildContext, d: ChildDraft): Peering {
  const { ref, record, body, basePath } = d;
  const remotePath = keyPath(basePath, "remoteVirtualNetwork");
  let remoteVnetKey = resolveRef(ctx, {
    value: get(body, "remoteVirtualNetwork"),
    path: remotePath,
    record,
    depProp: d.depProp("remoteVirtualNetwork"),
    kind: "vnet",
  });
  if (remoteVnetKey === null) {
    report(ctx, {
      code: "unresolved-reference",
      severity: "warning",
      resource: record.urn,
      field: fieldOf(remotePath),
      message: `${record.name}: ${fieldOf(remotePath)} is missing; Azure requires the remote virtual network of a peering`,
    });
    remoteVnetKey = unknown(`${remotePath}.id`, record.urn, "missing");
  }
  return {
    key: ref.key,
    urn: ref.urn,
    logicalName: d.origin === "standalone" ? record.name : "",
    azureName: ref.azureName,
    id: ref.id,
    name: knownString(ref.azureName) ?? (d.origin === "standalone" ? record.name : fieldOf(basePath)),
    vnetKey: ref.parentKey ?? unknown(".virtualNetworkName", record.urn),
    remoteVnetKey,
    allowVirtualNetworkAccess: flag(get(body, "allowVirtualNetworkAccess"), true),
    allowForwardedTraffic: flag(get(body, "allowForwardedTraffic"), false),
    allowGatewayTransit: flag(get(body, "allowGatewayTransit"), false),
    useRemoteGateways: flag(get(body, "useRemoteGateways"), false),
  };
}
