/**
 * AR-050: an NSG rule made dead by security admin rules (Deny or AlwaysAllow over all of its flows, wherever its NSG
 * is attached). Semantics: https://learn.microsoft.com/azure/virtual-network-manager/concept-security-admins.
 * Every "finding" row fails on the code before issue 15 (no such check, admin rules not read).
 */
import { adminRuleOverridesNsgRule } from "../../src/checks/admin-rule-overrides-nsg-rule";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import type { Finding } from "../../src/checks/types";
import type { Topology } from "../../src/model/topology";
import { unknown } from "../../src/model/unknown";
import { ModelBuilder, type RuleSpec } from "../helpers/model-builder";
import { withAvnm, type AdminRuleSpec, type AvnmSpec } from "../engine/avnm-model";

const topo = (nsgRules: RuleSpec[], attach: "subnet" | "nic" = "subnet"): Topology =>
  new ModelBuilder()
    .vnet("spoke", ["10.1.0.0/16"])
    .subnet("app", "spoke", "10.1.1.0/24", { nsg: attach === "subnet" ? "app-nsg" : null })
    .nsg("app-nsg", nsgRules)
    .nic("vm-nic", "app", "10.1.1.4", { nsg: attach === "nic" ? "app-nsg" : null })
    .build();

const run = (t: Topology): Finding[] => adminRuleOverridesNsgRule.run({ env: engineEnv(t, EMPTY_CATALOG) });

const mgmt: RuleSpec = { name: "allow-mgmt", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", src: "Internet", dport: "22,3389" };
const denyMgmt: AdminRuleSpec = { name: "deny-mgmt", priority: 10, direction: "Inbound", access: "Deny", protocol: "Tcp", src: ["Internet"], dport: "22,3389" };
const denySsh: AdminRuleSpec = { ...denyMgmt, name: "deny-ssh", dport: "22" };
const spec = (rules: AdminRuleSpec[], extra: Partial<AvnmSpec> = {}): AvnmSpec => ({ members: ["spoke"], rules, ...extra });

describe("admin-rule-overrides-nsg-rule (AR-050)", () => {
  test.each<[string, RuleSpec[], AvnmSpec | undefined, "subnet" | "nic", string | null]>([
    ["no Virtual Network Manager: nothing", [mgmt], undefined, "subnet", null],
    ["an admin Deny over all of an NSG Allow's flows: dead (subnet NSG)", [mgmt], spec([denyMgmt]), "subnet", "medium"],
    ["the same on a NIC NSG", [mgmt], spec([denyMgmt]), "nic", "medium"],
    ["the Deny covers port 22 only: 3389 still reaches the NSG", [mgmt], spec([denySsh]), "subnet", null],
    ["an admin Allow hands the flows on: the NSG rule still decides", [mgmt], spec([{ ...denyMgmt, access: "Allow" }]), "subnet", null],
    [
      "an AlwaysAllow over an NSG Deny: bypassed (high)",
      [{ name: "deny-http", priority: 100, direction: "Inbound", access: "Deny", protocol: "Tcp", dport: "80" }],
      spec([{ name: "always-http", priority: 5, direction: "Inbound", access: "AlwaysAllow", protocol: "Tcp", dport: "80" }]),
      "subnet",
      "high",
    ],
    ["the VNet is not in the network group", [mgmt], spec([denyMgmt], { members: ["other"] }), "subnet", null],
    ["the configuration is not committed to the VNet's region", [mgmt], spec([denyMgmt], { commitTo: ["eastus"] }), "subnet", null],
    ["commit regions unknown at preview: not surely dead, not reported", [mgmt], spec([denyMgmt], { commitTo: unknown(".properties.targetLocations", "urn:c") }), "subnet", null],
    ["an outbound admin rule does not touch an inbound NSG rule", [mgmt], spec([{ ...denyMgmt, direction: "Outbound" }]), "subnet", null],
  ])("%s", (_name, nsgRules, avnm, attach, severity) => {
    const t = topo(nsgRules, attach);
    const findings = run(avnm ? withAvnm(t, avnm) : t);
    if (severity === null) {
      expect(findings).toEqual([]);
      return;
    }
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ id: "AR-050", check: "admin-rule-overrides-nsg-rule", severity });
  });

  test("the finding names the NSG rule and the admin rule, with its configuration and collection", () => {
    const [f] = run(withAvnm(topo([mgmt]), spec([denyMgmt])));
    expect(f.message).toBe(
      "NSG app-nsg: rule allow-mgmt (priority 100, Inbound, Allow) is never evaluated at subnet app: security admin rule securityAdminRules/cfg/coll/deny-mgmt (Deny) decides all of its flows first; the traffic it allows is denied before the NSG is evaluated",
    );
    expect(f.rules).toEqual(["app-nsg/securityRules/allow-mgmt", "securityAdminRules/cfg/coll/deny-mgmt"]);
  });

  test("two admin rules covering the NSG rule between them are both named", () => {
    const denyRdp: AdminRuleSpec = { ...denyMgmt, name: "deny-rdp", priority: 11, dport: "3389" };
    const [f] = run(withAvnm(topo([mgmt]), spec([denySsh, denyRdp])));
    expect(f.rules).toEqual(["app-nsg/securityRules/allow-mgmt", "securityAdminRules/cfg/coll/deny-ssh", "securityAdminRules/cfg/coll/deny-rdp"]);
  });

  test("the subnet tag context cached per topology: a second run (new env, same topology, both directions) finds the same", () => {
    const outbound: RuleSpec = { name: "allow-out", priority: 100, direction: "Outbound", access: "Allow", protocol: "Tcp", dport: "443" };
    const denyOut: AdminRuleSpec = { name: "deny-out", priority: 10, direction: "Outbound", access: "Deny", protocol: "Tcp", dport: "443" };
    const t = withAvnm(topo([mgmt, outbound]), spec([denyMgmt, denyOut]));
    const first = run(t);
    expect(first.map((f) => f.details?.direction)).toEqual(["Inbound", "Outbound"]);
    expect(run(t)).toEqual(first);
  });
});
