import type { AddressSpec, Direction, Nic, Nsg, RuleFields, SecurityRule, Topology } from "../model/topology";
import { isUnknown, unknown, type Maybe, type Unknown } from "../model/unknown";
import { FlowSet } from "../sets/flow-set";
import { IpSet } from "../sets/ip-set";
import { PortSet } from "../sets/port-set";
import { ProtocolSet, Tcp, Udp } from "../sets/protocol-set";
import type { TagContext } from "./address-context";
import type { ServiceTagCatalog } from "../azure/service-tags";
import { asgCandidates, ipConfigAddresses } from "./topology-queries";
import { exact, mergeCauses, triUnionAll, undecided, type TriSet } from "./tri-set";
import { AZURE_LOAD_BALANCER } from "../azure/well-known";
import { memoKind, pureMemo, topoMemo } from "./memo";

/** Where and for whom an NSG's rules are read. */
export interface RuleContext {
  readonly topo: Topology;
  readonly tags: ServiceTagCatalog;
  /** VirtualNetwork / Internet as seen from the subnet the evaluated NIC sits in. */
  readonly tagContext: TagContext;
  readonly direction: Direction;
  /** The NIC being evaluated: the destination inbound, the source outbound. */
  readonly local?: Nic;
  /** The NIC at the other end, when the flow is known to come from (or go to) it. */
  readonly remote?: Nic;
  /**
   * Set when `local` is an appliance the packet only passes through: its NSGs apply, but an ASG side matches the
   * packet's own addresses (docs/azure-semantics.md §1.4: a rule naming an ASG applies only to member NICs' IPs),
   * so each side is bound to the NIC that sends or receives the packet when that is known, never to the appliance.
   */
  readonly transit?: TransitEnds;
}

/** The packet's real ends at an appliance hop, when every flow is known to come from (go to) that NIC. */
export interface TransitEnds {
  readonly source?: Nic;
  readonly destination?: Nic;
}

/**
 * A rule turned into flow sets. Flows in `must` surely match; flows outside `may` surely do not; the rest
 * depends on the unknown values in `causes`.
 */
export interface CompiledRule<R extends RuleFields<string> = SecurityRule> {
  readonly rule: R;
  /** `securityRules/<name>` or `defaultSecurityRules/<name>`, as IP flow verify names it (admin rules: admin-rules.ts). */
  readonly ruleName: string;
  readonly access: R["access"];
  readonly must: FlowSet;
  readonly may: FlowSet;
  readonly causes: readonly Unknown[];
}

const PORT_PROTOCOLS = ProtocolSet.of(Tcp, Udp);

export function ruleDisplayName(rule: SecurityRule): string {
  return `${rule.origin === "default" ? "defaultSecurityRules" : "securityRules"}/${rule.name}`;
}

/** The rules Azure evaluates for one direction of an NSG, in evaluation order (custom, then defaults). */
export function orderedRules(nsg: Nsg, direction: Direction): SecurityRule[] {
  const applies = (r: SecurityRule): boolean => r.valid && (isUnknown(r.direction) || r.direction === direction);
  // An unknown priority could place the rule anywhere: it is sorted first so it can only add doubt.
  const prio = (r: SecurityRule): number => (isUnknown(r.priority) ? -1 : r.priority);
  const byPriority = (a: SecurityRule, b: SecurityRule): number => prio(a) - prio(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return [...nsg.rules.filter(applies).sort(byPriority), ...nsg.defaultRules.filter(applies).sort(byPriority)];
}

/**
 * One address side of a rule as read at a place, before any NIC is bound to it: each spec's set in the rule's
 * order, except that an ASG of known key stays its key (what it matches depends on the NIC at that end, §1.4).
 * An unknown spec list is one undecided set.
 */
export type SideShape = TriSet | readonly SidePart[];
export type SidePart = TriSet | string;

/**
 * A rule read at a place (tag context, service tags) for every NIC: all of compileRule but the ASG sides. Binding
 * it (bindShape) gives the CompiledRule for one pair of ends; the IP flow verify fast path (point-match.ts) reads
 * the same shape point-wise, deciding the ASG keys by the NIC's membership (nicAsgMembership), so one shape
 * serves every NIC of the place.
 */
export interface RuleShape<R extends RuleFields<string> = SecurityRule> {
  readonly rule: R;
  readonly ruleName: string;
  readonly sources: SideShape;
  readonly destinations: SideShape;
  readonly protocols: Bounds<ProtocolSet>;
  readonly sourcePorts: Bounds<PortSet>;
  readonly destinationPorts: Bounds<PortSet>;
  /** Direction and priority known: otherwise the rule never surely matches (it may not apply here at all, §1.2). */
  readonly certain: boolean;
  /** The unknowns of the rule's own values (protocol, ports, direction, priority), in that order. */
  readonly ownCauses: readonly Unknown[];
}

/** What a shape reads: the place, not the NICs. */
export type ShapeContext = Pick<RuleContext, "topo" | "tags" | "tagContext">;

/** Compiles an NSG rule, or (with its display name) any rule of the same fields: a security admin rule. */
export function compileRule(rule: SecurityRule, ctx: RuleContext): CompiledRule;
export function compileRule<R extends RuleFields<string>>(rule: R, ctx: RuleContext, ruleName: string): CompiledRule<R>;
export function compileRule<R extends RuleFields<string>>(rule: R, ctx: RuleContext, ruleName?: string): CompiledRule<R> {
  return bindShape(ruleShape(rule, ctx, ruleName ?? ruleDisplayName(rule as unknown as SecurityRule)), ctx);
}

/** A rule read at a place (see RuleShape). */
export function ruleShape<R extends RuleFields<string>>(rule: R, ctx: ShapeContext, ruleName: string): RuleShape<R> {
  const proto = knownOr(rule.protocol, ProtocolSet.all(), ProtocolSet.empty());
  const sport = knownOr(rule.sourcePorts, PortSet.all(), PortSet.empty());
  const dport = knownOr(rule.destinationPorts, PortSet.all(), PortSet.empty());
  const directionDoubt = isUnknown(rule.direction) ? [rule.direction] : [];
  const ownCauses = [proto.cause, sport.cause, dport.cause, ...directionDoubt, isUnknown(rule.priority) ? rule.priority : undefined].filter(
    (u): u is Unknown => u !== undefined,
  );
  return {
    rule,
    ruleName,
    sources: sideShape(rule, rule.sources, "source", ctx),
    destinations: sideShape(rule, rule.destinations, "destination", ctx),
    protocols: proto,
    sourcePorts: sport,
    destinationPorts: dport,
    certain: directionDoubt.length === 0 && !isUnknown(rule.priority),
    ownCauses,
  };
}

/** The compiled rule of a shape for the ends `ctx` binds (local, remote or transit; none: ASGs match their members). */
export function bindShape<R extends RuleFields<string>>(shape: RuleShape<R>, ctx: RuleContext): CompiledRule<R> {
  // Only resolveAsg reads the ends: a shape naming no ASG binds alike for every pair of ends, so one compiled rule
  // serves every ASG binding and, for a shape shared by the places (nsg.ts placeShape), every place. Shared flow sets
  // also let the identity-keyed caches downstream hit.
  // A shape naming ASGs reads, per side, only how the NIC bound there stands to those ASGs: ends of equal standing
  // (or both unbound) share one compiled rule, whatever the rest of their membership.
  const src = sideBinding(shape.sources, boundEnd("source", ctx));
  const dst = sideBinding(shape.destinations, boundEnd("destination", ctx));
  return pureMemo(BOUND_COMPILED({ shape, src, dst }), () => bindEnds(shape, ctx)) as CompiledRule<R>;
}

/** The compiled rule of a shape per standing of its two ends (sideBinding), per shape object. */
const BOUND_COMPILED = memoKind<{ shape: RuleShape<RuleFields<string>>; src: string | Nic; dst: string | Nic }, CompiledRule<RuleFields<string>>>(
  "bound-compiled-rule",
  ["shape", "src", "dst"],
);

/** The NIC bound to one side of a flow (resolveAsg), if any. */
function boundEnd(side: "source" | "destination", ctx: RuleContext): Nic | undefined {
  if (ctx.transit) return side === "source" ? ctx.transit.source : ctx.transit.destination;
  const localSide = ctx.direction === "Inbound" ? "destination" : "source";
  return side === localSide ? ctx.local : ctx.remote;
}

/**
 * What a side's set depends on besides the shape: "" when it names no ASG; "u" when no NIC is bound (the members'
 * addresses); the bound NIC's membership of each ASG it names ("m"/"n") when each is sure; the NIC itself when one
 * is partial (its own configurations' addresses then matter: boundMembership).
 */
function sideBinding(side: SideShape, bound: Nic | undefined): string | Nic {
  if (!Array.isArray(side)) return "";
  let key = "";
  for (const part of side as readonly SidePart[]) {
    if (typeof part !== "string") continue;
    if (bound === undefined) return "u";
    const m = nicAsgMembership(bound, part);
    if (m === "partly") return bound;
    key += m === "member" ? "m" : "n";
  }
  return key;
}

function bindEnds<R extends RuleFields<string>>(shape: RuleShape<R>, ctx: RuleContext): CompiledRule<R> {
  const src = bindSide(shape.sources, "source", ctx);
  const dst = bindSide(shape.destinations, "destination", ctx);
  const proto = shape.protocols;
  const sport = shape.sourcePorts;
  const dport = shape.destinationPorts;
  const causes = mergeCauses(mergeCauses(src.causes, dst.causes), shape.ownCauses);
  const mayFlows = ruleFlows(src.may, dst.may, proto.may, sport.may, dport.may);
  // Every part known: must and may are the same set, shared as one object (first-match then skips the "maybe" work).
  const known = proto.cause === undefined && sport.cause === undefined && dport.cause === undefined && src.must.equals(src.may) && dst.must.equals(dst.may);
  const mustFlows = !shape.certain ? FlowSet.empty() : known ? mayFlows : ruleFlows(src.must, dst.must, proto.must, sport.must, dport.must);
  return { rule: shape.rule, ruleName: shape.ruleName, access: shape.rule.access, must: mustFlows, may: mayFlows, causes };
}

/**
 * Ports exist for TCP and UDP only: a rule restricted to some ports matches no ICMP, ESP or AH flow, while a
 * rule with `*` ports matches every flow of its protocols.
 */
function ruleFlows(src: IpSet, dst: IpSet, proto: ProtocolSet, sport: PortSet, dport: PortSet): FlowSet {
  if (src.isEmpty() || dst.isEmpty() || proto.isEmpty()) return FlowSet.empty();
  if (sport.isAll() && dport.isAll()) return FlowSet.cube({ src, dst, protocols: proto });
  const portProtocols = proto.intersect(PORT_PROTOCOLS);
  if (portProtocols.isEmpty()) return FlowSet.empty();
  return FlowSet.cube({ src, dst, protocols: portProtocols, srcPorts: sport, dstPorts: dport });
}

/** A value known within bounds: `must` surely, `may` at most (the same when known). */
export interface Bounds<T> {
  readonly must: T;
  readonly may: T;
  readonly cause?: Unknown;
}

function knownOr<T>(v: Maybe<T>, all: T, none: T): Bounds<T> {
  return isUnknown(v) ? { must: none, may: all, cause: v } : { must: v, may: v };
}

function sideShape(rule: RuleFields<string>, specs: Maybe<readonly AddressSpec[]>, side: "source" | "destination", ctx: ShapeContext): SideShape {
  if (isUnknown(specs)) return undecided(specs);
  return specs.map((spec) => (spec.kind === "asg" && !isUnknown(spec.asgKey) ? spec.asgKey : resolveSpec(rule, spec, side, ctx as RuleContext)));
}

/** A side's set for the ends `ctx` binds: the union of its parts in the rule's order (as resolveSpec would give). */
function bindSide(shape: SideShape, side: "source" | "destination", ctx: RuleContext): TriSet {
  if (!Array.isArray(shape)) return shape as TriSet;
  // In one pass: a side of thousands of references stays linear (tri-set.ts, issue 13).
  return triUnionAll((shape as readonly SidePart[]).map((part) => (typeof part === "string" ? resolveAsg(part, side, ctx) : part)));
}

export function resolveSpec(rule: RuleFields<string>, spec: AddressSpec, side: "source" | "destination", ctx: RuleContext): TriSet {
  switch (spec.kind) {
    case "any":
      return exact(IpSet.all());
    case "prefix":
      return exact(spec.set);
    case "tag":
      return resolveTag(rule, spec.tag, side, ctx);
    case "asg":
      return resolveAsg(spec.asgKey, side, ctx);
  }
}

function resolveTag(rule: RuleFields<string>, tag: string, side: string, ctx: RuleContext): TriSet {
  const t = tag.toLowerCase();
  if (t === "virtualnetwork") return ctx.tagContext.virtualNetwork;
  if (t === "internet") return ctx.tagContext.internet;
  if (t === "azureloadbalancer") return exact(AZURE_LOAD_BALANCER);
  const set = ctx.tags.resolve(tag);
  if (set) return exact(set);
  // Never silently empty nor everything: the rule's reach on that side is undecided.
  const why = ctx.tags.unusable?.(tag) ? "has no well-formed prefix in the service tag file" : "is not in the service tag file";
  const path = "nsgKey" in rule ? `.securityRules[${rule.name}].${side}AddressPrefix` : `.${side}s`;
  return undecided(unknown(path, rule.urn, `service tag ${tag} ${why}`));
}

/**
 * Application security groups match the addresses of member NICs. When the flow is known to start or end at a
 * NIC (the NIC being evaluated, or a known peer), membership of that NIC decides exactly, whatever its dynamic
 * address turns out to be; otherwise the members' addresses are used.
 */
function resolveAsg(asgKey: Maybe<string>, side: "source" | "destination", ctx: RuleContext): TriSet {
  if (isUnknown(asgKey)) return undecided(asgKey);
  const localSide = ctx.direction === "Inbound" ? "destination" : "source";
  const bound = ctx.transit ? (side === "source" ? ctx.transit.source : ctx.transit.destination) : side === localSide ? ctx.local : ctx.remote;
  if (bound) return boundMembership(bound, asgKey, ctx);
  return asgMemberAddresses(ctx.topo, asgKey);
}

/** Per topology and ASG: the members' addresses do not depend on the rule or the NSG, so they are gathered once. */
const ASG_MEMBERS = memoKind<{ asgKey: string }, TriSet>("asg-member-addresses", ["asgKey"]);

/** The addresses an ASG matches when no NIC is bound to the side naming it: its members' (§1.4). */
export function asgMemberAddresses(topo: Topology, asgKey: string): TriSet {
  return topoMemo(topo, ASG_MEMBERS({ asgKey }), () => gatherMemberAddresses(topo, asgKey));
}

function gatherMemberAddresses(topo: Topology, asgKey: string): TriSet {
  // One pass, one union at the end: the same sets (and causes, in the same order) as adding member by member.
  const must: IpSet[] = [];
  const may: IpSet[] = [];
  let causes: Unknown[] = [];
  // The configurations that name the ASG or may (unknown memberships), in topology order, from an index.
  for (const { nic, cfg } of asgCandidates(topo, asgKey)) {
    const addrs = ipConfigAddresses(topo, nic, cfg);
    if (isUnknown(cfg.asgKeys)) {
      may.push(addrs.may);
      causes = mergeCauses(causes, [cfg.asgKeys]);
    } else {
      must.push(addrs.must);
      may.push(addrs.may);
      causes = mergeCauses(causes, addrs.causes);
    }
  }
  return { must: IpSet.unionAll(must), may: IpSet.unionAll(may), causes };
}

/**
 * How a NIC stands to one ASG (§1.4: the rule matches the member IP configurations' addresses): "member" when every
 * IP configuration is a known member (the side then matches whatever the NIC's address turns out to be), "none"
 * when none is (nor may be), "partly" otherwise (some configurations, or a membership unknown at plan time). The one
 * reading of ASG membership: rule binding here, the IP flow verify fast path and the compiled-rule cache keys.
 */
export type AsgMembership = "member" | "none" | "partly";

export function nicAsgMembership(nic: Nic, asgKey: string): AsgMembership {
  const configs = nic.ipConfigurations;
  let members = 0;
  for (let i = 0; i < configs.length; i++) {
    const keys = configs[i].asgKeys;
    if (isUnknown(keys)) return "partly";
    if (keys.includes(asgKey)) members++;
  }
  return members === 0 ? "none" : members === configs.length ? "member" : "partly";
}

function boundMembership(nic: Nic, asgKey: string, ctx: RuleContext): TriSet {
  const m = nicAsgMembership(nic, asgKey);
  if (m === "member") return exact(IpSet.all());
  if (m === "none") return exact(IpSet.empty());
  const configs = nic.ipConfigurations;
  const unknownCfg = configs.find((c) => isUnknown(c.asgKeys));
  const members = configs.filter((c) => !isUnknown(c.asgKeys) && c.asgKeys.includes(asgKey));
  const parts = members.map((c) => ipConfigAddresses(ctx.topo, nic, c));
  if (unknownCfg && isUnknown(unknownCfg.asgKeys)) parts.push(undecided(unknownCfg.asgKeys));
  return triUnionAll(parts);
}
