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
import type { AdminRule, Direction, Nic, Nsg, Peering, Subnet, Topology, UnmodelledResource, Vnet } from "../model/topology";
import { isUnknown, unknown, type Maybe, type Unknown } from "../model/unknown";
import type { Flow } from "../sets/flow";
import { FlowSet } from "../sets/flow-set";
import { IpSet } from "../sets/ip-set";
import type { AzureFirewall } from "../model/firewall";
import { effectiveRoutesCached, type GatewayReach, type RoutingOptions, type SubnetRoutes } from "./effective-routes";
import { CONCRETE, SYMBOLIC, type Decision, type FlowSpace } from "./first-match";
import { evaluateFirewall, forwardingRules, firewallAt, firewallName, firewallNotes, type FirewallMatchRule } from "./firewall";
import { chainCauses, envCached, evaluateNicChain, type ChainEvaluation, type EngineEnv, type NsgLayer } from "./nsg";
import type { CompiledRule } from "./rules";
import { routeCases } from "./route-cases";
import { selectRoute, type EffectiveRoute } from "./routing";
import { assignableAddresses, connectedPeerings, lookup, nicAddresses, subnetOfNic, vnetOfSubnet } from "./topology-queries";
import { mergeCauses, type TriSet } from "./tri-set";
import { unmodelledBySubnet, unmodelledText } from "./unmodelled";
import { AZURE_IMDS_IP, PUBLIC_UNICAST } from "../azure/well-known";
import { egressOf, egressText } from "./egress";

// ---- flow spaces with address projections --------------------------------------------------------------------

/** A FlowSpace that can also tell the addresses its flows go to and come from (route selection needs them). */
export interface WalkSpace<S> extends FlowSpace<S> {
  destinations(s: S): IpSet;
  sources(s: S): IpSet;
}

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

function toDst<S>(space: WalkSpace<S>, s: S, set: IpSet): S {
  return space.intersect(s, FlowSet.cube({ dst: set }));
}

function toSrc<S>(space: WalkSpace<S>, s: S, set: IpSet): S {
  return space.intersect(s, FlowSet.cube({ src: set }));
}

// ---- endpoints, hops, dispositions ---------------------------------------------------------------------------

/** Some host in a subnet that no NIC of the plan stands for: the subnet's NSG and routes apply, no NIC NSG. */
export interface HostEndpoint {
  readonly kind: "host";
  readonly subnet: Subnet;
  readonly addresses: IpSet;
}

export type WalkStart =
  | { readonly kind: "nic"; readonly nic: Nic }
  | HostEndpoint
  /** From outside Azure (the Internet, on-premises): packets enter the destination NIC directly. */
  | { readonly kind: "external"; readonly addresses: IpSet };

/**
 * What the query is about. Flows to `addresses` are taken as addressed to this endpoint; for a NIC with a dynamic
 * address that is the whole range it may receive, so the answer holds for every address it may get.
 */
export type WalkTarget =
  | { readonly kind: "nic"; readonly nic: Nic; readonly addresses: IpSet }
  | HostEndpoint
  | { readonly kind: "external"; readonly addresses: IpSet };

export type HopType = "Source" | "VirtualAppliance" | "VnetLocal" | "VNetPeering" | "Internet" | "VirtualNetworkGateway" | "Destination";

/** A route as used: the route and the subnet whose effective routes it belongs to. */
export interface RouteUse {
  readonly route: EffectiveRoute;
  readonly subnet: Subnet;
}

export interface Hop<S> {
  readonly type: HopType;
  /** Source, VirtualAppliance and Destination hops at a NIC. */
  readonly nic?: Nic;
  /** Source or Destination hops at a host in a subnet. */
  readonly host?: HostEndpoint;
  /** Source hop from outside Azure, or the Internet hop: the addresses. */
  readonly external?: IpSet;
  /** The route that sent the packet to this hop (transit and appliance hops). */
  readonly route?: RouteUse;
  /** VNetPeering hops: the sending VNet's peering, the receiving VNet's peering back, and the receiving VNet. */
  readonly peering?: Peering;
  readonly receivingPeering?: Peering;
  readonly remoteVnet?: Vnet;
  /** VirtualNetworkGateway hops. */
  readonly gateways?: readonly GatewayReach[];
  /** Internet hops: how the traffic leaves Azure (NAT gateway, public IP, LB outbound rule, default outbound access). */
  readonly egress?: string;
  /**
   * NSG chains evaluated at this hop, over the flows that reached it (for a symbolic walk, a superset of a
   * single path's flows: intersect the decisions with the path's flows).
   */
  readonly inbound?: ChainEvaluation<S>;
  readonly outbound?: ChainEvaluation<S>;
  /** VirtualAppliance hops at an Azure Firewall: the firewall, and its rules' decisions over the flows that reached it. */
  readonly firewall?: AzureFirewall;
  readonly firewallDecisions?: readonly Decision<S, FirewallMatchRule>[];
  /** The firewall hop of a DNAT leg: the rule that translated, and the translated destination. */
  readonly dnat?: { readonly rule: FirewallMatchRule; readonly translated: string };
  /** Hops of a translated (DNAT) leg: the flows as they are there, when they differ from the path's own. */
  readonly translatedFlows?: S;
}

export type DropReason =
  /** A route with next hop None (user route, or a system reserved-prefix route). */
  | "NoneRoute"
  /** No route covers the destination. */
  | "NoRoute"
  /** Next hop VirtualNetworkGateway but no gateway in (or reachable from) the VNet. */
  | "NoGateway"
  /** Next hop VirtualAppliance without an address. */
  | "NoApplianceAddress"
  /** The appliance is in a VNet that is neither the sender's nor directly peered with it. */
  | "ApplianceUnreachable"
  /** Forwarded traffic into a peer whose peering does not allow forwarded traffic. */
  | "ForwardedTrafficNotAllowed"
  /** Next hop Internet for a destination that is not public unicast (private, loopback, link-local, ...). */
  | "NotInternetRoutable"
  /** Next hop Internet from a private subnet (defaultOutboundAccess: false) with no explicit outbound method. */
  | "NoOutboundAccess";

export type Disposition =
  | { readonly kind: "Delivered"; readonly nic?: Nic; readonly host?: HostEndpoint }
  | { readonly kind: "Exited"; readonly to: "Internet" | "Gateway" | "Service"; readonly gateways?: readonly GatewayReach[]; readonly route: RouteUse; readonly egress?: string }
  /** `doubtful`: earlier deny rules that may match first (deciding-rule.ts): the rule is then "one of" them and `rule`. */
  | { readonly kind: "DeniedByNsg"; readonly direction: Direction; readonly nic: Nic; readonly layer: NsgLayer; readonly nsg: Nsg; readonly rule: CompiledRule; readonly doubtful?: readonly CompiledRule[] }
  /** Stopped by a Virtual Network Manager security admin rule of the NIC's VNet, before its NSGs (admin-rules.ts). */
  | { readonly kind: "DeniedByAdminRule"; readonly direction: Direction; readonly nic: Nic; readonly rule: CompiledRule<AdminRule> }
  | { readonly kind: "Dropped"; readonly reason: DropReason; readonly route?: RouteUse; readonly peering?: Peering; readonly detail: string }
  | { readonly kind: "ApplianceNoForwarding"; readonly nic: Nic; readonly route: RouteUse }
  /** An Azure Firewall on the path denies: a Deny rule collection's rule, or its default deny (rule.kind "Default"). */
  | { readonly kind: "DeniedByFirewall"; readonly firewall: AzureFirewall; readonly rule: FirewallMatchRule; readonly route?: RouteUse }
  | { readonly kind: "Loop"; readonly path: readonly Nic[]; readonly route: RouteUse }
  | { readonly kind: "NoHost"; readonly route?: RouteUse; readonly detail: string }
  /**
   * Values unknown at preview decide. With `otherwise`: the unknowns may stop the flows earlier (an NSG that may
   * deny, a flag that may be off); if they do not, `otherwise` is their fate. Without it, nothing more is known.
   */
  | { readonly kind: "Unknown"; readonly causes: readonly Unknown[]; readonly otherwise?: Disposition; readonly detail?: string };

export interface ForwardPath<S> {
  readonly flows: S;
  readonly hops: readonly Hop<S>[];
  readonly disposition: Disposition;
}

export interface ForwardResult<S> {
  readonly paths: readonly ForwardPath<S>[];
  /** What the routes used do not model (gateway prefixes outside the plan, ...), deduplicated. */
  readonly notes: readonly string[];
}

export interface ForwardOptions extends RoutingOptions {
  readonly target?: WalkTarget;
  /** False: routing only (used for return paths, which stateful NSGs let through). Default true. */
  readonly evaluateNsgs?: boolean;
  /** Safety bound on appliances crossed; default 16. */
  readonly maxAppliances?: number;
}

/** Delivered or exited (the packet reached its destination or left Azure), stopped, or undecided. */
export type Fate = "Delivered" | "Exited" | "Stopped" | "Unknown";

/** The fate of a disposition; an Unknown whose `otherwise` is a stop is a sure stop (not delivered either way). */
export function fateOf(d: Disposition): Fate {
  switch (d.kind) {
    case "Delivered":
      return "Delivered";
    case "Exited":
      return "Exited";
    case "Unknown":
      return d.otherwise !== undefined && fateOf(d.otherwise) === "Stopped" ? "Stopped" : "Unknown";
    default:
      return "Stopped";
  }
}

/** The disposition that names the responsible rule or route: the inner one of an Unknown wrapper. */
export function innermost(d: Disposition): Disposition {
  return d.kind === "Unknown" && d.otherwise ? innermost(d.otherwise) : d;
}

/** The appliances a path crosses, in order. */
export function appliancesOf<S>(path: ForwardPath<S>): Nic[] {
  // An Azure Firewall counts as its stand-in NIC (one key per firewall).
  return path.hops.flatMap((h) => (h.type !== "VirtualAppliance" ? [] : h.nic ? [h.nic] : h.firewall ? [firewallNic(h.firewall)] : []));
}

// ---- the walk ------------------------------------------------------------------------------------------------

interface Walk<S> {
  readonly space: WalkSpace<S>;
  readonly env: EngineEnv;
  readonly options: ForwardOptions;
  readonly sourceNic?: Nic;
  readonly sourceRange?: IpSet;
  readonly paths: ForwardPath<S>[];
  readonly notes: Set<string>;
}

interface State<S> {
  readonly flows: S;
  readonly hops: readonly Hop<S>[];
  /** Keys of the NICs that sent the packet so far (source, then appliances): a repeat is a loop. */
  readonly visited: readonly Nic[];
  /** Unknowns that may have stopped these flows earlier. */
  readonly doubt: readonly Unknown[];
}

function finish<S>(w: Walk<S>, st: State<S>, disposition: Disposition, hops: readonly Hop<S>[] = st.hops): void {
  if (w.space.isEmpty(st.flows)) return;
  const d: Disposition = st.doubt.length > 0 ? { kind: "Unknown", causes: st.doubt, otherwise: disposition } : disposition;
  w.paths.push({ flows: st.flows, hops, disposition: d });
}

function withFlows<S>(st: State<S>, flows: S, extraDoubt: readonly Unknown[] = []): State<S> {
  return { ...st, flows, doubt: mergeCauses(st.doubt as Unknown[], extraDoubt) };
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
  for (const d of chain.admin?.decisions ?? []) {
    if (d.outcome === "Deny") finish(w, withFlows(st, d.flows), { kind: "DeniedByAdminRule", direction, nic, rule: d.rule }, hops);
  }
  for (const l of chain.layers) {
    if (isUnknown(l.layer.nsg)) continue;
    for (const d of l.decisions) {
      if (d.outcome !== "Deny") continue;
      finish(w, withFlows(st, d.flows), { kind: "DeniedByNsg", direction, nic, layer: l.layer, nsg: l.layer.nsg, rule: d.rule, ...(d.doubtful.length > 0 ? { doubtful: d.doubtful } : {}) }, hops);
    }
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
  const routes = effectiveRoutesCached(w.env.cache, w.env.topo, subnet, { ...w.options, serviceTags: w.env.tags });
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
  switch (hopType) {
    case "None":
      return finish(w, st, { kind: "Dropped", reason: "NoneRoute", route: use, detail: "the route's next hop is None" });
    case "Internet":
      return toInternet(w, st, use);
    case "VirtualNetworkGateway":
      return toGateway(w, st, use, sr);
    case "VnetLocal": {
      const hops = [...st.hops, { type: "VnetLocal" as const, route: use }];
      const vnetKey = use.subnet.vnetKey;
      if (isUnknown(vnetKey)) return finish(w, st, { kind: "Unknown", causes: [vnetKey] }, hops);
      return deliverIn(w, { ...st, hops }, vnetKey, use);
    }
    case "VNetPeering":
      return toPeer(w, st, use);
    case "VirtualAppliance":
      return toAppliance(w, st, use);
    case "InterfaceEndpoint":
      return toPrivateEndpoint(w, st, use);
    case "VirtualNetworkServiceEndpoint":
      return toService(w, st, use);
  }
}

/**
 * Next hop InterfaceEndpoint: the private endpoint's /32 route delivers straight to its NIC in its VNet (across the
 * peering when the endpoint is in a peered VNet), whatever appliance a less specific user route names.
 */
function toPrivateEndpoint<S>(w: Walk<S>, st: State<S>, use: RouteUse): void {
  if (use.route.remoteVnet) return toPeer(w, st, use);
  const vnetKey = use.route.vnet?.key ?? use.subnet.vnetKey;
  const hops = [...st.hops, { type: "VnetLocal" as const, route: use }];
  if (isUnknown(vnetKey)) return finish(w, st, { kind: "Unknown", causes: [vnetKey] }, hops);
  return deliverIn(w, { ...st, hops }, vnetKey, use);
}

/**
 * Next hop VirtualNetworkServiceEndpoint: the packet goes to the Azure service over Microsoft's backbone, never
 * through an appliance or gateway a user route names (virtual-network-service-endpoints-overview). It leaves the
 * plan there, as Internet-bound traffic does.
 */
function toService<S>(w: Walk<S>, st: State<S>, use: RouteUse): void {
  const dsts = w.space.destinations(st.flows);
  finish(w, st, { kind: "Exited", to: "Service", route: use }, [...st.hops, { type: "Internet", route: use, external: dsts }]);
}

/**
 * Next hop Internet. Only public unicast destinations leave Azure to the Internet (the Internet service tag is
 * public unicast: service-tags-overview.md; docs/azure-semantics.md §7). A private, shared, loopback,
 * link-local, "this network", multicast or broadcast destination is not routed on the Internet: the packet is
 * dropped at Azure's edge, never delivered. The metadata service (169.254.169.254) is answered by the host itself,
 * outside routes and NSGs: that is undecided, with the reason.
 */
function toInternet<S>(w: Walk<S>, st: State<S>, use: RouteUse): void {
  const dsts = w.space.destinations(st.flows);
  const publicPart = dsts.intersect(PUBLIC_UNICAST);
  if (!publicPart.isEmpty()) {
    const out = withFlows(st, toDst(w.space, st.flows, PUBLIC_UNICAST));
    // The NIC that hands the packet to the Internet next hop (the source, or the last appliance) decides the egress.
    const sender = st.visited[st.visited.length - 1];
    const egress = sender && !publicPart.intersect(IpSet.allV4()).isEmpty() ? egressOf(w.env.topo, sender) : undefined;
    if (egress?.kind === "none") {
      finish(w, out, { kind: "Dropped", reason: "NoOutboundAccess", route: use, detail: egressText(egress) });
    } else if (egress?.kind === "unknown" && egress.causes.length > 0) {
      finish(w, out, { kind: "Unknown", causes: egress.causes, detail: "how the traffic leaves for the Internet is not known at preview" });
    } else {
      const text = egress && egress.kind !== "unknown" ? egressText(egress) : undefined;
      finish(w, out, { kind: "Exited", to: "Internet", route: use, ...(text ? { egress: text } : {}) }, [...st.hops, { type: "Internet", route: use, external: publicPart, ...(text ? { egress: text } : {}) }]);
    }
  }
  const imds = IpSet.fromAddress(AZURE_IMDS_IP);
  if (dsts.overlaps(imds)) {
    const cause = unknown(".destination", "", `${AZURE_IMDS_IP} is the Azure Instance Metadata Service: the host answers it whatever the routes, which the plan does not model`);
    finish(w, withFlows(st, toDst(w.space, st.flows, imds)), { kind: "Unknown", causes: [cause], detail: `${AZURE_IMDS_IP} is answered by the host, not routed` });
  }
  const rest = dsts.subtract(PUBLIC_UNICAST).subtract(imds);
  if (rest.isEmpty()) return;
  finish(w, withFlows(st, toDst(w.space, st.flows, rest)), {
    kind: "Dropped",
    reason: "NotInternetRoutable",
    route: use,
    detail: `${hostText(rest)} ${nonPublicKinds(rest)}: the Internet next hop carries public unicast traffic only (the Internet service tag is public unicast space), so Azure does not deliver it`,
  });
}

/** Which non-public ranges a set falls in: "is private (RFC 1918)", "is loopback", ... */
function nonPublicKinds(set: IpSet): string {
  const kinds = NON_PUBLIC_KINDS.filter(([, range]) => range.overlaps(set)).map(([name]) => name);
  if (!set.v6.isEmpty()) kinds.push("outside IPv6 global unicast (2000::/3)");
  return `is not a public address (${kinds.join("; ")})`;
}

const NON_PUBLIC_KINDS: ReadonlyArray<readonly [string, IpSet]> = [
  ["0.0.0.0/8: this network", IpSet.fromCidr("0.0.0.0/8")],
  ["private, RFC 1918", IpSet.fromPrefixes(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"])],
  ["100.64.0.0/10: shared address space, RFC 6598", IpSet.fromCidr("100.64.0.0/10")],
  ["127.0.0.0/8: loopback, never leaves the host", IpSet.fromCidr("127.0.0.0/8")],
  ["169.254.0.0/16: link-local", IpSet.fromCidr("169.254.0.0/16")],
  ["224.0.0.0/4: multicast", IpSet.fromCidr("224.0.0.0/4")],
  ["240.0.0.0/4: reserved, with 255.255.255.255 the limited broadcast", IpSet.fromCidr("240.0.0.0/4")],
];

function toGateway<S>(w: Walk<S>, st: State<S>, use: RouteUse, sr: SubnetRoutes): void {
  if (sr.gateways.length === 0) {
    return finish(w, st, { kind: "Dropped", reason: "NoGateway", route: use, detail: "next hop VirtualNetworkGateway, but the VNet has no gateway and uses no remote gateway" });
  }
  const hops = [...st.hops, { type: "VirtualNetworkGateway" as const, route: use, gateways: sr.gateways }];
  const doubt = sr.gateways.every((g) => g.doubt.length > 0) ? sr.gateways.flatMap((g) => g.doubt) : [];
  // Beyond the gateway is on-premises: outside the plan, so the walk ends here.
  finish(w, withFlows(st, st.flows, doubt), { kind: "Exited", to: "Gateway", gateways: sr.gateways, route: use }, hops);
}

/**
 * Forwarded-traffic check for packets entering `receiving` from `sender` over a peering: packets whose source is
 * outside the sender's address space were forwarded (by an appliance) and need allowForwardedTraffic on the
 * receiving VNet's peering to the sender. Calls `pass` with what may go on.
 */
function crossPeering<S>(w: Walk<S>, st: State<S>, sender: Vnet, receiving: Vnet, use: RouteUse, hops: readonly Hop<S>[], pass: (st: State<S>) => void): void {
  const back = [...w.env.topo.peerings.values()].find((p) => p.vnetKey === receiving.key && p.remoteVnetKey === sender.key);
  const flag: Maybe<boolean> = back ? back.allowForwardedTraffic : false;
  if (flag === true) return pass(st);
  if (isUnknown(sender.addressSpace)) {
    // Which packets count as forwarded is unknown; if the flag is off the forwarded ones stop here.
    return pass(withFlows(st, st.flows, isUnknown(flag) ? [sender.addressSpace, flag] : [sender.addressSpace]));
  }
  const native = toSrc(w.space, st.flows, sender.addressSpace);
  const forwarded = w.space.subtract(st.flows, FlowSet.cube({ src: sender.addressSpace }));
  if (!w.space.isEmpty(native)) pass(withFlows(st, native));
  if (w.space.isEmpty(forwarded)) return;
  if (isUnknown(flag)) return pass(withFlows(st, forwarded, [flag]));
  const name = back ? back.logicalName || back.name : "(none)";
  finish(
    w,
    withFlows(st, forwarded),
    {
      kind: "Dropped",
      reason: "ForwardedTrafficNotAllowed",
      route: use,
      ...(back ? { peering: back } : {}),
      detail: `forwarded traffic (source outside ${sender.logicalName || sender.key}) enters ${receiving.logicalName || receiving.key} only when its peering ${name} to ${sender.logicalName || sender.key} sets allowForwardedTraffic`,
    },
    hops,
  );
}

function senderVnet<S>(w: Walk<S>, use: RouteUse): Maybe<Vnet | undefined> {
  return vnetOfSubnet(w.env.topo, use.subnet);
}

function toPeer<S>(w: Walk<S>, st: State<S>, use: RouteUse): void {
  const remote = use.route.remoteVnet;
  const sender = senderVnet(w, use);
  if (!remote || isUnknown(sender) || !sender) {
    const cause = isUnknown(sender) ? sender : unknown(".remoteVirtualNetwork", use.route.peering?.urn ?? "", "the peered VNet is not known");
    return finish(w, st, { kind: "Unknown", causes: [cause] });
  }
  const back = [...w.env.topo.peerings.values()].find((p) => p.vnetKey === remote.key && p.remoteVnetKey === sender.key);
  const hop: Hop<S> = { type: "VNetPeering", route: use, remoteVnet: remote, ...(use.route.peering ? { peering: use.route.peering } : {}), ...(back ? { receivingPeering: back } : {}) };
  const hops = [...st.hops, hop];
  crossPeering(w, st, sender, remote, use, hops, (next) => deliverIn(w, { ...next, hops }, remote.key, use));
}

/** Per NIC: its VNet (or Unknown) and its addresses. Cached: it depends on the topology only. */
interface NicEntry {
  readonly nic: Nic;
  readonly vnetKey: Maybe<string> | undefined;
  readonly addrs: TriSet;
}

function nicIndex(env: EngineEnv): NicEntry[] {
  const key = "forward|nic-index";
  const hit = env.cache.get(key);
  if (hit !== undefined) return hit as NicEntry[];
  const out: NicEntry[] = [];
  for (const nic of [...env.topo.nics.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const subnet = subnetOfNic(env.topo, nic);
    const vnetKey = isUnknown(subnet) ? subnet : subnet ? subnet.vnetKey : undefined;
    out.push({ nic, vnetKey, addrs: nicAddresses(env.topo, nic) });
  }
  env.cache.set(key, out);
  return out;
}

/**
 * The NICs that may sit in a VNet: those known to be there, then those whose VNet is unknown (they may be).
 * Indexed once per topology, so large estates do not scan every NIC per delivery.
 */
function nicsIn(env: EngineEnv, scope: string | null): NicEntry[] {
  if (scope === null) return nicIndex(env);
  const key = "forward|nics-by-vnet";
  let byVnet = env.cache.get(key) as Map<string, NicEntry[]> | undefined;
  if (byVnet === undefined) {
    byVnet = new Map();
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
    env.cache.set(key, byVnet);
  }
  // The VNet's NICs, then those that may be anywhere: built once per VNet, not per delivery.
  const map = byVnet;
  return envCached(env, `forward|nics-in|${scope}`, () => [...(map.get(scope) ?? []), ...(map.get("?") ?? [])]);
}

function inScope(entry: NicEntry, scope: string | null): boolean | "maybe" {
  if (scope === null) return true;
  if (entry.vnetKey === undefined) return false;
  if (isUnknown(entry.vnetKey)) return "maybe";
  return entry.vnetKey === scope;
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
  // An address of AzureFirewallSubnet belongs to the firewall (its instances take addresses there): traffic
  // addressed to the firewall itself is not modelled, so it is undecided, naming the firewall.
  for (const f of firewallPlacesIn(w.env, scope)) {
    if (!left.overlaps(f.space)) continue;
    finish(w, withFlows(st, take(f.space)), { kind: "Unknown", causes: [f.cause], detail: `the address is in the subnet of firewall ${firewallName(f.firewall)}: traffic addressed to the firewall itself is not modelled` });
    if (left.isEmpty()) return;
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

interface FirewallPlace {
  readonly space: IpSet;
  readonly firewall: AzureFirewall;
  readonly cause: Unknown;
}

/** The subnets of Azure Firewalls (of a VNet, or all: null), with their address space. */
function firewallPlacesIn(env: EngineEnv, scope: string | null): readonly FirewallPlace[] {
  const model = env.topo.firewall;
  if (!model || model.firewalls.size === 0) return [];
  return envCached(env, `forward|firewalls|${scope ?? "*"}`, () => {
    const out: FirewallPlace[] = [];
    for (const fw of model.firewalls.values()) {
      if (typeof fw.subnetKey !== "string") continue;
      const subnet = env.topo.subnets.get(fw.subnetKey);
      if (!subnet || isUnknown(subnet.addressSpace) || (scope !== null && subnet.vnetKey !== scope)) continue;
      out.push({ space: subnet.addressSpace, firewall: fw, cause: unknown(".ipConfigurations", fw.urn, `the address is in AzureFirewallSubnet, held by firewall ${firewallName(fw)}; traffic addressed to the firewall itself is not modelled`) });
    }
    return out;
  });
}

interface UnmodelledPlace {
  readonly space: IpSet;
  readonly resources: readonly UnmodelledResource[];
  readonly cause: Unknown;
}

/** The subnets (of a VNet, or all: null) where unmodelled resources sit, with their address space and the cause. */
function unmodelledIn(env: EngineEnv, scope: string | null): readonly UnmodelledPlace[] {
  if ((env.topo.unmodelled ?? []).length === 0) return [];
  return envCached(env, `forward|unmodelled|${scope ?? "*"}`, () => {
    const out: UnmodelledPlace[] = [];
    for (const [key, resources] of unmodelledBySubnet(env.topo)) {
      const subnet = env.topo.subnets.get(key);
      if (!subnet || isUnknown(subnet.addressSpace) || (scope !== null && subnet.vnetKey !== scope)) continue;
      out.push({ space: subnet.addressSpace, resources, cause: unmodelledCause(subnet, resources) });
    }
    return out;
  });
}

function unmodelledCause(subnet: Subnet, resources: readonly UnmodelledResource[]): Unknown {
  const name = subnet.logicalName || (isUnknown(subnet.azureName) ? subnet.key : subnet.azureName);
  return unknown(".", resources[0]?.urn ?? subnet.urn, `subnet ${name} holds ${unmodelledText(resources)}, not modelled: what it does with the traffic is not known`);
}

/** "10.0.2.0", "10.0.2.0/30,10.0.2.255": CIDRs, single addresses without /32. */
function hostText(set: IpSet): string {
  return set
    .toCidrs()
    .map((c) => c.replace(/\/(32|128)$/, ""))
    .join(",");
}

interface Reserved {
  readonly set: IpSet;
  readonly bySubnet: ReadonlyArray<{ readonly name: string; readonly set: IpSet }>;
}

/**
 * The addresses Azure reserves in the subnets of a VNet (null: every subnet of the plan): each IPv4 prefix's
 * first four and its last (topology-queries.ts, assignableAddresses). Computed once per scope.
 */
function reservedIn(env: EngineEnv, scope: string | null): Reserved {
  return envCached(env, `forward|reserved|${scope ?? "*"}`, () => {
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

/** The NIC holding an address, surely; else the causes that leave it open; else nothing. */
function holderOf(env: EngineEnv, ip: string): { nic?: Nic; causes: Unknown[] } {
  // Every walk through an appliance asks this of the same few next-hop addresses: answered once per address.
  return envCached(env, `forward|holder|${ip}`, () => scanHolder(env, ip));
}

function scanHolder(env: EngineEnv, ip: string): { nic?: Nic; causes: Unknown[] } {
  let causes: Unknown[] = [];
  for (const entry of nicIndex(env)) {
    if (entry.addrs.must.contains(ip)) return { nic: entry.nic, causes: [] };
    if (entry.addrs.may.contains(ip)) causes = mergeCauses(causes, entry.addrs.causes as Unknown[]);
  }
  return { causes };
}

function toAppliance<S>(w: Walk<S>, st: State<S>, use: RouteUse): void {
  const ip = use.route.nextHopIpAddress;
  if (isUnknown(ip)) return finish(w, st, { kind: "Unknown", causes: [ip], detail: "the appliance address is not known at preview" });
  if (ip === undefined) return finish(w, st, { kind: "Dropped", reason: "NoApplianceAddress", route: use, detail: "next hop VirtualAppliance without a next hop address" });
  // An Azure Firewall's private IP: the firewall is the appliance (it holds no NIC of the plan).
  const fwHit = firewallAt(w.env.topo, ip);
  if (fwHit.firewall) return toFirewall(w, st, use, fwHit.firewall);
  const found = holderOf(w.env, ip);
  const holder = !found.nic && fwHit.causes.length > 0 ? { causes: mergeCauses(found.causes, fwHit.causes) } : found;
  if (!holder.nic && holder.causes.length === 0) {
    const vnet = envCached(w.env, `forward|outside-subnets|${ip}`, () => vnetOutsideSubnets(w.env.topo, ip));
    if (vnet) return finish(w, st, { kind: "NoHost", route: use, detail: `the next hop address ${ip} is in the address space of VNet ${vnet.logicalName || vnet.key} but in none of its subnets: nothing can hold it` });
  }
  if (!holder.nic) {
    const place = unmodelledIn(w.env, null).find((u) => u.space.contains(ip));
    const causes =
      holder.causes.length > 0
        ? holder.causes
        : place
          ? [place.cause]
          : [unknown(`.routes[${use.route.name ?? "?"}].nextHopIpAddress`, use.route.route?.urn ?? "", `no network interface in the plan holds ${ip} (an internal load balancer frontend, or a resource outside the plan?)`)];
    return finish(w, st, { kind: "Unknown", causes, detail: `what holds the next hop address ${ip} is not known` });
  }
  const nic = holder.nic;
  if (st.visited.some((v) => v.key === nic.key)) {
    return finish(w, st, { kind: "Loop", path: [...st.visited, nic], route: use });
  }
  if (st.visited.length > (w.options.maxAppliances ?? 16)) return finish(w, st, { kind: "Loop", path: [...st.visited, nic], route: use });
  // "A next hop private IP address must have direct connectivity": the appliance's VNet is the sender's or a peer's.
  const sender = senderVnet(w, use);
  const applianceSubnet = subnetOfNic(w.env.topo, nic);
  const applianceVnetKey = isUnknown(applianceSubnet) ? applianceSubnet : applianceSubnet?.vnetKey;
  if (isUnknown(sender) || isUnknown(applianceVnetKey)) {
    return finish(w, st, { kind: "Unknown", causes: [isUnknown(sender) ? sender : (applianceVnetKey as Unknown)], detail: `whether appliance ${nic.logicalName || nic.key} is reachable is not known` });
  }
  const base: Hop<S> = { type: "VirtualAppliance", nic, route: use };
  if (!sender || applianceVnetKey === undefined || applianceVnetKey === sender.key) return atAppliance(w, st, base, nic);
  const peer = connectedPeerings(w.env.topo, sender.key).find((p) => !isUnknown(p.remote) && p.remote.key === applianceVnetKey);
  if (!peer || isUnknown(peer.remote)) {
    return finish(w, st, { kind: "Dropped", reason: "ApplianceUnreachable", route: use, detail: `appliance ${nic.logicalName || nic.key} is in a VNet that is neither ${sender.logicalName || sender.key} nor peered with it` });
  }
  const remote = peer.remote;
  crossPeering(w, st, sender, remote, use, [...st.hops, base], (next) => atAppliance(w, next, base, nic));
}

/**
 * A stand-in NIC for an Azure Firewall, for loop detection and routing from its subnet: no NSG (AzureFirewallSubnet
 * takes none), forwarding on (forwarding is what a firewall does).
 */
export function firewallNic(fw: AzureFirewall): Nic {
  return {
    key: `firewall|${fw.key}`,
    urn: fw.urn,
    logicalName: fw.logicalName,
    azureName: fw.azureName,
    id: fw.id,
    ipConfigurations: [
      {
        name: "firewall",
        primary: true,
        subnetKey: fw.subnetKey === null ? unknown(".ipConfigurations[0].subnet", fw.urn, "the firewall has no subnet") : fw.subnetKey,
        allocation: "Static",
        privateIpAddress: fw.privateIp,
        asgKeys: [],
        publicIpKey: null,
        backendPoolRefs: [],
      },
    ],
    nsgKey: null,
    ipForwarding: true,
    tags: {},
  };
}

/** Next hop VirtualAppliance at an Azure Firewall's private IP: reachability from the sender, then its rules. */
function toFirewall<S>(w: Walk<S>, st: State<S>, use: RouteUse, fw: AzureFirewall): void {
  const stand = firewallNic(fw);
  if (st.visited.some((v) => v.key === stand.key) || st.visited.length > (w.options.maxAppliances ?? 16)) {
    return finish(w, st, { kind: "Loop", path: [...st.visited, stand], route: use });
  }
  const sender = senderVnet(w, use);
  const fwSubnet = lookup(w.env.topo.subnets, fw.subnetKey);
  const fwVnetKey = isUnknown(fwSubnet) ? fwSubnet : fwSubnet?.vnetKey;
  if (isUnknown(sender) || isUnknown(fwVnetKey)) {
    return finish(w, st, { kind: "Unknown", causes: [isUnknown(sender) ? sender : (fwVnetKey as Unknown)], detail: `whether firewall ${firewallName(fw)} is reachable is not known` });
  }
  const base: Hop<S> = { type: "VirtualAppliance", firewall: fw, route: use };
  if (!sender || fwVnetKey === undefined || fwVnetKey === sender.key) return atFirewall(w, st, base, fw);
  const peer = connectedPeerings(w.env.topo, sender.key).find((p) => !isUnknown(p.remote) && p.remote.key === fwVnetKey);
  if (!peer || isUnknown(peer.remote)) {
    return finish(w, st, { kind: "Dropped", reason: "ApplianceUnreachable", route: use, detail: `firewall ${firewallName(fw)} is in a VNet that is neither ${sender.logicalName || sender.key} nor peered with it` });
  }
  crossPeering(w, st, sender, peer.remote, use, [...st.hops, base], (next) => atFirewall(w, next, base, fw));
}

/**
 * At an Azure Firewall: its rules decide (firewall.ts: network rules, application rules, default deny; first
 * match); what it allows leaves from AzureFirewallSubnet by that subnet's routes. Flows an application rule may
 * match go on carrying that doubt, so a later sure stop still answers "not delivered".
 */
function atFirewall<S>(w: Walk<S>, st: State<S>, base: Hop<S>, fw: AzureFirewall): void {
  const model = w.env.topo.firewall;
  if (model) for (const n of firewallNotes(fw, model)) w.notes.add(n);
  const stand = firewallNic(fw);
  let flows = st.flows;
  // Packets addressed to the firewall itself (its private IP) are not forwarded: what it does with them (DNS proxy,
  // management) is not modelled.
  if (typeof fw.privateIp === "string" && w.space.destinations(flows).contains(fw.privateIp)) {
    const own = IpSet.fromAddress(fw.privateIp);
    finish(w, withFlows(st, toDst(w.space, flows, own)), { kind: "Unknown", causes: [unknown(".privateIPAddress", fw.urn, `traffic addressed to firewall ${firewallName(fw)} itself is not modelled`)] }, [...st.hops, base]);
    flows = w.space.subtract(flows, FlowSet.cube({ dst: own }));
    if (w.space.isEmpty(flows)) return;
  }
  // Routing only (return paths): the firewall is stateful, the return of a connection it allowed passes.
  const decisions: Decision<S, FirewallMatchRule>[] =
    w.options.evaluateNsgs === false ? [{ flows, outcome: "Allow", rule: forwardingRules(w.env, fw)[0], doubtful: [], causes: [] }] : evaluateFirewall(w.space, w.env, fw, flows);
  const hop: Hop<S> = { ...base, firewallDecisions: decisions };
  const hops = [...st.hops, hop];
  const subnet = lookup(w.env.topo.subnets, fw.subnetKey);
  for (const d of decisions) {
    if (d.outcome === "Deny") {
      finish(w, withFlows(st, d.flows), { kind: "DeniedByFirewall", firewall: fw, rule: d.rule, ...(base.route ? { route: base.route } : {}) }, hops);
      continue;
    }
    const going = withFlows(st, d.flows, d.outcome === "Unknown" ? mergeCauses(d.causes as Unknown[], d.doubtful.flatMap((r) => r.causes)) : []);
    routeFrom(w, { ...going, hops, visited: [...st.visited, stand] }, subnet);
  }
}

/** The VNet whose address space holds `ip` when every one of its subnets is known and none holds it; else undefined. */
function vnetOutsideSubnets(topo: Topology, ip: string): Vnet | undefined {
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

/** At an appliance: its inbound NSGs, IP forwarding, then it re-sends the packet. */
function atAppliance<S>(w: Walk<S>, arriving: State<S>, base: Hop<S>, nic: Nic): void {
  // A packet addressed to the appliance itself (a route whose next hop is its destination) is delivered to it, not
  // forwarded: forwarding it would send it back to the same appliance, a loop Azure does not make.
  const own = nicAddresses(w.env.topo, nic).must;
  let st = arriving;
  if (w.space.destinations(st.flows).overlaps(own)) {
    arrive(w, { ...st, flows: toDst(w.space, st.flows, own) }, nic, "Destination");
    st = { ...st, flows: w.space.subtract(st.flows, FlowSet.cube({ dst: own })) };
    if (w.space.isEmpty(st.flows)) return;
  }
  const chain = evaluate(w, nic, "Inbound", st.flows, true);
  const hop: Hop<S> = { ...base, inbound: chain };
  const hops = [...st.hops, hop];
  for (const next of applyChain(w, st, chain, nic, "Inbound", hops)) {
    const fwd = nic.ipForwarding;
    if (fwd === false) {
      finish(w, next, { kind: "ApplianceNoForwarding", nic, route: base.route as RouteUse }, hops);
      continue;
    }
    const going = isUnknown(fwd) ? withFlows(next, next.flows, [fwd]) : next;
    leave(w, going, hop, nic, subnetOfNic(w.env.topo, nic));
  }
}

// ---- summaries -----------------------------------------------------------------------------------------------

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
