import {
  CONCRETE_WALK,
  fateOf,
  forward,
  innermost,
  summarize,
  SYMBOLIC_WALK,
  type Disposition,
  type ForwardOptions,
  type ForwardResult,
  type WalkStart,
} from "../../src/engine/forward";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import type { Topology } from "../../src/model/topology";
import { unknown } from "../../src/model/unknown";
import type { Flow } from "../../src/sets/flow";
import { FlowSet } from "../../src/sets/flow-set";
import { IpSet } from "../../src/sets/ip-set";
import { PortSet } from "../../src/sets/port-set";
import { ProtocolSet, Tcp } from "../../src/sets/protocol-set";
import { ModelBuilder, type RuleSpec } from "../helpers/model-builder";

function tcp(src: IpSet | string, dst: IpSet | string, port = 443): FlowSet {
  const s = typeof src === "string" ? IpSet.fromAddress(src) : src;
  const d = typeof dst === "string" ? IpSet.fromAddress(dst) : dst;
  return FlowSet.cube({ src: s, dst: d, protocols: ProtocolSet.of(Tcp), srcPorts: PortSet.of(50000), dstPorts: PortSet.of(port) });
}

function fromNic(topo: Topology, nic: string, flows: FlowSet, options: ForwardOptions = {}): ForwardResult<FlowSet> {
  const n = topo.nics.get(nic);
  if (!n) throw new Error(`no nic ${nic}`);
  return forward(SYMBOLIC_WALK, engineEnv(topo, EMPTY_CATALOG), { kind: "nic", nic: n }, flows, options);
}

/** "Kind detail" of the single path, for golden tables. */
function only(result: ForwardResult<FlowSet>): Disposition {
  expect(result.paths).toHaveLength(1);
  return result.paths[0].disposition;
}

function hopTypes(result: ForwardResult<FlowSet>, i = 0): string[] {
  return result.paths[i].hops.map((h) => `${h.type}${h.nic ? `:${h.nic.key}` : ""}`);
}

/** TC17 scenario: a hub with an appliance and two spokes, every knob a parameter. */
interface HubSpoke {
  spokeUdrs?: boolean;
  ipForwarding?: boolean | ReturnType<typeof unknown>;
  forwardedTraffic?: boolean;
  nvaNsg?: RuleSpec[];
}

function hubAndSpoke(o: HubSpoke = {}): Topology {
  const b = new ModelBuilder()
    .vnet("hub", ["10.0.0.0/16"])
    .vnet("spoke1", ["10.1.0.0/16"])
    .vnet("spoke2", ["10.2.0.0/16"])
    .subnet("nva-subnet", "hub", "10.0.1.0/24", o.nvaNsg ? { nsg: "nva-nsg" } : {})
    .subnet("app1", "spoke1", "10.1.0.0/24", { routeTable: o.spokeUdrs ? "rt1" : null })
    .subnet("app2", "spoke2", "10.2.0.0/24", { routeTable: o.spokeUdrs ? "rt2" : null })
    .nic("nva", "nva-subnet", "10.0.1.4", { ipForwarding: o.ipForwarding ?? true })
    .nic("vm1", "app1", "10.1.0.4")
    .nic("vm2", "app2", "10.2.0.4")
    .routeTable("rt1", [{ name: "to-spoke2", prefix: "10.2.0.0/16", nextHopType: "VirtualAppliance", nextHopIp: "10.0.1.4" }])
    .routeTable("rt2", [{ name: "to-spoke1", prefix: "10.1.0.0/16", nextHopType: "VirtualAppliance", nextHopIp: "10.0.1.4" }])
    .peering("hub-to-spoke1", "hub", "spoke1")
    .peering("hub-to-spoke2", "hub", "spoke2")
    .peering("spoke1-to-hub", "spoke1", "hub", { allowForwardedTraffic: o.forwardedTraffic ?? true })
    .peering("spoke2-to-hub", "spoke2", "hub", { allowForwardedTraffic: o.forwardedTraffic ?? true });
  if (o.nvaNsg) b.nsg("nva-nsg", o.nvaNsg);
  return b.build();
}

describe("TC17: peering is not transitive", () => {
  test("VNet1-VNet2 and VNet2-VNet3 peerings give VNet1 no route to VNet3", () => {
    const topo = new ModelBuilder()
      .vnet("vnet1", ["10.1.0.0/16"])
      .vnet("vnet2", ["10.2.0.0/16"])
      .vnet("vnet3", ["10.3.0.0/16"])
      .subnet("s1", "vnet1", "10.1.0.0/24")
      .subnet("s3", "vnet3", "10.3.0.0/24")
      .nic("vm1", "s1", "10.1.0.4")
      .nic("vm3", "s3", "10.3.0.4")
      .peering("1-2", "vnet1", "vnet2")
      .peering("2-1", "vnet2", "vnet1")
      .peering("2-3", "vnet2", "vnet3")
      .peering("3-2", "vnet3", "vnet2")
      .build();
    const d = only(fromNic(topo, "vm1", tcp("10.1.0.4", "10.3.0.4")));
    expect(d).toMatchObject({ kind: "Dropped", reason: "NoneRoute" });
    if (d.kind !== "Dropped") throw new Error();
    expect(d.route?.route).toMatchObject({ source: "Default", addressPrefixText: "10.0.0.0/8", nextHopType: "None" });
  });
});

describe("TC17: spoke to spoke through a hub appliance", () => {
  test.each([
    ["no spoke UDRs: the spokes have no route to each other", { spokeUdrs: false }, "Dropped", ["Source:vm1"]],
    ["UDRs but no IP forwarding on the appliance NIC", { spokeUdrs: true, ipForwarding: false }, "ApplianceNoForwarding", ["Source:vm1", "VirtualAppliance:nva"]],
    ["UDRs, IP forwarding, but spoke2 does not allow forwarded traffic", { spokeUdrs: true, forwardedTraffic: false }, "Dropped", ["Source:vm1", "VirtualAppliance:nva", "VNetPeering"]],
    ["all three: delivered", { spokeUdrs: true }, "Delivered", ["Source:vm1", "VirtualAppliance:nva", "VNetPeering", "Destination:vm2"]],
  ] as const)("%s", (_name, opts, kind, hops) => {
    const r = fromNic(hubAndSpoke(opts), "vm1", tcp("10.1.0.4", "10.2.0.4"));
    expect(only(r).kind).toBe(kind);
    expect(hopTypes(r)).toEqual(hops);
  });

  test("the forwarded-traffic drop names the receiving side's peering", () => {
    const d = only(fromNic(hubAndSpoke({ spokeUdrs: true, forwardedTraffic: false }), "vm1", tcp("10.1.0.4", "10.2.0.4")));
    expect(d).toMatchObject({ kind: "Dropped", reason: "ForwardedTrafficNotAllowed", peering: { key: "spoke2-to-hub" } });
  });

  test("traffic that originates in the hub needs no allowForwardedTraffic", () => {
    const topo = hubAndSpoke({ spokeUdrs: true, forwardedTraffic: false });
    expect(only(fromNic(topo, "nva", tcp("10.0.1.4", "10.2.0.4"))).kind).toBe("Delivered");
  });

  test("the appliance's inbound NSG is evaluated", () => {
    const deny: RuleSpec = { name: "deny-443", priority: 100, direction: "Inbound", access: "Deny", protocol: "Tcp", dport: "443" };
    const d = only(fromNic(hubAndSpoke({ spokeUdrs: true, nvaNsg: [deny] }), "vm1", tcp("10.1.0.4", "10.2.0.4")));
    expect(d).toMatchObject({ kind: "DeniedByNsg", direction: "Inbound", nic: { key: "nva" }, rule: { ruleName: "securityRules/deny-443" } });
  });

  test("IP forwarding unknown, later delivered: Unknown, naming the flag", () => {
    const d = only(fromNic(hubAndSpoke({ spokeUdrs: true, ipForwarding: unknown(".enableIPForwarding", "nva") }), "vm1", tcp("10.1.0.4", "10.2.0.4")));
    expect(fateOf(d)).toBe("Unknown");
    expect(d).toMatchObject({ kind: "Unknown", causes: [{ path: ".enableIPForwarding" }], otherwise: { kind: "Delivered" } });
  });

  test("IP forwarding unknown, later surely dropped: not delivered either way", () => {
    const d = only(fromNic(hubAndSpoke({ spokeUdrs: true, ipForwarding: unknown(".enableIPForwarding", "nva"), forwardedTraffic: false }), "vm1", tcp("10.1.0.4", "10.2.0.4")));
    expect(fateOf(d)).toBe("Stopped");
    expect(innermost(d)).toMatchObject({ kind: "Dropped", reason: "ForwardedTrafficNotAllowed" });
  });
});

describe("appliances, loops and local delivery", () => {
  const sameSubnet = (): Topology =>
    new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .subnet("s", "vnet", "10.0.0.0/24", { routeTable: "rt" })
      .nic("vm", "s", "10.0.0.4")
      .nic("nva", "s", "10.0.0.10", { ipForwarding: true })
      .routeTable("rt", [{ name: "all-to-nva", prefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIp: "10.0.0.10" }])
      .build();

  test("an appliance in the subnet it serves loops (UDR overview note)", () => {
    const d = only(fromNic(sameSubnet(), "vm", tcp("10.0.0.4", "8.8.8.8")));
    expect(d.kind).toBe("Loop");
    if (d.kind !== "Loop") throw new Error();
    expect(d.path.map((n) => n.key)).toEqual(["vm", "nva", "nva"]);
  });

  test("VnetLocal in the same subnet still reaches the neighbour without the appliance", () => {
    // 10.0.0.0/16 VnetLocal is longer than the 0/0 user route.
    const r = fromNic(sameSubnet(), "vm", tcp("10.0.0.4", "10.0.0.10"));
    expect(only(r)).toMatchObject({ kind: "Delivered", nic: { key: "nva" } });
    expect(hopTypes(r)).toEqual(["Source:vm", "VnetLocal", "Destination:nva"]);
  });

  test("an address in the VNet that no NIC holds: no host", () => {
    expect(only(fromNic(sameSubnet(), "vm", tcp("10.0.0.4", "10.0.3.3"))).kind).toBe("NoHost");
  });

  test("next hop address no NIC holds (an internal load balancer?): Unknown, not guessed", () => {
    const topo = new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .subnet("s", "vnet", "10.0.0.0/24", { routeTable: "rt" })
      .nic("vm", "s", "10.0.0.4")
      .routeTable("rt", [{ name: "to-ilb", prefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIp: "10.0.0.200" }])
      .build();
    const d = only(fromNic(topo, "vm", tcp("10.0.0.4", "8.8.8.8")));
    expect(d.kind).toBe("Unknown");
    expect(JSON.stringify(d)).toContain("internal load balancer");
  });

  test("next hop address in the VNet but in none of its subnets: nothing can hold it, no host", () => {
    const topo = new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .subnet("s", "vnet", "10.0.0.0/24", { routeTable: "rt" })
      .nic("vm", "s", "10.0.0.4")
      .routeTable("rt", [{ name: "to-nowhere", prefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIp: "10.0.5.5" }])
      .build();
    const d = only(fromNic(topo, "vm", tcp("10.0.0.4", "8.8.8.8")));
    expect(d.kind).toBe("NoHost");
    expect(JSON.stringify(d)).toContain("in none of its subnets");
  });

  test("Internet next hop exits; None drops naming the user route and its table", () => {
    const topo = new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .subnet("s", "vnet", "10.0.0.0/24", { routeTable: "rt" })
      .nic("vm", "s", "10.0.0.4")
      .routeTable("rt", [{ name: "blackhole", prefix: "203.0.113.0/24", nextHopType: "None" }])
      .build();
    expect(only(fromNic(topo, "vm", tcp("10.0.0.4", "8.8.8.8")))).toMatchObject({ kind: "Exited", to: "Internet" });
    expect(only(fromNic(topo, "vm", tcp("10.0.0.4", "203.0.113.7")))).toMatchObject({
      kind: "Dropped",
      reason: "NoneRoute",
      route: { route: { name: "blackhole", source: "User", routeTable: { key: "rt" } } },
    });
  });

  test("next hop VirtualNetworkGateway: exits with a gateway, dropped without one", () => {
    const b = (): ModelBuilder =>
      new ModelBuilder()
        .vnet("vnet", ["10.0.0.0/16"])
        .subnet("s", "vnet", "10.0.0.0/24", { routeTable: "rt" })
        .subnet("GatewaySubnet", "vnet", "10.0.255.0/27")
        .nic("vm", "s", "10.0.0.4")
        .routeTable("rt", [{ name: "onprem", prefix: "192.168.0.0/16", nextHopType: "VirtualNetworkGateway" }]);
    expect(only(fromNic(b().build(), "vm", tcp("10.0.0.4", "192.168.1.1")))).toMatchObject({ kind: "Dropped", reason: "NoGateway" });
    expect(only(fromNic(b().gateway("vpn", "GatewaySubnet").build(), "vm", tcp("10.0.0.4", "192.168.1.1")))).toMatchObject({ kind: "Exited", to: "Gateway" });
  });

  test("the source NIC's outbound NSG denies before any route", () => {
    const topo = new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .subnet("s", "vnet", "10.0.0.0/24")
      .nsg("nsg", [{ name: "no-web", priority: 100, direction: "Outbound", access: "Deny", protocol: "Tcp", dport: "443" }])
      .nic("vm", "s", "10.0.0.4", { nsg: "nsg" })
      .build();
    const r = fromNic(topo, "vm", tcp("10.0.0.4", "8.8.8.8"));
    expect(only(r)).toMatchObject({ kind: "DeniedByNsg", direction: "Outbound", rule: { ruleName: "securityRules/no-web" }, layer: { appliedTo: "networkInterface" } });
    expect(hopTypes(r)).toEqual(["Source:vm"]);
  });
});

describe("sets: dynamic addresses and partial outcomes", () => {
  const topo = (): Topology =>
    new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .subnet("web", "vnet", "10.0.1.0/24")
      .subnet("db", "vnet", "10.0.2.0/24", { nsg: "db-nsg" })
      .nsg("db-nsg", [{ name: "from-low-web", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", src: "10.0.1.0/25", dport: "1433" }, { name: "deny-rest", priority: 200, direction: "Inbound", access: "Deny" }])
      .nic("web-dyn", "web", undefined)
      .nic("db", "db", "10.0.2.4")
      .build();

  test("a dynamic-IP source is answered for the whole subnet set, split where the NSG splits it", () => {
    const t = topo();
    const web = t.nics.get("web-dyn")!;
    const range = IpSet.fromRange(4, 0x0a000104n, 0x0a0001fen); // 10.0.1.4 - 10.0.1.254: Azure keeps the first four and the last
    const r = fromNic(t, "web-dyn", tcp(range, "10.0.2.4", 1433));
    const byKind = r.paths.map((p) => [innermost(p.disposition).kind, p.flows.sources().toString()]);
    // Denied paths are reported where the NSG stops them, before the walk goes on with the rest.
    expect(byKind).toEqual([
      ["DeniedByNsg", "10.0.1.128/26,10.0.1.192/27,10.0.1.224/28,10.0.1.240/29,10.0.1.248/30,10.0.1.252/31,10.0.1.254/32"],
      ["Delivered", "10.0.1.4/30,10.0.1.8/29,10.0.1.16/28,10.0.1.32/27,10.0.1.64/26"],
    ]);
    expect(web.ipConfigurations[0].allocation).toBe("Dynamic");
  });

  test("an address only a dynamic NIC may hold is undecided, not delivered", () => {
    const t = topo();
    const d = only(fromNic(t, "db", tcp("10.0.2.4", "10.0.1.77", 80)));
    expect(d.kind).toBe("Unknown");
    expect(JSON.stringify(d)).toContain("dynamic address of web-dyn");
  });

  test("as the target, a dynamic NIC stands for every address it may get", () => {
    const t = topo();
    const web = t.nics.get("web-dyn")!;
    const range = IpSet.fromRange(4, 0x0a000104n, 0x0a0001fen);
    const r = fromNic(t, "db", tcp("10.0.2.4", range, 80), { target: { kind: "nic", nic: web, addresses: range } });
    expect(only(r)).toMatchObject({ kind: "Delivered", nic: { key: "web-dyn" } });
  });

  test("summarize groups flows by fate", () => {
    const t = topo();
    const range = IpSet.fromRange(4, 0x0a000104n, 0x0a0001fen);
    const s = summarize(SYMBOLIC_WALK, fromNic(t, "web-dyn", tcp(range, "10.0.2.4", 1433)));
    expect(s.delivered.sources().toString()).toBe("10.0.1.4/30,10.0.1.8/29,10.0.1.16/28,10.0.1.32/27,10.0.1.64/26");
    expect(s.stopped.isEmpty()).toBe(false);
    expect(s.unknown.isEmpty()).toBe(true);
  });
});

describe("other starts", () => {
  const topo = (): Topology =>
    new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .subnet("web", "vnet", "10.0.1.0/24", { nsg: "web-nsg" })
      .nsg("web-nsg", [{ name: "https-in", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", src: "Internet", dport: "443" }])
      .nic("web", "web", "10.0.1.4")
      .build();

  test("from the Internet: the destination's inbound NSGs only", () => {
    const t = topo();
    const env = engineEnv(t, EMPTY_CATALOG);
    const start: WalkStart = { kind: "external", addresses: IpSet.fromAddress("203.0.113.9") };
    const ok = forward(SYMBOLIC_WALK, env, start, tcp("203.0.113.9", "10.0.1.4", 443));
    expect(only(ok)).toMatchObject({ kind: "Delivered", nic: { key: "web" } });
    expect(ok.paths[0].hops.map((h) => h.type)).toEqual(["Source", "Destination"]);
    const no = forward(SYMBOLIC_WALK, env, start, tcp("203.0.113.9", "10.0.1.4", 22));
    expect(only(no)).toMatchObject({ kind: "DeniedByNsg", rule: { ruleName: "defaultSecurityRules/DenyAllInBound" } });
  });

  test("from an address inside a subnet: that subnet's NSG and routes, no NIC NSG", () => {
    const t = topo();
    const web = t.subnets.get("web")!;
    const env = engineEnv(t, EMPTY_CATALOG);
    const r = forward(SYMBOLIC_WALK, env, { kind: "host", subnet: web, addresses: IpSet.fromAddress("10.0.1.50") }, tcp("10.0.1.50", "10.0.1.4", 22));
    expect(only(r)).toMatchObject({ kind: "Delivered", nic: { key: "web" } });
    expect(r.paths[0].hops[0].outbound?.layers.map((l) => l.layer.appliedTo)).toEqual(["subnet"]);
  });
});

describe("CONCRETE and SYMBOLIC walks agree", () => {
  const topo = hubAndSpoke({ spokeUdrs: true });
  const env = engineEnv(topo, EMPTY_CATALOG);
  test.each([
    ["10.1.0.4", "10.2.0.4"],
    ["10.1.0.4", "10.2.0.99"],
    ["10.1.0.4", "10.3.0.4"],
    ["10.1.0.4", "8.8.8.8"],
    ["10.1.0.4", "10.0.1.4"],
  ])("%s -> %s", (src, dst) => {
    const nic = topo.nics.get("vm1")!;
    const flow: Flow = { src, dst, protocol: Tcp, srcPort: 50000, dstPort: 443 };
    const c = forward(CONCRETE_WALK, env, { kind: "nic", nic }, flow);
    const s = forward(SYMBOLIC_WALK, env, { kind: "nic", nic }, tcp(src, dst));
    expect(c.paths.map((p) => [innermost(p.disposition).kind, p.hops.map((h) => h.type)])).toEqual(s.paths.map((p) => [innermost(p.disposition).kind, p.hops.map((h) => h.type)]));
  });
});
