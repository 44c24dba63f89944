import fc from "fast-check";
import { tagContextForSubnet } from "../../src/engine/address-context";
import { CANNOT_TELL, CONCRETE, firstMatch, SYMBOLIC, type Decision, type RuleHead } from "../../src/engine/first-match";
import { evaluatedRules } from "../../src/engine/nsg";
import { inBounds, matchPoint, matchProgram, pointProgram, pointRule, TCP_BIT, UDP_BIT, v4Bounds, type FlowPoint, type PointQuery } from "../../src/engine/point-match";
import { compileRule, orderedRules, ruleDisplayName, ruleShape, type RuleContext } from "../../src/engine/rules";
import { FlowSet } from "../../src/sets/flow-set";
import { PortSet } from "../../src/sets/port-set";
import { parseServiceTags } from "../../src/resources/service-tags-file";
import type { Direction, Nic, Nsg, SecurityRule, Subnet } from "../../src/model/topology";
import { unknown } from "../../src/model/unknown";
import type { Flow } from "../../src/sets/flow";
import { IntervalSet } from "../../src/sets/interval-set";
import { addressValue } from "../../src/sets/ip";
import { IpSet } from "../../src/sets/ip-set";
import { ProtocolSet, Tcp, Udp } from "../../src/sets/protocol-set";
import { ModelBuilder, rule, type RuleSpec } from "../helpers/model-builder";

describe("inBounds", () => {
  test("agrees with IntervalSet.contains", () => {
    const interval = fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 50 })).map(([lo, len]) => [BigInt(lo), BigInt(lo + len)] as const);
    fc.assert(
      fc.property(fc.array(interval, { maxLength: 8 }), fc.integer({ min: -5, max: 1100 }), (list, x) => {
        const set = IntervalSet.fromIntervals(list);
        expect(inBounds(v4Bounds(IpSet.fromIntervals(4, set)), x)).toBe(x >= 0 && set.contains(BigInt(x)));
      }),
      { numRuns: 1000 },
    );
  });

  test("whole IPv4 range, as numbers", () => {
    const b = v4Bounds(IpSet.fromCidr("0.0.0.0/0"));
    expect(inBounds(b, 0)).toBe(true);
    expect(inBounds(b, 0xffffffff)).toBe(true);
    expect(inBounds(v4Bounds(IpSet.fromCidr("255.255.255.0/24")), 0xffffff00)).toBe(true);
    expect(inBounds(v4Bounds(IpSet.empty()), 0)).toBe(false);
  });
});

// ---- matchPoint against the general evaluator (compileRule + firstMatch over one concrete flow).

const catalog = (() => {
  const parsed = parseServiceTags({ values: [{ name: "Storage", id: "Storage", properties: { addressPrefixes: ["52.239.0.0/17"] } }] }, "tags.json");
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.catalog;
})();

const topo = new ModelBuilder()
  .vnet("vnet", ["10.0.0.0/16", "fd00::/48"])
  .subnet("s", "vnet", "10.0.1.0/24")
  .asg("a1")
  .asg("a2")
  .nic("none", "s", "10.0.1.4", { asgs: [] })
  .nic("one", "s", "10.0.1.5", { asgs: ["a1"] })
  .nic("both", "s", "10.0.1.6", { asgs: ["a1", "a2"] })
  .nic("dyn", "s", undefined, { asgs: ["a2"] })
  .build();
const tagContext = tagContextForSubnet(topo, topo.subnets.get("s") as Subnet);
const u = (what: string): ReturnType<typeof unknown> => unknown(`.${what}`, "urn:test", "test unknown");

const ADDRESS_TEXTS = ["*", "10.0.1.0/24", "10.0.1.5", "10.1.0.0/16", "203.0.113.0/24", "VirtualNetwork", "Internet", "AzureLoadBalancer", "Storage", "Missing.Tag", "fd00::/64"];
const PORT_TEXTS = ["*", "80", "1000-2000", "22,443", "0-1023"];
const rarely = fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });

const specArb = (i: number): fc.Arbitrary<SecurityRule> =>
  fc
    .record({
      direction: fc.constantFrom<Direction>("Inbound", "Outbound"),
      access: fc.constantFrom<"Allow" | "Deny">("Allow", "Deny"),
      protocol: fc.constantFrom("Tcp", "Udp", "*", "Icmp"),
      src: fc.array(fc.constantFrom(...ADDRESS_TEXTS), { minLength: 1, maxLength: 2 }),
      dst: fc.array(fc.constantFrom(...ADDRESS_TEXTS), { minLength: 1, maxLength: 2 }),
      srcAsgs: fc.option(fc.array(fc.constantFrom("a1", "a2"), { minLength: 1, maxLength: 2 }), { freq: 4 }),
      dstAsgs: fc.option(fc.array(fc.constantFrom("a1", "a2"), { minLength: 1, maxLength: 2 }), { freq: 4 }),
      sport: fc.constantFrom("*", "*", ...PORT_TEXTS),
      dport: fc.constantFrom(...PORT_TEXTS),
      unknowns: fc.array(rarely, { minLength: 9, maxLength: 9 }),
    })
    .map((g) => {
      const spec: RuleSpec = {
        name: `r${i}`,
        priority: 100 + i,
        direction: g.direction,
        access: g.access,
        protocol: g.protocol,
        src: g.src,
        dst: g.dst,
        ...(g.srcAsgs ? { srcAsgs: g.srcAsgs } : {}),
        ...(g.dstAsgs ? { dstAsgs: g.dstAsgs } : {}),
        sport: g.sport,
        dport: g.dport,
      };
      const r = rule("nsg", spec);
      const k = g.unknowns;
      return {
        ...r,
        ...(k[0] ? { priority: u("priority") } : {}),
        ...(k[1] ? { direction: u("direction") } : {}),
        ...(k[2] ? { access: u("access") } : {}),
        ...(k[3] ? { protocol: u("protocol") } : {}),
        ...(k[4] ? { sourcePorts: u("sourcePortRange") } : {}),
        ...(k[5] ? { destinationPorts: u("destinationPortRange") } : {}),
        ...(k[6] ? { sources: u("sourceAddressPrefix") } : {}),
        ...(k[7] ? { destinations: u("destinationAddressPrefix") } : {}),
        ...(k[8] ? { sources: [{ kind: "asg" as const, text: "?", asgKey: u("asg") }] } : {}),
      };
    });

// Mostly short lists; sometimes more than 32 rules, so the index's masks take several words.
const rulesArb = fc
  .oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 8 }) }, { weight: 1, arbitrary: fc.integer({ min: 30, max: 70 }) })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => specArb(i))));

const ADDRESSES = ["10.0.1.4", "10.0.1.5", "10.0.1.6", "10.0.1.77", "10.1.2.3", "203.0.113.9", "52.239.1.1", "168.63.129.16", "172.16.0.1", "fd00::4", "2001:db8::1"];

function point(flow: Flow, direction: Direction): FlowPoint {
  const [localText, remoteText] = direction === "Inbound" ? [flow.dst, flow.src] : [flow.src, flow.dst];
  const [localPort, remotePort] = direction === "Inbound" ? [flow.dstPort, flow.srcPort] : [flow.srcPort, flow.dstPort];
  const local = addressValue(localText);
  const remote = addressValue(remoteText);
  if (!local || !remote) throw new Error("bad test address");
  return {
    protocolBit: flow.protocol === Tcp ? TCP_BIT : UDP_BIT,
    localPort,
    remotePort,
    local4: local.family === 4 ? Number(local.value) : -1,
    remote4: remote.family === 4 ? Number(remote.value) : -1,
    local6: local.family === 6 ? local.value : 0n,
    remote6: remote.family === 6 ? remote.value : 0n,
  };
}

/** A decision as text: what IP flow verify reads of it (outcome, rule, doubt, possible accesses, causes). */
function decisionText<R extends RuleHead<string>>(d: Decision<unknown, R>): string {
  return JSON.stringify({ outcome: d.outcome, rule: d.rule.ruleName, doubtful: d.doubtful.map((r) => r.ruleName), possible: d.possible ?? null, causes: d.outcome === "Unknown" ? null : d.causes });
}

/** One concrete flow as a set of flows (a cube of single values). */
function flowAsSet(f: Flow): FlowSet {
  return FlowSet.cube({ src: IpSet.fromAddress(f.src), dst: IpSet.fromAddress(f.dst), protocols: ProtocolSet.of(f.protocol), srcPorts: PortSet.of(f.srcPort), dstPorts: PortSet.of(f.dstPort) });
}

/**
 * The general evaluator over one concrete flow (rules compiled for these ends, first match over the concrete space),
 * checked against the symbolic evaluator over the same flow as a set: the one first-match semantics, both loops.
 */
function generalDecision(list: readonly SecurityRule[], ctx: RuleContext, flow: Flow): string {
  const compiled = list.map((r) => compileRule(r, ctx));
  let decisions: Decision<Flow | undefined>[];
  try {
    decisions = firstMatch(CONCRETE, compiled, flow);
  } catch {
    expect(() => firstMatch(SYMBOLIC, compiled, flowAsSet(flow))).toThrow();
    return "no catch-all";
  }
  expect(decisions).toHaveLength(1);
  const symbolic = firstMatch(SYMBOLIC, compiled, flowAsSet(flow));
  expect(symbolic).toHaveLength(1);
  expect(decisionText(symbolic[0])).toBe(decisionText(decisions[0]));
  return decisionText(decisions[0]);
}

/** The point program's decision: the shapes of the list at the place, read point-wise, ASG sides left to the NICs. */
function pointDecision(list: readonly SecurityRule[], direction: Direction, q: PointQuery): string {
  const programs = list.map((r) => pointRule(ruleShape(r, { topo, tags: catalog, tagContext }, ruleDisplayName(r)), direction, topo));
  const d = matchPoint(programs, q);
  // The indexed program (the fast path's) decides as the plain one does.
  const indexed = matchProgram(pointProgram(programs), q);
  expect(indexed === CANNOT_TELL || indexed === undefined ? indexed : decisionText(indexed)).toBe(d === CANNOT_TELL || d === undefined ? d : decisionText(d));
  if (d === CANNOT_TELL) return "cannot tell";
  return d === undefined ? "no catch-all" : decisionText(d);
}

describe("matchPoint", () => {
  test("decides every flow as the general evaluator (concrete and symbolic) does: rule, outcome, doubt", () => {
    const nics = [...topo.nics.values()];
    fc.assert(
      fc.property(
        rulesArb,
        fc.constantFrom<Direction>("Inbound", "Outbound"),
        fc.record({
          local: fc.constantFrom(...nics),
          remote: fc.option(fc.constantFrom(...nics)),
          protocol: fc.constantFrom(Tcp, Udp),
          localIp: fc.constantFrom(...ADDRESSES),
          remoteIp: fc.constantFrom(...ADDRESSES),
          localPort: fc.constantFrom(80, 443, 22, 1500, 0, 65535, 50000),
          remotePort: fc.constantFrom(80, 443, 22, 1500, 0, 65535, 50000),
        }),
        fc.boolean(),
        (rules, direction, q, withDefaults) => {
          const nsg: Nsg = { key: "nsg", urn: "urn:nsg", logicalName: "nsg", azureName: "nsg", id: "nsg", rules, defaultRules: [], tags: {} };
          // With the defaults (as Azure evaluates) or without (a list that may end with no rule matching).
          const list = withDefaults ? evaluatedRules(nsg, direction) : orderedRules(nsg, direction);
          const remote: Nic | undefined = q.remote ?? undefined;
          const flow: Flow =
            direction === "Inbound"
              ? { src: q.remoteIp, dst: q.localIp, protocol: q.protocol, srcPort: q.remotePort, dstPort: q.localPort }
              : { src: q.localIp, dst: q.remoteIp, protocol: q.protocol, srcPort: q.localPort, dstPort: q.remotePort };
          const ctx: RuleContext = { topo, tags: catalog, tagContext, direction, local: q.local, remote };
          // Every test NIC has one configuration: ASG memberships are all or nothing, so the program always tells.
          expect(pointDecision(list, direction, { ...point(flow, direction), local: q.local, remote })).toBe(generalDecision(list, ctx, flow));
        },
      ),
      { numRuns: 3000 },
    );
  });

  test("a NIC with per-configuration ASG membership: the program cannot tell (the general path decides)", () => {
    const nic = topo.nics.get("one") as Nic;
    const split: Nic = { ...nic, ipConfigurations: [...nic.ipConfigurations, { ...nic.ipConfigurations[0], name: "second", primary: false, asgKeys: [] }] };
    const r = rule("nsg", { name: "web", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", dport: "443", dstAsgs: ["a1"] });
    const flow: Flow = { src: "203.0.113.9", dst: "10.0.1.5", protocol: Tcp, srcPort: 50000, dstPort: 443 };
    expect(pointDecision([r], "Inbound", { ...point(flow, "Inbound"), local: split, remote: undefined })).toBe("cannot tell");
    expect(JSON.parse(pointDecision([r], "Inbound", { ...point(flow, "Inbound"), local: nic, remote: undefined })).rule).toBe("securityRules/web");
  });

  test("names the rule and its access as IP flow verify does", () => {
    const r = rule("nsg", { name: "allow-web", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", dport: "443" });
    const nic = topo.nics.get("none") as Nic;
    const flow: Flow = { src: "203.0.113.9", dst: "10.0.1.4", protocol: Tcp, srcPort: 50000, dstPort: 443 };
    expect(JSON.parse(pointDecision([r], "Inbound", { ...point(flow, "Inbound"), local: nic, remote: undefined }))).toMatchObject({ outcome: "Allow", rule: "securityRules/allow-web" });
    // No catch-all after it: a flow it does not match gets no decision (the general path reports the list).
    expect(pointDecision([r], "Inbound", { ...point({ ...flow, dstPort: 80 }, "Inbound"), local: nic, remote: undefined })).toBe("no catch-all");
  });
});
