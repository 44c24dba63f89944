/**
 * Azure Firewall rule processing, as Microsoft documents it (learn.microsoft.com/azure/firewall/rule-processing,
 * "Azure Firewall rule processing logic"; MicrosoftDocs/azure-docs articles/firewall/rule-processing.md):
 * - "Azure Firewall denies all traffic by default ... The rules are terminating, so rule processing stops on a
 *   match": first match, and a default deny after the last rule.
 * - "Application rules are always processed after Network rules, which are processed after DNAT rules regardless
 *   of Rule collection group or Rule collection priority and policy inheritance."
 * - "Highest priority Rule Collection Groups are processed first. Inside a rule collection group, Rule Collections
 *   with highest priority (lowest number) are processed first."
 * - "If a Firewall Policy is inherited from a parent policy, Rule Collection Groups in the parent policy always
 *   takes precedence regardless of the priority of a child policy."
 * - Classic rules (on the firewall resource): "Rule collections are processed according to the rule type in
 *   priority order, lower numbers to higher numbers from 100 to 65,000."
 * - "If there is no network rule match, and if the protocol is HTTP, HTTPS, or MSSQL, then the packet is then
 *   evaluated by the application rules"; "Application rules aren't applied for inbound connections."
 * Application rules match by FQDN, FQDN tag, web category or URL: the plan cannot decide them from addresses, so a
 * flow one of them could match is undecided (the rule "may match"), unless a network rule or the default deny
 * gives the same answer whatever it does. Where the documentation is silent the engine decides, and says so in
 * docs/firewall.md: groups of equal priority in name order, collections of equal priority and the rules of a
 * collection in declaration order.
 *
 * Evaluation goes through the one first-match evaluator (first-match.ts), like the NSGs.
 */
import type { AzureFirewall, FirewallAddress, FirewallModel, FirewallPolicy, FirewallRule, FirewallRuleCollection, FirewallRuleKind } from "../model/firewall";
import type { Access, Topology } from "../model/topology";
import { isUnknown, unknown, type Maybe, type Unknown } from "../model/unknown";
import { FlowSet } from "../sets/flow-set";
import { IpSet } from "../sets/ip-set";
import { PortSet } from "../sets/port-set";
import { ProtocolSet, Tcp, Udp } from "../sets/protocol-set";
import { firstMatch, type Decision, type FlowSpace, type MatchRule } from "./first-match";
import { memoKind } from "./memo";
import type { EngineEnv } from "./nsg";
import { exact, mergeCauses, triUnionAll, undecided, type TriSet } from "./tri-set";

/** One firewall rule in processing order, compiled to flow sets. `rule` undefined: the default deny. */
export interface FirewallMatchRule extends MatchRule {
  readonly firewall: AzureFirewall;
  readonly kind: FirewallRuleKind | "Default";
  readonly rule?: FirewallRule;
  readonly collection?: FirewallRuleCollection;
  readonly policyName?: string;
  readonly groupName?: string;
}

/** A rule in processing order, before compilation. */
export interface OrderedFirewallRule {
  readonly kind: FirewallRuleKind;
  readonly policyName: string;
  readonly groupName?: string;
  readonly groupPriority?: Maybe<number>;
  readonly collection: FirewallRuleCollection;
  readonly rule: FirewallRule;
  /** Unknowns that may change where this rule sits or whether it applies (unknown priority, unknown policy). */
  readonly causes: readonly Unknown[];
}

const KIND_ORDER: readonly FirewallRuleKind[] = ["Nat", "Network", "Application"];

function prio(p: Maybe<number> | undefined): number {
  // An unknown priority could place the item anywhere: it is sorted first, and never surely matches (see compile).
  return p === undefined || isUnknown(p) ? -1 : p;
}

/** The policy and its ancestors, root first (the parent's groups are processed first); a cycle is cut. */
function policyChain(model: FirewallModel, policyKey: string): { chain: FirewallPolicy[]; causes: Unknown[] } {
  const chain: FirewallPolicy[] = [];
  const causes: Unknown[] = [];
  const seen = new Set<string>();
  let key: Maybe<string | null> = policyKey;
  while (typeof key === "string" && !seen.has(key)) {
    seen.add(key);
    const p = model.policies.get(key);
    if (!p) break;
    chain.unshift(p);
    key = p.basePolicyKey;
  }
  if (isUnknown(key)) causes.push(key);
  return { chain, causes };
}

function policyName(p: FirewallPolicy): string {
  return isUnknown(p.azureName) ? p.logicalName : p.azureName;
}

/**
 * Every rule of a firewall in Azure's processing order: DNAT, then network, then application rules; within a type,
 * parent policies first, then rule collection groups by priority, then collections by priority, then rules in
 * declaration order. Invalid rules are left out (reported by the adapter).
 */
export function orderedFirewallRules(model: FirewallModel, fw: AzureFirewall): { rules: OrderedFirewallRule[]; causes: Unknown[] } {
  const out: OrderedFirewallRule[] = [];
  const causes: Unknown[] = [];
  if (isUnknown(fw.policyKey)) return { rules: [], causes: [fw.policyKey] };
  type Unit = { policyName: string; groupName?: string; groupPriority?: Maybe<number>; collections: readonly FirewallRuleCollection[]; causes: Unknown[] };
  const units: Unit[] = [];
  if (fw.policyKey === null) {
    const name = `${isUnknown(fw.azureName) ? fw.logicalName : fw.azureName} (classic rules)`;
    units.push({ policyName: name, collections: fw.classicCollections, causes: [] });
  } else {
    const { chain, causes: chainCauses } = policyChain(model, fw.policyKey);
    causes.push(...chainCauses);
    // Groups whose policy is not known at preview may belong to any policy of the chain: they can only add doubt.
    const floating = [...model.ruleCollectionGroups.values()].filter((g) => isUnknown(g.policyKey));
    for (const p of chain) {
      const groups = [...model.ruleCollectionGroups.values()].filter((g) => g.policyKey === p.key);
      // Equal group priorities: the documentation is silent; the engine takes the groups in name order.
      const gname = (g: { azureName: Maybe<string>; logicalName: string }): string => (isUnknown(g.azureName) ? g.logicalName : g.azureName);
      const all = [...groups, ...floating].sort((a, b) => prio(a.priority) - prio(b.priority) || (gname(a) < gname(b) ? -1 : gname(a) > gname(b) ? 1 : 0));
      for (const g of all) {
        const gc: Unknown[] = [];
        if (isUnknown(g.policyKey)) gc.push(g.policyKey);
        if (isUnknown(g.priority)) gc.push(g.priority);
        units.push({ policyName: policyName(p), groupName: isUnknown(g.azureName) ? g.logicalName : g.azureName, groupPriority: g.priority, collections: g.collections, causes: gc });
      }
    }
  }
  for (const kind of KIND_ORDER) {
    for (const u of units) {
      const colls = u.collections.filter((c) => isUnknown(c.kind) || c.kind === kind).sort((a, b) => prio(a.priority) - prio(b.priority));
      for (const c of colls) {
        const cc = [...u.causes];
        if (isUnknown(c.kind)) cc.push(c.kind);
        if (isUnknown(c.priority)) cc.push(c.priority);
        for (const r of c.rules) {
          if (!r.valid || (!isUnknown(c.kind) && r.kind !== kind)) continue;
          out.push({ kind, policyName: u.policyName, ...(u.groupName !== undefined ? { groupName: u.groupName, groupPriority: u.groupPriority } : {}), collection: c, rule: r, causes: cc });
        }
      }
    }
  }
  return { rules: out, causes };
}

/** "policy hub-policy / group net-rules / collection allow-https / rule https" (classic: no group). */
export function firewallRuleName(r: { policyName?: string; groupName?: string; collection?: FirewallRuleCollection; rule?: FirewallRule }): string {
  if (!r.rule || !r.collection) return "default deny (no rule matched)";
  const parts = [`policy ${r.policyName ?? "?"}`];
  if (r.groupName !== undefined) parts.push(`rule collection group ${r.groupName}`);
  parts.push(`${r.collection.kind === "Nat" ? "DNAT" : isUnknown(r.collection.kind) ? "" : r.collection.kind.toLowerCase()} rule collection ${r.collection.name}`.trim());
  parts.push(`rule ${r.rule.name}`);
  return parts.join(" / ");
}

function resolveAddress(env: EngineEnv, model: FirewallModel, r: FirewallRule, a: FirewallAddress, side: string): TriSet {
  switch (a.kind) {
    case "any":
      return exact(IpSet.all());
    case "prefix":
      return exact(a.set);
    case "tag": {
      const set = env.tags.resolve(a.tag);
      if (set) return exact(set);
      return undecided(unknown(`.rules[${r.name}].${side}Addresses`, r.place.urn, `service tag ${a.tag} is not in the service tag file`));
    }
    case "ipGroup": {
      if (isUnknown(a.ipGroupKey)) return undecided(a.ipGroupKey);
      const g = model.ipGroups.get(a.ipGroupKey);
      if (!g) return undecided(unknown(`.rules[${r.name}].${side}IpGroups`, r.place.urn, `IP group ${a.text} is not in the plan`));
      return isUnknown(g.addresses) ? undecided(g.addresses) : exact(g.addresses);
    }
    case "fqdn":
      return undecided(unknown(`.rules[${r.name}].destinationFqdns`, r.place.urn, `FQDN ${a.text} is resolved by the firewall's DNS when traffic flows, not known from the plan`));
  }
}

function resolveSide(env: EngineEnv, model: FirewallModel, r: FirewallRule, specs: Maybe<readonly FirewallAddress[]>, side: string): TriSet {
  if (isUnknown(specs)) return undecided(specs);
  return triUnionAll(specs.map((a) => resolveAddress(env, model, r, a, side)));
}

const PORT_PROTOCOLS = ProtocolSet.of(Tcp, Udp);

/** Ports exist for TCP and UDP only: a rule restricted to ports matches no ICMP flow (as for NSG rules). */
function flowsOf(src: IpSet, dst: IpSet, proto: ProtocolSet, dport: PortSet): FlowSet {
  if (src.isEmpty() || dst.isEmpty() || proto.isEmpty()) return FlowSet.empty();
  if (dport.isAll()) return FlowSet.cube({ src, dst, protocols: proto });
  const withPorts = proto.intersect(PORT_PROTOCOLS);
  if (withPorts.isEmpty()) return FlowSet.empty();
  return FlowSet.cube({ src, dst, protocols: withPorts, dstPorts: dport });
}

/** The access a rule gives: its collection's action (DNAT counts as Allow: the translated traffic is allowed). */
function accessOf(c: FirewallRuleCollection): Maybe<Access> {
  if (isUnknown(c.action)) return c.action;
  return c.action === "Deny" ? "Deny" : "Allow";
}

/**
 * One rule as flow sets. `dstOverride` replaces the destination side (DNAT rules are matched against the
 * firewall's public IP, decided by the caller).
 */
function compileFirewallRule(env: EngineEnv, model: FirewallModel, fw: AzureFirewall, o: OrderedFirewallRule, dstOverride?: TriSet): FirewallMatchRule {
  const r = o.rule;
  const src = resolveSide(env, model, r, r.sources, "source");
  const dst = dstOverride ?? resolveSide(env, model, r, r.destinations, "destination");
  const proto = isUnknown(r.protocols) ? { must: ProtocolSet.empty(), may: ProtocolSet.all(), cause: r.protocols } : { must: r.protocols, may: r.protocols, cause: undefined };
  const dport = isUnknown(r.destinationPorts) ? { must: PortSet.empty(), may: PortSet.all(), cause: r.destinationPorts } : { must: r.destinationPorts, may: r.destinationPorts, cause: undefined };
  let causes = mergeCauses(mergeCauses(src.causes, dst.causes), [proto.cause, dport.cause].filter((u): u is Unknown => u !== undefined));
  causes = mergeCauses(causes, o.causes);
  const may = flowsOf(src.may, dst.may, proto.may, dport.may);
  // An application rule decides by name (FQDN, tag, category, URL): it never surely matches a flow.
  const layer7 = o.kind === "Application";
  if (layer7) {
    const what = (r.layer7 ?? []).slice(0, 3).join(", ") || "its targets";
    causes = mergeCauses(causes, [unknown(`.rules[${r.name}]`, r.place.urn, `application rule ${r.name} matches by name (${what}), which the plan cannot decide from addresses`)]);
  }
  const certain = !layer7 && o.causes.length === 0;
  const known = certain && proto.cause === undefined && dport.cause === undefined && src.must.equals(src.may) && dst.must.equals(dst.may);
  const must = !certain ? FlowSet.empty() : known ? may : flowsOf(src.must, dst.must, proto.must, dport.must);
  const base = { firewall: fw, kind: o.kind, rule: r, collection: o.collection, policyName: o.policyName, ...(o.groupName !== undefined ? { groupName: o.groupName } : {}) };
  return { ...base, ruleName: firewallRuleName(base), access: accessOf(o.collection), must, may: known ? must : may, causes };
}

function defaultDeny(fw: AzureFirewall): FirewallMatchRule {
  const all = FlowSet.all();
  return { firewall: fw, kind: "Default", ruleName: "default deny (no rule matched)", access: "Deny", must: all, may: all, causes: [] };
}

/** A rule standing for rules not known at preview (an unknown policy): may match anything, with either access. */
function unknownRules(fw: AzureFirewall, causes: readonly Unknown[]): FirewallMatchRule {
  return { firewall: fw, kind: "Network", ruleName: "(rules not known at preview)", access: causes[0] as Unknown, must: FlowSet.empty(), may: FlowSet.all(), causes };
}

/** Per firewall (its key): the rules compile against the env's topology (its policy) and service tags. */
const FORWARDING_RULES = memoKind<{ firewall: string }, FirewallMatchRule[]>("firewall-forwarding-rules", ["firewall"]);

/**
 * The rules that filter traffic the firewall forwards (routed to it by a UDR): network rules, then application
 * rules, then the default deny. DNAT rules apply to traffic addressed to the firewall's public IPs only.
 */
export function forwardingRules(env: EngineEnv, fw: AzureFirewall): FirewallMatchRule[] {
  return env.memo(FORWARDING_RULES({ firewall: fw.key }), () => {
    const model = env.topo.firewall as FirewallModel;
    const { rules, causes } = orderedFirewallRules(model, fw);
    const out: FirewallMatchRule[] = causes.length > 0 ? [unknownRules(fw, causes)] : [];
    for (const o of rules) if (o.kind !== "Nat") out.push(compileFirewallRule(env, model, fw, o));
    out.push(defaultDeny(fw));
    return out;
  });
}

/** First match of the forwarding rules over flows (symbolic or concrete). */
export function evaluateFirewall<S>(space: FlowSpace<S>, env: EngineEnv, fw: AzureFirewall, flows: S): Decision<S, FirewallMatchRule>[] {
  return firstMatch(space, forwardingRules(env, fw), flows);
}

/**
 * DNAT rules for traffic addressed to one of the firewall's public IPs. Azure requires a DNAT rule's destination
 * to be a public IP of the firewall; so the rule's destination side is decided against that address: a known
 * address list that holds it or not, and, when the firewall has exactly one public IP, a destination unknown at
 * preview can only be that one (any other would be rejected).
 */
export function dnatRules(env: EngineEnv, fw: AzureFirewall, publicAddress: Maybe<string | undefined>): FirewallMatchRule[] {
  const model = env.topo.firewall as FirewallModel;
  const { rules, causes } = orderedFirewallRules(model, fw);
  const out: FirewallMatchRule[] = causes.length > 0 ? [unknownRules(fw, causes)] : [];
  const single = fw.publicIpKeys.length === 1;
  for (const o of rules) {
    if (o.kind !== "Nat") continue;
    out.push(compileFirewallRule(env, model, fw, o, dnatDestination(o.rule, publicAddress, single)));
  }
  out.push(defaultDeny(fw));
  return out;
}

function dnatDestination(r: FirewallRule, address: Maybe<string | undefined>, single: boolean): TriSet {
  const d = r.destinations;
  if (isUnknown(d)) return single ? exact(IpSet.all()) : undecided(d);
  if (typeof address !== "string") {
    if (single) return exact(IpSet.all());
    return undecided(isUnknown(address) ? address : unknown(".ipAddress", r.place.urn, "the firewall's public IP address is not known"));
  }
  const hit = d.some((a) => a.kind === "any" || (a.kind === "prefix" && a.set.contains(address)));
  return exact(hit ? IpSet.all() : IpSet.empty());
}

/** The firewall whose private IP is `ip`, or the causes that leave it open (a firewall whose IP is unknown). */
export function firewallAt(topo: Topology, ip: string): { firewall?: AzureFirewall; causes: Unknown[] } {
  const model = topo.firewall;
  if (!model) return { causes: [] };
  const causes: Unknown[] = [];
  for (const fw of model.firewalls.values()) {
    if (fw.privateIp === ip) return { firewall: fw, causes: [] };
    if (isUnknown(fw.privateIp)) causes.push(fw.privateIp);
  }
  return { causes };
}

/** Readable name of a firewall. */
export function firewallName(fw: AzureFirewall): string {
  return fw.logicalName || (isUnknown(fw.azureName) ? fw.key : fw.azureName);
}

/** What the walk notes about a firewall it crosses (assumed address, threat intelligence). */
export function firewallNotes(fw: AzureFirewall, model: FirewallModel): string[] {
  const notes: string[] = [];
  if (fw.privateIpAssumed && typeof fw.privateIp === "string") {
    notes.push(`firewall ${firewallName(fw)}: private IP ${fw.privateIp} assumed (the first assignable address of AzureFirewallSubnet; the plan does not give it)`);
  }
  const modes: string[] = [];
  if (typeof fw.threatIntelMode === "string") modes.push(fw.threatIntelMode);
  if (typeof fw.policyKey === "string") {
    const p = model.policies.get(fw.policyKey);
    if (p && typeof p.threatIntelMode === "string") modes.push(p.threatIntelMode);
  }
  if (modes.some((m) => m.toLowerCase() === "deny")) {
    notes.push(`firewall ${firewallName(fw)}: threat intelligence mode Deny is processed before every rule and drops traffic to and from Microsoft's feed of known-malicious addresses, which the plan does not hold`);
  }
  return notes;
}
