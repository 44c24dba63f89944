import fc from "fast-check";
import { fastIpFlowVerify } from "../../src/engine/ip-flow-verify-fast";
import { generalIpFlowVerify, ipFlowVerify, type IpFlowVerifyRequest } from "../../src/engine/ip-flow-verify";
import { engineEnv, type EngineEnv } from "../../src/engine/nsg";
import { type ServiceTagCatalog } from "../../src/azure/service-tags";
import { parseServiceTags } from "../../src/resources/service-tags-file";
import type { AddressSpec, Direction, IpConfiguration, Nic, Nsg, SecurityRule, Topology } from "../../src/model/topology";
import { unknown, type Maybe } from "../../src/model/unknown";
import { ModelBuilder, type RuleSpec } from "../helpers/model-builder";
import { withAvnm, type AdminRuleSpec, type AvnmSpec } from "./avnm-model";

const CATALOG: ServiceTagCatalog = (() => {
  const parsed = parseServiceTags({ values: [{ name: "Storage", id: "Storage", properties: { addressPrefixes: ["52.239.0.0/17", "20.38.0.0/20"] } }] }, "tags.json");
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.catalog;
})();

const u = (what: string): ReturnType<typeof unknown> => unknown(`.${what}`, "urn:test", "test unknown");

/**
 * The whole decision as text: the fast path must give the general path's decision byte for byte (the answer is built
 * from it in one place, src/answers/ip-flow-verify.ts, so the answers agree too).
 */
function answer(run: () => unknown): string {
  try {
    return JSON.stringify(run());
  } catch (e) {
    return `threw ${(e as Error).message}`;
  }
}

function request(topo: Topology, nic: string, direction: Direction, protocol: "TCP" | "UDP", local: string, remote: string): IpFlowVerifyRequest {
  const [localIp, localPort] = local.split(/:(?=\d+$)/);
  const [remoteIp, remotePort] = remote.split(/:(?=\d+$)/);
  const n = topo.nics.get(nic);
  if (!n) throw new Error(`no nic ${nic}`);
  return { nic: n, direction, protocol, localIp, localPort: Number(localPort), remoteIp, remotePort: Number(remotePort) };
}

/** Fast and general answers for one request (fresh environments: the caches must not matter either). */
function both(topo: Topology, req: IpFlowVerifyRequest, tags: ServiceTagCatalog = CATALOG): { fast: string; general: string; viaFast: boolean } {
  const env = engineEnv(topo, tags);
  return {
    fast: answer(() => ipFlowVerify(env, req)),
    general: answer(() => generalIpFlowVerify(engineEnv(topo, tags), req)),
    viaFast: fastIpFlowVerify(env, req) !== undefined,
  };
}

describe("fast IP flow verify: examples", () => {
  const web: RuleSpec = { name: "allow-web", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", dport: "80,443", dstAsgs: ["web"] };
  const ssh: RuleSpec = { name: "deny-ssh-internet", priority: 110, direction: "Inbound", access: "Deny", protocol: "Tcp", src: "Internet", dport: "22" };
  const topo = new ModelBuilder()
    .vnet("vnet", ["10.0.0.0/16", "fd00::/48"])
    .subnet("app", "vnet", "10.0.1.0/24", { nsg: "subnet-nsg" })
    .nsg("subnet-nsg", [web, ssh])
    .nsg("nic-nsg", [{ name: "deny-udp", priority: 100, direction: "Outbound", access: "Deny", protocol: "Udp", dst: "Internet" }])
    .asg("web")
    .nic("web1", "app", "10.0.1.4", { asgs: ["web"], nsg: "nic-nsg" })
    .nic("web2", "app", "10.0.1.6", { asgs: ["web"] })
    .nic("db1", "app", "10.0.1.5")
    .nic("v6", "app", "fd00::5")
    .nic("dyn", "app", undefined)
    .build();

  test.each([
    ["ASG member, port 443", "web2", "Inbound", "TCP", "10.0.1.6:443", "203.0.113.9:50000", "Allow", "securityRules/allow-web"],
    ["the NIC's NSG denies after the subnet's allows", "web1", "Inbound", "TCP", "10.0.1.4:443", "203.0.113.9:50000", "Deny", "defaultSecurityRules/DenyAllInBound"],
    ["not an ASG member", "db1", "Inbound", "TCP", "10.0.1.5:443", "203.0.113.9:50000", "Deny", "defaultSecurityRules/DenyAllInBound"],
    ["service tag rule", "db1", "Inbound", "TCP", "10.0.1.5:22", "203.0.113.9:50000", "Deny", "securityRules/deny-ssh-internet"],
    ["NIC NSG first outbound", "web1", "Outbound", "UDP", "10.0.1.4:50000", "203.0.113.9:53", "Deny", "securityRules/deny-udp"],
    ["both NSGs allow", "web1", "Outbound", "TCP", "10.0.1.4:50000", "203.0.113.9:443", "Allow", "defaultSecurityRules/AllowInternetOutBound"],
    ["IPv6 endpoints", "v6", "Inbound", "TCP", "fd00::5:80", "fd00::9:50000", "Allow", "defaultSecurityRules/AllowVnetInBound"],
    ["a dynamic NIC, an address of its subnet", "dyn", "Inbound", "TCP", "10.0.1.77:80", "10.0.1.4:50000", "Allow", "defaultSecurityRules/AllowVnetInBound"],
  ] as const)("%s: the fast path answers, as the general path does", (_name, nic, direction, protocol, local, remote, access, ruleName) => {
    const req = request(topo, nic, direction, protocol, local, remote);
    const r = both(topo, req);
    expect(r.viaFast).toBe(true);
    expect(r.fast).toBe(r.general);
    const out = JSON.parse(r.fast) as { ok: boolean; decision: { outcome: string; decidingRule: string } };
    expect(out.decision.outcome).toBe(access);
    expect(out.decision.decidingRule).toBe(ruleName);
  });

  test("no NSG at all: the fast path answers with the note", () => {
    const bare = new ModelBuilder().vnet("vnet", ["10.0.0.0/16"]).subnet("s", "vnet", "10.0.0.0/24").nic("n", "s", "10.0.0.4").build();
    const r = both(bare, request(bare, "n", "Inbound", "TCP", "10.0.0.4:22", "203.0.113.9:50000"));
    expect(r.viaFast).toBe(true);
    expect(r.fast).toBe(r.general);
    expect(r.fast).toContain("no network security group applies");
  });

  test.each([
    ["an address that is not the NIC's", "db1", "Inbound", "TCP", "10.0.1.99:80", "203.0.113.9:50000"],
    ["a malformed remote address", "db1", "Inbound", "TCP", "10.0.1.5:80", "203.0.113.09:50000"],
    ["a port out of range", "db1", "Inbound", "TCP", "10.0.1.5:70000", "203.0.113.9:50000"],
  ] as const)("%s: left to the general path", (_name, nic, direction, protocol, local, remote) => {
    const req = request(topo, nic, direction, protocol, local, remote);
    const r = both(topo, req);
    expect(r.viaFast).toBe(false);
    expect(r.fast).toBe(r.general);
  });

  test("a NIC object that is not the plan's (a stand-in) is left to the general path", () => {
    const nic = topo.nics.get("db1") as Nic;
    const req = { ...request(topo, "db1", "Inbound", "TCP", "10.0.1.5:80", "203.0.113.9:50000"), nic: { ...nic } };
    const r = both(topo, req);
    expect(r.viaFast).toBe(false);
    expect(r.fast).toBe(r.general);
  });

  test("a value unknown at preview that decides: left to the general path, which says Indeterminate", () => {
    const t = new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .subnet("s", "vnet", "10.0.0.0/24", { nsg: "nsg" })
      .nsg("nsg", [{ name: "maybe", priority: 100, direction: "Inbound", access: u("access"), protocol: "Tcp", dport: "80" }])
      .nic("n", "s", "10.0.0.4")
      .build();
    const decided = both(t, request(t, "n", "Inbound", "TCP", "10.0.0.4:80", "203.0.113.9:50000"));
    expect(decided.viaFast).toBe(false);
    expect(decided.fast).toBe(decided.general);
    expect(decided.fast).toContain('"outcome":"Unknown"');
    // The same unknown does not matter to a flow the rule cannot match: the fast path answers.
    const other = both(t, request(t, "n", "Inbound", "TCP", "10.0.0.4:443", "203.0.113.9:50000"));
    expect(other.viaFast).toBe(true);
    expect(other.fast).toBe(other.general);
  });

  test("an ASG rule whose other side is unknown: one answer per query, whatever was asked before", () => {
    // The rule cannot match a source outside the ASG, whatever its unknown destination turns out to be.
    const t = new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .subnet("s", "vnet", "10.0.0.0/24", { nsg: "nsg" })
      .nsg("nsg", [{ name: "deny-a1", priority: 100, direction: "Inbound", access: "Deny", protocol: "Tcp", srcAsgs: ["a1"], dst: u("destinationAddressPrefix") }])
      .asg("a1")
      .nic("n", "s", "10.0.0.4")
      .nic("member", "s", "10.0.0.6", { asgs: ["a1"] })
      .nic("other", "s", "10.0.0.5")
      .build();
    const fromOther = request(t, "n", "Inbound", "TCP", "10.0.0.4:80", "10.0.0.5:50000");
    const fresh = answer(() => generalIpFlowVerify(engineEnv(t, CATALOG), fromOther));
    expect(fresh).toContain('"outcome":"Allow"');
    const env = engineEnv(t, CATALOG);
    expect(answer(() => generalIpFlowVerify(env, request(t, "n", "Inbound", "TCP", "10.0.0.4:80", "10.0.0.6:50000")))).toContain('"outcome":"Unknown"');
    expect(answer(() => generalIpFlowVerify(env, fromOther))).toBe(fresh);
    expect(answer(() => ipFlowVerify(env, fromOther))).toBe(fresh);
  });

  describe("security admin rules of the NIC's VNet, read from the same compiled rules", () => {
    const base = new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .subnet("s", "vnet", "10.0.0.0/24", { nsg: "nsg" })
      .nsg("nsg", [{ name: "allow-web", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", dport: "443" }])
      .nic("n", "s", "10.0.0.4")
      .build();
    const t = withAvnm(base, {
      members: ["vnet"],
      rules: [
        { name: "jump-ssh", priority: 90, direction: "Inbound", access: "AlwaysAllow", protocol: "Tcp", src: ["10.0.9.0/24"], dport: "22" },
        { name: "no-ssh", priority: 100, direction: "Inbound", access: "Deny", protocol: "Tcp", dport: "22,3389" },
        { name: "web", priority: 200, direction: "Inbound", access: "Allow", protocol: "Tcp", dport: "443" },
        { name: "maybe", priority: u("priority"), direction: "Inbound", access: "Deny", protocol: "Tcp", dport: "8080" },
      ],
    });
    test.each([
      ["AlwaysAllow decides without the NSGs", "10.0.9.5:50000", 22, "Allow", "securityAdminRules/cfg/coll/jump-ssh", true],
      ["Deny decides without the NSGs", "203.0.113.9:50000", 3389, "Deny", "securityAdminRules/cfg/coll/no-ssh", true],
      ["Allow hands the flow to the NSGs", "203.0.113.9:50000", 443, "Allow", "securityRules/allow-web", true],
      ["no admin rule matches: the NSGs decide", "203.0.113.9:50000", 80, "Deny", "defaultSecurityRules/DenyAllInBound", true],
      // Maybe denied by the admin rule, else denied by the NSG: Deny, but with doubt to explain.
      ["a rule of unknown priority may match first: the general path", "203.0.113.9:50000", 8080, "Deny", "defaultSecurityRules/DenyAllInBound", false],
    ] as const)("%s", (_name, remote, port, access, ruleName, viaFast) => {
      const r = both(t, request(t, "n", "Inbound", "TCP", `10.0.0.4:${port}`, remote));
      expect(r.viaFast).toBe(viaFast);
      expect(r.fast).toBe(r.general);
      const out = JSON.parse(r.fast) as { decision: { outcome: string; decidingRule: string | null; admin?: unknown } };
      expect(out.decision.outcome).toBe(access);
      expect(out.decision.decidingRule).toBe(ruleName);
      expect(out.decision.admin).toBeDefined();
    });
  });

  test("an ASG rule seen by a NIC with mixed memberships is left to the general path", () => {
    const t = new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .subnet("s", "vnet", "10.0.0.0/24", { nsg: "nsg" })
      .nsg("nsg", [web])
      .asg("web")
      .nic("n", "s", "10.0.0.4", { asgs: ["web"] })
      .build();
    const nic = t.nics.get("n") as Nic;
    const second: IpConfiguration = { ...nic.ipConfigurations[0], name: "ipconfig2", primary: false, privateIpAddress: "10.0.0.5", asgKeys: [] };
    (t.nics as Map<string, Nic>).set("n", { ...nic, ipConfigurations: [...nic.ipConfigurations, second] });
    const r = both(t, request(t, "n", "Inbound", "TCP", "10.0.0.4:443", "203.0.113.9:50000"));
    expect(r.viaFast).toBe(false);
    expect(r.fast).toBe(r.general);
  });
});

// ---- Random estates: the fast path gives the general path's answer, whatever the rules and the unknowns.

const ADDRESS_TEXTS = ["*", "10.0.1.0/24", "10.0.1.4", "10.1.0.0/16", "203.0.113.0/24", "VirtualNetwork", "Internet", "AzureLoadBalancer", "Storage", "Missing.Tag", "fd00::/64"];
const PORT_TEXTS = ["*", "80", "1000-2000", "22,443", "53", "0-1023"];

interface RuleGen {
  readonly spec: RuleSpec;
  readonly unknownDirection: boolean;
  readonly unknownProtocol: boolean;
  readonly unknownSport: boolean;
  readonly unknownDport: boolean;
}

/** True about one time in six. */
const rarely = fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });

const maybeUnknown = <T>(arb: fc.Arbitrary<T>, what: string): fc.Arbitrary<Maybe<T>> =>
  fc.oneof({ weight: 12, arbitrary: arb }, { weight: 1, arbitrary: fc.constant(u(what)) });

const sideArb = (what: string): fc.Arbitrary<Pick<RuleSpec, "src" | "srcAsgs">> =>
  fc.oneof(
    { weight: 8, arbitrary: fc.array(fc.constantFrom(...ADDRESS_TEXTS), { minLength: 1, maxLength: 2 }).map((src) => ({ src })) },
    { weight: 3, arbitrary: fc.array(maybeUnknown(fc.constantFrom("a1", "a2"), `${what}.asg`), { minLength: 1, maxLength: 2 }).map((srcAsgs) => ({ srcAsgs })) },
    { weight: 1, arbitrary: fc.constant({ src: u(what) as Maybe<readonly AddressSpec[]> }) },
  );

const ruleArb = (i: number): fc.Arbitrary<RuleGen> =>
  fc
    .record({
      priority: maybeUnknown(fc.constantFrom(100 + 10 * i, 150, 4096), "priority"),
      direction: fc.constantFrom<Direction>("Inbound", "Outbound"),
      access: maybeUnknown(fc.constantFrom<"Allow" | "Deny">("Allow", "Deny"), "access"),
      protocol: fc.constantFrom("Tcp", "Udp", "*", "Icmp"),
      src: sideArb("source"),
      dst: sideArb("destination"),
      sport: fc.constantFrom("*", "*", "*", ...PORT_TEXTS),
      dport: fc.constantFrom(...PORT_TEXTS),
      unknown: fc.array(rarely, { minLength: 4, maxLength: 4 }),
    })
    .map((r) => ({
      spec: {
        name: `r${i}`,
        priority: r.priority,
        direction: r.direction,
        access: r.access,
        protocol: r.protocol,
        src: r.src.src,
        srcAsgs: r.src.srcAsgs,
        dst: r.dst.src,
        dstAsgs: r.dst.srcAsgs,
        sport: r.sport,
        dport: r.dport,
      },
      unknownDirection: r.unknown[0],
      unknownProtocol: r.unknown[1],
      unknownSport: r.unknown[2],
      unknownDport: r.unknown[3],
    }));

const rulesArb = fc.integer({ min: 0, max: 7 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => ruleArb(i))));

/** The value a generated rule field takes: the builder's, or an unknown where the generator asked for one. */
function withUnknowns(r: SecurityRule, g: RuleGen): SecurityRule {
  return {
    ...r,
    ...(g.unknownDirection ? { direction: u("direction") } : {}),
    ...(g.unknownProtocol ? { protocol: u("protocol") } : {}),
    ...(g.unknownSport ? { sourcePorts: u("sourcePortRange") } : {}),
    ...(g.unknownDport ? { destinationPorts: u("destinationPortRange") } : {}),
  };
}

interface NicGen {
  readonly subnet: Maybe<string>;
  readonly ip: Maybe<string | undefined>;
  readonly asgs: Maybe<readonly string[]>;
  readonly nsg: Maybe<string | null>;
  readonly secondConfig: boolean;
}

const nsgRef = maybeUnknown(fc.constantFrom<string | null>(null, null, "n1", "n2", "n3"), "networkSecurityGroup");

const nicArb: fc.Arbitrary<NicGen> = fc.record({
  subnet: maybeUnknown(fc.constantFrom("s1", "s2", "s3"), "subnet"),
  ip: maybeUnknown(fc.constantFrom<string | undefined>("10.0.1.4", "10.0.1.5", "10.0.2.4", "10.1.1.4", "fd00::4", undefined), "privateIPAddress"),
  asgs: maybeUnknown(fc.constantFrom<readonly string[]>([], ["a1"], ["a2"], ["a1", "a2"]), "applicationSecurityGroups"),
  nsg: nsgRef,
  secondConfig: rarely,
});

// Security admin rules of the VNets (test/engine/avnm-model.ts): prefixes and service tags (no ASGs), every access,
// unknown priorities and accesses, members and commits that are unknown at preview, sometimes no commit at all.
const ADMIN_ADDRESS_TEXTS = ["*", "10.0.1.0/24", "10.0.1.4", "10.1.0.0/16", "203.0.113.0/24", "VirtualNetwork", "Internet", "Storage", "Missing.Tag", "fd00::/64"];

const adminRuleArb = (i: number): fc.Arbitrary<AdminRuleSpec> =>
  fc.record({
    name: fc.constant(`admin${i}`),
    priority: maybeUnknown(fc.constantFrom(50 + 10 * i, 100, 4096), "adminPriority"),
    direction: fc.constantFrom<Direction>("Inbound", "Outbound"),
    access: maybeUnknown(fc.constantFrom<"Allow" | "Deny" | "AlwaysAllow">("Allow", "Deny", "AlwaysAllow"), "adminAccess"),
    protocol: fc.constantFrom("Tcp", "Udp", "*", "Icmp"),
    src: fc.array(fc.constantFrom(...ADMIN_ADDRESS_TEXTS), { minLength: 1, maxLength: 2 }),
    dst: fc.array(fc.constantFrom(...ADMIN_ADDRESS_TEXTS), { minLength: 1, maxLength: 2 }),
    sport: fc.constantFrom("*", "*", "*", ...PORT_TEXTS),
    dport: fc.constantFrom(...PORT_TEXTS),
  });

const avnmArb: fc.Arbitrary<AvnmSpec> = fc.record({
  members: fc.array(maybeUnknown(fc.constantFrom("hub", "spoke"), "staticMember"), { minLength: 1, maxLength: 2 }),
  rules: fc.integer({ min: 0, max: 5 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => adminRuleArb(i)))),
  commitTo: fc.oneof(
    { weight: 8, arbitrary: fc.constant<readonly string[]>(["westeurope"]) },
    { weight: 1, arbitrary: fc.constant<readonly string[]>(["northeurope"]) },
    { weight: 1, arbitrary: fc.constant(u("targetLocations")) },
    { weight: 1, arbitrary: fc.constant(null) },
  ),
});

const estateArb = fc.record({
  avnm: fc.option(avnmArb, { nil: undefined }),
  subnetNsgs: fc.tuple(nsgRef, nsgRef, nsgRef),
  routeTable: fc.boolean(),
  peering: maybeUnknown(fc.boolean(), "allowVirtualNetworkAccess"),
  nsgRules: fc.tuple(rulesArb, rulesArb, rulesArb),
  nics: fc.array(nicArb, { minLength: 1, maxLength: 5 }),
});

type Estate = typeof estateArb extends fc.Arbitrary<infer T> ? T : never;

function buildEstate(e: Estate): Topology {
  const b = new ModelBuilder()
    .vnet("hub", ["10.0.0.0/16", "fd00::/48"])
    .vnet("spoke", ["10.1.0.0/16"])
    .subnet("s1", "hub", "10.0.1.0/24", { nsg: e.subnetNsgs[0] })
    .subnet("s2", "hub", "10.0.2.0/24", { nsg: e.subnetNsgs[1], routeTable: e.routeTable ? "rt" : null })
    .subnet("s3", "spoke", "10.1.1.0/24", { nsg: e.subnetNsgs[2] })
    .routeTable("rt", [{ name: "onprem", prefix: "192.168.0.0/16", nextHopType: "VirtualNetworkGateway" }])
    .asg("a1")
    .asg("a2")
    .peering("hub-spoke", "hub", "spoke", { allowVirtualNetworkAccess: e.peering })
    .peering("spoke-hub", "spoke", "hub");
  e.nsgRules.forEach((rules, i) => b.nsg(`n${i + 1}`, rules.map((r) => r.spec)));
  e.nics.forEach((n, i) => b.nic(`nic${i}`, n.subnet, n.ip, { asgs: n.asgs, nsg: n.nsg }));
  const topo = b.build();
  const nsgs = topo.nsgs as Map<string, Nsg>;
  e.nsgRules.forEach((gens, i) => {
    const nsg = nsgs.get(`n${i + 1}`) as Nsg;
    nsgs.set(nsg.key, { ...nsg, rules: nsg.rules.map((r, k) => withUnknowns(r, gens[k])) });
  });
  const nics = topo.nics as Map<string, Nic>;
  e.nics.forEach((n, i) => {
    if (!n.secondConfig) return;
    const nic = nics.get(`nic${i}`) as Nic;
    const first = nic.ipConfigurations[0];
    nics.set(nic.key, { ...nic, ipConfigurations: [first, { ...first, name: "ipconfig2", primary: false, privateIpAddress: "10.0.1.9", asgKeys: ["a1"] }] });
  });
  return e.avnm === undefined ? topo : withAvnm(topo, e.avnm);
}

const LOCAL_IPS = ["10.0.1.4", "10.0.1.5", "10.0.2.4", "10.1.1.4", "10.0.1.9", "10.0.1.77", "fd00::4", "10.0.1.04"];
const REMOTE_IPS = ["10.0.1.4", "10.0.1.5", "10.0.2.4", "10.1.1.4", "10.0.1.9", "203.0.113.9", "52.239.1.1", "168.63.129.16", "192.168.3.3", "172.16.0.1", "fd00::4", "fd00::77", "2001:db8::1"];
const portArb = fc.oneof({ weight: 20, arbitrary: fc.constantFrom(80, 443, 22, 53, 1500, 0, 65535, 50000) }, { weight: 1, arbitrary: fc.constantFrom(70000, 80.5, -1) });

const queryArb = fc.record({
  nic: fc.nat(),
  direction: fc.constantFrom<Direction>("Inbound", "Outbound"),
  protocol: fc.constantFrom<"TCP" | "UDP">("TCP", "UDP"),
  localIp: fc.constantFrom(...LOCAL_IPS),
  ownIp: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  remoteIp: fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...REMOTE_IPS) }, { weight: 1, arbitrary: fc.constantFrom("10.0.0.256", "fd00::g", "") }),
  localPort: portArb,
  remotePort: portArb,
});

const RUNS = Number(process.env.VF_RUNS ?? 400);

describe("fast IP flow verify agrees with the general path", () => {
  test("on random estates, rules, unknowns and queries", () => {
    let viaFast = 0;
    let total = 0;
    // Decisions in which security admin rules took part (the general path's decision has an admin decision).
    let adminFast = 0;
    let adminTotal = 0;
    fc.assert(
      fc.property(estateArb, fc.array(queryArb, { minLength: 1, maxLength: 25 }), (estate, queries) => {
        const topo = buildEstate(estate);
        const nics = [...topo.nics.values()];
        // One environment for every query of an estate, caches warm as in a server.
        const shared: EngineEnv = engineEnv(topo, CATALOG);
        for (const q of queries) {
          const nic = nics[q.nic % nics.length];
          const own = nic.ipConfigurations[0].privateIpAddress;
          const localIp = q.ownIp && typeof own === "string" ? own : q.localIp;
          const req: IpFlowVerifyRequest = { nic, direction: q.direction, protocol: q.protocol, localIp, localPort: q.localPort, remoteIp: q.remoteIp, remotePort: q.remotePort };
          const general = answer(() => generalIpFlowVerify(engineEnv(topo, CATALOG), req));
          // The whole entry point, fresh caches: the fast path where it is sure, the general path elsewhere.
          expect(answer(() => ipFlowVerify(engineEnv(topo, CATALOG), req))).toBe(general);
          // The fast path over warm caches: its answers never depend on the questions asked before.
          const fast = fastIpFlowVerify(shared, req);
          // Nor do the general path's (rule shapes shared between places, ASG bindings, cached per environment).
          expect(answer(() => generalIpFlowVerify(shared, req))).toBe(general);
          expect(answer(() => ipFlowVerify(shared, req))).toBe(general);
          total++;
          const withAdmin = general.includes('"admin":{');
          if (withAdmin) adminTotal++;
          if (fast !== undefined) {
            viaFast++;
            if (withAdmin) adminFast++;
            expect(JSON.stringify(fast)).toBe(general);
          }
        }
      }),
      { numRuns: RUNS },
    );
    // The fast path must carry a good share of the questions (not defer everything to the general path).
    expect(viaFast).toBeGreaterThan(total / 3);
    // Nor the questions security admin rules take part in (Deny and AlwaysAllow among them: see the examples).
    expect(adminTotal).toBeGreaterThan(total / 10);
    expect(adminFast).toBeGreaterThan(adminTotal / 3);
  });
});
