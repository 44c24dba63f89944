import { refusalText } from "../../src/answers/refusal";
/**
 * Security admin rules (Azure Virtual Network Manager) before the NSGs: golden cases from Microsoft's documentation,
 * https://learn.microsoft.com/azure/virtual-network-manager/concept-security-admins ("Evaluation of security admin
 * rules and network security groups": Allow hands the traffic to the NSGs, Always Allow delivers it without them,
 * Deny stops it; "Priority": 1-4096, "a deny rule with a priority of 10 overrides an allow rule with a priority of 20"),
 * and concept-deployments (a configuration applies only in the regions it is committed to).
 * Every case below fails on the code before issue 15: admin rules were not read at all.
 */
import { ipFlowVerify, type IpFlowVerifyResult } from "../../src/answers/ip-flow-verify";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import type { Direction, Topology } from "../../src/model/topology";
import { unknown } from "../../src/model/unknown";
import { ModelBuilder } from "../helpers/model-builder";
import { withAvnm, type AdminRuleSpec, type AvnmSpec } from "./avnm-model";

function verify(topo: Topology, direction: Direction, local: string, remote: string): IpFlowVerifyResult {
  const [localIp, localPort] = local.split(":");
  const [remoteIp, remotePort] = remote.split(":");
  const nic = topo.nics.get("vm-nic");
  if (!nic) throw new Error("no nic");
  const out = ipFlowVerify(engineEnv(topo, EMPTY_CATALOG), { nic, direction, protocol: "TCP", localIp, localPort: Number(localPort), remoteIp, remotePort: Number(remotePort) });
  if (!out.ok) throw new Error(refusalText(out.refusal));
  return out.result;
}

/** One VNet, one VM; its NIC NSG allows RDP, SSH and HTTP from anywhere and denies 8443. */
const base = new ModelBuilder()
  .vnet("spoke", ["10.1.0.0/16"])
  .subnet("app", "spoke", "10.1.1.0/24")
  .nsg("vm-nsg", [
    { name: "allow-rdp", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", dport: "3389" },
    { name: "allow-ssh", priority: 110, direction: "Inbound", access: "Allow", protocol: "Tcp", dport: "22" },
    { name: "allow-http", priority: 120, direction: "Inbound", access: "Allow", protocol: "Tcp", dport: "80" },
    { name: "deny-8443", priority: 130, direction: "Inbound", access: "Deny", protocol: "Tcp", dport: "8443" },
  ])
  .nic("vm-nic", "app", "10.1.1.4", { nsg: "vm-nsg" })
  .build();

const denyRdp: AdminRuleSpec = { name: "deny-rdp", priority: 10, direction: "Inbound", access: "Deny", protocol: "Tcp", src: ["Internet"], dport: "3389" };
const allowRdp20: AdminRuleSpec = { name: "allow-rdp", priority: 20, direction: "Inbound", access: "Allow", protocol: "Tcp", dport: "3389" };
const alwaysAllow8443: AdminRuleSpec = { name: "always-8443", priority: 30, direction: "Inbound", access: "AlwaysAllow", protocol: "Tcp", dport: "8443" };
const allowHttp: AdminRuleSpec = { name: "allow-http", priority: 40, direction: "Inbound", access: "Allow", protocol: "Tcp", dport: "80" };
const everyRule = [denyRdp, allowRdp20, alwaysAllow8443, allowHttp];
const member: AvnmSpec = { members: ["spoke"], rules: everyRule };
const INTERNET = "203.0.113.9:50000";

describe("admin rules before NSGs (concept-security-admins)", () => {
  test.each<[string, AvnmSpec | undefined, string, "Allow" | "Deny" | "Indeterminate", string | null]>([
    ["no admin rules: the NSG allows RDP", undefined, "10.1.1.4:3389", "Allow", "securityRules/allow-rdp"],
    ["Deny (priority 10) stops RDP the NSG allows; it overrides the Allow of priority 20", member, "10.1.1.4:3389", "Deny", "securityAdminRules/cfg/coll/deny-rdp"],
    ["AlwaysAllow delivers 8443 the NSG denies, without the NSGs", member, "10.1.1.4:8443", "Allow", "securityAdminRules/cfg/coll/always-8443"],
    ["Allow hands HTTP to the NSGs, which decide", member, "10.1.1.4:80", "Allow", "securityRules/allow-http"],
    ["no admin rule matches SSH: the NSGs decide", member, "10.1.1.4:22", "Allow", "securityRules/allow-ssh"],
    ["a VNet outside the network group is not filtered", { ...member, members: ["other"] }, "10.1.1.4:3389", "Allow", "securityRules/allow-rdp"],
    ["a configuration with no commit has no effect", { ...member, commitTo: null }, "10.1.1.4:3389", "Allow", "securityRules/allow-rdp"],
    ["committed to another region only: no effect", { ...member, commitTo: ["eastus"] }, "10.1.1.4:3389", "Allow", "securityRules/allow-rdp"],
    ["commit regions unknown at preview: the Deny may apply", { ...member, commitTo: unknown(".properties.targetLocations", "urn:commit") }, "10.1.1.4:3389", "Indeterminate", null],
    ["a member unknown at preview: the Deny may apply", { ...member, members: [unknown(".resourceId", "urn:member")] }, "10.1.1.4:3389", "Indeterminate", null],
    ["dynamic membership (Azure Policy) is not in the plan: the Deny may apply", { ...member, members: [], dynamic: unknown(".policyRule", "urn:policy", "dynamic membership") }, "10.1.1.4:3389", "Indeterminate", null],
    ["a static member is a member whatever the policy adds", { ...member, dynamic: unknown(".policyRule", "urn:policy", "dynamic membership") }, "10.1.1.4:3389", "Deny", "securityAdminRules/cfg/coll/deny-rdp"],
    ["unknown membership cannot change what the NSG also denies", { ...member, members: [unknown(".resourceId", "urn:member")], rules: [denyRdp] }, "10.1.1.4:8443", "Deny", "securityRules/deny-8443"],
  ])("%s", (_name, spec, local, access, ruleName) => {
    const topo = spec ? withAvnm(base, spec) : base;
    const r = verify(topo, "Inbound", local, INTERNET);
    expect(r.access).toBe(access);
    expect(r.ruleName).toBe(ruleName);
  });

  test("the answer names what the admin rules did, and the NSG is not evaluated after a Deny", () => {
    const r = verify(withAvnm(base, member), "Inbound", "10.1.1.4:3389", INTERNET);
    expect(r.securityAdminRule).toEqual({ access: "Deny", ruleName: "securityAdminRules/cfg/coll/deny-rdp" });
    expect(r.nsgs).toEqual([]);
  });

  test("an admin Allow is reported and the NSG verdict follows", () => {
    const r = verify(withAvnm(base, member), "Inbound", "10.1.1.4:80", INTERNET);
    expect(r.securityAdminRule).toEqual({ access: "Allow", ruleName: "securityAdminRules/cfg/coll/allow-http" });
    expect(r.nsgs.map((n) => n.ruleName)).toEqual(["securityRules/allow-http"]);
  });

  test("the Deny applies to Internet sources only: RDP from inside the VNet reaches the NSG through the Allow of priority 20", () => {
    const r = verify(withAvnm(base, member), "Inbound", "10.1.1.4:3389", "10.1.1.5:50000");
    expect(r.securityAdminRule?.ruleName).toBe("securityAdminRules/cfg/coll/allow-rdp");
    expect(r.ruleName).toBe("securityRules/allow-rdp");
  });

  test("an inbound admin rule does not filter outbound traffic", () => {
    const r = verify(withAvnm(base, member), "Outbound", "10.1.1.4:3389", INTERNET);
    expect(r.securityAdminRule).toBeUndefined();
    expect(r.ruleName).toBe("defaultSecurityRules/AllowInternetOutBound");
  });

  test("a VNet whose region is unknown (it follows its resource group) may or may not be filtered", () => {
    const r = verify(withAvnm(base, { ...member, locations: { spoke: unknown(".location", "urn:spoke", "not set") } }), "Inbound", "10.1.1.4:3389", INTERNET);
    expect(r.access).toBe("Indeterminate");
    expect(r.unknowns?.join(" ")).toContain(".location");
  });
});
