/**
 * The one model index of addresses, holders and subnets (issue 14, point 4): which NIC holds an address, which
 * NICs sit in a subnet, which subnets no NIC is in, which addresses a subnet's static configurations hold. Built
 * once per topology (memo.ts, topoMemo) and read by the engine, the intents, the checks and the diff, instead of
 * each scanning `topo.nics` its own way.
 */
import type { Nic, Subnet, Topology } from "../model/topology";
import { isUnknown } from "../model/unknown";
import { IpSet } from "../sets/ip-set";
import { memoKind, topoMemo } from "./memo";
import { addressHolders, primaryIpConfig, type AddressHolders } from "./topology-queries";

export { nicAddresses, subnetOfNic, surelyHeldBy } from "./topology-queries";
export type { AddressHolders } from "./topology-queries";

export interface TopologyIndex {
  /** Subnet key -> the NICs whose primary configuration names it, in topology order. */
  readonly nicsByPrimarySubnet: ReadonlyMap<string, readonly Nic[]>;
  /** NICs whose primary configuration's subnet is unknown at preview, in topology order. */
  readonly nicsOfUnknownSubnet: readonly Nic[];
  /** Subnet keys that some configuration of some NIC names (a known key). */
  readonly subnetsWithNics: ReadonlySet<string>;
  /**
   * Subnet key -> the addresses its configurations hold statically (or already allocated): a dynamic NIC cannot be
   * given one of them. Malformed addresses hold nothing (the adapter reports them).
   */
  readonly staticAddressesBySubnet: ReadonlyMap<string, IpSet>;
  /** The subnets in key order (deterministic whatever the plan's order): the first whose range holds an address wins. */
  readonly subnetsInKeyOrder: readonly Subnet[];
  /** Which NICs surely or maybe hold an address (or meet a set), in topology order (topology-queries.ts). */
  readonly holders: AddressHolders;
}

const INDEX = memoKind<Record<string, never>, TopologyIndex>("topology-index", []);

export function topologyIndex(topo: Topology): TopologyIndex {
  return topoMemo(topo, INDEX({}), () => buildIndex(topo));
}

function buildIndex(topo: Topology): TopologyIndex {
  const nicsByPrimarySubnet = new Map<string, Nic[]>();
  const nicsOfUnknownSubnet: Nic[] = [];
  const subnetsWithNics = new Set<string>();
  const staticAddressesBySubnet = new Map<string, IpSet>();
  for (const nic of topo.nics.values()) {
    const primary = primaryIpConfig(nic);
    if (primary) {
      if (isUnknown(primary.subnetKey)) nicsOfUnknownSubnet.push(nic);
      else {
        const list = nicsByPrimarySubnet.get(primary.subnetKey);
        if (list) list.push(nic);
        else nicsByPrimarySubnet.set(primary.subnetKey, [nic]);
      }
    }
    for (const cfg of nic.ipConfigurations) {
      if (typeof cfg.subnetKey !== "string") continue;
      subnetsWithNics.add(cfg.subnetKey);
      if (typeof cfg.privateIpAddress !== "string") continue;
      try {
        staticAddressesBySubnet.set(cfg.subnetKey, (staticAddressesBySubnet.get(cfg.subnetKey) ?? IpSet.empty()).union(IpSet.fromAddress(cfg.privateIpAddress)));
      } catch {
        // a malformed address holds nothing; the adapter reports it
      }
    }
  }
  const subnetsInKeyOrder = [...topo.subnets.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
  return { nicsByPrimarySubnet, nicsOfUnknownSubnet, subnetsWithNics, staticAddressesBySubnet, subnetsInKeyOrder, holders: addressHolders(topo) };
}

/** The subnet of the plan (first in key order) whose known range holds the address `ip`; undefined if none or not an address. */
export function subnetHolding(topo: Topology, ip: string): Subnet | undefined {
  let addr: IpSet;
  try {
    addr = IpSet.fromAddress(ip.trim());
  } catch {
    return undefined;
  }
  return topologyIndex(topo).subnetsInKeyOrder.find((s) => !isUnknown(s.addressSpace) && addr.isSubsetOf(s.addressSpace));
}
