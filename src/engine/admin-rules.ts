/**
 * Virtual Network Manager security admin rules (issue 15; docs/avnm.md): which rules apply to a VNet, compiled by
 * the same compiler as NSG rules (rules.ts) and evaluated by the same first match (first-match.ts).
 *
 * Semantics (docs/azure-semantics.md section 13; https://learn.microsoft.com/azure/virtual-network-manager/concept-security-admins):
 * - admin rules apply at the VNet level, to the VNets of the network groups a rule collection applies to, and are
 *   evaluated before the NSGs; lower priority number first (1-4096);
 * - Deny stops the flow; AlwaysAllow delivers it without the NSGs; Allow hands it to the NSGs (as does no match);
 * - a configuration takes effect only in the regions a SecurityAdmin commit deploys it to
 *   (https://learn.microsoft.com/azure/virtual-network-manager/concept-deployments: goal state, per region);
 * - admin rules are not applied in the subnets of Azure Firewall, Bastion, VPN / ExpressRoute gateways and Route
 *   Server ("Nonapplication of security admin rules at subnet level").
 * Unknown values (a member, a commit's regions, a VNet's region) make a rule *maybe* apply: it then never surely
 * matches, and an answer it could change is undecided and names the value.
 */
import type { AdminAccess, AdminRule, Avnm, Direction, Nic, Subnet, Topology } from "../model/topology";
import { isUnknown, unknown, type Maybe, type Unknown } from "../model/unknown";
import { FlowSet } from "../sets/flow-set";
import { firstMatch, type Decision, type FlowSpace } from "./first-match";
import { tagContextForSubnet, type TagContext } from "./address-context";
import { nicTagPlace, tagContextForNic, tagPlaceKey, type EngineEnv } from "./env";
import { compileRule, type CompiledRule } from "./rules";
import { subnetOfNic } from "./topology-queries";
import { mergeCauses } from "./tri-set";
import { memoKind, pureMemo } from "./memo";

export const ADMIN_ACCESSES: readonly AdminAccess[] = ["Allow", "AlwaysAllow", "Deny"];

/** Subnets whose resources admin rules are not applied to (concept-security-admins, subnet-level nonapplication). */
const EXEMPT_SUBNETS: ReadonlySet<string> = new Set(["azurefirewallsubnet", "azurefirewallmanagementsubnet", "azurebastionsubnet", "gatewaysubnet", "routeserversubnet"]);

/** The name a decision cites: `securityAdminRules/<configuration>/<rule collection>/<rule>`. */
function adminRuleName(avnm: Avnm, rule: AdminRule): string {
  const coll = typeof rule.collectionKey === "string" ? avnm.collections.get(rule.collectionKey) : undefined;
  const conf = coll && typeof coll.configurationKey === "string" ? avnm.configurations.get(coll.configurationKey) : undefined;
  const name = (e: { azureName: Maybe<string>; logicalName: string } | undefined): string =>
    e === undefined ? "(unknown)" : typeof e.azureName === "string" ? e.azureName : e.logicalName;
  return `securityAdminRules/${name(conf)}/${name(coll)}/${rule.name}`;
}

/** The name of the stand-in rule that takes the flows no admin rule matches (handed to the NSGs). */
export const NO_ADMIN_RULE = "securityAdminRules/(none matched)";

type Tri = true | false | Unknown;

function and(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  if (a === true) return b;
  return a;
}

function or(a: Tri, b: Tri): Tri {
  if (a === true || b === true) return true;
  if (a === false) return b;
  return a;
}

/** Whether a VNet is a member of a network group (static members; dynamic membership is not in the plan). */
function memberOf(avnm: Avnm, groupKey: Maybe<string>, vnetKey: string): Tri {
  if (isUnknown(groupKey)) return groupKey;
  const group = avnm.networkGroups.get(groupKey);
  if (group === undefined) return false;
  let out: Tri = false;
  for (const m of group.staticMembers) out = or(out, isUnknown(m) ? m : m === vnetKey);
  // Members Azure Policy adds are not in the plan: any VNet may be one (docs/avnm.md, "Dynamic membership").
  return group.dynamicMembers ? or(out, group.dynamicMembers) : out;
}

/**
 * Whether a configuration is deployed in a region: a SecurityAdmin commit of its network manager lists it and the
 * region. Commits are goal states: when another commit of the same manager also deploys SecurityAdmin to that
 * region without it, the one that runs last wins, and the plan does not order them: undecided.
 */
function committed(avnm: Avnm, configurationKey: string, location: Maybe<string>): Tri {
  const conf = avnm.configurations.get(configurationKey);
  if (conf === undefined) return false;
  const manager = typeof conf.networkManagerKey === "string" ? avnm.networkManagers.get(conf.networkManagerKey) : undefined;
  const access = manager?.scopeAccesses;
  // A manager without SecurityAdmin scope access cannot deploy security admin configurations.
  if (access !== undefined && !isUnknown(access) && !access.some((a) => a.toLowerCase() === "securityadmin")) return false;
  let includes: Tri = false;
  let excludes: Tri = false;
  for (const c of avnm.commits.values()) {
    const sameManager: Tri = isUnknown(c.networkManagerKey) || isUnknown(conf.networkManagerKey) ? (isUnknown(c.networkManagerKey) ? c.networkManagerKey : (conf.networkManagerKey as Unknown)) : c.networkManagerKey === conf.networkManagerKey;
    const isSecurity: Tri = isUnknown(c.commitType) ? c.commitType : c.commitType.toLowerCase() === "securityadmin";
    const region: Tri = isUnknown(c.targetLocations)
      ? c.targetLocations
      : c.targetLocations.length === 0
        ? false
        : isUnknown(location)
          ? location
          : c.targetLocations.includes(location);
    const applies = and(and(sameManager, isSecurity), region);
    if (applies === false) continue;
    let lists: Tri;
    if (isUnknown(c.configurationKeys)) lists = c.configurationKeys;
    else {
      lists = false;
      for (const k of c.configurationKeys) lists = or(lists, isUnknown(k) ? k : k === configurationKey);
    }
    includes = or(includes, and(applies, lists));
    excludes = or(excludes, and(applies, lists === true ? false : lists === false ? true : lists));
  }
  if (includes === true && excludes === true) return unknown(".properties.configurationIds", configurationKey, "two SecurityAdmin commits of one network manager deploy to this region, one without this configuration: the last to run wins, and the plan does not order them");
  if (includes === true && excludes !== false) return excludes;
  return includes;
}

/** An admin rule that applies to a VNet surely (`true`) or maybe (an Unknown saying why). */
export interface AppliedAdminRule {
  readonly rule: AdminRule;
  readonly applies: true | Unknown;
  readonly ruleName: string;
}

const APPLIED = memoKind<{ avnm: Avnm; vnet: string }, AppliedAdminRule[]>("admin-rules-of-vnet", ["avnm", "vnet"]);

/** The admin rules that apply to a VNet (`undefined` key: a VNet unknown at preview), in evaluation order. */
export function adminRulesOfVnet(topo: Topology, vnetKey: Maybe<string>): AppliedAdminRule[] {
  const avnm = topo.avnm;
  if (avnm === undefined || avnm.rules.length === 0) return [];
  return pureMemo(APPLIED({ avnm, vnet: isUnknown(vnetKey) ? "?" : vnetKey }), () => applicableAdminRules(avnm, vnetKey));
}

function applicableAdminRules(avnm: Avnm, vnetKey: Maybe<string>): AppliedAdminRule[] {
  const out: AppliedAdminRule[] = [];
  for (const rule of avnm.rules) {
    if (!rule.valid) continue;
    const applies = ruleApplies(avnm, rule, vnetKey);
    if (applies === false) continue;
    out.push({ rule, applies, ruleName: adminRuleName(avnm, rule) });
  }
  // Lower number first; an unknown priority could be anywhere, so it goes first (it can only add doubt).
  const prio = (r: AdminRule): number => (isUnknown(r.priority) ? -1 : r.priority);
  out.sort((a, b) => prio(a.rule) - prio(b.rule) || (a.ruleName < b.ruleName ? -1 : a.ruleName > b.ruleName ? 1 : 0));
  return out;
}

function ruleApplies(avnm: Avnm, rule: AdminRule, vnetKey: Maybe<string>): Tri {
  if (isUnknown(rule.collectionKey)) return rule.collectionKey;
  const coll = avnm.collections.get(rule.collectionKey);
  if (coll === undefined) return false;
  if (isUnknown(coll.configurationKey)) return coll.configurationKey;
  let member: Tri = false;
  if (isUnknown(coll.appliesToGroups)) member = coll.appliesToGroups;
  else for (const g of coll.appliesToGroups) member = or(member, isUnknown(vnetKey) ? vnetKey : memberOf(avnm, g, vnetKey));
  if (member === false) return false;
  const location: Maybe<string> = isUnknown(vnetKey) ? vnetKey : (avnm.vnetLocations.get(vnetKey) ?? unknown(".location", vnetKey, "the VNet's region is not known"));
  return and(member, committed(avnm, coll.configurationKey, location));
}

/** The VNet a NIC's admin rules come from; `null` when none apply (no subnet, or a subnet admin rules skip). */
function adminVnetOfNic(topo: Topology, nic: Nic): Maybe<string> | null {
  const subnet: Maybe<Subnet | undefined> = subnetOfNic(topo, nic);
  if (subnet === undefined) return null;
  if (isUnknown(subnet)) return subnet;
  if (typeof subnet.azureName === "string" && EXEMPT_SUBNETS.has(subnet.azureName.toLowerCase())) return null;
  return subnet.vnetKey;
}

/** The stand-in last rule: every flow no admin rule matched goes on to the NSGs, as an Allow would. */
function noMatchRule(): CompiledRule<AdminRule> {
  const u = unknown("", "");
  const rule: AdminRule = {
    kind: "Custom",
    name: "(none matched)",
    urn: "",
    collectionKey: u,
    priority: 4097,
    direction: "Inbound",
    access: "Allow",
    protocol: u,
    protocolText: "",
    sources: u,
    destinations: u,
    sourcePorts: u,
    destinationPorts: u,
    valid: true,
  };
  const all = FlowSet.all();
  return { rule, ruleName: NO_ADMIN_RULE, access: "Allow", must: all, may: all, causes: [] };
}

/** The compiled admin rules for a NIC's traffic in one direction, ending with the no-match stand-in; [] when none apply. */
export function compiledAdminRules(env: EngineEnv, nic: Nic, direction: Direction): CompiledRule<AdminRule>[] {
  if (env.topo.avnm === undefined || env.topo.avnm.rules.length === 0) return [];
  const vnetKey = adminVnetOfNic(env.topo, nic);
  if (vnetKey === null) return [];
  const place = isUnknown(vnetKey) ? `?${nic.key}` : `${vnetKey}|${nicTagPlace(env.topo, nic)}`;
  return compileAt(env, vnetKey, () => tagContextForNic(env, nic), place, direction);
}

/** The same for any host of a subnet (the checks read NSGs per subnet they are attached to). */
export function compiledAdminRulesForSubnet(env: EngineEnv, subnet: Subnet, direction: Direction): CompiledRule<AdminRule>[] {
  if (env.topo.avnm === undefined || env.topo.avnm.rules.length === 0) return [];
  if (typeof subnet.azureName === "string" && EXEMPT_SUBNETS.has(subnet.azureName.toLowerCase())) return [];
  const vnetKey = subnet.vnetKey;
  const place = isUnknown(vnetKey) ? `?${subnet.key}` : `${vnetKey}|${tagPlaceKey(env.topo, subnet)}`;
  return compileAt(env, vnetKey, () => tagContextForSubnet(env.topo, subnet), place, direction);
}

/**
 * Per place (the VNet, whose admin rules apply, and the subnet's tag place, which the VirtualNetwork and Internet
 * tags read) and direction; the topology and service tags are the env's.
 */
const COMPILED_ADMIN = memoKind<{ place: string; direction: Direction }, CompiledRule<AdminRule>[]>("compiled-admin-rules", ["place", "direction"]);

function compileAt(env: EngineEnv, vnetKey: Maybe<string>, tagContext: () => TagContext, place: string, direction: Direction): CompiledRule<AdminRule>[] {
  return env.memo(COMPILED_ADMIN({ place, direction }), () => {
    const applied = adminRulesOfVnet(env.topo, vnetKey).filter((a) => isUnknown(a.rule.direction) || a.rule.direction === direction);
    if (applied.length === 0) return [];
    const ctx = { topo: env.topo, tags: env.tags, tagContext: tagContext(), direction };
    const compiled = applied.map((a) => {
      const c = compileRule(a.rule, ctx, a.ruleName);
      // A rule that only maybe applies never surely matches: its reach is the "maybe" part, with the reason.
      return a.applies === true ? c : { ...c, must: FlowSet.empty(), causes: mergeCauses(c.causes, [a.applies]) };
    });
    return [...compiled, noMatchRule()];
  });
}

/** What the admin rules do with a NIC's flows, before its NSGs. */
export interface AdminEvaluation<S> {
  readonly input: S;
  readonly decisions: readonly Decision<S, CompiledRule<AdminRule>>[];
  /** Denied by an admin rule: never reach the NSGs. */
  readonly denied: S;
  /** Accepted by an AlwaysAllow rule: the NSGs are not evaluated. */
  readonly alwaysAllowed: S;
  /** Allowed by an admin rule, or matched by none: the NSGs decide. */
  readonly passed: S;
  /** Maybe Deny, maybe handed on: a sure deny of the NSGs settles them, else undecided. */
  readonly passedOrDenied: S;
  /** Maybe AlwaysAllow, maybe handed on: an allow of the NSGs settles them, else undecided. */
  readonly passedOrAccepted: S;
  /** Maybe AlwaysAllow, maybe Deny: undecided whatever the NSGs say. */
  readonly undecided: S;
  readonly causes: readonly Unknown[];
}

export function evaluateAdminRules<S>(space: FlowSpace<S>, env: EngineEnv, nic: Nic, direction: Direction, flows: S): AdminEvaluation<S> | undefined {
  const rules = compiledAdminRules(env, nic, direction);
  if (rules.length === 0) return undefined;
  const decisions = firstMatch(space, rules, flows, ADMIN_ACCESSES);
  let denied = space.empty;
  let alwaysAllowed = space.empty;
  let passed = space.empty;
  let passedOrDenied = space.empty;
  let passedOrAccepted = space.empty;
  let undecided = space.empty;
  let causes: Unknown[] = [];
  for (const d of decisions) {
    if (d.outcome === "Deny") denied = space.union(denied, d.flows);
    else if (d.outcome === "AlwaysAllow") alwaysAllowed = space.union(alwaysAllowed, d.flows);
    else if (d.outcome === "Allow") passed = space.union(passed, d.flows);
    else {
      causes = mergeCauses(causes, d.causes as Unknown[]);
      const possible = new Set(d.possible ?? ADMIN_ACCESSES);
      if (possible.has("AlwaysAllow") && possible.has("Deny")) undecided = space.union(undecided, d.flows);
      else if (possible.has("AlwaysAllow")) passedOrAccepted = space.union(passedOrAccepted, d.flows);
      else passedOrDenied = space.union(passedOrDenied, d.flows);
    }
  }
  return { input: flows, decisions, denied, alwaysAllowed, passed, passedOrDenied, passedOrAccepted, undecided, causes };
}
