/**
 * What sits where, for the walk: the NICs by VNet, the subnets of unmodelled resources, the addresses Azure
 * reserves, the holder of a next hop address (an appliance's own address space is its kind's: hops/appliances.ts).
 * Functions of the topology, cached in the env.
 */
import type { Nic, Subnet, Topology, UnmodelledResource, Vnet } from "../model/topology";
import { isUnknown, unknown, type Maybe, type Unknown } from "../model/unknown";
import { IpSet } from "../sets/ip-set";
import { memoKind } from "./memo";
import type { EngineEnv } from "./nsg";
import { topologyIndex } from "./topology-index";
import { assignableAddresses, nicAddresses, subnetOfNic } from "./topology-queries";
import { mergeCauses, type TriSet } from "./tri-set";
import { unmodelledBySubnet, unmodelledText } from "./unmodelled";

/** Per NIC: its VNet (or Unknown) and its addresses. Cached: it depends on the topology only. */
export interface NicEntry {
  readonly nic: Nic;
  readonly vnetKey: Maybe<string> | undefined;
  readonly addrs: TriSet;
}

const NIC_ENTRIES = memoKind<Record<string, never>, NicEntry[]>("walk-nic-entries", []);

function nicIndex(env: EngineEnv): NicEntry[] {
  return env.memo(NIC_ENTRIES({}), () => {
    const out: NicEntry[] = [];
    for (const nic of [...env.topo.nics.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
      const subnet = subnetOfNic(env.topo, nic);
      const vnetKey = isUnknown(subnet) ? subnet : subnet ? subnet.vnetKey : undefined;
      out.push({ nic, vnetKey, addrs: nicAddresses(env.topo, nic) });
    }
    return out;
  });
}

/** The NIC entries by VNet key; "?" holds those whose VNet is unknown at preview. */
const NICS_BY_VNET = memoKind<Record<string, never>, ReadonlyMap<string, readonly NicEntry[]>>("walk-nics-by-vnet", []);
/** Per scope (a VNet key): its NIC entries, then those that may be anywhere. */
const NICS_IN = memoKind<{ scope: string }, NicEntry[]>("walk-nics-in", ["scope"]);

/**
 * The NICs that may sit in a VNet: those known to be there, then those whose VNet is unknown (they may be).
 * Indexed once per topology, so large estates do not scan every NIC per delivery.
 */
export function nicsIn(env: EngineEnv, scope: string | null): NicEntry[] {
  if (scope === null) return nicIndex(env);
  const map = env.memo(NICS_BY_VNET({}), () => {
    const byVnet = new Map<string, NicEntry[]>();
    const undecided: NicEntry[] = [];
    for (const e of nicIndex(env)) {
      if (e.vnetKey === undefined) continue;
      if (isUnknown(e.vnetKey)) undecided.push(e);
      else {
        const list = byVnet.get(e.vnetKey);
        if (list) list.push(e);
        else byVnet.set(e.vnetKey, [e]);
      }
    }
    byVnet.set("?", undecided);
    return byVnet;
  });
  // The VNet's NICs, then those that may be anywhere: built once per VNet, not per delivery.
  return env.memo(NICS_IN({ scope }), () => [...(map.get(scope) ?? []), ...(map.get("?") ?? [])]);
}

export function inScope(entry: NicEntry, scope: string | null): boolean | "maybe" {
  if (scope === null) return true;
  if (entry.vnetKey === undefined) return false;
  if (isUnknown(entry.vnetKey)) return "maybe";
  return entry.vnetKey === scope;
}

export interface UnmodelledPlace {
  readonly space: IpSet;
  readonly resources: readonly UnmodelledResource[];
  readonly cause: Unknown;
}

const UNMODELLED_IN = memoKind<{ scope: string | null }, readonly UnmodelledPlace[]>("walk-unmodelled-places", ["scope"]);

/** The subnets (of a VNet, or all: null) where unmodelled resources sit, with their address space and the cause. */
export function unmodelledIn(env: EngineEnv, scope: string | null): readonly UnmodelledPlace[] {
  if ((env.topo.unmodelled ?? []).length === 0) return [];
  return env.memo(UNMODELLED_IN({ scope }), () => {
    const out: UnmodelledPlace[] = [];
    for (const [key, resources] of unmodelledBySubnet(env.topo)) {
      const subnet = env.topo.subnets.get(key);
      if (!subnet || isUnknown(subnet.addressSpace) || (scope !== null && subnet.vnetKey !== scope)) continue;
      out.push({ space: subnet.addressSpace, resources, cause: unmodelledCause(subnet, resources) });
    }
    return out;
  });
}

export function unmodelledCause(subnet: Subnet, resources: readonly UnmodelledResource[]): Unknown {
  const name = subnet.logicalName || (isUnknown(subnet.azureName) ? subnet.key : subnet.azureName);
  return unknown(".", resources[0]?.urn ?? subnet.urn, `subnet ${name} holds ${unmodelledText(resources)}, not modelled: what it does with the traffic is not known`);
}

/** "10.0.2.0", "10.0.2.0/30,10.0.2.255": CIDRs, single addresses without /32. */
export function hostText(set: IpSet): string {
  return set
    .toCidrs()
    .map((c) => c.replace(/\/(32|128)$/, ""))
    .join(",");
}

export interface Reserved {
  readonly set: IpSet;
  readonly bySubnet: ReadonlyArray<{ readonly name: string; readonly set: IpSet }>;
}

/**
 * The addresses Azure reserves in the subnets of a VNet (null: every subnet of the plan): each IPv4 prefix's
 * first four and its last (topology-queries.ts, assignableAddresses). Computed once per scope.
 */
const RESERVED_IN = memoKind<{ scope: string | null }, Reserved>("walk-reserved", ["scope"]);

export function reservedIn(env: EngineEnv, scope: string | null): Reserved {
  return env.memo(RESERVED_IN({ scope }), () => {
    const bySubnet: Array<{ name: string; set: IpSet }> = [];
    let all = IpSet.empty();
    for (const subnet of env.topo.subnets.values()) {
      if (isUnknown(subnet.addressSpace) || (scope !== null && subnet.vnetKey !== scope)) continue;
      const v4 = IpSet.fromIntervals(4, subnet.addressSpace.v4);
      const set = v4.subtract(assignableAddresses(v4));
      if (set.isEmpty()) continue;
      bySubnet.push({ name: subnet.logicalName || (isUnknown(subnet.azureName) ? subnet.key : subnet.azureName), set });
      all = all.union(set);
    }
    return { set: all, bySubnet };
  });
}

/** The NIC holding an address, surely; else the causes that leave it open; else nothing. */
export function holderOf(env: EngineEnv, ip: string): { nic?: Nic; causes: Unknown[] } {
  // Every walk through an appliance asks this of the same few next-hop addresses: answered once per address.
  return env.memo(HOLDER({ ip }), () => scanHolder(env, ip));
}

/** Per address, as the route spells it (the walk asks by the route's text). */
const HOLDER = memoKind<{ ip: string }, { nic?: Nic; causes: Unknown[] }>("walk-holder", ["ip"]);

/**
 * The holder of `ip` by the model index (topology-index.ts): the first NIC in key order that surely holds it; else
 * the causes of those that may, merged in key order.
 */
function scanHolder(env: EngineEnv, ip: string): { nic?: Nic; causes: Unknown[] } {
  const holders = topologyIndex(env.topo).holders;
  const sure = holders.sure.holding(ip);
  if (sure === undefined) return scanAll(env, ip);
  if (sure.length > 0) return { nic: byKey(sure)[0] as Nic, causes: [] };
  let causes: Unknown[] = [];
  for (const nic of byKey(holders.may.holding(ip) ?? [])) causes = mergeCauses(causes, nicAddresses(env.topo, nic).causes as Unknown[]);
  return { causes };
}

function byKey(nics: readonly Nic[]): Nic[] {
  return [...nics].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Not an address: the scan, which refuses it as IpSet.contains does (the same error as before the index). */
function scanAll(env: EngineEnv, ip: string): { nic?: Nic; causes: Unknown[] } {
  let causes: Unknown[] = [];
  for (const entry of nicIndex(env)) {
    if (entry.addrs.must.contains(ip)) return { nic: entry.nic, causes: [] };
    if (entry.addrs.may.contains(ip)) causes = mergeCauses(causes, entry.addrs.causes as Unknown[]);
  }
  return { causes };
}

/** The VNet whose address space holds `ip` when every one of its subnets is known and none holds it; else undefined. */
export function vnetOutsideSubnets(topo: Topology, ip: string): Vnet | undefined {
  // A subnet whose VNet is unknown at preview may be one of this VNet's.
  if ([...topo.subnets.values()].some((sn) => isUnknown(sn.vnetKey))) return undefined;
  for (const vnet of topo.vnets.values()) {
    if (isUnknown(vnet.addressSpace) || !vnet.addressSpace.contains(ip)) continue;
    const subnets = [...topo.subnets.values()].filter((sn) => sn.vnetKey === vnet.key);
    if (subnets.some((sn) => isUnknown(sn.addressSpace) || sn.addressSpace.contains(ip))) return undefined;
    return vnet;
  }
  return undefined;
}
