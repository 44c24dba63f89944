/**
 * Issue 12, point 5: an intent over nothing proves nothing. A selector that matches no NIC, host or outside address
 * of the plan makes the intent fail, "selects nothing in the plan", whatever it expects; it never passes with a
 * note. Outside the VNets, an address counts when something can be there: public unicast space (the Internet:
 * `serviceTag Internet`, public CIDRs as Internet sources), a prefix the plan declares (a route's or an NSG rule's
 * prefix), or anything when the plan has a virtual network gateway (on-premises).
 * Minimal repro: `check <plan> --intents` with `{"from":{"cidr":"10.90.0.0/16"}, ... "expect":"unreachable"}` (a typo
 * for 10.0.0.0/16) passed.
 */
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import { parseIntent } from "../../src/intents/parse";
import { verifyReach } from "../../src/intents/reach";
import type { ReachIntent } from "../../src/intents/types";
import type { Topology } from "../../src/model/topology";
import { ModelBuilder } from "../helpers/model-builder";

function plan(extra: (b: ModelBuilder) => ModelBuilder = (b) => b): Topology {
  return extra(
    new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .vnet("empty", ["10.5.0.0/16"])
      .subnet("app", "vnet", "10.0.1.0/24", { nsg: "nsg" })
      .nsg("nsg", [{ name: "partner-in", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", src: "172.16.5.0/24", dport: "443" }])
      .nic("vm", "app", "10.0.1.4"),
  ).build();
}

function verdict(topo: Topology, from: unknown, to: unknown, expect = "unreachable") {
  const parsed = parseIntent({ name: "i", from, to, protocol: "Tcp", ports: "443", expect }, 0, { source: "test" });
  return verifyReach(engineEnv(topo, EMPTY_CATALOG), parsed.intent as ReachIntent);
}

describe("a selector that selects nothing makes the intent fail", () => {
  test.each([
    ["a CIDR typo outside every address space", { cidr: "10.90.0.0/16" }, /overlaps no address space of the plan/],
    ["a private IP nothing declares", { ip: "192.168.7.7" }, /overlaps no address space of the plan/],
    ["an IP in the VNet outside every subnet", { ip: "10.0.9.9" }, /no network interface in the plan holds/],
    ["an address Azure reserves", { ip: "10.0.1.0" }, /no network interface in the plan holds/],
    ["a tag nothing carries", { tag: { tier: "nope" } }, /carries these tags/],
    ["a VNet with no subnet", { vnet: "empty" }, /no network interface or subnet/],
  ])("from %s", (_name, from, why) => {
    for (const want of ["unreachable", "reachable"]) {
      const r = verdict(plan(), from, { nic: "vm" }, want);
      expect(r.verdict).toBe("fail");
      expect(r.message).toMatch(/selects nothing in the plan/);
      expect(r.message).toMatch(why);
    }
  });

  test("to a selector that selects nothing", () => {
    const r = verdict(plan(), { nic: "vm" }, { cidr: "10.90.0.0/16" });
    expect(r.verdict).toBe("fail");
    expect(r.message).toMatch(/to cidr 10\.90\.0\.0\/16 selects nothing in the plan/);
  });
});

describe("legitimate external sides still count", () => {
  test.each([
    ["serviceTag Internet", { serviceTag: "Internet" }],
    ["a public CIDR as an Internet source", { cidr: "203.0.113.0/24" }],
    ["a private prefix an NSG rule names", { cidr: "172.16.5.0/24" }],
  ])("%s", (_name, from) => {
    const r = verdict(plan(), from, { nic: "vm" });
    expect(r.verdict).toBe("pass");
  });

  test("a private prefix a route names", () => {
    const t = plan((b) => b.subnet("gw", "vnet", "10.0.2.0/24", { routeTable: "rt" }).routeTable("rt", [{ name: "onprem", prefix: "192.168.0.0/16", nextHopType: "None" }]));
    expect(verdict(t, { cidr: "192.168.7.0/24" }, { nic: "vm" }).verdict).toBe("pass");
  });

  test("any private prefix when the plan has a virtual network gateway (on-premises)", () => {
    const t = plan((b) => b.subnet("GatewaySubnet", "vnet", "10.0.255.0/27").gateway("vpn", "GatewaySubnet"));
    expect(verdict(t, { cidr: "192.168.7.0/24" }, { nic: "vm" }).verdict).toBe("pass");
  });
});
