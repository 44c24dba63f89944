/**
 * The symbolic walk against brute force, with an Azure Firewall on the path (issue 15). Random small hubs: subnet
 * s1 routes 0.0.0.0/0 (or one prefix) to the firewall in AzureFirewallSubnet; the firewall's classic rules or policy
 * (with a parent) hold random network rules (protocols TCP/UDP/ICMP/Any, prefixes, ranges, an IP group, ports) and
 * application rules, collections of random priority and action, some values unknown at preview. The symbolic verdict
 * (exact flow sets through firstMatch) must equal the brute-force verdict (every concrete flow of a tiny space through
 * the CONCRETE walk), and a counterexample must be a flow the brute force finds breaking the intent.
 */
import fc from "fast-check";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import { parseIntent } from "../../src/intents/parse";
import { verifyReach } from "../../src/intents/reach";
import type { ReachIntent } from "../../src/intents/types";
import type { FirewallAction } from "../../src/model/firewall";
import type { NextHopType, Topology } from "../../src/model/topology";
import { unknown, type Maybe } from "../../src/model/unknown";
import { IpSet } from "../../src/sets/ip-set";
import { withFirewall, type CollectionText, type RuleText } from "../helpers/firewall-builder";
import { ModelBuilder } from "../helpers/model-builder";
import { bruteForce, flowKey, UNIVERSE } from "./brute-force";

interface RuleG {
  app: boolean;
  protocols: string;
  src: string;
  dst: string;
  ports: string;
}
interface CollG {
  kind: "Network" | "Application";
  priority: number | "?";
  action: FirewallAction | "?";
  rules: RuleG[];
}
interface Gen {
  classic: boolean;
  parent: boolean;
  collections: CollG[];
  routePrefix: string;
  fwIp: "known" | "unknown";
  ipGroup: "known" | "unknown";
  nics: Array<{ subnet: "s1" | "s2"; ip: 4 | 5 | "dynamic" }>;
  /** A DNAT rule translating to 10.0.2.4:80 (flows from outside to that NIC are then undecided, naming it). */
  dnat: boolean;
}

const SRC = ["*", "10.0.1.0/29", "10.0.1.4", "10.0.1.4-10.0.1.5", "10.0.2.0/29", "ipgroup:g1"];
const DST = ["*", "10.0.2.0/29", "10.0.2.4", "203.0.113.0/31", "10.0.1.0/29", "ipgroup:g1"];

const ruleG: fc.Arbitrary<RuleG> = fc.record({
  app: fc.constantFrom(false, false, false, true),
  protocols: fc.constantFrom("TCP", "UDP", "ICMP", "Any", "TCP,UDP"),
  src: fc.constantFrom(...SRC),
  dst: fc.constantFrom(...DST),
  ports: fc.constantFrom("*", "80", "22", "80-81"),
});

const collG: fc.Arbitrary<CollG> = fc.record({
  kind: fc.constantFrom<CollG["kind"]>("Network", "Network", "Application"),
  priority: fc.constantFrom<CollG["priority"]>(100, 200, 300, 400, "?"),
  action: fc.constantFrom<CollG["action"]>("Allow", "Allow", "Deny", "?"),
  rules: fc.array(ruleG, { minLength: 1, maxLength: 3 }),
});

const gen: fc.Arbitrary<Gen> = fc.record({
  classic: fc.boolean(),
  parent: fc.boolean(),
  collections: fc.array(collG, { maxLength: 4 }),
  routePrefix: fc.constantFrom("0.0.0.0/0", "0.0.0.0/0", "10.0.2.0/29", "203.0.113.0/30"),
  fwIp: fc.constantFrom<Gen["fwIp"]>("known", "known", "known", "unknown"),
  ipGroup: fc.constantFrom<Gen["ipGroup"]>("known", "known", "unknown"),
  dnat: fc.boolean(),
  nics: fc.array(fc.record({ subnet: fc.constantFrom<"s1" | "s2">("s1", "s2"), ip: fc.constantFrom<4 | 5 | "dynamic">(4, 5, "dynamic") }), { minLength: 1, maxLength: 3 }),
});

function collections(g: Gen): CollectionText[] {
  return g.collections.map((c, i) => ({
    name: `c${i}`,
    kind: c.kind,
    priority: c.priority === "?" ? unknown(`.ruleCollections[${i}].priority`, "rcg") : c.priority,
    action: c.action === "?" ? unknown(`.ruleCollections[${i}].action.type`, "rcg") : c.action,
    rules: c.rules.map((r, j): RuleText => ({ name: `r${i}-${j}`, protocols: r.protocols, src: [r.src], dst: c.kind === "Application" ? ["*"] : [r.dst], ports: r.ports })),
  }));
}

function build(g: Gen): Topology {
  const b = new ModelBuilder()
    .vnet("A", ["10.0.0.0/16"])
    .routeTable("rt", [{ name: "to-fw", prefix: g.routePrefix, nextHopType: "VirtualAppliance" as NextHopType, nextHopIp: "10.0.3.4" }])
    .subnet("s1", "A", "10.0.1.0/29", { routeTable: "rt" })
    .subnet("s2", "A", "10.0.2.0/29")
    .subnet("AzureFirewallSubnet", "A", "10.0.3.0/29");
  const taken = new Set<string>();
  g.nics.forEach((n, i) => {
    let ip: string | undefined = n.ip === "dynamic" ? undefined : `${n.subnet === "s1" ? "10.0.1" : "10.0.2"}.${n.ip}`;
    if (ip !== undefined && taken.has(ip)) ip = undefined;
    if (ip !== undefined) taken.add(ip);
    b.nic(`n${i}`, n.subnet, ip);
  });
  const topo = b.build();
  const colls = [
    ...collections(g),
    ...(g.dnat ? [{ name: "dnat", kind: "Nat" as const, priority: 100, action: "Dnat" as const, rules: [{ name: "web", protocols: "TCP", src: ["*"], dst: ["*"], ports: "8080", translated: { address: "10.0.2.4", port: 80 } }] }] : []),
  ];
  const ip: Maybe<string> = g.fwIp === "known" ? "10.0.3.4" : unknown(".ipConfigurations[0].privateIPAddress", "fw");
  const ipGroups = { g1: g.ipGroup === "known" ? IpSet.fromPrefixes(["10.0.1.4", "10.0.2.0/30"]) : unknown(".ipAddresses", "g1") };
  if (g.classic) return withFirewall(topo, { subnet: "AzureFirewallSubnet", ip, classic: colls, ipGroups });
  const half = Math.ceil(colls.length / 2);
  const policies = g.parent
    ? [
        { name: "parent", groups: [{ name: "pg", priority: 500, collections: colls.slice(0, half) }] },
        { name: "child", base: "parent", groups: [{ name: "cg", priority: 100, collections: colls.slice(half) }] },
      ]
    : [{ name: "child", groups: [{ name: "cg", priority: 100, collections: colls }] }];
  return withFirewall(topo, { subnet: "AzureFirewallSubnet", ip, policy: "child", policies, ipGroups });
}

const SELECTORS = [{ subnet: "s1" }, { subnet: "s2" }, { nic: "n0" }, { nic: "n1" }, { cidr: "203.0.113.0/30" }, { ip: "10.0.2.4" }, { cidr: "10.0.1.0/29" }];

const intentGen = fc.record({
  from: fc.constantFrom<Record<string, unknown>>({ subnet: "s1" }, { nic: "n0" }, { ip: "10.0.1.4" }, { cidr: "203.0.113.0/30" }),
  to: fc.constantFrom<Record<string, unknown>>(...SELECTORS),
  protocol: fc.constantFrom("Tcp", "Udp", "Icmp", "Any"),
  ports: fc.constantFrom("*", "80", "22,80", "80-81"),
  expect: fc.constantFrom("reachable", "unreachable"),
});

function intentOf(raw: { protocol: string; ports: string } & Record<string, unknown>): ReachIntent | undefined {
  const ports = raw.protocol === "Icmp" ? "*" : raw.ports;
  const parsed = parseIntent({ name: "p", ...raw, ports }, 0, { source: "property" });
  return parsed.intent?.kind === "reach" ? parsed.intent : undefined;
}

function protocolNumber(name: string): number {
  const known: Record<string, number> = { TCP: 6, UDP: 17, ICMP: 1, ESP: 50, AH: 51 };
  return known[name] ?? Number(name.replace(/^PROTO-/, ""));
}

describe("with an Azure Firewall on the path, symbolic intents agree with brute force", () => {
  test("zero disagreements", () => {
    let decided = 0;
    let named = 0;
    fc.assert(
      fc.property(gen, intentGen, (g, raw) => {
        const topo = build(g);
        const intent = intentOf(raw);
        if (!intent) return;
        const symbolic = verifyReach(engineEnv(topo, EMPTY_CATALOG), intent, { universe: UNIVERSE });
        const brute = bruteForce(engineEnv(topo, EMPTY_CATALOG), intent);
        expect({ g, intent: raw, verdict: symbolic.verdict }).toEqual({ g, intent: raw, verdict: brute.verdict });
        if (symbolic.verdict !== "indeterminate") decided++;
        if (/firewall/i.test(JSON.stringify(symbolic))) named++;
        if (symbolic.verdict === "fail" && symbolic.counterexample) {
          const f = symbolic.counterexample.flow;
          const key = flowKey({ src: f.sourceAddress, dst: f.destinationAddress, protocol: protocolNumber(f.protocol), srcPort: f.sourcePort, dstPort: f.destinationPort });
          expect(brute.bad.has(key)).toBe(true);
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 200), seed: Number(process.env.FC_SEED ?? 20261202) },
    );
    // The property proves something only if most cases are decided.
    expect(decided).toBeGreaterThan(60);
    // ... and if the firewall is what decides a good share of them.
    expect(named).toBeGreaterThan(10);
  });
});
