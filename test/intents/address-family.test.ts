/**
 * Issue 12, point 6: a NIC sends and receives only in the families it has addresses in, so flows pair a source and a
 * destination of the same family; the Internet side of an intent is restricted accordingly, with a note.
 * Minimal repro: `{"from":{"nic":"vm"},"to":{"serviceTag":"Internet"},"protocol":"Tcp","ports":"443","expect":"reachable"}`
 * on an IPv4-only network failed with a counterexample to [2000::].
 */
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import { parseIntent } from "../../src/intents/parse";
import { verifyReach } from "../../src/intents/reach";
import type { ReachIntent } from "../../src/intents/types";
import { ModelBuilder } from "../helpers/model-builder";

const topo = new ModelBuilder().vnet("vnet", ["10.0.0.0/16"]).subnet("app", "vnet", "10.0.1.0/24").nic("vm", "app", "10.0.1.4", { publicIp: "pip" }).build();

function run(from: unknown, to: unknown, expect: string) {
  const parsed = parseIntent({ name: "i", from, to, protocol: "Tcp", ports: "443", expect }, 0, { source: "test" });
  return verifyReach(engineEnv(topo, EMPTY_CATALOG), parsed.intent as ReachIntent);
}

describe("IPv4-only NICs have no IPv6 flows", () => {
  test("vm reaches the Internet on 443: pass, with a note that the Internet side is IPv4 only", () => {
    const r = run({ nic: "vm" }, { serviceTag: "Internet" }, "reachable");
    expect(r.verdict).toBe("pass");
    expect(r.notes.join(" ")).toMatch(/to: restricted to IPv4: the other side has no IPv6 address/);
  });

  test("from the Internet: the counterexample is IPv4 (the public IP and no NSG expose vm)", () => {
    const r = run({ serviceTag: "Internet" }, { nic: "vm" }, "unreachable");
    expect(r.verdict).toBe("fail");
    expect(r.counterexample?.flow.sourceAddress).not.toMatch(/:/);
    expect(r.notes.join(" ")).toMatch(/from: restricted to IPv4/);
  });

  test("a dual-stack NIC keeps its IPv6 flows, and no note", () => {
    const t = new ModelBuilder().vnet("vnet", ["10.0.0.0/16", "fd00:db8::/48"]).subnet("app", "vnet", "10.0.1.0/24").nic("vm", "app", "10.0.1.4", { publicIp: "pip" }).build();
    const nic = t.nics.get("vm")!;
    const six = { ...nic.ipConfigurations[0], name: "v6", primary: false, privateIpAddress: "fd00:db8::4", publicIpKey: null };
    (t.nics as Map<string, typeof nic>).set("vm", { ...nic, ipConfigurations: [...nic.ipConfigurations, six] });
    const parsed = parseIntent({ name: "i", from: { nic: "vm" }, to: { serviceTag: "Internet" }, protocol: "Tcp", ports: "443", expect: "unreachable" }, 0, { source: "test" });
    const r = verifyReach(engineEnv(t, EMPTY_CATALOG), parsed.intent as ReachIntent);
    expect(r.notes.join(" ")).not.toMatch(/restricted to/);
    expect(r.verdict).toBe("fail");
  });
});
