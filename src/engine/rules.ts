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

/** Compiles an NSG rule, or (with its display name) any rule of the same fields: a security admin rule. */
export function compileRule(rule: SecurityRule, ctx: RuleContext): CompiledRule;
export function compileRule<R extends RuleFields<string>>(rule: R, ctx: RuleContext, ruleName: string): CompiledRule<R>;
export function compileRule<R extends RuleFields<string>>(rule: R, ctx: RuleContext, ruleName?: string): CompiledRule<R> {
  const src = resolveSide(rule, rule.sources, "source", ctx);
  const dst = resolveSide(rule, rule.destinations, "destination", ctx);
  const proto = knownOr(rule.protocol, ProtocolSet.all(), ProtocolSet.empty());
  const sport = knownOr(rule.sourcePorts, PortSet.all(), PortSet.empty());
  const dport = knownOr(rule.destinationPorts, PortSet.all(), PortSet.empty());
  const directionDoubt = isUnknown(rule.direction) ? [rule.direction] : [];
  const causes = mergeCauses(
    mergeCauses(src.causes, dst.causes),
    [proto.cause, sport.cause, dport.cause, ...directionDoubt, isUnknown(rule.priority) ? rule.priority : undefined].filter(
      (u): u is Unknown => u !== undefined,
    ),
  );
  const mayFlows = ruleFlows(src.may, dst.may, proto.may, sport.may, dport.may);
  // A rule whose direction or priority is unknown never surely matches: it may not apply here at all.
  const certain = directionDoubt.length === 0 && !isUnknown(rule.priority);
  // Every part known: must and may are the same set, shared as one object (first-match then skips the "maybe" work).
  const known = proto.cause === undefined && sport.cause === undefined && dport.cause === undefined && src.must.equals(src.may) && dst.must.equals(dst.may);
  const mustFlows = !certain ? FlowSet.empty() : known ? mayFlows : ruleFlows(src.must, dst.must, proto.must, sport.must, dport.must);
  return { rule, ruleName: ruleName ?? ruleDisplayName(rule as unknown as SecurityRule), access: rule.access, must: mustFlows, may: mayFlows, causes };
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

interface Bounds<T> {
  readonly must: T;
  readonly may: T;
  readonly cause?: Unknown;
}

function knownOr<T>(v: Maybe<T>, all: T, none: T): Bounds<T> {
  return isUnknown(v) ? { must: none, may: all, cause: v } : { must: v, may: v };
}

function resolveSide(rule: RuleFields<string>, specs: Maybe<readonly AddressSpec[]>, side: "source" | "destination", ctx: RuleContext): TriSet {
  if (isUnknown(specs)) return undecided(specs);
  return triUnionAll(specs.map((spec) => resolveSpec(rule, spec, side, ctx)));
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
const ASG_MEMBERS = new WeakMap<Topology, Map<string, TriSet>>();

function asgMemberAddresses(topo: Topology, asgKey: string): TriSet {
  let byAsg = ASG_MEMBERS.get(topo);
  if (byAsg === undefined) {
    byAsg = new Map();
    ASG_MEMBERS.set(topo, byAsg);
  }
  const hit = byAsg.get(asgKey);
  if (hit !== undefined) return hit;
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
  const out: TriSet = { must: IpSet.unionAll(must), may: IpSet.unionAll(may), causes };
  byAsg.set(asgKey, out);
  return out;
}

function boundMembership(nic: Nic, asgKey: string, ctx: RuleContext): TriSet {
  const configs = nic.ipConfigurations;
  const unknownCfg = configs.find((c) => isUnknown(c.asgKeys));
  const members = configs.filter((c) => !isUnknown(c.asgKeys) && c.asgKeys.includes(asgKey));
  if (!unknownCfg && members.length === configs.length && configs.length > 0) return exact(IpSet.all());
  if (!unknownCfg && members.length === 0) return exact(IpSet.empty());
  const parts = members.map((c) => ipConfigAddresses(ctx.topo, nic, c));
  if (unknownCfg && isUnknown(unknownCfg.asgKeys)) parts.push(undecided(unknownCfg.asgKeys));
  return triUnionAll(parts);
}
