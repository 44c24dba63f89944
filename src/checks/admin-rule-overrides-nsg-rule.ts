/**
 * AR-050 admin-rule-overrides-nsg-rule: an NSG rule that is never evaluated because Virtual Network Manager security
 * admin rules decide every one of its flows first (docs/avnm.md). Admin rules are evaluated before NSGs; a Deny
 * stops the flow and an AlwaysAllow delivers it without the NSGs
 * (https://learn.microsoft.com/azure/virtual-network-manager/concept-security-admins). So an NSG rule all of whose
 * flows, at every subnet and NIC its NSG is attached to, meet a Deny or AlwaysAllow admin rule first is dead: an
 * Allow there is overridden (the team believes traffic passes; it is denied), a Deny is bypassed (the team believes
 * it blocks; AlwaysAllow lets it in). Only sure coverage is reported: a flow whose admin decision depends on a value
 * unknown at preview keeps the rule alive.
 */
import { ADMIN_ACCESSES, compiledAdminRules, compiledAdminRulesForSubnet } from "../engine/admin-rules";
import { tagContextForSubnet } from "../engine/address-context";
import { SYMBOLIC, firstMatch } from "../engine/first-match";
import { tagContextForNic } from "../engine/nsg";
import { compileRule, type CompiledRule, type RuleContext } from "../engine/rules";
import { nicAddresses } from "../engine/topology-queries";
import type { AdminRule, Direction, Nsg, SecurityRule, Subnet, Topology } from "../model/topology";
import type { TagContext } from "../engine/address-context";
import { memoKind, topoMemo } from "../engine/memo";
import { isUnknown } from "../model/unknown";
import type { FlowSet } from "../sets/flow-set";
import type { IpSet } from "../sets/ip-set";
import { makeFinding, nameOf, nsgAssociations, ruleRef, ruleSummary, sortedValues } from "./helpers";
import type { Check, CheckContext, Finding } from "./types";

interface Place {
  readonly label: string;
  readonly ctx: RuleContext;
  readonly admin: readonly CompiledRule<AdminRule>[];
  /** Addresses on the NSG's side (destination inbound, source outbound); undefined: unconstrained. */
  readonly applied: IpSet | undefined;
}

/**
 * A subnet's tag context, once per topology: placesOf asks for it per NSG attachment and direction, and building
 * it (the VirtualNetwork and Internet tags of the subnet) is most of this check's cost.
 */
const SUBNET_TAGS = memoKind<{ subnet: Subnet }, TagContext>("admin-override-subnet-tag-context", ["subnet"]);

function subnetTagContext(topo: Topology, subnet: Subnet): TagContext {
  return topoMemo(topo, SUBNET_TAGS({ subnet }), () => tagContextForSubnet(topo, subnet));
}

function placesOf(cc: CheckContext, nsg: Nsg, direction: Direction): Place[] | undefined {
  const env = cc.env;
  const topo = env.topo;
  const assoc = nsgAssociations(topo, nsg);
  if (assoc.maybeMore) return undefined;
  const subnetAdmin = assoc.subnets.map((subnet) => compiledAdminRulesForSubnet(env, subnet, direction));
  const nicAdmin = assoc.nics.map((nic) => compiledAdminRules(env, nic, direction));
  // No admin rule at any place: nothing to override (deadIn stops there); skip building the rule contexts.
  if (subnetAdmin.every((a) => a.length === 0) && nicAdmin.every((a) => a.length === 0)) return [];
  const out: Place[] = [];
  assoc.subnets.forEach((subnet, i) => {
    out.push({
      label: `subnet ${nameOf(subnet)}`,
      ctx: { topo, tags: env.tags, tagContext: subnetTagContext(topo, subnet), direction },
      admin: subnetAdmin[i] ?? [],
      applied: isUnknown(subnet.addressSpace) ? undefined : subnet.addressSpace,
    });
  });
  assoc.nics.forEach((nic, i) => {
    const addrs = nicAddresses(topo, nic);
    out.push({
      label: `NIC ${nameOf(nic)}`,
      ctx: { topo, tags: env.tags, tagContext: tagContextForNic(env, nic), direction, local: nic },
      admin: nicAdmin[i] ?? [],
      applied: addrs.causes.length > 0 ? undefined : addrs.must,
    });
  });
  return out;
}

/** The admin rules that surely decide every flow of `flows` (Deny or AlwaysAllow); undefined when some flow escapes. */
function overriders(admin: readonly CompiledRule<AdminRule>[], flows: FlowSet): CompiledRule<AdminRule>[] | undefined {
  if (admin.length === 0) return undefined;
  const used: CompiledRule<AdminRule>[] = [];
  for (const d of firstMatch(SYMBOLIC, admin, flows, ADMIN_ACCESSES)) {
    if (d.outcome !== "Deny" && d.outcome !== "AlwaysAllow") return undefined;
    if (!used.includes(d.rule)) used.push(d.rule);
  }
  return used;
}

function deadIn(cc: CheckContext, nsg: Nsg, direction: Direction): Finding[] {
  const places = placesOf(cc, nsg, direction);
  if (places === undefined || places.length === 0) return [];
  if (places.every((p) => p.admin.length === 0)) return [];
  const out: Finding[] = [];
  const rules = nsg.rules.filter((r: SecurityRule) => r.valid && r.direction === direction && !isUnknown(r.access) && !isUnknown(r.priority));
  for (const rule of rules) {
    const by = new Map<string, CompiledRule<AdminRule>>();
    let dead = true;
    let anyFlow = false;
    for (const p of places) {
      const compiled = compileRule(rule, p.ctx);
      // Only a rule known in every part: otherwise its reach is a bound, not its flows.
      if (compiled.causes.length > 0) {
        dead = false;
        break;
      }
      const flows = p.applied === undefined ? compiled.must : direction === "Inbound" ? compiled.must.restrict({ dst: p.applied }) : compiled.must.restrict({ src: p.applied });
      if (flows.isEmpty()) continue;
      anyFlow = true;
      const o = overriders(p.admin, flows);
      if (o === undefined) {
        dead = false;
        break;
      }
      for (const r of o) by.set(r.ruleName, r);
    }
    if (!dead || !anyFlow) continue;
    const admins = [...by.values()];
    const accesses = new Set(admins.map((a) => a.access as string));
    const allowOverridden = rule.access === "Allow" && accesses.has("Deny");
    const denyBypassed = rule.access === "Deny" && accesses.has("AlwaysAllow");
    const effect = allowOverridden
      ? "the traffic it allows is denied before the NSG is evaluated"
      : denyBypassed
        ? "the traffic it denies is let in by AlwaysAllow without the NSG being evaluated"
        : "the admin rules decide its traffic before the NSG is evaluated";
    out.push(
      makeFinding(adminRuleOverridesNsgRule, {
        severity: denyBypassed ? "high" : "medium",
        resources: [rule.urn, nsg.urn, ...admins.map((a) => a.rule.urn)],
        message: `NSG ${nameOf(nsg)}: rule ${ruleSummary(rule)} is never evaluated at ${places.map((p) => p.label).join(", ")}: security admin rule${admins.length > 1 ? "s" : ""} ${admins.map((a) => `${a.ruleName} (${String(a.access)})`).join(", ")} decide${admins.length > 1 ? "" : "s"} all of its flows first; ${effect}`,
        rules: [ruleRef(cc.env.topo, rule), ...admins.map((a) => a.ruleName)],
        details: { direction, adminRules: admins.map((a) => a.ruleName) },
      }),
    );
  }
  return out;
}

export const adminRuleOverridesNsgRule: Check = {
  id: "AR-050",
  name: "admin-rule-overrides-nsg-rule",
  title: "NSG rule overridden by a security admin rule",
  severity: "medium",
  explanation:
    "Azure Virtual Network Manager security admin rules are evaluated before NSGs: a Deny stops the traffic and an " +
    "Always Allow delivers it without the NSGs. An NSG rule all of whose traffic meets such an admin rule first, " +
    "wherever the NSG is attached, never takes effect: an Allow the application team relies on is denied centrally, " +
    "or a Deny they rely on is bypassed by Always Allow.",
  fix:
    "Align the NSG with the organisation's security admin configuration: delete or narrow the dead NSG rule, or, " +
    "when the exception is intended, ask the network team for an admin rule exception (a higher-priority Allow " +
    "admin rule hands the traffic back to the NSGs).",
  run(ctx: CheckContext): Finding[] {
    if (ctx.env.topo.avnm === undefined) return [];
    return sortedValues(ctx.env.topo.nsgs).flatMap((nsg) => [...deadIn(ctx, nsg, "Inbound"), ...deadIn(ctx, nsg, "Outbound")]);
  },
};
