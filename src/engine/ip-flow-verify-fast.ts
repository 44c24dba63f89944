/**
 * IP flow verify for the common case, without building sets or decisions per query: the NIC's NSG chain is looked
 * up once per NIC and direction (a plan: its layers, their names, its addresses), each NSG's compiled rules are
 * matched as numbers (point-match.ts), and the decision is built directly. The VNet's security admin rules, when some
 * apply, are read first from the same compiled rules as the general path's (admin-point-match.ts): Deny and
 * AlwaysAllow decide without the NSGs, Allow or no match hands the flow on (docs/azure-semantics.md section 13).
 * It answers only when it is sure to give the general path's decision, byte for byte: a TCP/UDP query on a NIC of the
 * plan, both addresses valid, the local one the NIC's, the admin rules (if any) decided by a sure rule of known
 * access with no doubt before it, every NSG reached known, and each decided by a sure rule of known access (so no
 * Indeterminate, no error). Otherwise it returns undefined and ipFlowVerify takes the general path, which explains.
 */
import type { Direction, Nic, Nsg, Topology } from "../model/topology";
import { isUnknown } from "../model/unknown";
import { addressValue, ipv4Number } from "../sets/ip";
import type { IpSet } from "../sets/ip-set";
import { displayName, idOrUrn } from "./find";
import { noNsgNote } from "./ip-flow-verify-note";
import type { AdminDecision, EntityRef, FlowDecisionOutcome, IpFlowVerifyRequest, LayerDecision } from "./ip-flow-verify-types";
import { CANNOT_TELL } from "./first-match";
import { memoKind, topoMemo } from "./memo";
import { compiledAdminRules } from "./admin-rules";
import { adminPointProgram, matchAdminPoint, type AdminPointRule } from "./admin-point-match";
import { nicTagPlace, nsgLayers, nsgRuleShapes, type AppliedTo, type EngineEnv } from "./nsg";
import type { RuleShape } from "./rules";
import { inBounds, matchProgram, pointProgram, pointRule, TCP_BIT, UDP_BIT, v4Bounds, type PointProgram, type PointQuery, type PointRule } from "./point-match";
import { nicAddresses, surelyHeldBy } from "./topology-queries";

/** One NSG of a NIC's chain, with what the answer says about it computed once. */
interface LayerPlan {
  /** Undefined when the association is unknown: the general path reports it. */
  readonly nsg: Nsg | undefined;
  readonly appliedTo: AppliedTo;
  /** The NSG and its association as the decision names them (made once, shared by every decision). */
  readonly nsgRef: EntityRef;
  readonly associationRef: EntityRef;
  /** The NSG's point program for this NIC's direction and tag place, fetched on first use. */
  rules: PointProgram | undefined;
}

interface NicPlan {
  readonly nic: Nic;
  readonly direction: Direction;
  readonly place: string;
  readonly layers: readonly LayerPlan[];
  /** The point program of the security admin rules that apply to the NIC's VNet; undefined when none do. */
  readonly admin: readonly AdminPointRule[] | undefined;
  /** The NIC's possible addresses (nicAddresses(...).may): IPv4 as interval bounds, the set for IPv6. */
  readonly local4: Float64Array;
  readonly localSet: IpSet;
  readonly nicRef: EntityRef;
}

interface Plans {
  readonly inbound: Map<Nic, NicPlan>;
  readonly outbound: Map<Nic, NicPlan>;
}

/** The answer for `req`, or undefined when the general path must give it (see the file comment). */
export function fastIpFlowVerify(env: EngineEnv, req: IpFlowVerifyRequest): FlowDecisionOutcome | undefined {
  const bit = req.protocol === "TCP" ? TCP_BIT : req.protocol === "UDP" ? UDP_BIT : 0;
  if (bit === 0 || !isPort(req.localPort) || !isPort(req.remotePort)) return undefined;
  const plan = nicPlan(env, req.nic, req.direction);
  if (plan === undefined) return undefined;
  const local4 = ipv4Number(req.localIp);
  const remote4 = ipv4Number(req.remoteIp);
  let local6 = 0n;
  let remote6 = 0n;
  let remoteNic: Nic | undefined;
  if (local4 >= 0 && remote4 >= 0) {
    if (!inBounds(plan.local4, local4)) return undefined;
    remoteNic = ownerOfV4(env.topo, remote4, req.remoteIp);
  } else {
    // An IPv6 endpoint: parsed as the general path parses it; the sets are then searched as they are.
    const local = local4 >= 0 ? undefined : addressValue(req.localIp);
    const remote = remote4 >= 0 ? undefined : addressValue(req.remoteIp);
    if ((local4 < 0 && local?.family !== 6) || (remote4 < 0 && remote?.family !== 6)) return undefined;
    local6 = local?.value ?? 0n;
    remote6 = remote?.value ?? 0n;
    const localIn = local4 >= 0 ? inBounds(plan.local4, local4) : plan.localSet.v6.contains(local6);
    if (!localIn) return undefined;
    remoteNic = surelyHeldBy(env.topo, req.remoteIp);
  }
  const query: PointQuery = { protocolBit: bit, localPort: req.localPort, remotePort: req.remotePort, local4, remote4, local6, remote6, local: plan.nic, remote: remoteNic };
  let admin: AdminDecision | undefined;
  if (plan.admin !== undefined) {
    const a = matchAdminPoint(plan.admin, query, req.direction === "Inbound");
    // The same conditions as for an NSG: only a sure decision with no doubt before it is answered here.
    if (a === undefined || a === CANNOT_TELL || a.outcome === "Unknown" || a.doubtful.length > 0) return undefined;
    admin = { outcome: a.outcome, rule: a.rule.ruleName, doubtful: NONE };
  }
  // A Deny or AlwaysAllow admin rule decides alone: the NSGs are not evaluated (none is reported).
  const adminDecides = admin !== undefined && admin.outcome !== "Allow";
  const layers: LayerDecision[] = [];
  let denied = admin?.outcome === "Deny";
  for (const layer of adminDecides ? NO_LAYERS : plan.layers) {
    if (layer.nsg === undefined) return undefined;
    const rules = layer.rules ?? (layer.rules = pointRules(env, layer.nsg, plan));
    const d = matchProgram(rules, query);
    // Doubt, an unknown outcome or a membership the program does not decide: the general path explains.
    if (d === undefined || d === CANNOT_TELL || d.outcome === "Unknown" || d.doubtful.length > 0) return undefined;
    // Key order as the general path builds it (decisions are compared as JSON text).
    layers.push({ nsg: layer.nsgRef, appliedTo: layer.appliedTo, association: layer.associationRef, outcome: d.outcome, rule: d.rule.ruleName, doubtful: NONE });
    // A denied flow never reaches the next NSG.
    if (d.outcome === "Deny") {
      denied = true;
      break;
    }
  }
  const last = layers.length === 0 ? undefined : layers[layers.length - 1];
  return {
    ok: true,
    decision: {
      outcome: denied ? "Deny" : "Allow",
      nic: plan.nicRef,
      admin,
      adminDecides,
      layers,
      // The deciding admin rule, else the deny that stopped the flow (the last NSG evaluated), else the allow of the last NSG.
      decidingRule: adminDecides ? (admin as AdminDecision).rule : last === undefined ? null : last.rule,
      causes: NONE,
      ruleDoubt: undefined,
      noNsgNote: layers.length === 0 && !adminDecides ? noNsgNote(env.topo, plan.nic) : undefined,
    },
  };
}

/** No doubtful rules, no causes: the fast path answers only sure decisions (shared, never written). */
const NONE: readonly never[] = Object.freeze([]);
const NO_LAYERS: readonly LayerPlan[] = [];

function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= 65535;
}

/** The NICs' plans, made on first use per NIC and direction (they depend on the environment only). */
const PLANS = memoKind<Record<string, never>, Plans>("verify-fast-plans", []);
/** The one key of the plans (asked on every query: made once). */
const PLANS_KEY = PLANS({});

/** The plan of a NIC of the topology for one direction; undefined for other NIC objects (stand-ins). */
function nicPlan(env: EngineEnv, nic: Nic, direction: Direction): NicPlan | undefined {
  if (direction !== "Inbound" && direction !== "Outbound") return undefined;
  const plans = env.memo(PLANS_KEY, (): Plans => ({ inbound: new Map(), outbound: new Map() }));
  const byNic = direction === "Inbound" ? plans.inbound : plans.outbound;
  let plan = byNic.get(nic);
  if (plan === undefined) {
    if (env.topo.nics.get(nic.key) !== nic) return undefined;
    plan = makeNicPlan(env, nic, direction);
    byNic.set(nic, plan);
  }
  return plan;
}

function makeNicPlan(env: EngineEnv, nic: Nic, direction: Direction): NicPlan {
  const topo = env.topo;
  const layers = nsgLayers(topo, nic, direction).map((l): LayerPlan => {
    const nsg = isUnknown(l.nsg) ? undefined : l.nsg;
    return {
      nsg,
      appliedTo: l.appliedTo,
      nsgRef: nsg === undefined ? { id: "(unknown at preview)", name: "(unknown NSG)" } : { id: idOrUrn(nsg), name: displayName(nsg) },
      associationRef: { id: idOrUrn(l.owner), name: l.owner.key === "?" ? "(unknown subnet)" : displayName(l.owner) },
      rules: undefined,
    };
  });
  const may = nicAddresses(topo, nic).may;
  const adminRules = compiledAdminRules(env, nic, direction);
  const admin = adminRules.length === 0 ? undefined : adminPointProgram(adminRules);
  return { nic, direction, place: nicTagPlace(topo, nic), layers, admin, local4: v4Bounds(may), localSet: may, nicRef: { id: idOrUrn(nic), name: displayName(nic) } };
}

/** The point program of one NSG key at one tag place and direction (point-match.ts), per environment. */
const PROGRAMS = memoKind<{ nsg: string; place: string; direction: Direction }, PointProgram>("verify-point-programs", ["nsg", "place", "direction"]);

/**
 * The point program of an NSG for a direction and tag place, compiled once per engine environment from the rule
 * shapes compiledRules binds (the same cache: nsgRuleShapes); ASG sides are decided per query, so every NIC of the
 * place shares it.
 */
function pointRules(env: EngineEnv, nsg: Nsg, plan: NicPlan): PointProgram {
  return env.memo(PROGRAMS({ nsg: nsg.key, place: plan.place, direction: plan.direction }), () => {
    const shared = env.memo(SHARED_POINT_RULES({ nsg: nsg.key, direction: plan.direction }), () => new Map<RuleShape, PointRule>());
    const rules = nsgRuleShapes(env, nsg, plan.direction, plan.nic).map((shape) => {
      let made = shared.get(shape);
      if (made === undefined) {
        made = pointRule(shape, plan.direction, env.topo);
        shared.set(shape, made);
      }
      return made;
    });
    return pointProgram(rules);
  });
}

/** Per NSG key and direction: the point rule of each shape, so places that share a shape (nsg.ts) share its program. */
const SHARED_POINT_RULES = memoKind<{ nsg: string; direction: Direction }, Map<RuleShape, PointRule>>("verify-shared-point-rules", ["nsg", "direction"]);

/** Per topology: IPv4 address -> the first NIC (topology order) surely holding it; null when some hold ranges. */
const V4_OWNERS = memoKind<Record<string, never>, Map<number, Nic> | null>("verify-v4-owners", []);
const V4_OWNERS_KEY = V4_OWNERS({});

function v4Owners(topo: Topology): Map<number, Nic> | null {
  return topoMemo(topo, V4_OWNERS_KEY, () => {
    const index = new Map<number, Nic>();
    for (const nic of topo.nics.values()) {
      for (const [lo, hi] of nicAddresses(topo, nic).must.v4.intervals()) {
        if (lo !== hi) return null;
        const n = Number(lo);
        if (!index.has(n)) index.set(n, nic);
      }
    }
    return index;
  });
}

/** surelyHeldBy for an IPv4 address, by number (the same first NIC in topology order). */
function ownerOfV4(topo: Topology, value: number, text: string): Nic | undefined {
  const index = v4Owners(topo);
  return index === null ? surelyHeldBy(topo, text) : index.get(value);
}
