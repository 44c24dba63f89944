/**
 * Azure Firewall rule processing as golden tables from Microsoft's documented examples
 * (learn.microsoft.com/azure/firewall/rule-processing, MicrosoftDocs/azure-docs articles/firewall/rule-processing.md:
 * "Example 1", "Example 2", and the Firewall Policy inheritance example with BaseRCG1/BaseRCG2/ChildRCG1/ChildRCG2,
 * whose stated order is "DNATRC1, DNATRC3, ChDNATRC3, NetworkRC1, NetworkRC2, ChNetRC1, ChNetRC2, AppRC2, ChAppRC1,
 * ChAppRC2"), and the documented rules they rest on: DNAT, then network, then application rules whatever the
 * priorities; the parent policy first; first match; deny by default. Every case fails on the code before issue 15,
 * which had no firewall model (a route to the firewall was undecided).
 */
import { evaluateFirewall, orderedFirewallRules } from "../../src/engine/firewall";
import { CONCRETE } from "../../src/engine/first-match";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import type { AzureFirewall } from "../../src/model/firewall";
import type { Topology } from "../../src/model/topology";
import { unknown } from "../../src/model/unknown";
import type { Flow } from "../../src/sets/flow";
import { IpSet } from "../../src/sets/ip-set";
import { withFirewall, type CollectionText, type PolicyText } from "../helpers/firewall-builder";
import { ModelBuilder } from "../helpers/model-builder";

function base(): Topology {
  return new ModelBuilder().vnet("hub", ["10.0.0.0/16"]).subnet("AzureFirewallSubnet", "hub", "10.0.1.0/26").build();
}

function fwOf(topo: Topology): AzureFirewall {
  return [...(topo.firewall?.firewalls.values() ?? [])][0] as AzureFirewall;
}

const rc = (name: string, kind: CollectionText["kind"], priority: number, action: CollectionText["action"] = kind === "Nat" ? "Dnat" : "Allow"): CollectionText => ({
  name,
  kind,
  priority,
  action,
  rules: [{ name: `${name}-rule`, protocols: "TCP", ports: "80", ...(kind === "Nat" ? { translated: { address: "10.0.2.4", port: 80 } } : {}) }],
});

describe("processing order (Microsoft's Firewall Policy inheritance example)", () => {
  const policies: PolicyText[] = [
    {
      name: "BasePolicy",
      groups: [
        // The page gives BaseRCG1 and BaseRCG2 both priority 200; its stated order holds with the tie taken in name order.
        { name: "BaseRCG1", priority: 200, collections: [rc("DNATRC1", "Nat", 600), rc("DNATRC3", "Nat", 610), rc("NetworkRC1", "Network", 800)] },
        { name: "BaseRCG2", priority: 200, collections: [rc("AppRC2", "Application", 1200), rc("NetworkRC2", "Network", 1300)] },
      ],
    },
    {
      name: "ChildPolicy",
      base: "BasePolicy",
      groups: [
        { name: "ChildRCG1", priority: 300, collections: [rc("ChNetRC1", "Network", 700), rc("ChAppRC1", "Application", 900)] },
        { name: "ChildRCG2", priority: 650, collections: [rc("ChNetRC2", "Network", 1100), rc("ChAppRC2", "Application", 2000), rc("ChDNATRC3", "Nat", 3000)] },
      ],
    },
  ];
  test("DNAT, network, application; the parent's groups first; groups and collections by priority", () => {
    const topo = withFirewall(base(), { subnet: "AzureFirewallSubnet", ip: "10.0.1.4", policy: "ChildPolicy", policies });
    const order = orderedFirewallRules(topo.firewall!, fwOf(topo)).rules.map((r) => r.collection.name);
    expect(order).toEqual(["DNATRC1", "DNATRC3", "ChDNATRC3", "NetworkRC1", "NetworkRC2", "ChNetRC1", "ChNetRC2", "AppRC2", "ChAppRC1", "ChAppRC2"]);
  });

  test("DNAT rules come before network rules even when their group's priority is lower", () => {
    const topo = withFirewall(base(), {
      subnet: "AzureFirewallSubnet",
      ip: "10.0.1.4",
      policy: "p",
      policies: [{ name: "p", groups: [{ name: "net", priority: 100, collections: [rc("deny-all", "Network", 100, "Deny")] }, { name: "nat", priority: 65000, collections: [rc("dnat", "Nat", 65000)] }] }],
    });
    expect(orderedFirewallRules(topo.firewall!, fwOf(topo)).rules.map((r) => r.collection.name)).toEqual(["dnat", "deny-all"]);
  });
});

const TCP = (dst: string, port: number, src = "10.1.1.4"): Flow => ({ src, dst, protocol: 6, srcPort: 50000, dstPort: port });
const ICMP = (dst: string): Flow => ({ src: "10.1.1.4", dst, protocol: 1, srcPort: 0, dstPort: 0 });

type Case = [string, CollectionText[], Flow, "Allow" | "Deny" | "Unknown", string];

const CASES: Case[] = [
  [
    "Example 1: google.com is allowed by the network rule Allow-web; the application rule Deny-google is never reached",
    [
      { name: "net", kind: "Network", priority: 100, action: "Allow", rules: [{ name: "Allow-web", protocols: "TCP", src: ["*"], dst: ["*"], ports: "80,443" }] },
      { name: "app", kind: "Application", priority: 100, action: "Deny", rules: [{ name: "Deny-google", src: ["*"], ports: "80,443", fqdns: ["google.com"] }] },
    ],
    TCP("142.250.74.46", 443),
    "Allow",
    "Allow-web",
  ],
  [
    "Example 2: SSH is denied by Deny-collection (priority 100) before Allow-collection (priority 200)",
    [
      { name: "Allow-collection", kind: "Network", priority: 200, action: "Allow", rules: [{ name: "Allow-SSH", protocols: "TCP", ports: "22" }] },
      { name: "Deny-collection", kind: "Network", priority: 100, action: "Deny", rules: [{ name: "Deny-SSH", protocols: "TCP", ports: "22" }] },
    ],
    TCP("10.2.1.4", 22),
    "Deny",
    "Deny-SSH",
  ],
  ["no rule: denied by default", [], TCP("10.2.1.4", 443), "Deny", "default"],
  [
    "only an application rule may allow HTTPS: undecided (it matches by FQDN)",
    [{ name: "app", kind: "Application", priority: 100, action: "Allow", rules: [{ name: "updates", ports: "443", fqdns: ["*.windowsupdate.com"] }] }],
    TCP("198.51.100.7", 443),
    "Unknown",
    "default",
  ],
  [
    "an application rule on 443 cannot match SSH: the default deny decides",
    [{ name: "app", kind: "Application", priority: 100, action: "Allow", rules: [{ name: "updates", ports: "443" }] }],
    TCP("198.51.100.7", 22),
    "Deny",
    "default",
  ],
  [
    "an application Deny rule and the default deny agree: denied, whatever the FQDN",
    [{ name: "app", kind: "Application", priority: 100, action: "Deny", rules: [{ name: "no-web", ports: "443" }] }],
    TCP("198.51.100.7", 443),
    "Deny",
    "default",
  ],
  [
    "a network rule after an application rule of a higher priority still decides first",
    [
      { name: "app", kind: "Application", priority: 100, action: "Allow", rules: [{ name: "web", ports: "443" }] },
      { name: "net", kind: "Network", priority: 4000, action: "Deny", rules: [{ name: "no-https", protocols: "TCP", ports: "443" }] },
    ],
    TCP("198.51.100.7", 443),
    "Deny",
    "no-https",
  ],
  [
    "protocol Any covers ICMP when the rule's ports are *",
    [{ name: "net", kind: "Network", priority: 100, action: "Allow", rules: [{ name: "any", protocols: "Any", ports: "*" }] }],
    ICMP("10.2.1.4"),
    "Allow",
    "any",
  ],
  [
    "a rule restricted to ports matches no ICMP",
    [{ name: "net", kind: "Network", priority: 100, action: "Allow", rules: [{ name: "any-22", protocols: "Any", ports: "22" }] }],
    ICMP("10.2.1.4"),
    "Deny",
    "default",
  ],
  [
    "an address range source is exact",
    [{ name: "net", kind: "Network", priority: 100, action: "Allow", rules: [{ name: "range", protocols: "TCP", src: ["10.1.1.1-10.1.1.3"], ports: "443" }] }],
    TCP("10.2.1.4", 443, "10.1.1.4"),
    "Deny",
    "default",
  ],
  [
    "a destination FQDN in a network rule is undecided",
    [{ name: "net", kind: "Network", priority: 100, action: "Allow", rules: [{ name: "sql", protocols: "TCP", dst: [], ports: "1433", fqdns: ["db.example.com"] }] }],
    TCP("10.2.1.4", 1433),
    "Unknown",
    "default",
  ],
];

describe("first match over the firewall's rules (classic rules: collections by priority, per rule type)", () => {
  test.each(CASES)("%s", (_title, collections, flow, outcome, rule) => {
    const topo = withFirewall(base(), { subnet: "AzureFirewallSubnet", ip: "10.0.1.4", classic: collections });
    const d = evaluateFirewall(CONCRETE, engineEnv(topo, EMPTY_CATALOG), fwOf(topo), flow);
    expect(d).toHaveLength(1);
    expect([d[0].outcome, d[0].rule.rule?.name ?? "default"]).toEqual([outcome, rule]);
  });

  test("a parent policy's Deny comes before the child's Allow, whatever the numbers", () => {
    const topo = withFirewall(base(), {
      subnet: "AzureFirewallSubnet",
      ip: "10.0.1.4",
      policy: "child",
      policies: [
        { name: "parent", groups: [{ name: "g", priority: 65000, collections: [{ name: "deny", kind: "Network", priority: 65000, action: "Deny", rules: [{ name: "no-22", protocols: "TCP", ports: "22" }] }] }] },
        { name: "child", base: "parent", groups: [{ name: "g", priority: 100, collections: [{ name: "allow", kind: "Network", priority: 100, action: "Allow", rules: [{ name: "all", protocols: "Any" }] }] }] },
      ],
    });
    const d = evaluateFirewall(CONCRETE, engineEnv(topo, EMPTY_CATALOG), fwOf(topo), TCP("10.2.1.4", 22));
    expect([d[0].outcome, d[0].rule.ruleName]).toEqual(["Deny", "policy parent / rule collection group g / network rule collection deny / rule no-22"]);
  });

  test.each([
    ["known IP group holding the source: allowed", IpSet.fromCidr("10.1.0.0/16"), "Allow"],
    ["known IP group not holding it: default deny", IpSet.fromCidr("10.9.0.0/16"), "Deny"],
    ["IP group unknown at preview: undecided", unknown(".ipAddresses", "g1"), "Unknown"],
  ] as const)("IP groups: %s", (_t, set, outcome) => {
    const topo = withFirewall(base(), {
      subnet: "AzureFirewallSubnet",
      ip: "10.0.1.4",
      classic: [{ name: "net", kind: "Network", priority: 100, action: "Allow", rules: [{ name: "spokes", protocols: "TCP", src: ["ipgroup:g1"], ports: "443" }] }],
      ipGroups: { g1: set },
    });
    const d = evaluateFirewall(CONCRETE, engineEnv(topo, EMPTY_CATALOG), fwOf(topo), TCP("10.2.1.4", 443));
    expect(d[0].outcome).toBe(outcome);
  });
});
