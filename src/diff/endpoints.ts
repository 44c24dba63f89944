/**
 * The endpoints a diff compares, matched across the two plans by stable identity (URNs), never by position:
 * - groups of NICs: the intersection of the intent engine's classes (src/intents/classes.ts) in both plans, so that
 *   every member of a group is treated alike in each plan and one symbolic evaluation per plan covers the group;
 * - the hosts of a subnet that has no NIC (identity: the subnet's URN);
 * - the Internet (public unicast outside every VNet) and declared external prefixes (e.g. on-premises ranges).
 */
import type { Nic, Subnet } from "../model/topology";
import { isUnknown, type Unknown } from "../model/unknown";
import { IpSet } from "../sets/ip-set";
import { displayName } from "../engine/find";
import type { EngineEnv } from "../engine/nsg";
import { assignableAddresses } from "../engine/topology-queries";
import { AZURE_IMDS_IP, AZURE_PLATFORM_IP, PUBLIC_UNICAST } from "../azure/well-known";
import { classKey } from "../intents/classes";
import { internalSpace, nicAddressSet, type NicMember } from "../intents/endpoints";
import type { PathEnd } from "../intents/path";
import { topologyIndex } from "../engine/topology-index";

export type PlanSide = "before" | "after";

export type EndpointKind = "nics" | "host" | "internet" | "external";

/** An external prefix the user declares (`--external NAME=CIDR,...`): addresses outside every VNet worth naming. */
export interface ExternalPrefix {
  readonly name: string;
  readonly addresses: IpSet;
}

/** What an endpoint is in one plan. */
export interface PlanEnd {
  readonly end: PathEnd;
  readonly addresses: IpSet;
  /** NIC groups: the members in this plan (real NICs, with their addresses in this plan). */
  readonly members: readonly NicMember[];
  /** Flows between this end and itself that no pair of distinct NICs can produce (see realizable()). */
  readonly exact: boolean;
  readonly causes: readonly Unknown[];
}

export interface DiffEndpoint {
  /** Stable identity across plans: NIC URNs, subnet URN, "internet", "external:<name>". */
  readonly id: string;
  readonly kind: EndpointKind;
  readonly name: string;
  /** URNs it stands for (NICs, or the subnet). */
  readonly urns: readonly string[];
  readonly before?: PlanEnd;
  readonly after?: PlanEnd;
}

/** Azure's platform addresses are not "the Internet" (docs/azure-semantics.md §7). */
const PLATFORM = IpSet.fromAddress(AZURE_PLATFORM_IP).union(IpSet.fromAddress(AZURE_IMDS_IP));

function allMembers(env: EngineEnv): NicMember[] {
  const out: NicMember[] = [];
  for (const nic of env.topo.nics.values()) {
    const a = nicAddressSet(env, nic);
    if (a.set.isEmpty() && a.exact) continue;
    out.push({ nic, addresses: a.set, certainMember: true, exactAddress: a.exact, causes: a.causes });
  }
  return out;
}

/** A NIC that stands for its group: the representative with its address made dynamic (as src/intents/reach.ts does). */
function groupNic(rep: Nic): Nic {
  if (rep.ipConfigurations.length !== 1) return rep;
  const cfg = rep.ipConfigurations[0];
  return { ...rep, ipConfigurations: [{ ...cfg, privateIpAddress: undefined, allocation: "Dynamic" }] };
}

function byUrn<T extends { urn: string }>(a: T, b: T): number {
  return a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0;
}

function nicPlanEnd(members: readonly NicMember[]): PlanEnd {
  const sorted = [...members].sort((a, b) => byUrn(a.nic, b.nic));
  const addresses = sorted.reduce((acc, m) => acc.union(m.addresses), IpSet.empty());
  const rep = sorted[0].nic;
  return {
    end: { kind: "nic", nic: groupNic(rep), addresses },
    addresses,
    members: sorted,
    exact: sorted.every((m) => m.exactAddress),
    causes: sorted.flatMap((m) => m.causes),
  };
}

function subnetName(env: EngineEnv, nic: Nic): string | undefined {
  const key = nic.ipConfigurations[0]?.subnetKey;
  if (typeof key !== "string") return undefined;
  const s = env.topo.subnets.get(key);
  return s ? displayName(s) : undefined;
}

function groupName(names: readonly string[], subnet: string | undefined): string {
  if (names.length === 1) return names[0];
  const shown = names.slice(0, 3).join(", ");
  const more = names.length > 3 ? `, and ${names.length - 3} more` : "";
  return `${names.length} NICs${subnet ? ` in subnet ${subnet}` : ""} (${shown}${more})`;
}

function nicGroups(before: EngineEnv | undefined, after: EngineEnv | undefined): DiffEndpoint[] {
  const per = new Map<string, { before?: NicMember; after?: NicMember; beforeKey?: string; afterKey?: string }>();
  const add = (env: EngineEnv | undefined, side: PlanSide): void => {
    if (!env) return;
    for (const m of allMembers(env)) {
      const e = per.get(m.nic.urn) ?? {};
      if (side === "before") {
        e.before = m;
        e.beforeKey = classKey(env, m);
      } else {
        e.after = m;
        e.afterKey = classKey(env, m);
      }
      per.set(m.nic.urn, e);
    }
  };
  add(before, "before");
  add(after, "after");
  const groups = new Map<string, Array<{ before?: NicMember; after?: NicMember }>>();
  for (const e of per.values()) {
    const k = `${e.beforeKey ?? "-"}#${e.afterKey ?? "-"}`;
    const g = groups.get(k);
    if (g) g.push(e);
    else groups.set(k, [e]);
  }
  const out: DiffEndpoint[] = [];
  for (const g of groups.values()) {
    const bs = g.flatMap((e) => (e.before ? [e.before] : []));
    const as = g.flatMap((e) => (e.after ? [e.after] : []));
    const nics = g.map((e) => (e.after ?? e.before) as NicMember).map((m) => m.nic).sort(byUrn);
    const env = (as.length > 0 ? after : before) as EngineEnv;
    out.push({
      id: `nics:${nics.map((n) => n.urn).join(",")}`,
      kind: "nics",
      name: groupName(nics.map(displayName), subnetName(env, nics[0])),
      urns: nics.map((n) => n.urn),
      ...(bs.length > 0 ? { before: nicPlanEnd(bs) } : {}),
      ...(as.length > 0 ? { after: nicPlanEnd(as) } : {}),
    });
  }
  return out;
}

/** Subnets no NIC of the plan is in, with known prefixes; unknown prefixes are returned as causes. */
function nicLessSubnets(env: EngineEnv): { subnets: Subnet[]; unknowns: Unknown[] } {
  const used = topologyIndex(env.topo).subnetsWithNics;
  const subnets: Subnet[] = [];
  const unknowns: Unknown[] = [];
  for (const s of env.topo.subnets.values()) {
    if (used.has(s.key)) continue;
    if (isUnknown(s.addressSpace)) unknowns.push(s.addressSpace);
    else subnets.push(s);
  }
  return { subnets, unknowns };
}

function hostEnds(before: EngineEnv | undefined, after: EngineEnv | undefined, notes: string[]): DiffEndpoint[] {
  const per = new Map<string, { name: string; before?: PlanEnd; after?: PlanEnd }>();
  const add = (env: EngineEnv | undefined, side: PlanSide): void => {
    if (!env) return;
    const { subnets, unknowns } = nicLessSubnets(env);
    for (const u of unknowns) notes.push(`${side}: the hosts of subnet ${u.resource ?? "?"} are left out: its address prefix is not known at preview`);
    for (const s of subnets) {
      const addresses = assignableAddresses(s.addressSpace as IpSet);
      if (addresses.isEmpty()) continue;
      const e = per.get(s.urn) ?? { name: `hosts in subnet ${displayName(s)}` };
      e[side] = { end: { kind: "host", subnet: s, addresses }, addresses, members: [], exact: true, causes: [] };
      per.set(s.urn, e);
    }
  };
  add(before, "before");
  add(after, "after");
  return [...per.entries()].map(([urn, e]) => ({
    id: `host:${urn}`,
    kind: "host" as const,
    name: e.name,
    urns: [urn],
    ...(e.before ? { before: e.before } : {}),
    ...(e.after ? { after: e.after } : {}),
  }));
}

function externalEnd(env: EngineEnv | undefined, set: IpSet, notes: string[], side: PlanSide, what: string): PlanEnd | undefined {
  if (!env) return undefined;
  const internal = internalSpace(env.topo);
  if (internal.causes.length > 0) notes.push(`${side}: where the VNets end is not known at preview (${internal.causes.length} address space(s) unknown): flows of ${what} count only outside the known spaces`);
  const addresses = set.subtract(internal.set);
  if (addresses.isEmpty()) return undefined;
  return { end: { kind: "external", addresses }, addresses, members: [], exact: internal.causes.length === 0, causes: internal.causes };
}

/** Every endpoint of either plan, in a deterministic order (kind, then identity). */
export function diffEndpoints(before: EngineEnv | undefined, after: EngineEnv | undefined, externals: readonly ExternalPrefix[] = []): { endpoints: DiffEndpoint[]; notes: string[] } {
  const notes: string[] = [];
  const declared = externals.reduce((acc, x) => acc.union(x.addresses), IpSet.empty());
  const internet = PUBLIC_UNICAST.subtract(PLATFORM).subtract(declared);
  const ext: DiffEndpoint[] = [];
  const inet = { b: externalEnd(before, internet, notes, "before", "the Internet"), a: externalEnd(after, internet, notes, "after", "the Internet") };
  if (inet.b || inet.a) ext.push({ id: "internet", kind: "internet", name: "Internet", urns: [], ...(inet.b ? { before: inet.b } : {}), ...(inet.a ? { after: inet.a } : {}) });
  for (const x of externals) {
    const b = externalEnd(before, x.addresses, [], "before", x.name);
    const a = externalEnd(after, x.addresses, [], "after", x.name);
    if (b || a) ext.push({ id: `external:${x.name}`, kind: "external", name: x.name, urns: [], ...(b ? { before: b } : {}), ...(a ? { after: a } : {}) });
  }
  const order = (a: DiffEndpoint, b: DiffEndpoint): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const endpoints = [...nicGroups(before, after).sort(order), ...hostEnds(before, after, notes).sort(order), ...ext];
  return { endpoints, notes: [...new Set(notes)] };
}
