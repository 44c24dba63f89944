/**
 * AR-003 unreachable-rule: a custom rule that cannot match any flow by construction, whatever the other rules say:
 * - an outbound rule whose source is only Internet (outbound sources are the NIC's own private addresses, which
 *   are never Internet), or an inbound rule whose destination is only Internet;
 * - a rule naming ASGs on one side when no NIC is a member of any of them (on the NSG's side: no member NIC
 *   where the NSG is attached);
 * - a rule whose NSG-side addresses (destination inbound, source outbound) exclude every address the NSG is
 *   applied to: the address ranges of the subnets, and the addresses of the NICs, it is associated with.
 */
import { resolveSpec } from "../engine/rules";
import { triUnionAll, type TriSet } from "../engine/tri-set";
import type { AddressSpec, Direction, Nsg, SecurityRule, Topology } from "../model/topology";
import { isUnknown } from "../model/unknown";
import { IpSet } from "../sets/ip-set";
import { describeAddresses, makeFinding, nameOf, ruleRef, ruleSummary, sortedValues } from "./helpers";
import { nsgPlaces, type NsgContext } from "./nsg-contexts";
import type { Check, CheckContext, Finding, FindingSeverity } from "./types";
import { memoKind, topoMemo } from "../engine/memo";

type Side = "source" | "destination";

function specs(rule: SecurityRule, side: Side): readonly AddressSpec[] | undefined {
  const v = side === "source" ? rule.sources : rule.destinations;
  return isUnknown(v) ? undefined : v;
}

function onlyInternet(list: readonly AddressSpec[] | undefined): boolean {
  return list !== undefined && list.length > 0 && list.every((s) => s.kind === "tag" && s.tag.toLowerCase() === "internet");
}

/** ASG keys (all known) when every spec of the side names an ASG; undefined otherwise. */
function asgOnly(list: readonly AddressSpec[] | undefined): string[] | undefined {
  if (list === undefined || list.length === 0) return undefined;
  const keys: string[] = [];
  for (const s of list) {
    if (s.kind !== "asg" || isUnknown(s.asgKey)) return undefined;
    keys.push(s.asgKey);
  }
  return keys;
}

/** True when some NIC (anywhere in the plan) is, or may be, a member of the ASG. */
function hasMember(topo: Topology, asgKey: string): boolean {
  const m = membership(topo);
  return m.anyUnknown || m.withMembers.has(asgKey);
}

/** Per topology: the ASGs with a member NIC, and whether some NIC's memberships are unknown (asked per rule). */
const MEMBERSHIP = memoKind<Record<string, never>, { readonly withMembers: ReadonlySet<string>; readonly anyUnknown: boolean }>("asgs-with-members", []);

function membership(topo: Topology): { readonly withMembers: ReadonlySet<string>; readonly anyUnknown: boolean } {
  return topoMemo(topo, MEMBERSHIP({}), () => buildMembership(topo));
}

function buildMembership(topo: Topology): { readonly withMembers: ReadonlySet<string>; readonly anyUnknown: boolean } {
  const withMembers = new Set<string>();
  let anyUnknown = false;
  for (const nic of topo.nics.values()) {
    for (const cfg of nic.ipConfigurations) {
      if (isUnknown(cfg.asgKeys)) anyUnknown = true;
      else for (const k of cfg.asgKeys) withMembers.add(k);
    }
  }
  return { withMembers, anyUnknown };
}

function asgName(topo: Topology, key: string): string {
  const a = topo.asgs.get(key);
  return a ? nameOf(a) : key;
}

function localSide(direction: Direction): Side {
  return direction === "Inbound" ? "destination" : "source";
}

/** The rule's NSG-side addresses in a context (bounds; unknowns widen `may`). */
function localAddresses(ctx: CheckContext, rule: SecurityRule, direction: Direction, c: NsgContext): TriSet | undefined {
  const list = specs(rule, localSide(direction));
  if (list === undefined) return undefined;
  const rc = { topo: ctx.env.topo, tags: ctx.env.tags, tagContext: c.tagContext, direction, ...(c.local ? { local: c.local } : {}) };
  return triUnionAll(list.map((s) => resolveSpec(rule, s, localSide(direction), rc)));
}

interface Reason {
  readonly text: string;
  readonly kind: "internet" | "asg-no-member" | "outside";
}

function reasonFor(ctx: CheckContext, nsg: Nsg, rule: SecurityRule, direction: Direction, contexts: readonly NsgContext[], attached: boolean): Reason | undefined {
  const topo = ctx.env.topo;
  if (direction === "Outbound" && onlyInternet(specs(rule, "source"))) {
    return { kind: "internet", text: "its source is Internet, but outbound traffic leaves from the NIC's own private address, which is never Internet (did you mean an Inbound rule?)" };
  }
  if (direction === "Inbound" && onlyInternet(specs(rule, "destination"))) {
    return { kind: "internet", text: "its destination is Internet, but inbound traffic is addressed to the NIC's own private address, which is never Internet (did you mean an Outbound rule?)" };
  }
  for (const side of ["source", "destination"] as const) {
    const keys = asgOnly(specs(rule, side));
    if (keys && !keys.some((k) => hasMember(topo, k))) {
      return { kind: "asg-no-member", text: `its ${side} application security group${keys.length > 1 ? "s" : ""} ${keys.map((k) => asgName(topo, k)).join(", ")} ha${keys.length > 1 ? "ve" : "s"} no member NIC in the plan` };
    }
  }
  if (!attached) return undefined;
  const side = localSide(direction);
  let appliedAll = IpSet.empty();
  for (const c of contexts) {
    if (c.applied === undefined) return undefined;
    const local = localAddresses(ctx, rule, direction, c);
    if (local === undefined || local.may.overlaps(c.applied)) return undefined;
    appliedAll = appliedAll.union(c.applied);
  }
  const keys = asgOnly(specs(rule, side));
  const where = contexts.map((c) => c.label).join(", ");
  if (keys) {
    return { kind: "asg-no-member", text: `no NIC where the NSG applies (${where}) is a member of its ${side} application security group${keys.length > 1 ? "s" : ""} ${keys.map((k) => asgName(topo, k)).join(", ")}` };
  }
  const written = (specs(rule, side) ?? []).map((s) => s.text).join(",");
  return { kind: "outside", text: `its ${side} ${written} excludes every address the NSG applies to (${where}: ${describeAddresses(appliedAll)})` };
}

function unreachableIn(ctx: CheckContext, nsg: Nsg, direction: Direction): Finding[] {
  const places = nsgPlaces(ctx.env, nsg);
  const out: Finding[] = [];
  const rules = nsg.rules.filter((r) => r.valid && !isUnknown(r.direction) && r.direction === direction);
  const prio = (r: SecurityRule): number => (isUnknown(r.priority) ? -1 : r.priority);
  const sorted = [...rules].sort((a, b) => prio(a) - prio(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const rule of sorted) {
    const reason = reasonFor(ctx, nsg, rule, direction, places.contexts, places.attached);
    if (!reason) continue;
    const deny = rule.access === "Deny";
    const severity: FindingSeverity = deny ? "medium" : "low";
    out.push(
      makeFinding(unreachableRule, {
        severity,
        resources: [rule.urn, nsg.urn],
        message: `NSG ${nameOf(nsg)}: rule ${ruleSummary(rule)} can never match: ${reason.text}${deny ? "; the traffic it was meant to deny is not denied by it" : ""}`,
        rules: [ruleRef(ctx.env.topo, rule)],
        details: { direction, reason: reason.kind },
      }),
    );
  }
  return out;
}

export const unreachableRule: Check = {
  id: "AR-003",
  name: "unreachable-rule",
  title: "Rule that can never match",
  severity: "low",
  explanation:
    "Some rules cannot match any flow whatever their priority: an outbound rule whose only source is the Internet " +
    "tag, or an inbound rule whose only destination is Internet (the NSG sees the NIC's private address on its " +
    "side); a rule whose application security groups have no member NIC where the NSG is attached; a rule whose " +
    "destination (inbound) or source (outbound) lies outside every subnet and NIC the NSG is associated with. Such a " +
    "rule usually means a wrong direction, a wrong prefix or a forgotten ASG membership; a dead deny rule gives a " +
    "false sense of protection.",
  fix:
    "Check the rule's direction and its NSG-side prefix against the subnets and NICs the NSG is associated with; add " +
    "the intended NICs to the ASG; or delete the rule.",
  run(ctx: CheckContext): Finding[] {
    return sortedValues(ctx.env.topo.nsgs).flatMap((nsg) => [...unreachableIn(ctx, nsg, "Inbound"), ...unreachableIn(ctx, nsg, "Outbound")]);
  },
};
