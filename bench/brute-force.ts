/**
 * Symbolic intents against brute force. The brute-force evaluator is the one the soundness property test uses
 * (test/intents/brute-force.ts): every concrete flow of an intent through the CONCRETE path over the real NICs
 * (src/intents/explain.ts `concreteFate`). On a real estate the flows of one intent run into billions (65,536
 * source ports alone), so it cannot be run to the end: this measures the CONCRETE evaluation on a random sample
 * of each intent's own flows, counts the intent's flows exactly, and extrapolates — and says so in its output.
 *
 * Intents with a side outside every VNet (a service tag, a public CIDR) have some 10^18 flows or more: they are left
 * out of both timings and only counted.
 */
import type { EngineEnv } from "../src/engine/nsg";
import { engineEnv } from "../src/engine/nsg";
import { select, type Selection } from "../src/intents/endpoints";
import { concreteFate } from "../src/intents/explain";
import type { PathEnd } from "../src/intents/path";
import { intentFlowBase, verifyReach } from "../src/intents/reach";
import type { Intent, ReachIntent } from "../src/intents/types";
import type { Flow } from "../src/sets/flow";
import type { FlowCube } from "../src/sets/flow-set";
import type { IntervalSet } from "../src/sets/interval-set";
import { formatIp } from "../src/sets/ip";
import type { IpSet } from "../src/sets/ip-set";
import { rng } from "./estate";
import { now } from "./pipeline";

interface End {
  readonly end: PathEnd;
  readonly nicKey?: string;
  readonly addresses: IpSet;
  readonly external: boolean;
}

function ends(sel: Selection): End[] {
  return [
    ...sel.members.map((m) => ({ end: { kind: "nic" as const, nic: m.nic, addresses: m.addresses }, nicKey: m.nic.key, addresses: m.addresses, external: false })),
    ...sel.hosts.map((h) => ({ end: { kind: "host" as const, subnet: h.subnet, addresses: h.addresses }, addresses: h.addresses, external: false })),
    ...(sel.external ? [{ end: { kind: "external" as const, addresses: sel.external.addresses }, addresses: sel.external.addresses, external: true }] : []),
  ];
}

/** A uniformly random member of an interval set (undefined when empty). */
function randomMember(set: IntervalSet, r: () => number): bigint | undefined {
  const total = set.size();
  if (total === 0n) return undefined;
  // 53 random bits are plenty for the sets seen here (IPv4, ports, protocols).
  let k = BigInt(Math.floor(r() * Number(total)));
  if (k >= total) k = total - 1n;
  for (const [lo, hi] of set.intervals()) {
    const n = hi - lo + 1n;
    if (k < n) return lo + k;
    k -= n;
  }
  return undefined;
}

interface Pair {
  readonly src: End;
  readonly dst: End;
  readonly cube: FlowCube;
  /** Flows of the pair (distinct addresses only, as the intent defines them). */
  readonly flows: bigint;
}

function cubeFlowsPerAddressPair(c: FlowCube): bigint {
  return BigInt(c.protocols.size()) * BigInt(c.srcPorts.size()) * BigInt(c.dstPorts.size());
}

function pairsOf(env: EngineEnv, intent: ReachIntent): { pairs: Pair[]; external: boolean } {
  const from = select(env, intent.from);
  const to = select(env, intent.to);
  const base = intentFlowBase(intent.protocol, intent.ports);
  const pairs: Pair[] = [];
  let external = false;
  for (const s of ends(from)) {
    for (const d of ends(to)) {
      if (s.external && d.external) continue;
      if (s.nicKey !== undefined && s.nicKey === d.nicKey) continue;
      if (s.external || d.external) {
        external = true;
        continue;
      }
      for (const cube of base.restrict({ src: s.addresses, dst: d.addresses }).cubes()) {
        const same = cube.src.intersect(cube.dst).size();
        const flows = (cube.src.size() * cube.dst.size() - same) * cubeFlowsPerAddressPair(cube);
        if (flows > 0n) pairs.push({ src: s, dst: d, cube, flows });
      }
    }
  }
  return { pairs, external };
}

function sampleFlow(p: Pair, r: () => number): Flow | undefined {
  for (let attempt = 0; attempt < 8; attempt++) {
    const src = randomMember(p.cube.src.v4, r);
    const dst = randomMember(p.cube.dst.v4, r);
    const protocol = randomMember(p.cube.protocols.intervalSet, r);
    const srcPort = randomMember(p.cube.srcPorts.intervalSet, r);
    const dstPort = randomMember(p.cube.dstPorts.intervalSet, r);
    if (src === undefined || dst === undefined || protocol === undefined || srcPort === undefined || dstPort === undefined || src === dst) continue;
    return { src: formatIp(4, src), dst: formatIp(4, dst), protocol: Number(protocol), srcPort: Number(srcPort), dstPort: Number(dstPort) };
  }
  return undefined;
}

export interface BruteForceFigures {
  /** Reach intents compared (every side inside the VNets). */
  readonly intents: number;
  /** Reach intents left out because a side lies outside every VNet (their flows are not enumerable). */
  readonly externalIntents: number;
  /** Symbolic engine, those intents, fresh caches. */
  readonly symbolicMs: number;
  /** Exact number of concrete flows of those intents. */
  readonly flows: string;
  /** The same with a single source port (the most favourable enumeration for brute force). */
  readonly flowsOneSourcePort: string;
  readonly sampledFlows: number;
  /** Mean time of one CONCRETE path evaluation over the sample, microseconds. */
  readonly usPerFlow: number;
  /** Extrapolated brute-force time over every flow, and over one source port. */
  readonly extrapolatedMs: number;
  readonly extrapolatedOneSourcePortMs: number;
  /** extrapolated / symbolic. */
  readonly speedup: number;
  readonly speedupOneSourcePort: number;
  readonly method: string;
}

export function compareWithBruteForce(env0: EngineEnv, intents: readonly Intent[], samplesPerIntent = 300, seed = 7): BruteForceFigures {
  const reach = intents.filter((i): i is ReachIntent => i.kind === "reach");
  // Fresh caches for the symbolic side: it pays its own compilation.
  const symEnv = engineEnv(env0.topo, env0.tags);
  const planned = reach.map((intent) => ({ intent, ...pairsOf(symEnv, intent) }));
  const internal = planned.filter((p) => !p.external && p.pairs.length > 0);
  const t0 = now();
  for (const p of internal) verifyReach(symEnv, p.intent);
  const symbolicMs = now() - t0;

  const bruteEnv = engineEnv(env0.topo, env0.tags);
  const r = rng(seed);
  let flows = 0n;
  let flowsOnePort = 0n;
  const sample: Array<{ intent: ReachIntent; pair: Pair; flow: Flow }> = [];
  for (const p of internal) {
    const total = p.pairs.reduce((acc, x) => acc + x.flows, 0n);
    flows += total;
    for (const x of p.pairs) flowsOnePort += x.flows / BigInt(x.cube.srcPorts.size());
    for (let i = 0; i < samplesPerIntent; i++) {
      // A pair chosen in proportion to its flows, then a flow of it.
      let k = BigInt(Math.floor(r() * Number(total)));
      let pair = p.pairs[p.pairs.length - 1];
      for (const x of p.pairs) {
        if (k < x.flows) {
          pair = x;
          break;
        }
        k -= x.flows;
      }
      const flow = sampleFlow(pair, r);
      if (flow) sample.push({ intent: p.intent, pair, flow });
    }
  }
  // Warm the caches (compiled rules, routes) so the per-flow figure is the steady state: this favours brute force.
  for (const s of sample.slice(0, Math.min(200, sample.length))) concreteFate(bruteEnv, s.intent.layer, s.pair.src.end, s.pair.dst.end, s.flow);
  const t1 = now();
  for (const s of sample) concreteFate(bruteEnv, s.intent.layer, s.pair.src.end, s.pair.dst.end, s.flow);
  const sampleMs = now() - t1;
  const usPerFlow = sample.length > 0 ? (sampleMs * 1000) / sample.length : 0;
  const extrapolatedMs = (Number(flows) * usPerFlow) / 1000;
  const extrapolatedOneSourcePortMs = (Number(flowsOnePort) * usPerFlow) / 1000;
  return {
    intents: internal.length,
    externalIntents: planned.filter((p) => p.external).length,
    symbolicMs,
    flows: flows.toString(),
    flowsOneSourcePort: flowsOnePort.toString(),
    sampledFlows: sample.length,
    usPerFlow,
    extrapolatedMs,
    extrapolatedOneSourcePortMs,
    speedup: symbolicMs > 0 ? extrapolatedMs / symbolicMs : 0,
    speedupOneSourcePort: symbolicMs > 0 ? extrapolatedOneSourcePortMs / symbolicMs : 0,
    method: `extrapolated: CONCRETE path evaluation timed on ${sample.length} random flows of the intents' own flow spaces, times the exact flow count`,
  };
}
