/**
 * The flows a change can affect, as one flow set: every flow outside it has the same fate in both plans, so a diff
 * evaluates only the pairs of endpoints whose flows meet it, and only over those flows (compute.ts). Exact, not
 * sampled: it is a superset of the flows whose fate differs, never a guess.
 *
 * Why it is a superset. A flow's fate is decided by the entities on its path (src/engine/forward.ts): the NSGs of
 * its ends and of the appliances it crosses, the route tables of the subnets it leaves from, peerings, VNets,
 * gateways, load balancers, and its ends' own properties. So:
 * - A changed NSG decides differently only for flows that match one of the rules present in one plan but not the
 *   other (a flow matching none of them meets the same rules in the same order in both, first match included).
 *   Each such rule's flows are over-approximated without a context (VirtualNetwork and ASGs as every address,
 *   Internet as public unicast space, which holds it in every context: src/engine/address-context.ts), and they are
 *   evaluated only where the NSG applies: inbound rules for flows to its subnets and NICs, outbound rules for flows
 *   from them, or anywhere when the NSG sits on an appliance (forwarded flows have other ends).
 * - A changed route table of subnets X: the flows from or to X with an end in the prefixes of the routes that differ
 *   (routeDelta). A changed subnet, NIC, public IP or ASG, and an endpoint whose addresses differ between the
 *   plans: every flow from or to the addresses concerned (both plans). When one of them is an appliance, or
 *   serves one, every flow.
 * - A change to a VNet, peering, gateway or load balancer: every flow (system routes, tag contexts, ingress).
 */
import type { Nic, Nsg, SecurityRule, AddressSpec, Subnet, Topology } from "../model/topology";
import { isUnknown, type Maybe } from "../model/unknown";
import { FlowSet } from "../sets/flow-set";
import { IpSet } from "../sets/ip-set";
import { PortSet } from "../sets/port-set";
import { ProtocolSet, Tcp, Udp } from "../sets/protocol-set";
import type { ServiceTagCatalog } from "../azure/service-tags";
import { AZURE_LOAD_BALANCER, PUBLIC_UNICAST } from "../azure/well-known";
import type { DiffEndpoint } from "./endpoints";
import { appliances, canonical, changedMaps, GLOBAL_CHANGES, type ChangedKeys } from "./impact";

export type ChangedFlows = { readonly all: true; readonly reason: string } | { readonly all: false; readonly flows: FlowSet };

const PORT_PROTOCOLS = ProtocolSet.of(Tcp, Udp);

/** Addresses a rule side may match in any context (a superset of resolveSpec in src/engine/rules.ts). */
function sideMay(specs: Maybe<readonly AddressSpec[]>, tags: ServiceTagCatalog): IpSet {
  if (isUnknown(specs)) return IpSet.all();
  let out = IpSet.empty();
  for (const s of specs) {
    if (s.kind === "prefix") out = out.union(s.set);
    else if (s.kind === "tag") {
      const t = s.tag.toLowerCase();
      out = out.union(t === "internet" ? PUBLIC_UNICAST : t === "azureloadbalancer" ? AZURE_LOAD_BALANCER : t === "virtualnetwork" ? IpSet.all() : (tags.resolve(s.tag) ?? IpSet.all()));
    } else return IpSet.all();
  }
  return out;
}

/** Every flow a rule may match, wherever it is evaluated (ports only for TCP and UDP, as compileRule). */
function ruleMayFlows(rule: SecurityRule, tags: ServiceTagCatalog): FlowSet {
  const src = sideMay(rule.sources, tags);
  const dst = sideMay(rule.destinations, tags);
  const protocols = isUnknown(rule.protocol) ? ProtocolSet.all() : rule.protocol;
  const sport = isUnknown(rule.sourcePorts) ? PortSet.all() : rule.sourcePorts;
  const dport = isUnknown(rule.destinationPorts) ? PortSet.all() : rule.destinationPorts;
  if (src.isEmpty() || dst.isEmpty() || protocols.isEmpty()) return FlowSet.empty();
  if (sport.isAll() && dport.isAll()) return FlowSet.cube({ src, dst, protocols });
  const p = protocols.intersect(PORT_PROTOCOLS);
  return p.isEmpty() ? FlowSet.empty() : FlowSet.cube({ src, dst, protocols: p, srcPorts: sport, dstPorts: dport });
}

/** The rules of an NSG (custom and default) that the other plan's NSG of the same key does not have. */
function differingRules(mine: Nsg | undefined, other: Nsg | undefined): SecurityRule[] {
  const all = (n: Nsg | undefined): SecurityRule[] => (n ? [...n.rules, ...n.defaultRules] : []);
  const theirs = new Set(all(other).map(canonical));
  return all(mine).filter((r) => !theirs.has(canonical(r)));
}

function subnetSpace(s: Subnet | undefined): IpSet {
  if (!s || isUnknown(s.addressSpace)) return IpSet.all();
  return s.addressSpace;
}

/** Every address a NIC may hold: its subnets' ranges and its static addresses; unknown subnet: every address. */
function nicSpace(topo: Topology, nic: Nic): IpSet {
  let out = IpSet.empty();
  for (const cfg of nic.ipConfigurations) {
    if (isUnknown(cfg.subnetKey)) return IpSet.all();
    out = out.union(subnetSpace(topo.subnets.get(cfg.subnetKey)));
    if (typeof cfg.privateIpAddress === "string") {
      try {
        out = out.union(IpSet.fromAddress(cfg.privateIpAddress));
      } catch {
        return IpSet.all();
      }
    }
  }
  return out;
}

/** Subnets holding an appliance (a NIC that forwards, or a route's next hop), by key, in one plan. */
function applianceSubnets(topo: Topology, forwarding: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const key of forwarding) {
    const nic = topo.nics.get(key);
    for (const cfg of nic?.ipConfigurations ?? []) if (typeof cfg.subnetKey === "string") out.add(cfg.subnetKey);
  }
  return out;
}

const usesKey = (ref: Maybe<string | null | undefined>, key: string): boolean => isUnknown(ref) || ref === key;

/** Where an NSG applies, in both plans: its subnets' and NICs' addresses; every address when it sits on an appliance. */
function nsgUsers(key: string, plans: readonly Topology[], forwarding: ReadonlySet<string>): IpSet {
  let out = IpSet.empty();
  for (const topo of plans) {
    const onAppliance = applianceSubnets(topo, forwarding);
    for (const s of topo.subnets.values()) {
      if (!usesKey(s.nsgKey, key)) continue;
      if (onAppliance.has(s.key)) return IpSet.all();
      out = out.union(subnetSpace(s));
    }
    for (const nic of topo.nics.values()) {
      if (!usesKey(nic.nsgKey, key)) continue;
      if (forwarding.has(nic.key)) return IpSet.all();
      out = out.union(nicSpace(topo, nic));
    }
  }
  return out;
}

/** The flows a changed NSG may decide differently (see the file comment). */
function nsgDelta(key: string, b: Topology, a: Topology, tags: ServiceTagCatalog, forwarding: ReadonlySet<string>): FlowSet {
  const rules = [...differingRules(b.nsgs.get(key), a.nsgs.get(key)), ...differingRules(a.nsgs.get(key), b.nsgs.get(key))];
  if (rules.length === 0) return FlowSet.empty();
  const users = nsgUsers(key, [b, a], forwarding);
  if (users.isEmpty()) return FlowSet.empty();
  let out = FlowSet.empty();
  for (const r of rules) {
    const may = ruleMayFlows(r, tags);
    const inbound = isUnknown(r.direction) || r.direction === "Inbound";
    const outbound = isUnknown(r.direction) || r.direction === "Outbound";
    if (inbound) out = out.union(may.intersect(FlowSet.cube({ dst: users })));
    if (outbound) out = out.union(may.intersect(FlowSet.cube({ src: users })));
  }
  return out;
}

/** A key that may be in a set: an unknown one counts whenever the set holds anything. */
const mayBeIn = (set: ReadonlySet<string>, key: Maybe<string | null | undefined>): boolean => (isUnknown(key) ? set.size > 0 : typeof key === "string" && set.has(key));

/**
 * A NIC a change other than an NSG's or a route table's touches: itself, its subnet, public IP, ASGs. (Route
 * tables: routeDelta; a NIC with an unknown subnet may be in any, so any change counts.)
 */
function nicTouched(nic: Nic, c: ChangedKeys): boolean {
  if (c.nics.has(nic.key)) return true;
  return nic.ipConfigurations.some((cfg) => {
    if (isUnknown(cfg.subnetKey)) return c.subnets.size > 0 || c.routeTables.size > 0;
    if (c.subnets.has(cfg.subnetKey)) return true;
    if (mayBeIn(c.publicIps, cfg.publicIpKey)) return true;
    return isUnknown(cfg.asgKeys) ? c.asgs.size > 0 : cfg.asgKeys.some((k) => c.asgs.has(k));
  });
}

/** Addresses of what a non-NSG change touches, in both plans (undefined: it serves an appliance, so everything). */
function touchedAddresses(b: Topology, a: Topology, c: ChangedKeys, forwarding: ReadonlySet<string>): IpSet | undefined {
  // NSG changes are handled by their rules (nsgDelta): here only the other kinds.
  let out = IpSet.empty();
  for (const topo of [b, a]) {
    for (const nic of topo.nics.values()) {
      if (!nicTouched(nic, c)) continue;
      if (forwarding.has(nic.key)) return undefined;
      out = out.union(nicSpace(topo, nic));
    }
    const onAppliance = applianceSubnets(topo, forwarding);
    for (const s of topo.subnets.values()) {
      if (!c.subnets.has(s.key) && !(mayBeIn(c.routeTables, s.routeTableKey) && onAppliance.has(s.key))) continue;
      if (onAppliance.has(s.key)) return undefined;
      out = out.union(subnetSpace(s));
    }
  }
  return out;
}

/** The prefixes whose routing a route table change can alter: those of the routes in one plan only (any, if unsure). */
function routePrefixDelta(key: string, b: Topology, a: Topology): IpSet {
  const tb = b.routeTables.get(key);
  const ta = a.routeTables.get(key);
  // Gateway route propagation switched, or the table's other settings: every destination may route differently.
  if (tb && ta && canonical({ ...tb, routes: [] }) !== canonical({ ...ta, routes: [] })) return IpSet.all();
  const keys = (t: typeof tb): Set<string> => new Set((t?.routes ?? []).map(canonical));
  const kb = keys(tb);
  const ka = keys(ta);
  const differing = [...(tb?.routes ?? []).filter((r) => !ka.has(canonical(r))), ...(ta?.routes ?? []).filter((r) => !kb.has(canonical(r)))];
  let out = IpSet.empty();
  for (const r of differing) {
    if (isUnknown(r.addressPrefix) || r.addressPrefix === undefined) return IpSet.all();
    out = out.union(r.addressPrefix);
  }
  return out;
}

/**
 * A changed route table of subnets X (not an appliance's): routes differ only for destinations in the changed
 * prefixes Δ (longest prefix match over the same candidates elsewhere), and Δ is also all that changes in the
 * VirtualNetwork (and so Internet) tag of X's NSG evaluations (src/engine/address-context.ts). So only flows from
 * or to X with an end in Δ.
 */
function routeDelta(key: string, b: Topology, a: Topology): FlowSet {
  const delta = routePrefixDelta(key, b, a);
  if (delta.isEmpty()) return FlowSet.empty();
  let x = IpSet.empty();
  for (const topo of [b, a]) {
    for (const s of topo.subnets.values()) if (usesKey(s.routeTableKey, key)) x = x.union(subnetSpace(s));
    for (const nic of topo.nics.values()) {
      const inX = nic.ipConfigurations.some((cfg) => isUnknown(cfg.subnetKey) || usesKey(topo.subnets.get(cfg.subnetKey)?.routeTableKey, key));
      if (inX) x = x.union(nicSpace(topo, nic));
    }
  }
  if (x.isEmpty()) return FlowSet.empty();
  return FlowSet.cube({ src: x })
    .union(FlowSet.cube({ dst: x }))
    .intersect(FlowSet.cube({ src: delta }).union(FlowSet.cube({ dst: delta })));
}

/** The flows whose fate may differ between the two plans (see the file comment). */
export function changedFlows(b: Topology, a: Topology, tags: ServiceTagCatalog, endpoints: readonly DiffEndpoint[]): ChangedFlows {
  const c = changedMaps(b, a);
  const global = GLOBAL_CHANGES.find((m) => c[m].size > 0);
  if (global) return { all: true, reason: `a change to ${global}` };
  const forwarding = new Set([...appliances(b), ...appliances(a)]);
  const touched = touchedAddresses(b, a, c, forwarding);
  if (touched === undefined) return { all: true, reason: "a change touches an appliance" };
  let addresses = touched;
  for (const e of endpoints) {
    const moved = !e.before || !e.after || !e.before.addresses.equals(e.after.addresses);
    if (moved) addresses = addresses.union(e.before?.addresses ?? IpSet.empty()).union(e.after?.addresses ?? IpSet.empty());
  }
  let flows = addresses.isEmpty() ? FlowSet.empty() : FlowSet.cube({ src: addresses }).union(FlowSet.cube({ dst: addresses }));
  for (const key of c.nsgs) flows = flows.union(nsgDelta(key, b, a, tags, forwarding));
  for (const key of c.routeTables) flows = flows.union(routeDelta(key, b, a));
  return { all: false, flows };
}
