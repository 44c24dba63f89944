/**
 * The walk's vocabulary (forward.ts walks, the hop handlers in hops/ extend it): the flow space, the endpoints, the
 * typed hops, the state a handler is given and the steps of the walk it may call back. A hop handler is a function
 * of (walk, state, route used, the sender's routes) registered by next hop type in hops/table.ts, so a new kind of
 * hop is a new file and one row.
 */
import type { Direction, Nic, Peering, Subnet, Vnet } from "../model/topology";
import type { AzureFirewall } from "../model/firewall";
import type { Maybe, Unknown } from "../model/unknown";
import { FlowSet } from "../sets/flow-set";
import type { IpSet } from "../sets/ip-set";
import type { Disposition, HostEndpoint, RouteUse } from "./dispositions";
import type { GatewayReach, RoutingOptions, SubnetRoutes } from "./effective-routes";
import type { Decision, FlowSpace } from "./first-match";
import type { FirewallMatchRule } from "./firewall";
import type { ChainEvaluation, EngineEnv } from "./nsg";
import type { EffectiveNextHopType } from "./routing";
import { mergeCauses } from "./tri-set";

/** A FlowSpace that can also tell the addresses its flows go to and come from (route selection needs them). */
export interface WalkSpace<S> extends FlowSpace<S> {
  destinations(s: S): IpSet;
  sources(s: S): IpSet;
}

export function toDst<S>(space: WalkSpace<S>, s: S, set: IpSet): S {
  return space.intersect(s, FlowSet.cube({ dst: set }));
}

export function toSrc<S>(space: WalkSpace<S>, s: S, set: IpSet): S {
  return space.intersect(s, FlowSet.cube({ src: set }));
}

// ---- endpoints, hops, dispositions ---------------------------------------------------------------------------

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
  /** The hop handlers by next hop type; default hops/table.ts (a test may pass its own). */
  readonly hopHandlers?: HopTable;
}

export interface Walk<S> {
  readonly space: WalkSpace<S>;
  readonly env: EngineEnv;
  readonly options: ForwardOptions;
  readonly sourceNic?: Nic;
  readonly sourceRange?: IpSet;
  readonly paths: ForwardPath<S>[];
  readonly notes: Set<string>;
  /** The hop handlers by next hop type (hops/table.ts, or a test's own table). */
  readonly handlers: HopTable;
  // The walk's steps, for the hop handlers (forward.ts implements them).
  /** Ends the state's flows with a disposition (wrapped in Unknown when the state carries doubt). */
  finish(st: State<S>, disposition: Disposition, hops?: readonly Hop<S>[]): void;
  /** The packets reach the hosts of a VNet (null: any NIC of the plan). */
  deliverIn(st: State<S>, scope: string | null, use: RouteUse | undefined): void;
  /** A NIC (source or appliance) sends the packet: its outbound filters, then its subnet's routes. */
  leave(st: State<S>, base: Hop<S>, nic: Nic, subnet: Maybe<Subnet | undefined>): void;
  /** The sending subnet's routes decide the next hop (longest prefix match), then its handler. */
  routeFrom(st: State<S>, subnet: Maybe<Subnet | undefined>): void;
  /** Arrival at a NIC that is the packet's destination: its inbound filters. */
  arrive(st: State<S>, nic: Nic, type: "Destination"): void;
  /** The filters (admin rules, NSGs) of a NIC in one direction; `transit` for an appliance's. */
  evaluate(nic: Nic, direction: Direction, flows: S, transit?: boolean): ChainEvaluation<S>;
  /** Ends what the filters deny; returns the states that go on. */
  applyChain(st: State<S>, chain: ChainEvaluation<S>, nic: Nic, direction: Direction, hops: readonly Hop<S>[]): State<S>[];
}

export interface State<S> {
  readonly flows: S;
  readonly hops: readonly Hop<S>[];
  /** Keys of the NICs that sent the packet so far (source, then appliances): a repeat is a loop. */
  readonly visited: readonly Nic[];
  /** Unknowns that may have stopped these flows earlier. */
  readonly doubt: readonly Unknown[];
}

export function withFlows<S>(st: State<S>, flows: S, extraDoubt: readonly Unknown[] = []): State<S> {
  return { ...st, flows, doubt: mergeCauses(st.doubt as Unknown[], extraDoubt) };
}

/**
 * A kind of thing that may hold a next hop VirtualAppliance address (hops/appliances.ts): `find` answers which one
 * surely holds it, or the causes that leave it open; `enter` walks the flows on from there.
 */
export interface ApplianceKind<T = unknown> {
  readonly name: string;
  readonly find: (env: EngineEnv, ip: string) => { readonly hit?: T; readonly causes: readonly Unknown[] };
  enter<S>(w: Walk<S>, st: State<S>, use: RouteUse, appliance: T): void;
  /**
   * Address space the appliance itself takes in a VNet (null: every VNet) without a NIC of the plan: traffic
   * delivered there is to the appliance, which the walk does not model, so it ends undecided with the detail.
   */
  placesIn?(env: EngineEnv, scope: string | null): readonly AppliancePlace[];
}

/** An appliance's own address space (ApplianceKind.placesIn). */
export interface AppliancePlace {
  readonly space: IpSet;
  readonly cause: Unknown;
  readonly detail: string;
}

/** What to do with the flows a route sends to its next hop: walk them on, or end them with a disposition. */
export type HopHandler = <S>(w: Walk<S>, st: State<S>, use: RouteUse, routes: SubnetRoutes) => void;

/** One handler per next hop type: a type without a handler does not compile. */
export type HopTable = { readonly [K in EffectiveNextHopType]: HopHandler };
