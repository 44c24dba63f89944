/**
 * The /32 system routes private endpoints add (next hop InterfaceEndpoint), in their own VNet and in the VNets
 * peered with it.
 *
 * Source: learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy (MicrosoftDocs/azure-docs
 * articles/private-link/disable-private-endpoint-network-policy.md): "the /32 default route propagated by the
 * private endpoint ... sends traffic directly to the private endpoint in accordance with the longest prefix match
 * algorithm"; with network policies for user-defined routes enabled on the endpoint's subnet (Enabled or
 * RouteTableEnabled), a user route "with a prefix size that is equal to or smaller than the virtual network address
 * space where the private endpoint is provisioned" invalidates the /32, and "a user-defined route default route
 * (0.0.0.0/0) doesn't invalidate private endpoint routes".
 *
 * An endpoint with a dynamic address stands for "some address of its subnet" (as any NIC with a dynamic address):
 * its route covers every address it may receive. Where a NIC that is not a private endpoint may hold one of those
 * addresses too, which route applies depends on the allocation: that part of the route carries the doubt.
 */
import type { Nic, Subnet, Topology, Vnet } from "../model/topology";
import { isUnknown, unknown, type Unknown } from "../model/unknown";
import { IpSet, parsePrefix } from "../sets/ip-set";
import { privateEndpointRoutesApply } from "./nsg";
import { cidrLength, type EffectiveRoute } from "./routing";
import { connectedPeerings, nicAddresses, subnetOfNic } from "./topology-queries";
import { memoKind, topoMemo } from "./memo";

interface PlacedEndpoint {
  readonly nic: Nic;
  readonly subnet: Subnet;
  readonly vnetKey: string;
}

/** Private endpoint NICs by VNet key, once per topology. */
const BY_VNET = memoKind<Record<string, never>, ReadonlyMap<string, readonly PlacedEndpoint[]>>("private-endpoints-by-vnet", []);

function endpointsByVnet(topo: Topology): ReadonlyMap<string, readonly PlacedEndpoint[]> {
  return topoMemo(topo, BY_VNET({}), () => buildEndpointsByVnet(topo));
}

function buildEndpointsByVnet(topo: Topology): ReadonlyMap<string, readonly PlacedEndpoint[]> {
  const out = new Map<string, PlacedEndpoint[]>();
  for (const nic of topo.nics.values()) {
    if (!nic.privateEndpoint) continue;
    const subnet = subnetOfNic(topo, nic);
    if (!subnet || isUnknown(subnet) || typeof subnet.vnetKey !== "string") continue;
    const list = out.get(subnet.vnetKey) ?? [];
    list.push({ nic, subnet, vnetKey: subnet.vnetKey });
    out.set(subnet.vnetKey, list);
  }
  return out;
}

/** Addresses NICs other than private endpoints may hold (dynamic ones: their whole range), once per topology. */
const OTHERS = memoKind<Record<string, never>, IpSet>("non-endpoint-space", []);

function nonEndpointSpace(topo: Topology): IpSet {
  return topoMemo(topo, OTHERS({}), () => {
    let out = IpSet.empty();
    for (const nic of topo.nics.values()) if (!nic.privateEndpoint) out = out.union(nicAddresses(topo, nic).may);
    return out;
  });
}

/**
 * The InterfaceEndpoint routes of a subnet in `vnet`: one per private endpoint of `vnet` and of each VNet connected
 * to it by peering. `user` are the subnet's user routes (for the override under network policies).
 */
export function privateEndpointRoutes(topo: Topology, vnet: Vnet, user: readonly EffectiveRoute[]): EffectiveRoute[] {
  const byVnet = endpointsByVnet(topo);
  if (byVnet.size === 0) return [];
  const out: EffectiveRoute[] = [];
  for (const pe of byVnet.get(vnet.key) ?? []) out.push(...routesFor(topo, pe, vnet, user, {}));
  for (const { peering, remote } of connectedPeerings(topo, vnet.key)) {
    if (isUnknown(remote)) continue;
    for (const pe of byVnet.get(remote.key) ?? []) out.push(...routesFor(topo, pe, remote, user, { peering, remoteVnet: remote }));
  }
  return out;
}

function routesFor(
  topo: Topology,
  pe: PlacedEndpoint,
  peVnet: Vnet,
  user: readonly EffectiveRoute[],
  extra: Pick<EffectiveRoute, "peering" | "remoteVnet">,
): EffectiveRoute[] {
  const addrs = nicAddresses(topo, pe.nic);
  if (addrs.may.isEmpty()) return [];
  const override = overridingUserRoute(pe, peVnet, addrs.may, user);
  const base = {
    name: null,
    source: "Default" as const,
    origin: "privateEndpoint" as const,
    nextHopType: "InterfaceEndpoint" as const,
    nextHopIpAddress: undefined,
    privateEndpointNic: pe.nic,
    ...(extra.remoteVnet ? extra : { vnet: peVnet }),
  };
  const make = (prefix: IpSet, doubt: readonly Unknown[]): EffectiveRoute => {
    const family = prefix.v4.isEmpty() ? 6 : 4;
    const text = cidrLength(prefix) !== undefined ? prefix.toCidrs()[0] : prefix.toString();
    const invalid = override !== undefined && override.applies === true;
    return {
      ...base,
      addressPrefixText: text,
      prefix,
      // Each endpoint's route is a host route, whichever of its possible addresses it gets.
      prefixLength: family === 4 ? 32 : 128,
      doubt: override !== undefined && isUnknown(override.applies) ? [...doubt, override.applies] : doubt,
      state: invalid ? "Invalid" : "Active",
      ...(invalid ? { invalidBecause: `invalidated by user route ${override.route.name ?? "?"} ${override.route.addressPrefixText}: the endpoint's subnet enables network policies for route tables` } : {}),
    };
  };
  if (addrs.must.equals(addrs.may)) return [make(addrs.may, [])];
  // Dynamic: sure where no other NIC may hold the address, undecided where one may.
  const shared = addrs.may.intersect(nonEndpointSpace(topo));
  const alone = addrs.may.subtract(shared);
  const out: EffectiveRoute[] = [];
  if (!alone.isEmpty()) out.push(make(alone, []));
  if (!shared.isEmpty()) out.push(make(shared, addrs.causes.length > 0 ? addrs.causes : [unknown(".ipConfigurations", pe.nic.urn, "dynamic address")]));
  return out;
}

/**
 * A user route that invalidates the endpoint's /32 when its subnet enables route-table policies: one that holds the
 * endpoint's addresses, is not 0.0.0.0/0, and is no longer than the VNet address range the endpoint is in.
 */
function overridingUserRoute(pe: PlacedEndpoint, peVnet: Vnet, addrs: IpSet, user: readonly EffectiveRoute[]): { route: EffectiveRoute; applies: boolean | Unknown } | undefined {
  const applies = privateEndpointRoutesApply(pe.subnet);
  if (applies === false) return undefined;
  const rangeLength = vnetRangeLength(peVnet, addrs);
  if (rangeLength === undefined) return undefined;
  for (const r of user) {
    if (r.source !== "User" || isUnknown(r.prefix) || r.prefixLength <= 0 || r.prefixLength > rangeLength) continue;
    if (addrs.isSubsetOf(r.prefix)) return { route: r, applies };
  }
  return undefined;
}

/** The prefix length of the VNet address range that holds `addrs`. */
function vnetRangeLength(vnet: Vnet, addrs: IpSet): number | undefined {
  for (const text of vnet.addressPrefixes) {
    const p = parsePrefix(text);
    if (p.ok && addrs.isSubsetOf(p.set)) return cidrLength(p.set);
  }
  return undefined;
}
