import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import { trace, type TraceJson } from "../../src/answers/trace";
import type { TraceRequest } from "../../src/engine/trace";
import type { Topology } from "../../src/model/topology";
import { formatTrace } from "../../src/report/trace-text";
import { ModelBuilder, type RuleSpec } from "../helpers/model-builder";

function run(topo: Topology, req: Partial<TraceRequest> & Pick<TraceRequest, "from" | "to">): TraceJson {
  const out = trace(engineEnv(topo, EMPTY_CATALOG), { protocol: "TCP", port: 443, ...req });
  if (!out.ok) throw new Error(out.error);
  return out.result.json;
}

function issueTypes(j: TraceJson): string[] {
  return j.hops.flatMap((h) => h.issues.map((i) => `${h.type}:${i.severity}:${i.type}`));
}

function ctx(j: TraceJson, type: string): Record<string, string> {
  const issue = j.hops.flatMap((h) => h.issues).find((i) => i.type === type);
  if (!issue) throw new Error(`no ${type} issue in ${JSON.stringify(j.hops)}`);
  return Object.fromEntries(issue.context.map((c) => [c.key, c.value]));
}

/** One VNet: subnet a sends b's traffic through an appliance in fw; b may or may not route back the same way. */
function oneWayAppliance(routeBack: boolean): Topology {
  return new ModelBuilder()
    .vnet("vnet", ["10.0.0.0/16"])
    .subnet("a", "vnet", "10.0.1.0/24", { routeTable: "rt-a" })
    .subnet("b", "vnet", "10.0.2.0/24", { routeTable: routeBack ? "rt-b" : null })
    .subnet("fw", "vnet", "10.0.3.0/24")
    .nic("vm-a", "a", "10.0.1.4")
    .nic("vm-b", "b", "10.0.2.4")
    .nic("nva", "fw", "10.0.3.4", { ipForwarding: true })
    .routeTable("rt-a", [{ name: "b-via-fw", prefix: "10.0.2.0/24", nextHopType: "VirtualAppliance", nextHopIp: "10.0.3.4" }])
    .routeTable("rt-b", [{ name: "a-via-fw", prefix: "10.0.1.0/24", nextHopType: "VirtualAppliance", nextHopIp: "10.0.3.4" }])
    .build();
}

describe("trace: Network Watcher's connectivity shape", () => {
  test("hops chain by nextHopIds; the verdict is Reachable", () => {
    const j = run(oneWayAppliance(true), { from: "vm-a", to: "vm-b" });
    expect(j.connectionStatus).toBe("Reachable");
    expect(j.hops.map((h) => [h.type, h.address, h.nextHopIds])).toEqual([
      ["Source", "10.0.1.4", ["hop-2"]],
      ["VirtualAppliance", "10.0.3.4", ["hop-3"]],
      ["VnetLocal", "10.0.0.0/16", ["hop-4"]],
      ["Destination", "10.0.2.4", []],
    ]);
    expect(j.hops[0].resourceId).toBe("/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/vm-a");
    expect(issueTypes(j)).toEqual([]);
  });

  test("appliance one way only: Reachable, with an AsymmetricRoute warning", () => {
    const j = run(oneWayAppliance(false), { from: "vm-a", to: "vm-b" });
    expect(j.connectionStatus).toBe("Reachable");
    expect(issueTypes(j)).toEqual(["Source:Warning:AsymmetricRoute"]);
    expect(ctx(j, "AsymmetricRoute")).toMatchObject({ ForwardAppliances: "nva", ReturnAppliances: "(none)" });
  });

  test("from the Internet into a subnet whose 0/0 goes to a firewall: the reply takes the firewall, AsymmetricRoute", () => {
    const topo = new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .subnet("web", "vnet", "10.0.1.0/24", { routeTable: "rt", nsg: "web-nsg" })
      .subnet("fw", "vnet", "10.0.3.0/24")
      .nsg("web-nsg", [{ name: "https-in", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", src: "Internet", dport: "443" }])
      .nic("web", "web", "10.0.1.4", { publicIp: "web-pip" })
      .nic("nva", "fw", "10.0.3.4", { ipForwarding: true })
      .routeTable("rt", [{ name: "default-via-fw", prefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIp: "10.0.3.4" }])
      .build();
    const j = run(topo, { from: "203.0.113.9", to: "web" });
    expect(j.connectionStatus).toBe("Reachable");
    expect(ctx(j, "AsymmetricRoute")).toMatchObject({ ForwardAppliances: "(none)", ReturnAppliances: "nva" });
    expect(j.hops[0].ingress).toBe("enters through public IP web-pip");
  });

  // Issue 16: fails on the old code, which evaluated the NSGs only and said ingress was not checked.
  test("from the Internet to a NIC with no public IP and no load balancer: Unreachable, NoIngress", () => {
    const topo = new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .subnet("web", "vnet", "10.0.1.0/24", { nsg: "web-nsg" })
      .nsg("web-nsg", [{ name: "https-in", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", src: "Internet", dport: "443" }])
      .nic("web", "web", "10.0.1.4")
      .build();
    const j = run(topo, { from: "203.0.113.9", to: "web" });
    expect(j.connectionStatus).toBe("Unreachable");
    expect(issueTypes(j)).toContain("Destination:Error:NoIngress");
  });

  test("Unreachable by a user None route names the route and its table", () => {
    const topo = new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .subnet("a", "vnet", "10.0.1.0/24", { routeTable: "rt" })
      .subnet("b", "vnet", "10.0.2.0/24")
      .nic("vm-a", "a", "10.0.1.4")
      .nic("vm-b", "b", "10.0.2.4")
      .routeTable("rt", [{ name: "blackhole-b", prefix: "10.0.2.0/24", nextHopType: "None" }])
      .build();
    const j = run(topo, { from: "vm-a", to: "vm-b" });
    expect(j.connectionStatus).toBe("Unreachable");
    expect(issueTypes(j)).toEqual(["Source:Error:UserDefinedRoute"]);
    expect(ctx(j, "UserDefinedRoute")).toMatchObject({ RouteName: "blackhole-b", RouteTableId: "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt", AddressPrefix: "10.0.2.0/24", NextHopType: "None" });
  });

  test("Unreachable by an NSG names the rule", () => {
    const deny: RuleSpec = { name: "no-https", priority: 100, direction: "Inbound", access: "Deny", protocol: "Tcp", dport: "443" };
    const topo = new ModelBuilder().vnet("vnet", ["10.0.0.0/16"]).subnet("s", "vnet", "10.0.0.0/24").nsg("nsg", [deny]).nic("a", "s", "10.0.0.4").nic("b", "s", "10.0.0.5", { nsg: "nsg" }).build();
    const j = run(topo, { from: "a", to: "10.0.0.5" });
    expect(j.connectionStatus).toBe("Unreachable");
    expect(ctx(j, "NetworkSecurityRule")).toMatchObject({ RuleName: "securityRules/no-https", NetworkSecurityGroup: "nsg", AppliedTo: "networkInterface b" });
    expect(j.hops.find((h) => h.type === "Destination")?.issues[0].origin).toBe("Inbound");
  });

  test("IP forwarding off: IpForwarding issue at the appliance; a loop: RoutingLoop with the path", () => {
    const noFwd = new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .subnet("a", "vnet", "10.0.1.0/24", { routeTable: "rt" })
      .subnet("fw", "vnet", "10.0.3.0/24")
      .nic("vm", "a", "10.0.1.4")
      .nic("nva", "fw", "10.0.3.4")
      .routeTable("rt", [{ name: "out-via-fw", prefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIp: "10.0.3.4" }])
      .build();
    const j = run(noFwd, { from: "vm", to: "8.8.8.8" });
    expect(j.connectionStatus).toBe("Unreachable");
    expect(issueTypes(j)).toEqual(["VirtualAppliance:Error:IpForwarding"]);
    expect(ctx(j, "IpForwarding")).toMatchObject({ NetworkInterface: "nva" });

    const loop = new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .subnet("a", "vnet", "10.0.1.0/24", { routeTable: "rt" })
      .nic("vm", "a", "10.0.1.4")
      .nic("nva", "a", "10.0.1.10", { ipForwarding: true })
      .routeTable("rt", [{ name: "out-via-fw", prefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIp: "10.0.1.10" }])
      .build();
    const l = run(loop, { from: "vm", to: "8.8.8.8" });
    expect(l.connectionStatus).toBe("Unreachable");
    expect(ctx(l, "RoutingLoop")).toMatchObject({ Path: "vm -> nva -> nva", RouteName: "out-via-fw" });
  });

  test("a dynamic-IP source: the whole subnet set, the parts that differ named, Indeterminate", () => {
    const topo = new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .subnet("web", "vnet", "10.0.1.0/24")
      .subnet("db", "vnet", "10.0.2.0/24", { nsg: "db-nsg" })
      .nsg("db-nsg", [{ name: "from-low-web", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", src: "10.0.1.0/25", dport: "1433" }, { name: "deny-rest", priority: 200, direction: "Inbound", access: "Deny" }])
      .nic("web-dyn", "web", undefined)
      .nic("db", "db", "10.0.2.4")
      .build();
    const out = trace(engineEnv(topo, EMPTY_CATALOG), { from: "web-dyn", to: "db", protocol: "TCP", port: 1433 });
    if (!out.ok) throw new Error(out.error);
    const j = out.result.json;
    expect(j.connectionStatus).toBe("Indeterminate");
    expect(j.source.note).toBe("any address in subnet web (10.0.1.4-10.0.1.254): the address is allocated at deployment");
    expect(j.paths.map((p) => [p.fate, p.disposition])).toEqual([
      ["Stopped", "DeniedByNsg"],
      ["Delivered", "Delivered"],
    ]);
    expect(j.notes.join(" ")).toContain("parts of the address set fare differently");
    const text = formatTrace(out.result);
    expect(text.split("\n")[0]).toBe("Trace TCP web-dyn -> db:1433 (source port 50000): Indeterminate");
    expect(text).toContain("path 1: 10.0.1.128-10.0.1.254 -> 10.0.2.4  [Stopped]");
    expect(text).toContain("path 2: 10.0.1.4-10.0.1.127 -> 10.0.2.4  [Delivered]");
  });

  test("a private destination in an unpeered VNet: Unreachable, naming the system None route", () => {
    const topo = new ModelBuilder().vnet("v1", ["10.1.0.0/16"]).vnet("v2", ["10.2.0.0/16"]).subnet("s1", "v1", "10.1.0.0/24").subnet("s2", "v2", "10.2.0.0/24").nic("a", "s1", "10.1.0.4").nic("b", "s2", "10.2.0.4").build();
    const j = run(topo, { from: "a", to: "b", protocol: "ICMP", port: undefined });
    expect(j.connectionStatus).toBe("Unreachable");
    expect(ctx(j, "SystemRoute")).toMatchObject({ RouteType: "Default", RouteTableId: "System Route", AddressPrefix: "10.0.0.0/8", NextHopType: "None" });
    expect(j.destinationPort).toBeUndefined();
  });

  test("a destination in an unpeered VNet in public space goes to the Internet: Unreachable, naming the route", () => {
    const topo = new ModelBuilder().vnet("v1", ["10.1.0.0/16"]).vnet("v2", ["20.2.0.0/16"]).subnet("s1", "v1", "10.1.0.0/24").subnet("s2", "v2", "20.2.0.0/24").nic("a", "s1", "10.1.0.4").nic("b", "s2", "20.2.0.4").build();
    const j = run(topo, { from: "a", to: "b" });
    expect(j.connectionStatus).toBe("Unreachable");
    expect(ctx(j, "SystemRoute")).toMatchObject({ AddressPrefix: "0.0.0.0/0", NextHopType: "Internet" });
  });

  test("errors are one line", () => {
    const topo = oneWayAppliance(true);
    const env = engineEnv(topo, EMPTY_CATALOG);
    expect(trace(env, { from: "8.8.8.8", to: "1.1.1.1", protocol: "TCP", port: 1 })).toMatchObject({ ok: false, error: expect.stringContaining("both outside the plan") });
    expect(trace(env, { from: "vm-a", to: "vm-b", protocol: "TCP" })).toMatchObject({ ok: false, error: "--port is required for TCP and UDP" });
    expect(trace(env, { from: "vm-a", to: "10.0.1.4", protocol: "TCP", port: 1 })).toMatchObject({ ok: false, error: expect.stringContaining("same network interface") });
    expect(trace(env, { from: "nope", to: "vm-b", protocol: "TCP", port: 1 })).toMatchObject({ ok: false, error: expect.stringContaining('--from: no network interface or VM "nope"') });
  });
});
