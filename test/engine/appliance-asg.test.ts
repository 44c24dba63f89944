/**
 * Issue 12, point 1: a rule naming an ASG applies to the member NICs' IP addresses (docs/azure-semantics.md,
 * "ASGs"), so at an appliance hop it matches by the packet's addresses, not by the appliance's own membership.
 * Minimal repro: vm-a -> vm-b through nva (IP forwarding on), nva in asg-nva, nva's NIC NSG denies "to asg-nva".
 * Transit traffic to vm-b is not addressed to a member of asg-nva: Azure lets it through; the rule written with the
 * appliance's IP (10.0.3.4) gives the same answer. `effective-rules` expands such an ASG to the members' addresses.
 */
import { effectiveRules } from "../../src/answers/effective-security-rules";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import { trace } from "../../src/answers/trace";
import { parseIntent } from "../../src/intents/parse";
import { verifyReach } from "../../src/intents/reach";
import type { ReachIntent } from "../../src/intents/types";
import type { Topology } from "../../src/model/topology";
import { ModelBuilder, type RuleSpec } from "../helpers/model-builder";

function topo(rule: RuleSpec, opts: { readonly nvaAsgs?: readonly string[]; readonly vmbAsgs?: readonly string[]; readonly vmaAsgs?: readonly string[] } = {}): Topology {
  return new ModelBuilder()
    .vnet("vnet", ["10.0.0.0/16"])
    .asg("asg-nva")
    .subnet("a", "vnet", "10.0.1.0/24", { routeTable: "rt-a" })
    .subnet("b", "vnet", "10.0.2.0/24")
    .subnet("fw", "vnet", "10.0.3.0/24")
    .nsg("nsg-nva", [rule])
    .nic("vm-a", "a", "10.0.1.4", { asgs: opts.vmaAsgs ?? [] })
    .nic("vm-b", "b", "10.0.2.4", { asgs: opts.vmbAsgs ?? [] })
    .nic("nva", "fw", "10.0.3.4", { ipForwarding: true, nsg: "nsg-nva", asgs: opts.nvaAsgs ?? ["asg-nva"] })
    .routeTable("rt-a", [{ name: "b-via-fw", prefix: "10.0.2.0/24", nextHopType: "VirtualAppliance", nextHopIp: "10.0.3.4" }])
    .build();
}

const denyTo = (dst: Partial<RuleSpec>, direction: "Inbound" | "Outbound" = "Inbound"): RuleSpec => ({ name: "deny-nva", priority: 100, direction, access: "Deny", protocol: "Tcp", dport: "443", ...dst });

function status(t: Topology): string {
  const out = trace(engineEnv(t, EMPTY_CATALOG), { from: "vm-a", to: "vm-b", protocol: "TCP", port: 443 });
  if (!out.ok) throw new Error(out.error);
  return out.result.json.connectionStatus;
}

function reach(t: Topology): string {
  const parsed = parseIntent({ name: "a-b", from: { nic: "vm-a" }, to: { nic: "vm-b" }, protocol: "Tcp", ports: "443", expect: "reachable" }, 0, { source: "test" });
  return verifyReach(engineEnv(t, EMPTY_CATALOG), parsed.intent as ReachIntent).verdict;
}

describe("ASG rules at an appliance hop match the packet's addresses", () => {
  test.each([
    // [case, rule, asg memberships, trace status, intent verdict]
    ["inbound deny to the appliance's ASG: transit to vm-b passes", denyTo({ dstAsgs: ["asg-nva"] }), {}, "Reachable", "pass"],
    ["the same rule with the appliance's IP", denyTo({ dst: "10.0.3.4" }), {}, "Reachable", "pass"],
    ["outbound deny from the appliance's ASG: the source is vm-a, not a member", denyTo({ srcAsgs: ["asg-nva"] }, "Outbound"), {}, "Reachable", "pass"],
    ["the same with the appliance's IP as source", denyTo({ src: "10.0.3.4" }, "Outbound"), {}, "Reachable", "pass"],
    ["deny to an ASG vm-b is in: matched at the appliance", denyTo({ dstAsgs: ["asg-nva"] }), { vmbAsgs: ["asg-nva"], nvaAsgs: [] }, "Unreachable", "fail"],
    ["deny from an ASG vm-a is in: matched at the appliance (outbound)", denyTo({ srcAsgs: ["asg-nva"] }, "Outbound"), { vmaAsgs: ["asg-nva"], nvaAsgs: [] }, "Unreachable", "fail"],
  ] as const)("%s", (_name, rule, asgs, want, verdict) => {
    const t = topo(rule, asgs);
    expect(status(t)).toBe(want);
    expect(reach(t)).toBe(verdict);
  });

  test("effective-rules expands an ASG to its members' addresses, not 0.0.0.0/0", () => {
    const t = topo(denyTo({ dstAsgs: ["asg-nva"] }));
    const env = engineEnv(t, EMPTY_CATALOG);
    const rules = effectiveRules(env, t.nics.get("nva")!).value.flatMap((g) => g.effectiveSecurityRules);
    const r = rules.find((x) => x.name === "securityRules/deny-nva");
    expect(r?.expandedDestinationAddressPrefix).toEqual(["10.0.3.4/32"]);
  });
});
