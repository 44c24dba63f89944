/**
 * A brute-force oracle for intents: enumerates every concrete flow of a tiny space, runs each through the CONCRETE
 * path (the real NICs, no classes, no symbolic sets) and derives the verdict. The symbolic engine must agree.
 */
import type { Flow } from "../../src/sets/flow";
import { FlowSet } from "../../src/sets/flow-set";
import { formatIp } from "../../src/sets/ip";
import type { IpSet } from "../../src/sets/ip-set";
import { PortSet } from "../../src/sets/port-set";
import { ProtocolSet } from "../../src/sets/protocol-set";
import type { EngineEnv } from "../../src/engine/nsg";
import { select, selectsNothing, type Selection } from "../../src/intents/endpoints";
import { concreteFate } from "../../src/intents/explain";
import type { PathEnd } from "../../src/intents/path";
import { intentFlowBase } from "../../src/intents/reach";
import type { Verdict } from "../../src/intents/result";
import type { ReachIntent } from "../../src/intents/types";

export const UNIVERSE_PROTOCOLS = [1, 6, 17, 50];
export const UNIVERSE_SRC_PORTS = [1000];
export const UNIVERSE_DST_PORTS = [0, 22, 80, 81];

/** The tiny flow space both sides work in (addresses come from the topology: /29 subnets, a /30 outside). */
export const UNIVERSE: FlowSet = FlowSet.cube({
  protocols: ProtocolSet.of(...UNIVERSE_PROTOCOLS),
  srcPorts: UNIVERSE_SRC_PORTS.reduce((acc, p) => acc.union(PortSet.of(p)), PortSet.empty()),
  dstPorts: UNIVERSE_DST_PORTS.reduce((acc, p) => acc.union(PortSet.of(p)), PortSet.empty()),
});

interface End {
  readonly end: PathEnd;
  readonly nicKey?: string;
  readonly addresses: IpSet;
  readonly certain: boolean;
}

function addresses(set: IpSet): string[] {
  const out: string[] = [];
  for (const [lo, hi] of set.v4.intervals()) {
    if (hi - lo > 64n) throw new Error(`address set too large for brute force: ${set}`);
    for (let v = lo; v <= hi; v++) out.push(formatIp(4, v));
  }
  for (const [lo, hi] of set.v6.intervals()) {
    if (hi - lo > 64n) throw new Error(`address set too large for brute force: ${set}`);
    for (let v = lo; v <= hi; v++) out.push(formatIp(6, v));
  }
  return out;
}

function ends(sel: Selection): End[] {
  return [
    ...sel.members.map((m) => ({ end: { kind: "nic" as const, nic: m.nic, addresses: m.addresses }, nicKey: m.nic.key, addresses: m.addresses, certain: m.certainMember && m.exactAddress })),
    ...sel.hosts.map((h) => ({ end: { kind: "host" as const, subnet: h.subnet, addresses: h.addresses }, addresses: h.addresses, certain: true })),
    ...(sel.external ? [{ end: { kind: "external" as const, addresses: sel.external.addresses }, addresses: sel.external.addresses, certain: sel.external.certain }] : []),
  ];
}

export function flowKey(f: { src: string; dst: string; protocol: number; srcPort: number; dstPort: number }): string {
  return `${f.protocol}|${f.src}:${f.srcPort}->${f.dst}:${f.dstPort}`;
}

export interface BruteAnswer {
  readonly verdict: Verdict;
  /** Keys of the flows that surely break the intent. */
  readonly bad: ReadonlySet<string>;
  readonly flows: number;
}

export function bruteForce(env: EngineEnv, intent: ReachIntent): BruteAnswer {
  const from = select(env, intent.from);
  const to = select(env, intent.to);
  // An intent over nothing proves nothing (issue 12): it fails, whatever it expects.
  if (from.error || to.error || selectsNothing(from) || selectsNothing(to)) return { verdict: "fail", bad: new Set(), flows: 0 };
  const base = intentFlowBase(intent.protocol, intent.ports).intersect(UNIVERSE);
  const badFate = intent.expect === "reachable" ? "Stopped" : "Delivered";
  const bad = new Set<string>();
  let doubt = from.unresolved.length > 0 || to.unresolved.length > 0;
  let flows = 0;
  for (const s of ends(from)) {
    for (const d of ends(to)) {
      if (s.end.kind === "external" && d.end.kind === "external") continue;
      if (s.nicKey !== undefined && s.nicKey === d.nicKey) continue;
      for (const src of addresses(s.addresses)) {
        for (const dst of addresses(d.addresses)) {
          // A flow has one family: a host sends to (receives from) addresses of the families it has addresses in.
          if (src === dst || src.includes(":") !== dst.includes(":")) continue;
          for (const protocol of UNIVERSE_PROTOCOLS) {
            for (const srcPort of UNIVERSE_SRC_PORTS) {
              for (const dstPort of UNIVERSE_DST_PORTS) {
                const flow: Flow = { src, dst, protocol, srcPort, dstPort };
                if (!base.contains(flow)) continue;
                flows++;
                const fate = concreteFate(env, intent.layer, s.end, d.end, flow);
                if (fate === badFate) {
                  if (s.certain && d.certain) bad.add(flowKey(flow));
                  else doubt = true;
                } else if (fate === "Unknown") doubt = true;
              }
            }
          }
        }
      }
    }
  }
  const verdict: Verdict = bad.size > 0 ? "fail" : doubt ? "indeterminate" : flows === 0 && intent.expect === "reachable" ? "fail" : "pass";
  return { verdict, bad, flows };
}
