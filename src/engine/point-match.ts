/**
 * The rules of an NSG read point-wise, for the IP flow verify fast path: one concrete TCP/UDP flow, on flat numbers.
 * A point program is compiled once per (NSG, tag place, direction) from the rule shapes that compiledRules binds
 * (rules.ts RuleShape: the same sets, read at the same place), turning each dimension's `must` and `may` into typed
 * arrays of intervals searched by bisection. ASG sides stay ASG keys: a query decides them by the NIC's membership
 * (nicAsgMembership, the reading rule binding uses), so one program serves every NIC of the place. The program holds
 * no Azure rule of its own: it reads sets, and first-match.ts (firstMatchOne) decides from its readings.
 */
import type { Direction, Nic, Topology } from "../model/topology";
import type { IntervalSet } from "../sets/interval-set";
import { IpSet } from "../sets/ip-set";
import type { PortSet } from "../sets/port-set";
import { Tcp, Udp, type ProtocolSet } from "../sets/protocol-set";
import { CANNOT_TELL, firstMatchOne, INSIDE, MAYBE_IN, OUTSIDE, type Decision, type RuleHead, type Seek } from "./first-match";
import { memoKind, pureMemo } from "./memo";
import { asgMemberAddresses, nicAsgMembership, type Bounds, type RuleShape, type SideShape } from "./rules";
import { mergeCauses, triUnionAll, type TriSet } from "./tri-set";

/** Protocol bits: only TCP and UDP flows are asked this way. */
export const TCP_BIT = 1;
export const UDP_BIT = 2;

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

/** A flow point and the NICs at its ends: the evaluated one, and the one at the other end when it is known. */
export interface PointQuery extends FlowPoint {
  readonly local: Nic;
  readonly remote: Nic | undefined;
}

/** One address side of a rule: what surely matches and what may, plus the ASGs decided by the NIC at that end. */
interface PointSide {
  readonly must4: Float64Array;
  readonly may4: Float64Array;
  readonly must6: IntervalSet;
  readonly may6: IntervalSet;
  /** Known ASG keys named on this side, matched through the NIC's membership. */
  readonly asgKeys: readonly string[];
}

/**
 * A rule as a point program. `causes` are the unknowns of the rule at its place, ASG memberships aside: a membership
 * the program does not decide is CANNOT_TELL, and the fast path takes only sure decisions (which read no causes).
 */
export interface PointRule extends RuleHead {
  readonly certain: boolean;
  readonly protocolsMust: number;
  readonly protocolsMay: number;
  readonly localPortsMust: Float64Array;
  readonly localPortsMay: Float64Array;
  readonly remotePortsMust: Float64Array;
  readonly remotePortsMay: Float64Array;
  readonly local: PointSide;
  readonly remote: PointSide;
  /** The remote side when no NIC is known at the other end: its ASGs then match their members' addresses. */
  readonly remoteUnbound: PointSide;
}

/** A shape as a point program, for the NIC on the destination side inbound, the source side outbound. */
export function pointRule(shape: RuleShape, direction: Direction, topo: Topology): PointRule {
  const inbound = direction === "Inbound";
  const localShape = inbound ? shape.destinations : shape.sources;
  const remoteShape = inbound ? shape.sources : shape.destinations;
  const local = pointSide(localShape, topo, true);
  const remote = pointSide(remoteShape, topo, true);
  const sport = portBounds(shape.sourcePorts);
  const dport = portBounds(shape.destinationPorts);
  return {
    ruleName: shape.ruleName,
    access: shape.rule.access,
    causes: mergeCauses(mergeCauses(local.causes, remote.causes), shape.ownCauses),
    certain: shape.certain,
    protocolsMust: protocolBits(shape.protocols.must),
    protocolsMay: protocolBits(shape.protocols.may),
    localPortsMust: inbound ? dport.must : sport.must,
    localPortsMay: inbound ? dport.may : sport.may,
    remotePortsMust: inbound ? sport.must : dport.must,
    remotePortsMay: inbound ? sport.may : dport.may,
    local: local.side,
    remote: remote.side,
    remoteUnbound: remote.side.asgKeys.length === 0 ? remote.side : pointSide(remoteShape, topo, false).side,
  };
}

/** The TCP and UDP bits of a protocol set (a point query asks for one of the two). */
export function protocolBits(p: ProtocolSet): number {
  return (p.contains(Tcp) ? TCP_BIT : 0) | (p.contains(Udp) ? UDP_BIT : 0);
}

function portBounds(p: Bounds<PortSet>): { must: Float64Array; may: Float64Array } {
  const may = bounds(p.may.intervalSet);
  return { must: p.must === p.may ? may : bounds(p.must.intervalSet), may };
}

/**
 * One side of a shape. With `bound`, known ASG keys are kept apart, to be decided by the NIC at that end; without,
 * they match their members' addresses (as bindShape does with no NIC bound).
 */
function pointSide(shape: SideShape, topo: Topology, bound: boolean): { side: PointSide; causes: TriSet["causes"] } {
  if (!Array.isArray(shape)) return { side: sideOf(shape as TriSet, []), causes: (shape as TriSet).causes };
  const parts = shape as readonly (TriSet | string)[];
  // The common single set: as it is (a union with nothing is the same set, as a new object).
  if (parts.length === 1 && typeof parts[0] !== "string") return { side: sideOf(parts[0], []), causes: parts[0].causes };
  const tris: TriSet[] = [];
  const asgKeys: string[] = [];
  for (const part of parts) {
    if (typeof part !== "string") tris.push(part);
    else if (bound) asgKeys.push(part);
    else tris.push(asgMemberAddresses(topo, part));
  }
  // In one pass: a side of thousands of references stays linear (tri-set.ts, issue 13).
  const tri = triUnionAll(tris);
  return { side: sideOf(tri, asgKeys), causes: tri.causes };
}

function sideOf(tri: TriSet, asgKeys: readonly string[]): PointSide {
  const may4 = bounds(tri.may.v4);
  // A known side (must and may the same addresses): one array, which the index then reads once.
  const must4 = tri.must.v4 === tri.may.v4 ? may4 : sameOr(bounds(tri.must.v4), may4);
  return { must4, may4, must6: tri.must.v6, may6: tri.may.v6, asgKeys };
}

/** Interval bounds of a set, per set object: large shared sets (service tags, ASG members) are converted once. */
const BOUNDS = memoKind<{ set: IntervalSet }, Float64Array>("point-bounds", ["set"]);

/** Interval bounds as numbers in pairs [lo0, hi0, lo1, hi1, ...]: ports and IPv4 addresses are exact as doubles. */
export function bounds(set: IntervalSet): Float64Array {
  const list = set.intervals();
  // Small sets (a rule's ports, a prefix) are converted on the spot.
  return list.length <= SMALL ? toBounds(list) : pureMemo(BOUNDS({ set }), () => toBounds(list));
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

/** `b` when its bounds differ from `a`'s, else `a` (one array for equal bounds). */
function sameOr(b: Float64Array, a: Float64Array): Float64Array {
  if (a.length !== b.length) return b;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return b;
  return a;
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

/** Where an address stands to a side, for the NIC at that end (undefined: none known, ASG keys are then not kept). */
function sideReading(s: PointSide, a4: number, a6: bigint, nic: Nic | undefined): number {
  if (a4 >= 0 ? inBounds(s.must4, a4) : s.must6.contains(a6)) return INSIDE;
  const keys = s.asgKeys;
  // Only sides whose NIC is known keep ASG keys (the local NIC always is; the remote one when keys are kept).
  for (let i = 0; i < keys.length; i++) {
    const m = nicAsgMembership(nic as Nic, keys[i]);
    // Every configuration a member: the ASG matches the NIC whatever its address (bindShape's IpSet.all()).
    if (m === "member") return INSIDE;
    // Per-configuration addresses or an unknown membership: the general path decides.
    if (m === "partly") return CANNOT_TELL;
  }
  return (a4 >= 0 ? inBounds(s.may4, a4) : s.may6.contains(a6)) ? MAYBE_IN : OUTSIDE;
}

/** Where a query stands to a rule: every dimension in `must` (and the rule certain) is INSIDE, all in `may` MAYBE_IN. */
function readPoint(q: PointQuery, r: PointRule): number {
  const bit = q.protocolBit;
  if ((r.protocolsMay & bit) === 0) return OUTSIDE;
  if (!inBounds(r.localPortsMay, q.localPort) || !inBounds(r.remotePortsMay, q.remotePort)) return OUTSIDE;
  const l = sideReading(r.local, q.local4, q.local6, q.local);
  if (l === OUTSIDE) return OUTSIDE;
  const remote = q.remote;
  const rs = sideReading(remote === undefined ? r.remoteUnbound : r.remote, q.remote4, q.remote6, remote);
  if (rs === OUTSIDE) return OUTSIDE;
  if (l === CANNOT_TELL || rs === CANNOT_TELL) return CANNOT_TELL;
  const sure =
    r.certain &&
    (r.protocolsMust & bit) !== 0 &&
    l === INSIDE &&
    rs === INSIDE &&
    inBounds(r.localPortsMust, q.localPort) &&
    inBounds(r.remotePortsMust, q.remotePort);
  return sure ? INSIDE : MAYBE_IN;
}

/** The next rule of a program the query is not OUTSIDE of (first-match.ts Seek): the fast path's inner loop. */
function seekPoint(rules: readonly PointRule[], q: PointQuery, from: number): number {
  for (let i = from; i < rules.length; i++) {
    const at = readPoint(q, rules[i]);
    if (at !== OUTSIDE) return i * 4 + at;
  }
  return -1;
}

/** First match of a query over a point program (first-match.ts, the one first-match loop). */
export function matchPoint(rules: readonly PointRule[], q: PointQuery): Decision<PointQuery, PointRule> | typeof CANNOT_TELL | undefined {
  return firstMatchOne(rules, q, seekPoint);
}

/**
 * A point program with an index over it: for each dimension a query reads (protocol, the two ports, the remote
 * IPv4 address), the rules a value may match, as bit masks over the rule list (bit i: rule i). The local address is
 * not indexed: at M, 97% of the rules a query's protocol and ports leave also may match its local address (both
 * bench families; the local side is mostly `*`, the subnet or VirtualNetwork), so its index would cost more to
 * build than it saves. A query ANDs the masks
 * of its values and reads only the rules left (readPoint, exactly as matchPoint does): every other rule has a
 * dimension in which the query lies outside what it may match, so it is OUTSIDE. Same decisions as matchPoint; at M
 * a query would otherwise read tens of rules spread over memory, most of them outside on the first dimension tried.
 */
export interface PointProgram {
  readonly rules: readonly PointRule[];
  readonly seek: Seek<PointQuery, PointRule>;
}

/** Segments of one dimension: `starts` sorted, segment k+1 begins at starts[k] (segment 0: below starts[0]). */
interface DimensionIndex {
  readonly starts: Float64Array;
  /** Per segment, `words` 32-bit words: the rules that may match a value of the segment. */
  readonly masks: Int32Array;
}

/** Above this many mask words a dimension is not indexed (its rules are then read as matchPoint reads them). */
const MAX_INDEX_WORDS = 1 << 16;

/** The segment holding x: how many starts are at most x. */
function segmentOf(starts: Float64Array, x: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The index of one dimension, from each rule's bound arrays (`undefined`: the rule may match every value). A rule's
 * intervals are disjoint, so its rows are marked by toggling its bit where each interval starts and after it ends,
 * then sweeping the rows once: linear in intervals and rows, whatever the rules cover. Rules may share one bounds
 * array (a service tag: BOUNDS), whose points are then taken once. Few typed arrays are made (each costs far more
 * than its few elements): one for all points, one for the rows of all edges.
 */
function dimensionIndex(parts: readonly (readonly Float64Array[] | undefined)[], words: number): DimensionIndex | undefined {
  const covers = parts.map((list) => (list === undefined ? undefined : coverOf(list)));
  // Each distinct array and where its edges begin in `edges`.
  const offsets = new Map<Float64Array, number>();
  let count = 0;
  for (const c of covers) {
    if (c === undefined || offsets.has(c)) continue;
    offsets.set(c, count);
    count += c.length;
  }
  const points = new Float64Array(count);
  for (const [b, at] of offsets) {
    for (let k = 0; k < b.length; k += 2) {
      points[at + k] = b[k];
      points[at + k + 1] = b[k + 1] + 1;
    }
  }
  points.sort();
  let unique = 0;
  for (let k = 0; k < points.length; k++) if (unique === 0 || points[unique - 1] !== points[k]) points[unique++] = points[k];
  const starts = points.slice(0, unique);
  const rows = starts.length + 1;
  if (rows * words > MAX_INDEX_WORDS) return undefined;
  // The row each edge of each distinct array enters, found once for all the rules that share the array.
  const edges = new Int32Array(count);
  for (const [b, at] of offsets) {
    for (let k = 0; k < b.length; k += 2) {
      edges[at + k] = segmentOf(starts, b[k]);
      edges[at + k + 1] = segmentOf(starts, b[k + 1] + 1);
    }
  }
  // toggles[row]: the bits that change entering the row (row `rows` is past the last: never read).
  const toggles = new Int32Array((rows + 1) * words);
  for (let i = 0; i < covers.length; i++) {
    const b = covers[i];
    const w = i >> 5;
    const bit = 1 << (i & 31);
    if (b === undefined) {
      toggles[w] ^= bit;
      continue;
    }
    const at = offsets.get(b) as number;
    for (let k = 0; k < b.length; k++) toggles[edges[at + k] * words + w] ^= bit;
  }
  const masks = new Int32Array(rows * words);
  for (let w = 0; w < words; w++) {
    let running = 0;
    for (let row = 0; row < rows; row++) {
      running ^= toggles[row * words + w];
      masks[row * words + w] = running;
    }
  }
  return { starts, masks };
}

/**
 * What a rule may match in one dimension, as one bounds array of disjoint intervals: the array itself when there is
 * one (or every array is the same object), else their union (a side's must and may overlap: must is within may).
 */
function coverOf(list: readonly Float64Array[]): Float64Array {
  const nonEmpty = list.filter((b) => b.length > 0);
  if (nonEmpty.length === 0) return list[0];
  if (nonEmpty.every((b) => b === nonEmpty[0])) return nonEmpty[0];
  const pairs: Array<[number, number]> = [];
  for (const b of list) for (let k = 0; k < b.length; k += 2) pairs.push([b[k], b[k + 1]]);
  pairs.sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  for (const [lo, hi] of pairs) {
    const n = out.length;
    if (n > 0 && lo <= out[n - 1] + 1) out[n - 1] = Math.max(out[n - 1], hi);
    else out.push(lo, hi);
  }
  return Float64Array.from(out);
}

/** What a side may match of IPv4, for the index: ASG keys may match any address (the NIC decides). */
const sideParts = (s: PointSide): readonly Float64Array[] | undefined => (s.asgKeys.length > 0 ? undefined : [s.must4, s.may4]);

/** ANDs the row of `x` into `into` (from word `w0`); a dimension without index leaves it as it is. */
function andRow(into: Int32Array, index: DimensionIndex | undefined, x: number, words: number, w0: number): void {
  if (index === undefined) return;
  const base = segmentOf(index.starts, x) * words;
  for (let w = w0; w < words; w++) into[w] &= index.masks[base + w];
}

/** The program of a rule list, its index built once (programs are cached by the fast path, per NSG, place, direction). */
export function pointProgram(rules: readonly PointRule[]): PointProgram {
  return { rules, seek: indexedSeek(rules) };
}

/** The seek of a rule list through its index (see PointProgram). */
function indexedSeek(rules: readonly PointRule[]): Seek<PointQuery, PointRule> {
  const words = Math.max(1, Math.ceil(rules.length / 32));
  const protocolMask = (bit: number): Int32Array => {
    const m = new Int32Array(words);
    rules.forEach((r, i) => {
      if ((r.protocolsMay & bit) !== 0) m[i >> 5] |= 1 << (i & 31);
    });
    return m;
  };
  const tcp = protocolMask(TCP_BIT);
  const udp = protocolMask(UDP_BIT);
  const localPorts = dimensionIndex(rules.map((r) => [r.localPortsMay]), words);
  const remotePorts = dimensionIndex(rules.map((r) => [r.remotePortsMay]), words);
  const remote4 = dimensionIndex(rules.map((r) => sideParts(r.remote)), words);
  const unbound4 = rules.every((r) => r.remoteUnbound === r.remote) ? remote4 : dimensionIndex(rules.map((r) => sideParts(r.remoteUnbound)), words);
  // Scratch for one seek (seeks do not nest): the candidate rules of the query being read.
  const candidates = new Int32Array(words);
  const seek = (list: readonly PointRule[], q: PointQuery, from: number): number => {
    const w0 = from >> 5;
    if (from >= list.length) return -1;
    const proto = q.protocolBit === TCP_BIT ? tcp : q.protocolBit === UDP_BIT ? udp : undefined;
    for (let w = w0; w < words; w++) candidates[w] = proto === undefined ? 0 : proto[w];
    candidates[w0] &= -1 << (from & 31);
    andRow(candidates, localPorts, q.localPort, words, w0);
    andRow(candidates, remotePorts, q.remotePort, words, w0);
    if (q.remote4 >= 0) andRow(candidates, q.remote === undefined ? unbound4 : remote4, q.remote4, words, w0);
    for (let w = w0; w < words; w++) {
      let m = candidates[w];
      while (m !== 0) {
        const low = m & -m;
        const i = w * 32 + 31 - Math.clz32(low);
        const at = readPoint(q, list[i]);
        if (at !== OUTSIDE) return i * 4 + at;
        m ^= low;
      }
    }
    return -1;
  };
  return seek;
}

/** First match of a query over an indexed program: matchPoint's decision. */
export function matchProgram(program: PointProgram, q: PointQuery): Decision<PointQuery, PointRule> | typeof CANNOT_TELL | undefined {
  return firstMatchOne(program.rules, q, program.seek);
}
