/**
 * Issue 19, point 2: one tag context per tag place (subnets of one VNet and route table), and one compiled-rule
 * cache per (NSG, place, ASG binding, direction) shared by the rule checks and the intents. Both fail on the code
 * before (a tag context per subnet; the checks compiled their own copies).
 */
import { compileCustom, nsgPlaces } from "../../src/checks/nsg-contexts";
import { compiledRules, engineEnv, tagContextForNic } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import { ModelBuilder } from "../helpers/model-builder";

const topo = new ModelBuilder()
  .vnet("vnet", ["10.0.0.0/16"])
  .subnet("a", "vnet", "10.0.1.0/24", { nsg: "nsg" })
  .subnet("b", "vnet", "10.0.2.0/24", { nsg: "nsg" })
  .subnet("c", "vnet", "10.0.3.0/24", { nsg: "nsg", routeTable: "rt" })
  .routeTable("rt", [{ name: "onprem", prefix: "192.168.0.0/16", nextHopType: "VirtualNetworkGateway" }])
  .nsg("nsg", [{ name: "web", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", src: "VirtualNetwork", dport: "443" }])
  .nic("nic-a", "a", "10.0.1.4", { nsg: "nsg" })
  .nic("nic-b", "b", "10.0.2.4", { nsg: "nsg" })
  .nic("nic-c", "c", "10.0.3.4", { nsg: "nsg" })
  .build();

describe("tag contexts and compiled rules per tag place", () => {
  test("subnets of one VNet and route table share one tag context; another route table is another place", () => {
    const env = engineEnv(topo, EMPTY_CATALOG);
    const ctx = (n: string) => tagContextForNic(env, topo.nics.get(n)!);
    expect(ctx("nic-a")).toBe(ctx("nic-b"));
    expect(ctx("nic-a")).not.toBe(ctx("nic-c"));
  });

  test("the checks' places read the intents' compiled rules (the same objects)", () => {
    const env = engineEnv(topo, EMPTY_CATALOG);
    const nsg = topo.nsgs.get("nsg")!;
    const engine = compiledRules(env, nsg, "Inbound", topo.nics.get("nic-a")!);
    const places = nsgPlaces(env, nsg).contexts;
    expect(places.map((p) => p.label)).toEqual(["subnet a", "subnet b", "subnet c", "NIC nic-a", "NIC nic-b", "NIC nic-c"]);
    const custom = places.map((p) => compileCustom(env, nsg, "Inbound", p));
    expect(custom[0]).toBe(custom[1]);
    expect(custom[0]).toBe(custom[3]);
    expect(custom[2]).not.toBe(custom[0]);
    expect(custom[0][0]).toBe(engine[0]);
  });
});
