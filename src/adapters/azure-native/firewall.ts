/**
 * Azure Firewall, Firewall Policy, rule collection groups and IP groups -> the model's FirewallModel.
 *
 * Shapes are azure-native's (pulumi/pulumi-azure-native v3, the SDK's types/input.d.ts and network/*.d.ts):
 * - AzureFirewall: `ipConfigurations[]` {name, subnet: {id}, publicIPAddress: {id}; output `privateIPAddress`},
 *   `hubIPAddresses.privateIPAddress` (output), `firewallPolicy: {id}`, `threatIntelMode`, and the classic rules
 *   `networkRuleCollections[]` / `natRuleCollections[]` / `applicationRuleCollections[]` {name, priority,
 *   action: {type}, rules[]} (AzureFirewallNetworkRuleArgs: protocols, sourceAddresses, sourceIpGroups,
 *   destinationAddresses, destinationIpGroups, destinationFqdns, destinationPorts; AzureFirewallNatRuleArgs: +
 *   translatedAddress, translatedFqdn, translatedPort; AzureFirewallApplicationRuleArgs: protocols[] {protocolType,
 *   port}, targetFqdns, fqdnTags).
 * - FirewallPolicy: `basePolicy: {id}`, `threatIntelMode` (Alert | Deny | Off).
 * - FirewallPolicyRuleCollectionGroup: path parameter `firewallPolicyName`, `priority`, `ruleCollections[]`
 *   {ruleCollectionType: FirewallPolicyNatRuleCollection | FirewallPolicyFilterRuleCollection, name, priority,
 *   action: {type: DNAT | Allow | Deny}, rules[] {ruleType: NetworkRule | ApplicationRule | NatRule, ...}}
 *   (NetworkRuleArgs: ipProtocols, sourceAddresses, sourceIpGroups, destinationAddresses, destinationIpGroups,
 *   destinationFqdns, destinationPorts; NatRuleArgs: + translatedAddress, translatedFqdn, translatedPort;
 *   ApplicationRuleArgs: protocols[] {protocolType, port}, targetFqdns, fqdnTags, webCategories, targetUrls,
 *   destinationAddresses).
 * - IpGroup: `ipAddresses[]`.
 * Priorities 100..65000 (learn.microsoft.com/azure/firewall/rule-processing: "Priority is any number between 100
 * (highest priority) to 65,000 (lowest priority)").
 */
import { quoteValue } from "../../io/quote";
import type {
  AzureFirewall,
  FirewallAction,
  FirewallAddress,
  FirewallIpConfiguration,
  FirewallModel,
  FirewallPolicy,
  FirewallRule,
  FirewallRuleCollection,
  FirewallRuleCollectionGroup,
  FirewallRuleKind,
  FirewallRulePlace,
  IpGroup,
} from "../../model/firewall";
import type { PublicIp, Subnet } from "../../model/topology";
import { isUnknown, unknown, type Maybe, type Unknown } from "../../model/unknown";
import type { ResourceRecord } from "../../resources/record";
import { formatIp, addressValue } from "../../sets/ip";
import { IpSet, parsePrefix } from "../../sets/ip-set";
import { PortSet } from "../../sets/port-set";
import { Icmp, ProtocolSet, Tcp, Udp } from "../../sets/protocol-set";
import { recordsOf, report, sortedMap, type BuildContext } from "./context";
import { get, indexPath, list, num, str, tagsOf, text, type PV } from "./props";
import { resolveParent, resolveRef } from "./refs";

export const FIREWALL_PRIORITY_MIN = 100;
export const FIREWALL_PRIORITY_MAX = 65000;

/** Where a rule list is read from, for diagnostics and references. */
interface Source {
  readonly ctx: BuildContext;
  readonly record: ResourceRecord;
  /** Top-level property whose propertyDependencies name IP groups. */
  readonly depProp: string;
  readonly place: Omit<FirewallRulePlace, "collectionName">;
}

function bad(src: Source, path: string, value: string, problem: string): void {
  report(src.ctx, {
    code: "invalid-firewall-rule",
    severity: "error",
    resource: src.record.urn,
    field: path.replace(/^\./, ""),
    value: quoteValue(value, 120),
    message: `${src.record.name}: ${path.replace(/^\./, "")} ${quoteValue(value, 120)} ${problem}; the rule is left out of evaluation, as Azure would reject it`,
  });
}

/** A list of strings: known items, or the list's Unknown; an unknown item makes the whole list Unknown. */
function strings(v: PV): readonly string[] | Unknown | undefined {
  const l = list(v);
  if (l === undefined || isUnknown(l)) return l;
  const out: string[] = [];
  for (const item of l) {
    const s = str(item);
    if (isUnknown(s)) return s;
    if (typeof s === "string") out.push(s.trim());
  }
  return out;
}

const SERVICE_TAG = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/;

/** `*`, an address, a CIDR prefix, a range `a-b`, or a service tag. */
export function parseFirewallAddress(raw: string): FirewallAddress | { kind: "invalid"; error: string } {
  const t = raw.trim();
  if (t === "*" || t === "0.0.0.0/0") return { kind: "any", text: t };
  const dash = t.indexOf("-");
  if (dash > 0 && /^[0-9a-fA-F.:]+-[0-9a-fA-F.:]+$/.test(t)) {
    const lo = addressValue(t.slice(0, dash));
    const hi = addressValue(t.slice(dash + 1));
    if (!lo || !hi || lo.family !== hi.family) return { kind: "invalid", error: "is not an address range" };
    if (lo.value > hi.value) return { kind: "invalid", error: "is a reversed address range" };
    return { kind: "prefix", text: t, set: IpSet.fromRange(lo.family, lo.value, hi.value) };
  }
  const p = parsePrefix(t);
  if (p.ok) return { kind: "prefix", text: t, set: p.set };
  if (SERVICE_TAG.test(t)) return { kind: "tag", text: t, tag: t };
  return { kind: "invalid", error: p.error };
}

/** Addresses plus IP groups (and, for destinations, FQDNs) of one side. */
function side(src: Source, body: PV, base: string, addrField: string, groupField: string, fqdnField?: string): { value: Maybe<readonly FirewallAddress[]>; ok: boolean; given: boolean } {
  const out: FirewallAddress[] = [];
  let ok = true;
  let given = false;
  const addrs = strings(get(body, addrField));
  if (isUnknown(addrs)) return { value: addrs, ok, given: true };
  for (const [i, a] of (addrs ?? []).entries()) {
    given = true;
    const parsed = parseFirewallAddress(a);
    if (parsed.kind === "invalid") {
      bad(src, `${base}.${indexPath(addrField, i)}`, a, parsed.error);
      ok = false;
    } else out.push(parsed);
  }
  const groups = list(get(body, groupField));
  if (isUnknown(groups)) return { value: groups, ok, given: true };
  for (const [i, g] of (groups ?? []).entries()) {
    given = true;
    const path = `${base}.${indexPath(groupField, i)}`;
    const key = resolveRef(src.ctx, { value: g, path, record: src.record, depProp: src.depProp, kind: "ipGroup" });
    if (key === null) continue;
    out.push({ kind: "ipGroup", text: typeof g === "string" ? g : path, ipGroupKey: key });
  }
  if (fqdnField !== undefined) {
    const fqdns = strings(get(body, fqdnField));
    if (isUnknown(fqdns)) return { value: fqdns, ok, given: true };
    for (const f of fqdns ?? []) {
      given = true;
      out.push({ kind: "fqdn", text: f });
    }
  }
  return { value: out, ok, given };
}

const NETWORK_PROTOCOLS: ReadonlyMap<string, ProtocolSet> = new Map([
  ["tcp", ProtocolSet.of(Tcp)],
  ["udp", ProtocolSet.of(Udp)],
  ["icmp", ProtocolSet.of(Icmp)],
  // "Any" is TCP, UDP and ICMP: the protocols the enum offers (FirewallPolicyRuleNetworkProtocol: TCP, UDP, Any,
  // ICMP). The documentation says no more; the engine's decision, stated in docs/firewall.md.
  ["any", ProtocolSet.of(Tcp, Udp, Icmp)],
]);

/** Default ports of application rule protocols (ApplicationRule protocols[].port is optional in the classic API). */
const APP_PORTS: ReadonlyMap<string, number> = new Map([
  ["http", 80],
  ["https", 443],
  ["mssql", 1433],
]);

function networkProtocols(src: Source, body: PV, base: string, field: string): { value: Maybe<ProtocolSet>; text: string; ok: boolean } {
  const items = strings(get(body, field));
  if (isUnknown(items)) return { value: items, text: "(unknown)", ok: true };
  if (items === undefined || items.length === 0) {
    bad(src, `${base}.${field}`, "[]", "is empty: a network or NAT rule needs at least one protocol");
    return { value: ProtocolSet.empty(), text: "", ok: false };
  }
  let set = ProtocolSet.empty();
  let ok = true;
  for (const [i, p] of items.entries()) {
    const hit = NETWORK_PROTOCOLS.get(p.toLowerCase());
    if (!hit) {
      bad(src, `${base}.${indexPath(field, i)}`, p, "is not a protocol Azure Firewall accepts (TCP, UDP, ICMP, Any)");
      ok = false;
    } else set = set.union(hit);
  }
  return { value: set, text: items.join(","), ok };
}

function ports(src: Source, body: PV, base: string): { value: Maybe<PortSet>; ok: boolean } {
  const items = strings(get(body, "destinationPorts"));
  if (isUnknown(items)) return { value: items, ok: true };
  if (items === undefined || items.length === 0) return { value: PortSet.all(), ok: true };
  const parsed = PortSet.parseList(items);
  if (!parsed.ok) {
    bad(src, `${base}.destinationPorts`, items.join(","), parsed.error);
    return { value: PortSet.empty(), ok: false };
  }
  return { value: parsed.set, ok: true };
}

function layer7(body: PV, fields: readonly string[]): string[] {
  const out: string[] = [];
  for (const f of fields) {
    const items = strings(get(body, f));
    if (items === undefined) continue;
    if (isUnknown(items)) out.push(`${f}: (unknown)`);
    else for (const i of items) out.push(`${f}: ${i}`);
  }
  return out;
}

/** One rule; `kind` comes from `ruleType` (policy) or the collection it is in (classic). */
function parseRule(src: Source, body: PV, base: string, kind: FirewallRuleKind, collectionName: string, index: number, classic: boolean): FirewallRule {
  const nameText = text(get(body, "name"));
  const name = typeof nameText === "string" ? nameText : `rule${index + 1}`;
  const place: FirewallRulePlace = { ...src.place, collectionName };
  const srcSide = side(src, body, base, "sourceAddresses", "sourceIpGroups");
  let ok = srcSide.ok;
  if (!srcSide.given) {
    bad(src, `${base}.sourceAddresses`, "[]", "is empty: a rule needs source addresses or source IP groups");
    ok = false;
  }
  if (kind === "Application") {
    const protos = list(get(body, "protocols"));
    let set: Maybe<PortSet> = PortSet.empty();
    const names: string[] = [];
    if (isUnknown(protos)) set = protos;
    else
      for (const [i, p] of (protos ?? []).entries()) {
        const type = str(get(p, "protocolType"));
        const port = num(get(p, "port"));
        if (isUnknown(type) || isUnknown(port)) {
          set = isUnknown(type) ? type : (port as Unknown);
          break;
        }
        const dflt = typeof type === "string" ? APP_PORTS.get(type.toLowerCase()) : undefined;
        if (dflt === undefined) {
          bad(src, `${base}.${indexPath("protocols", i)}.protocolType`, String(type), "is not an application rule protocol (Http, Https, Mssql)");
          ok = false;
          continue;
        }
        const n = port ?? dflt;
        if (!Number.isInteger(n) || n < 1 || n > 64000) {
          bad(src, `${base}.${indexPath("protocols", i)}.port`, String(n), "is not a port from 1 to 64000");
          ok = false;
          continue;
        }
        names.push(`${type}:${n}`);
        set = set.union(PortSet.of(n));
      }
    const dst = side(src, body, base, "destinationAddresses", "destinationIpGroups");
    return {
      name,
      kind,
      place,
      protocols: ProtocolSet.of(Tcp),
      protocolText: names.join(","),
      sources: srcSide.value,
      // No destination addresses: the rule matches by FQDN, tag, category or URL, over any address.
      destinations: dst.given ? dst.value : [{ kind: "any", text: "*" }],
      destinationPorts: set,
      layer7: layer7(body, ["targetFqdns", "fqdnTags", "webCategories", "targetUrls"]),
      valid: ok && dst.ok,
    };
  }
  const protocolField = classic ? "protocols" : "ipProtocols";
  const protocols = networkProtocols(src, body, base, protocolField);
  const dst = kind === "Nat" ? side(src, body, base, "destinationAddresses", "destinationIpGroups") : side(src, body, base, "destinationAddresses", "destinationIpGroups", "destinationFqdns");
  if (!dst.given) {
    bad(src, `${base}.destinationAddresses`, "[]", "is empty: a rule needs destination addresses, IP groups or FQDNs");
    ok = false;
  }
  const p = ports(src, body, base);
  const rule: FirewallRule = {
    name,
    kind,
    place,
    protocols: protocols.value,
    protocolText: protocols.text,
    sources: srcSide.value,
    destinations: dst.value,
    destinationPorts: p.value,
    valid: ok && protocols.ok && dst.ok && p.ok,
  };
  if (kind === "Network") {
    const fqdns = isUnknown(dst.value) ? [] : dst.value.filter((d) => d.kind === "fqdn").map((d) => `destinationFqdns: ${d.text}`);
    return fqdns.length > 0 ? { ...rule, layer7: fqdns } : rule;
  }
  const translatedAddress = text(get(body, "translatedAddress"));
  const translatedFqdn = text(get(body, "translatedFqdn"));
  const tp = num(get(body, "translatedPort"));
  let valid = rule.valid;
  if (typeof translatedAddress === "string" && addressValue(translatedAddress) === undefined) {
    bad(src, `${base}.translatedAddress`, translatedAddress, "is not an IP address");
    valid = false;
  }
  if (typeof tp === "number" && (!Number.isInteger(tp) || tp < 0 || tp > 65535)) {
    bad(src, `${base}.translatedPort`, String(tp), "is not a port from 0 to 65535");
    valid = false;
  }
  if (translatedAddress === undefined && translatedFqdn === undefined) {
    bad(src, `${base}.translatedAddress`, "(absent)", "is absent, and so is translatedFqdn: a DNAT rule needs one");
    valid = false;
  }
  return { ...rule, translatedAddress, translatedFqdn, translatedPort: tp, valid };
}

function priority(src: Source, v: PV, path: string): Maybe<number> {
  const n = num(v);
  if (isUnknown(n)) return n;
  if (n === undefined || !Number.isInteger(n) || n < FIREWALL_PRIORITY_MIN || n > FIREWALL_PRIORITY_MAX) {
    bad(src, path, n === undefined ? "(absent)" : String(n), `is not a priority from ${FIREWALL_PRIORITY_MIN} to ${FIREWALL_PRIORITY_MAX}`);
    return unknown(path, src.record.urn, "invalid priority");
  }
  return n;
}

const ACTIONS: ReadonlyMap<string, FirewallAction> = new Map([
  ["allow", "Allow"],
  ["deny", "Deny"],
  ["dnat", "Dnat"],
  ["snat", "Snat"],
]);

function action(src: Source, body: PV, path: string, kind: FirewallRuleKind): Maybe<FirewallAction> {
  const t = str(get(get(body, "action"), "type"));
  if (isUnknown(t)) return t;
  const a = t === undefined ? undefined : ACTIONS.get(t.toLowerCase());
  const fits = a !== undefined && (kind === "Nat" ? a === "Dnat" || a === "Snat" : a === "Allow" || a === "Deny");
  if (!fits) {
    bad(src, `${path}.action.type`, t ?? "(absent)", kind === "Nat" ? "is not a NAT collection action (DNAT)" : "is not a filter collection action (Allow, Deny)");
    return unknown(`${path}.action.type`, src.record.urn, "invalid action");
  }
  return a;
}

function parseCollection(src: Source, body: PV, path: string, kind: Maybe<FirewallRuleKind>, classic: boolean): FirewallRuleCollection {
  const nameText = text(get(body, "name"));
  const name = typeof nameText === "string" ? nameText : path;
  const prio = priority(src, get(body, "priority"), `${path}.priority`);
  const rulesList = list(get(body, "rules"));
  const rules: FirewallRule[] = [];
  let collectionKind = kind;
  if (!isUnknown(rulesList))
    for (const [i, r] of (rulesList ?? []).entries()) {
      const rp = `${path}.${indexPath("rules", i)}`;
      let rk: FirewallRuleKind | undefined = isUnknown(kind) ? undefined : kind;
      if (!classic) {
        const rt = str(get(r, "ruleType"));
        const fromType: FirewallRuleKind | undefined = rt === "NetworkRule" ? "Network" : rt === "ApplicationRule" ? "Application" : rt === "NatRule" ? "Nat" : undefined;
        const shown = isUnknown(rt) ? "(unknown)" : (rt ?? "(absent)");
        if (fromType === undefined) {
          bad(src, `${rp}.ruleType`, shown, "is not a rule type (NetworkRule, ApplicationRule, NatRule)");
          continue;
        }
        if (kind === "Nat") {
          if (fromType !== "Nat") {
            bad(src, `${rp}.ruleType`, shown, "is not NatRule: a NAT rule collection holds NAT rules only");
            continue;
          }
        } else {
          if (fromType === "Nat") {
            bad(src, `${rp}.ruleType`, shown, "is NatRule in a filter rule collection, which holds network or application rules");
            continue;
          }
          // Rules in a collection are of one type (policy-rule-sets: "Rules in a rule collection must be of the same type").
          if (collectionKind === undefined || isUnknown(collectionKind)) collectionKind = fromType;
          else if (collectionKind !== fromType) {
            bad(src, `${rp}.ruleType`, shown, `differs from the collection's first rule (${collectionKind}Rule): rules in a collection are of one type`);
            continue;
          }
        }
        rk = fromType;
      }
      rules.push(parseRule(src, r, rp, rk ?? "Network", name, i, classic));
    }
  const finalKind: Maybe<FirewallRuleKind> = collectionKind ?? "Network";
  const act = isUnknown(finalKind) ? unknown(`${path}.action.type`, src.record.urn) : action(src, body, path, finalKind);
  return { name, kind: finalKind, priority: prio, action: act, rules: isUnknown(rulesList) ? [unknownRule(src, name, rulesList)] : rules };
}

/** Rules unknown at preview: a rule that may match anything (never surely), so it only adds doubt. */
function unknownRule(src: Source, collectionName: string, u: Unknown): FirewallRule {
  return {
    name: "(rules unknown at preview)",
    kind: "Network",
    place: { ...src.place, collectionName },
    protocols: u,
    protocolText: "(unknown)",
    sources: u,
    destinations: u,
    destinationPorts: u,
    valid: true,
  };
}

function ipGroups(ctx: BuildContext): Map<string, IpGroup> {
  return sortedMap(
    recordsOf(ctx, "ipGroup").map((record) => {
      const ref = ctx.refs.get(record.urn);
      const items = strings(record.props.ipAddresses);
      let addresses: Maybe<IpSet> = IpSet.empty();
      const src: Source = { ctx, record, depProp: "ipAddresses", place: { ownerKey: record.urn, urn: record.urn, policyName: record.name } };
      if (isUnknown(items)) addresses = items;
      else
        for (const [i, a] of (items ?? []).entries()) {
          const p = parseFirewallAddress(a);
          if (p.kind === "prefix") addresses = addresses.union(p.set);
          else bad(src, `.${indexPath("ipAddresses", i)}`, a, p.kind === "invalid" ? p.error : "is not an address, prefix or range");
        }
      const g: IpGroup = { key: record.urn, urn: record.urn, logicalName: record.name, azureName: ref?.azureName ?? unknown(".name", record.urn), id: ref?.id ?? unknown(".id", record.urn), addresses };
      return [record.urn, g] as const;
    }),
  );
}

function nameOf(azureName: Maybe<string>, logical: string): string {
  return isUnknown(azureName) ? logical : azureName;
}

function ruleCollectionGroups(ctx: BuildContext, policyNames: ReadonlyMap<string, string>): Map<string, FirewallRuleCollectionGroup> {
  return sortedMap(
    recordsOf(ctx, "ruleCollectionGroup").map((record) => {
      const ref = ctx.refs.get(record.urn);
      const id = ref?.id ?? (typeof record.props.id === "string" ? record.props.id : unknown(".id", record.urn));
      const policyKey = resolveParent(ctx, { record, parentKind: "firewallPolicy", param: "firewallPolicyName", id });
      const azureName = ref?.azureName ?? (typeof record.props.name === "string" ? record.props.name : unknown(".name", record.urn));
      const groupName = nameOf(azureName, record.name);
      const src: Source = {
        ctx,
        record,
        depProp: "ruleCollections",
        place: { ownerKey: isUnknown(policyKey) ? "" : policyKey, urn: record.urn, policyName: isUnknown(policyKey) ? "(unknown policy)" : (policyNames.get(policyKey) ?? policyKey), groupName },
      };
      const prio = priority(src, record.props.priority, ".priority");
      const colls = list(record.props.ruleCollections);
      const collections: FirewallRuleCollection[] = [];
      if (isUnknown(colls)) collections.push({ name: "(unknown)", kind: colls, priority: colls, action: colls, rules: [unknownRule(src, "(unknown)", colls)] });
      else
        for (const [i, c] of (colls ?? []).entries()) {
          const path = `.${indexPath("ruleCollections", i)}`;
          const type = str(get(c, "ruleCollectionType"));
          const kind: Maybe<FirewallRuleKind> | undefined = isUnknown(type) ? type : type === "FirewallPolicyNatRuleCollection" ? "Nat" : type === "FirewallPolicyFilterRuleCollection" ? undefined : undefined;
          if (!isUnknown(type) && type !== "FirewallPolicyNatRuleCollection" && type !== "FirewallPolicyFilterRuleCollection") {
            bad(src, `${path}.ruleCollectionType`, type ?? "(absent)", "is not FirewallPolicyNatRuleCollection or FirewallPolicyFilterRuleCollection");
            continue;
          }
          collections.push(parseCollection(src, c, path, kind as Maybe<FirewallRuleKind>, false));
        }
      const g: FirewallRuleCollectionGroup = { key: record.urn, urn: record.urn, logicalName: record.name, azureName, id, policyKey, priority: prio, collections };
      return [record.urn, g] as const;
    }),
  );
}

function policies(ctx: BuildContext, groups: ReadonlyMap<string, FirewallRuleCollectionGroup>): Map<string, FirewallPolicy> {
  return sortedMap(
    recordsOf(ctx, "firewallPolicy").map((record) => {
      const ref = ctx.refs.get(record.urn);
      const base = resolveRef(ctx, { value: record.props.basePolicy, path: ".basePolicy", record, depProp: "basePolicy", kind: "firewallPolicy" });
      const ti = text(record.props.threatIntelMode);
      const p: FirewallPolicy = {
        key: record.urn,
        urn: record.urn,
        logicalName: record.name,
        azureName: ref?.azureName ?? unknown(".name", record.urn),
        id: ref?.id ?? unknown(".id", record.urn),
        basePolicyKey: base,
        threatIntelMode: ti,
        groupKeys: [...groups.values()].filter((g) => g.policyKey === record.urn).map((g) => g.key),
        tags: tagsOf(record.props.tags),
      };
      return [record.urn, p] as const;
    }),
  );
}

/** First assignable IPv4 address of a subnet: network + 4 (Azure reserves the first four). */
function firstAssignable(subnet: Subnet): string | undefined {
  if (isUnknown(subnet.addressSpace)) return undefined;
  const first = subnet.addressSpace.v4.intervals()[0];
  if (!first) return undefined;
  const lo = BigInt(first[0]);
  const hi = BigInt(first[1]);
  // A /29 or smaller has no assignable address (AzureFirewallSubnet must be a /26 anyway).
  if (hi - lo < 7n) return undefined;
  return formatIp(4, lo + 4n);
}

function firewalls(ctx: BuildContext, subnets: ReadonlyMap<string, Subnet>, policyNames: ReadonlyMap<string, string>): Map<string, AzureFirewall> {
  return sortedMap(
    recordsOf(ctx, "firewall").map((record) => {
      const ref = ctx.refs.get(record.urn);
      const azureName = ref?.azureName ?? unknown(".name", record.urn);
      const cfgList = list(record.props.ipConfigurations);
      const ipConfigurations: FirewallIpConfiguration[] = [];
      let privateIp: Maybe<string | undefined> = undefined;
      if (isUnknown(cfgList)) privateIp = cfgList;
      else
        for (const [i, c] of (cfgList ?? []).entries()) {
          const path = `.${indexPath("ipConfigurations", i)}`;
          const subnetKey = resolveRef(ctx, { value: get(c, "subnet"), path: `${path}.subnet`, record, depProp: "ipConfigurations", kind: "subnet" });
          const publicIpKey = resolveRef(ctx, { value: get(c, "publicIPAddress"), path: `${path}.publicIPAddress`, record, depProp: "ipConfigurations", kind: "publicIp" });
          const nameText = text(get(c, "name"));
          ipConfigurations.push({ name: typeof nameText === "string" ? nameText : `ipconfig${i + 1}`, subnetKey, publicIpKey });
          const ip = text(get(c, "privateIPAddress"));
          if (privateIp === undefined && ip !== undefined && subnetKey !== null) privateIp = typeof ip === "string" ? ip.trim() : ip;
        }
      const hub = text(get(record.props.hubIPAddresses, "privateIPAddress"));
      if (privateIp === undefined || isUnknown(privateIp)) if (typeof hub === "string") privateIp = hub.trim();
      const withSubnet = ipConfigurations.find((c) => c.subnetKey !== null);
      const subnetKey: Maybe<string | null> = withSubnet ? withSubnet.subnetKey : null;
      let privateIpAssumed = false;
      if (privateIp === undefined || isUnknown(privateIp)) {
        const subnet = typeof subnetKey === "string" ? subnets.get(subnetKey) : undefined;
        const assumed = subnet ? firstAssignable(subnet) : undefined;
        if (assumed !== undefined) {
          privateIp = assumed;
          privateIpAssumed = true;
          report(ctx, {
            code: "firewall-private-ip-assumed",
            severity: "info",
            resource: record.urn,
            field: "ipConfigurations[0].privateIPAddress",
            value: assumed,
            message: `${record.name}: the firewall's private IP is not in the plan; taken as ${assumed}, the first assignable address of its subnet, which Azure gives the first firewall in AzureFirewallSubnet`,
          });
        } else if (privateIp === undefined) {
          privateIp = isUnknown(subnetKey) ? subnetKey : unknown(".ipConfigurations[0].privateIPAddress", record.urn, "the firewall's subnet is not known, so neither is its private IP");
        }
      }
      if (typeof subnetKey === "string") {
        const subnet = subnets.get(subnetKey);
        const sn = subnet ? nameOf(subnet.azureName, subnet.logicalName) : undefined;
        if (sn !== undefined && sn !== "AzureFirewallSubnet") {
          report(ctx, {
            code: "invalid-firewall-subnet",
            severity: "error",
            resource: record.urn,
            field: "ipConfigurations[0].subnet",
            value: sn,
            message: `${record.name}: the firewall's subnet is ${quoteValue(sn)}; Azure requires it to be named AzureFirewallSubnet and rejects the deployment`,
          });
        }
      }
      const policyKey = resolveRef(ctx, { value: record.props.firewallPolicy, path: ".firewallPolicy", record, depProp: "firewallPolicy", kind: "firewallPolicy" });
      const src: Source = { ctx, record, depProp: "networkRuleCollections", place: { ownerKey: record.urn, urn: record.urn, policyName: `${nameOf(azureName, record.name)} (classic rules)` } };
      const classicCollections: FirewallRuleCollection[] = [];
      const CLASSIC: ReadonlyArray<readonly [string, FirewallRuleKind]> = [
        ["natRuleCollections", "Nat"],
        ["networkRuleCollections", "Network"],
        ["applicationRuleCollections", "Application"],
      ];
      for (const [field, kind] of CLASSIC) {
        const colls = list(record.props[field]);
        const s = { ...src, depProp: field };
        if (isUnknown(colls)) classicCollections.push({ name: field, kind, priority: colls, action: colls, rules: [unknownRule(s, field, colls)] });
        else for (const [i, c] of (colls ?? []).entries()) classicCollections.push(parseCollection(s, c, `.${indexPath(field, i)}`, kind, true));
      }
      if (policyKey !== null && classicCollections.length > 0) {
        report(ctx, {
          code: "firewall-classic-and-policy",
          severity: "warning",
          resource: record.urn,
          field: "firewallPolicy",
          message: `${record.name}: the firewall has a firewallPolicy and classic rule collections; Azure uses the policy (a firewall managed by a policy has no classic rules), so the classic rules are not evaluated`,
        });
      }
      const fw: AzureFirewall = {
        key: record.urn,
        urn: record.urn,
        logicalName: record.name,
        azureName,
        id: ref?.id ?? unknown(".id", record.urn),
        ipConfigurations,
        privateIp,
        privateIpAssumed,
        subnetKey,
        publicIpKeys: ipConfigurations.map((c) => c.publicIpKey).filter((k): k is Maybe<string> => k !== null),
        policyKey,
        classicCollections: policyKey === null ? classicCollections : [],
        threatIntelMode: text(record.props.threatIntelMode),
        tags: tagsOf(record.props.tags),
      };
      void policyNames;
      return [record.urn, fw] as const;
    }),
  );
}

/** The firewall part of the topology; undefined when the plan declares none of these resources. */
export function buildFirewallModel(ctx: BuildContext, subnets: ReadonlyMap<string, Subnet>, _publicIps: ReadonlyMap<string, PublicIp>): FirewallModel | undefined {
  const any = (["firewall", "firewallPolicy", "ruleCollectionGroup", "ipGroup"] as const).some((k) => recordsOf(ctx, k).length > 0);
  if (!any) return undefined;
  const policyNames = new Map<string, string>();
  for (const r of recordsOf(ctx, "firewallPolicy")) {
    const ref = ctx.refs.get(r.urn);
    policyNames.set(r.urn, ref ? nameOf(ref.azureName, r.name) : r.name);
  }
  const ipGroupMap = ipGroups(ctx);
  const groups = ruleCollectionGroups(ctx, policyNames);
  return { firewalls: firewalls(ctx, subnets, policyNames), policies: policies(ctx, groups), ruleCollectionGroups: groups, ipGroups: ipGroupMap };
}
