/**
 * AR-040 firewall-shadowed-rule, AR-041 firewall-dnat-target-missing, and the firewall part of AR-005 missing-appliance (issue 15). Golden table: which
 * rule is shadowed, given Azure's processing order (network before application rules, parent policy first,
 * collections by priority). Fails on the code before issue 15 (no such check; AR-005 skipped every address of
 * AzureFirewallSubnet).
 */
import { firewallDnatTargetMissing } from "../../src/checks/firewall-dnat-target-missing";
import { firewallShadowedRule } from "../../src/checks/firewall-shadowed-rule";
import { missingAppliance } from "../../src/checks/missing-appliance";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import type { Topology } from "../../src/model/topology";
import { withFirewall, type CollectionText } from "../helpers/firewall-builder";
import { ModelBuilder } from "../helpers/model-builder";

function base(routeTo = "10.0.1.4"): Topology {
  return new ModelBuilder()
    .vnet("hub", ["10.0.0.0/16"])
    .subnet("AzureFirewallSubnet", "hub", "10.0.1.0/26")
    .routeTable("rt", [{ name: "to-fw", prefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIp: routeTo }])
    .subnet("app", "hub", "10.0.2.0/24", { routeTable: "rt" })
    .build();
}

const net = (name: string, priority: number, action: "Allow" | "Deny", rules: CollectionText["rules"]): CollectionText => ({ name, kind: "Network", priority, action, rules });

describe("AR-040 firewall-shadowed-rule", () => {
  test.each<[string, CollectionText[], string[]]>([
    ["a narrower rule after a broader one of another action", [net("allow-web", 100, "Allow", [{ name: "web", protocols: "TCP", ports: "80,443" }]), net("deny-http", 200, "Deny", [{ name: "no-http", protocols: "TCP", ports: "80" }])], ["no-http"]],
    ["the same rule text in a later collection (redundant)", [net("a", 100, "Allow", [{ name: "ssh", protocols: "TCP", ports: "22" }]), net("b", 200, "Allow", [{ name: "ssh-again", protocols: "TCP", ports: "22" }])], ["ssh-again"]],
    ["covered by two earlier rules together", [net("a", 100, "Deny", [{ name: "tcp", protocols: "TCP" }, { name: "udp", protocols: "UDP" }]), net("b", 200, "Allow", [{ name: "both", protocols: "TCP,UDP" }])], ["both"]],
    ["an application rule under a network rule that takes all TCP 443 (network rules decide first)", [{ name: "app", kind: "Application", priority: 100, action: "Allow", rules: [{ name: "updates", ports: "443" }] }, net("net", 65000, "Deny", [{ name: "no-443", protocols: "TCP", ports: "443" }])], ["updates"]],
    ["a broader rule after a narrower one is not shadowed", [net("a", 100, "Deny", [{ name: "no-http", protocols: "TCP", ports: "80" }]), net("b", 200, "Allow", [{ name: "web", protocols: "TCP", ports: "80,443" }])], []],
    ["a rule whose reach is undecided (FQDN) does not shadow", [net("a", 100, "Allow", [{ name: "fqdn", protocols: "TCP", dst: [], fqdns: ["x.example.com"], ports: "443" }]), net("b", 200, "Deny", [{ name: "no-443", protocols: "TCP", dst: ["10.0.0.0/8"], ports: "443" }])], []],
  ])("%s", (_t, collections, shadowed) => {
    const topo = withFirewall(base(), { subnet: "AzureFirewallSubnet", ip: "10.0.1.4", classic: collections });
    const findings = firewallShadowedRule.run({ env: engineEnv(topo, EMPTY_CATALOG) });
    expect(findings.map((f) => f.rules?.[0]?.split(" / rule ").pop())).toEqual(shadowed);
    for (const f of findings) expect(f.message).toMatch(/never applies: every flow it could match is decided first by/);
  });
});

describe("AR-005 missing-appliance, with an Azure Firewall in the plan", () => {
  test.each([
    ["a route to the firewall's private IP: nothing to report", "10.0.1.4", []],
    ["a route to another address of AzureFirewallSubnet: the firewall is not there", "10.0.1.5", ["high"]],
  ])("%s", (_t, routeTo, severities) => {
    const topo = withFirewall(base(routeTo), { subnet: "AzureFirewallSubnet", ip: "10.0.1.4" });
    const findings = missingAppliance.run({ env: engineEnv(topo, EMPTY_CATALOG) });
    expect(findings.map((f) => f.severity)).toEqual(severities);
    if (severities.length > 0) expect(findings[0].message).toMatch(/10\.0\.1\.5 is in AzureFirewallSubnet, but firewall fw has 10\.0\.1\.4, so traffic sent to 10\.0\.1\.5 is dropped/);
  });

  test("AzureFirewallSubnet with no firewall of the plan (another stack's): skipped, as before", () => {
    const findings = missingAppliance.run({ env: engineEnv(base("10.0.1.5"), EMPTY_CATALOG) });
    expect(findings).toEqual([]);
  });
});

describe("AR-041 firewall-dnat-target-missing", () => {
  function plan(withNic: "static" | "dynamic" | "none", target: string): Topology {
    const b = new ModelBuilder().vnet("hub", ["10.0.0.0/16"]).subnet("AzureFirewallSubnet", "hub", "10.0.1.0/26").subnet("web", "hub", "10.0.2.0/29");
    if (withNic !== "none") b.nic("web-nic", "web", withNic === "static" ? "10.0.2.4" : undefined);
    const dnat: CollectionText = { name: "dnat", kind: "Nat", priority: 100, action: "Dnat", rules: [{ name: "web", protocols: "TCP", ports: "8080", translated: { address: target, port: 80 } }] };
    return withFirewall(b.build(), { subnet: "AzureFirewallSubnet", ip: "10.0.1.4", classic: [dnat] });
  }
  test.each([
    ["the target NIC holds the address: nothing", "static", "10.0.2.4", []],
    ["no NIC holds it, in a subnet of the plan: high", "none", "10.0.2.4", ["high"]],
    ["only a dynamic NIC may get it: medium", "dynamic", "10.0.2.4", ["medium"]],
    ["outside every VNet of the plan: low", "none", "10.9.0.4", ["low"]],
  ] as const)("%s", (_t, nic, target, severities) => {
    const findings = firewallDnatTargetMissing.run({ env: engineEnv(plan(nic, target), EMPTY_CATALOG) });
    expect(findings.map((f) => f.severity)).toEqual(severities);
    for (const f of findings) expect(f.message).toMatch(new RegExp(`Azure Firewall fw: DNAT rule web \\(collection dnat\\) translates to ${target.replace(/\./g, "\\.")}`));
  });
});
