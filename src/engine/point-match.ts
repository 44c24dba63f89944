/**
 * First match of one concrete TCP/UDP flow over an NSG's rules, on flat numbers. Each rule is turned once (per NSG,
 * direction and tag place) into typed arrays of intervals (ports, IPv4 addresses) searched by bisection; ASG sides
 * bound to a NIC are left as ASG keys and decided per query from that NIC's memberships, so one program serves every
 * NIC of a place. A query then builds no set, no bigint (for IPv4) and no decision.
 *
 * The sets are the ones compileRule builds (rules.ts, same resolveSpec), read point-wise: a flow surely matches a
 * rule when it lies in every dimension's `must` (and the rule's direction and priority are known); it may match
 * when it lies in every dimension's `may`. The program answers only when first-match.ts would decide the flow by a
 * rule that surely matches and has a known access, with no earlier rule in doubt; in every other case it answers
 * UNDECIDED and the general path (which explains doubt) decides.
 */
import type { Access, AddressSpec, Nic, SecurityRule } from "../model/topology";
import { isUnknown, type Maybe } from "../model/unknown";
import type { IntervalSet } from "../sets/interval-set";
import { IpSet } from "../sets/ip-set";
import type { PortSet } from "../sets/port-set";
import { Tcp, Udp, type ProtocolSet } from "../sets/protocol-set";
import { resolveSpec, ruleDisplayName, type RuleContext } from "./rules";
import { triUnionAll, undecided, type TriSet } from "./tri-set";

/** Protocol bits: only TCP and UDP flows are asked this way. */
export const TCP_BIT = 1;
export const UDP_BIT = 2;
const BOTH_BITS = TCP_BIT | UDP_BIT;

/** One concrete flow in numbers, seen from the evaluated NIC. An IPv6 address is -1 with its value in the `6` field. */
export interface FlowPoint {
  readonly protocolBit: number;
  readonly localPort: number;
  readonly remotePort: number;
  readonly local4: number;
  readonly remote4: number;
  readonly local6: bigint;
  readonly remote6: bigint;
}

/** One address side of a rule: what surely matches and what may, plus the ASGs decided by a bound NIC. */
interface PointSide {
  readonly must4: Float64Array;
  readonly may4: Float64Array;
  readonly must6: IntervalSet;
  readonly may6: IntervalSet;
  /** Known ASG keys named on this side, matched through the bound NIC's membership. */
  readonly asgKeys: readonly string[];
}

const ALLOW = 0;
const DENY = 1;
const UNKNOWN_ACCESS = 2;

export interface PointRule {
  readonly name: string;
  readonly access: Access | undefined;
  readonly accessCode: number;
  /** Direction and priority known: otherwise the rule never surely matches (it may not apply here at all). */
  readonly certain: boolean;
  readonly protocolsMust: number;
  readonly protocolsMay: number;
  /** Port bounds; undefined when the ports are unknown (any port may match, none surely does). */
  readonly localPorts: Float64Array | undefined;
  readonly remotePorts: Float64Array | undefined;
  readonly local: PointSide;
  readonly remote: PointSide;
  /** The remote side when no NIC is known at the other end: its ASGs then match their members' addresses. */
  readonly remoteUnbound: PointSide;
}

/** The general path decides: the deciding rule depends on an unknown value, or no rule matches. */
export const UNDECIDED = -1;

/**
 * A rule as a point rule, read where `ctx` says (direction, tag context; ctx.local and ctx.remote are not read:
 * the sides bound to a NIC keep their ASG keys instead).
 */
export function pointRule(rule: SecurityRule, ctx: RuleContext): PointRule {
  const inbound = ctx.direction === "Inbound";
  // Resolved with no NIC bound: an ASG spec that reaches resolveSpec matches its members' addresses.
  const unbound: RuleContext = ctx.local === undefined && ctx.remote === undefined ? ctx : { ...ctx, local: undefined, remote: undefined };
  const localSpecs = inbound ? rule.destinations : rule.sources;
  const remoteSpecs = inbound ? rule.sources : rule.destinations;
  const localSide = inbound ? "destination" : "source";
  const remoteSide = inbound ? "source" : "destination";
  const remote = pointSide(rule, remoteSpecs, remoteSide, unbound, true);
  const proto = protocolBits(rule.protocol);
  const sport = portBounds(rule.sourcePorts);
  const dport = portBounds(rule.destinationPorts);
  return {
    name: ruleDisplayName(rule),
    access: isUnknown(rule.access) ? undefined : rule.access,
    accessCode: isUnknown(rule.access) ? UNKNOWN_ACCESS : rule.access === "Allow" ? ALLOW : DENY,
    certain: !isUnknown(rule.direction) && !isUnknown(rule.priority),
    protocolsMust: proto.must,
    protocolsMay: proto.may,
    localPorts: inbound ? dport : sport,
    remotePorts: inbound ? sport : dport,
    local: pointSide(rule, localSpecs, localSide, unbound, true),
    remote,
    remoteUnbound: remote.asgKeys.length === 0 ? remote : pointSide(rule, remoteSpecs, remoteSide, unbound, false),
  };
}

function protocolBits(p: Maybe<ProtocolSet>): { must: number; may: number } {
  if (isUnknown(p)) return { must: 0, may: BOTH_BITS };
  const bits = (p.contains(Tcp) ? TCP_BIT : 0) | (p.contains(Udp) ? UDP_BIT : 0);
  return { must: bits, may: bits };
}

function portBounds(p: Maybe<PortSet>): Float64Array | undefined {
  return isUnknown(p) ? undefined : bounds(p.intervalSet);
}

/**
 * One side as resolveSide (rules.ts) resolves it. With `bound`, known ASG keys are kept apart, to be decided by the
 * NIC at that end; without, they resolve through `ctx` (no NIC bound: the members' addresses).
 */
function pointSide(rule: SecurityRule, specs: Maybe<readonly AddressSpec[]>, side: "source" | "destination", ctx: RuleContext, bound: boolean): PointSide {
  if (isUnknown(specs)) return sideOf(undecided(specs), []);
  // The common single spec: its sets as they are (a union with nothing gives the same sets).
  if (specs.length === 1 && !(bound && specs[0].kind === "asg" && !isUnknown(specs[0].asgKey))) return sideOf(resolveSpec(rule, specs[0], side, ctx), []);
  const parts: TriSet[] = [];
  const asgKeys: string[] = [];
  for (const spec of specs) {
    if (bound && spec.kind === "asg" && !isUnknown(spec.asgKey)) asgKeys.push(spec.asgKey);
    else parts.push(resolveSpec(rule, spec, side, ctx));
  }
  return sideOf(triUnionAll(parts), asgKeys);
}

function sideOf(tri: TriSet, asgKeys: readonly string[]): PointSide {
  return { must4: bounds(tri.must.v4), may4: bounds(tri.may.v4), must6: tri.must.v6, may6: tri.may.v6, asgKeys };
}

const BOUNDS = new WeakMap<IntervalSet, Float64Array>();

/** Interval bounds as numbers in pairs [lo0, hi0, lo1, hi1, ...]: ports and IPv4 addresses are exact as doubles. */
function bounds(set: IntervalSet): Float64Array {
  const list = set.intervals();
  // Small sets (a rule's ports, a prefix) are converted on the spot; large shared ones (service tags) once.
  if (list.length <= SMALL) return toBounds(list);
  let out = BOUNDS.get(set);
  if (out === undefined) {
    out = toBounds(list);
    BOUNDS.set(set, out);
  }
  return out;
}

const SMALL = 8;

function toBounds(list: ReturnType<IntervalSet["intervals"]>): Float64Array {
  const out = new Float64Array(list.length * 2);
  for (let i = 0; i < list.length; i++) {
    out[2 * i] = Number(list[i][0]);
    out[2 * i + 1] = Number(list[i][1]);
  }
  return out;
}

/** IPv4 interval bounds of an address set, as the point rules hold them. */
export function v4Bounds(set: IpSet): Float64Array {
  return bounds(set.v4);
}

/** Whether x lies in one of the sorted, disjoint intervals stored in pairs. */
export function inBounds(b: Float64Array, x: number): boolean {
  let lo = 0;
  let hi = (b.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (x < b[2 * mid]) hi = mid - 1;
    else if (x > b[2 * mid + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Point-wise answers for one dimension: outside `may`, in `may` only, in `must`; or too hard (general path). */
const NO = 0;
const MAYBE = 1;
const YES = 2;
const HARD = 3;

/**
 * An ASG's reach on the side of a bound NIC (boundMembership in rules.ts): every address when each configuration is
 * a known member, none when none is; per-configuration addresses or unknown memberships are left to the general path.
 */
function membership(nic: Nic, asgKey: string): number {
  const configs = nic.ipConfigurations;
  let members = 0;
  for (let i = 0; i < configs.length; i++) {
    const keys = configs[i].asgKeys;
    if (isUnknown(keys)) return HARD;
    if (keys.includes(asgKey)) members++;
  }
  return members === 0 ? NO : members === configs.length ? YES : HARD;
}

function sideHas(s: PointSide, a4: number, a6: bigint, nic: Nic | undefined): number {
  const must = a4 >= 0 ? inBounds(s.must4, a4) : s.must6.contains(a6);
  if (must) return YES;
  const may = a4 >= 0 ? inBounds(s.may4, a4) : s.may6.contains(a6);
  const keys = s.asgKeys;
  if (keys.length > 0) {
    // Only sides bound to a NIC keep ASG keys; the local NIC is always known, the remote one when keys are kept.
    for (let i = 0; i < keys.length; i++) {
      const m = membership(nic as Nic, keys[i]);
      if (m !== NO) return m;
    }
  }
  return may ? MAYBE : NO;
}

/**
 * The index of the rule that decides the flow, or UNDECIDED. As firstMatch does for one flow: the first rule that
 * surely holds the flow decides it (unless its access is unknown); a rule that may hold it leaves it in doubt.
 */
export function matchPoint(rules: readonly PointRule[], p: FlowPoint, local: Nic, remote: Nic | undefined): number {
  const bit = p.protocolBit;
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i];
    if ((r.protocolsMay & bit) === 0) continue;
    let sure = r.certain && (r.protocolsMust & bit) !== 0;
    const lp = r.localPorts;
    if (lp === undefined) sure = false;
    else if (!inBounds(lp, p.localPort)) continue;
    const rp = r.remotePorts;
    if (rp === undefined) sure = false;
    else if (!inBounds(rp, p.remotePort)) continue;
    const l = sideHas(r.local, p.local4, p.local6, local);
    if (l === NO) continue;
    const rs = sideHas(remote === undefined ? r.remoteUnbound : r.remote, p.remote4, p.remote6, remote);
    if (rs === NO) continue;
    if (l === HARD || rs === HARD || !sure || l !== YES || rs !== YES) return UNDECIDED;
    return r.accessCode === UNKNOWN_ACCESS ? UNDECIDED : i;
  }
  // A list without a catch-all: the general path reports it.
  return UNDECIDED;
}
