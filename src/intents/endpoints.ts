/**
 * What a selector stands for in a topology: NICs (with the addresses their flows may carry) and, for address
 * selectors, the part of the address space outside every VNet ("external": reachable only through an ingress).
 * Membership that depends on a value unknown at preview is kept, flagged, with its causes.
 */
import type { Entity, IpConfiguration, Nic, Subnet, Topology } from "../model/topology";
import { isUnknown, unknown, type Unknown } from "../model/unknown";
import { noServiceTagsGiven } from "../model/input-hints";
import { IpSet } from "../sets/ip-set";
import { findEntityIndexed, displayName } from "../engine/find";
import { classicNote } from "../engine/unmodelled";
import type { EngineEnv } from "../engine/nsg";
import { memoKind } from "../engine/memo";
import { addressIndex, type AddressIndex } from "../engine/address-index";
import { topologyIndex } from "../engine/topology-index";
import { asgCandidates, assignableAddresses, lookup, primaryIpConfig } from "../engine/topology-queries";
import { AZURE_IMDS_IP, AZURE_LOAD_BALANCER, AZURE_PLATFORM_IP, PUBLIC_UNICAST } from "../azure/well-known";
import type { Selector } from "./types";

/** The addresses a NIC's flows may carry. */
export interface NicAddresses {
  readonly set: IpSet;
  /**
   * True when the set is what the plan says: a static (or allocated) address, or a dynamic address, which stands
   * for every address it could be given (its subnet minus reserved and statically held addresses). False when the
   * NIC's subnet or prefix is itself unknown: then `set` only bounds the address.
   */
  readonly exact: boolean;
  readonly causes: readonly Unknown[];
}

export interface NicMember {
  readonly nic: Nic;
  readonly addresses: IpSet;
  /** False when the NIC may or may not be selected, depending on `causes`. */
  readonly certainMember: boolean;
  /** False when the NIC's address is not known at all (see NicAddresses.exact). */
  readonly exactAddress: boolean;
  readonly causes: readonly Unknown[];
}

export interface ExternalPart {
  readonly addresses: IpSet;
  /** False when where the VNets end is not known (an address space unknown at preview). */
  readonly certain: boolean;
  readonly causes: readonly Unknown[];
}

/**
 * Some host in a subnet that has no NIC in the plan (Bastion, gateways, firewalls, PaaS integration): the
 * subnet's NSG and routes apply, no NIC NSG. Its addresses are the subnet's assignable ones (within the selection).
 */
export interface HostPart {
  readonly subnet: Subnet;
  readonly addresses: IpSet;
}

export interface Selection {
  readonly members: readonly NicMember[];
  readonly hosts: readonly HostPart[];
  readonly external?: ExternalPart;
  /** The resource the selector names (a violation is attached to the destination's). */
  readonly anchor?: { readonly urn: string; readonly name: string };
  /** A selector that names nothing in the plan: the intent cannot be checked as written. */
  readonly error?: string;
  /** Parts of the selection that cannot be enumerated at plan time (e.g. a VM whose NIC reference is unknown). */
  readonly unresolved: readonly Unknown[];
  readonly notes: readonly string[];
}


/** Statically held (or already allocated) addresses per subnet: a dynamic NIC cannot be given one of them. */
function heldAddresses(env: EngineEnv): ReadonlyMap<string, IpSet> {
  return topologyIndex(env.topo).staticAddressesBySubnet;
}

/** The addresses of one IP configuration of a NIC. */
function configAddresses(env: EngineEnv, nic: Nic, cfgIndex: number): NicAddresses {
  const cfg = nic.ipConfigurations[cfgIndex];
  const path = `.ipConfigurations[${cfgIndex}]`;
  if (typeof cfg.privateIpAddress === "string") {
    try {
      return { set: IpSet.fromAddress(cfg.privateIpAddress), exact: true, causes: [] };
    } catch {
      return { set: IpSet.empty(), exact: false, causes: [unknown(`${path}.privateIPAddress`, nic.urn, `malformed address ${cfg.privateIpAddress}`)] };
    }
  }
  const subnet = lookup(env.topo.subnets, cfg.subnetKey);
  if (isUnknown(subnet)) return { set: IpSet.all(), exact: false, causes: [subnet] };
  if (!subnet) return { set: IpSet.empty(), exact: false, causes: [unknown(`${path}.subnet`, nic.urn, "the IP configuration has no subnet")] };
  if (isUnknown(subnet.addressSpace)) return { set: IpSet.all(), exact: false, causes: [subnet.addressSpace] };
  // A dynamic address is some free address of the subnet: every one of them is a possible address.
  const held = heldAddresses(env).get(subnet.key) ?? IpSet.empty();
  return { set: assignableAddresses(subnet.addressSpace).subtract(held), exact: true, causes: [] };
}

/** Every address of a NIC (all IP configurations). Computed once per NIC and engine environment. */
export function nicAddressSet(env: EngineEnv, nic: Nic): NicAddresses {
  return env.memo(NIC_ADDRESS_SET({ nic }), () => combine(nic.ipConfigurations.map((_, i) => configAddresses(env, nic, i))));
}

/** Per NIC object (the plan's, or a stand-in made per query: held weakly). */
const NIC_ADDRESS_SET = memoKind<{ nic: Nic }, NicAddresses>("intents-nic-address-set", ["nic"]);

function combine(parts: readonly NicAddresses[]): NicAddresses {
  return {
    set: parts.reduce((acc, p) => acc.union(p.set), IpSet.empty()),
    exact: parts.every((p) => p.exact),
    causes: parts.flatMap((p) => p.causes),
  };
}

function member(nic: Nic, a: NicAddresses, certainMember: boolean, causes: readonly Unknown[] = []): NicMember {
  return { nic, addresses: a.set, certainMember, exactAddress: a.exact, causes: [...causes, ...a.causes] };
}

function byKey(a: NicMember, b: NicMember): number {
  return a.nic.key < b.nic.key ? -1 : a.nic.key > b.nic.key ? 1 : 0;
}

function selection(members: NicMember[], extra: Partial<Selection> = {}): Selection {
  return { members: members.filter((m) => !m.addresses.isEmpty() || !m.exactAddress).sort(byKey), hosts: [], unresolved: [], notes: [], ...extra };
}

function anchorOf(e: Entity): { urn: string; name: string } {
  return { urn: e.urn, name: displayName(e) };
}

/** The union of every VNet's address space: what is "inside". Unknown spaces make the border uncertain. */
export function internalSpace(topo: Topology): { set: IpSet; causes: Unknown[] } {
  return topo.vnets.size === 0 && topo.subnets.size > 0
    ? [...topo.subnets.values()].reduce(
        (acc, s) => (isUnknown(s.addressSpace) ? { set: acc.set, causes: [...acc.causes, s.addressSpace] } : { set: acc.set.union(s.addressSpace), causes: acc.causes }),
        { set: IpSet.empty(), causes: [] as Unknown[] },
      )
    : [...topo.vnets.values()].reduce(
        (acc, v) => (isUnknown(v.addressSpace) ? { set: acc.set, causes: [...acc.causes, v.addressSpace] } : { set: acc.set.union(v.addressSpace), causes: acc.causes }),
        { set: IpSet.empty(), causes: [] as Unknown[] },
      );
}

/** The NICs by the subnet of their primary configuration (and those whose subnet is unknown): the model index's. */
function nicsBySubnet(env: EngineEnv): { readonly bySubnet: ReadonlyMap<string, readonly Nic[]>; readonly unknownSubnet: readonly Nic[] } {
  const index = topologyIndex(env.topo);
  return { bySubnet: index.nicsByPrimarySubnet, unknownSubnet: index.nicsOfUnknownSubnet };
}

/** The NICs in the subnets `isIn` accepts (asked once per subnet, not per NIC); members are sorted later. */
function nicsInSubnets(env: EngineEnv, isIn: (subnetKey: string) => boolean | Unknown): NicMember[] {
  const out: NicMember[] = [];
  const index = nicsBySubnet(env);
  for (const nic of index.unknownSubnet) out.push(member(nic, nicAddressSet(env, nic), false, [(primaryIpConfig(nic) as IpConfiguration).subnetKey as Unknown]));
  for (const [subnetKey, nics] of index.bySubnet) {
    const inside = isIn(subnetKey);
    if (isUnknown(inside)) for (const nic of nics) out.push(member(nic, nicAddressSet(env, nic), false, [inside]));
    else if (inside) for (const nic of nics) out.push(member(nic, nicAddressSet(env, nic), true));
  }
  return out;
}

/** Subnets no NIC of the plan is (surely) in. */
const NIC_LESS = memoKind<Record<string, never>, ReadonlySet<string>>("intents-nic-less-subnets", []);

function nicLessSubnets(env: EngineEnv): ReadonlySet<string> {
  return env.memo(NIC_LESS({}), () => {
    const used = topologyIndex(env.topo).subnetsWithNics;
    return new Set([...env.topo.subnets.keys()].filter((k) => !used.has(k)));
  });
}

/** The host part of a NIC-less subnet, within `within`; an unknown prefix leaves it unresolved. */
function hostOf(env: EngineEnv, subnet: Subnet, within?: IpSet): { host?: HostPart; unresolved?: Unknown } {
  if (!nicLessSubnets(env).has(subnet.key)) return {};
  if (isUnknown(subnet.addressSpace)) return { unresolved: subnet.addressSpace };
  const all = assignableAddresses(subnet.addressSpace);
  const addresses = within ? all.intersect(within) : all;
  return addresses.isEmpty() ? {} : { host: { subnet, addresses } };
}

function hostsOf(env: EngineEnv, subnets: readonly Subnet[], within?: IpSet): { hosts: HostPart[]; unresolved: Unknown[] } {
  const hosts: HostPart[] = [];
  const unresolved: Unknown[] = [];
  for (const s of [...subnets].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const h = hostOf(env, s, within);
    if (h.host) hosts.push(h.host);
    if (h.unresolved) unresolved.push(h.unresolved);
  }
  return { hosts, unresolved };
}

function selectSubnet(env: EngineEnv, subnet: Subnet): Selection {
  const members = nicsInSubnets(env, (k) => k === subnet.key);
  const { hosts, unresolved } = hostsOf(env, [subnet]);
  const notes = hosts.length > 0 ? [`subnet ${displayName(subnet)} has no network interface in the plan: it stands for some host in it (subnet NSG and routes only)`] : [];
  return selection(members, { anchor: anchorOf(subnet), hosts, unresolved, notes });
}

function selectVnet(env: EngineEnv, ref: string): Selection {
  const found = findEntityIndexed(env.topo.vnets, ref, "virtual network");
  if (!found.ok) return selection([], { error: found.error });
  const vnet = found.value;
  const members = nicsInSubnets(env, (k) => {
    const s = env.topo.subnets.get(k);
    if (!s) return false;
    return isUnknown(s.vnetKey) ? s.vnetKey : s.vnetKey === vnet.key;
  });
  const subnets = [...env.topo.subnets.values()].filter((sn) => sn.vnetKey === vnet.key);
  const { hosts, unresolved } = hostsOf(env, subnets);
  const notes = members.length === 0 && hosts.length === 0 ? [`virtual network ${displayName(vnet)} has no network interface or subnet in the plan`] : [];
  return selection(members, { anchor: anchorOf(vnet), hosts, unresolved, notes });
}

function vmNics(env: EngineEnv, vmKey: string): { nics: Nic[]; unresolved: Unknown[] } {
  const vm = env.topo.vms.get(vmKey);
  const keys = new Set<string>();
  const unresolved: Unknown[] = [];
  for (const k of vm?.nicKeys ?? []) {
    if (isUnknown(k)) unresolved.push(k);
    else keys.add(k);
  }
  for (const nic of env.topo.nics.values()) if (nic.vmKey === vmKey) keys.add(nic.key);
  const nics = [...keys].flatMap((k) => {
    const n = env.topo.nics.get(k);
    return n ? [n] : [];
  });
  // A VM whose NIC references are unknown is unresolved only if nothing else names its NICs.
  return { nics, unresolved: nics.length > 0 ? [] : unresolved };
}

function selectVm(env: EngineEnv, ref: string): Selection {
  const found = findEntityIndexed(env.topo.vms, ref, "virtual machine");
  if (!found.ok) return selection([], { error: found.error });
  const { nics, unresolved } = vmNics(env, found.value.key);
  const members = nics.map((n) => member(n, nicAddressSet(env, n), true));
  const notes = members.length === 0 && unresolved.length === 0 ? [`virtual machine ${displayName(found.value)} has no network interface in the plan`] : [];
  return selection(members, { anchor: anchorOf(found.value), unresolved, notes });
}

function selectAsg(env: EngineEnv, ref: string): Selection {
  const found = findEntityIndexed(env.topo.asgs, ref, "application security group");
  if (!found.ok) return selection([], { error: found.error });
  const asgKey = found.value.key;
  const members: NicMember[] = [];
  // Only NICs with a configuration that names the ASG, or may (unknown memberships), can be members.
  const candidates = [...new Set(asgCandidates(env.topo, asgKey).map((e) => e.nic))];
  for (const nic of candidates) {
    const sure: NicAddresses[] = [];
    const maybe: NicAddresses[] = [];
    const causes: Unknown[] = [];
    nic.ipConfigurations.forEach((cfg, i) => {
      if (isUnknown(cfg.asgKeys)) {
        maybe.push(configAddresses(env, nic, i));
        causes.push(cfg.asgKeys);
      } else if (cfg.asgKeys.includes(asgKey)) sure.push(configAddresses(env, nic, i));
    });
    if (sure.length > 0) members.push(member(nic, combine(sure), true));
    if (maybe.length > 0) members.push(member(nic, combine(maybe), false, causes));
  }
  return selection(members, { anchor: anchorOf(found.value) });
}

function tagsMatch(want: Readonly<Record<string, string>>, have: Readonly<Record<string, string>>): boolean {
  return Object.keys(want).every((k) => have[k] === want[k]);
}

function selectTag(env: EngineEnv, tags: Readonly<Record<string, string>>): Selection {
  const vmTags = new Map<string, Readonly<Record<string, string>>>();
  for (const vm of env.topo.vms.values()) {
    for (const nic of vmNics(env, vm.key).nics) vmTags.set(nic.key, vm.tags);
  }
  const members = [...env.topo.nics.values()]
    .filter((nic) => tagsMatch(tags, nic.tags) || tagsMatch(tags, vmTags.get(nic.key) ?? {}))
    .map((nic) => member(nic, nicAddressSet(env, nic), true));
  return selection(members, { notes: members.length === 0 ? ["no network interface or VM in the plan carries these tags"] : [] });
}

/**
 * Azure's platform addresses (DNS, DHCP, health probes, IMDS) are outside intents unless an intent names only
 * them (docs/azure-semantics.md §7): "from Internet" or "from 0.0.0.0/0" does not mean the probe source.
 */
const PLATFORM = IpSet.fromAddress(AZURE_PLATFORM_IP).union(IpSet.fromAddress(AZURE_IMDS_IP));

/** Address selectors: the NICs holding addresses in the set, and the part outside every VNet. */
function selectAddresses(env: EngineEnv, selected: IpSet, what: string): Selection {
  const set = selected.isSubsetOf(PLATFORM) ? selected : selected.subtract(PLATFORM);
  const members: NicMember[] = [];
  for (const nic of nicsNear(env, set)) {
    const a = nicAddressSet(env, nic);
    const inside = a.set.intersect(set);
    if (inside.isEmpty()) continue;
    // An exact address set counts only where it meets the selection; an unknown address may or may not be in it.
    const certain = a.exact;
    members.push({ nic, addresses: inside, certainMember: certain, exactAddress: a.exact, causes: a.causes });
  }
  const internal = internalSpace(env.topo);
  const outside = set.subtract(internal.set);
  const subnets = [...env.topo.subnets.values()].filter((sn) => !isUnknown(sn.addressSpace) && sn.addressSpace.overlaps(set));
  const { hosts, unresolved } = hostsOf(env, subnets, set);
  const notes: string[] = [];
  if (members.length === 0 && hosts.length === 0 && !set.intersect(internal.set).isEmpty() && outside.isEmpty()) notes.push(`no network interface in the plan holds an address in ${what}`);
  // Outside every VNet, an address is a real end only where something can be there: the Internet (public
  // unicast), or a prefix the plan itself declares outside (declaredOutside). Elsewhere (a typo, a VNet of
  // another stack) it stands for nothing, and an intent over it would prove nothing.
  const real = internal.causes.length > 0 || outside.overlaps(declaredOutside(env));
  if (!outside.isEmpty() && !real) notes.push(`${what} overlaps no address space of the plan, no public address and no prefix the plan declares outside its virtual networks (routes, NSG rules, a gateway)`);
  const external = outside.isEmpty() || !real ? undefined : { addresses: outside, certain: internal.causes.length === 0, causes: internal.causes };
  return selection(members, { ...(external ? { external } : {}), hosts, unresolved, notes });
}

/**
 * The addresses outside the VNets that the plan gives a meaning to ("declared external prefixes"): public
 * unicast space (the Internet, including public CIDRs used as Internet sources), every prefix a route or an NSG
 * rule names (a partner range routed to an appliance, an on-premises range a rule admits), and, when the plan has
 * a virtual network gateway, everything (on-premises ranges arrive by BGP or local network gateways, which the
 * plan may not spell out). Computed once per engine environment.
 */
const DECLARED_OUTSIDE = memoKind<Record<string, never>, IpSet>("intents-declared-outside", []);

function declaredOutside(env: EngineEnv): IpSet {
  return env.memo(DECLARED_OUTSIDE({}), () => {
    if (env.topo.gateways.size > 0) return IpSet.all();
    let set = PUBLIC_UNICAST;
    for (const table of env.topo.routeTables.values()) {
      for (const r of table.routes) if (!isUnknown(r.addressPrefix) && r.addressPrefix !== undefined) set = set.union(r.addressPrefix);
    }
    for (const nsg of env.topo.nsgs.values()) {
      for (const rule of nsg.rules) {
        for (const side of [rule.sources, rule.destinations]) {
          if (isUnknown(side)) continue;
          for (const spec of side) if (spec.kind === "prefix") set = set.union(spec.set);
        }
      }
    }
    return set;
  });
}

/**
 * Why a selection stands for nothing in the plan (no NIC, no host in a NIC-less subnet, no outside address, nothing
 * unknown that may add one), or undefined. An intent over nothing proves nothing: it fails with this reason.
 */
export function selectsNothing(sel: Selection): string | undefined {
  if (sel.error || sel.members.length > 0 || sel.hosts.length > 0 || sel.external || sel.unresolved.length > 0) return undefined;
  return sel.notes[0] ?? "no network interface, host or outside address";
}

/** Per environment: the plan's NICs by the addresses their flows may carry (nicAddressSet), in the topology's order. */
const NEAR = memoKind<Record<string, never>, AddressIndex<Nic>>("intents-nics-by-address", []);

/**
 * The NICs whose addresses meet `set`, in the topology's order: through an index of their address intervals
 * (engine/address-index.ts; the address selectors otherwise test every NIC of the plan).
 */
function nicsNear(env: EngineEnv, set: IpSet): Nic[] {
  const index = env.memo(NEAR({}), () => addressIndex([...env.topo.nics.values()].map((nic) => ({ item: nic, set: nicAddressSet(env, nic).set }))));
  return index.meeting(set);
}

function selectServiceTag(env: EngineEnv, tag: string): Selection {
  const t = tag.toLowerCase();
  const internal = internalSpace(env.topo);
  if (t === "internet") return selectAddresses(env, PUBLIC_UNICAST.subtract(internal.set), "the Internet service tag");
  if (t === "virtualnetwork") return selectAddresses(env, internal.set, "the VirtualNetwork service tag");
  if (t === "azureloadbalancer") return selectAddresses(env, AZURE_LOAD_BALANCER, "the AzureLoadBalancer service tag");
  const set = env.tags.resolve(tag);
  if (set) return selectAddresses(env, set, `service tag ${tag}`);
  const cause = unknown(".serviceTag", undefined, `service tag ${tag} is not in the service tag file${env.tags.size === 0 ? noServiceTagsGiven(env.hints) : ""}`);
  return selection([], { unresolved: [cause] });
}

/** An entity named by URN, or by ARM id (what a resource reference becomes once the resource exists). */
function byUrnOrId<T extends Entity>(map: ReadonlyMap<string, T>, ref: string): T | undefined {
  const lower = ref.toLowerCase();
  return [...map.values()].find((e) => e.urn === ref || (!isUnknown(e.id) && e.id.toLowerCase() === lower));
}

function selectResource(env: EngineEnv, ref: string): Selection {
  const t = env.topo;
  const nic = byUrnOrId(t.nics, ref);
  if (nic) return selection([member(nic, nicAddressSet(env, nic), true)], { anchor: anchorOf(nic) });
  const vm = byUrnOrId(t.vms, ref);
  if (vm) return selectVm(env, vm.key);
  const subnet = byUrnOrId(t.subnets, ref);
  if (subnet) return selectSubnet(env, subnet);
  const vnet = byUrnOrId(t.vnets, ref);
  if (vnet) return selectVnet(env, vnet.key);
  const asg = byUrnOrId(t.asgs, ref);
  if (asg) return selectAsg(env, asg.key);
  // A resource reached through private endpoints (a storage account, a SQL server): its endpoints.
  const linked = linkedEndpoints(env, ref);
  if (linked.length > 0) return selection(linked.map((n) => member(n, nicAddressSet(env, n), true)));
  return selection([], { error: `${ref} is not a network interface, VM, subnet, virtual network or application security group in the plan` });
}

/** Private endpoint NICs of the plan, in the topology's order, and by key (for references). */
const PRIVATE_ENDPOINTS = memoKind<Record<string, never>, { readonly list: readonly Nic[]; readonly byKey: ReadonlyMap<string, Nic> }>("intents-private-endpoints", []);

function privateEndpointNics(env: EngineEnv): { readonly list: readonly Nic[]; readonly byKey: ReadonlyMap<string, Nic> } {
  return env.memo(PRIVATE_ENDPOINTS({}), () => {
    const list = [...env.topo.nics.values()].filter((n) => n.privateEndpoint !== undefined);
    return { list, byKey: new Map(list.map((n) => [n.key, n])) };
  });
}

/**
 * The private endpoints that connect to `ref`: a `privateLinkServiceId` equal to it (an ARM id, case-insensitive)
 * or ending in it as the last name, or a plan resource (URN or logical name) the connections depend on.
 */
function linkedEndpoints(env: EngineEnv, ref: string): Nic[] {
  const lower = ref.trim().toLowerCase();
  return privateEndpointNics(env).list.filter((n) => {
    const pe = n.privateEndpoint;
    if (!pe) return false;
    const byId = pe.linkedResourceIds.some((id) => typeof id === "string" && (id.toLowerCase() === lower || id.toLowerCase().endsWith(`/${lower}`)));
    const byUrn = pe.linkedResourceUrns.some((u) => u === ref || u.slice(u.lastIndexOf("::") + 2) === ref);
    return byId || byUrn;
  });
}

/** `{"privateEndpoint": REF}`: the endpoint named REF, else every endpoint that connects to the resource REF. */
function selectPrivateEndpoints(env: EngineEnv, ref: string): Selection {
  const found = findEntityIndexed(privateEndpointNics(env).byKey, ref, "private endpoint");
  if (found.ok) return selection([member(found.value, nicAddressSet(env, found.value), true)], { anchor: anchorOf(found.value) });
  const linked = linkedEndpoints(env, ref);
  if (linked.length > 0) return selection(linked.map((n) => member(n, nicAddressSet(env, n), true)));
  return selection([], { error: `${ref} is neither a private endpoint of the plan nor a resource one connects to (privateLinkServiceConnections[].privateLinkServiceId)` });
}

/** Resolves a selector against the topology. Pure; deterministic order (by NIC key). */
export function select(env: EngineEnv, s: Selector): Selection {
  const sel = selectOne(env, s);
  // A name the plan lacks may be a classic-provider resource: say so rather than only "not in the plan".
  const note = sel.error || selectsNothing(sel) ? classicNote(env.topo) : undefined;
  if (note === undefined) return sel;
  return sel.error ? { ...sel, error: `${sel.error}; ${note}` } : { ...sel, notes: [...sel.notes, note] };
}

function selectOne(env: EngineEnv, s: Selector): Selection {
  switch (s.kind) {
    case "nic": {
      const found = findEntityIndexed(env.topo.nics, s.ref, "network interface");
      if (!found.ok) return selection([], { error: found.error });
      return selection([member(found.value, nicAddressSet(env, found.value), true)], { anchor: anchorOf(found.value) });
    }
    case "vm":
      return selectVm(env, s.ref);
    case "subnet": {
      const found = findEntityIndexed(env.topo.subnets, s.ref, "subnet");
      return found.ok ? selectSubnet(env, found.value) : selection([], { error: found.error });
    }
    case "vnet":
      return selectVnet(env, s.ref);
    case "asg":
      return selectAsg(env, s.ref);
    case "privateEndpoint":
      return selectPrivateEndpoints(env, s.ref);
    case "cidr":
    case "ip":
      return selectAddresses(env, s.set, `${s.kind} ${s.text}`);
    case "serviceTag":
      return selectServiceTag(env, s.tag);
    case "tag":
      return selectTag(env, s.tags);
    case "resource":
      return selectResource(env, s.urn);
    case "unresolved":
      return selection([], { unresolved: [unknown(".from/.to", undefined, s.reason)] });
  }
}
