/**
 * Small shared pieces of the checks: naming rules and resources the way findings print them, building findings,
 * associations of NSGs and route tables, and describing address sets without enumerating them.
 */
import { displayName } from "../engine/find";
import { ruleDisplayName } from "../engine/rules";
import { subnetOfNic } from "../engine/topology-queries";
import type { Entity, Nic, Nsg, SecurityRule, Subnet, Topology } from "../model/topology";
import { isUnknown } from "../model/unknown";
import { IpSet } from "../sets/ip-set";
import type { Check, Finding } from "./types";
import { memoKind, topoMemo } from "../engine/memo";

export type FindingBody = Omit<Finding, "check" | "id">;

/** A finding of `check`, with resources de-duplicated (order kept) and empty extras left out. */
export function makeFinding(check: Pick<Check, "id" | "name">, body: FindingBody): Finding {
  const resources = [...new Set(body.resources.filter((r) => r !== ""))];
  const out: { -readonly [K in keyof Finding]: Finding[K] } = { check: check.name, id: check.id, severity: body.severity, resources, message: body.message };
  if (body.rules !== undefined && body.rules.length > 0) out.rules = [...new Set(body.rules)];
  if (body.example !== undefined) out.example = body.example;
  if (body.details !== undefined && Object.keys(body.details).length > 0) out.details = body.details;
  if (body.suppressed !== undefined) out.suppressed = body.suppressed;
  return out;
}

/** Values of a map in key order (deterministic whatever the insertion order). */
export function sortedValues<T>(map: ReadonlyMap<string, T>): T[] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

export function nameOf(e: Entity): string {
  return displayName(e);
}

/** `<nsg name>/securityRules/<rule>` or `<nsg name>/defaultSecurityRules/<rule>`, as findings name rules. */
export function ruleRef(topo: Topology, rule: SecurityRule): string {
  const nsg = topo.nsgs.get(rule.nsgKey);
  return `${nsg ? displayName(nsg) : rule.nsgKey}/${ruleDisplayName(rule)}`;
}

/** "allow-ssh (priority 100, Inbound, Allow)". */
export function ruleSummary(rule: SecurityRule): string {
  const prio = isUnknown(rule.priority) ? "priority unknown" : `priority ${rule.priority}`;
  const dir = isUnknown(rule.direction) ? "direction unknown" : rule.direction;
  const access = isUnknown(rule.access) ? "access unknown" : rule.access;
  return `${rule.name} (${prio}, ${dir}, ${access})`;
}

/** The NIC, and its VM when the plan names one: "nic-web (VM vm-web)". */
export function nicLabel(topo: Topology, nic: Nic): string {
  const vm = nic.vmKey === undefined ? undefined : topo.vms.get(nic.vmKey);
  return vm ? `NIC ${displayName(nic)} (VM ${displayName(vm)})` : `NIC ${displayName(nic)}`;
}

/** URNs naming a NIC in findings: the NIC, then its VM. */
export function nicUrns(topo: Topology, nic: Nic): string[] {
  const vm = nic.vmKey === undefined ? undefined : topo.vms.get(nic.vmKey);
  return vm ? [nic.urn, vm.urn] : [nic.urn];
}

/** A subnet as findings name it: "subnet web (vnet-spoke)". */
export function subnetLabel(topo: Topology, subnet: Subnet): string {
  const vnetKey = subnet.vnetKey;
  const vnet = isUnknown(vnetKey) ? undefined : topo.vnets.get(vnetKey);
  const name = isUnknown(subnet.azureName) ? displayName(subnet) : subnet.azureName;
  return vnet ? `subnet ${name} (${displayName(vnet)})` : `subnet ${name}`;
}

export interface Associations {
  readonly subnets: readonly Subnet[];
  readonly nics: readonly Nic[];
  /** True when some subnet or NIC has an NSG association that is unknown at preview (it might be this NSG). */
  readonly maybeMore: boolean;
}

/** Where an NSG is attached: subnets and NICs whose association names it. */
export function nsgAssociations(topo: Topology, nsg: Nsg): Associations {
  const index = associationIndex(topo);
  return { subnets: [...(index.subnets.get(nsg.key) ?? [])], nics: [...(index.nics.get(nsg.key) ?? [])], maybeMore: index.maybeMore };
}

interface AssociationIndex {
  /** NSG key -> subnets and NICs naming it, each in key order. */
  readonly subnets: Map<string, Subnet[]>;
  readonly nics: Map<string, Nic[]>;
  readonly maybeMore: boolean;
  /** Subnet key -> the NICs whose primary configuration sits in it, in key order. */
  readonly nicsBySubnet: Map<string, Nic[]>;
}

/** Built once per topology: the checks ask for every NSG's and subnet's attachments (no scan of the plan each time). */
const ASSOCIATIONS = memoKind<Record<string, never>, AssociationIndex>("check-associations", []);

function associationIndex(topo: Topology): AssociationIndex {
  return topoMemo(topo, ASSOCIATIONS({}), () => buildAssociationIndex(topo));
}

function buildAssociationIndex(topo: Topology): AssociationIndex {
  const add = <T>(map: Map<string, T[]>, key: string, value: T): void => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  const subnets = new Map<string, Subnet[]>();
  const nics = new Map<string, Nic[]>();
  const nicsBySubnet = new Map<string, Nic[]>();
  for (const s of sortedValues(topo.subnets)) if (typeof s.nsgKey === "string") add(subnets, s.nsgKey, s);
  for (const n of sortedValues(topo.nics)) {
    if (typeof n.nsgKey === "string") add(nics, n.nsgKey, n);
    const s = subnetOfNic(topo, n);
    if (!isUnknown(s) && s !== undefined) add(nicsBySubnet, s.key, n);
  }
  const maybeMore = [...topo.subnets.values()].some((s) => isUnknown(s.nsgKey)) || [...topo.nics.values()].some((n) => isUnknown(n.nsgKey));
  return { subnets, nics, maybeMore, nicsBySubnet };
}

/** NICs whose primary configuration sits in the subnet (the engine's notion of "the NIC's subnet"). */
export function nicsInSubnet(topo: Topology, subnet: Subnet): Nic[] {
  return [...(associationIndex(topo).nicsBySubnet.get(subnet.key) ?? [])];
}

/** Subnet names Azure reserves for services where an NSG is not supported or not used. */
const NSG_EXEMPT_SUBNETS: readonly string[] = ["GatewaySubnet", "AzureFirewallSubnet", "AzureFirewallManagementSubnet", "RouteServerSubnet"];

export function subnetAzureName(subnet: Subnet): string | undefined {
  return isUnknown(subnet.azureName) ? undefined : subnet.azureName;
}

export function isExemptSubnet(subnet: Subnet): boolean {
  const name = subnetAzureName(subnet);
  return name !== undefined && NSG_EXEMPT_SUBNETS.some((n) => n.toLowerCase() === name.toLowerCase());
}

/** Only the address families present in `set` (all IPv4 and/or all IPv6). */
export function familiesOf(set: IpSet): IpSet {
  let out = IpSet.empty();
  if (!set.v4.isEmpty()) out = out.union(IpSet.allV4());
  if (!set.v6.isEmpty()) out = out.union(IpSet.allV6());
  return out;
}

/**
 * A short description of an address set: the CIDRs when there are few, else the first ones and the count.
 * Never enumerates addresses.
 */
export function describeAddresses(set: IpSet, maxCidrs = 4): string {
  if (set.isEmpty()) return "(none)";
  const cidrs = set.toCidrs();
  if (cidrs.length <= maxCidrs) return cidrs.join(",");
  return `${cidrs.slice(0, maxCidrs - 1).join(",")},... (${cidrs.length} ranges, ${set.size().toString()} addresses)`;
}

export function joinNames(names: readonly string[], max = 5): string {
  if (names.length <= max) return names.join(", ");
  return `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
}
