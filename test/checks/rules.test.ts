import { shadowedRule } from "../../src/checks/shadowed-rule";
import { unreachableRule } from "../../src/checks/unreachable-rule";
import type { Finding } from "../../src/checks/types";
import type { Topology } from "../../src/model/topology";
import { unknown } from "../../src/model/unknown";
import type { RuleSpec } from "../helpers/model-builder";
import { env, happy, oneLine, patchRule, pluralPorts } from "./fixture";

const R = (name: string, priority: number, access: "Allow" | "Deny", extra: Partial<RuleSpec> = {}): RuleSpec => ({
  name,
  priority,
  direction: "Inbound",
  access,
  protocol: "Tcp",
  src: "*",
  dport: "443",
  ...extra,
});

/** nsg-app (on subnet app 10.1.2.0/24, app-nic 10.1.2.4) with the given rules. */
const app = (rules: RuleSpec[], extra?: Parameters<typeof happy>[0]): Topology => happy({ nsgApp: rules, ...extra });
const shadowed = (topo: Topology): Finding[] => shadowedRule.run({ env: env(topo) });
const unreachable = (topo: Topology): Finding[] => unreachableRule.run({ env: env(topo) });

describe("shadowed-rule", () => {
  test("baseline: nothing shadowed", () => {
    expect(shadowed(happy())).toEqual([]);
  });

  test("an allow under a deny-all of higher priority: medium, opposite action, names the covering rule", () => {
    const [f, ...rest] = shadowed(app([R("deny-all", 100, "Deny", { protocol: "*", dport: "*" }), R("allow-https", 200, "Allow")]));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ check: "shadowed-rule", id: "AR-002", severity: "medium" });
    expect(f.message).toBe(
      "NSG nsg-app: rule allow-https (priority 200, Inbound, Allow) never matches: every flow it covers is matched first by deny-all (priority 100, Inbound, Deny) with the opposite action, so the rule's Allow never applies (likely a bug)",
    );
    expect(f.rules).toEqual(["nsg-app/securityRules/allow-https", "nsg-app/securityRules/deny-all"]);
    expect(f.details).toMatchObject({ oppositeAction: true, coveredBy: ["nsg-app/securityRules/deny-all"] });
    expect(f.example).toMatchObject({ dstPort: 443 });
  });

  test.each<[string, RuleSpec[], string | null, "low" | "medium" | null]>([
    ["same action, superset port list: redundant, low", [R("web", 100, "Allow", { dport: "80,443" }), R("https", 200, "Allow")], "https", "low"],
    ["covered jointly by two rules (plural prefixes split)", [R("a", 100, "Deny", { src: "0.0.0.0/1" }), R("b", 110, "Deny", { src: ["128.0.0.0/1", "::/0"] }), R("https", 200, "Allow")], "https", "medium"],
    ["'*' and 'Any' and '0.0.0.0/0'+'::/0' are the same source", [R("any", 100, "Deny", { src: "Any" }), R("all", 200, "Allow", { src: ["0.0.0.0/0", "::/0"] })], "all", "medium"],
    ["VirtualNetwork covers the VNet's own range where the NSG applies", [R("vnet", 100, "Allow", { src: "VirtualNetwork" }), R("vnet-range", 200, "Allow", { src: "10.1.0.0/16" })], "vnet-range", "low"],
    ["near miss: the earlier rule covers only part of the sources", [R("corp", 100, "Allow", { src: "10.0.0.0/8" }), R("deny", 200, "Deny")], null, null],
    ["near miss: TCP does not cover protocol *", [R("tcp", 100, "Deny"), R("any-proto", 200, "Allow", { protocol: "*" })], null, null],
    ["near miss: the broader rule has the lower priority", [R("https", 100, "Allow"), R("deny-all", 200, "Deny", { dport: "*" })], null, null],
    ["near miss: a different direction never covers", [R("out", 100, "Deny", { direction: "Outbound" }), R("in", 200, "Allow")], null, null],
    ["near miss: port ranges overlap but do not cover", [R("a", 100, "Deny", { dport: "400-450" }), R("b", 200, "Allow", { dport: "440-460" })], null, null],
  ])("%s", (_name, rules, shadowedName, severity) => {
    const findings = shadowed(app(rules));
    if (shadowedName === null) {
      expect(findings).toEqual([]);
      return;
    }
    expect(findings.map((f) => f.rules?.[0])).toEqual([`nsg-app/securityRules/${shadowedName}`]);
    expect(findings[0].severity).toBe(severity);
  });

  test("plural destination port ranges are covered item by item", () => {
    let topo = app([R("a", 100, "Deny", { dport: "20-30" }), R("b", 110, "Deny", { dport: "3389" }), R("admin", 200, "Allow", { dport: "22" })]);
    topo = patchRule(topo, "nsg-app", "admin", (r) => ({ ...r, destinationPorts: pluralPorts(["22", "3389"]) }));
    const [f] = shadowed(topo);
    expect(f.details?.coveredBy).toEqual(["nsg-app/securityRules/a", "nsg-app/securityRules/b"]);
  });

  test("an earlier rule with an unknown priority never counts as covering", () => {
    let topo = app([R("deny-all", 100, "Deny", { dport: "*" }), R("https", 200, "Allow")]);
    topo = patchRule(topo, "nsg-app", "deny-all", (r) => ({ ...r, priority: unknown(".securityRules[0].priority", "urn:x") }));
    expect(shadowed(topo)).toEqual([]);
  });

  test("a shadowed rule in an unattached NSG is still reported (flows by construction)", () => {
    const topo = happy({ appNsg: null, nsgApp: [R("deny-all", 100, "Deny", { dport: "*" }), R("https", 200, "Allow")] });
    expect(shadowed(topo).map((f) => f.details?.attached)).toEqual([false]);
  });
});

describe("unreachable-rule", () => {
  test("baseline: nothing unreachable", () => {
    expect(unreachable(happy())).toEqual([]);
  });

  test.each<[string, RuleSpec, string | null, "low" | "medium" | null]>([
    ["outbound rule from Internet", R("out-from-internet", 100, "Allow", { direction: "Outbound", src: "Internet" }), "internet", "low"],
    ["outbound deny from Internet (meant inbound): medium", R("block-internet", 100, "Deny", { direction: "Outbound", src: "Internet", dport: "*" }), "internet", "medium"],
    ["inbound rule to Internet", R("in-to-internet", 100, "Allow", { dst: "Internet" }), "internet", "low"],
    ["inbound destination outside the subnet", R("to-other", 100, "Allow", { dst: "192.168.0.0/16" }), "outside", "low"],
    ["inbound destination is another subnet of the VNet", R("to-web", 100, "Deny", { dst: "10.1.1.0/24" }), "outside", "medium"],
    ["plural destinations, all outside", R("to-both", 100, "Allow", { dst: ["10.1.1.0/24", "10.1.3.0/24"] }), "outside", "low"],
    ["outbound source outside the subnet", R("from-other", 100, "Allow", { direction: "Outbound", src: "10.9.0.0/16", dst: "*" }), "outside", "low"],
    ["near miss: destination overlaps the subnet", R("to-half", 100, "Allow", { dst: "10.1.2.0/25" }), null, null],
    ["near miss: destination VirtualNetwork", R("to-vnet", 100, "Allow", { dst: "VirtualNetwork" }), null, null],
    ["near miss: destination '*'", R("to-any", 100, "Allow", { dst: "*" }), null, null],
    ["near miss: outbound to Internet (destination) is fine", R("out", 100, "Allow", { direction: "Outbound", src: "*", dst: "Internet" }), null, null],
    ["near miss: Internet among other sources", R("mixed", 100, "Allow", { direction: "Outbound", src: ["Internet", "10.1.2.0/24"] }), null, null],
  ])("%s", (_name, rule, reason, severity) => {
    const findings = unreachable(app([rule]));
    if (reason === null) {
      expect(findings).toEqual([]);
      return;
    }
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ check: "unreachable-rule", id: "AR-003", severity, details: { reason } });
    expect(findings[0].rules).toEqual([`nsg-app/securityRules/${rule.name}`]);
  });

  test("the message names the rule, the side and the addresses the NSG applies to", () => {
    const [f] = unreachable(app([R("to-other", 100, "Allow", { dst: "192.168.0.0/16" })]));
    expect(f.message).toBe(
      "NSG nsg-app: rule to-other (priority 100, Inbound, Allow) can never match: its destination 192.168.0.0/16 excludes every address the NSG applies to (subnet app: 10.1.2.0/24)",
    );
  });

  test("NIC association: the NIC's own address is what the rule must include", () => {
    const topo = happy({ webNicNsg: "nsg-web-nic", nsgWebNic: [R("to-neighbour", 100, "Allow", { dst: "10.1.1.5" }), R("to-self", 110, "Allow", { dst: "10.1.1.4" })] });
    expect(unreachable(topo).map((f) => f.rules?.[0])).toEqual(["nsg-web-nic/securityRules/to-neighbour"]);
  });

  describe("application security groups", () => {
    const asgRule = R("to-db", 100, "Allow", { dstAsgs: ["asg-db"], dport: "1433" });
    test("no member NIC anywhere", () => {
      const [f] = unreachable(app([asgRule], { extra: (b) => b.asg("asg-db") }));
      expect(f.details?.reason).toBe("asg-no-member");
      expect(f.message).toContain("application security group asg-db has no member NIC in the plan");
    });
    test("members exist, but none where the NSG applies", () => {
      const topo = app([asgRule], { extra: (b) => b.asg("asg-db").nic("db-nic", "web", "10.1.1.9", { asgs: ["asg-db"] }) });
      const [f] = unreachable(topo);
      expect(f.details?.reason).toBe("asg-no-member");
      expect(f.message).toContain("no NIC where the NSG applies (subnet app) is a member");
    });
    test("near miss: a member sits in the subnet", () => {
      const topo = app([asgRule], { extra: (b) => b.asg("asg-db").nic("db-nic", "app", "10.1.2.9", { asgs: ["asg-db"] }) });
      expect(unreachable(topo)).toEqual([]);
    });
    test("near miss: membership unknown at preview", () => {
      const topo = app([asgRule], { extra: (b) => b.asg("asg-db").nic("db-nic", "app", "10.1.2.9", { asgs: unknown(".ipConfigurations[0].applicationSecurityGroups", "urn:db") }) });
      expect(unreachable(topo)).toEqual([]);
    });
  });

  test("unattached NSG: only reasons that hold by construction", () => {
    const topo = happy({ appNsg: null, nsgApp: [R("to-other", 100, "Allow", { dst: "192.168.0.0/16" }), R("out", 110, "Allow", { direction: "Outbound", src: "Internet" })] });
    expect(unreachable(topo).map((f) => f.rules?.[0])).toEqual(["nsg-app/securityRules/out"]);
  });

  test("messages are one line", () => {
    expect(oneLine([...unreachable(app([R("to-other", 100, "Allow", { dst: "192.168.0.0/16" })])), ...shadowed(app([R("a", 100, "Deny"), R("b", 200, "Allow")]))])).toBe(true);
  });
});
