/** IP flow verify assertions (TC1 of the semantics reference), one field changed per test. */
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import { unknown } from "../../src/model/unknown";
import { verifyFlowIntent } from "../../src/intents/flow-verify";
import { parseIntent } from "../../src/intents/parse";
import type { FlowVerifyIntent } from "../../src/intents/types";
import { ModelBuilder, type RuleSpec } from "../helpers/model-builder";

const ALLOW_HTTPS: RuleSpec = { name: "allow-https", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", dport: "443" };

function topo(rules: RuleSpec[] = [ALLOW_HTTPS]) {
  return new ModelBuilder().vnet("vnet", ["10.0.0.0/16"]).subnet("default", "vnet", "10.0.0.0/24").nsg("vm-nsg", rules).nic("vm-nic", "default", "10.0.0.4", { nsg: "vm-nsg" }).vm("web-vm", "vm-nic").build();
}

const BASE = {
  name: "web-https-in",
  ipFlowVerify: { nic: "web-vm", direction: "Inbound", protocol: "TCP", local: "10.0.0.4:443", remote: "203.0.113.9:50000" },
  expect: "Allow",
  ruleName: "securityRules/allow-https",
};

function intent(change: Record<string, unknown> = {}, request: Record<string, unknown> = {}): FlowVerifyIntent {
  const p = parseIntent({ ...BASE, ...change, ipFlowVerify: { ...BASE.ipFlowVerify, ...request } }, 0, { source: "test" });
  if (!p.intent || p.intent.kind !== "ipFlowVerify") throw new Error(p.errors.join("; "));
  return p.intent;
}

test.each<[string, Record<string, unknown>, Record<string, unknown>, string, string]>([
  ["the happy path", {}, {}, "pass", "IP flow verify Inbound TCP local 10.0.0.4:443 remote 203.0.113.9:50000 at web-vm: Allow by securityRules/allow-https, as expected"],
  ["without ruleName", { ruleName: undefined }, {}, "pass", "IP flow verify Inbound TCP local 10.0.0.4:443 remote 203.0.113.9:50000 at web-vm: Allow by securityRules/allow-https, as expected"],
  ["another port: denied", {}, { local: "10.0.0.4:80" }, "fail", "IP flow verify Inbound TCP local 10.0.0.4:80 remote 203.0.113.9:50000 at web-vm: Deny by defaultSecurityRules/DenyAllInBound, expected Allow by securityRules/allow-https"],
  ["expect Deny", { expect: "Deny", ruleName: undefined }, {}, "fail", "IP flow verify Inbound TCP local 10.0.0.4:443 remote 203.0.113.9:50000 at web-vm: Allow by securityRules/allow-https, expected Deny"],
  ["the wrong rule decides", { ruleName: "securityRules/other" }, {}, "fail", "IP flow verify Inbound TCP local 10.0.0.4:443 remote 203.0.113.9:50000 at web-vm: Allow by securityRules/allow-https, expected Allow by securityRules/other"],
  ["TC1a: outbound to the Internet", { ruleName: "defaultSecurityRules/AllowInternetOutBound" }, { direction: "Outbound", local: "10.0.0.4:60000", remote: "13.107.21.200:80" }, "pass", "IP flow verify Outbound TCP local 10.0.0.4:60000 remote 13.107.21.200:80 at web-vm: Allow by defaultSecurityRules/AllowInternetOutBound, as expected"],
])("%s", (_name, change, request, verdict, message) => {
  const r = verifyFlowIntent(engineEnv(topo(), EMPTY_CATALOG), intent(change, request));
  expect(r.verdict).toBe(verdict);
  expect(r.message).toBe(message);
});

test("a failure carries the flow and the deciding rule as evidence, attached to the NIC", () => {
  const r = verifyFlowIntent(engineEnv(topo(), EMPTY_CATALOG), intent({}, { local: "10.0.0.4:80" }));
  expect(r.counterexample?.text).toBe("TCP 203.0.113.9:50000 -> 10.0.0.4:80");
  expect(r.counterexample?.evidence.map((e) => e.text)).toEqual(["NSG vm-nsg on network interface vm-nic, Inbound: denied by defaultSecurityRules/DenyAllInBound (priority 65500)"]);
  expect(r.urn).toBe("urn:pulumi:test::test::azure-native:network:networkInterfaces::vm-nic");
});

test("an unknown rule access decides: indeterminate", () => {
  const r = verifyFlowIntent(engineEnv(topo([{ ...ALLOW_HTTPS, access: unknown(".securityRules[0].access", "urn:nsg") }]), EMPTY_CATALOG), intent());
  expect(r.verdict).toBe("indeterminate");
  expect(r.unknowns).toEqual(["urn:nsg .securityRules[0].access (unknown at preview)"]);
});

test.each([
  ["a NIC not in the plan", { nic: "nope" }, /no network interface or VM "nope" in the plan/],
  ["a local address that is not the NIC's", { local: "10.0.0.9:443" }, /10\.0\.0\.9 is not an address of network interface vm-nic/],
])("%s: fail, saying why", (_name, request, error) => {
  const r = verifyFlowIntent(engineEnv(topo(), EMPTY_CATALOG), intent({}, request));
  expect(r.verdict).toBe("fail");
  expect(r.error).toMatch(error);
});
