import { refusalText } from "../../src/answers/refusal";
/**
 * Differential comparison (issue 12): the engine's IP flow verify, next hop and trace answers on seeded random
 * stack exports against an independent concrete evaluator (oracle.ts, which imports nothing from src/).
 * DIFF_TOPOLOGIES (default 150) and DIFF_SEED (default 1) choose the run; a failing seed is printed and reproduces
 * (`write-seed.ts` writes it as a file for the CLI).
 */
import { buildTopology } from "../../src/adapters/azure-native";
import { ipFlowVerify } from "../../src/answers/ip-flow-verify";
import { nextHop } from "../../src/answers/next-hop";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import { findNic } from "../../src/engine/find";
import { trace } from "../../src/answers/trace";
import { readResourceText } from "../../src/resources/detect";
import { generate, previewOf, random } from "./generate";
import { ipNumber, Oracle, type Packet } from "./oracle";

const TOPOLOGIES = Number(process.env.DIFF_TOPOLOGIES ?? 150);
const SEED = Number(process.env.DIFF_SEED ?? 1);
const QUERIES_PER_KIND = 12;

interface Disagreement {
  readonly seed: number;
  readonly kind: "verify-flow" | "next-hop" | "trace" | "preview";
  readonly question: string;
  readonly engine: string;
  readonly oracle: string;
}

function compareTopology(seed: number, counts: Record<string, number>, fates: Record<string, number>): Disagreement[] {
  const gen = generate(seed);
  const read = readResourceText(JSON.stringify(gen.exportJson), `seed-${seed}.json`);
  if (!read.ok) throw new Error(`seed ${seed}: ${read.error}`);
  const topo = buildTopology(read.records);
  const env = engineEnv(topo, EMPTY_CATALOG);
  const oracle = new Oracle(gen.exportJson);
  // The same plan at first preview: every sure answer there must be the export's (issue 12: "every sure preview
  // answer matches the export"); undecided ones are counted.
  const readP = readResourceText(JSON.stringify(previewOf(gen.exportJson)), `seed-${seed}-preview.json`);
  if (!readP.ok) throw new Error(`seed ${seed} preview: ${readP.error}`);
  const topoP = buildTopology(readP.records);
  const envP = engineEnv(topoP, EMPTY_CATALOG);
  const nicOfP = (name: string) => {
    const found = findNic(topoP, name);
    if (!found.ok) throw new Error(`seed ${seed} preview: ${found.error}`);
    return found.value;
  };
  const samePreview = (question: string, exportAnswer: string, previewAnswer: string, undecided: boolean): void => {
    counts["preview"]++;
    if (undecided) counts["preview undecided"]++;
    else if (previewAnswer !== exportAnswer) out.push({ seed, kind: "preview", question, engine: `preview ${previewAnswer}`, oracle: `export ${exportAnswer}` });
  };
  const r = random(seed * 7919 + 1);
  const out: Disagreement[] = [];
  const nicOf = (name: string) => {
    const found = findNic(topo, name);
    if (!found.ok) throw new Error(`seed ${seed}: ${found.error}`);
    return found.value;
  };

  for (let q = 0; q < QUERIES_PER_KIND; q++) {
    const nic = r.pick(gen.nics);
    const direction = r.chance(0.5) ? "Inbound" : "Outbound";
    const protocol = r.chance(0.5) ? "TCP" : "UDP";
    const remote = r.pick(gen.probeAddresses.filter((a) => a !== nic.ip).concat(["168.63.129.16"]));
    const localPort = r.pick([22, 80, 443, 1500, 3389, 50000]);
    const remotePort = r.pick([22, 80, 443, 50000]);
    const outcome = ipFlowVerify(env, { nic: nicOf(nic.name), direction, protocol, localIp: nic.ip, localPort, remoteIp: remote, remotePort });
    counts["verify-flow"]++;
    const packet: Packet =
      direction === "Inbound"
        ? { src: ipNumber(remote), dst: ipNumber(nic.ip), protocol: protocol === "TCP" ? "Tcp" : "Udp", srcPort: remotePort, dstPort: localPort }
        : { src: ipNumber(nic.ip), dst: ipNumber(remote), protocol: protocol === "TCP" ? "Tcp" : "Udp", srcPort: localPort, dstPort: remotePort };
    const want = oracle.nsgChain(nic.name, direction, packet);
    const got = outcome.ok ? `${outcome.result.access} ${outcome.result.ruleName}` : `error: ${refusalText(outcome.refusal)}`;
    const p = ipFlowVerify(envP, { nic: nicOfP(nic.name), direction, protocol, localIp: nic.ip, localPort, remoteIp: remote, remotePort });
    const pAccess = p.ok ? p.result.access : `error: ${refusalText(p.refusal)}`;
    samePreview(`verify-flow ${nic.name} ${direction} ${protocol} ${nic.ip}:${localPort} ${remote}:${remotePort}`, outcome.ok ? outcome.result.access : got, pAccess, pAccess === "Indeterminate");
    if (got !== `${want.access} ${want.ruleName}`) {
      out.push({ seed, kind: "verify-flow", question: `${nic.name} ${direction} ${protocol} local ${nic.ip}:${localPort} remote ${remote}:${remotePort}`, engine: got, oracle: `${want.access} ${want.ruleName}` });
    }
  }

  for (let q = 0; q < QUERIES_PER_KIND; q++) {
    const nic = r.pick(gen.nics);
    const dst = r.pick(gen.probeAddresses.filter((a) => a !== nic.ip));
    const outcome = nextHop(topo, { nic: nicOf(nic.name), sourceIp: nic.ip, destinationIp: dst });
    counts["next-hop"]++;
    const want = oracle.route(nic.name, ipNumber(dst));
    const wantText = `${want.nextHopType}${want.nextHopIp !== undefined ? ` ${[24, 16, 8, 0].map((s) => (want.nextHopIp! >>> s) & 255).join(".")}` : ""}`;
    const got = outcome.ok ? `${outcome.result.nextHopType}${outcome.result.nextHopIpAddress ? ` ${outcome.result.nextHopIpAddress}` : ""}` : `error: ${refusalText(outcome.refusal)}`;
    const p = nextHop(topoP, { nic: nicOfP(nic.name), sourceIp: nic.ip, destinationIp: dst });
    const pText = p.ok ? `${p.result.nextHopType}${p.result.nextHopIpAddress ? ` ${p.result.nextHopIpAddress}` : ""}` : `error: ${refusalText(p.refusal)}`;
    samePreview(`next-hop ${nic.name} -> ${dst}`, got, pText, p.ok && p.result.nextHopType === "Indeterminate");
    if (got !== wantText) out.push({ seed, kind: "next-hop", question: `${nic.name} ${nic.ip} -> ${dst}`, engine: got, oracle: wantText });
  }

  for (let q = 0; q < QUERIES_PER_KIND; q++) {
    const nic = r.pick(gen.nics);
    const dst = r.pick(gen.probeAddresses.filter((a) => a !== nic.ip));
    const protocol = r.chance(0.5) ? "TCP" : "UDP";
    const port = r.pick([22, 80, 443, 1500]);
    const outcome = trace(env, { from: nic.name, to: dst, protocol, port, sourcePort: 50000 });
    counts.trace++;
    const want = oracle.walk(nic.name, { src: ipNumber(nic.ip), dst: ipNumber(dst), protocol: protocol === "TCP" ? "Tcp" : "Udp", srcPort: 50000, dstPort: port });
    const got = outcome.ok ? outcome.result.json.connectionStatus : `error: ${outcome.error}`;
    fates[want.fate] = (fates[want.fate] ?? 0) + 1;
    const p = trace(envP, { from: nic.name, to: dst, protocol, port, sourcePort: 50000 });
    const pStatus = p.ok ? p.result.json.connectionStatus : `error: ${p.error}`;
    samePreview(`trace ${nic.name} -> ${dst} ${protocol} ${port}`, got, pStatus, pStatus === "Indeterminate");
    // A non-public address over an Internet route never reaches anything (issue 12 point 4): anything but Reachable.
    const agrees = want.fate === "NonPublicInternet" ? got !== "Reachable" : want.fate === "Undecided" ? got === "Indeterminate" : got === want.fate;
    if (!agrees) out.push({ seed, kind: "trace", question: `${nic.name} -> ${dst} ${protocol} ${port}`, engine: got, oracle: `${want.fate} (${want.why})` });
  }
  return out;
}

test(`engine and independent evaluator agree on ${TOPOLOGIES} random topologies (seed ${SEED})`, () => {
  const counts: Record<string, number> = { "verify-flow": 0, "next-hop": 0, trace: 0, preview: 0, "preview undecided": 0 };
  const fates: Record<string, number> = {};
  const all: Disagreement[] = [];
  for (let i = 0; i < TOPOLOGIES; i++) all.push(...compareTopology(SEED + i, counts, fates));
  const byKind = Object.fromEntries(["verify-flow", "next-hop", "trace", "preview"].map((k) => [k, all.filter((d) => d.kind === k).length]));
  // Figures for the issue note; the first disagreements, each reproducible by its seed.
  console.log(`differential: seeds ${SEED}..${SEED + TOPOLOGIES - 1}, queries ${JSON.stringify(counts)}, trace fates (oracle) ${JSON.stringify(fates)}, disagreements ${JSON.stringify(byKind)}`);
  // The comparison is not vacuous: the traces reach every fate.
  expect(fates.Reachable).toBeGreaterThan(0);
  expect(fates.Unreachable).toBeGreaterThan(0);
  expect(all.slice(0, 10)).toEqual([]);
});
