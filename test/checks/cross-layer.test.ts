import { crossLayerContradiction } from "../../src/checks/cross-layer-contradiction";
import type { Finding } from "../../src/checks/types";
import type { Topology } from "../../src/model/topology";
import type { RuleSpec } from "../helpers/model-builder";
import { env, happy, oneLine } from "./fixture";

const http = (name: string, src: RuleSpec["src"], extra: Partial<RuleSpec> = {}): RuleSpec => ({ name, priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", src, dport: "80", ...extra });
const contradictions = (topo: Topology): Finding[] => crossLayerContradiction.run({ env: env(topo) });

describe("cross-layer-contradiction (web subnet NSG nsg-web, web-nic NIC NSG nsg-web-nic)", () => {
  test("baseline: both NSGs open 443, nothing contradicts", () => {
    expect(contradictions(happy())).toEqual([]);
  });

  test("TC13: HTTP opened in the NIC NSG only; the subnet NSG's DenyAllInBound takes it", () => {
    const [f, ...rest] = contradictions(happy({ nsgWebNic: [HTTPS(), http("Allow-HTTP-All", "Internet")] }));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ check: "cross-layer-contradiction", id: "AR-004", severity: "medium", details: { allowIn: "networkInterface", direction: "Inbound" } });
    expect(f.message).toBe(
      "NIC NSG nsg-web-nic: allow rule Allow-HTTP-All (priority 100, Inbound, Allow) has no effect at web-nic: subnet NSG nsg-web always denies those flows (nsg-web/defaultSecurityRules/DenyAllInBound)",
    );
    expect(f.rules).toEqual(["nsg-web-nic/securityRules/Allow-HTTP-All", "nsg-web/defaultSecurityRules/DenyAllInBound"]);
    expect(f.example).toMatchObject({ dst: "10.1.1.4", dstPort: 80 });
  });

  test.each<[string, RuleSpec[], RuleSpec[], string | null]>([
    ["a custom deny in the subnet NSG is named", [http("deny-http", "*", { access: "Deny", priority: 90 }), HTTPS()], [http("allow-http", "Internet")], "nsg-web/securityRules/deny-http"],
    ["fix present in both NSGs: no contradiction", [HTTPS(), http("allow-http", "*")], [http("allow-http", "*")], null],
    ["partly denied (the subnet allows part of the sources): no contradiction", [HTTPS(), http("corp-http", "203.0.113.0/24")], [http("allow-http", "Internet")], null],
    ["the NIC allows VNet traffic the subnet's defaults also allow: no contradiction", [HTTPS()], [http("vnet-http", "VirtualNetwork")], null],
    ["Internet allow in NIC NSG, subnet allows only private sources", [HTTPS(), http("corp-http", "10.0.0.0/8")], [http("allow-http", "Internet")], "nsg-web/defaultSecurityRules/DenyAllInBound"],
  ])("%s", (_name, subnetRules, nicRules, denier) => {
    const findings = contradictions(happy({ nsgWeb: subnetRules, nsgWebNic: [HTTPS(), ...nicRules] }));
    if (denier === null) {
      expect(findings).toEqual([]);
      return;
    }
    expect(findings).toHaveLength(1);
    expect(findings[0].rules).toContain(denier);
  });

  test("the reverse: a subnet allow the NIC NSG always denies, at its only NIC: medium", () => {
    const findings = contradictions(happy({ nsgWeb: [http("allow-http", "Internet")], nsgWebNic: [] }));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: "medium", details: { allowIn: "subnet", everywhere: true } });
    expect(findings[0].message).toContain("subnet NSG nsg-web of subnet web (vnet): allow rule allow-http");
    expect(findings[0].message).toContain("NIC NSG nsg-web-nic always denies those flows (nsg-web-nic/defaultSecurityRules/DenyAllInBound)");
  });

  test("the reverse at some NICs of the subnet only: low, with the count", () => {
    const topo = happy({ nsgWeb: [http("allow-http", "Internet")], nsgWebNic: [], extra: (b) => b.nic("web-2", "web", "10.1.1.5") });
    const [f] = contradictions(topo);
    expect(f.severity).toBe("low");
    expect(f.message).toContain("(1 of 2 NICs it applies to)");
  });

  test("outbound: NIC NSG allows what the subnet NSG denies", () => {
    const out = (name: string, access: "Allow" | "Deny", priority: number): RuleSpec => ({ name, priority, direction: "Outbound", access, protocol: "Tcp", src: "*", dst: "Internet", dport: "25" });
    const [f] = contradictions(happy({ nsgWeb: [HTTPS(), out("deny-smtp", "Deny", 100)], nsgWebNic: [HTTPS(), out("allow-smtp", "Allow", 100)] }));
    expect(f.details).toMatchObject({ direction: "Outbound", allowIn: "networkInterface" });
    expect(f.rules).toEqual(["nsg-web-nic/securityRules/allow-smtp", "nsg-web/securityRules/deny-smtp"]);
  });

  test("a NIC without its own NSG has nothing to contradict", () => {
    expect(contradictions(happy({ webNicNsg: null, nsgWeb: [http("allow-http", "Internet")] }))).toEqual([]);
  });

  test("messages are one line", () => {
    expect(oneLine(contradictions(happy({ nsgWebNic: [http("a", "Internet")] })))).toBe(true);
  });
});

function HTTPS(): RuleSpec {
  return { name: "allow-https", priority: 200, direction: "Inbound", access: "Allow", protocol: "Tcp", src: "*", dport: "443" };
}
