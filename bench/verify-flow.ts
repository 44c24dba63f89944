/**
 * IP flow verify throughput once the topology is built: `ipFlowVerify(env, req)` over deterministic streams of
 * random queries (NICs with a known address, both directions, TCP and UDP, remote addresses inside and outside the
 * VNets). Two passes over fresh engine caches: the first (cold: every NSG is compiled on first use, for each place
 * and ASG membership it is seen with) and a second over other random queries (steady: caches warm, as in a
 * long-running server or a batch of questions). The headline figure is the steady one.
 */
import { engineEnv, type EngineEnv } from "../src/engine/nsg";
import { ipFlowVerify, type IpFlowVerifyRequest } from "../src/answers/ip-flow-verify";
import type { Nic } from "../src/model/topology";
import { rng } from "./estate";
import { now } from "./pipeline";

export interface VerifyFlowFigures {
  readonly queries: number;
  readonly ms: number;
  /** Steady rate, caches warm. */
  readonly qps: number;
  /** The first pass, fresh caches: NSGs compiled on first use. */
  readonly warmupQueries: number;
  readonly warmupMs: number;
  readonly coldQps: number;
  /**
   * The same rates over the process's CPU time (user + system) instead of wall time: on a shared, loaded machine
   * the wall-time rates fall with the load, these much less.
   */
  readonly cpuMs: number;
  readonly warmupCpuMs: number;
  readonly cpuQps: number;
  readonly coldCpuQps: number;
  readonly allow: number;
  readonly deny: number;
  readonly indeterminate: number;
  readonly errors: number;
}

function staticAddress(nic: Nic): string | undefined {
  const cfg = nic.ipConfigurations.find((c) => c.primary) ?? nic.ipConfigurations[0];
  return cfg && typeof cfg.privateIpAddress === "string" ? cfg.privateIpAddress : undefined;
}

export function verifyFlowRequests(env: EngineEnv, count: number, seed = 11): IpFlowVerifyRequest[] {
  const r = rng(seed);
  const nics = [...env.topo.nics.values()].flatMap((nic) => {
    const ip = staticAddress(nic);
    return ip ? [{ nic, ip }] : [];
  });
  if (nics.length === 0) return [];
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)];
  const ports = [22, 53, 80, 443, 1433, 3389, 5432, 8080, 8443, 9000];
  const out: IpFlowVerifyRequest[] = [];
  for (let i = 0; i < count; i++) {
    const local = pick(nics);
    const kind = r();
    const remoteIp =
      kind < 0.5
        ? pick(nics).ip
        : kind < 0.75
          ? `${pick([20, 40, 52, 104, 203])}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${1 + Math.floor(r() * 254)}`
          : `10.${Math.floor(r() * 30)}.${Math.floor(r() * 60)}.${4 + Math.floor(r() * 60)}`;
    const inbound = r() < 0.6;
    const service = r() < 0.8 ? pick(ports) : 1 + Math.floor(r() * 65535);
    const ephemeral = 49152 + Math.floor(r() * 16384);
    out.push({
      nic: local.nic,
      direction: inbound ? "Inbound" : "Outbound",
      protocol: r() < 0.8 ? "TCP" : "UDP",
      localIp: local.ip,
      localPort: inbound ? service : ephemeral,
      remoteIp,
      remotePort: inbound ? ephemeral : service,
    });
  }
  return out;
}

export function measureVerifyFlow(env0: EngineEnv, count: number): VerifyFlowFigures {
  const env = engineEnv(env0.topo, env0.tags);
  const warmup = verifyFlowRequests(env, count, 29);
  const w0 = now();
  const wc0 = process.cpuUsage();
  for (const req of warmup) ipFlowVerify(env, req);
  const warmupMs = now() - w0;
  const warmupCpuMs = cpuMsSince(wc0);
  const requests = verifyFlowRequests(env, count);
  let allow = 0;
  let deny = 0;
  let indeterminate = 0;
  let errors = 0;
  const t0 = now();
  const c0 = process.cpuUsage();
  for (const req of requests) {
    const out = ipFlowVerify(env, req);
    if (!out.ok) errors++;
    else if (out.result.access === "Allow") allow++;
    else if (out.result.access === "Deny") deny++;
    else indeterminate++;
  }
  const ms = now() - t0;
  const cpuMs = cpuMsSince(c0);
  return {
    queries: requests.length,
    ms,
    qps: ms > 0 ? (requests.length * 1000) / ms : 0,
    warmupQueries: warmup.length,
    warmupMs,
    coldQps: warmupMs > 0 ? (warmup.length * 1000) / warmupMs : 0,
    cpuMs,
    warmupCpuMs,
    cpuQps: cpuMs > 0 ? (requests.length * 1000) / cpuMs : 0,
    coldCpuQps: warmupCpuMs > 0 ? (warmup.length * 1000) / warmupCpuMs : 0,
    allow,
    deny,
    indeterminate,
    errors,
  };
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(start);
  return (c.user + c.system) / 1000;
}
