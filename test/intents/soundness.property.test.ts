/**
 * Soundness by construction: random small topologies (random-topology.ts: NSGs with ASGs and service tags, UDRs,
 * appliances in ASGs, peering, static and dynamic addresses, dual-stack NICs, public IPs, NIC-less subnets, a few
 * values unknown at preview) and random intents (selectors of reserved addresses and of IPv6 ones included).
 * The symbolic verdict (classes of NICs, exact flow sets) must equal the brute-force verdict (every concrete flow
 * of a tiny space through the CONCRETE path over the real NICs), and a counterexample must be one of the flows the
 * brute force finds breaking the intent. Zero disagreements.
 */
import fc from "fast-check";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import type { AddressSpec, SecurityRule, Topology } from "../../src/model/topology";
import { isUnknown, unknown, type Maybe } from "../../src/model/unknown";
import { IpSet } from "../../src/sets/ip-set";
import { parseIntent } from "../../src/intents/parse";
import { verifyReach } from "../../src/intents/reach";
import type { ReachIntent } from "../../src/intents/types";
import { bruteForce, flowKey, UNIVERSE } from "./brute-force";
import { applianceTopoGen, build, topoGen } from "./random-topology";
import { withAvnm, type AdminRuleSpec } from "../engine/avnm-model";

// ---- the random intent ---------------------------------------------------------------------------------------

const SELECTORS = [
  { subnet: "s1" },
  { subnet: "s2" },
  { subnet: "s3" },
  { nic: "n0" },
  { nic: "n1" },
  { vnet: "A" },
  { tag: { tier: "web" } },
  { serviceTag: "VirtualNetwork" },
  { asg: "asg1" },
  { cidr: "203.0.113.0/30" },
  { cidr: "10.0.0.0/16" },
  { ip: "10.0.1.4" },
  // Addresses Azure reserves: a CIDR that covers them, and one of them alone (selects nothing).
  { cidr: "10.0.1.0/29" },
  { ip: "10.0.1.0" },
  // IPv6 (dual-stack plans): a subnet prefix, an address, and a public IPv6 block outside the plan.
  { cidr: "fd00:a:1::/125" },
  { ip: "fd00:a:2::4" },
  { cidr: "2001:db8::/126" },
];

const intentGen = fc.record({
  from: fc.constantFrom(...SELECTORS),
  to: fc.constantFrom(...SELECTORS),
  protocol: fc.constantFrom("Tcp", "Udp", "Icmp", "Any"),
  ports: fc.constantFrom("*", "80", "22,80", "80-81"),
  expect: fc.constantFrom("reachable", "unreachable"),
  layer: fc.constantFrom("network", "network", "nsg"),
});

function intentOf(raw: { protocol: string; ports: string } & Record<string, unknown>): ReachIntent | undefined {
  const ports = raw.protocol === "Icmp" ? "*" : raw.ports;
  const parsed = parseIntent({ name: "p", ...raw, ports }, 0, { source: "property" });
  return parsed.intent?.kind === "reach" ? parsed.intent : undefined;
}

describe("symbolic intents agree with brute force over every concrete flow", () => {
  test("zero disagreements", () => {
    fc.assert(
      // Half the runs send subnet s1 through an appliance in ASGs (issue 12: ASG rules at an appliance hop match the
      // packet's addresses, not the appliance's membership), checked against brute force as everything else.
      fc.property(fc.oneof(topoGen, applianceTopoGen), fc.oneof(intentGen, applianceIntentGen), (g, raw) => {
        const topo = build(g);
        const intent = intentOf(raw);
        if (!intent) return;
        const env = engineEnv(topo, EMPTY_CATALOG);
        const symbolic = verifyReach(env, intent, { universe: UNIVERSE });
        const brute = bruteForce(engineEnv(topo, EMPTY_CATALOG), intent);
        expect({ intent: raw, verdict: symbolic.verdict }).toEqual({ intent: raw, verdict: brute.verdict });
        if (symbolic.verdict === "fail" && symbolic.counterexample) {
          const f = symbolic.counterexample.flow;
          const key = flowKey({ src: f.sourceAddress, dst: f.destinationAddress, protocol: protocolNumber(f.protocol), srcPort: f.sourcePort, dstPort: f.destinationPort });
          expect(brute.bad.has(key)).toBe(true);
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300), seed: Number(process.env.FC_SEED ?? 20260101) },
    );
  });
});

// ---- with Virtual Network Manager security admin rules (issue 15) ----------------------------------------------

const adminRuleGen = fc.record({
  direction: fc.constantFrom<"Inbound" | "Outbound">("Inbound", "Outbound"),
  access: fc.constantFrom("Allow", "Deny", "AlwaysAllow", "Deny", "AlwaysAllow", "?"),
  protocol: fc.constantFrom("Tcp", "Udp", "*"),
  src: fc.constantFrom("*", "Internet", "10.0.1.0/29", "203.0.113.0/31", "10.1.0.0/16"),
  dst: fc.constantFrom("*", "10.0.2.0/29", "10.0.2.4", "VirtualNetwork"),
  dport: fc.constantFrom("*", "80", "22", "80-81"),
});

const avnmGen = fc.record({
  rules: fc.array(adminRuleGen, { minLength: 1, maxLength: 3 }),
  // VNet A always, B sometimes; a member unknown at preview now and then.
  members: fc.constantFrom<Maybe<string>[][]>(["A"], ["A", "B"], ["B"], ["A", unknown(".resourceId", "urn:member")]),
});

describe("symbolic intents agree with brute force with security admin rules before the NSGs", () => {
  test("zero disagreements", () => {
    fc.assert(
      fc.property(topoGen, avnmGen, intentGen, (g, a, raw) => {
        const rules: AdminRuleSpec[] = a.rules.map((r, i) => ({
          name: `a${i}`,
          priority: 10 * (i + 1),
          direction: r.direction,
          access: r.access === "?" ? unknown(".access", `a${i}`) : (r.access as "Allow" | "Deny" | "AlwaysAllow"),
          protocol: r.protocol,
          src: [r.src],
          dst: [r.dst],
          dport: r.dport,
        }));
        const topo = withAvnm(build(g), { members: a.members, rules });
        const intent = intentOf(raw);
        if (!intent) return;
        const symbolic = verifyReach(engineEnv(topo, EMPTY_CATALOG), intent, { universe: UNIVERSE });
        const brute = bruteForce(engineEnv(topo, EMPTY_CATALOG), intent);
        expect({ intent: raw, verdict: symbolic.verdict }).toEqual({ intent: raw, verdict: brute.verdict });
        if (symbolic.verdict === "fail" && symbolic.counterexample) {
          const f = symbolic.counterexample.flow;
          const key = flowKey({ src: f.sourceAddress, dst: f.destinationAddress, protocol: protocolNumber(f.protocol), srcPort: f.sourcePort, dstPort: f.destinationPort });
          expect(brute.bad.has(key)).toBe(true);
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300), seed: Number(process.env.FC_SEED ?? 20261202) },
    );
  });
});

/**
 * Every ASG side rewritten as the prefixes of its members' addresses ("a rule naming an ASG applies only to member
 * NICs' IPs", docs/azure-semantics.md), for topologies whose ASG members all have static addresses. An oracle
 * independent of how the engine binds ASG sides (to the evaluated NIC, to the packet's ends at an appliance hop).
 */
function asgsAsPrefixes(topo: Topology): Topology | undefined {
  const members = new Map<string, IpSet>();
  for (const nic of topo.nics.values()) {
    for (const cfg of nic.ipConfigurations) {
      if (isUnknown(cfg.asgKeys) || cfg.asgKeys.length === 0) continue;
      if (typeof cfg.privateIpAddress !== "string") return undefined;
      for (const k of cfg.asgKeys) members.set(k, (members.get(k) ?? IpSet.empty()).union(IpSet.fromAddress(cfg.privateIpAddress)));
    }
  }
  const side = (specs: SecurityRule["sources"]): SecurityRule["sources"] =>
    isUnknown(specs)
      ? specs
      : specs.map((s): AddressSpec => (s.kind === "asg" && !isUnknown(s.asgKey) ? { kind: "prefix", text: s.text, set: members.get(s.asgKey) ?? IpSet.empty() } : s));
  const nsgs = new Map([...topo.nsgs].map(([k, n]) => [k, { ...n, rules: n.rules.map((r) => ({ ...r, sources: side(r.sources), destinations: side(r.destinations) })) }]));
  return { ...topo, nsgs };
}

/** Intents whose flows cross the appliance: from s1 (routed through n0) to elsewhere. */
const applianceIntentGen = fc.record({
  from: fc.constantFrom<Record<string, unknown>>({ subnet: "s1" }, { nic: "n1" }, { nic: "n2" }, { asg: "asg1" }),
  to: fc.constantFrom<Record<string, unknown>>({ subnet: "s2" }, { subnet: "s3" }, { nic: "n1" }, { nic: "n2" }, { nic: "n3" }, { asg: "asg2" }, { cidr: "203.0.113.0/30" }),
  protocol: fc.constantFrom("Tcp", "Any"),
  ports: fc.constantFrom("*", "80"),
  expect: fc.constantFrom("reachable", "unreachable"),
  layer: fc.constant("network"),
});

describe("ASG sides match their members' addresses, wherever the rule is evaluated (appliances included)", () => {
  test("the verdict is the same with every ASG written as its members' static addresses", () => {
    let compared = 0;
    fc.assert(
      fc.property(fc.oneof(topoGen, applianceTopoGen, applianceTopoGen), fc.oneof(intentGen, applianceIntentGen), (g, raw) => {
        const topo = build(g);
        const rewritten = asgsAsPrefixes(topo);
        const intent = intentOf(raw);
        // The selector {asg: ...} selects by membership, which the rewrite keeps; only the rules change.
        if (!intent || !rewritten) return;
        compared++;
        const a = verifyReach(engineEnv(topo, EMPTY_CATALOG), intent, { universe: UNIVERSE });
        const b = verifyReach(engineEnv(rewritten, EMPTY_CATALOG), intent, { universe: UNIVERSE });
        expect({ intent: raw, verdict: a.verdict }).toEqual({ intent: raw, verdict: b.verdict });
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300), seed: Number(process.env.FC_SEED ?? 20260101) },
    );
    expect(compared).toBeGreaterThan(50);
  });
});

function protocolNumber(name: string): number {
  const known: Record<string, number> = { TCP: 6, UDP: 17, ICMP: 1, ESP: 50, AH: 51 };
  return known[name] ?? Number(name.replace(/^PROTO-/, ""));
}
