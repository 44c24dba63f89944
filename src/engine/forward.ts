/**
 * The data-plane walk: where do packets that leave a NIC (or a host in a subnet, or come from outside) go, hop
 * by hop, and what stops them. Generic over the flow space like the NSG evaluator, so the trace command and the
 * intent engine share one walk: with SYMBOLIC_WALK every step partitions an exact flow set, with CONCRETE_WALK
 * it follows one flow.
 *
 * A hop is typed and every path ends with a disposition (Batfish style). The Azure behaviour it reproduces:
 * - NSGs: outbound NIC then subnet NSG when a packet leaves a NIC, inbound subnet then NIC NSG when it arrives
 *   (network-security-group-how-it-works.md); an appliance's NSGs see the packet both ways.
 * - Routes: the sending subnet's effective routes, longest prefix match (virtual-networks-udr-overview.md).
 * - A virtual appliance is the NIC holding the route's next hop address; it forwards only with IP forwarding
 *   enabled ("Any network interface ... that forwards network traffic to an address other than its own must
 *   have ... Enable IP forwarding"), then re-sends the packet: its own NSGs and its own subnet's routes apply.
 * - Peering is not transitive (routes come only from directly peered VNets), and traffic that did not originate
 *   in the sending VNet (forwarded by an appliance) enters a peer only when the receiving VNet's peering allows
 *   forwarded traffic (virtual-network-manage-peering.md: "Allow 'vnet-1' to receive forwarded traffic from
 *   'vnet-2'... traffic that doesn't originate from vnet-2").
 * Values unknown at preview never decide silently: the flows they could affect end Unknown with the causes, or
 * carry them as doubt when the walk can go on (an NSG or flag that may let them through), so that a later sure
 * failure still answers "not delivered".
 */
import type { Direction, Nic, Subnet, Topology } from "../model/topology";
import { isUnknown, unknown, type Maybe } from "../model/unknown";
import type { Flow } from "../sets/flow";
import { FlowSet } from "../sets/flow-set";
import { IpSet } from "../sets/ip-set";
import { effectiveRoutesCached, type SubnetRoutes } from "./effective-routes";
import { CONCRETE, SYMBOLIC, type FlowSpace } from "./first-match";
import { chainCauses, evaluateNicChain, type ChainEvaluation, type EngineEnv } from "./nsg";
import { routeCases } from "./route-cases";
import { selectRoute } from "./routing";
import { nicAddresses, subnetOfNic } from "./topology-queries";
import { unmodelledBySubnet, unmodelledText } from "./unmodelled";
import { NIC_FILTERS } from "./filters";
import { fateOf, type Disposition, type HostEndpoint, type RouteUse } from "./dispositions";
import { firewallNic } from "./hops/firewall-appliance";
import { APPLIANCES } from "./hops/appliances";
import { HOP_HANDLERS } from "./hops/table";
import { toDst, withFlows, type ForwardOptions, type ForwardPath, type ForwardResult, type Hop, type State, type Walk, type WalkSpace, type WalkStart, type WalkTarget } from "./walk";
import { hostText, nicsIn, inScope, reservedIn, unmodelledCause, unmodelledIn } from "./walk-places";

// The disposition types and their table moved to dispositions.ts, the walk's vocabulary to walk.ts, the hop
// handlers to hops/: re-exported for the walk's callers.
export { fateOf, innermost, type Disposition, type DispositionKind, type DropReason, type Fate, type HostEndpoint, type RouteUse } from "./dispositions";
export type { ForwardOptions, ForwardPath, ForwardResult, Hop, HopType, WalkSpace, WalkStart, WalkTarget } from "./walk";

// ---- flow spaces with address projections --------------------------------------------------------------------

export const SYMBOLIC_WALK: WalkSpace<FlowSet> = {
  ...SYMBOLIC,
  destinations: (s) => s.destinations(),
  sources: (s) => s.sources(),
};

export const CONCRETE_WALK: WalkSpace<Flow | undefined> = {
  ...CONCRETE,
  destinations: (f) => (f === undefined ? IpSet.empty() : IpSet.fromAddress(f.dst)),
  sources: (f) => (f === undefined ? IpSet.empty() : IpSet.fromAddress(f.src)),
};

/** The appliances a path crosses, in order. */
export function appliancesOf<S>(path: ForwardPath<S>): Nic[] {
  // An Azure Firewall counts as its stand-in NIC (one key per firewall).
  return path.hops.flatMap((h) => (h.type !== "VirtualAppliance" ? [] : h.nic ? [h.nic] : h.firewall ? [firewallNic(h.firewall)] : []));
}

// ---- the walk ------------------------------------------------------------------------------------------------

function finish<S>(w: Walk<S>, st: State<S>, disposition: Disposition, hops: readonly Hop<S>[] = st.hops): void {
  if (w.space.isEmpty(st.flows)) return;
  const d: Disposition = st.doubt.length > 0 ? { kind: "Unknown", causes: st.doubt, otherwise: disposition } : disposition;
  w.paths.push({ flows: st.flows, hops, disposition: d });
}

/** The packets of `flows` from `start`, walked to their fate. Pure and deterministic. */
export function forward<S>(space: WalkSpace<S>, env: EngineEnv, start: WalkStart, flows: S, options: ForwardOptions = {}): ForwardResult<S> {
  const sourceNic = start.kind === "nic" ? start.nic : undefined;
  const w: Walk<S> = {
    space,
    env,
    options,
    sourceNic,
    sourceRange: sourceNic ? nicAddresses(env.topo, sourceNic).may : undefined,
    paths: [],
    notes: new Set(),
    handlers: options.hopHandlers ?? HOP_HANDLERS,
    finish: (st, d, hops) => finish(w, st, d, hops),
    deliverIn: (st, scope, use) => deliverIn(w, st, scope, use),
    leave: (st, base, nic, subnet) => leave(w, st, base, nic, subnet),
    routeFrom: (st, subnet) => routeFrom(w, st, subnet),
    arrive: (st, nic, type) => arrive(w, st, nic, type),
    evaluate: (nic, direction, flows, transit) => evaluate(w, nic, direction, flows, transit),
    applyChain: (st, chain, nic, direction, hops) => applyChain(w, st, chain, nic, direction, hops),
  };
  const st: State<S> = { flows, hops: [], visited: [], doubt: [] };
  if (start.kind === "nic") leave(w, st, { type: "Source", nic: start.nic }, start.nic, subnetOfNic(env.topo, start.nic));
  else if (start.kind === "host") leave(w, st, { type: "Source", host: start }, hostNic(start), start.subnet);
  else {
    // Ingress through public IPs and load balancers is decided elsewhere (the intent engine); here the packets
    // simply meet the inbound NSGs of whatever they are addressed to.
    const hops: Hop<S>[] = [{ type: "Source", external: start.addresses }];
    deliverIn(w, { ...st, hops }, null, undefined);
  }
  return { paths: w.paths, notes: [...w.notes] };
}

/**
 * A stand-in NIC for a host in a subnet: no NIC NSG, no ASG, the subnet's NSG applies (NSG evaluation takes the
 * subnet from the primary configuration).
 */
export function hostNic(host: HostEndpoint): Nic {
  return {
    key: `host|${host.subnet.key}|${host.addresses.toString()}`,
    urn: host.subnet.urn,
    logicalName: "",
    azureName: `host in ${host.subnet.logicalName || host.subnet.key}`,
    id: unknown(".id", host.subnet.urn, "a host in the subnet"),
    ipConfigurations: [
      { name: "host", primary: true, subnetKey: host.subnet.key, allocation: "Static", privateIpAddress: host.addresses.sample(), asgKeys: [], publicIpKey: null, backendPoolRefs: [] },
    ],
    nsgKey: null,
    ipForwarding: false,
    tags: {},
  };
}

/**
 * The NIC at the other end, for ASG matching, when every flow is known to go to (outbound) or come from
 * (inbound) it; otherwise the members' addresses decide.
 */
function remoteFor<S>(w: Walk<S>, direction: Direction, flows: S): Nic | undefined {
  if (direction === "Inbound") {
    return w.sourceNic && w.sourceRange && w.space.sources(flows).isSubsetOf(w.sourceRange) ? w.sourceNic : undefined;
  }
  const t = w.options.target;
  return t?.kind === "nic" && w.space.destinations(flows).isSubsetOf(t.addresses) ? t.nic : undefined;
}

function evaluate<S>(w: Walk<S>, nic: Nic, direction: Direction, flows: S, transit = false): ChainEvaluation<S> {
  if (w.options.evaluateNsgs === false) return { layers: [], allowed: flows, denied: w.space.empty, unknown: w.space.empty };
  if (transit) {
    // An appliance's NSGs see packets addressed to others: ASG sides bind to the packet's ends, not to the appliance.
    const source = remoteFor(w, "Inbound", flows);
    const destination = remoteFor(w, "Outbound", flows);
    return evaluateNicChain(w.space, w.env, nic, direction, flows, undefined, { ...(source ? { source } : {}), ...(destination ? { destination } : {}) });
  }
  return evaluateNicChain(w.space, w.env, nic, direction, flows, remoteFor(w, direction, flows));
}

/** Ends the denied flows, one path per deciding deny rule; returns the states that go on (allowed, undecided). */
function applyChain<S>(w: Walk<S>, st: State<S>, chain: ChainEvaluation<S>, nic: Nic, direction: Direction, hops: readonly Hop<S>[]): State<S>[] {
  // The filters in layer order (filters.ts): each ends the flows its layer denies.
  for (const filter of NIC_FILTERS) {
    for (const denial of filter.denials(chain, direction, nic)) finish(w, withFlows(st, denial.flows), denial.disposition, hops);
  }
  const out: State<S>[] = [];
  if (!w.space.isEmpty(chain.allowed)) out.push(withFlows(st, chain.allowed));
  if (!w.space.isEmpty(chain.unknown)) out.push(withFlows(st, chain.unknown, chainCauses(chain)));
  return out;
}

/** A NIC (source or appliance) sends the packet: its outbound NSGs, then its subnet's routes. */
function leave<S>(w: Walk<S>, st: State<S>, base: Hop<S>, nic: Nic, subnet: Maybe<Subnet | undefined>): void {
  const chain = evaluate(w, nic, "Outbound", st.flows, base.type === "VirtualAppliance");
  const hop: Hop<S> = { ...base, outbound: chain };
  const hops = [...st.hops, hop];
  for (const next of applyChain(w, st, chain, nic, "Outbound", hops)) {
    routeFrom(w, { ...next, hops, visited: [...st.visited, nic] }, subnet);
  }
}

function subnetRoutes<S>(w: Walk<S>, subnet: Subnet): SubnetRoutes {
  // The env's catalog is the one channel for service tags: a walk started by an intent expands a route to a tag
  // exactly as trace and AR-008 do (issue 14's disagreement: intents once routed with an empty catalog).
  const routes = effectiveRoutesCached(w.env, subnet, w.options);
  for (const n of routes.notes) w.notes.add(n);
  return routes;
}

function routeFrom<S>(w: Walk<S>, st: State<S>, subnet: Maybe<Subnet | undefined>): void {
  if (isUnknown(subnet)) return finish(w, st, { kind: "Unknown", causes: [subnet], detail: "the sender's subnet is not known at preview" });
  if (!subnet) return finish(w, st, { kind: "Unknown", causes: [unknown(".ipConfigurations[0].subnet", "", "the sender has no subnet in the plan")] });
  const sr = subnetRoutes(w, subnet);
  const sel = selectRoute(sr.routes, w.space.destinations(st.flows));
  for (const u of sel.undecided) {
    // Decided by cases (route-cases.ts) when every route that may win sends to the same next hop.
    const cases = routeCases(sr.routes, u.candidates, u.addresses);
    if (cases?.agree && cases.fallback) {
      w.notes.add(`decided by cases: for ${u.addresses} the winning route is one of ${cases.cases.map((c) => c.label).join("; ")}, and every one sends to the same next hop`);
      byNextHop(w, withFlows(st, toDst(w.space, st.flows, u.addresses)), { route: cases.fallback, subnet }, sr);
      continue;
    }
    finish(w, withFlows(st, toDst(w.space, st.flows, u.addresses)), { kind: "Unknown", causes: u.causes, detail: "the route that applies depends on values unknown at preview" });
  }
  if (!sel.unrouted.isEmpty()) {
    finish(w, withFlows(st, toDst(w.space, st.flows, sel.unrouted)), { kind: "Dropped", reason: "NoRoute", detail: `no route of subnet ${subnet.logicalName || subnet.key} covers ${sel.unrouted}` });
  }
  for (const part of sel.parts) {
    byNextHop(w, withFlows(st, toDst(w.space, st.flows, part.addresses)), { route: part.route, subnet }, sr);
  }
}

function byNextHop<S>(w: Walk<S>, st: State<S>, use: RouteUse, sr: SubnetRoutes): void {
  const hopType = use.route.nextHopType;
  if (isUnknown(hopType)) return finish(w, st, { kind: "Unknown", causes: [hopType], detail: "the next hop type of the route is not known at preview" });
  // One handler per next hop type (hops/table.ts).
  w.handlers[hopType](w, st, use, sr);
}

function targetVnetKey(topo: Topology, target: WalkTarget): Maybe<string> | undefined {
  if (target.kind === "external") return undefined;
  const subnet = target.kind === "nic" ? subnetOfNic(topo, target.nic) : target.subnet;
  if (isUnknown(subnet)) return subnet;
  return subnet ? subnet.vnetKey : undefined;
}

/**
 * The packets reach the hosts of a VNet (`scope`; null: any NIC of the plan, for traffic from outside): the
 * query's target for the addresses it stands for, the NIC holding an address for the others, "no host" where
 * nothing holds the address; an address only a dynamic NIC may hold is undecided.
 */
function deliverIn<S>(w: Walk<S>, st: State<S>, scope: string | null, use: RouteUse | undefined): void {
  let remaining = st.flows;
  // Addresses Azure reserves in the subnets here are never assigned: nothing receives packets sent to them.
  const reserved = reservedIn(w.env, scope);
  if (!reserved.set.isEmpty() && w.space.destinations(remaining).overlaps(reserved.set)) {
    const hit = w.space.destinations(remaining).intersect(reserved.set);
    const where = reserved.bySubnet.filter((r) => r.set.overlaps(hit)).map((r) => `${hostText(hit.intersect(r.set))} in subnet ${r.name}`);
    finish(w, withFlows(st, toDst(w.space, remaining, reserved.set)), {
      kind: "NoHost",
      ...(use ? { route: use } : {}),
      detail: `Azure reserves ${where.join(", ")} (the network address, the default gateway, two DNS addresses and the broadcast address of every subnet): never assigned to a host`,
    });
    remaining = w.space.subtract(remaining, FlowSet.cube({ dst: reserved.set }));
  }
  const target = w.options.target;
  if (target && target.kind !== "external") {
    const tv = targetVnetKey(w.env.topo, target);
    const here = scope === null || tv === scope;
    if (here) {
      const mine = toDst(w.space, remaining, target.addresses);
      remaining = w.space.subtract(remaining, FlowSet.cube({ dst: target.addresses }));
      if (target.kind === "nic") arrive(w, withFlows(st, mine), target.nic, "Destination");
      else arriveHost(w, withFlows(st, mine), target);
    }
  }
  // The destinations still to place, kept alongside the flows so each NIC costs an address-set test only.
  let left = w.space.destinations(remaining);
  const take = (addrs: IpSet): S => {
    const part = toDst(w.space, remaining, addrs);
    remaining = w.space.subtract(remaining, FlowSet.cube({ dst: addrs }));
    left = left.subtract(addrs);
    return part;
  };
  for (const entry of nicsIn(w.env, scope)) {
    if (left.isEmpty()) return;
    const scoped = inScope(entry, scope);
    if (scoped === false || !left.overlaps(entry.addrs.may)) continue;
    if (scoped === "maybe" && isUnknown(entry.vnetKey)) {
      finish(w, withFlows(st, take(entry.addrs.may)), { kind: "Unknown", causes: [entry.vnetKey], detail: `the address may belong to ${entry.nic.logicalName || entry.nic.key}, whose subnet is unknown` });
      continue;
    }
    arrive(w, withFlows(st, take(entry.addrs.must)), entry.nic, "Destination");
    const undecidedAddrs = entry.addrs.may.subtract(entry.addrs.must);
    if (!undecidedAddrs.isEmpty() && left.overlaps(undecidedAddrs)) {
      finish(w, withFlows(st, take(undecidedAddrs)), { kind: "Unknown", causes: entry.addrs.causes, detail: `the address may be the dynamic address of ${entry.nic.logicalName || entry.nic.key}` });
    }
  }
  if (left.isEmpty()) return;
  // An address an appliance takes without a NIC of the plan (AzureFirewallSubnet's, for a firewall's instances):
  // traffic addressed to the appliance itself is not modelled, so it is undecided, naming it (hops/appliances.ts).
  for (const kind of APPLIANCES) {
    for (const f of kind.placesIn?.(w.env, scope) ?? []) {
      if (!left.overlaps(f.space)) continue;
      finish(w, withFlows(st, take(f.space)), { kind: "Unknown", causes: [f.cause], detail: f.detail });
      if (left.isEmpty()) return;
    }
  }
  // An address of a subnet where an unmodelled resource sits (a firewall, a private endpoint, a scale set) may be
  // that resource's: neither delivered nor "no host", but undecided, naming it.
  for (const u of unmodelledIn(w.env, scope)) {
    if (!left.overlaps(u.space)) continue;
    finish(w, withFlows(st, take(u.space)), { kind: "Unknown", causes: [u.cause], detail: `the address may belong to ${unmodelledText(u.resources)}, which the model does not represent` });
    if (left.isEmpty()) return;
  }
  finish(w, withFlows(st, remaining), { kind: "NoHost", ...(use ? { route: use } : {}), detail: `no network interface in the plan holds ${left}` });
}

/** Arrival at a NIC that is the packet's destination: its inbound NSGs. */
function arrive<S>(w: Walk<S>, st: State<S>, nic: Nic, type: "Destination"): void {
  if (w.space.isEmpty(st.flows)) return;
  const chain = evaluate(w, nic, "Inbound", st.flows);
  const hops = [...st.hops, { type, nic, inbound: chain }];
  for (const next of applyChain(w, st, chain, nic, "Inbound", hops)) finish(w, next, { kind: "Delivered", nic }, hops);
}

function arriveHost<S>(w: Walk<S>, st: State<S>, host: HostEndpoint): void {
  if (w.space.isEmpty(st.flows)) return;
  const there = unmodelledBySubnet(w.env.topo).get(host.subnet.key);
  if (there) {
    // The host stands for what sits in the subnet, and that is a resource the model does not represent.
    return finish(w, st, { kind: "Unknown", causes: [unmodelledCause(host.subnet, there)], detail: `the subnet holds ${unmodelledText(there)}, which the model does not represent` });
  }
  const stand = hostNic(host);
  const chain = evaluate(w, stand, "Inbound", st.flows);
  const hops = [...st.hops, { type: "Destination" as const, host, inbound: chain }];
  for (const next of applyChain(w, st, chain, stand, "Inbound", hops)) finish(w, next, { kind: "Delivered", host }, hops);
}

export interface FateSummary<S> {
  readonly delivered: S;
  readonly exited: S;
  readonly stopped: S;
  readonly unknown: S;
}

/** The flows by fate, for callers that need sets rather than paths. */
export function summarize<S>(space: FlowSpace<S>, result: ForwardResult<S>): FateSummary<S> {
  let delivered = space.empty;
  let exited = space.empty;
  let stopped = space.empty;
  let undecided = space.empty;
  for (const p of result.paths) {
    const fate = fateOf(p.disposition);
    if (fate === "Delivered") delivered = space.union(delivered, p.flows);
    else if (fate === "Exited") exited = space.union(exited, p.flows);
    else if (fate === "Stopped") stopped = space.union(stopped, p.flows);
    else undecided = space.union(undecided, p.flows);
  }
  return { delivered, exited, stopped, unknown: undecided };
}
