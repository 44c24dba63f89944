/**
 * How every walk ends, in one table: each disposition kind (Delivered, DeniedByNsg, Dropped, NoHost, ...) has one row
 * with its fate, its one-line description and the Network Watcher issue that names what stopped the flows
 * (network-watcher/connection-troubleshoot-overview.md: issues[{origin, severity, type, context[{key, value}]}]).
 * Renderers look a disposition up here instead of switching on its kind, so a new disposition (a NAT gateway's, a
 * load balancer's) is one union member plus one row, and the compiler refuses a kind without its row. The evidence
 * column is what an intent's counterexample says about the stop (intents/explain.ts; its shapes are those of
 * intents/result.ts Evidence, which the engine may not import: explain.ts holds them assignable at compile time).
 */
import type { AdminRule, Direction, Entity, Nic, Nsg, Peering, Subnet } from "../model/topology";
import type { AzureFirewall } from "../model/firewall";
import { describeUnknown, isUnknown, type Unknown } from "../model/unknown";
import type { IpSet } from "../sets/ip-set";
import type { GatewayReach } from "./effective-routes";
import type { FirewallMatchRule } from "./firewall";
import { displayName, idOrUrn } from "./find";
import { decidingRuleText, ruleDoubt, ruleDoubtSuffix } from "./deciding-rule";
import type { EngineEnv, NsgLayer } from "./nsg";
import { describeRoute, type EffectiveRoute } from "./routing";
import type { CompiledRule } from "./rules";

/** Some host in a subnet that no NIC of the plan stands for: the subnet's NSG and routes apply, no NIC NSG. */
export interface HostEndpoint {
  readonly kind: "host";
  readonly subnet: Subnet;
  readonly addresses: IpSet;
}

/** A route as used: the route and the subnet whose effective routes it belongs to. */
export interface RouteUse {
  readonly route: EffectiveRoute;
  readonly subnet: Subnet;
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

export type DispositionKind = Disposition["kind"];

/** The disposition of one kind. */
export type DispositionOf<K extends DispositionKind> = Extract<Disposition, { readonly kind: K }>;

/** Delivered or exited (the packet reached its destination or left Azure), stopped, or undecided. */
export type Fate = "Delivered" | "Exited" | "Stopped" | "Unknown";

export interface IssueContext {
  readonly key: string;
  readonly value: string;
}

export interface TraceIssue {
  readonly origin: "Inbound" | "Outbound" | "Local";
  readonly severity: "Error" | "Warning";
  readonly type: string;
  readonly context: IssueContext[];
}

/** Network Watcher's route table id of a route that is not a user route (network-watcher/next-hop-overview.md). */
export const SYSTEM_ROUTE = "System Route";

/** The route table of a user route, else "System Route" (as next hop and the route issues name it). */
export function routeTableIdOf(route: EffectiveRoute): string {
  return route.source === "User" && route.routeTable ? idOrUrn(route.routeTable) : SYSTEM_ROUTE;
}

function routeContext(use: { route: EffectiveRoute }): IssueContext[] {
  const r = use.route;
  const out: IssueContext[] = [
    { key: "RouteType", value: r.source },
    { key: "RouteName", value: r.name ?? "" },
    { key: "RouteTableId", value: routeTableIdOf(r) },
    { key: "AddressPrefix", value: isUnknown(r.prefix) ? "(unknown at preview)" : r.addressPrefixText },
    { key: "NextHopType", value: isUnknown(r.nextHopType) ? "(unknown at preview)" : r.nextHopType },
  ];
  if (typeof r.nextHopIpAddress === "string") out.push({ key: "NextHopIpAddress", value: r.nextHopIpAddress });
  return out;
}

function routeIssueType(use: { route: EffectiveRoute } | undefined): string {
  return use?.route.source === "User" ? "UserDefinedRoute" : "SystemRoute";
}

/**
 * When earlier deny rules may match first (their match depends on values unknown at preview), RuleName stays the
 * rule that surely matches (Network Watcher's shape) and the candidates say it is "one of" them, with the doubt.
 */
function doubtContext(rule: CompiledRule, doubtful: readonly CompiledRule[]): IssueContext[] {
  const doubt = ruleDoubt(rule, doubtful);
  if (!doubt) return [];
  return [{ key: "RuleNameCandidates", value: doubt.candidates.join(", ") }, ...doubt.unknowns.map((u) => ({ key: "RuleNameUnknown", value: u }))];
}


/** A resource named in evidence (intents/result.ts ResourceRef). */
export interface EntityRef {
  readonly name: string;
  readonly urn: string;
  /** ARM id when known. */
  readonly id?: string;
}

export function entityRef(e: Entity): EntityRef {
  return { name: displayName(e), urn: e.urn, ...(isUnknown(e.id) ? {} : { id: e.id }) };
}

/** A route used on the path, as evidence (intents/result.ts Evidence "route"). */
export interface RouteFact {
  readonly kind: "route";
  readonly text: string;
  readonly subnet: EntityRef;
  readonly routeName: string | null;
  readonly addressPrefix: string;
  readonly nextHopType: string;
  readonly nextHopIpAddress?: string;
  readonly routeTable: EntityRef | "System Route";
  readonly decisive: boolean;
}

/** What a disposition contributes to an intent's evidence (the matching members of intents/result.ts Evidence). */
export type DispositionFact =
  | RouteFact
  | { readonly kind: "appliance-no-forwarding"; readonly text: string; readonly nic: EntityRef; readonly decisive: true }
  | { readonly kind: "dropped"; readonly text: string; readonly reason: string; readonly resource?: EntityRef; readonly decisive: true }
  | { readonly kind: "loop"; readonly text: string; readonly appliances: readonly EntityRef[]; readonly decisive: true }
  | { readonly kind: "no-host"; readonly text: string; readonly decisive: true }
  | { readonly kind: "exited"; readonly text: string; readonly to: "Internet" | "Gateway" | "Service"; readonly decisive: boolean }
  | { readonly kind: "unknown"; readonly text: string; readonly causes: readonly string[]; readonly decisive: boolean };

export function routeFact(use: RouteUse, decisive: boolean): RouteFact {
  const r = use.route;
  const hop = isUnknown(r.nextHopType) ? "(unknown)" : r.nextHopType;
  const ip = typeof r.nextHopIpAddress === "string" ? r.nextHopIpAddress : undefined;
  return {
    kind: "route",
    text: `${describeRoute(r)}, effective in subnet ${displayName(use.subnet)}`,
    subnet: entityRef(use.subnet),
    routeName: r.name,
    addressPrefix: r.addressPrefixText,
    nextHopType: hop,
    ...(ip !== undefined ? { nextHopIpAddress: ip } : {}),
    routeTable: r.routeTable ? entityRef(r.routeTable) : "System Route",
    decisive,
  };
}

function subnetName(s: Subnet): string {
  return s.logicalName || (isUnknown(s.azureName) ? s.key : s.azureName);
}

/** One disposition kind: its fate, its description, and the Network Watcher issue that names what stopped it. */
export interface DispositionRow<K extends DispositionKind> {
  /** Delivered, Exited, Stopped or Unknown (an Unknown whose `otherwise` is a stop is a sure stop). */
  readonly fate: (d: DispositionOf<K>) => Fate;
  /** One line for people: "denied by rule X of NSG Y (inbound, on the subnet)". */
  readonly text: (d: DispositionOf<K>) => string;
  /** The issue naming what stopped (or may stop) the flows of a path; none for a path that got through. */
  readonly issues: (env: EngineEnv, d: DispositionOf<K>) => TraceIssue[];
  /**
   * What an intent's counterexample says about the stop, beyond the filter evidence of the hops (a deny by an NSG or
   * admin rule is already there, so its row adds nothing).
   */
  readonly evidence: (d: DispositionOf<K>) => DispositionFact[];
  /** For a path that got through but not to the query's target (routed to the Internet, say): the issue; else none. */
  readonly miss: (d: DispositionOf<K>) => TraceIssue | undefined;
}

const noMiss = (): undefined => undefined;

const stopped = (): Fate => "Stopped";

/** Every disposition kind has exactly one row: a kind without a row does not compile. */
export const DISPOSITIONS: { readonly [K in DispositionKind]: DispositionRow<K> } = {
  Delivered: {
    fate: () => "Delivered",
    text: (d) => `delivered to ${d.nic ? displayName(d.nic) : d.host ? `a host in subnet ${subnetName(d.host.subnet)}` : "?"}`,
    issues: () => [],
    evidence: () => [],
    miss: (d) => ({ origin: "Outbound", severity: "Error", type: "WrongDestination", context: [{ key: "Reason", value: `delivered to ${d.nic ? displayName(d.nic) : "another host"}` }] }),
  },
  Exited: {
    fate: () => "Exited",
    text: (d) => {
      if (d.to === "Service") return `goes to the Azure service over the subnet's service endpoint, on Microsoft's backbone (${describeRoute(d.route.route)})`;
      return d.to === "Internet" ? `leaves Azure to the Internet (${describeRoute(d.route.route)})` : `leaves through the virtual network gateway towards on-premises, beyond the plan (${describeRoute(d.route.route)})`;
    },
    issues: () => [],
    evidence: (d) => [
      routeFact(d.route, true),
      { kind: "exited", text: d.to === "Internet" ? "the route sends it to the Internet" : d.to === "Service" ? "the route sends it to the Azure service over the subnet's service endpoint" : "the route sends it to the virtual network gateway", to: d.to, decisive: true },
    ],
    miss: (d) => {
      const where = d.to === "Internet" ? "the Internet" : d.to === "Service" ? "an Azure service over its service endpoint" : "the virtual network gateway (on-premises)";
      return { origin: "Outbound", severity: "Error", type: routeIssueType(d.route), context: [...routeContext(d.route), { key: "Reason", value: `the route sends the traffic to ${where}, not to the destination` }] };
    },
  },
  DeniedByAdminRule: {
    fate: stopped,
    text: (d) => `denied by the security admin rule ${d.rule.ruleName} (${d.direction.toLowerCase()}, Virtual Network Manager, before the NSGs of ${displayName(d.nic)})`,
    issues: (_env, d) => [
      {
        origin: d.direction,
        severity: "Error",
        type: "SecurityAdminRule",
        context: [
          { key: "RuleName", value: d.rule.ruleName },
          ...(typeof d.rule.rule.priority === "number" ? [{ key: "Priority", value: String(d.rule.rule.priority) }] : []),
          { key: "RuleUrn", value: d.rule.rule.urn },
        ],
      },
    ],
    evidence: () => [],
    miss: noMiss,
  },
  DeniedByNsg: {
    fate: stopped,
    text: (d) =>
      `denied by ${decidingRuleText(d.rule, d.doubtful ?? [])} of NSG ${displayName(d.nsg)} (${d.direction.toLowerCase()}, on the ${d.layer.appliedTo === "subnet" ? "subnet" : "network interface"})${ruleDoubtSuffix(d.rule, d.doubtful ?? [])}`,
    issues: (env, d) => [
      {
        origin: d.direction,
        severity: "Error",
        type: "NetworkSecurityRule",
        context: [
          { key: "RuleName", value: d.rule.ruleName },
          { key: "NetworkSecurityGroup", value: displayName(d.nsg) },
          { key: "NetworkSecurityGroupId", value: idOrUrn(d.nsg) },
          { key: "AppliedTo", value: `${d.layer.appliedTo} ${d.layer.owner.key === "?" ? "(unknown)" : displayName(env.topo.subnets.get(d.layer.owner.key) ?? env.topo.nics.get(d.layer.owner.key) ?? d.nic)}` },
          ...doubtContext(d.rule, d.doubtful ?? []),
        ],
      },
    ],
    evidence: () => [],
    miss: noMiss,
  },
  Dropped: {
    fate: stopped,
    text: (d) => `dropped: ${d.detail}${d.route ? ` (${describeRoute(d.route.route)})` : ""}`,
    issues: (_env, d) => {
      const ctx = d.route ? routeContext(d.route) : [];
      if (d.peering) ctx.push({ key: "Peering", value: displayName(d.peering) }, { key: "PeeringId", value: idOrUrn(d.peering) });
      ctx.push({ key: "Reason", value: d.detail });
      const type = d.reason === "ForwardedTrafficNotAllowed" ? "PeeringForwardedTraffic" : d.reason === "NoRoute" ? "NoRoute" : routeIssueType(d.route);
      return [{ origin: d.reason === "ForwardedTrafficNotAllowed" ? "Inbound" : "Outbound", severity: "Error", type, context: ctx }];
    },
    evidence: (d) => [
      ...(d.route ? [routeFact(d.route, true)] : []),
      { kind: "dropped", text: `dropped: ${d.detail}`, reason: d.reason, ...(d.peering ? { resource: entityRef(d.peering) } : d.route?.route.routeTable ? { resource: entityRef(d.route.route.routeTable) } : {}), decisive: true },
    ],
    miss: noMiss,
  },
  ApplianceNoForwarding: {
    fate: stopped,
    text: (d) => `dropped at appliance ${displayName(d.nic)}: IP forwarding is not enabled on its network interface`,
    issues: (_env, d) => [
      {
        origin: "Local",
        severity: "Error",
        type: "IpForwarding",
        context: [
          { key: "NetworkInterface", value: displayName(d.nic) },
          { key: "NetworkInterfaceId", value: idOrUrn(d.nic) },
          { key: "Reason", value: "the appliance's network interface does not enable IP forwarding: Azure drops packets addressed to other hosts" },
          ...routeContext(d.route),
        ],
      },
    ],
    evidence: (d) => [
      routeFact(d.route, true),
      { kind: "appliance-no-forwarding", text: `the next hop ${displayName(d.nic)} does not have IP forwarding enabled: Azure drops traffic it would forward`, nic: entityRef(d.nic), decisive: true },
    ],
    miss: noMiss,
  },
  DeniedByFirewall: {
    fate: stopped,
    text: (d) => `denied by Azure Firewall ${displayName(d.firewall)}: ${d.rule.ruleName}`,
    issues: (_env, d) => [
      {
        origin: "Local",
        severity: "Error",
        type: "AzureFirewallRule",
        context: [
          { key: "Firewall", value: displayName(d.firewall) },
          { key: "FirewallId", value: idOrUrn(d.firewall) },
          ...(d.rule.policyName !== undefined ? [{ key: "FirewallPolicy", value: d.rule.policyName }] : []),
          ...(d.rule.groupName !== undefined ? [{ key: "RuleCollectionGroup", value: d.rule.groupName }] : []),
          ...(d.rule.collection ? [{ key: "RuleCollection", value: d.rule.collection.name }] : []),
          { key: "RuleName", value: d.rule.rule ? d.rule.rule.name : "default deny" },
          { key: "Reason", value: d.rule.rule ? `the firewall's rule ${d.rule.ruleName} denies it` : "no rule of the firewall matches: Azure Firewall denies by default" },
        ],
      },
    ],
    // The rule's own resource (the rule collection group, or the firewall for classic rules and the default deny).
    evidence: (d) => [
      ...(d.route ? [routeFact(d.route, true)] : []),
      {
        kind: "dropped",
        text: `denied by Azure Firewall ${displayName(d.firewall)}: ${d.rule.ruleName}`,
        reason: "DeniedByFirewall",
        resource: d.rule.rule ? { name: d.rule.rule.place.groupName ?? displayName(d.firewall), urn: d.rule.rule.place.urn } : entityRef(d.firewall),
        decisive: true,
      },
    ],
    miss: noMiss,
  },
  Loop: {
    fate: stopped,
    text: (d) => `routing loop: ${d.path.map(displayName).join(" -> ")} (${describeRoute(d.route.route)})`,
    issues: (_env, d) => [{ origin: "Outbound", severity: "Error", type: "RoutingLoop", context: [{ key: "Path", value: d.path.map(displayName).join(" -> ") }, ...routeContext(d.route)] }],
    evidence: (d) => [routeFact(d.route, true), { kind: "loop", text: `routing loop through ${d.path.map(displayName).join(" -> ")}`, appliances: d.path.map(entityRef), decisive: true }],
    miss: noMiss,
  },
  NoHost: {
    fate: stopped,
    text: (d) => `no host: ${d.detail}`,
    issues: (_env, d) => [{ origin: "Outbound", severity: "Error", type: "NoHost", context: [...(d.route ? routeContext(d.route) : []), { key: "Reason", value: d.detail }] }],
    evidence: (d) => [...(d.route ? [routeFact(d.route, true)] : []), { kind: "no-host", text: d.detail, decisive: true }],
    miss: noMiss,
  },
  Unknown: {
    fate: (d) => (d.otherwise !== undefined && fateOf(d.otherwise) === "Stopped" ? "Stopped" : "Unknown"),
    text: (d) =>
      d.otherwise
        ? `undecided at preview (${d.causes.map(describeUnknown).join("; ")}); if those let it through: ${dispositionText(d.otherwise)}`
        : `undecided at preview: ${d.causes.map(describeUnknown).join("; ")}${d.detail ? ` (${d.detail})` : ""}`,
    issues: (env, d) => {
      const doubt: TraceIssue = {
        origin: "Local",
        severity: "Warning",
        type: "UnknownAtPreview",
        context: [...d.causes.map((u: Unknown) => ({ key: "Unknown", value: describeUnknown(u) })), ...(d.detail ? [{ key: "Reason", value: d.detail }] : [])],
      };
      return d.otherwise ? [...issuesOf(env, d.otherwise), doubt] : [doubt];
    },
    evidence: (d) => {
      const causes = d.causes.map(describeUnknown);
      const text = `${d.detail ?? "undecided at preview"}: ${causes.join("; ")}`;
      return [{ kind: "unknown", text, causes, decisive: true }, ...(d.otherwise ? dispositionEvidence(d.otherwise) : [])];
    },
    miss: noMiss,
  },
};

/** The row of a disposition (one cast: TypeScript cannot correlate the indexed row with the union member). */
function dispositionRow(d: Disposition): DispositionRow<DispositionKind> {
  return DISPOSITIONS[d.kind] as unknown as DispositionRow<DispositionKind>;
}

/** The fate of a disposition; an Unknown whose `otherwise` is a stop is a sure stop (not delivered either way). */
export function fateOf(d: Disposition): Fate {
  return dispositionRow(d).fate(d);
}

export function dispositionText(d: Disposition): string {
  return dispositionRow(d).text(d);
}

/** The Network Watcher issues naming what stopped (or may stop) the flows of a path. */
export function issuesOf(env: EngineEnv, d: Disposition): TraceIssue[] {
  return dispositionRow(d).issues(env, d);
}

/** What a disposition adds to an intent's evidence. */
export function dispositionEvidence(d: Disposition): DispositionFact[] {
  return dispositionRow(d).evidence(d);
}

/** For a path that got through but not to the query's target: the issue naming where it went instead. */
export function missIssue(d: Disposition): TraceIssue | undefined {
  const inner = innermost(d);
  return dispositionRow(inner).miss(inner);
}

/** The disposition that names the responsible rule or route: the inner one of an Unknown wrapper. */
export function innermost(d: Disposition): Disposition {
  return d.kind === "Unknown" && d.otherwise ? innermost(d.otherwise) : d;
}
