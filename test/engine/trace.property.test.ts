/**
 * The symbolic trace against brute force (issue 12, point 4): random small plans (test/intents/random-topology.ts:
 * appliances in ASGs, dual-stack NICs, dynamic addresses, values unknown at preview) and random ends, among them
 * addresses Azure reserves (as source and as destination) and IPv6 addresses. trace walks the whole address set
 * of each end at once (exact flow sets); the oracle walks every concrete address pair alone (CONCRETE_WALK) and
 * applies the reserved-source rule written out here (the first four and the last address of each /29 subnet).
 * The status must be the oracle's: Reachable when every pair arrives, Unreachable when none does.
 */
import { isUnknown } from "../../src/model/unknown";
import fc from "fast-check";
import { CONCRETE_WALK, fateOf, forward, innermost, type Disposition, type WalkStart, type WalkTarget } from "../../src/engine/forward";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import { trace } from "../../src/answers/trace";
import type { Endpoint, TraceProtocol } from "../../src/engine/trace";
import type { Flow } from "../../src/sets/flow";
import { formatIp } from "../../src/sets/ip";
import { IpSet } from "../../src/sets/ip-set";
import { applianceTopoGen, build, SUBNETS, topoGen } from "../intents/random-topology";

const ENDS = ["n0", "n1", "n2", "n3", "10.0.1.0", "10.0.1.1", "10.0.1.3", "10.0.1.7", "10.0.2.0", "10.0.1.5", "10.0.2.4", "10.1.1.6", "10.0.3.9", "203.0.113.1", "fd00:a:1::4", "fd00:a:2::5"];

/** The reserved addresses of the generator's /29 subnets, written out: network, .1-.3, broadcast. */
const RESERVED = new Set(SUBNETS.flatMap((s) => {
  const base = s.prefix.split("/")[0].replace(/\.0$/, "");
  return [0, 1, 2, 3, 7].map((i) => `${base}.${i}`);
}));

function addresses(set: IpSet): string[] {
  const out: string[] = [];
  for (const family of [4, 6] as const) {
    for (const [lo, hi] of (family === 4 ? set.v4 : set.v6).intervals()) {
      if (hi - lo > 16n) throw new Error(`too many addresses: ${set}`);
      for (let v = lo; v <= hi; v++) out.push(formatIp(family, v));
    }
  }
  return out;
}

function startOf(e: Endpoint, src: string): WalkStart {
  if (e.nic) return { kind: "nic", nic: e.nic };
  if (e.subnet) return { kind: "host", subnet: e.subnet, addresses: IpSet.fromAddress(src) };
  return { kind: "external", addresses: IpSet.fromAddress(src) };
}

function targetOf(e: Endpoint): WalkTarget {
  if (e.nic) return { kind: "nic", nic: e.nic, addresses: e.addresses };
  if (e.subnet) return { kind: "host", subnet: e.subnet, addresses: e.addresses };
  return { kind: "external", addresses: e.addresses };
}

/**
 * From outside the VNets a packet reaches a NIC only through an ingress (docs/ingress.md). In these plans the only
 * one is the NIC's own public IP, with no SKU: Basic, open unless an NSG denies (the walk applies the NSGs).
 */
function ingress(from: Endpoint, to: Endpoint): "yes" | "no" | "unknown" {
  if (from.kind !== "external" || !to.nic) return "yes";
  const keys = to.nic.ipConfigurations.map((c) => c.publicIpKey);
  if (keys.some((k) => typeof k === "string")) return "yes";
  return keys.some((k) => isUnknown(k)) ? "unknown" : "no";
}

function arrives(to: Endpoint, d: Disposition): "yes" | "no" | "unknown" {
  const fate = fateOf(d);
  if (fate === "Unknown") return "unknown";
  if (fate === "Stopped") return "no";
  if (to.kind === "external") return fate === "Exited" ? "yes" : "no";
  const inner = innermost(d);
  if (inner.kind !== "Delivered") return "no";
  return (to.nic && inner.nic?.key === to.nic.key) || (to.kind === "host" && inner.host !== undefined) ? "yes" : "no";
}

describe("trace agrees with a concrete walk of every address pair", () => {
  test("zero disagreements", () => {
    let compared = 0;
    fc.assert(
      fc.property(fc.oneof(topoGen, applianceTopoGen), fc.constantFrom(...ENDS), fc.constantFrom(...ENDS), fc.constantFrom<TraceProtocol>("TCP", "TCP", "ICMP"), (g, from, to, protocol) => {
        const topo = build(g);
        const env = engineEnv(topo, EMPTY_CATALOG);
        const out = trace(env, { from, to, protocol, ...(protocol === "TCP" ? { port: 80 } : {}) });
        if (!out.ok) return;
        const { from: a, to: b } = out.result;
        const seen = new Set<string>();
        for (const src of addresses(a.addresses)) {
          for (const dst of addresses(b.addresses)) {
            if (src.includes(":") !== dst.includes(":")) continue;
            // A host (not a NIC) at a reserved address: nothing sends from there.
            if (a.kind === "host" && RESERVED.has(src)) {
              seen.add("no");
              continue;
            }
            const flow: Flow = { src, dst, protocol: protocol === "TCP" ? 6 : 1, srcPort: protocol === "TCP" ? 50000 : 0, dstPort: protocol === "TCP" ? 80 : 0 };
            const walk = forward(CONCRETE_WALK, engineEnv(topo, EMPTY_CATALOG), startOf(a, src), flow, { target: targetOf(b) });
            const gate = ingress(a, b);
            for (const p of walk.paths) {
              if (p.flows === undefined) continue;
              const fate = arrives(b, p.disposition);
              seen.add(fate === "yes" ? gate : fate);
            }
          }
        }
        const want = seen.size === 1 && seen.has("yes") ? "Reachable" : seen.size === 1 && seen.has("no") ? "Unreachable" : seen.size === 0 ? "Unreachable" : "Indeterminate";
        compared++;
        expect({ from, to, protocol, status: out.result.json.connectionStatus }).toEqual({ from, to, protocol, status: want });
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300), seed: Number(process.env.FC_SEED ?? 20261202) },
    );
    expect(compared).toBeGreaterThan(100);
  });
});
