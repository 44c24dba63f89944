import fc from "fast-check";
import { routeToJson } from "../../src/answers/effective-routes";
import { effectiveRoutes, type SubnetRoutes } from "../../src/engine/effective-routes";
import { cidrLength, selectRoute, type EffectiveRoute, type RouteOrigin, type RouteSource } from "../../src/engine/routing";
import type { Topology } from "../../src/model/topology";
import { isUnknown, unknown } from "../../src/model/unknown";
import { IpSet } from "../../src/sets/ip-set";
import { ModelBuilder } from "../helpers/model-builder";

function routesOf(topo: Topology, subnet: string, gatewayPrefixes?: string[]): SubnetRoutes {
  const s = topo.subnets.get(subnet);
  if (!s) throw new Error(`no subnet ${subnet}`);
  return effectiveRoutes(topo, s, gatewayPrefixes ? { gatewayPrefixes } : {});
}

/** "source state prefix nextHop" lines, the way the portal lists effective routes. */
function table(r: SubnetRoutes): string[] {
  return r.routes.map((x) => {
    const j = routeToJson(x, false);
    return `${j.source} ${j.state} ${j.addressPrefix.join(",")} ${j.nextHopType}${j.nextHopIpAddress.length ? ` ${j.nextHopIpAddress.join(",")}` : ""}`;
  });
}

/** The winning route for one address: "User 10.0.0.0/24 VirtualAppliance". */
function winner(r: SubnetRoutes, ip: string): string {
  const sel = selectRoute(r.routes, IpSet.fromAddress(ip));
  const p = sel.parts[0];
  if (sel.undecided.length > 0) return "Undecided";
  if (!p) return "Unrouted";
  return `${p.route.source} ${p.route.addressPrefixText} ${String(p.route.nextHopType)}`;
}

const base = (): ModelBuilder => new ModelBuilder().vnet("vnet", ["10.0.0.0/16"]).subnet("s", "vnet", "10.0.0.0/24", { routeTable: "rt" });

describe("TC6: route selection (UDR overview, 'How Azure selects a route')", () => {
  const topo = base()
    .routeTable("rt", [
      { name: "r24", prefix: "10.0.0.0/24", nextHopType: "VirtualAppliance", nextHopIp: "10.0.9.4" },
      { name: "r16", prefix: "10.0.0.0/16", nextHopType: "None" },
      { name: "default", prefix: "0.0.0.0/0", nextHopType: "VirtualNetworkGateway" },
    ])
    .build();
  const r = routesOf(topo, "s");

  test.each([
    ["10.0.0.5 uses the /24", "10.0.0.5", "User 10.0.0.0/24 VirtualAppliance"],
    ["10.0.1.5 uses the /16", "10.0.1.5", "User 10.0.0.0/16 None"],
    ["the user 0/0 beats the system 0/0 -> Internet", "8.8.8.8", "User 0.0.0.0/0 VirtualNetworkGateway"],
    ["with a user 0/0 there is no None route for 192.168/16", "192.168.1.1", "User 0.0.0.0/0 VirtualNetworkGateway"],
  ])("%s", (_name, ip, expected) => {
    expect(winner(r, ip)).toBe(expected);
  });

  test("overridden routes are Invalid, the user routes Active; the None routes are gone", () => {
    expect(table(r)).toEqual([
      "Default Invalid 10.0.0.0/16 VnetLocal",
      "Default Invalid 0.0.0.0/0 Internet",
      "User Active 10.0.0.0/24 VirtualAppliance 10.0.9.4",
      "User Active 10.0.0.0/16 None",
      "User Active 0.0.0.0/0 VirtualNetworkGateway",
    ]);
  });
});

describe("system routes: reserved None routes and the VNet address space", () => {
  test.each([
    // [case, address space, expected None prefixes]
    ["VNet 10.0.0.0/16: None 10/8 stays for the rest of 10/8", ["10.0.0.0/16"], ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"]],
    ["VNet equal to 10.0.0.0/8: no None route for 10/8 (it becomes VnetLocal)", ["10.0.0.0/8"], ["172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"]],
    ["VNet 10.0.0.0/7, a superset of 10/8: the None route is removed", ["10.0.0.0/7"], ["172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"]],
    ["VNet 172.16.0.0/12 and 192.168.0.0/16 (two ranges)", ["172.16.0.0/12", "192.168.0.0/16"], ["10.0.0.0/8", "100.64.0.0/10"]],
    ["VNet in public space: all four stay", ["20.0.0.0/16"], ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"]],
  ])("%s", (_name, space, nones) => {
    const topo = new ModelBuilder().vnet("vnet", space).subnet("s", "vnet", space[0].replace(/\/\d+$/, "/24")).build();
    const r = routesOf(topo, "s");
    expect(r.routes.filter((x) => x.nextHopType === "None").map((x) => x.addressPrefixText)).toEqual(nones);
    expect(r.routes.filter((x) => x.nextHopType === "VnetLocal").map((x) => x.addressPrefixText)).toEqual(space);
  });

  test("VNet 10.0.0.0/16: 10.0.1.5 is VnetLocal, 10.1.0.5 hits the None route, 8.8.8.8 the Internet", () => {
    const r = routesOf(new ModelBuilder().vnet("vnet", ["10.0.0.0/16"]).subnet("s", "vnet", "10.0.0.0/24").build(), "s");
    expect(winner(r, "10.0.1.5")).toBe("Default 10.0.0.0/16 VnetLocal");
    expect(winner(r, "10.1.0.5")).toBe("Default 10.0.0.0/8 None");
    expect(winner(r, "100.64.0.1")).toBe("Default 100.64.0.0/10 None");
    expect(winner(r, "8.8.8.8")).toBe("Default 0.0.0.0/0 Internet");
  });

  test("VNet 10.0.0.0/8: 10.200.0.1 is VnetLocal", () => {
    const r = routesOf(new ModelBuilder().vnet("vnet", ["10.0.0.0/8"]).subnet("s", "vnet", "10.0.0.0/24").build(), "s");
    expect(winner(r, "10.200.0.1")).toBe("Default 10.0.0.0/8 VnetLocal");
  });

  test("a user route 0.0.0.0/0 removes every None route (UDR overview routing example, Subnet1)", () => {
    const topo = base().routeTable("rt", [{ name: "to-fw", prefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIp: "10.0.9.4" }]).build();
    const r = routesOf(topo, "s");
    expect(r.routes.some((x) => x.nextHopType === "None")).toBe(false);
    expect(winner(r, "172.16.0.1")).toBe("User 0.0.0.0/0 VirtualAppliance");
  });

  test("a user route for another prefix keeps them", () => {
    const topo = base().routeTable("rt", [{ name: "x", prefix: "10.9.0.0/16", nextHopType: "VirtualAppliance", nextHopIp: "10.0.9.4" }]).build();
    expect(routesOf(topo, "s").routes.filter((x) => x.nextHopType === "None")).toHaveLength(4);
  });

  test("the reserved list is configurable", () => {
    const topo = new ModelBuilder().vnet("vnet", ["10.0.0.0/16"]).subnet("s", "vnet", "10.0.0.0/24").build();
    const r = effectiveRoutes(topo, topo.subnets.get("s")!, { reservedPrefixes: ["10.0.0.0/8", "127.0.0.0/8"] });
    expect(r.routes.filter((x) => x.nextHopType === "None").map((x) => x.addressPrefixText)).toEqual(["10.0.0.0/8", "127.0.0.0/8"]);
  });
});

describe("peering routes", () => {
  const build = (twoSided: boolean): Topology => {
    const b = new ModelBuilder().vnet("hub", ["10.0.0.0/16"]).vnet("spoke", ["10.1.0.0/16", "10.2.0.0/16"]).subnet("s", "hub", "10.0.0.0/24").peering("hub-to-spoke", "hub", "spoke");
    return (twoSided ? b.peering("spoke-to-hub", "spoke", "hub") : b).build();
  };

  test("both sides peered (Connected): one VNetPeering route per remote range", () => {
    const r = routesOf(build(true), "s");
    expect(table(r).filter((l) => l.includes("VNetPeering"))).toEqual(["Default Active 10.1.0.0/16 VNetPeering", "Default Active 10.2.0.0/16 VNetPeering"]);
    expect(winner(r, "10.2.3.4")).toBe("Default 10.2.0.0/16 VNetPeering");
  });

  test("one side only (Initiated): no route, the reserved None route applies", () => {
    const r = routesOf(build(false), "s");
    expect(table(r).some((l) => l.includes("VNetPeering"))).toBe(false);
    expect(winner(r, "10.2.3.4")).toBe("Default 10.0.0.0/8 None");
  });

  test("a user route of the same prefix overrides the peering route (UDR overview IDs 4-7)", () => {
    const topo = new ModelBuilder()
      .vnet("hub", ["10.0.0.0/16"])
      .vnet("spoke", ["10.1.0.0/16"])
      .subnet("s", "hub", "10.0.0.0/24", { routeTable: "rt" })
      .peering("a", "hub", "spoke")
      .peering("b", "spoke", "hub")
      .routeTable("rt", [{ name: "ToVNet2-Drop", prefix: "10.1.0.0/16", nextHopType: "None" }])
      .build();
    const r = routesOf(topo, "s");
    expect(table(r)).toContain("Default Invalid 10.1.0.0/16 VNetPeering");
    expect(winner(r, "10.1.0.9")).toBe("User 10.1.0.0/16 None");
  });
});

describe("gateway routes", () => {
  const withGateway = (disableBgp: boolean | ReturnType<typeof unknown>): Topology =>
    new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .subnet("s", "vnet", "10.0.0.0/24", { routeTable: "rt" })
      .subnet("GatewaySubnet", "vnet", "10.0.255.0/27")
      .gateway("vpn", "GatewaySubnet")
      .routeTable("rt", [], disableBgp)
      .build();

  test("the gateway's on-premises prefixes are not in the plan: no route, and a note says so", () => {
    const r = routesOf(withGateway(false), "s");
    expect(r.routes.some((x) => x.source === "VirtualNetworkGateway")).toBe(false);
    expect(r.gateways.map((g) => g.gateway.key)).toEqual(["vpn"]);
    expect(r.notes.join(" ")).toContain("on-premises prefixes");
  });

  test("given prefixes become VirtualNetworkGateway routes; BGP beats system on equal prefixes", () => {
    const r = routesOf(withGateway(false), "s", ["192.168.0.0/16", "172.20.0.0/16"]);
    expect(table(r)).toContain("VirtualNetworkGateway Active 192.168.0.0/16 VirtualNetworkGateway");
    expect(table(r)).toContain("Default Invalid 192.168.0.0/16 None");
    expect(winner(r, "192.168.4.4")).toBe("VirtualNetworkGateway 192.168.0.0/16 VirtualNetworkGateway");
    expect(winner(r, "172.20.0.1")).toBe("VirtualNetworkGateway 172.20.0.0/16 VirtualNetworkGateway");
  });

  test("VNet system routes beat a more specific BGP route (the documented exception)", () => {
    const r = routesOf(withGateway(false), "s", ["10.0.5.0/24"]);
    expect(winner(r, "10.0.5.1")).toBe("Default 10.0.0.0/16 VnetLocal");
    expect(table(r)).toContain("VirtualNetworkGateway Invalid 10.0.5.0/24 VirtualNetworkGateway");
  });

  test("disableBgpRoutePropagation stops gateway routes", () => {
    const r = routesOf(withGateway(true), "s", ["192.168.0.0/16"]);
    expect(r.routes.some((x) => x.source === "VirtualNetworkGateway")).toBe(false);
    expect(winner(r, "192.168.4.4")).toBe("Default 192.168.0.0/16 None");
    expect(r.notes.join(" ")).toContain("disables BGP route propagation");
  });

  test("disableBgpRoutePropagation unknown: the gateway's addresses are undecided, the rest is not", () => {
    const r = routesOf(withGateway(unknown(".disableBgpRoutePropagation", "rt")), "s", ["192.168.0.0/16"]);
    expect(winner(r, "192.168.4.4")).toBe("Undecided");
    expect(winner(r, "8.8.8.8")).toBe("Default 0.0.0.0/0 Internet");
  });

  test("a spoke using the hub's gateway (useRemoteGateways + allowGatewayTransit) gets its routes", () => {
    const topo = new ModelBuilder()
      .vnet("hub", ["10.0.0.0/16"])
      .vnet("spoke", ["10.1.0.0/16"])
      .subnet("GatewaySubnet", "hub", "10.0.255.0/27")
      .subnet("app", "spoke", "10.1.0.0/24")
      .gateway("vpn", "GatewaySubnet")
      .peering("hub-to-spoke", "hub", "spoke", { allowGatewayTransit: true })
      .peering("spoke-to-hub", "spoke", "hub", { useRemoteGateways: true })
      .build();
    const r = routesOf(topo, "app", ["192.168.0.0/16"]);
    expect(r.gateways.map((g) => [g.gateway.key, g.via])).toEqual([["vpn", "remote"]]);
    expect(winner(r, "192.168.1.1")).toBe("VirtualNetworkGateway 192.168.0.0/16 VirtualNetworkGateway");
  });

  test("without allowGatewayTransit on the hub side, the spoke has no gateway", () => {
    const topo = new ModelBuilder()
      .vnet("hub", ["10.0.0.0/16"])
      .vnet("spoke", ["10.1.0.0/16"])
      .subnet("GatewaySubnet", "hub", "10.0.255.0/27")
      .subnet("app", "spoke", "10.1.0.0/24")
      .gateway("vpn", "GatewaySubnet")
      .peering("hub-to-spoke", "hub", "spoke")
      .peering("spoke-to-hub", "spoke", "hub", { useRemoteGateways: true })
      .build();
    expect(routesOf(topo, "app", ["192.168.0.0/16"]).gateways).toEqual([]);
  });
});

describe("unknown values stay explicit", () => {
  test("route table association unknown: every destination is undecided", () => {
    const topo = new ModelBuilder().vnet("vnet", ["10.0.0.0/16"]).subnet("s", "vnet", "10.0.0.0/24", { routeTable: unknown(".routeTable.id", "s") }).build();
    const r = routesOf(topo, "s");
    const sel = selectRoute(r.routes, IpSet.fromCidr("0.0.0.0/0"));
    expect(sel.parts).toEqual([]);
    expect(sel.undecided[0].causes.map((c) => c.path)).toContain(".routeTable.id");
  });

  test("a route prefix unknown: every destination is undecided (it could be the longest match anywhere)", () => {
    const topo = base().routeTable("rt", [{ name: "x", prefix: unknown(".routes[0].addressPrefix", "rt"), nextHopType: "None" }]).build();
    expect(winner(routesOf(topo, "s"), "10.0.0.9")).toBe("Undecided");
  });

  test("a next hop unknown: the route is known to win, its next hop is not", () => {
    const topo = base().routeTable("rt", [{ name: "x", prefix: "10.0.0.0/24", nextHopType: unknown(".routes[0].nextHopType", "rt") }]).build();
    const r = routesOf(topo, "s");
    const sel = selectRoute(r.routes, IpSet.fromAddress("10.0.0.9"));
    expect(sel.parts[0].route.name).toBe("x");
    expect(isUnknown(sel.parts[0].route.nextHopType)).toBe(true);
    expect(winner(r, "10.0.1.9")).toBe("Default 10.0.0.0/16 VnetLocal");
  });
});

describe("selectRoute partitions sets exactly", () => {
  test("a /16 destination set splits by the routes that win", () => {
    const topo = base()
      .routeTable("rt", [
        { name: "r24", prefix: "10.0.0.0/24", nextHopType: "VirtualAppliance", nextHopIp: "10.0.9.4" },
        { name: "r25", prefix: "10.0.0.128/25", nextHopType: "None" },
      ])
      .build();
    const sel = selectRoute(routesOf(topo, "s").routes, IpSet.fromCidr("10.0.0.0/16"));
    expect(sel.parts.map((p) => [p.route.addressPrefixText, p.addresses.toString()])).toEqual([
      ["10.0.0.128/25", "10.0.0.128/25"],
      ["10.0.0.0/24", "10.0.0.0/25"],
      ["10.0.0.0/16", "10.0.1.0/24,10.0.2.0/23,10.0.4.0/22,10.0.8.0/21,10.0.16.0/20,10.0.32.0/19,10.0.64.0/18,10.0.128.0/17"],
    ]);
  });

  test("cidrLength", () => {
    expect(cidrLength(IpSet.fromCidr("10.0.0.0/8"))).toBe(8);
    expect(cidrLength(IpSet.fromCidr("0.0.0.0/0"))).toBe(0);
    expect(cidrLength(IpSet.fromCidr("2001:db8::/32"))).toBe(32);
    expect(cidrLength(IpSet.fromPrefixes(["10.0.0.0/24", "10.0.2.0/24"]))).toBeUndefined();
  });

  // Brute force over every address of 10.0.0.0/28: the winner by definition (longest prefix, then
  // User > BGP > System, BGP never winning inside VNet/peering space) must be the part holding the address.
  const origins: Array<[RouteOrigin, RouteSource]> = [
    ["user", "User"],
    ["gateway", "VirtualNetworkGateway"],
    ["vnet", "Default"],
    ["peering", "Default"],
    ["reserved", "Default"],
  ];
  const rank: Record<string, number> = { user: 0, gateway: 2, vnet: 3, peering: 4, reserved: 5, internet: 6 };
  const arbRoute = fc.record({ len: fc.integer({ min: 28, max: 32 }), offset: fc.integer({ min: 0, max: 15 }), kind: fc.integer({ min: 0, max: origins.length - 1 }) });

  test("property: partition = brute-force longest prefix match over all 16 addresses", () => {
    fc.assert(
      fc.property(fc.array(arbRoute, { minLength: 0, maxLength: 8 }), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 15 }), (specs, a, b) => {
        const routes: EffectiveRoute[] = specs.map((s, i) => {
          const size = 2 ** (32 - s.len);
          const start = Math.floor(s.offset / size) * size;
          const text = `10.0.0.${start}/${s.len}`;
          const [origin, source] = origins[s.kind];
          return { name: `r${i}`, source, origin, addressPrefixText: text, prefix: IpSet.fromCidr(text), prefixLength: s.len, nextHopType: "None", nextHopIpAddress: undefined, doubt: [], state: "Active" };
        });
        const lo = Math.min(a, b);
        const hi = Math.max(a, b);
        const dst = IpSet.fromRange(4, 0x0a000000n + BigInt(lo), 0x0a000000n + BigInt(hi));
        const sel = selectRoute(routes, dst);
        const vnetSpace = routes.filter((r) => r.origin === "vnet" || r.origin === "peering").reduce((acc, r) => acc.union(r.prefix as IpSet), IpSet.empty());
        for (let x = 0; x < 16; x++) {
          const ip = `10.0.0.${x}`;
          const inDst = x >= lo && x <= hi;
          const candidates = routes
            .map((r, i) => ({ r, i }))
            .filter(({ r }) => (r.prefix as IpSet).contains(ip) && !(r.origin === "gateway" && vnetSpace.contains(ip)))
            .sort((p, q) => q.r.prefixLength - p.r.prefixLength || rank[p.r.origin] - rank[q.r.origin] || p.i - q.i);
          const expected = inDst ? candidates[0]?.r : undefined;
          const holders = sel.parts.filter((p) => p.addresses.contains(ip));
          expect(holders.length).toBeLessThanOrEqual(1);
          expect(holders[0]?.route).toBe(expected);
          expect(sel.unrouted.contains(ip)).toBe(inDst && expected === undefined);
        }
      }),
      { numRuns: 500 },
    );
  });
});
