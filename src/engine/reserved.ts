/**
 * Addresses Azure reserves in every IPv4 subnet and never assigns: the network address, x.x.x.1 (the default
 * gateway), x.x.x.2 and x.x.x.3 (Azure DNS) and the broadcast address (MicrosoftDocs azure-docs,
 * articles/virtual-network/virtual-networks-faq.md, "Are there any restrictions on using IP addresses within these
 * subnets?"; docs/azure-semantics.md §2.5). Nothing sends from them and nothing receives at them (issue 12, point 3): the
 * walk answers the destination side (forward.ts, deliverIn); this names the reason for a source or a local address.
 */
import type { Subnet, Topology } from "../model/topology";
import { isUnknown } from "../model/unknown";
import { addressValue, ipv4Number } from "../sets/ip";
import { IpSet } from "../sets/ip-set";
import { assignableAddresses } from "./topology-queries";
import { memoKind, topoMemo } from "./memo";
import { inBounds, v4Bounds } from "./point-match";

function subnetName(s: Subnet): string {
  return s.logicalName || (isUnknown(s.azureName) ? s.key : s.azureName);
}

/** Which of the five an address is, given the interval of the subnet's space that holds it. */
function roleOf(ip: bigint, lo: bigint, hi: bigint): string {
  if (ip === lo) return "the network address";
  if (ip === lo + 1n) return "the default gateway address";
  if (ip === lo + 2n || ip === lo + 3n) return "an Azure DNS address";
  if (ip === hi) return "the broadcast address";
  return "an address";
}

/**
 * "10.0.2.0 is the network address of subnet b (10.0.2.0/24): Azure reserves it and never assigns it to a host",
 * or undefined when no subnet of the plan reserves the address (an IPv6 address, an address outside every subnet).
 */
export function reservedAddressReason(topo: Topology, ip: string): string | undefined {
  // Asked on every IP flow verify query: a dotted quad is read as a number and searched in the reserved set's
  // bounds (no parse to a bigint, no set test) when it is not reserved; other texts are parsed as they were.
  const n = ipv4Number(ip);
  if (n >= 0 && !inBounds(reservedBounds(topo), n)) return undefined;
  const parsed = addressValue(ip);
  if (parsed === undefined || parsed.family !== 4) return undefined;
  const set = reservedSet(topo);
  if (set.isEmpty() || !set.contains(parsed)) return undefined;
  const value = parsed.value;
  const sorted = [...topo.subnets.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
  for (const subnet of sorted) {
    if (isUnknown(subnet.addressSpace) || !subnet.addressSpace.contains(ip)) continue;
    const v4 = IpSet.fromIntervals(4, subnet.addressSpace.v4);
    if (assignableAddresses(v4).contains(ip)) continue;
    const interval = subnet.addressSpace.v4.intervals().find(([lo, hi]) => lo <= value && value <= hi);
    const role = interval ? roleOf(value, interval[0], interval[1]) : "an address";
    return `${ip} is ${role} of subnet ${subnetName(subnet)} (${v4.toCidrs().join(", ")}): Azure reserves it and never assigns it to a host`;
  }
  return undefined;
}

/** Per topology: every address some subnet reserves (asked on every IP flow verify query: one set test then). */
const RESERVED = memoKind<Record<string, never>, IpSet>("reserved-addresses", []);

const RESERVED_KEY = RESERVED({});

function reservedSet(topo: Topology): IpSet {
  return topoMemo(topo, RESERVED_KEY, () => {
    let set = IpSet.empty();
    for (const subnet of topo.subnets.values()) {
      if (isUnknown(subnet.addressSpace)) continue;
      const v4 = IpSet.fromIntervals(4, subnet.addressSpace.v4);
      set = set.union(v4.subtract(assignableAddresses(v4)));
    }
    return set;
  });
}

/** The reserved set's IPv4 bounds (point-match.ts), per topology: the per-query test of a dotted quad. */
const RESERVED_BOUNDS_KEY = memoKind<Record<string, never>, Float64Array>("reserved-address-bounds", [])({});

function reservedBounds(topo: Topology): Float64Array {
  return topoMemo(topo, RESERVED_BOUNDS_KEY, () => v4Bounds(reservedSet(topo)));
}
