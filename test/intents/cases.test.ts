/**
 * Issue 12, point 7: decide by cases. A NIC on `vnet.subnets[0]` at a first preview is an ambiguous reference (the
 * adapter's Unknown carries the candidate subnets, src/adapters/azure-native/refs.ts `ambiguous`). When every
 * candidate gives the same verdict, that is the verdict, with a note; undecided only when they disagree, naming them.
 * Minimal repro: `check <first preview>` with `{"from":{"nic":"vm"},"to":{"nic":"db"},"protocol":"Tcp","ports":"443",
 * "expect":"reachable"}` was indeterminate although no NSG anywhere could stop it.
 */
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import { evaluateIntent } from "../../src/intents/evaluate";
import { parseIntent } from "../../src/intents/parse";
import { unknown } from "../../src/model/unknown";
import { ModelBuilder } from "../helpers/model-builder";

function plan(aNsg: string | null) {
  const subnet = { ...unknown(".ipConfigurations[0].subnet.id", "vm", "ambiguous reference: candidates a, b"), candidates: ["a", "b"] };
  return new ModelBuilder()
    .vnet("vnet", ["10.0.0.0/16"])
    .subnet("a", "vnet", "10.0.1.0/24", { nsg: aNsg })
    .subnet("b", "vnet", "10.0.2.0/24")
    .subnet("c", "vnet", "10.0.3.0/24")
    .nsg("deny-out", [{ name: "deny-443", priority: 100, direction: "Outbound", access: "Deny", protocol: "Tcp", dport: "443" }])
    .nic("vm", subnet, undefined)
    .nic("db", "c", "10.0.3.4")
    .build();
}

function run(aNsg: string | null) {
  const parsed = parseIntent({ name: "i", from: { nic: "vm" }, to: { nic: "db" }, protocol: "Tcp", ports: "443", expect: "reachable" }, 0, { source: "test" });
  return evaluateIntent(engineEnv(plan(aNsg), EMPTY_CATALOG), parsed.intent!);
}

describe("an ambiguous subnet is decided by cases", () => {
  test("every candidate delivers: pass, with a note", () => {
    const r = run(null);
    expect(r.verdict).toBe("pass");
    expect(r.notes.join(" ")).toMatch(/decided by cases: .*vm: one of a, b.*every case gives pass/);
  });

  test("the candidates disagree: indeterminate, naming the cases", () => {
    const r = run("deny-out");
    expect(r.verdict).toBe("indeterminate");
    expect(r.notes.join(" ")).toMatch(/the cases disagree .*vm in a: fail; vm in b: pass/);
  });
});
