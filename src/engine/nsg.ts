import { defaultSecurityRules } from "../azure/default-rules";
import type { Direction, Entity, Nic, Nsg, SecurityRule, Subnet, Topology } from "../model/topology";
import { isUnknown, type Maybe, type Unknown } from "../model/unknown";
import { evaluateAdminRules, type AdminEvaluation } from "./admin-rules";
import { memoKind, pureMemo } from "./memo";
import { nicTagPlace, tagContextForNic, type EngineEnv } from "./env";
import type { TagContext } from "./address-context";
import { firstMatch, type Decision, type FlowSpace } from "./first-match";
import { bindShape, nicAsgMembership, orderedRules, ruleDisplayName, ruleShape, type CompiledRule, type RuleContext, type RuleShape, type ShapeContext, type TransitEnds } from "./rules";
import { lookup, subnetOfNic } from "./topology-queries";
import { mergeCauses } from "./tri-set";

export { engineEnv, nicTagPlace, tagContextAtSubnet, tagContextForNic, tagPlaceKey, type EngineEnv } from "./env";

export type AppliedTo = "subnet" | "networkInterface";

/** One NSG on the path of a NIC's traffic. `nsg` is Unknown when the association is not known at plan time. */
export interface NsgLayer {
  readonly appliedTo: AppliedTo;
  /** The subnet or NIC the NSG is associated with. */
  readonly owner: Entity;
  readonly nsg: Maybe<Nsg>;
}

/**
 * The NSGs a NIC's traffic crosses, in Azure's order: inbound the subnet's then the NIC's, outbound the NIC's
 * then the subnet's. Missing NSGs are left out (nothing to deny); unknown associations stay in as Unknown.
 */
export function nsgLayers(topo: Topology, nic: Nic, direction: Direction): NsgLayer[] {
  const layers: NsgLayer[] = [];
  const subnet = subnetOfNic(topo, nic);
  if (isUnknown(subnet)) {
    layers.push({ appliedTo: "subnet", owner: { key: "?", urn: nic.urn, logicalName: "", azureName: subnet, id: subnet }, nsg: subnet });
  } else if (subnet) {
    const nsg = lookup(topo.nsgs, subnet.nsgKey);
    const applies = nic.privateEndpoint ? privateEndpointNsgApplies(subnet) : true;
    if (nsg !== undefined && applies === true) layers.push({ appliedTo: "subnet", owner: subnet, nsg });
    // Whether the subnet's NSG filters the endpoint is unknown: so is the layer.
    else if (nsg !== undefined && isUnknown(applies)) layers.push({ appliedTo: "subnet", owner: subnet, nsg: applies });
  }
  const nicNsg = lookup(topo.nsgs, nic.nsgKey);
  if (nicNsg !== undefined) layers.push({ appliedTo: "networkInterface", owner: nic, nsg: nicNsg });
  return direction === "Inbound" ? layers : layers.reverse();
}

/**
 * Whether a subnet's NSG filters traffic to the private endpoints in it: only when the subnet's
 * `privateEndpointNetworkPolicies` is Enabled or NetworkSecurityGroupEnabled. "By default, network policies are
 * disabled for a subnet in a virtual network ... This setting only applies to private endpoints in the subnet"
 * (learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy). Absent: Disabled.
 */
export function privateEndpointNsgApplies(subnet: Subnet): Maybe<boolean> {
  const p = subnet.privateEndpointNetworkPolicies;
  if (p === undefined) return false;
  if (isUnknown(p)) return p;
  const v = p.toLowerCase();
  return v === "enabled" || v === "networksecuritygroupenabled";
}

/** Whether user routes may override the /32 routes of the private endpoints in a subnet (Enabled, RouteTableEnabled). */
export function privateEndpointRoutesApply(subnet: Subnet): Maybe<boolean> {
  const p = subnet.privateEndpointNetworkPolicies;
  if (p === undefined) return false;
  if (isUnknown(p)) return p;
  const v = p.toLowerCase();
  return v === "enabled" || v === "routetableenabled";
}

/** Per NSG object: its rules in evaluation order, per direction (they depend on the NSG alone). */
const EVALUATED = memoKind<{ nsg: Nsg; direction: Direction }, readonly SecurityRule[]>("evaluated-nsg-rules", ["nsg", "direction"]);

/**
 * The rules Azure evaluates for one direction of an NSG, in order (orderedRules), completed with the default rules
 * when the model lacks them: an NSG whose defaults are missing still ends in Azure's catch-all deny.
 */
export function evaluatedRules(nsg: Nsg, direction: Direction): readonly SecurityRule[] {
  return pureMemo(EVALUATED({ nsg, direction }), () => {
    const rules = orderedRules(nsg, direction);
    const hasCatchAll = rules.some((r) => r.origin === "default" && r.name.startsWith("DenyAll"));
    return hasCatchAll ? rules : [...rules, ...orderedRules({ ...nsg, rules: [], defaultRules: defaultSecurityRules(nsg.key, nsg.urn) }, direction)];
  });
}

/**
 * Some rule names an ASG on a known side: its compilation then depends on the NICs' memberships (even when the
 * rule's other side is unknown: the ASG side still decides, for some NICs, that the rule cannot match).
 */
export function namesAsg(nsg: Nsg): boolean {
  return nsg.rules.some((r) => [r.sources, r.destinations].some((side) => !isUnknown(side) && side.some((s) => s.kind === "asg")));
}

interface AsgUse {
  /** Some rule names an ASG on a known side (namesAsg): compilation depends on the NICs. */
  readonly uses: boolean;
  /** Every known ASG the rules name, sorted. */
  readonly keys: readonly string[];
}

const ASG_USE = memoKind<{ nsg: Nsg }, AsgUse>("nsg-asg-use", ["nsg"]);

function asgUse(nsg: Nsg): AsgUse {
  return pureMemo(ASG_USE({ nsg }), () => {
    const uses = namesAsg(nsg);
    const keys = new Set<string>();
    for (const r of nsg.rules) {
      for (const side of [r.sources, r.destinations]) {
        if (isUnknown(side)) continue;
        for (const s of side) if (s.kind === "asg" && !isUnknown(s.asgKey)) keys.add(s.asgKey);
      }
    }
    return { uses, keys: [...keys].sort() };
  });
}

/**
 * What ASG rules can tell about a NIC bound to one side of a flow (rules.ts, boundMembership): when each of its IP
 * configurations is, for each ASG, surely a member or surely not, the rules match it as "everything" or "nothing"
 * on that side whatever its address, so NICs of equal membership compile alike. Otherwise the NIC stands alone.
 */
function asgSignature(nic: Nic, keys: readonly string[], keep = true): string {
  // Kept for the plan's NICs only (a stand-in's signature is cheap to recompute; short-lived weak keys are not).
  if (!keep) return computeAsgSignature(nic, keys);
  return pureMemo(SIGNATURES({ keys, nic }), () => computeAsgSignature(nic, keys));
}

/** Signatures per ASG key list (one list per NSG) and NIC object: asked for on every evaluation of a NIC's chain. */
const SIGNATURES = memoKind<{ keys: readonly string[]; nic: Nic }, string>("asg-signature", ["keys", "nic"]);

function computeAsgSignature(nic: Nic, keys: readonly string[]): string {
  let sig = "asg:";
  for (const k of keys) {
    const m = nicAsgMembership(nic, k);
    if (m === "member") sig += "A";
    else if (m === "none") sig += "N";
    else return `nic:${nic.key}`;
  }
  return sig;
}

/**
 * How an NSG's rules see a NIC (the part of `compiledRules`' cache key that depends on the NIC): "" when the NSG
 * names no ASG, else the NIC's ASG membership signature. NICs of one subnet with equal keys compile alike.
 */
export function asgBindingKey(nsg: Nsg, nic: Nic): string {
  const use = asgUse(nsg);
  return use.uses ? asgSignature(nic, use.keys) : "";
}

/**
 * The compiled rules of one NSG for one direction, as seen by `local` (the evaluated NIC) talking to `remote`.
 * Rule compilation depends on the NIC only through ASG membership, so the cache key includes the NICs' ASG
 * memberships only when the NSG names ASGs (NICs of equal membership share one compilation).
 */
export function compiledRules(env: EngineEnv, nsg: Nsg, direction: Direction, local: Nic, remote?: Nic, transit?: TransitEnds): CompiledRule[] {
  const use = asgUse(nsg);
  const own = (n: Nic): boolean => env.topo.nics.get(n.key) === n;
  const sig = (n: Nic | undefined): string => (n === undefined ? "" : asgSignature(n, use.keys, own(n)));
  const nics = !use.uses ? "" : transit ? `T|${sig(transit.source)}|${sig(transit.destination)}` : `${sig(local)}|${sig(remote)}`;
  return compiledAt(env, nsg, direction, nicTagPlace(env.topo, local), nics, () => ({
    topo: env.topo,
    tags: env.tags,
    tagContext: tagContextForNic(env, local),
    direction,
    local,
    remote,
    ...(transit ? { transit } : {}),
  }));
}

/**
 * The one cache of compiled rules, per NSG, tag place, direction and ASG binding (the NICs' signatures as the rules
 * see them, "" when the NSG names no ASG), shared by the intents, IP flow verify and the rule checks.
 */
function compiledAt(env: EngineEnv, nsg: Nsg, direction: Direction, placeKey: string, nics: string, context: () => RuleContext): CompiledRule[] {
  // Keyed by the model's own (hash-cached) key strings, no long key built per call (this runs on every evaluation
  // of a NIC's chain).
  return env.memo(COMPILED_NSG({ nsg: nsg.key, place: placeKey, direction, asgBinding: nics }), () => {
    const ctx = context();
    return shapesAt(env, nsg, direction, placeKey, () => ctx.tagContext).map((s) => bindShape(s, ctx));
  });
}

/** The compiled rules of one NSG key at one tag place, direction and ASG binding (asgBindingKey), per environment. */
const COMPILED_NSG = memoKind<{ nsg: string; place: string; direction: Direction; asgBinding: string }, CompiledRule[]>("compiled-nsg", ["nsg", "place", "direction", "asgBinding"]);

/** The rule shapes of one NSG key at one tag place and direction (every ASG binding is bound from them). */
const NSG_SHAPES = memoKind<{ nsg: string; place: string; direction: Direction }, readonly RuleShape[]>("nsg-rule-shapes", ["nsg", "place", "direction"]);

function shapesAt(env: EngineEnv, nsg: Nsg, direction: Direction, placeKey: string, tagContext: () => TagContext): readonly RuleShape[] {
  return env.memo(NSG_SHAPES({ nsg: nsg.key, place: placeKey, direction }), () => {
    const ctx = { topo: env.topo, tags: env.tags, tagContext: tagContext() };
    const rules = evaluatedRules(nsg, direction);
    const free = env.memo(PLACE_FREE_SHAPES({ nsg: nsg.key, direction }), (): PlaceFree[] => new Array<PlaceFree>(rules.length).fill(undefined));
    return rules.map((r, i) => placeShape(r, ctx, free, i));
  });
}

/** Per rule: its shape when it reads alike at every place, null when it does not, undefined when not read yet. */
type PlaceFree = RuleShape | null | undefined;

/** Per NSG key and direction: the shapes of its rules that are the same at every place (filled as places are read). */
const PLACE_FREE_SHAPES = memoKind<{ nsg: string; direction: Direction }, PlaceFree[]>("place-free-rule-shapes", ["nsg", "direction"]);

/**
 * A rule's shape at a place. Whether the place matters is seen, not assumed: the first reading records whether it
 * asked for the tag context (rules.ts reads it for the tags whose meaning depends on the place, §1.5); a rule that
 * did not is read once for every place, so places share its shape (and the fast path's program of it).
 */
function placeShape(rule: SecurityRule, ctx: ShapeContext, free: PlaceFree[], i: number): RuleShape {
  const known = free[i];
  if (known) return known;
  if (known === null) return ruleShape(rule, ctx, ruleDisplayName(rule));
  let readsPlace = false;
  const probe: ShapeContext = {
    topo: ctx.topo,
    tags: ctx.tags,
    get tagContext(): TagContext {
      readsPlace = true;
      return ctx.tagContext;
    },
  };
  const shape = ruleShape(rule, probe, ruleDisplayName(rule));
  free[i] = readsPlace ? null : shape;
  return shape;
}

/**
 * The rules of one NSG for one direction as read at a NIC's tag place, ASG sides unbound (rules.ts RuleShape): what
 * compiledRules binds for each pair of ends, and what the IP flow verify fast path matches point-wise.
 */
export function nsgRuleShapes(env: EngineEnv, nsg: Nsg, direction: Direction, nic: Nic): readonly RuleShape[] {
  return shapesAt(env, nsg, direction, nicTagPlace(env.topo, nic), () => tagContextForNic(env, nic));
}

/** The custom rules of a compiled list (the same array each time for one list). */
const CUSTOM = memoKind<{ compiled: CompiledRule[] }, CompiledRule[]>("custom-compiled-rules", ["compiled"]);

/**
 * The custom rules of one direction in evaluation order, compiled at a place for the rule checks: `placeKey` and
 * `tagContext` the place's (tagPlaceKey / nicTagPlace and its tag context), `local` the NIC whose ASG membership the
 * rules see (undefined: ASG sides match their members' addresses). From the cache the intents use.
 */
export function compiledCustomRules(env: EngineEnv, nsg: Nsg, direction: Direction, placeKey: string, tagContext: TagContext, local?: Nic): CompiledRule[] {
  const use = asgUse(nsg);
  const nics = !use.uses ? "" : local === undefined ? "unbound" : `${asgSignature(local, use.keys, env.topo.nics.get(local.key) === local)}|`;
  const all = compiledAt(env, nsg, direction, placeKey, nics, () => ({ topo: env.topo, tags: env.tags, tagContext, direction, ...(local ? { local } : {}) }));
  return pureMemo(CUSTOM({ compiled: all }), () => all.filter((r) => r.rule.origin !== "default"));
}

export interface LayerEvaluation<S> {
  readonly layer: NsgLayer;
  /** Flows that reached this NSG (allowed or undecided by the earlier ones). */
  readonly input: S;
  readonly decisions: readonly Decision<S>[];
  /** Set when the NSG association itself is unknown. */
  readonly unknownNsg?: Unknown;
}

export interface ChainEvaluation<S> {
  readonly layers: readonly LayerEvaluation<S>[];
  readonly allowed: S;
  readonly denied: S;
  readonly unknown: S;
  /** The security admin rules evaluated first (admin-rules.ts); absent when none apply to the NIC's VNet. */
  readonly admin?: AdminEvaluation<S>;
}

/**
 * Evaluates a NIC's filters for one direction (`transit`: the NIC is an appliance the packet passes through,
 * see RuleContext.transit): first the security admin rules of its VNet, if any (Deny stops a flow, AlwaysAllow
 * accepts it without the NSGs, Allow or no match hands it on), then the NSG chain. Both NSGs must allow; a flow
 * denied by the first never reaches the second. Flows undecided at one NSG are still evaluated by the next: a sure
 * deny there settles them.
 */
export function evaluateNicChain<S>(space: FlowSpace<S>, env: EngineEnv, nic: Nic, direction: Direction, flows: S, remote?: Nic, transit?: TransitEnds): ChainEvaluation<S> {
  const admin = evaluateAdminRules(space, env, nic, direction, flows);
  if (admin === undefined) return evaluateNsgChain(space, env, nic, direction, flows, space.empty, remote, transit);
  const main = evaluateNsgChain(space, env, nic, direction, admin.passed, admin.passedOrDenied, remote, transit);
  let allowed = space.union(main.allowed, admin.alwaysAllowed);
  let denied = space.union(main.denied, admin.denied);
  let unknownFlows = space.union(main.unknown, admin.undecided);
  let layers = main.layers;
  if (!space.isEmpty(admin.passedOrAccepted)) {
    // Maybe AlwaysAllow: the NSGs' allow settles it; their deny leaves it undecided.
    const maybe = evaluateNsgChain(space, env, nic, direction, admin.passedOrAccepted, space.empty, remote, transit);
    allowed = space.union(allowed, maybe.allowed);
    unknownFlows = space.union(unknownFlows, space.union(maybe.denied, maybe.unknown));
    layers = mergeLayers(space, layers, maybe.layers);
  }
  return { layers, allowed, denied, unknown: unknownFlows, admin };
}

function mergeLayers<S>(space: FlowSpace<S>, a: readonly LayerEvaluation<S>[], b: readonly LayerEvaluation<S>[]): LayerEvaluation<S>[] {
  const out: LayerEvaluation<S>[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined) out.push((x ?? y) as LayerEvaluation<S>);
    else out.push({ ...x, input: space.union(x.input, y.input), decisions: [...x.decisions, ...y.decisions] });
  }
  return out;
}

/** The NSG chain alone, over flows the NSGs may allow (`flows`) and flows an earlier filter left undecided. */
function evaluateNsgChain<S>(space: FlowSpace<S>, env: EngineEnv, nic: Nic, direction: Direction, flows: S, undecidedIn: S, remote?: Nic, transit?: TransitEnds): ChainEvaluation<S> {
  let allowed = flows;
  let undecided = undecidedIn;
  let denied = space.empty;
  const layers: LayerEvaluation<S>[] = [];
  for (const layer of nsgLayers(env.topo, nic, direction)) {
    const input = space.union(allowed, undecided);
    if (space.isEmpty(input)) break;
    if (isUnknown(layer.nsg)) {
      layers.push({ layer, input, decisions: [], unknownNsg: layer.nsg });
      undecided = input;
      allowed = space.empty;
      continue;
    }
    const rules = compiledRules(env, layer.nsg, direction, nic, remote, transit);
    const fromAllowed = firstMatch(space, rules, allowed);
    const fromUndecided = firstMatch(space, rules, undecided);
    let nextAllowed = space.empty;
    let nextUndecided = space.empty;
    for (const d of fromAllowed) {
      if (d.outcome === "Allow") nextAllowed = space.union(nextAllowed, d.flows);
      else if (d.outcome === "Deny") denied = space.union(denied, d.flows);
      else nextUndecided = space.union(nextUndecided, d.flows);
    }
    for (const d of fromUndecided) {
      if (d.outcome === "Deny") denied = space.union(denied, d.flows);
      else nextUndecided = space.union(nextUndecided, d.flows);
    }
    layers.push({ layer, input, decisions: [...fromAllowed, ...fromUndecided] });
    allowed = nextAllowed;
    undecided = nextUndecided;
  }
  return { layers, allowed, denied, unknown: undecided };
}

/** The unknown values that leave some flows of a chain undecided (an unknown NSG, or rules whose match is unknown). */
export function chainCauses<S>(chain: ChainEvaluation<S>): Unknown[] {
  let causes: Unknown[] = chain.admin ? [...chain.admin.causes] : [];
  for (const l of chain.layers) {
    if (l.unknownNsg) causes = mergeCauses(causes, [l.unknownNsg]);
    for (const d of l.decisions) if (d.outcome === "Unknown") causes = mergeCauses(causes, d.causes as Unknown[]);
  }
  return causes;
}
