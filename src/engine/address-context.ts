import type { Subnet, Topology } from "../model/topology";
import { isUnknown, unknown } from "../model/unknown";
import { IpSet } from "../sets/ip-set";
import { exact, triComplementWithin, triUnion, undecided, type TriSet } from "./tri-set";
import { connectedPeerings, lookup, vnetOfSubnet } from "./topology-queries";
import { AZURE_PLATFORM_IP, PUBLIC_UNICAST } from "../azure/well-known";

/** The tags whose meaning depends on where an NSG is applied. */
export interface TagContext {
  readonly virtualNetwork: TriSet;
  readonly internet: TriSet;
}

/**
 * VirtualNetwork as seen from a subnet: its VNet's address space, the address space of VNets peered with it
 * while the local peering allows virtual network access, 168.63.129.16, and the prefixes of user routes in the
 * subnet's route table (docs/azure-semantics.md §1, "Service tags").
 */
function virtualNetworkTag(topo: Topology, subnet: Subnet): TriSet {
  let tag = exact(IpSet.fromAddress(AZURE_PLATFORM_IP));
  const vnet = vnetOfSubnet(topo, subnet);
  if (isUnknown(vnet)) return triUnion(tag, undecided(vnet));
  if (vnet) {
    tag = triUnion(tag, isUnknown(vnet.addressSpace) ? undecided(vnet.addressSpace) : exact(vnet.addressSpace));
    for (const { peering, remote } of connectedPeerings(topo, vnet.key)) {
      if (isUnknown(remote)) {
        tag = triUnion(tag, undecided(remote));
        continue;
      }
      const space = isUnknown(remote.addressSpace) ? undecided(remote.addressSpace) : exact(remote.addressSpace);
      const access = peering.allowVirtualNetworkAccess;
      if (isUnknown(access)) tag = triUnion(tag, { must: IpSet.empty(), may: space.may, causes: [access, ...space.causes] });
      else if (access) tag = triUnion(tag, space);
    }
  } else {
    tag = triUnion(tag, exact(subnet.addressSpace && !isUnknown(subnet.addressSpace) ? subnet.addressSpace : IpSet.empty()));
  }
  const table = lookup(topo.routeTables, subnet.routeTableKey);
  if (isUnknown(table)) return triUnion(tag, undecided(table));
  for (const route of table?.routes ?? []) {
    if (!route.valid) continue;
    if (isUnknown(route.addressPrefix)) tag = triUnion(tag, undecided(route.addressPrefix));
    else if (route.addressPrefix) tag = triUnion(tag, exact(route.addressPrefix));
    else tag = triUnion(tag, undecided(unknown(`.routes[${route.name}].addressPrefix`, route.urn, `service tag prefix ${route.addressPrefixText} is not expanded`)));
  }
  return tag;
}

/** Internet: public unicast space outside what VirtualNetwork covers for this subnet (section 7 decision). */
function internetTag(virtualNetwork: TriSet): TriSet {
  return triComplementWithin(PUBLIC_UNICAST, virtualNetwork);
}

export function tagContextForSubnet(topo: Topology, subnet: Subnet): TagContext {
  const virtualNetwork = virtualNetworkTag(topo, subnet);
  return { virtualNetwork, internet: internetTag(virtualNetwork) };
}

/** When the subnet itself is unknown, both tags are undecided. */
export function undecidedTagContext(cause: import("../model/unknown").Unknown): TagContext {
  const virtualNetwork = undecided(cause);
  return { virtualNetwork, internet: internetTag(virtualNetwork) };
}
