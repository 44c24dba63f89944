/**
 * Builds Virtual Network Manager model objects for engine tests (no adapter). The shapes mirror the azure-native
 * resources (docs/avnm.md): a network manager, a network group with static VNet members, a security admin
 * configuration, a rule collection applied to the group, admin rules, and a SecurityAdmin commit to regions.
 */
import type { AddressSpec, AdminAccess, AdminRule, Avnm, Direction, Topology } from "../../src/model/topology";
import type { Maybe, Unknown } from "../../src/model/unknown";
import { parsePrefix } from "../../src/sets/ip-set";
import { PortSet } from "../../src/sets/port-set";
import { ProtocolSet } from "../../src/sets/protocol-set";

export interface AdminRuleSpec {
  name: string;
  priority: Maybe<number>;
  direction: Direction;
  access: Maybe<AdminAccess>;
  protocol?: string;
  src?: string[];
  dst?: string[];
  sport?: string;
  dport?: string;
}

function specs(texts: string[] | undefined): AddressSpec[] {
  return (texts ?? ["*"]).map((text): AddressSpec => {
    if (text === "*") return { kind: "any", text };
    const p = parsePrefix(text);
    return p.ok ? { kind: "prefix", text, set: p.set } : { kind: "tag", text, tag: text };
  });
}

function ports(text: string | undefined): PortSet {
  const p = PortSet.parse(text ?? "*");
  if (!p.ok) throw new Error(p.error);
  return p.set;
}

export function adminRule(collection: string, s: AdminRuleSpec): AdminRule {
  const proto = ProtocolSet.fromAzure(s.protocol ?? "*");
  if (!proto.ok) throw new Error(proto.error);
  return {
    kind: "Custom",
    name: s.name,
    urn: `urn:pulumi:test::test::azure-native:network:AdminRule::${s.name}`,
    collectionKey: collection,
    priority: s.priority,
    direction: s.direction,
    access: s.access,
    protocol: proto.set,
    protocolText: s.protocol ?? "*",
    sources: specs(s.src),
    destinations: specs(s.dst),
    sourcePorts: ports(s.sport),
    destinationPorts: ports(s.dport),
    valid: true,
  };
}

const ent = (type: string, name: string) => ({
  key: name,
  urn: `urn:pulumi:test::test::azure-native:network:${type}::${name}`,
  logicalName: name,
  azureName: name,
  id: `/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/networkManagers/avnm/${type}/${name}`,
});

export interface AvnmSpec {
  /** VNets in the network group. */
  members: Maybe<string>[];
  rules: AdminRuleSpec[];
  /** Regions the configuration is committed to (default: westeurope); `null`: no commit. */
  commitTo?: Maybe<readonly string[]> | null;
  /** Each VNet's region (default: westeurope). */
  locations?: Record<string, Maybe<string>>;
  /** Set: an Azure Policy adds members to the group (dynamic membership). */
  dynamic?: Unknown;
}

/** The topology with one network manager, group, configuration `cfg` and collection `coll` holding the rules. */
export function withAvnm(topo: Topology, spec: AvnmSpec): Topology {
  const locations = new Map<string, Maybe<string>>([...topo.vnets.keys()].map((k) => [k, spec.locations?.[k] ?? "westeurope"]));
  const avnm: Avnm = {
    networkManagers: new Map([["avnm", { ...ent("NetworkManager", "avnm"), scopeAccesses: ["SecurityAdmin"] }]]),
    networkGroups: new Map([["group", { ...ent("NetworkGroup", "group"), networkManagerKey: "avnm", memberType: "VirtualNetwork", staticMembers: spec.members, ...(spec.dynamic ? { dynamicMembers: spec.dynamic } : {}) }]]),
    configurations: new Map([["cfg", { ...ent("SecurityAdminConfiguration", "cfg"), networkManagerKey: "avnm" }]]),
    collections: new Map([["coll", { ...ent("AdminRuleCollection", "coll"), configurationKey: "cfg", appliesToGroups: ["group"] }]]),
    rules: spec.rules.map((r) => adminRule("coll", r)),
    commits:
      spec.commitTo === null
        ? new Map()
        : new Map([
            [
              "commit",
              { ...ent("Commit", "commit"), networkManagerKey: "avnm", commitType: "SecurityAdmin", configurationKeys: ["cfg"], targetLocations: spec.commitTo ?? ["westeurope"] },
            ],
          ]),
    vnetLocations: locations,
  };
  return { ...topo, avnm };
}
