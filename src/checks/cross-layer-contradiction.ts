/**
 * AR-004 cross-layer-contradiction. A NIC's traffic crosses its subnet's NSG and its
 * own NSG, and both must allow (semantics reference, section 1). An allow rule in one of them whose flows, at a
 * given NIC, the other NSG always denies has no effect there: a NIC NSG allow that the subnet NSG denies (the
 * classic "opened the port in one NSG only", TC13), and the reverse.
 */
import { SYMBOLIC, firstMatch, type Decision } from "../engine/first-match";
import { asgBindingKey, compiledRules } from "../engine/nsg";
import type { CompiledRule } from "../engine/rules";
import { nicAddresses, subnetOfNic } from "../engine/topology-queries";
import type { Direction, Nic, Nsg, SecurityRule, Subnet } from "../model/topology";
import { isUnknown } from "../model/unknown";
import type { Flow } from "../sets/flow";
import { FlowSet } from "../sets/flow-set";
import { IpSet } from "../sets/ip-set";
import { joinNames, makeFinding, nameOf, nicUrns, ruleRef, ruleSummary, sortedValues, subnetLabel } from "./helpers";
import type { Check, CheckContext, Finding } from "./types";

type Layer = "networkInterface" | "subnet";

interface Hit {
  readonly nic: Nic;
  readonly deniers: readonly CompiledRule[];
  readonly example?: Flow;
}

interface Group {
  readonly rule: SecurityRule;
  readonly allowIn: Layer;
  readonly direction: Direction;
  readonly allowNsg: Nsg;
  readonly otherNsgs: Map<string, Nsg>;
  readonly subnets: Map<string, Subnet>;
  readonly hits: Hit[];
  /** NICs where the rule allows some flows (for the subnet side: where the contradiction could occur). */
  applicable: number;
}

/** Flows each custom allow rule of `rules` decides as Allow, among `flows`. */
function allowsByRule(rules: readonly CompiledRule[], flows: FlowSet): Map<SecurityRule, FlowSet> {
  const out = new Map<SecurityRule, FlowSet>();
  for (const d of firstMatch(SYMBOLIC, rules, flows)) {
    if (d.outcome !== "Allow" || d.rule.rule.origin === "default") continue;
    out.set(d.rule.rule, (out.get(d.rule.rule) ?? FlowSet.empty()).union(d.flows));
  }
  return out;
}

interface Batch {
  readonly nics: Nic[];
  readonly subnet: Subnet;
  readonly subnetNsg: Nsg;
  readonly nicNsg?: Nsg;
  /**
   * Batches whose NSGs compile alike (same subnet and NSGs, same ASG membership as the rules see it): their first
   * match is computed once, over all their NICs, and restricted to each batch.
   */
  readonly shared: string;
}

function usesAsgs(nsg: Nsg | undefined): boolean {
  return nsg !== undefined && nsg.rules.some((r) => !isUnknown(r.sources) && !isUnknown(r.destinations) && [...r.sources, ...r.destinations].some((x) => x.kind === "asg"));
}

/**
 * NICs whose two NSGs read the same for all of them: same subnet (so the same VirtualNetwork/Internet tags), same
 * subnet NSG and NIC NSG, and no ASG rule in either (with ASGs, each NIC is its own batch).
 */
function batches(ctx: CheckContext): Batch[] {
  const topo = ctx.env.topo;
  const out = new Map<string, Batch>();
  for (const nic of sortedValues(topo.nics)) {
    const subnet = subnetOfNic(topo, nic);
    if (isUnknown(subnet) || !subnet || isUnknown(subnet.nsgKey) || subnet.nsgKey === null || isUnknown(nic.nsgKey)) continue;
    const subnetNsg = topo.nsgs.get(subnet.nsgKey);
    const nicNsg = nic.nsgKey === null ? undefined : topo.nsgs.get(nic.nsgKey);
    if (!subnetNsg || (nic.nsgKey !== null && !nicNsg) || subnetNsg.key === nicNsg?.key) continue;
    const perNic = usesAsgs(subnetNsg) || usesAsgs(nicNsg);
    const key = `${subnet.key}|${nicNsg?.key ?? "-"}${perNic ? `|${nic.key}` : ""}`;
    const shared = `${subnet.key}|${nicNsg?.key ?? "-"}${perNic ? `|${asgBindingKey(subnetNsg, nic)}/${nicNsg ? asgBindingKey(nicNsg, nic) : ""}` : ""}`;
    const b = out.get(key);
    if (b) b.nics.push(nic);
    else out.set(key, { nics: [nic], subnet, subnetNsg, ...(nicNsg ? { nicNsg } : {}), shared });
  }
  return [...out.values()];
}

export const crossLayerContradiction: Check = {
  id: "AR-004",
  name: "cross-layer-contradiction",
  title: "Allow rule always denied by the other NSG",
  severity: "medium",
  explanation:
    "Inbound traffic is evaluated by the subnet's NSG and then the NIC's NSG; outbound by the NIC's and then the " +
    "subnet's; both must allow, and a deny in either ends it. An allow rule in the NIC NSG whose flows the subnet " +
    "NSG always denies at that NIC (or the reverse) has no effect: the port was opened in one NSG only. The check " +
    "evaluates, per NIC, exactly the flows the allow rule decides, through the other NSG, and names the rules that deny them.",
  fix:
    "Add the matching allow to the other NSG (with a priority above its denying rule), or remove the allow that " +
    "cannot take effect. When the denial is intended, remove the dead allow to keep the intent readable.",
  run(ctx: CheckContext): Finding[] {
    const env = ctx.env;
    const topo = env.topo;
    const groups = new Map<string, Group>();
    const all = batches(ctx);
    // Work shared by batches that compile alike (NICs with ASG rules are one batch each, but most share memberships).
    const sharedNics = new Map<string, Nic[]>();
    for (const b of all) {
      const list = sharedNics.get(b.shared);
      if (list) list.push(...b.nics);
      else sharedNics.set(b.shared, [...b.nics]);
    }
    const sharedUnion = new Map<string, IpSet>();
    const memo = new Map<string, Map<SecurityRule, FlowSet>>();
    const decided = new Map<string, Map<SecurityRule, { denials: Decision<FlowSet>[]; notDenied: FlowSet }>>();
    for (const batch of all) {
      const { nics, subnet, subnetNsg, nicNsg } = batch;
      const addrs = new Map(nics.map((n) => [n.key, nicAddresses(topo, n).may]));
      const union = [...addrs.values()].reduce((a, b) => a.union(b));
      const whole = sharedNics.get(batch.shared) as Nic[];
      const alone = whole.length === nics.length;
      let wholeUnion = alone ? union : sharedUnion.get(batch.shared);
      if (wholeUnion === undefined) {
        wholeUnion = IpSet.unionAll(whole.map((n) => nicAddresses(topo, n).may));
        sharedUnion.set(batch.shared, wholeUnion);
      }
      for (const direction of ["Inbound", "Outbound"] as const) {
        const local = (flows: FlowSet, set: IpSet): FlowSet => (direction === "Inbound" ? flows.restrict({ dst: set }) : flows.restrict({ src: set }));
        const flows = local(FlowSet.all(), wholeUnion);
        // A NIC without its own NSG cannot contradict its subnet's rules, but it counts among the NICs they apply to.
        const byLayer: Array<[Layer, Nsg, Nsg | undefined]> = nicNsg
          ? [
              ["networkInterface", nicNsg, subnetNsg],
              ["subnet", subnetNsg, nicNsg],
            ]
          : [["subnet", subnetNsg, undefined]];
        for (const [allowIn, allowNsg, otherNsg] of byLayer) {
          const allowRules = compiledRules(env, allowNsg, direction, nics[0]);
          const otherRules = otherNsg ? compiledRules(env, otherNsg, direction, nics[0]) : [];
          const memoKey = `${batch.shared}|${direction}|${allowIn}`;
          let allows = memo.get(memoKey);
          if (allows === undefined) {
            allows = allowsByRule(allowRules, flows);
            memo.set(memoKey, allows);
          }
          // This batch's own allows, computed only where an example flow has to be shown (rarely).
          let own: Map<SecurityRule, FlowSet> | undefined;
          const ownAllows = (): Map<SecurityRule, FlowSet> => (own ??= allowsByRule(allowRules, local(FlowSet.all(), union)));
          for (const [rule, allowed] of allows) {
            // A rule that allows nothing at this batch's NICs is not applicable here.
            if (!alone && local(allowed, union).isEmpty()) continue;
            const key = `${allowIn}|${direction}|${rule.nsgKey}|${rule.name}`;
            let g = groups.get(key);
            if (!g) {
              g = { rule, allowIn, direction, allowNsg, otherNsgs: new Map(), subnets: new Map(), hits: [], applicable: 0 };
              groups.set(key, g);
            }
            g.subnets.set(subnet.key, subnet);
            // First match is decided flow by flow, so deciding the rule's flows at all these NICs once and then
            // restricting to each NIC is exact.
            let byRule = decided.get(memoKey);
            if (byRule === undefined) {
              byRule = new Map();
              decided.set(memoKey, byRule);
            }
            let outcome = byRule.get(rule);
            if (outcome === undefined) {
              const decisions = otherNsg ? firstMatch(SYMBOLIC, otherRules, allowed) : [];
              outcome = {
                denials: decisions.filter((d) => d.outcome === "Deny"),
                notDenied: decisions.filter((d) => d.outcome !== "Deny").reduce((a, d) => a.union(d.flows), FlowSet.empty()),
              };
              byRule.set(rule, outcome);
            }
            const { denials, notDenied } = outcome;
            for (const nic of nics) {
              const at = addrs.get(nic.key) as IpSet;
              const mine = local(allowed, at);
              if (mine.isEmpty()) continue;
              g.applicable++;
              if (!otherNsg || !local(notDenied, at).isEmpty()) continue;
              const deniers = [...new Map(denials.filter((d) => d.flows.overlaps(mine)).map((d) => [d.rule.ruleName, d.rule])).values()];
              g.otherNsgs.set(otherNsg.key, otherNsg);
              // The example is the one this batch alone gives (same flows; the same first flow of them).
              const example = alone ? mine : local(ownAllows().get(rule) ?? mine, at);
              g.hits.push({ nic, deniers, example: example.sample() });
            }
          }
        }
      }
    }
    const out: Finding[] = [];
    for (const g of groups.values()) {
      if (g.hits.length === 0) continue;
      const everywhere = g.hits.length === g.applicable;
      const others = [...g.otherNsgs.values()];
      const deniers = [...new Map(g.hits.flatMap((h) => h.deniers).map((d) => [ruleRef(topo, d.rule), d])).entries()];
      const nicNames = g.hits.map((h) => nameOf(h.nic));
      const where = g.allowIn === "networkInterface" ? "NIC NSG" : "subnet NSG";
      const otherWhere = g.allowIn === "networkInterface" ? "subnet NSG" : "NIC NSG";
      const scope = g.allowIn === "subnet" ? ` of ${[...g.subnets.values()].map((s) => subnetLabel(topo, s)).join(", ")}` : "";
      const count = everywhere ? (g.hits.length === 1 ? "" : " (every NIC it applies to)") : ` (${g.hits.length} of ${g.applicable} NICs it applies to)`;
      const message =
        `${where} ${nameOf(g.allowNsg)}${scope}: allow rule ${ruleSummary(g.rule)} has no effect at ${joinNames(nicNames)}${count}: ` +
        `${otherWhere} ${others.map(nameOf).join(", ")} always denies those flows (${joinNames(deniers.map(([r]) => r), 3)})`;
      out.push(
        makeFinding(crossLayerContradiction, {
          // A subnet rule still serves the NICs where the NIC NSG agrees: only a contradiction everywhere is as bad.
          severity: g.allowIn === "networkInterface" || everywhere ? "medium" : "low",
          resources: [g.rule.urn, g.allowNsg.urn, ...others.map((o) => o.urn), ...g.hits.flatMap((h) => nicUrns(topo, h.nic))],
          message,
          rules: [ruleRef(topo, g.rule), ...deniers.map(([r]) => r)],
          example: g.hits[0].example,
          details: { direction: g.direction, allowIn: g.allowIn, nics: nicNames, everywhere },
        }),
      );
    }
    return out;
  },
};
