/**
 * The Azure Firewall adapter on records shaped like azure-native's (pulumi-azure-native v3 SDK types/input.d.ts:
 * AzureFirewallArgs.ipConfigurations[] {name, subnet: {id}, publicIPAddress: {id}}, output privateIPAddress;
 * FirewallPolicyArgs.basePolicy {id}; FirewallPolicyRuleCollectionGroupArgs {firewallPolicyName, priority,
 * ruleCollections[] {ruleCollectionType, name, priority, action: {type}, rules[] {ruleType, ...}}}; IpGroupArgs
 * ipAddresses; classic AzureFirewallNetworkRuleCollectionArgs {name, priority, action: {type}, rules[] {protocols,
 * sourceAddresses, destinationAddresses, destinationPorts}}). Bad values are one diagnostic each, never a crash.
 */
import { buildTopology } from "../../../src/adapters/azure-native";
import { orderedFirewallRules } from "../../../src/engine/firewall";
import type { AzureFirewall } from "../../../src/model/firewall";
import { isUnknown } from "../../../src/model/unknown";
import type { ResourceRecord } from "../../../src/resources/record";
import { NET, rec, unk, urn } from "./fixture";

const HUB = `${NET}/virtualNetworks/hub`;
const FWSUB = `${HUB}/subnets/AzureFirewallSubnet`;
const POLICY = `${NET}/firewallPolicies/hub-policy`;
const PARENT = `${NET}/firewallPolicies/org-policy`;
const IPG = `${NET}/ipGroups/spokes`;

function base(fw: Record<string, unknown> = {}, fwOpts: Parameters<typeof rec>[3] = {}): ResourceRecord[] {
  return [
    rec("azure-native:network:VirtualNetwork", "hub", { name: "hub", addressSpace: { addressPrefixes: ["10.0.0.0/16"] }, subnets: [{ name: "AzureFirewallSubnet", addressPrefix: "10.0.1.0/26", id: FWSUB }] }, { id: HUB }),
    rec("azure-native:network:PublicIPAddress", "fw-pip", { name: "fw-pip", ipAddress: "203.0.113.10" }, { id: `${NET}/publicIPAddresses/fw-pip` }),
    rec("azure-native:network:IpGroup", "spokes", { name: "spokes", ipAddresses: ["10.1.0.0/16", "10.2.0.1-10.2.0.9"] }, { id: IPG }),
    rec("azure-native:network:FirewallPolicy", "org-policy", { name: "org-policy", threatIntelMode: "Deny" }, { id: PARENT }),
    rec("azure-native:network:FirewallPolicy", "hub-policy", { name: "hub-policy", basePolicy: { id: PARENT } }, { id: POLICY }),
    rec(
      "azure-native:network:FirewallPolicyRuleCollectionGroup",
      "spoke-rules",
      {
        name: "spoke-rules",
        priority: 200,
        ruleCollections: [
          { ruleCollectionType: "FirewallPolicyFilterRuleCollection", name: "apps", priority: 100, action: { type: "Allow" }, rules: [{ ruleType: "ApplicationRule", name: "updates", sourceAddresses: ["*"], protocols: [{ protocolType: "Https", port: 443 }], fqdnTags: ["WindowsUpdate"] }] },
          { ruleCollectionType: "FirewallPolicyFilterRuleCollection", name: "net", priority: 200, action: { type: "Allow" }, rules: [{ ruleType: "NetworkRule", name: "https", ipProtocols: ["TCP"], sourceIpGroups: [IPG], destinationAddresses: ["10.2.0.0/16"], destinationPorts: ["443"] }] },
          { ruleCollectionType: "FirewallPolicyNatRuleCollection", name: "dnat", priority: 300, action: { type: "DNAT" }, rules: [{ ruleType: "NatRule", name: "web", ipProtocols: ["TCP"], sourceAddresses: ["*"], destinationAddresses: ["203.0.113.10"], destinationPorts: ["8080"], translatedAddress: "10.2.1.10", translatedPort: "80" }] },
        ],
      },
      { id: `${POLICY}/ruleCollectionGroups/spoke-rules`, inputs: { firewallPolicyName: "hub-policy", resourceGroupName: "rg-net", ruleCollectionGroupName: "spoke-rules" } },
    ),
    rec("azure-native:network:FirewallPolicyRuleCollectionGroup", "org-baseline", { name: "org-baseline", priority: 100, ruleCollections: [{ ruleCollectionType: "FirewallPolicyFilterRuleCollection", name: "deny-rdp", priority: 100, action: { type: "Deny" }, rules: [{ ruleType: "NetworkRule", name: "no-rdp", ipProtocols: ["TCP"], sourceAddresses: ["*"], destinationAddresses: ["*"], destinationPorts: ["3389"] }] }] }, { id: `${PARENT}/ruleCollectionGroups/org-baseline`, inputs: { firewallPolicyName: "org-policy", resourceGroupName: "rg-net" } }),
    rec("azure-native:network:AzureFirewall", "hub-fw", { name: "hub-fw", firewallPolicy: { id: POLICY }, ipConfigurations: [{ name: "cfg", subnet: { id: FWSUB }, publicIPAddress: { id: `${NET}/publicIPAddresses/fw-pip` } }], ...fw }, { id: `${NET}/azureFirewalls/hub-fw`, ...fwOpts }),
  ];
}

function firewallOf(records: ResourceRecord[]): { fw: AzureFirewall; topo: ReturnType<typeof buildTopology> } {
  const topo = buildTopology(records);
  const fw = topo.firewall?.firewalls.get(urn("azure-native:network:AzureFirewall", "hub-fw"));
  if (!fw) throw new Error("no firewall");
  return { fw, topo };
}

describe("azure-native AzureFirewall, FirewallPolicy, rule collection groups, IP groups", () => {
  test("references, the assumed private IP (said), the policy chain and the processing order", () => {
    const { fw, topo } = firewallOf(base());
    expect(fw.privateIp).toBe("10.0.1.4");
    expect(fw.privateIpAssumed).toBe(true);
    expect(topo.diagnostics.find((d) => d.code === "firewall-private-ip-assumed")?.message).toMatch(/taken as 10\.0\.1\.4, the first assignable address/);
    expect(fw.publicIpKeys).toEqual([urn("azure-native:network:PublicIPAddress", "fw-pip")]);
    expect(fw.policyKey).toBe(urn("azure-native:network:FirewallPolicy", "hub-policy"));
    const order = orderedFirewallRules(topo.firewall!, fw).rules.map((r) => `${r.kind}:${r.policyName}/${r.groupName}/${r.collection.name}/${r.rule.name}`);
    expect(order).toEqual(["Nat:hub-policy/spoke-rules/dnat/web", "Network:org-policy/org-baseline/deny-rdp/no-rdp", "Network:hub-policy/spoke-rules/net/https", "Application:hub-policy/spoke-rules/apps/updates"]);
    const ipg = topo.firewall?.ipGroups.get(urn("azure-native:network:IpGroup", "spokes"));
    expect(ipg && !isUnknown(ipg.addresses) ? ipg.addresses.toString() : "").toMatch(/10\.1\.0\.0\/16/);
  });

  test("the provider's privateIPAddress, when the plan has it, is used as it is", () => {
    const { fw } = firewallOf(base({ ipConfigurations: [{ name: "cfg", subnet: { id: FWSUB }, privateIPAddress: "10.0.1.5" }] }));
    expect([fw.privateIp, fw.privateIpAssumed]).toEqual(["10.0.1.5", false]);
  });

  test("an unknown subnet at first preview leaves the private IP Unknown, not guessed", () => {
    const { fw } = firewallOf(base({ ipConfigurations: [{ name: "cfg", subnet: { id: unk(".ipConfigurations[0].subnet.id", "hub-fw") } }] }));
    expect(isUnknown(fw.privateIp)).toBe(true);
  });

  test("classic rules on the firewall resource are read (no policy)", () => {
    const { fw, topo } = firewallOf(
      base({
        firewallPolicy: undefined,
        networkRuleCollections: [{ name: "net", priority: 100, action: { type: "Allow" }, rules: [{ name: "ssh", protocols: ["TCP"], sourceAddresses: ["10.1.0.0/16"], destinationAddresses: ["10.2.0.0/16"], destinationPorts: ["22"] }] }],
      }),
    );
    expect(fw.policyKey).toBeNull();
    expect(orderedFirewallRules(topo.firewall!, fw).rules.map((r) => `${r.policyName}/${r.collection.name}/${r.rule.name}`)).toEqual(["hub-fw (classic rules)/net/ssh"]);
  });

  test.each([
    ["a protocol Azure Firewall does not accept", { ipProtocols: ["ESP"] }, /ipProtocols\[0\] "ESP" is not a protocol Azure Firewall accepts/],
    ["a reversed port range", { destinationPorts: ["90-80"] }, /destinationPorts "90-80"/],
    ["a bad address", { destinationAddresses: ["10.2.0.0/33"] }, /destinationAddresses\[0\] "10\.2\.0\.0\/33"/],
    ["a reversed address range", { destinationAddresses: ["10.2.0.9-10.2.0.1"] }, /reversed address range/],
    ["no destination at all", { destinationAddresses: [] }, /destinationAddresses "\[\]" is empty/],
  ])("bad input: %s is one diagnostic naming resource, field and value; the rule is left out", (_t, change, message) => {
    const records = base().map((r) =>
      r.name === "org-baseline"
        ? { ...r, props: { ...r.props, ruleCollections: [{ ruleCollectionType: "FirewallPolicyFilterRuleCollection", name: "deny-rdp", priority: 100, action: { type: "Deny" }, rules: [{ ruleType: "NetworkRule", name: "no-rdp", ipProtocols: ["TCP"], sourceAddresses: ["*"], destinationAddresses: ["*"], destinationPorts: ["3389"], ...change }] }] } }
        : r,
    );
    const { fw, topo } = firewallOf(records);
    const ds = topo.diagnostics.filter((d) => d.code === "invalid-firewall-rule");
    expect(ds).toHaveLength(1);
    expect(ds[0].resource).toBe(urn("azure-native:network:FirewallPolicyRuleCollectionGroup", "org-baseline"));
    expect(ds[0].message).toMatch(message);
    expect(orderedFirewallRules(topo.firewall!, fw).rules.map((r) => r.rule.name)).not.toContain("no-rdp");
  });

  test.each([
    ["a collection priority outside 100-65000", { priority: 70000 }, /priority "70000" is not a priority from 100 to 65000/],
    ["an unknown collection type", { ruleCollectionType: "Whatever" }, /ruleCollectionType "Whatever"/],
    ["a NatRule in a filter collection", { rules: [{ ruleType: "NatRule", name: "x", ipProtocols: ["TCP"], sourceAddresses: ["*"], destinationAddresses: ["1.2.3.4"], translatedAddress: "10.0.0.1" }] }, /is NatRule in a filter rule collection/],
    ["a filter action that is not Allow or Deny", { action: { type: "DNAT" } }, /action\.type "DNAT" is not a filter collection action/],
  ])("bad input: %s", (_t, change, message) => {
    const records = base().map((r) =>
      r.name === "org-baseline"
        ? { ...r, props: { ...r.props, ruleCollections: [{ ruleCollectionType: "FirewallPolicyFilterRuleCollection", name: "deny-rdp", priority: 100, action: { type: "Deny" }, rules: [{ ruleType: "NetworkRule", name: "no-rdp", ipProtocols: ["TCP"], sourceAddresses: ["*"], destinationAddresses: ["*"], destinationPorts: ["3389"] }], ...change }] } }
        : r,
    );
    const { topo } = firewallOf(records);
    expect(topo.diagnostics.filter((d) => d.code === "invalid-firewall-rule").map((d) => d.message).join("\n")).toMatch(message);
  });

  test("garbage in every firewall field never crashes", () => {
    const junk: unknown[] = [null, 42, "x", [], {}, [null], [{ rules: 7 }], { id: 5 }];
    for (const j of junk) {
      const records = base({ ipConfigurations: j, firewallPolicy: j, networkRuleCollections: j, threatIntelMode: j }).map((r) => (r.name === "spoke-rules" ? { ...r, props: { ...r.props, ruleCollections: j, priority: j } } : r));
      expect(() => buildTopology(records as ResourceRecord[])).not.toThrow();
    }
  });

  test.each([
    ["depends on the firewall only: its private IP", [urn("azure-native:network:AzureFirewall", "hub-fw")], "10.0.1.4"],
    ["depends on the firewall and a NIC: stays unknown", [urn("azure-native:network:AzureFirewall", "hub-fw"), urn("azure-native:network:NetworkInterface", "nva-nic")], undefined],
    ["no dependency: stays unknown", [], undefined],
  ])("a spoke route whose next hop is the firewall's output, unknown at preview, %s", (_t, deps, expected) => {
    const rt = rec(
      "azure-native:network:RouteTable",
      "spoke-rt",
      { name: "spoke-rt", routes: [{ name: "to-fw", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: unk(".routes[0].nextHopIpAddress", "spoke-rt") }] },
      { propertyDependencies: { routes: deps } },
    );
    const nic = rec("azure-native:network:NetworkInterface", "nva-nic", { name: "nva-nic", ipConfigurations: [] });
    const topo = buildTopology([...base(), rt, nic]);
    const hop = topo.routeTables.get(urn("azure-native:network:RouteTable", "spoke-rt"))?.routes[0]?.nextHopIpAddress;
    if (expected === undefined) expect(isUnknown(hop)).toBe(true);
    else expect(hop).toBe(expected);
  });
});
