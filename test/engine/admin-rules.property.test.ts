/**
 * Security admin rules + NSGs at one NIC against a brute-force oracle written from the documentation alone
 * (https://learn.microsoft.com/azure/virtual-network-manager/concept-security-admins): admin rules first, by
 * priority, first match; Deny stops, AlwaysAllow accepts without the NSGs, Allow or no match hands the flow to the
 * NSGs; inbound the subnet's NSG then the NIC's, each first match, both must allow. The oracle enumerates every
 * possible world of the values left unknown (an admin rule's access: Allow, Deny or AlwaysAllow; an NSG rule's:
 * Allow or Deny) and answers Indeterminate only when the worlds disagree. The engine (compileRule + firstMatch,
 * CONCRETE and SYMBOLIC) must give the same answer for every random flow.
 */
import fc from "fast-check";
import { CONCRETE, SYMBOLIC } from "../../src/engine/first-match";
import { engineEnv, evaluateNicChain } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import type { AdminAccess, Direction, Topology } from "../../src/model/topology";
import { unknown, type Maybe } from "../../src/model/unknown";
import type { Flow } from "../../src/sets/flow";
import { FlowSet } from "../../src/sets/flow-set";
import { IpSet } from "../../src/sets/ip-set";
import { PortSet } from "../../src/sets/port-set";
import { ModelBuilder, type RuleSpec } from "../helpers/model-builder";
import { withAvnm, type AdminRuleSpec } from "./avnm-model";

const PREFIXES = ["*", "10.1.1.0/24", "10.1.1.4", "203.0.113.0/24", "198.51.100.7", "0.0.0.0/1"];
const PORTS = ["*", "22", "80", "20-25", "22,3389"];
const PROTOCOLS = ["Tcp", "Udp", "*"] as const;
const PROTO_NUMBER: Record<string, number> = { Tcp: 6, Udp: 17 };

interface Gen {
  readonly src: string;
  readonly dst: string;
  readonly dport: string;
  readonly protocol: (typeof PROTOCOLS)[number];
}

interface AdminGen extends Gen {
  readonly access: AdminAccess | "?";
}

interface NsgGen extends Gen {
  readonly access: "Allow" | "Deny" | "?";
}

const gen = {
  src: fc.constantFrom(...PREFIXES),
  dst: fc.constantFrom(...PREFIXES),
  dport: fc.constantFrom(...PORTS),
  protocol: fc.constantFrom(...PROTOCOLS),
};
const adminGen: fc.Arbitrary<AdminGen> = fc.record({ ...gen, access: fc.constantFrom<AdminGen["access"]>("Allow", "Deny", "AlwaysAllow", "Deny", "AlwaysAllow", "?") });
const nsgGen: fc.Arbitrary<NsgGen> = fc.record({ ...gen, access: fc.constantFrom<NsgGen["access"]>("Allow", "Deny", "?") });

interface Case {
  readonly admin: AdminGen[];
  readonly subnetNsg: NsgGen[] | null;
  readonly nicNsg: NsgGen[] | null;
  readonly direction: Direction;
}

const caseGen: fc.Arbitrary<Case> = fc.record({
  admin: fc.array(adminGen, { maxLength: 4 }),
  subnetNsg: fc.option(fc.array(nsgGen, { minLength: 1, maxLength: 3 }), { nil: null }),
  nicNsg: fc.option(fc.array(nsgGen, { minLength: 1, maxLength: 3 }), { nil: null }),
  direction: fc.constantFrom<Direction>("Inbound", "Outbound"),
});

const flowGen: fc.Arbitrary<{ remote: string; port: number; protocol: number }> = fc.record({
  remote: fc.constantFrom("203.0.113.9", "198.51.100.7", "10.1.1.5", "8.8.8.8", "200.1.2.3"),
  port: fc.constantFrom(22, 80, 21, 3389, 443),
  protocol: fc.constantFrom(6, 17, 1),
});

// ---- the model ----

const nsgRules = (name: string, rules: NsgGen[], direction: Direction): RuleSpec[] => [
  ...rules.map((r, i): RuleSpec => ({
    name: `${name}-r${i}`,
    priority: 100 + i,
    direction,
    access: r.access === "?" ? unknown(`.securityRules[${name}-r${i}].access`, name) : r.access,
    protocol: r.protocol,
    src: r.src,
    dst: r.dst,
    dport: r.dport,
  })),
  // A catch-all custom rule: the oracle never needs Azure's default rules.
  { name: `${name}-last`, priority: 4000, direction, access: "Deny", protocol: "*", src: "*", dst: "*" },
];

function build(c: Case): Topology {
  const b = new ModelBuilder().vnet("spoke", ["10.1.0.0/16"]);
  if (c.subnetNsg) b.nsg("subnet-nsg", nsgRules("subnet-nsg", c.subnetNsg, c.direction));
  if (c.nicNsg) b.nsg("nic-nsg", nsgRules("nic-nsg", c.nicNsg, c.direction));
  b.subnet("app", "spoke", "10.1.1.0/24", { nsg: c.subnetNsg ? "subnet-nsg" : null });
  b.nic("vm-nic", "app", "10.1.1.4", { nsg: c.nicNsg ? "nic-nsg" : null });
  const admin: AdminRuleSpec[] = c.admin.map((r, i) => ({
    name: `a${i}`,
    priority: 10 + i,
    direction: c.direction,
    access: (r.access === "?" ? unknown(`.access`, `a${i}`) : r.access) as Maybe<AdminAccess>,
    protocol: r.protocol,
    src: [r.src],
    dst: [r.dst],
    dport: r.dport,
  }));
  return withAvnm(b.build(), { members: ["spoke"], rules: admin });
}

// ---- the oracle: plain matching, every world of the unknown accesses ----

function matches(r: Gen, f: Flow): boolean {
  const side = (text: string, ip: string): boolean => text === "*" || IpSet.fromCidr(text.includes("/") ? text : `${text}/32`).contains(ip);
  if (!side(r.src, f.src) || !side(r.dst, f.dst)) return false;
  if (r.protocol !== "*" && PROTO_NUMBER[r.protocol] !== f.protocol) return false;
  if (r.dport === "*") return true;
  // Ports exist for TCP and UDP only: a rule restricted to ports matches no other protocol.
  if (f.protocol !== 6 && f.protocol !== 17) return false;
  const ports = PortSet.parse(r.dport);
  return ports.ok && ports.set.contains(f.dstPort);
}

type World = { admin: AdminAccess[]; subnet: ("Allow" | "Deny")[]; nic: ("Allow" | "Deny")[] };

function worlds(c: Case): World[] {
  const choices = <T,>(list: readonly (T | "?")[], all: readonly T[]): T[][] =>
    list.reduce<T[][]>((acc, v) => acc.flatMap((w) => (v === "?" ? all : [v as T]).map((x) => [...w, x])), [[]]);
  const out: World[] = [];
  for (const admin of choices(c.admin.map((r) => r.access), ["Allow", "Deny", "AlwaysAllow"] as const)) {
    for (const subnet of choices((c.subnetNsg ?? []).map((r) => r.access), ["Allow", "Deny"] as const)) {
      for (const nic of choices((c.nicNsg ?? []).map((r) => r.access), ["Allow", "Deny"] as const)) out.push({ admin, subnet, nic });
    }
  }
  return out;
}

function nsgVerdict(rules: NsgGen[], accesses: ("Allow" | "Deny")[], f: Flow): "Allow" | "Deny" {
  const i = rules.findIndex((r) => matches(r, f));
  return i < 0 ? "Deny" : accesses[i];
}

function oracleIn(c: Case, w: World, f: Flow): "Allow" | "Deny" {
  const a = c.admin.findIndex((r) => matches(r, f));
  if (a >= 0 && w.admin[a] === "Deny") return "Deny";
  if (a >= 0 && w.admin[a] === "AlwaysAllow") return "Allow";
  // Inbound: the subnet's NSG, then the NIC's; outbound the other way round. Both must allow.
  const layers: Array<[NsgGen[], ("Allow" | "Deny")[]]> = [];
  if (c.subnetNsg) layers.push([c.subnetNsg, w.subnet]);
  if (c.nicNsg) layers.push([c.nicNsg, w.nic]);
  if (c.direction === "Outbound") layers.reverse();
  for (const [rules, acc] of layers) if (nsgVerdict(rules, acc, f) === "Deny") return "Deny";
  return "Allow";
}

function oracle(c: Case, f: Flow): "Allow" | "Deny" | "Indeterminate" {
  const answers = new Set(worlds(c).map((w) => oracleIn(c, w, f)));
  return answers.size === 1 ? [...answers][0] : "Indeterminate";
}

const LOCAL = "10.1.1.4";

describe("admin rules and NSGs at a NIC, against a brute force over every possible world", () => {
  test("CONCRETE and SYMBOLIC evaluation equal the oracle", () => {
    let decidedByAdmin = 0;
    fc.assert(
      fc.property(caseGen, fc.array(flowGen, { minLength: 1, maxLength: 6 }), (c, flows) => {
        const topo = build(c);
        const env = engineEnv(topo, EMPTY_CATALOG);
        const nic = topo.nics.get("vm-nic");
        if (!nic) throw new Error("no nic");
        const everything = FlowSet.all();
        const sym = evaluateNicChain(SYMBOLIC, env, nic, c.direction, everything);
        for (const g of flows) {
          const f: Flow =
            c.direction === "Inbound"
              ? { src: g.remote, dst: LOCAL, protocol: g.protocol, srcPort: 50000, dstPort: g.port }
              : { src: LOCAL, dst: g.remote, protocol: g.protocol, srcPort: 50000, dstPort: g.port };
          const expected = oracle(c, f);
          const chain = evaluateNicChain(CONCRETE, env, nic, c.direction, f);
          const concrete = chain.allowed !== undefined ? "Allow" : chain.denied !== undefined ? "Deny" : "Indeterminate";
          const symbolic = sym.allowed.contains(f) ? "Allow" : sym.denied.contains(f) ? "Deny" : sym.unknown.contains(f) ? "Indeterminate" : "lost";
          expect({ c, f, concrete, symbolic }).toEqual({ c, f, concrete: expected, symbolic: expected });
          const d = chain.admin?.decisions[0];
          if (d && (d.outcome === "Deny" || d.outcome === "AlwaysAllow")) decidedByAdmin++;
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 400), seed: Number(process.env.FC_SEED ?? 20261202) },
    );
    // Not vacuous: the admin rules decide a good share of the flows.
    expect(decidedByAdmin).toBeGreaterThan(50);
  });
});
