import type { IpConfiguration, Nic, Subnet, Topology, Vnet } from "../model/topology";
import { isUnknown, unknown, type Maybe } from "../model/unknown";
import { IpSet } from "../sets/ip-set";
import { exact, undecided, type TriSet } from "./tri-set";
import { memoKind, topoMemo } from "./memo";
import { addressIndex, type AddressIndex } from "./address-index";

/** The primary IP configuration (flagged primary, else the first). */
export function primaryIpConfig(nic: Nic): IpConfiguration | undefined {
  return nic.ipConfigurations.find((c) => c.primary) ?? nic.ipConfigurations[0];
}

export function lookup<T>(map: ReadonlyMap<string, T>, key: Maybe<string | null | undefined>): Maybe<T | undefined> {
  if (isUnknown(key)) return key;
  return key == null ? undefined : map.get(key);
}

/** The subnet of a NIC: its primary configuration's subnet (Azure keeps every configuration in one VNet). */
export function subnetOfNic(topo: Topology, nic: Nic): Maybe<Subnet | undefined> {
  const cfg = primaryIpConfig(nic);
  if (!cfg) return undefined;
  return lookup(topo.subnets, cfg.subnetKey);
}

export function vnetOfSubnet(topo: Topology, subnet: Subnet): Maybe<Vnet | undefined> {
  return lookup(topo.vnets, subnet.vnetKey);
}

/**
 * Addresses a dynamic configuration can receive: the subnet's range minus the five addresses Azure reserves
 * in every IPv4 subnet (network, gateway, two DNS, broadcast).
 */
export function assignableAddresses(space: IpSet): IpSet {
  let out = IpSet.empty();
  for (const [lo, hi] of space.v4.intervals()) {
    if (hi - lo >= 5n) out = out.union(IpSet.fromRange(4, lo + 4n, hi - 1n));
  }
  for (const [lo, hi] of space.v6.intervals()) out = out.union(IpSet.fromRange(6, lo, hi));
  return out;
}

/**
 * The private address(es) of one IP configuration: the configured or reported address when known, else
 * "some address of the subnet" — a set, never a guess.
 */
export function ipConfigAddresses(topo: Topology, nic: Nic, cfg: IpConfiguration): TriSet {
  const addr = cfg.privateIpAddress;
  if (typeof addr === "string") {
    try {
      return exact(IpSet.fromAddress(addr));
    } catch {
      return undecided(unknown(`.ipConfigurations[${cfg.name}].privateIPAddress`, nic.urn, `malformed address ${addr}`), IpSet.empty());
    }
  }
  const subnet = lookup(topo.subnets, cfg.subnetKey);
  if (isUnknown(subnet)) return undecided(subnet);
  if (!subnet) return undecided(unknown(`.ipConfigurations[${cfg.name}].subnet`, nic.urn, "no subnet"), IpSet.empty());
  if (isUnknown(subnet.addressSpace)) return undecided(subnet.addressSpace);
  const cause = isUnknown(addr) ? addr : unknown(`.ipConfigurations[${cfg.name}].privateIPAddress`, nic.urn, "dynamic address, allocated at deployment");
  // A single NIC has one address, but which one is unknown: every member of the set is possible.
  return { must: IpSet.empty(), may: assignableAddresses(subnet.addressSpace), causes: [cause] };
}

/** All addresses of a NIC (every configuration). */
export function nicAddresses(topo: Topology, nic: Nic): TriSet {
  // Asked for the same NICs over and over (every query, every walk): computed once per topology and NIC object.
  // Only the plan's own NICs are kept: stand-ins made per query (hosts, class representatives) would only churn
  // the table (short-lived weak keys are costly for the garbage collector).
  if (topo.nics.get(nic.key) !== nic) return computeNicAddresses(topo, nic);
  return topoMemo(topo, NIC_ADDRESSES({ nic }), () => computeNicAddresses(topo, nic));
}

const NIC_ADDRESSES = memoKind<{ nic: Nic }, TriSet>("nic-addresses", ["nic"]);

function computeNicAddresses(topo: Topology, nic: Nic): TriSet {
  let must = IpSet.empty();
  let may = IpSet.empty();
  const causes = [];
  for (const cfg of nic.ipConfigurations) {
    const a = ipConfigAddresses(topo, nic, cfg);
    must = must.union(a.must);
    may = may.union(a.may);
    causes.push(...a.causes);
  }
  return { must, may, causes };
}

/** Who holds which address: the NICs by the addresses they surely hold and by those they may hold. */
export interface AddressHolders {
  /** By `nicAddresses(...).must` (a known static or allocated address), in the topology's order. */
  readonly sure: AddressIndex<Nic>;
  /** By `nicAddresses(...).may` (also every address a dynamic NIC may be given), in the topology's order. */
  readonly may: AddressIndex<Nic>;
}

const HOLDERS = memoKind<Record<string, never>, AddressHolders>("nic-address-holders", []);

/**
 * The address holders of a topology, built once (the model index, topology-index.ts, hands them out): "which NIC
 * holds this IP" is asked here and nowhere else scans `topo.nics` for it.
 */
export function addressHolders(topo: Topology): AddressHolders {
  return topoMemo(topo, HOLDERS({}), () => {
    const nics = [...topo.nics.values()];
    return {
      sure: addressIndex(nics.map((nic) => ({ item: nic, set: nicAddresses(topo, nic).must }))),
      may: addressIndex(nics.map((nic) => ({ item: nic, set: nicAddresses(topo, nic).may }))),
    };
  });
}

/**
 * The first NIC (in the topology's order) that surely holds `ip` (a known static or allocated address), through the
 * index of address holders. Same answer as testing every NIC's `nicAddresses(...).must`, in order.
 */
export function surelyHeldBy(topo: Topology, ip: string): Nic | undefined {
  const held = addressHolders(topo).sure.holding(ip);
  if (held === undefined) {
    // Not an address: what the scan did (IpSet.contains refuses it), so a caller sees the same error.
    for (const nic of topo.nics.values()) if (nicAddresses(topo, nic).must.contains(ip)) return nic;
    return undefined;
  }
  return held[0];
}

/** An IP configuration of a NIC, with its position in the topology's order (NICs, then their configurations). */
export interface ConfigEntry {
  readonly nic: Nic;
  readonly cfg: IpConfiguration;
  readonly index: number;
  readonly at: number;
}

export interface AsgMembership {
  /** ASG key -> the configurations that name it (known memberships), in topology order. */
  readonly byAsg: ReadonlyMap<string, readonly ConfigEntry[]>;
  /** Configurations whose memberships are unknown (they may name any ASG), in topology order. */
  readonly unknown: readonly ConfigEntry[];
}

const ASG_MEMBERSHIP = memoKind<Record<string, never>, AsgMembership>("asg-membership", []);

/** Built once per topology: who is in which ASG (rules naming ASGs and ASG selectors ask per ASG). */
function asgMembership(topo: Topology): AsgMembership {
  return topoMemo(topo, ASG_MEMBERSHIP({}), () => buildAsgMembership(topo));
}

function buildAsgMembership(topo: Topology): AsgMembership {
  const byAsg = new Map<string, ConfigEntry[]>();
  const unknownEntries: ConfigEntry[] = [];
  let at = 0;
  for (const nic of topo.nics.values()) {
    nic.ipConfigurations.forEach((cfg, index) => {
      const entry = { nic, cfg, index, at: at++ };
      if (isUnknown(cfg.asgKeys)) {
        unknownEntries.push(entry);
        return;
      }
      for (const k of new Set(cfg.asgKeys)) {
        const list = byAsg.get(k);
        if (list) list.push(entry);
        else byAsg.set(k, [entry]);
      }
    });
  }
  return { byAsg, unknown: unknownEntries };
}

/** The configurations that are, or may be, in an ASG, in topology order. */
export function asgCandidates(topo: Topology, asgKey: string): ConfigEntry[] {
  const m = asgMembership(topo);
  const known = m.byAsg.get(asgKey) ?? [];
  const out: ConfigEntry[] = [];
  let i = 0;
  let j = 0;
  while (i < known.length || j < m.unknown.length) {
    const a = known[i];
    const b = m.unknown[j];
    if (b === undefined || (a !== undefined && a.at < b.at)) {
      out.push(a as ConfigEntry);
      i++;
    } else {
      out.push(b);
      j++;
    }
  }
  return out;
}

/**
 * Peerings of a VNet whose remote side peers back (Azure shows such a pair as Connected; a one-sided peering
 * is Initiated and carries nothing). A remote VNet that is unknown yields an Unknown entry.
 */
export function connectedPeerings(topo: Topology, vnetKey: string): Array<{ peering: import("../model/topology").Peering; remote: Maybe<Vnet> }> {
  const out: Array<{ peering: import("../model/topology").Peering; remote: Maybe<Vnet> }> = [];
  for (const p of topo.peerings.values()) {
    if (p.vnetKey !== vnetKey) continue;
    if (isUnknown(p.remoteVnetKey)) {
      out.push({ peering: p, remote: p.remoteVnetKey });
      continue;
    }
    const remote = topo.vnets.get(p.remoteVnetKey);
    if (!remote) continue;
    const back = [...topo.peerings.values()].some((q) => q.vnetKey === p.remoteVnetKey && q.remoteVnetKey === vnetKey);
    if (back) out.push({ peering: p, remote });
  }
  return out;
}
