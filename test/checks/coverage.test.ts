import { diagnosticFindings } from "../../src/checks/diagnostic-findings";
import { invalidRule } from "../../src/checks/invalid-rule";
import { modelDiagnostic } from "../../src/checks/model-diagnostic";
import { subnetWithoutNsg } from "../../src/checks/subnet-without-nsg";
import type { Check, Finding } from "../../src/checks/types";
import { unattachedNsg } from "../../src/checks/unattached-nsg";
import { unfilteredNic } from "../../src/checks/unfiltered-nic";
import type { Diagnostic } from "../../src/model/diagnostic";
import type { Topology } from "../../src/model/topology";
import { unknown } from "../../src/model/unknown";
import { addDiagnostics, env, happy, oneLine, patchSubnet } from "./fixture";

const COVERAGE: Check[] = [unfilteredNic, subnetWithoutNsg, unattachedNsg];
const coverage = (topo: Topology): Finding[] => COVERAGE.flatMap((c) => c.run({ env: env(topo) }));

describe("coverage checks", () => {
  test("baseline: every subnet has an NSG, every NSG is attached", () => {
    expect(coverage(happy())).toEqual([]);
  });

  test.each<[string, Parameters<typeof happy>[0], Array<[string, string, string]>]>([
    ["subnet app loses its NSG; app-nic has none: traffic entirely unfiltered", { appNsg: null }, [
      ["unfiltered-nic", "medium", "NIC app-nic has no NSG and neither has its subnet app (vnet): its traffic is entirely unfiltered"],
      ["subnet-without-nsg", "medium", "subnet app (vnet) has no NSG; 1 of its 1 NIC(s) have no NSG either, so their traffic is entirely unfiltered"],
      ["unattached-nsg", "low", "NSG nsg-app (1 custom rule) is associated with no subnet and no NIC, so it filters nothing"],
    ]],
    ["subnet web loses its NSG but web-nic keeps its own: low", { webNsg: null }, [
      ["subnet-without-nsg", "low", "subnet web (vnet) has no NSG; its 1 NIC(s) have their own NSGs"],
      ["unattached-nsg", "low", "NSG nsg-web (1 custom rule) is associated with no subnet and no NIC, so it filters nothing"],
    ]],
    ["web-nic loses its NSG (the subnet's still filters it)", { webNicNsg: null }, [
      ["unattached-nsg", "low", "NSG nsg-web-nic (1 custom rule) is associated with no subnet and no NIC, so it filters nothing"],
    ]],
    ["both NSGs of a NIC with a public IP removed", { webNsg: null, webNicNsg: null }, [
      ["unfiltered-nic", "medium", "NIC web-nic (VM web-vm) has no NSG and neither has its subnet web (vnet): its traffic is entirely unfiltered (it is reachable from the Internet: see internet-exposure)"],
      ["subnet-without-nsg", "medium", "subnet web (vnet) has no NSG; 1 of its 1 NIC(s) have no NSG either, so their traffic is entirely unfiltered"],
      ["unattached-nsg", "low", "NSG nsg-web (1 custom rule) is associated with no subnet and no NIC, so it filters nothing"],
      ["unattached-nsg", "low", "NSG nsg-web-nic (1 custom rule) is associated with no subnet and no NIC, so it filters nothing"],
    ]],
    ["GatewaySubnet and AzureFirewallSubnet without NSG are fine", { extra: (b) => b.subnet("GatewaySubnet", "vnet", "10.1.255.0/27").subnet("AzureFirewallSubnet", "vnet", "10.1.254.0/26") }, []],
    ["an empty subnet without NSG", { extra: (b) => b.subnet("spare", "vnet", "10.1.9.0/24") }, [["subnet-without-nsg", "low", "subnet spare (vnet) has no NSG"]]],
  ])("%s", (_name, o, expected) => {
    expect(coverage(happy(o)).map((f) => [f.check, f.severity, f.message])).toEqual(expected);
  });

  test("an NSG association unknown at preview somewhere: no 'unattached' claim", () => {
    let topo = happy({ appNsg: null });
    topo = patchSubnet(topo, "nva", (s) => ({ ...s, nsgKey: unknown(".networkSecurityGroup.id", s.urn) }));
    expect(unattachedNsg.run({ env: env(topo) })).toEqual([]);
  });

  test("a NIC whose subnet NSG is unknown is not called unfiltered", () => {
    const topo = patchSubnet(happy({ appNsg: null }), "app", (s) => ({ ...s, nsgKey: unknown(".networkSecurityGroup.id", s.urn) }));
    expect(unfilteredNic.run({ env: env(topo) })).toEqual([]);
  });

  test("messages are one line", () => {
    expect(oneLine(coverage(happy({ appNsg: null, webNsg: null })))).toBe(true);
  });
});

describe("diagnostics as findings", () => {
  const D: Diagnostic[] = [
    { code: "invalid-rule", severity: "error", resource: "urn:nsg", field: "securityRules[x].destinationPortRange", value: "70000", message: "NSG nsg rule x: destinationPortRange \"70000\" is outside the port range 0-65535" },
    { code: "duplicate-priority", severity: "error", resource: "urn:nsg", field: "securityRules[y].priority", value: "100", message: "NSG nsg rule y: priority 100 (Inbound) is also used by rule z" },
    { code: "prefix-normalised", severity: "warning", resource: "urn:subnet", field: "addressPrefix", value: "10.0.0.1/24", message: "subnet: addressPrefix 10.0.0.1/24 has host bits" },
    { code: "unresolved-reference", severity: "warning", resource: "urn:nic", field: "ipConfigurations[0].subnet.id", message: "nic: ipConfigurations[0].subnet.id is unknown at preview" },
  ];
  const topo = addDiagnostics(happy(), D);

  test("diagnosticFindings: invalid configuration -> invalid-rule; the rest -> model-diagnostic", () => {
    expect(diagnosticFindings(topo).map((f) => [f.check, f.id, f.severity, f.resources, f.message])).toEqual([
      ["invalid-rule", "AR-013", "high", ["urn:nsg"], D[0].message],
      ["invalid-rule", "AR-013", "high", ["urn:nsg"], D[1].message],
      ["invalid-rule", "AR-013", "medium", ["urn:subnet"], D[2].message],
      ["model-diagnostic", "AR-014", "low", ["urn:nic"], D[3].message],
    ]);
    expect(diagnosticFindings(topo)[0].details).toEqual({ code: "invalid-rule", diagnosticSeverity: "error", field: "securityRules[x].destinationPortRange", value: "70000" });
  });

  test("the two checks split them", () => {
    expect(invalidRule.run({ env: env(topo) })).toHaveLength(3);
    expect(modelDiagnostic.run({ env: env(topo) })).toHaveLength(1);
  });

  test("no diagnostics, no findings", () => {
    expect(diagnosticFindings(happy())).toEqual([]);
  });
});
