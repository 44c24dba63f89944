/**
 * Builds the model's firewall part (src/model/firewall.ts) from short rule texts, for engine tests. The shapes are
 * what the adapter makes of azure-native's AzureFirewall / FirewallPolicy / FirewallPolicyRuleCollectionGroup
 * (pulumi-azure-native v3 SDK, types/input.d.ts NetworkRuleArgs, ApplicationRuleArgs, NatRuleArgs).
 */
import { parseFirewallAddress } from "../../src/adapters/azure-native/firewall";
import type { AzureFirewall, FirewallAction, FirewallAddress, FirewallModel, FirewallPolicy, FirewallRule, FirewallRuleCollection, FirewallRuleCollectionGroup, FirewallRuleKind, IpGroup } from "../../src/model/firewall";
import type { Topology } from "../../src/model/topology";
import type { Maybe } from "../../src/model/unknown";
import { IpSet } from "../../src/sets/ip-set";
import { PortSet } from "../../src/sets/port-set";
import { Icmp, ProtocolSet, Tcp, Udp } from "../../src/sets/protocol-set";

export interface RuleText {
  readonly name: string;
  readonly kind?: FirewallRuleKind;
  /** "TCP", "UDP", "ICMP", "Any" (comma-separated); application rules: ignored (TCP). */
  readonly protocols?: string;
  readonly src?: readonly string[];
  /** "ipgroup:<key>" items name IP groups. */
  readonly dst?: readonly string[];
  readonly ports?: string;
  readonly fqdns?: readonly string[];
  readonly translated?: { address: string; port?: number };
}

export interface CollectionText {
  readonly name: string;
  readonly kind: FirewallRuleKind;
  readonly priority: Maybe<number>;
  readonly action: Maybe<FirewallAction>;
  readonly rules: readonly RuleText[];
}

export interface GroupText {
  readonly name: string;
  readonly priority: Maybe<number>;
  readonly collections: readonly CollectionText[];
}

export interface PolicyText {
  readonly name: string;
  readonly base?: string;
  readonly groups: readonly GroupText[];
}

const PROTOS: Record<string, ProtocolSet> = { tcp: ProtocolSet.of(Tcp), udp: ProtocolSet.of(Udp), icmp: ProtocolSet.of(Icmp), any: ProtocolSet.of(Tcp, Udp, Icmp) };

function addr(t: string): FirewallAddress {
  if (t.startsWith("ipgroup:")) return { kind: "ipGroup", text: t, ipGroupKey: t.slice(8) };
  const p = parseFirewallAddress(t);
  if (p.kind === "invalid") throw new Error(`bad address ${t}`);
  return p;
}

function rule(t: RuleText, kind: FirewallRuleKind, place: FirewallRule["place"]): FirewallRule {
  const protocols = kind === "Application" ? ProtocolSet.of(Tcp) : (t.protocols ?? "TCP").split(",").reduce((acc, p) => acc.union(PROTOS[p.trim().toLowerCase()] ?? ProtocolSet.empty()), ProtocolSet.empty());
  const ports = PortSet.parse(t.ports ?? "*");
  if (!ports.ok) throw new Error(ports.error);
  const base: FirewallRule = {
    name: t.name,
    kind,
    place,
    protocols,
    protocolText: t.protocols ?? "TCP",
    sources: (t.src ?? ["*"]).map(addr),
    destinations: [...(t.dst ?? ["*"]).map(addr), ...(t.fqdns && kind === "Network" ? t.fqdns.map((f) => ({ kind: "fqdn" as const, text: f })) : [])],
    destinationPorts: ports.set,
    ...(kind === "Application" ? { layer7: (t.fqdns ?? ["www.example.com"]).map((f) => `targetFqdns: ${f}`) } : {}),
    valid: true,
  };
  return t.translated ? { ...base, translatedAddress: t.translated.address, translatedPort: t.translated.port } : base;
}

function entity(kind: string, name: string) {
  return { key: `${kind}/${name}`, urn: `urn:pulumi:test::fw::${kind}::${name}`, logicalName: name, azureName: name, id: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/${kind}/${name}` };
}

/** The topology with a firewall (private IP `ip` in subnet `subnet`, one public IP `pip` when given) and its policies. */
export function withFirewall(
  topo: Topology,
  o: { name?: string; subnet: string; ip: Maybe<string>; policy?: string; classic?: readonly CollectionText[]; policies?: readonly PolicyText[]; ipGroups?: Record<string, Maybe<IpSet>>; publicIp?: string },
): Topology {
  const policies = new Map<string, FirewallPolicy>();
  const groups = new Map<string, FirewallRuleCollectionGroup>();
  for (const p of o.policies ?? []) {
    const pe = entity("firewallPolicies", p.name);
    const keys: string[] = [];
    for (const g of p.groups) {
      const ge = entity("ruleCollectionGroups", `${p.name}-${g.name}`);
      keys.push(ge.key);
      const collections: FirewallRuleCollection[] = g.collections.map((c) => ({
        name: c.name,
        kind: c.kind,
        priority: c.priority,
        action: c.action,
        rules: c.rules.map((r) => rule(r, r.kind ?? c.kind, { ownerKey: pe.key, urn: ge.urn, policyName: p.name, groupName: g.name, collectionName: c.name })),
      }));
      groups.set(ge.key, { ...ge, azureName: g.name, policyKey: pe.key, priority: g.priority, collections });
    }
    policies.set(pe.key, { ...pe, basePolicyKey: p.base ? `firewallPolicies/${p.base}` : null, threatIntelMode: undefined, groupKeys: keys, tags: {} });
  }
  const fe = entity("azureFirewalls", o.name ?? "fw");
  const place = { ownerKey: fe.key, urn: fe.urn, policyName: `${o.name ?? "fw"} (classic rules)` };
  const classic: FirewallRuleCollection[] = (o.classic ?? []).map((c) => ({ name: c.name, kind: c.kind, priority: c.priority, action: c.action, rules: c.rules.map((r) => rule(r, c.kind, { ...place, collectionName: c.name })) }));
  const publicIps = new Map(topo.publicIps);
  if (o.publicIp) publicIps.set(o.publicIp, { ...entity("publicIPAddresses", o.publicIp), key: o.publicIp, ipAddress: undefined });
  const fw: AzureFirewall = {
    ...fe,
    ipConfigurations: [{ name: "cfg", subnetKey: o.subnet, publicIpKey: o.publicIp ?? null }],
    privateIp: o.ip,
    privateIpAssumed: false,
    subnetKey: o.subnet,
    publicIpKeys: o.publicIp ? [o.publicIp] : [],
    policyKey: o.policy ? `firewallPolicies/${o.policy}` : null,
    classicCollections: classic,
    threatIntelMode: undefined,
    tags: {},
  };
  const ipGroups = new Map<string, IpGroup>(Object.entries(o.ipGroups ?? {}).map(([k, v]) => [k, { ...entity("ipGroups", k), key: k, addresses: v }]));
  const firewall: FirewallModel = { firewalls: new Map([[fw.key, fw]]), policies, ruleCollectionGroups: groups, ipGroups };
  return { ...topo, publicIps, firewall };
}
