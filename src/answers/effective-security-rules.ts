/**
 * Network Watcher's effective security rules of a NIC (networkInterface.json EffectiveNetworkSecurityGroup,
 * camelCase), built from the engine's rules and layers (engine/nsg.ts, engine/rules.ts, engine/admin-rules.ts): the
 * one place that shapes them as the REST answer (issue 14 point 6: answers are data, built outside the engine).
 */
import type { AddressSpec, Direction, Nic, RuleFields, SecurityRule } from "../model/topology";
import { adminRulesOfVnet } from "../engine/admin-rules";
import { describeUnknown, isUnknown, type Maybe } from "../model/unknown";
import type { PortSet } from "../sets/port-set";
import { idOrUrn } from "../engine/find";
import { nsgLayers, tagContextForNic, type EngineEnv } from "../engine/nsg";
import { subnetOfNic } from "../engine/topology-queries";
import { resolveSpec, ruleDisplayName, orderedRules, type RuleContext } from "../engine/rules";
import type { TriSet } from "../engine/tri-set";

/** Network Watcher's EffectiveNetworkSecurityRule, camelCase as in the REST API. */
export interface EffectiveSecurityRule {
  readonly name: string;
  readonly protocol: string;
  readonly sourcePortRange?: string;
  readonly destinationPortRange?: string;
  readonly sourcePortRanges?: string[];
  readonly destinationPortRanges?: string[];
  readonly sourceAddressPrefix?: string;
  readonly destinationAddressPrefix?: string;
  readonly sourceAddressPrefixes?: string[];
  readonly destinationAddressPrefixes?: string[];
  readonly expandedSourceAddressPrefix: string[];
  readonly expandedDestinationAddressPrefix: string[];
  readonly access: string;
  readonly priority: number | string;
  readonly direction: string;
  /** Values unknown at preview that this rule depends on (an extension of the REST shape). */
  readonly unknowns?: string[];
}

export interface EffectiveNetworkSecurityGroup {
  readonly networkSecurityGroup: { readonly id: string };
  readonly association: { readonly subnet?: { readonly id: string }; readonly networkInterface?: { readonly id: string } };
  readonly effectiveSecurityRules: EffectiveSecurityRule[];
  /** Each tag used by the NSG and the prefixes it stands for here. */
  readonly tagMap: Record<string, string[]>;
}

export interface EffectiveRulesResult {
  /**
   * Virtual Network Manager security admin rules of the NIC's VNet, in evaluation order: they are evaluated before
   * every NSG (docs/avnm.md). Absent when none apply. `access` may be AlwaysAllow.
   */
  readonly securityAdminRules?: EffectiveSecurityRule[];
  readonly value: EffectiveNetworkSecurityGroup[];
}

const UNKNOWN_TEXT = "(unknown at preview)";

function protocolText(rule: RuleFields<string>): string {
  if (isUnknown(rule.protocol)) return UNKNOWN_TEXT;
  return rule.protocol.isAll() ? "All" : rule.protocol.toString();
}

/** Effective view spells single ports as ranges ("456-456") and `*` as 0-65535. */
function portFields(ports: Maybe<PortSet>, singular: string, plural: string): Record<string, string | string[]> {
  if (isUnknown(ports)) return { [singular]: UNKNOWN_TEXT };
  const ranges = ports.ranges();
  return ranges.length === 1 ? { [singular]: ranges[0] } : { [plural]: ranges };
}

function specText(spec: AddressSpec): string {
  if (spec.kind === "any") return "0.0.0.0/0";
  if (spec.kind === "prefix") return spec.set.toCidrs().join(",");
  return spec.text;
}

function addressFields(specs: Maybe<readonly AddressSpec[]>, singular: string, plural: string): Record<string, string | string[]> {
  if (isUnknown(specs)) return { [singular]: UNKNOWN_TEXT };
  const texts = specs.map(specText);
  return texts.length === 1 ? { [singular]: texts[0] } : { [plural]: texts };
}

function expand(tri: TriSet): string[] {
  const must = tri.must.toCidrs();
  if (tri.causes.length === 0) return must;
  const extra = tri.may.subtract(tri.must);
  return extra.isEmpty() ? must : [...must, `${UNKNOWN_TEXT}: up to ${extra.toCidrs().slice(0, 8).join(",")}${extra.toCidrs().length > 8 ? ",..." : ""}`];
}

function effectiveRule(rule: RuleFields<string>, ctx: RuleContext, tagMap: Record<string, string[]>, name: string = ruleDisplayName(rule as SecurityRule), extraUnknowns: readonly string[] = []): EffectiveSecurityRule {
  const side = (specs: Maybe<readonly AddressSpec[]>, which: "source" | "destination"): { expanded: string[]; causes: string[] } => {
    if (isUnknown(specs)) return { expanded: [UNKNOWN_TEXT], causes: [describeUnknown(specs)] };
    const expanded: string[] = [];
    const causes: string[] = [];
    for (const spec of specs) {
      const tri = resolveSpec(rule, spec, which, ctx);
      const cidrs = expand(tri);
      if (spec.kind === "tag") tagMap[spec.tag] = cidrs;
      expanded.push(...cidrs);
      causes.push(...tri.causes.map(describeUnknown));
    }
    return { expanded, causes };
  };
  const src = side(rule.sources, "source");
  const dst = side(rule.destinations, "destination");
  const unknowns = [...extraUnknowns, ...src.causes, ...dst.causes];
  for (const f of [rule.protocol, rule.sourcePorts, rule.destinationPorts, rule.priority, rule.access, rule.direction]) {
    if (isUnknown(f)) unknowns.push(describeUnknown(f));
  }
  return {
    name,
    protocol: protocolText(rule),
    ...portFields(rule.sourcePorts, "sourcePortRange", "sourcePortRanges"),
    ...portFields(rule.destinationPorts, "destinationPortRange", "destinationPortRanges"),
    ...addressFields(rule.sources, "sourceAddressPrefix", "sourceAddressPrefixes"),
    ...addressFields(rule.destinations, "destinationAddressPrefix", "destinationAddressPrefixes"),
    expandedSourceAddressPrefix: src.expanded,
    expandedDestinationAddressPrefix: dst.expanded,
    access: isUnknown(rule.access) ? UNKNOWN_TEXT : rule.access,
    priority: isUnknown(rule.priority) ? UNKNOWN_TEXT : rule.priority,
    direction: isUnknown(rule.direction) ? UNKNOWN_TEXT : rule.direction,
    ...(unknowns.length > 0 ? { unknowns: [...new Set(unknowns)] } : {}),
  };
}

/**
 * The effective security rules of a NIC, one entry per NSG (subnet's first, then the NIC's), as Network
 * Watcher lists them: inbound rules then outbound, each in evaluation order, tags expanded for this NIC.
 */
export function effectiveRules(env: EngineEnv, nic: Nic): EffectiveRulesResult {
  const admin = effectiveAdminRules(env, nic);
  const nsgs = effectiveNsgRules(env, nic);
  return admin.length > 0 ? { securityAdminRules: admin, ...nsgs } : nsgs;
}

/** The admin rules that apply (or may: `unknowns` says why) to the NIC's VNet, inbound then outbound, by priority. */
function effectiveAdminRules(env: EngineEnv, nic: Nic): EffectiveSecurityRule[] {
  const subnet = subnetOfNic(env.topo, nic);
  const vnetKey = subnet === undefined ? undefined : isUnknown(subnet) ? subnet : subnet.vnetKey;
  if (vnetKey === undefined) return [];
  const applied = adminRulesOfVnet(env.topo, vnetKey);
  const out: EffectiveSecurityRule[] = [];
  for (const direction of ["Inbound", "Outbound"] as Direction[]) {
    const ctx: RuleContext = { topo: env.topo, tags: env.tags, tagContext: tagContextForNic(env, nic), direction };
    for (const a of applied) {
      if (isUnknown(a.rule.direction) ? direction === "Outbound" : a.rule.direction !== direction) continue;
      const doubt = a.applies === true ? [] : [`may not apply: ${describeUnknown(a.applies)}`];
      out.push(effectiveRule(a.rule, ctx, {}, a.ruleName, doubt));
    }
  }
  return out;
}

function effectiveNsgRules(env: EngineEnv, nic: Nic): EffectiveRulesResult {
  const value: EffectiveNetworkSecurityGroup[] = [];
  for (const layer of nsgLayers(env.topo, nic, "Inbound")) {
    const ownerId = isUnknown(layer.owner.id) ? layer.owner.urn : layer.owner.id;
    const association = layer.appliedTo === "subnet" ? { subnet: { id: ownerId } } : { networkInterface: { id: ownerId } };
    if (isUnknown(layer.nsg)) {
      value.push({ networkSecurityGroup: { id: `${UNKNOWN_TEXT}: ${describeUnknown(layer.nsg)}` }, association, effectiveSecurityRules: [], tagMap: {} });
      continue;
    }
    const nsg = layer.nsg;
    const tagMap: Record<string, string[]> = {};
    const rules: EffectiveSecurityRule[] = [];
    for (const direction of ["Inbound", "Outbound"] as Direction[]) {
      // Not bound to the NIC: Network Watcher expands an ASG to its members' addresses (the NIC's own among
      // them), whatever NIC the rules are listed for; binding would turn a member's ASG into 0.0.0.0/0.
      const ctx: RuleContext = { topo: env.topo, tags: env.tags, tagContext: tagContextForNic(env, nic), direction };
      for (const rule of orderedRules(nsg, direction)) {
        // A rule whose direction is unknown is listed once, under Inbound.
        if (isUnknown(rule.direction) && direction === "Outbound") continue;
        rules.push(effectiveRule(rule, ctx, tagMap));
      }
    }
    value.push({ networkSecurityGroup: { id: idOrUrn(nsg) }, association, effectiveSecurityRules: rules, tagMap });
  }
  return { value };
}
