import { refusalText } from "../../src/answers/refusal";
/**
 * Issue 12, point 7, in trace and next hop: a NIC on `vnet.subnets[0]` at a first preview is an ambiguous reference
 * (the adapter's Unknown carries the candidate subnets: src/adapters/azure-native/refs.ts `ambiguous`). Decided by
 * cases as the intents are (src/engine/cases.ts): the same answer in every candidate plan is the answer, with a
 * note; undecided only when the cases disagree, naming them. A static address rules out the candidates whose range
 * does not hold it (Azure assigns a configuration an address of its subnet only).
 * Minimal repros: `trace <first preview> --from vm --to db --protocol TCP --port 443` answered Indeterminate
 * although no NSG or route anywhere could stop it; `next-hop --nic vm --source 10.0.1.4 --destination 8.8.8.8`
 * was refused ("the subnet of network interface vm is not known at preview").
 */
import { nextHop } from "../../src/answers/next-hop";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import { trace } from "../../src/answers/trace";
import { unknown } from "../../src/model/unknown";
import { ModelBuilder } from "../helpers/model-builder";

interface Variant {
  readonly aNsg?: boolean;
  readonly aRoutes?: boolean;
  readonly vmIp?: string;
}

function plan(v: Variant = {}) {
  const subnet = { ...unknown(".ipConfigurations[0].subnet.id", "vm", "ambiguous reference: candidates a, b"), candidates: ["a", "b"] };
  const b = new ModelBuilder()
    .vnet("vnet", ["10.0.0.0/16"])
    .subnet("a", "vnet", "10.0.1.0/24", { nsg: v.aNsg ? "deny-out" : null, routeTable: v.aRoutes ? "rt-a" : null })
    .subnet("b", "vnet", "10.0.2.0/24")
    .subnet("c", "vnet", "10.0.3.0/24")
    .nsg("deny-out", [{ name: "deny-443", priority: 100, direction: "Outbound", access: "Deny", protocol: "Tcp", dport: "443" }])
    .nic("vm", subnet, v.vmIp)
    .nic("db", "c", "10.0.3.4")
    .nic("nva", "c", "10.0.3.10", { ipForwarding: true });
  if (v.aRoutes) b.routeTable("rt-a", [{ name: "to-nva", prefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIp: "10.0.3.10" }]);
  return b.build();
}

function runTrace(v: Variant, to = "db") {
  const out = trace(engineEnv(plan(v), EMPTY_CATALOG), { from: "vm", to, protocol: "TCP", port: 443 });
  if (!out.ok) throw new Error(out.error);
  return out.result.json;
}

describe("trace from a NIC whose subnet is ambiguous", () => {
  test("every candidate delivers: Reachable, with a note", () => {
    const j = runTrace({});
    expect(j.connectionStatus).toBe("Reachable");
    expect(j.notes.join(" ")).toMatch(/decided by cases: the subnet is ambiguous at preview \(vm: one of a, b\); every case gives Reachable/);
    expect(j.notes.join(" ")).toMatch(/the paths shown are those of the case vm in a/);
  });

  test("the candidates disagree: Indeterminate, naming them", () => {
    const j = runTrace({ aNsg: true });
    expect(j.connectionStatus).toBe("Indeterminate");
    expect(j.notes.join(" ")).toMatch(/the cases disagree \(vm: one of a, b\): vm in a: Unreachable; vm in b: Reachable/);
  });

  test("a static address rules out the other candidate: decided by that case", () => {
    const j = runTrace({ aNsg: true, vmIp: "10.0.2.4" });
    expect(j.connectionStatus).toBe("Reachable");
    expect(j.notes.join(" ")).toMatch(/vm: in b \(its address 10\.0\.2\.4 rules out a\)\); every case gives Reachable/);
  });
});

describe("next hop from a NIC whose subnet is ambiguous", () => {
  test.each([
    ["10.0.1.4", "VirtualAppliance", "10.0.3.10"],
    ["10.0.2.4", "Internet", null],
  ])("--source %s picks the case: %s", (sourceIp, type, ip) => {
    const topo = plan({ aRoutes: true });
    const out = nextHop(topo, { nic: topo.nics.get("vm")!, sourceIp, destinationIp: "8.8.8.8" });
    if (!out.ok) throw new Error(refusalText(out.refusal));
    expect(out.result.nextHopType).toBe(type);
    expect(out.result.nextHopIpAddress).toBe(ip);
    expect(out.result.notes?.join(" ")).toMatch(/decided by cases/);
    expect(out.result.notes?.join(" ")).toMatch(/1 of 2 cases left out/);
  });

  test("every case gives the same next hop: that is the answer", () => {
    const topo = plan({});
    const out = nextHop(topo, { nic: topo.nics.get("vm")!, sourceIp: "10.0.1.4", destinationIp: "10.0.3.4" });
    expect(out.ok && out.result.nextHopType).toBe("VnetLocal");
  });
});
