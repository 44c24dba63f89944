/**
 * Issue 16, point 8: platform subnets as checks (AR-031..AR-034). Golden cases from Microsoft's documentation:
 * - Bastion: the required-rules table of learn.microsoft.com/azure/bastion/bastion-nsg (AllowHttpsInbound,
 *   AllowGatewayManagerInbound, AllowBastionHostCommunication, AllowAzureLoadBalancerInbound, AllowSshRdpOutbound,
 *   AllowAzureCloudOutbound, AllowBastionCommunication, AllowHttpOutbound), written as the doc writes them;
 * - Application Gateway v2: inbound TCP 65200-65535 from GatewayManager and AzureLoadBalancer not blocked
 *   (application-gateway/configuration-infrastructure, "Network security groups");
 * - NSGs on GatewaySubnet are not supported (vpn-gateway-about-vpn-gateway-settings); on AzureFirewallSubnet
 *   rejected (firewall-faq).
 * Rule shapes are azure-native NetworkSecurityGroup.securityRules; ApplicationGateway sku {name, tier} and
 * gatewayIPConfigurations[{name, subnet: {id}}] (sdk/nodejs/network/applicationGateway.ts).
 * All of these checks are new: on the old code no finding of AR-031..AR-034 existed.
 */
import fc from "fast-check";
import { buildTopology } from "../../src/adapters/azure-native";
import { runChecks } from "../../src/checks";
import { checkRequirement, type RequiredFlow } from "../../src/checks/required-rules";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG, type ServiceTagCatalog } from "../../src/azure/service-tags";
import { parseServiceTags } from "../../src/resources/service-tags-file";
import type { PropertyObject, ResourceRecord } from "../../src/resources/record";
import { happyPath, ID, NET, rec } from "../adapters/azure-native/fixture";

// Two real prefixes of each tag (ServiceTags_Public_20251028.json), in Microsoft's file shape.
const TAGS: ServiceTagCatalog = (() => {
  const r = parseServiceTags(
    {
      changeNumber: 375,
      cloud: "Public",
      values: [
        { name: "GatewayManager", id: "GatewayManager", properties: { addressPrefixes: ["13.64.151.0/32", "20.36.42.8/29"] } },
        { name: "AzureCloud", id: "AzureCloud", properties: { addressPrefixes: ["13.64.0.0/16", "20.36.0.0/14"] } },
      ],
    },
    "test",
  );
  if (!r.ok) throw new Error(r.error);
  return r.catalog;
})();

type Rule = [name: string, priority: number, direction: string, access: string, protocol: string, source: string, destination: string, ports: string];

function rules(list: readonly Rule[]): PropertyObject[] {
  return list.map(([name, priority, direction, access, protocol, source, destination, ports]) => ({
    name,
    priority,
    direction,
    access,
    protocol,
    sourceAddressPrefix: source,
    sourcePortRange: "*",
    destinationAddressPrefix: destination,
    ...(ports.includes(",") ? { destinationPortRanges: ports.split(",") } : { destinationPortRange: ports }),
  }));
}

/** bastion-nsg.md's table, as rules. */
const MICROSOFT_BASTION: Rule[] = [
  ["AllowHttpsInbound", 120, "Inbound", "Allow", "Tcp", "Internet", "*", "443"],
  ["AllowGatewayManagerInbound", 130, "Inbound", "Allow", "Tcp", "GatewayManager", "*", "443"],
  ["AllowAzureLoadBalancerInbound", 140, "Inbound", "Allow", "Tcp", "AzureLoadBalancer", "*", "443"],
  ["AllowBastionHostCommunication", 150, "Inbound", "Allow", "*", "VirtualNetwork", "VirtualNetwork", "8080,5701"],
  ["AllowSshRdpOutbound", 100, "Outbound", "Allow", "*", "*", "VirtualNetwork", "22,3389"],
  ["AllowAzureCloudOutbound", 110, "Outbound", "Allow", "Tcp", "*", "AzureCloud", "443"],
  ["AllowBastionCommunication", 120, "Outbound", "Allow", "*", "VirtualNetwork", "VirtualNetwork", "8080,5701"],
  ["AllowHttpOutbound", 130, "Outbound", "Allow", "*", "*", "Internet", "80"],
];

const NSG = `${NET}/networkSecurityGroups/nsg-platform`;

function withSubnet(name: string, prefix: string, nsgRules: Rule[] | undefined, extra: ResourceRecord[] = []): ResourceRecord[] {
  const id = `${ID.vnet}/subnets/${name}`;
  return [
    ...happyPath(),
    rec("azure-native:network:Subnet", `subnet-${name}`, { name, addressPrefix: prefix, ...(nsgRules ? { networkSecurityGroup: { id: NSG } } : {}) }, { id, inputs: { resourceGroupName: "rg-net", virtualNetworkName: "vnet-spoke", subnetName: name } }),
    ...(nsgRules ? [rec("azure-native:network:NetworkSecurityGroup", "nsg-platform", { name: "nsg-platform", securityRules: rules(nsgRules) }, { id: NSG })] : []),
    ...extra,
  ];
}

function findings(records: ResourceRecord[], id: string, tags: ServiceTagCatalog = TAGS) {
  return runChecks(engineEnv(buildTopology(records), tags)).filter((f) => f.id === id);
}

describe("AR-031 bastion-subnet-nsg: Microsoft's required rules", () => {
  const bastion = (r: Rule[] | undefined) => withSubnet("AzureBastionSubnet", "10.1.250.0/26", r);
  const without = (name: string) => MICROSOFT_BASTION.filter((r) => r[0] !== name);

  test.each([
    ["Microsoft's table: nothing missing", MICROSOFT_BASTION, []],
    ["only the default rules: HTTPS from the Internet and GatewayManager are denied", [], ["AllowHttpsInbound", "AllowGatewayManagerInbound"]],
    // AllowHttpsInbound from Internet also lets GatewayManager's (public) addresses in: the table without the
    // GatewayManager rule still lets its traffic through.
    ["the table without AllowGatewayManagerInbound: the Internet rule covers GatewayManager's addresses", without("AllowGatewayManagerInbound"), []],
    ["a custom deny-all outbound above the defaults, no AzureCloud rule", [...without("AllowAzureCloudOutbound"), ["DenyAllOut", 4000, "Outbound", "Deny", "*", "*", "*", "*"] as Rule], ["AllowAzureCloudOutbound"]],
    ["a deny of Internet 443 above the allows blocks HTTPS and GatewayManager (public addresses)", [["DenyInternet443", 100, "Inbound", "Deny", "Tcp", "Internet", "*", "443"] as Rule, ...MICROSOFT_BASTION], ["AllowHttpsInbound", "AllowGatewayManagerInbound"]],
    ["a 'Deny VirtualNetwork' at 4000 blocks the load balancer probes too (TC19)", [...without("AllowAzureLoadBalancerInbound"), ["DenyVnet", 4000, "Inbound", "Deny", "*", "VirtualNetwork", "*", "*"] as Rule], ["AllowAzureLoadBalancerInbound"], true],
  ])("%s", (_n, nsgRules, missing, fileOnly = false) => {
    for (const tags of fileOnly ? [TAGS] : [TAGS, EMPTY_CATALOG]) {
      const f = findings(bastion(nsgRules as Rule[]), "AR-031", tags).filter((x) => x.severity === "high");
      const named = f.flatMap((x) => (x.details?.missing as string[] | undefined) ?? []).map((m) => m.split(" ")[0]);
      expect(named.sort()).toEqual([...missing].sort());
    }
  });

  test("without the tag file, a rule naming GatewayManager may hold 168.63.129.16 as far as the engine knows: the probes' requirement is undecided, not passed", () => {
    const nsgRules: Rule[] = [...without("AllowAzureLoadBalancerInbound"), ["DenyVnet", 4000, "Inbound", "Deny", "*", "VirtualNetwork", "*", "*"]];
    const f = findings(bastion(nsgRules), "AR-031", EMPTY_CATALOG);
    expect(f.map((x) => x.severity)).toEqual(["low"]);
    expect(f[0].message).toMatch(/AllowAzureLoadBalancerInbound/);
  });

  test("HTTPS allowed only from the users' public range (as the doc allows) and no GatewayManager rule: missing, with the tag file", () => {
    const nsgRules = without("AllowGatewayManagerInbound").map((r): Rule => (r[0] === "AllowHttpsInbound" ? [r[0], r[1], r[2], r[3], r[4], "203.0.113.0/24", r[6], r[7]] : r));
    const high = findings(bastion(nsgRules), "AR-031").filter((x) => x.severity === "high");
    expect(high.flatMap((x) => (x.details?.missing as string[]) ?? []).map((m) => m.split(" ")[0])).toEqual(["AllowGatewayManagerInbound"]);
    // Without the file, whether 203.0.113.0/24 holds GatewayManager addresses is not known: undecided, not passed.
    expect(findings(bastion(nsgRules), "AR-031", EMPTY_CATALOG).map((x) => x.severity)).toEqual(["low"]);
  });

  test("the finding names the requirement and the rule that denies it, and says Azure rejects it", () => {
    const [f] = findings(bastion([]), "AR-031");
    expect(f.message).toMatch(/AllowGatewayManagerInbound \(inbound TCP 443 from GatewayManager: denied by defaultSecurityRules\/DenyAllInBound\)/);
    expect(f.message).toMatch(/Azure rejects Bastion/);
    expect(f.rules).toContain("nsg-platform/defaultSecurityRules/DenyAllInBound");
  });

  test("no NSG on AzureBastionSubnet: no finding (an NSG there is optional)", () => {
    expect(findings(bastion(undefined), "AR-031")).toEqual([]);
  });

  test("without the service tag file a rule naming another public tag leaves the requirement undecided (low), never passed", () => {
    const nsgRules: Rule[] = [["DenyStorage", 100, "Outbound", "Deny", "Tcp", "*", "Storage", "443"], ...MICROSOFT_BASTION];
    const f = findings(bastion(nsgRules), "AR-031", EMPTY_CATALOG);
    expect(f.map((x) => x.severity)).toEqual(["low"]);
    expect(f[0].message).toMatch(/AllowAzureCloudOutbound .*DenyStorage/);
  });
});

describe("AR-032 app-gateway-subnet-nsg", () => {
  const AGW_SUBNET = `${ID.vnet}/subnets/agw`;
  const agw = (tier: string) =>
    rec("azure-native:network:ApplicationGateway", "agw", { name: "agw", sku: { name: tier, tier, capacity: 2 }, gatewayIPConfigurations: [{ name: "gw", subnet: { id: AGW_SUBNET } }] }, { id: `${NET}/applicationGateways/agw` });
  const gm: Rule = ["AllowGatewayManager", 100, "Inbound", "Allow", "Tcp", "GatewayManager", "*", "65200-65535"];

  test.each([
    ["v2, default rules only: GatewayManager 65200-65535 is denied", "Standard_v2", [], ["GatewayManager"]],
    ["WAF_v2 with the GatewayManager rule: nothing missing", "WAF_v2", [gm], []],
    ["v2 with the rule and a deny-all inbound: AzureLoadBalancer is blocked", "Standard_v2", [gm, ["DenyAll", 4096, "Inbound", "Deny", "*", "*", "*", "*"] as Rule], ["AzureLoadBalancer"]],
    ["v1 (Standard): not this check's business", "Standard", [], []],
  ])("%s", (_n, tier, nsgRules, missing) => {
    const f = findings(withSubnet("agw", "10.1.240.0/24", nsgRules as Rule[], [agw(tier)]), "AR-032").filter((x) => x.severity === "high");
    expect(f.flatMap((x) => (x.details?.missing as string[]) ?? []).map((m) => m.split(" ")[0])).toEqual(missing);
  });
});

describe("AR-033 / AR-034: NSGs on GatewaySubnet and AzureFirewallSubnet", () => {
  test.each([
    ["GatewaySubnet with an NSG: medium", "GatewaySubnet", [], "AR-033", ["medium"]],
    ["GatewaySubnet without: nothing", "GatewaySubnet", undefined, "AR-033", []],
    ["AzureFirewallSubnet with an NSG: high", "AzureFirewallSubnet", [], "AR-034", ["high"]],
    ["AzureFirewallManagementSubnet with an NSG: high", "AzureFirewallManagementSubnet", [], "AR-034", ["high"]],
    ["AzureFirewallSubnet without: nothing", "AzureFirewallSubnet", undefined, "AR-034", []],
  ])("%s", (_n, name, nsgRules, id, severities) => {
    expect(findings(withSubnet(name, "10.1.254.0/26", nsgRules as Rule[] | undefined), id).map((f) => f.severity)).toEqual(severities);
  });
});

describe("required rules read by names agree with the exact reading whenever they decide (property)", () => {
  const side = fc.constantFrom("*", "Internet", "GatewayManager", "VirtualNetwork", "10.0.0.0/8", "AzureLoadBalancer");
  const ports = fc.constantFrom("443", "*", "80-443", "444", "65200-65535", "22");
  const ruleArb = fc.tuple(fc.integer({ min: 100, max: 4096 }), fc.constantFrom("Allow", "Deny"), fc.constantFrom("Tcp", "*", "Udp"), side, ports);
  const req: RequiredFlow = { name: "AllowGatewayManagerInbound", direction: "Inbound", protocol: "Tcp", ports: "443", remote: "GatewayManager" };

  test("GatewayManager 443 inbound", () => {
    fc.assert(
      fc.property(fc.uniqueArray(ruleArb, { maxLength: 5, selector: (r) => r[0] }), (list) => {
        const nsgRules: Rule[] = list.map(([p, access, proto, src, port], i) => [`r${i}`, p, "Inbound", access, proto, src, "*", port]);
        const topo = buildTopology(withSubnet("AzureBastionSubnet", "10.1.250.0/26", nsgRules));
        const subnet = [...topo.subnets.values()].find((s) => s.azureName === "AzureBastionSubnet")!;
        const nsg = [...topo.nsgs.values()].find((n) => n.logicalName === "nsg-platform")!;
        const exact = checkRequirement(engineEnv(topo, TAGS), subnet, nsg, req);
        const byNames = checkRequirement(engineEnv(topo, EMPTY_CATALOG), subnet, nsg, req);
        if (byNames.kind !== "undecided") expect(byNames.kind).toBe(exact.kind);
      }),
      { numRuns: 150 },
    );
  });
});
