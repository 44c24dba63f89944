/**
 * Issue 16, points 3 and 9. Egress golden table: which way a subnet's Internet-bound traffic leaves, after
 * learn.microsoft.com/azure/nat-gateway/nat-overview (a NAT gateway takes precedence over instance public IPs and
 * load balancer outbound rules) and learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access
 * (a private subnet, defaultOutboundAccess false, has no egress without an explicit method). The private-subnet
 * rows fail on the code before issue 16, which sent every Internet-bound packet out. Flow-count risk (AR-020):
 * learn.microsoft.com/azure/virtual-network/virtual-machine-network-throughput (1M flows per VM, 500k per direction,
 * 250k for network appliances).
 */
import { egressOf } from "../../src/engine/egress";
import { flowCountRisk } from "../../src/checks/flow-count-risk";
import type { Subnet, Topology } from "../../src/model/topology";
import { ModelBuilder } from "../helpers/model-builder";
import { parseIntent } from "../../src/intents/parse";
import { verifyReach } from "../../src/intents/reach";
import { env as checkEnv } from "../checks/fixture";

function topo(subnet: Partial<Subnet>, publicIp: boolean): Topology {
  const t = new ModelBuilder()
    .vnet("vnet", ["10.0.0.0/16"])
    .subnet("app", "vnet", "10.0.1.0/24", { nsg: "nsg" })
    .nsg("nsg", [{ name: "any-in", priority: 100, direction: "Inbound", access: "Allow", protocol: "*", src: "*", dport: "*" }])
    .nic("app-nic", "app", "10.0.1.4", publicIp ? { publicIp: "app-pip" } : {})
    .build();
  const s = t.subnets.get("app") as Subnet;
  return { ...t, subnets: new Map([["app", { ...s, ...subnet }]]) };
}

describe("egress: which way Internet-bound traffic leaves", () => {
  test.each([
    // [case, subnet fields, instance public IP, egress kind]
    ["nothing declared: default outbound access", {}, false, "default-outbound"],
    ["NAT gateway on the subnet", { natGatewayKey: "nat-gw" }, false, "nat-gateway"],
    ["NAT gateway beats an instance public IP", { natGatewayKey: "nat-gw" }, true, "nat-gateway"],
    ["instance public IP", {}, true, "public-ip"],
    ["private subnet, no explicit method: none", { defaultOutboundAccess: false }, false, "none"],
    ["private subnet with a NAT gateway", { defaultOutboundAccess: false, natGatewayKey: "nat-gw" }, false, "nat-gateway"],
    ["private subnet, instance public IP", { defaultOutboundAccess: false }, true, "public-ip"],
  ] as const)("%s", (_name, subnet, pip, kind) => {
    const t = topo(subnet, pip);
    expect(egressOf(t, t.nics.get("app-nic")!).kind).toBe(kind);
  });

  test.each([
    [{}, "pass"],
    [{ defaultOutboundAccess: false }, "fail"],
    [{ defaultOutboundAccess: false, natGatewayKey: "nat-gw" }, "pass"],
  ] as const)("intent app-nic -> Internet 443 reachable, subnet %j: %s", (subnet, verdict) => {
    const t = topo(subnet, false);
    const p = parseIntent({ name: "out", from: { nic: "app-nic" }, to: { serviceTag: "Internet" }, protocol: "Tcp", ports: "443", expect: "reachable" }, 0, { source: "test" });
    if (!p.intent || p.intent.kind !== "reach") throw new Error(p.errors.join("; "));
    expect(verifyReach(checkEnv(t), p.intent).verdict).toBe(verdict);
  });
});

describe("flow-count-risk (AR-020)", () => {
  test.each([
    // [case, vnet DDoS, accelerated networking, IP forwarding, severity, flow limit]
    ["own public IP, every port open, no DDoS: high", false, false, false, "high", 500000],
    ["DDoS protection on the VNet: low", true, false, false, "low", 500000],
    ["a network appliance: the 250k limit", false, true, true, "high", 250000],
  ] as const)("%s", (_name, ddos, accelerated, forwarding, severity, limit) => {
    const t = new ModelBuilder().vnet("vnet", ["10.0.0.0/16"]).subnet("app", "vnet", "10.0.1.0/24").nic("app-nic", "app", "10.0.1.4", { publicIp: "app-pip", ipForwarding: forwarding }).build();
    const v = t.vnets.get("vnet")!;
    const n = t.nics.get("app-nic")!;
    const topo2: Topology = { ...t, vnets: new Map([["vnet", { ...v, ddosProtection: ddos }]]), nics: new Map([["app-nic", { ...n, acceleratedNetworking: accelerated }]]) };
    const [f, ...rest] = flowCountRisk.run({ env: checkEnv(topo2) });
    expect(rest).toEqual([]);
    expect(f.severity).toBe(severity);
    expect(f.details).toMatchObject({ allPortsOpen: true, ownPublicIp: true, behindLoadBalancer: false, acceleratedNetworking: accelerated ? "yes" : "no", flowLimit: limit });
    expect(f.message).toContain(`Azure keeps at most ${limit.toLocaleString("en-US")}`);
  });

  test("a Standard public IP with no NSG: no exposure, no flow-count finding", () => {
    const t = new ModelBuilder().vnet("vnet", ["10.0.0.0/16"]).subnet("app", "vnet", "10.0.1.0/24").nic("app-nic", "app", "10.0.1.4", { publicIp: "app-pip" }).build();
    const pip = t.publicIps.get("app-pip")!;
    const std: Topology = { ...t, publicIps: new Map([["app-pip", { ...pip, sku: { name: "Standard", assumed: false } }]]) };
    expect(flowCountRisk.run({ env: checkEnv(std) })).toEqual([]);
  });
});
