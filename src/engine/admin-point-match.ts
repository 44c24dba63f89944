/**
 * Security admin rules read point-wise, for the IP flow verify fast path. The program is made from the compiled
 * admin rules themselves (admin-rules.ts compiledAdminRules: the flow sets the general path's CONCRETE first match
 * tests a flow against), each rule's `must` and `may` turned cube by cube into interval bounds on numbers. It holds
 * no Azure rule of its own: which rules apply to a VNet, in which order, and what a rule that only maybe applies
 * matches, are all in the compiled rules; first-match.ts (firstMatchOne) decides from the readings, with the
 * accesses an admin rule of unknown access may have (ADMIN_ACCESSES), as the general path does.
 */
import type { AdminAccess, AdminRule } from "../model/topology";
import type { FlowCube, FlowSet } from "../sets/flow-set";
import type { IntervalSet } from "../sets/interval-set";
import { ADMIN_ACCESSES } from "./admin-rules";
import { CANNOT_TELL, firstMatchOne, INSIDE, MAYBE_IN, OUTSIDE, type Decision, type RuleHead } from "./first-match";
import { memoKind, pureMemo } from "./memo";
import { bounds, inBounds, protocolBits, type FlowPoint } from "./point-match";
import type { CompiledRule } from "./rules";

/** One cube of a compiled flow set, on numbers (IPv6 dimensions stay interval sets). */
interface PointCube {
  readonly protocols: number;
  readonly srcPorts: Float64Array;
  readonly dstPorts: Float64Array;
  readonly src4: Float64Array;
  readonly dst4: Float64Array;
  readonly src6: IntervalSet;
  readonly dst6: IntervalSet;
}

/** A compiled admin rule as a point program: its head, and its `must` and `may` sets as cubes. */
export interface AdminPointRule extends RuleHead<AdminAccess> {
  readonly must: readonly PointCube[];
  readonly may: readonly PointCube[];
  /** `must` and `may` are one set object (a rule known in every part): no "maybe" to read. */
  readonly known: boolean;
}

function pointCube(c: FlowCube): PointCube {
  return {
    protocols: protocolBits(c.protocols),
    srcPorts: bounds(c.srcPorts.intervalSet),
    dstPorts: bounds(c.dstPorts.intervalSet),
    src4: bounds(c.src.v4),
    dst4: bounds(c.dst.v4),
    src6: c.src.v6,
    dst6: c.dst.v6,
  };
}

const cubesOf = (set: FlowSet): PointCube[] => set.cubes().map(pointCube);

/** Per compiled list (the array compiledAdminRules caches per place and direction): its point program. */
const ADMIN_PROGRAMS = memoKind<{ rules: readonly CompiledRule<AdminRule>[] }, readonly AdminPointRule[]>("admin-point-programs", ["rules"]);

/** The point program of a NIC's compiled admin rules for one direction (the list ends with the no-match stand-in). */
export function adminPointProgram(rules: readonly CompiledRule<AdminRule>[]): readonly AdminPointRule[] {
  return pureMemo(ADMIN_PROGRAMS({ rules }), () =>
    rules.map((r): AdminPointRule => {
      const may = cubesOf(r.may);
      return { ruleName: r.ruleName, access: r.access, causes: r.causes, must: r.must === r.may ? may : cubesOf(r.must), may, known: r.must === r.may };
    }),
  );
}

/** Whether a flow (source and destination already put in place) lies in one of the cubes: FlowSet.contains on numbers. */
function inCubes(cubes: readonly PointCube[], bit: number, sport: number, dport: number, src4: number, dst4: number, src6: bigint, dst6: bigint): boolean {
  for (let i = 0; i < cubes.length; i++) {
    const c = cubes[i];
    if ((c.protocols & bit) === 0 || !inBounds(c.dstPorts, dport) || !inBounds(c.srcPorts, sport)) continue;
    if (!(dst4 >= 0 ? inBounds(c.dst4, dst4) : c.dst6.contains(dst6))) continue;
    if (src4 >= 0 ? inBounds(c.src4, src4) : c.src6.contains(src6)) return true;
  }
  return false;
}

/** CONCRETE's reading of a rule (first-match.ts): in `must` INSIDE, else in `may` MAYBE_IN, else OUTSIDE. */
function readAdmin(r: AdminPointRule, bit: number, sport: number, dport: number, src4: number, dst4: number, src6: bigint, dst6: bigint): number {
  if (inCubes(r.must, bit, sport, dport, src4, dst4, src6, dst6)) return INSIDE;
  return !r.known && inCubes(r.may, bit, sport, dport, src4, dst4, src6, dst6) ? MAYBE_IN : OUTSIDE;
}

/** Inbound the NIC is the destination (the remote end the source), outbound the source. */
function seekInbound(rules: readonly AdminPointRule[], q: FlowPoint, from: number): number {
  for (let i = from; i < rules.length; i++) {
    const at = readAdmin(rules[i], q.protocolBit, q.remotePort, q.localPort, q.remote4, q.local4, q.remote6, q.local6);
    if (at !== OUTSIDE) return i * 4 + at;
  }
  return -1;
}

function seekOutbound(rules: readonly AdminPointRule[], q: FlowPoint, from: number): number {
  for (let i = from; i < rules.length; i++) {
    const at = readAdmin(rules[i], q.protocolBit, q.localPort, q.remotePort, q.local4, q.remote4, q.local6, q.remote6);
    if (at !== OUTSIDE) return i * 4 + at;
  }
  return -1;
}

/** First match of a flow point over an admin point program (the general path's evaluateAdminRules, for one flow). */
export function matchAdminPoint(rules: readonly AdminPointRule[], q: FlowPoint, inbound: boolean): Decision<FlowPoint, AdminPointRule> | typeof CANNOT_TELL | undefined {
  return firstMatchOne(rules, q, inbound ? seekInbound : seekOutbound, ADMIN_ACCESSES);
}
