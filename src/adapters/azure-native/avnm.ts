/**
 * Azure Virtual Network Manager resources -> the model's Avnm (issue 15; docs/avnm.md).
 *
 * Shapes, from @pulumi/azure-native 3.x (network/*.d.ts; pulumi/pulumi-azure-native-sdk network/adminRule.go,
 * adminRuleCollection.go, staticMember.go):
 * - NetworkManager: networkManagerScopes, networkManagerScopeAccesses (SecurityAdmin, Connectivity, ...).
 * - NetworkGroup (networkManagerName): memberType. StaticMember (networkManagerName, networkGroupName): resourceId,
 *   the VNet's ARM id. Dynamic membership (Azure Policy) is not in the plan and is not read: see docs/avnm.md.
 * - SecurityAdminConfiguration (networkManagerName): applyOnNetworkIntentPolicyBasedServices, ...
 * - AdminRuleCollection (networkManagerName, configurationName): appliesToGroups[].networkGroupId.
 * - AdminRule (networkManagerName, configurationName, ruleCollectionName): kind "Custom", access
 *   Allow|Deny|AlwaysAllow, priority 1-4096, direction, protocol Tcp|Udp|Icmp|Esp|Ah|Any, sources/destinations
 *   [{addressPrefix, addressPrefixType: IPPrefix|ServiceTag}], sourcePortRanges, destinationPortRanges.
 * - DefaultAdminRule: kind "Default", `flag` names a rule whose content Azure defines: not decidable from the plan.
 * - Commit (networkManagerName): properties.{commitType, configurationIds, targetLocations}.
 * Malformed values give one diagnostic each (resource, field, value); the rule is then left out of evaluation.
 */
import { quoteValue } from "../../io/quote";
import type {
  AddressSpec,
  AdminAccess,
  AdminRule,
  AdminRuleCollection,
  Avnm,
  AvnmCommit,
  Direction,
  NetworkGroup,
  NetworkManager,
  SecurityAdminConfiguration,
} from "../../model/topology";
import { isUnknown, unknown, type Maybe, type Unknown } from "../../model/unknown";
import { undecidedRuleFields } from "../../model/topology";
import type { ResourceRecord } from "../../resources/record";
import { parsePrefix } from "../../sets/ip-set";
import { PortSet } from "../../sets/port-set";
import { ProtocolSet } from "../../sets/protocol-set";
import { memoized, recordsOf, register, report, sortedMap, type BuildContext, type EntityRef } from "./context";
import { topLevelRef } from "./entities";
import { azureNameOf, entityIdOf, get, indexPath, list, num, resourceGroupOf, str, text, type PV } from "./props";
import { resolveParent, resolveRef } from "./refs";
import { isTypeOf, kindsRegistered, NAME_PARAM, POLICY_DEFINITION_TYPES, rowOf, type ResourceKind } from "./kinds";

export const ADMIN_PRIORITY_MIN = 1;
export const ADMIN_PRIORITY_MAX = 4096;

/** The AVNM kinds and their parents, parents before children (kinds.ts, registration "avnm", in table order). */
const CHILD_KINDS: ReadonlyArray<readonly [ResourceKind, ResourceKind]> = kindsRegistered("avnm").flatMap((kind) => {
  const parent = rowOf(kind).parent;
  return parent === undefined ? [] : [[kind, parent] as const];
});

/** Registers the AVNM resources so references can name them (parents before children). */
function registerAvnm(ctx: BuildContext): Map<string, Maybe<string>> {
  const parents = new Map<string, Maybe<string>>();
  for (const record of recordsOf(ctx, "networkManager")) register(ctx, topLevelRef(record, "networkManager"));
  for (const [kind, parentKind] of CHILD_KINDS) {
    for (const record of recordsOf(ctx, kind)) {
      const ownId = entityIdOf(record);
      const parentKey = resolveParent(ctx, { record, parentKind, param: NAME_PARAM[parentKind], id: ownId });
      parents.set(record.urn, parentKey);
      const rg = resourceGroupOf(record);
      const ref: EntityRef = {
        kind,
        key: record.urn,
        urn: record.urn,
        label: record.name,
        azureName: azureNameOf(record, NAME_PARAM[kind]),
        id: ownId,
        parentKey,
        ...(rg !== undefined ? { resourceGroup: rg } : {}),
      };
      register(ctx, ref);
    }
  }
  return parents;
}

function entityOf(ctx: BuildContext, record: ResourceRecord): { key: string; urn: string; logicalName: string; azureName: Maybe<string>; id: Maybe<string> } {
  const ref = ctx.refs.get(record.urn);
  return {
    key: record.urn,
    urn: record.urn,
    logicalName: record.name,
    azureName: ref?.azureName ?? unknown(".name", record.urn),
    id: ref?.id ?? unknown(".id", record.urn),
  };
}

/** Azure region spelling: `West Europe` and `westeurope` are one region. */
export function normalizeLocation(loc: string): string {
  return loc.replace(/\s+/g, "").toLowerCase();
}

function stringList(v: PV): Maybe<readonly string[] | undefined> {
  const l = list(v);
  if (l === undefined || isUnknown(l)) return l;
  const out: string[] = [];
  for (const item of l) {
    const s = str(item);
    if (isUnknown(s)) return s;
    if (typeof s === "string") out.push(s);
  }
  return out;
}

export function buildAvnm(ctx: BuildContext): Avnm | undefined {
  const any = CHILD_KINDS.some(([k]) => recordsOf(ctx, k).length > 0) || recordsOf(ctx, "networkManager").length > 0;
  if (!any) return undefined;
  const parents = registerAvnm(ctx);
  const parentOf = (r: ResourceRecord): Maybe<string> => parents.get(r.urn) ?? unknown(".parent", r.urn, "missing");

  const networkManagers = sortedMap(
    recordsOf(ctx, "networkManager").map((r) => {
      const m: NetworkManager = { ...entityOf(ctx, r), scopeAccesses: stringList(r.props.networkManagerScopeAccesses) };
      return [r.urn, m] as const;
    }),
  );

  const staticMembers = new Map<string, Maybe<string>[]>();
  for (const r of recordsOf(ctx, "staticMember")) {
    const group = parentOf(r);
    if (typeof group !== "string") continue;
    const vnet = resolveRef(ctx, { value: r.props.resourceId, path: ".resourceId", record: r, depProp: "resourceId", kind: "vnet" });
    const member: Maybe<string> = vnet ?? missingField(ctx, r, "resourceId", "static member");
    const l = staticMembers.get(group) ?? [];
    l.push(member);
    staticMembers.set(group, l);
  }
  const dynamic = dynamicMembership(ctx);
  const networkGroups = sortedMap(
    recordsOf(ctx, "networkGroup").map((r) => {
      const members = staticMembers.get(r.urn) ?? [];
      const policy = dynamic.get(r.urn) ?? dynamic.get("*");
      if (policy === undefined && members.length === 0) {
        report(ctx, {
          code: "avnm-no-static-member",
          severity: "info",
          resource: r.urn,
          field: "staticMembers",
          message: `network group ${r.name} has no static member in the plan: VNets Azure Policy adds to it (dynamic membership) are not in the plan, and its admin rules are taken to apply to no VNet`,
        });
      }
      const g: NetworkGroup = {
        ...entityOf(ctx, r),
        networkManagerKey: parentOf(r),
        memberType: text(r.props.memberType),
        staticMembers: members,
        ...(policy !== undefined ? { dynamicMembers: policy } : {}),
      };
      return [r.urn, g] as const;
    }),
  );

  const configurations = sortedMap(
    recordsOf(ctx, "securityAdminConfiguration").map((r) => {
      const c: SecurityAdminConfiguration = { ...entityOf(ctx, r), networkManagerKey: parentOf(r) };
      return [r.urn, c] as const;
    }),
  );

  const collections = sortedMap(
    recordsOf(ctx, "adminRuleCollection").map((r) => {
      const c: AdminRuleCollection = { ...entityOf(ctx, r), configurationKey: parentOf(r), appliesToGroups: groupsOf(ctx, r) };
      return [r.urn, c] as const;
    }),
  );

  const rules: AdminRule[] = [
    ...recordsOf(ctx, "adminRule").map((r) => parseAdminRule(ctx, r, parentOf(r))),
    ...recordsOf(ctx, "defaultAdminRule").map((r) => defaultAdminRule(ctx, r, parentOf(r))),
  ];
  reportDuplicatePriorities(ctx, rules);

  const commits = sortedMap(recordsOf(ctx, "avnmCommit").map((r) => [r.urn, parseCommit(ctx, r, parentOf(r))] as const));

  const vnetLocations = sortedMap(
    recordsOf(ctx, "vnet").map((r) => {
      const loc = text(r.props.location);
      const value: Maybe<string> =
        typeof loc === "string" ? normalizeLocation(loc) : (loc ?? unknown(".location", r.urn, "not set: the VNet takes its resource group's region"));
      return [r.urn, value] as const;
    }),
  );
  reportLocationsWithoutVnets(ctx, commits, vnetLocations);
  reportMembersOutsideCommittedRegions(ctx, networkGroups, collections, configurations, commits, vnetLocations);
  reportUncommitted(ctx, configurations, commits);
  return { networkManagers, networkGroups, configurations, collections, rules, commits, vnetLocations };
}

/**
 * A security admin configuration no SecurityAdmin commit lists is deployed nowhere: its rules apply to no VNet
 * (docs/avnm.md). Said once per configuration, and only when every commit's type and list is known (fuzz seed 28000
 * mutant 1864: the example's only commit deleted, the admin rules went off without a word).
 */
function reportUncommitted(ctx: BuildContext, configurations: ReadonlyMap<string, { readonly urn: string; readonly logicalName: string }>, commits: ReadonlyMap<string, AvnmCommit>): void {
  const listed = new Set<string>();
  for (const c of commits.values()) {
    if (isUnknown(c.commitType) || isUnknown(c.configurationKeys)) return;
    if (c.commitType.toLowerCase() !== "securityadmin") continue;
    for (const k of c.configurationKeys) {
      if (isUnknown(k)) return;
      listed.add(k);
    }
  }
  for (const [key, conf] of configurations) {
    if (listed.has(key)) continue;
    report(ctx, {
      code: "uncommitted-configuration",
      severity: "info",
      resource: conf.urn,
      message: `security admin configuration ${conf.logicalName} is listed by no SecurityAdmin commit of the plan: its admin rules are deployed nowhere`,
    });
  }
}

/**
 * A commit's target location where no VNet of the plan is: its configurations reach none of the plan's VNets there
 * (docs/avnm.md: a configuration applies in the regions its commit lists). Said once per location, and only when
 * every VNet's region is known (an unknown one may be that region): a misspelt region (fuzz seed 8000 mutant 3679's
 * neighbour, seed 31337 mutant 2212: a 100,000-character location) turned the admin rules off without a word.
 */
function reportLocationsWithoutVnets(ctx: BuildContext, commits: ReadonlyMap<string, AvnmCommit>, vnetLocations: ReadonlyMap<string, Maybe<string>>): void {
  const regions = new Set<string>();
  for (const loc of vnetLocations.values()) {
    if (isUnknown(loc)) return;
    regions.add(loc);
  }
  if (regions.size === 0) return;
  for (const c of commits.values()) {
    if (isUnknown(c.targetLocations)) continue;
    c.targetLocations.forEach((loc, i) => {
      if (regions.has(loc)) return;
      const field = `properties.targetLocations[${i}]`;
      report(ctx, {
        code: "target-location-without-vnets",
        severity: "info",
        resource: c.urn,
        field,
        value: quoteValue(loc, 60),
        message: `commit ${c.logicalName}: ${field} ${quoteValue(loc, 60)} is the region of no virtual network in the plan (${[...regions].sort().join(", ")}); its admin rules apply to none of them there`,
      });
    });
  }
}

/**
 * A VNet that is a static member of a group a committed configuration's collection applies to, in a region none of
 * that configuration's SecurityAdmin commits lists: the configuration's admin rules do not apply to it (docs/avnm.md:
 * a configuration applies in the regions its commit lists). Said on the VNet, once per configuration, and only when
 * the commits of the configuration are all known (fuzz seed 64000 mutant 3497: a member VNet's location made
 * 50,000 characters long turned the admin baseline off for it, and only the commit was said to deploy nowhere).
 */
function reportMembersOutsideCommittedRegions(
  ctx: BuildContext,
  groups: ReadonlyMap<string, NetworkGroup>,
  collections: ReadonlyMap<string, AdminRuleCollection>,
  configurations: ReadonlyMap<string, { readonly logicalName: string }>,
  commits: ReadonlyMap<string, AvnmCommit>,
  vnetLocations: ReadonlyMap<string, Maybe<string>>,
): void {
  // Per configuration, the regions its SecurityAdmin commits deploy it to; undefined: some commit is not known.
  const regions = new Map<string, Set<string> | undefined>();
  for (const c of commits.values()) {
    if (isUnknown(c.commitType) || isUnknown(c.configurationKeys)) return;
    if (c.commitType.toLowerCase() !== "securityadmin") continue;
    for (const k of c.configurationKeys) {
      if (isUnknown(k)) return;
      if (!regions.has(k)) regions.set(k, new Set());
      const set = regions.get(k);
      if (set === undefined) continue;
      if (isUnknown(c.targetLocations)) regions.set(k, undefined);
      else for (const loc of c.targetLocations) set.add(loc);
    }
  }
  const said = new Set<string>();
  for (const coll of collections.values()) {
    const conf = coll.configurationKey;
    if (isUnknown(conf) || isUnknown(coll.appliesToGroups)) continue;
    const committed = regions.get(conf);
    if (committed === undefined || committed.size === 0) continue;
    for (const gk of coll.appliesToGroups) {
      const group = isUnknown(gk) ? undefined : groups.get(gk);
      if (!group) continue;
      for (const vk of group.staticMembers) {
        const loc = isUnknown(vk) ? undefined : vnetLocations.get(vk);
        if (typeof vk !== "string" || typeof loc !== "string" || committed.has(loc) || said.has(`${vk}|${conf}`)) continue;
        said.add(`${vk}|${conf}`);
        const vnet = ctx.recordsByUrn.get(vk);
        report(ctx, {
          code: "member-outside-committed-regions",
          severity: "info",
          resource: vk,
          field: "location",
          value: quoteValue(loc, 60),
          message: `virtual network ${vnet?.name ?? vk}: location ${quoteValue(loc, 60)} is none of the regions security admin configuration ${configurations.get(conf)?.logicalName ?? conf} is committed to (${[...committed].sort().join(", ")}): the admin rules it applies to network group ${group.logicalName} do not apply to this VNet`,
        });
      }
    }
  }
}

function mentionsAddToNetworkGroup(v: PV, depth = 0): boolean {
  if (depth > 12 || v === undefined || v === null) return false;
  if (typeof v === "string") return v.toLowerCase() === "addtonetworkgroup";
  if (Array.isArray(v)) return v.some((x) => mentionsAddToNetworkGroup(x, depth + 1));
  if (typeof v === "object" && !isUnknown(v)) return Object.values(v).some((x) => mentionsAddToNetworkGroup(x, depth + 1));
  return false;
}

/**
 * Network groups whose members Azure Policy adds (concept-azure-policy-integration: a policy definition with the
 * effect addToNetworkGroup and details.networkGroupId). The group is found through the definition's
 * propertyDependencies; when none names one, every group may be its target ("*"). Which VNets the policy adds is
 * decided in Azure: membership beyond the static members is undecided.
 */
function dynamicMembership(ctx: BuildContext): Map<string, Unknown> {
  const out = new Map<string, Unknown>();
  for (const r of ctx.recordsByUrn.values()) {
    if (!isTypeOf(r.type, POLICY_DEFINITION_TYPES)) continue;
    const rule = r.props.policyRule;
    if (!isUnknown(rule) && !mentionsAddToNetworkGroup(rule)) continue;
    const u = unknown(".policyRule", r.urn, `Azure Policy ${r.name} adds VNets to network groups (dynamic membership): which ones is decided by Azure, not by the plan`);
    const groups = (r.propertyDependencies.policyRule ?? []).filter((urn) => ctx.refs.get(urn)?.kind === "networkGroup");
    if (groups.length === 0) out.set("*", u);
    for (const g of groups) out.set(g, u);
  }
  return out;
}

function missingField(ctx: BuildContext, r: ResourceRecord, field: string, what: string): Unknown {
  report(ctx, {
    code: "invalid-avnm",
    severity: "error",
    resource: r.urn,
    field,
    message: `${what} ${r.name}: ${field} is missing`,
  });
  return unknown(`.${field}`, r.urn, "missing");
}

function invalid(ctx: BuildContext, r: ResourceRecord, what: string, field: string, value: string, problem: string): Unknown {
  report(ctx, {
    code: "invalid-admin-rule",
    severity: "error",
    resource: r.urn,
    field,
    value: quoteValue(value, 120),
    message: `${what} ${r.name}: ${field} ${problem}`,
  });
  return unknown(`.${field}`, r.urn, "invalid");
}

function groupsOf(ctx: BuildContext, r: ResourceRecord): Maybe<readonly Maybe<string>[]> {
  const items = list(r.props.appliesToGroups);
  if (isUnknown(items)) return items;
  if (items === undefined || items.length === 0) {
    missingField(ctx, r, "appliesToGroups", "admin rule collection");
    return [];
  }
  return items.map((item, i) => {
    const path = `${indexPath(".appliesToGroups", i)}.networkGroupId`;
    const key = resolveRef(ctx, { value: get(item, "networkGroupId"), path, record: r, depProp: "appliesToGroups", kind: "networkGroup" });
    return key ?? missingField(ctx, r, path.slice(1), "admin rule collection");
  });
}

const COMMIT_TYPES: ReadonlySet<string> = new Set(["securityadmin", "connectivity", "securityuser", "routing"]);

function parseCommit(ctx: BuildContext, r: ResourceRecord, manager: Maybe<string>): AvnmCommit {
  const props = get(r.props, "properties");
  const base = { ...entityOf(ctx, r), networkManagerKey: manager };
  if (isUnknown(props)) return { ...base, commitType: props, configurationKeys: props, targetLocations: props };
  const rawType = text(get(props, "commitType"));
  // The API's ConfigurationType: any other value is no commit Azure accepts (fuzz seed 8000 mutant 3679: an "İ" in
  // SecurityAdmin turned the admin rules off without a word).
  const commitType =
    rawType === undefined
      ? missingField(ctx, r, "properties.commitType", "commit")
      : typeof rawType === "string" && !COMMIT_TYPES.has(rawType.toLowerCase())
        ? invalid(ctx, r, "commit", "properties.commitType", rawType, "is not SecurityAdmin, Connectivity, SecurityUser or Routing")
        : rawType;
  const ids = list(get(props, "configurationIds"));
  const configurationKeys: Maybe<readonly Maybe<string>[]> = isUnknown(ids)
    ? ids
    : (ids ?? []).map((v, i) => {
        const path = indexPath(".properties.configurationIds", i);
        return resolveRef(ctx, { value: v, path, record: r, depProp: "properties", kind: "securityAdminConfiguration" }) ?? unknown(path, r.urn, "missing");
      });
  const locs = stringList(get(props, "targetLocations"));
  const targetLocations: Maybe<readonly string[]> =
    locs === undefined ? (missingField(ctx, r, "properties.targetLocations", "commit"), []) : isUnknown(locs) ? locs : locs.map(normalizeLocation);
  return { ...base, commitType, configurationKeys, targetLocations };
}

function defaultAdminRule(ctx: BuildContext, r: ResourceRecord, collectionKey: Maybe<string>): AdminRule {
  const flag = text(r.props.flag);
  // Azure fills a default admin rule from its `flag`; the plan holds none of its fields: every one is undecided.
  const u = unknown(".flag", r.urn, `default admin rule ${typeof flag === "string" ? flag : "(no flag)"}: its content is defined by Azure, not by the plan`);
  return {
    kind: "Default",
    name: nameOf(r),
    urn: r.urn,
    collectionKey,
    ...undecidedRuleFields(u),
  };
}

function nameOf(r: ResourceRecord): string {
  const n = azureNameOf(r, "ruleName");
  return typeof n === "string" ? n : r.name;
}

const ACCESS: readonly AdminAccess[] = ["Allow", "Deny", "AlwaysAllow"];
const DIRECTIONS: readonly Direction[] = ["Inbound", "Outbound"];

export function parseAdminRule(ctx: BuildContext, r: ResourceRecord, collectionKey: Maybe<string>): AdminRule {
  let valid = true;
  const what = "admin rule";
  const bad = (field: string, value: string, problem: string): Unknown => {
    valid = false;
    return invalid(ctx, r, what, field, value, problem);
  };
  const missing = (field: string): Unknown => {
    valid = false;
    return missingField(ctx, r, field, what);
  };
  const oneOf = <T extends string>(field: string, allowed: readonly T[]): Maybe<T> => {
    const v = text(r.props[field]);
    if (isUnknown(v)) return v;
    if (v === undefined) return missing(field);
    const hit = allowed.find((a) => a.toLowerCase() === v.trim().toLowerCase());
    return hit ?? bad(field, v, `"${v}" is not ${allowed.join(" or ")}`);
  };

  const kind = text(r.props.kind);
  if (typeof kind === "string" && kind !== "Custom") bad("kind", kind, `"${kind}" is not Custom (an AdminRule is kind Custom)`);

  const p = num(r.props.priority);
  let priority: Maybe<number>;
  if (isUnknown(p)) priority = p;
  else if (p === undefined) priority = missing("priority");
  else if (!Number.isInteger(p) || p < ADMIN_PRIORITY_MIN || p > ADMIN_PRIORITY_MAX) {
    priority = bad("priority", String(p), `${p} is not a whole number in ${ADMIN_PRIORITY_MIN}-${ADMIN_PRIORITY_MAX}`);
  } else priority = p;

  const access = oneOf("access", ACCESS);
  const direction = oneOf("direction", DIRECTIONS);

  const protoText = text(r.props.protocol);
  let protocol: Maybe<ProtocolSet>;
  if (isUnknown(protoText)) protocol = protoText;
  else if (protoText === undefined) protocol = missing("protocol");
  else {
    // Admin rules spell "all protocols" Any (SecurityConfigurationRuleProtocol); NSG rules spell it `*`.
    const parsed = memoized(ctx, "protocol", protoText.toLowerCase() === "any" ? "*" : protoText, ProtocolSet.fromAzure);
    protocol = parsed.ok ? parsed.set : bad("protocol", protoText, `"${protoText}" is not Tcp, Udp, Icmp, Esp, Ah or Any`);
  }

  const side = (field: "sources" | "destinations"): Maybe<readonly AddressSpec[]> => {
    const items = list(r.props[field]);
    if (isUnknown(items)) return items;
    // Sources and destinations are optional (concept-security-admins, "Optional fields"): none means any address.
    if (items === undefined || items.length === 0) return [{ kind: "any", text: "*" }];
    const specs: AddressSpec[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const path = indexPath(field, i);
      const prefix = str(get(item, "addressPrefix"));
      const type = text(get(item, "addressPrefixType"));
      if (isUnknown(prefix)) return prefix;
      if (isUnknown(type)) return type;
      if (prefix === undefined) {
        missing(`${path}.addressPrefix`);
        continue;
      }
      const t = (type ?? "IPPrefix").toLowerCase();
      if (t === "servicetag") {
        if (!/^[A-Za-z][A-Za-z0-9._-]*$/.test(prefix.trim())) bad(`${path}.addressPrefix`, prefix, `"${prefix}" is not a service tag`);
        else specs.push({ kind: "tag", text: prefix, tag: prefix.trim() });
      } else if (t === "ipprefix") {
        const trimmed = prefix.trim();
        if (trimmed === "*") {
          specs.push({ kind: "any", text: prefix });
          continue;
        }
        const parsed = parsePrefix(trimmed);
        if (parsed.ok) specs.push({ kind: "prefix", text: prefix, set: parsed.set });
        else bad(`${path}.addressPrefix`, prefix, parsed.error);
      } else bad(`${path}.addressPrefixType`, type ?? "", `"${type}" is not IPPrefix or ServiceTag`);
    }
    return specs;
  };
  const ports = (field: "sourcePortRanges" | "destinationPortRanges"): Maybe<PortSet> => {
    const items = stringList(r.props[field]);
    if (isUnknown(items)) return items;
    // Optional too: no port ranges means every port.
    if (items === undefined || items.length === 0) return PortSet.all();
    let acc = PortSet.empty();
    for (const item of items) {
      const parsed = memoized(ctx, "ports", item, PortSet.parse);
      if (parsed.ok) acc = acc.union(parsed.set);
      else bad(field, item, parsed.error);
    }
    return acc;
  };
  const sources = side("sources");
  const destinations = side("destinations");
  const sourcePorts = ports("sourcePortRanges");
  const destinationPorts = ports("destinationPortRanges");
  const description = text(r.props.description);
  return {
    kind: "Custom",
    name: nameOf(r),
    urn: r.urn,
    collectionKey,
    priority,
    direction,
    access,
    protocol,
    protocolText: typeof protoText === "string" ? protoText : "",
    sources,
    destinations,
    sourcePorts,
    destinationPorts,
    valid,
    ...(typeof description === "string" ? { description } : {}),
  };
}

/** Azure requires a unique priority in each collection ("The priority number must be unique for each rule in the collection"). */
function reportDuplicatePriorities(ctx: BuildContext, rules: readonly AdminRule[]): void {
  const seen = new Map<string, AdminRule>();
  for (const rule of rules) {
    if (typeof rule.collectionKey !== "string" || typeof rule.priority !== "number") continue;
    const k = `${rule.collectionKey}|${rule.priority}`;
    const prev = seen.get(k);
    if (prev) {
      report(ctx, {
        code: "duplicate-priority",
        severity: "error",
        resource: rule.urn,
        field: "priority",
        value: String(rule.priority),
        message: `admin rule ${rule.name}: priority ${rule.priority} is also that of ${prev.name} in the same collection; Azure rejects this`,
      });
    } else seen.set(k, rule);
  }
}
