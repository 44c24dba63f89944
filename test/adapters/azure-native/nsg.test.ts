import { buildTopology } from "../../../src/adapters/azure-native";
import type { Diagnostic } from "../../../src/model/diagnostic";
import type { AddressSpec, Nsg } from "../../../src/model/topology";
import { isUnknown, unknown } from "../../../src/model/unknown";
import type { PropertyObject, PropertyValue } from "../../../src/resources/record";
import { PortSet } from "../../../src/sets/port-set";
import { change, happyPath, ID, rule, setProp, U } from "./fixture";

function nsgOf(records = happyPath()): { nsg: Nsg; diagnostics: readonly Diagnostic[] } {
  const topo = buildTopology(records);
  return { nsg: topo.nsgs.get(U.nsgWeb)!, diagnostics: topo.diagnostics };
}

/** The happy path with nsg-web's inline rules replaced. */
function withInlineRules(rules: PropertyValue[]) {
  return setProp(happyPath(), "nsg-web", "securityRules", rules);
}

const AZURE_DEFAULTS: PropertyObject[] = [
  ["AllowVnetInBound", "Inbound", 65000, "VirtualNetwork", "VirtualNetwork", "Allow"],
  ["AllowAzureLoadBalancerInBound", "Inbound", 65001, "AzureLoadBalancer", "*", "Allow"],
  ["DenyAllInBound", "Inbound", 65500, "*", "*", "Deny"],
  ["AllowVnetOutBound", "Outbound", 65000, "VirtualNetwork", "VirtualNetwork", "Allow"],
  ["AllowInternetOutBound", "Outbound", 65001, "*", "Internet", "Allow"],
  ["DenyAllOutBound", "Outbound", 65500, "*", "*", "Deny"],
].map(([name, direction, priority, src, dst, access]) => ({
  name,
  id: `${ID.nsgWeb}/defaultSecurityRules/${name}`,
  direction,
  priority,
  sourceAddressPrefix: src,
  destinationAddressPrefix: dst,
  access,
  protocol: "*",
  sourcePortRange: "*",
  destinationPortRange: "*",
  sourceAddressPrefixes: [],
  destinationAddressPrefixes: [],
  sourcePortRanges: [],
  destinationPortRanges: [],
  provisioningState: "Succeeded",
}));

describe("NSG: inline and standalone rules", () => {
  test("outputs listing the standalone rule inline again do not duplicate it (standalone wins)", () => {
    const records = withInlineRules([
      rule("allow-https", 100),
      rule("allow-ssh", 110, { destinationPortRange: "22", sourceAddressPrefix: "10.0.0.0/8" }),
    ]);
    const { nsg, diagnostics } = nsgOf(records);
    expect(nsg.rules.map((r) => `${r.name}:${r.origin}`)).toEqual(["allow-https:inline", "allow-ssh:standalone"]);
    expect(diagnostics).toEqual([]);
  });

  test("twins match case-insensitively", () => {
    const { nsg } = nsgOf(withInlineRules([rule("allow-https", 100), rule("Allow-SSH", 110)]));
    expect(nsg.rules.map((r) => r.name)).toEqual(["allow-https", "allow-ssh"]);
  });

  test("standalone rule finds its NSG by the networkSecurityGroupName input when its id is unknown", () => {
    const records = change(happyPath(), "rule-ssh", (r) => ({ ...r, id: unknown(".id", r.urn) }));
    const { nsg, diagnostics } = nsgOf(records);
    expect(nsg.rules.map((r) => r.name)).toEqual(["allow-https", "allow-ssh"]);
    expect(diagnostics).toEqual([]);
  });

  test("standalone rule finds its NSG through propertyDependencies when the name is unknown", () => {
    const records = change(happyPath(), "rule-ssh", (r) => ({
      ...r,
      id: unknown(".id", r.urn),
      inputs: { networkSecurityGroupName: unknown(".networkSecurityGroupName", r.urn) },
      propertyDependencies: { networkSecurityGroupName: [U.nsgWeb] },
    }));
    expect(nsgOf(records).nsg.rules.map((r) => r.name)).toEqual(["allow-https", "allow-ssh"]);
  });

  test("standalone rule whose NSG cannot be found is reported and not attached", () => {
    const records = change(happyPath(), "rule-ssh", (r) => ({
      ...r,
      id: unknown(".id", r.urn),
      inputs: { networkSecurityGroupName: "nsg-elsewhere" },
    }));
    const { nsg, diagnostics } = nsgOf(records);
    expect(nsg.rules.map((r) => r.name)).toEqual(["allow-https"]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: "unresolved-reference", resource: U.ruleSsh, field: "networkSecurityGroupName", value: "nsg-elsewhere" });
  });

  test("an unknown inline rule list becomes one rule unknown in every field", () => {
    const records = setProp(happyPath(), "nsg-web", "securityRules", unknown(".securityRules", U.nsgWeb));
    const { nsg } = nsgOf(records);
    expect(nsg.rules).toHaveLength(2);
    const r = nsg.rules[0];
    expect(r.name).toBe("securityRules[*]");
    expect(isUnknown(r.priority) && isUnknown(r.access) && isUnknown(r.sources) && isUnknown(r.destinationPorts)).toBe(true);
    expect(r.valid).toBe(true);
  });

  test("an unknown field stays Unknown, not invalid", () => {
    const { nsg, diagnostics } = nsgOf(
      withInlineRules([rule("allow-https", 100, { destinationPortRange: unknown(".securityRules[0].destinationPortRange", U.nsgWeb) })]),
    );
    const r = nsg.rules[0];
    expect(r.valid).toBe(true);
    expect(r.destinationPorts).toEqual(unknown(".securityRules[0].destinationPortRange", U.nsgWeb));
    expect(diagnostics).toEqual([]);
  });
});

describe("NSG: default rules", () => {
  test("absent from outputs: the six defaults are synthesized", () => {
    const { nsg } = nsgOf();
    expect(nsg.defaultRules).toHaveLength(6);
    expect(nsg.defaultRules.every((r) => r.origin === "default" && r.valid)).toBe(true);
    const byName = new Map(nsg.defaultRules.map((r) => [r.name, r]));
    expect(byName.get("AllowAzureLoadBalancerInBound")).toMatchObject({
      priority: 65001,
      direction: "Inbound",
      access: "Allow",
      protocolText: "*",
      sources: [{ kind: "tag", text: "AzureLoadBalancer", tag: "AzureLoadBalancer" }],
      destinations: [{ kind: "any", text: "*" }],
    });
    expect(byName.get("AllowInternetOutBound")!.destinations).toEqual([{ kind: "tag", text: "Internet", tag: "Internet" }]);
    expect((byName.get("DenyAllOutBound")!.destinationPorts as PortSet).isAll()).toBe(true);
  });

  test("present in outputs: those six are used, never twelve", () => {
    const records = setProp(happyPath(), "nsg-web", "defaultSecurityRules", AZURE_DEFAULTS);
    const { nsg, diagnostics } = nsgOf(records);
    expect(nsg.defaultRules).toHaveLength(6);
    expect(nsg.defaultRules.map((r) => r.name)).toEqual(AZURE_DEFAULTS.map((r) => r.name));
    expect(nsg.defaultRules.every((r) => r.origin === "default" && r.valid)).toBe(true);
    expect(nsg.defaultRules[0].priority).toBe(65000);
    expect(diagnostics).toEqual([]);
  });

  test("unknown at preview: synthesized", () => {
    const records = setProp(happyPath(), "nsg-web", "defaultSecurityRules", unknown(".defaultSecurityRules", U.nsgWeb));
    expect(nsgOf(records).nsg.defaultRules).toHaveLength(6);
  });
});

describe("NSG: rule fields", () => {
  test("address kinds: any, prefix, tag, ASG; plural prefixes are an augmented rule", () => {
    const { nsg, diagnostics } = nsgOf(
      withInlineRules([
        rule("r1", 100, { sourceAddressPrefix: "Any", destinationAddressPrefix: "0.0.0.0/0" }),
        rule("r2", 101, { sourceAddressPrefix: undefined, sourceAddressPrefixes: ["10.0.0.0/8", "192.168.1.1"], destinationAddressPrefix: "Storage.WestUS" }),
        rule("r3", 102, { sourceAddressPrefix: "::/0", destinationAddressPrefix: undefined, destinationApplicationSecurityGroups: [{ id: ID.asgWeb }] }),
      ]),
    );
    expect(diagnostics).toEqual([]);
    const [r1, r2, r3] = nsg.rules;
    expect(r1.sources).toEqual([{ kind: "any", text: "Any" }]);
    expect(r1.destinations).toMatchObject([{ kind: "prefix", text: "0.0.0.0/0" }]);
    const r2src = r2.sources as readonly AddressSpec[];
    expect(r2src.map((s) => s.kind)).toEqual(["prefix", "prefix"]);
    const second = r2src[1];
    expect(second.kind === "prefix" && second.set.contains("192.168.1.1")).toBe(true);
    expect(r2.destinations).toEqual([{ kind: "tag", text: "Storage.WestUS", tag: "Storage.WestUS" }]);
    expect(r3.sources).toMatchObject([{ kind: "prefix", text: "::/0" }]);
    expect(r3.destinations).toEqual([{ kind: "asg", text: ID.asgWeb, asgKey: U.asgWeb }]);
  });

  test("ports: singular list, plural ranges; protocol set and text", () => {
    const { nsg } = nsgOf(
      withInlineRules([
        rule("r1", 100, { destinationPortRange: "80,443,8000-8100", protocol: "udp" }),
        rule("r2", 101, { destinationPortRange: undefined, destinationPortRanges: ["22", "3389"] }),
      ]),
    );
    expect((nsg.rules[0].destinationPorts as PortSet).toString()).toBe("80,443,8000-8100");
    expect(nsg.rules[0].protocolText).toBe("udp");
    expect((nsg.rules[1].destinationPorts as PortSet).toString()).toBe("22,3389");
  });

  test("host bits in a prefix: a prefix-normalised warning with the normalised prefix; the rule stays valid", () => {
    const { nsg, diagnostics } = nsgOf(withInlineRules([rule("r1", 100, { sourceAddressPrefix: "10.1.2.5/24" })]));
    expect(nsg.rules[0].valid).toBe(true);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: "prefix-normalised", severity: "warning", value: "10.1.2.5/24" });
    expect(diagnostics[0].message).toContain("10.1.2.0/24");
  });

  test("singular and plural both set: an error, the union is used", () => {
    const { nsg, diagnostics } = nsgOf(
      withInlineRules([rule("r1", 100, { sourceAddressPrefix: "10.0.0.0/8", sourceAddressPrefixes: ["192.168.0.0/16"] })]),
    );
    expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([["conflicting-fields", "error"]]);
    expect(nsg.rules[0].sources).toHaveLength(2);
  });

  test("empty plural lists (as Azure returns them) count as absent", () => {
    const { nsg, diagnostics } = nsgOf(withInlineRules([rule("r1", 100, { sourceAddressPrefixes: [], destinationPortRanges: [] })]));
    expect(diagnostics).toEqual([]);
    expect(nsg.rules[0].valid).toBe(true);
  });

  test("ASG reference with an unknown id resolves through propertyDependencies", () => {
    const records = change(
      withInlineRules([
        rule("r1", 100, { sourceAddressPrefix: undefined, sourceApplicationSecurityGroups: [{ id: unknown(".securityRules[0].sourceApplicationSecurityGroups[0].id", U.nsgWeb) }] }),
      ]),
      "nsg-web",
      (r) => ({ ...r, propertyDependencies: { securityRules: [U.asgWeb] } }),
    );
    const { nsg, diagnostics } = nsgOf(records);
    expect(nsg.rules[0].sources).toMatchObject([{ kind: "asg", asgKey: U.asgWeb }]);
    expect(diagnostics).toEqual([]);
  });
});

/** Invalid rules: [case, field changed, bad value, field in the diagnostic, words the message must contain]. */
const INVALID: ReadonlyArray<readonly [string, string, PropertyValue | undefined, string, string]> = [
  ["reversed port range", "destinationPortRange", "90-80", "destinationPortRange", 'destinationPortRange "90-80" is a reversed port range'],
  ["port above 65535", "destinationPortRange", "70000", "destinationPortRange", "outside the port range"],
  ["port text", "sourcePortRange", "http", "sourcePortRange", '"http" is not a port'],
  ["malformed prefix", "sourceAddressPrefix", "10.0.0.300/24", "sourceAddressPrefix", '"10.0.0.300/24" is not an IPv4'],
  ["prefix length too long", "destinationAddressPrefix", "10.0.0.0/33", "destinationAddressPrefix", "prefix length 33"],
  ["priority below 100", "priority", 99, "priority", "99 is outside the range 100-4096"],
  ["priority above 4096", "priority", 5000, "priority", "5000 is outside the range 100-4096"],
  ["unknown protocol", "protocol", "Tcpx", "protocol", '"Tcpx" is not a protocol'],
  ["missing direction", "direction", undefined, "direction", "direction is missing"],
  ["bad direction", "direction", "Inward", "direction", '"Inward" is not Inbound or Outbound'],
  ["missing access", "access", undefined, "access", "access is missing"],
  ["bad access", "access", "Permit", "access", '"Permit" is not Allow or Deny'],
  ["missing priority", "priority", undefined, "priority", "priority is missing"],
  ["fractional priority", "priority", 150.5, "priority", "150.5 is not a whole number"],
  ["missing protocol", "protocol", undefined, "protocol", "protocol is missing"],
  ["missing source address", "sourceAddressPrefix", undefined, "sourceAddressPrefix", "neither sourceAddressPrefix, sourceAddressPrefixes nor sourceApplicationSecurityGroups is set"],
  ["missing destination port", "destinationPortRange", undefined, "destinationPortRange", "neither destinationPortRange nor destinationPortRanges is set"],
  ["IPv6 garbage", "destinationAddressPrefix", "fe80::zz/64", "destinationAddressPrefix", '"fe80::zz/64" is not an IPv4'],
];

describe("NSG: invalid rules", () => {
  test.each(INVALID)("%s: one invalid-rule diagnostic, rule invalid, others intact", (_case, field, bad, diagField, words) => {
    const broken = rule("allow-ssh-in", 120);
    if (bad === undefined) delete broken[field];
    else broken[field] = bad;
    const { nsg, diagnostics } = nsgOf(withInlineRules([rule("allow-https", 100), broken, rule("allow-http", 130, { destinationPortRange: "80" })]));
    expect(diagnostics).toHaveLength(1);
    const d = diagnostics[0];
    expect(d).toMatchObject({ code: "invalid-rule", severity: "error", resource: U.nsgWeb, field: `securityRules[allow-ssh-in].${diagField}` });
    if (bad !== undefined) expect(d.value).toBe(String(bad));
    expect(d.message).toContain("NSG nsg-web rule allow-ssh-in: ");
    expect(d.message).toContain(words);
    expect(d.message).not.toContain("\n");
    const byName = new Map(nsg.rules.map((r) => [r.name, r]));
    expect(byName.get("allow-ssh-in")!.valid).toBe(false);
    expect(byName.get("allow-https")!.valid).toBe(true);
    expect(byName.get("allow-http")!.valid).toBe(true);
    expect(byName.get("allow-ssh")!.valid).toBe(true);
    expect(nsg.defaultRules).toHaveLength(6);
  });

  test("the exact message of the brief's example", () => {
    const { diagnostics } = nsgOf(withInlineRules([rule("allow-ssh-in", 120, { destinationPortRange: "90-80" })]));
    expect(diagnostics[0].message).toBe(
      'NSG nsg-web rule allow-ssh-in: destinationPortRange "90-80" is a reversed port range (start 90 is above end 80)',
    );
  });

  test("a bad item in a plural field names that item", () => {
    const { nsg, diagnostics } = nsgOf(
      withInlineRules([rule("r1", 100, { destinationPortRange: undefined, destinationPortRanges: ["22", "99999"] })]),
    );
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ field: "securityRules[r1].destinationPortRanges", value: "99999" });
    expect(nsg.rules[0].valid).toBe(false);
  });

  test("an invalid standalone rule is reported against the NSG", () => {
    const records = setProp(happyPath(), "rule-ssh", "destinationPortRange", "22-21");
    const { nsg, diagnostics } = nsgOf(records);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: "invalid-rule", resource: U.nsgWeb, field: "securityRules[allow-ssh].destinationPortRange", value: "22-21" });
    expect(nsg.rules.map((r) => r.valid)).toEqual([true, false]);
  });

  test("two rules with one priority in one direction: both reported, both stay valid", () => {
    const { nsg, diagnostics } = nsgOf(withInlineRules([rule("a", 200), rule("b", 200, { destinationPortRange: "80" }), rule("c", 200, { direction: "Outbound" })]));
    expect(diagnostics.map((d) => [d.code, d.field])).toEqual([
      ["duplicate-priority", "securityRules[a].priority"],
      ["duplicate-priority", "securityRules[b].priority"],
    ]);
    expect(diagnostics[0].message).toContain("Azure rejects");
    expect(diagnostics[0].message).toContain("rule b");
    expect(nsg.rules.every((r) => r.valid)).toBe(true);
  });

  test("duplicate priority between an inline and a standalone rule", () => {
    const records = setProp(happyPath(), "rule-ssh", "priority", 100);
    const { diagnostics } = nsgOf(records);
    expect(diagnostics.map((d) => d.field)).toEqual(["securityRules[allow-https].priority", "securityRules[allow-ssh].priority"]);
  });

  test("default rules are exempt from the custom priority range", () => {
    const records = setProp(happyPath(), "nsg-web", "defaultSecurityRules", AZURE_DEFAULTS);
    expect(nsgOf(records).diagnostics).toEqual([]);
  });
});
