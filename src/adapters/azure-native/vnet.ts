/**
 * VirtualNetwork: address space, tags, and the keys of its (merged) subnets and peerings.
 */
import type { Vnet } from "../../model/topology";
import { isUnknown, unknown, type Maybe } from "../../model/unknown";
import { compareStrings, recordsOf, sortedMap, type BuildContext } from "./context";
import { groupByParent, type ChildDraft } from "./entities";
import { bool, get, tagsOf, type PV } from "./props";
import { collectPrefixes } from "./prefixes";

export function buildVnets(
  ctx: BuildContext,
  subnets: readonly ChildDraft[],
  peerings: readonly ChildDraft[],
): Map<string, Vnet> {
  const subnetsByVnet = groupByParent(subnets);
  const peeringsByVnet = groupByParent(peerings);
  const childKeys = (groups: ReadonlyMap<string, readonly ChildDraft[]>, vnetKey: string): string[] =>
    (groups.get(vnetKey) ?? []).map((d) => d.ref.key).sort(compareStrings);
  return sortedMap(
    recordsOf(ctx, "vnet").map((record) => {
      const ref = ctx.refs.get(record.urn);
      const addressSpace = get(record.props, "addressSpace");
      const prefixes = collectPrefixes(
        ctx,
        record.urn,
        `virtual network ${record.name}`,
        [{ value: get(addressSpace, "addressPrefixes"), path: ".addressSpace.addressPrefixes" }],
        unknown(".addressSpace.addressPrefixes", record.urn, "no address space declared"),
      );
      const vnet: Vnet = {
        key: record.urn,
        urn: record.urn,
        logicalName: record.name,
        azureName: ref?.azureName ?? unknown(".name", record.urn),
        id: ref?.id ?? unknown(".id", record.urn),
        addressPrefixes: prefixes.texts,
        addressSpace: prefixes.space,
        subnetKeys: childKeys(subnetsByVnet, record.urn),
        peeringKeys: childKeys(peeringsByVnet, record.urn),
        tags: tagsOf(record.props.tags),
        ddosProtection: ddosOf(record.props.enableDdosProtection, record.props.ddosProtectionPlan),
      };
      return [record.urn, vnet] as const;
    }),
  );
}

/**
 * DDoS Network Protection on the VNet: `enableDdosProtection` true (it needs a `ddosProtectionPlan`; azure-rest-api-specs
 * 2024-05-01 virtualNetwork.json: "Indicates if DDoS protection is enabled for all the protected resources in the
 * virtual network. It requires a DDoS protection plan associated with the resource").
 */
function ddosOf(enabled: PV, plan: PV): Maybe<boolean> {
  const e = bool(enabled);
  if (isUnknown(e)) return e;
  if (e !== true) return false;
  return isUnknown(plan) ? plan : plan !== undefined && plan !== null;
}
