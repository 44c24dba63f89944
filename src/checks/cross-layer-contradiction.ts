/**
 * AR-004 cross-layer-contradiction. A NIC's traffic crosses its subnet's NSG and its
 * own NSG, and both must allow (docs/azure-semantics.md §1). An allow rule in one of them whose flows, at a
 * given NIC, the other NSG always denies has no effect there: a NIC NSG allow that the subnet NSG denies (the
 * classic "opened the port in one NSG only", TC13), and the reverse.
 *
 * Per batch of NICs and allow rule, a witness search (allow-witness.ts) tells, exactly, at which NICs the rule
 * applies and at which some of its flows get through the other NSG; only at the contradictions (rare) is the full
 * first match of the scope computed, for the denying rules and the example flow the finding shows.
 */
import { SYMBOLIC, firstMatch, type Decision } from "../engine/first-match";
import { asgBindingKey, compiledRules, tagPlaceKey } from "../engine/nsg";
import type { CompiledRule } from "../engine/rules";
import { nicAddresses, subnetOfNic } from "../engine/topology-queries";
import type { Direction, Nic, Nsg, SecurityRule, Subnet } from "../model/topology";
import { isUnknown } from "../model/unknown";
import type { Flow } from "../sets/flow";
import { FlowSet } from "../sets/flow-set";
import { IpSet } from "../sets/ip-set";
import { allowWitness, CONTRADICTED, NOT_APPLICABLE } from "./allow-witness";
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
  return allowsOf(firstMatch(SYMBOLIC, rules, flows));
}

/** The same, from the decisions of a first match already run. */
function allowsOf(decisions: readonly Decision<FlowSet>[]): Map<SecurityRule, FlowSet> {
  const out = new Map<SecurityRule, FlowSet>();
  for (const d of decisions) {
    if (d.outcome !== "Allow" || d.rule.rule.origin === "default") continue;
    out.set(d.rule.rule, (out.get(d.rule.rule) ?? FlowSet.empty()).union(d.flows));
  }
  return out;
}

/** Flows of `flows` whose address on the NIC's side (destination inbound, source outbound) lies in `set`. */
function localOf(direction: Direction, flows: FlowSet, set: IpSet): FlowSet {
  return direction === "Inbound" ? flows.restrict({ dst: set }) : flows.restrict({ src: set });
}

interface Batch {
  readonly nics: Nic[];
  readonly subnet: Subnet;
  readonly subnetNsg: Nsg;
  readonly nicNsg?: Nsg;
  /**
   * NICs for which an NSG compiles alike (the same NSG, the same tags: subnets of one VNet and route table, the same
   * ASG membership as its rules see it):
   * that NSG's first match is computed once over all of them and restricted to each batch (first match is decided
   * flow by flow). One scope for the subnet NSG, one for the NIC NSG.
   */
  readonly subnetScope: string;
  readonly nicScope?: string;
}

/**
 * NICs whose two NSGs read the same for all of them: same subnet (so the same VirtualNetwork/Internet tags), same
 * subnet NSG and NIC NSG, and the same ASG membership as the rules of either see it.
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
    // With ASG rules, NICs of one ASG membership (as the rules see it) still read both NSGs alike.
    const membership = `${asgBindingKey(subnetNsg, nic)}|${nicNsg ? asgBindingKey(nicNsg, nic) : ""}`;
    const key = `${subnet.key}|${nicNsg?.key ?? "-"}|${membership}`;
    // Subnets of one VNet and route table read an NSG alike (the same VirtualNetwork and Internet tags).
    const place = tagPlaceKey(topo, subnet);
    const subnetScope = `${place}|${subnetNsg.key}|${asgBindingKey(subnetNsg, nic)}`;
    const nicScope = nicNsg ? `${place}|${nicNsg.key}|${asgBindingKey(nicNsg, nic)}` : undefined;
    const b = out.get(key);
    if (b) b.nics.push(nic);
    else out.set(key, { nics: [nic], subnet, subnetNsg, ...(nicNsg ? { nicNsg } : {}), subnetScope, ...(nicScope ? { nicScope } : {}) });
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
    // The NICs of each scope (batches with ASG rules hold one NIC each, but most NICs share memberships).
    const scopeNics = new Map<string, Nic[]>();
    const addTo = (scope: string, nics: readonly Nic[]): void => {
      const list = scopeNics.get(scope);
      if (list) list.push(...nics);
      else scopeNics.set(scope, [...nics]);
    };
    for (const b of all) {
      addTo(b.subnetScope, b.nics);
      if (b.nicScope !== undefined) addTo(b.nicScope, b.nics);
    }
    const scopeUnion = new Map<string, IpSet>();
    const unionOf = (scope: string): IpSet => {
      let u = scopeUnion.get(scope);
      if (u === undefined) {
        u = IpSet.unionAll((scopeNics.get(scope) as Nic[]).map((n) => nicAddresses(topo, n).may));
        scopeUnion.set(scope, u);
      }
      return u;
    };
    // Per scope and direction: the NSG's first match over every flow of the scope's NICs, run once and read by both
    // layers (as the allowing NSG, and as the other NSG deciding the allowed flows).
    const firstMatches = new Map<string, Decision<FlowSet>[]>();
    const decide = (key: string, rules: readonly CompiledRule[], flows: () => FlowSet): Decision<FlowSet>[] => {
      let d = firstMatches.get(key);
      if (d === undefined) {
        d = firstMatch(SYMBOLIC, rules, flows());
        firstMatches.set(key, d);
      }
      return d;
    };
    const memo = new Map<string, Map<SecurityRule, FlowSet>>();
    const allowsOfScope = (key: string, rules: readonly CompiledRule[], scope: string): Map<SecurityRule, FlowSet> => {
      let allows = memo.get(key);
      if (allows === undefined) {
        const direction = key.endsWith("|Inbound") ? "Inbound" : "Outbound";
        allows = allowsOf(decide(key, rules, () => localOf(direction, FlowSet.all(), unionOf(scope))));
        memo.set(key, allows);
      }
      return allows;
    };
    const decided = new Map<string, { denials: Decision<FlowSet>[] }>();
    const deniedOfScope = (key: string, rules: readonly CompiledRule[], scope: string): { denials: Decision<FlowSet>[] } => {
      let outcome = decided.get(key);
      if (outcome === undefined) {
        const direction = key.endsWith("|Inbound") ? "Inbound" : "Outbound";
        outcome = { denials: decide(key, rules, () => localOf(direction, FlowSet.all(), unionOf(scope))).filter((d) => d.outcome === "Deny") };
        decided.set(key, outcome);
      }
      return outcome;
    };
    // A scope's work is dropped after the last batch that reads it (batches come in NIC order, which keeps a
    // VNet's NICs together): the flow sets of a large plan are not all kept to the end of the check.
    const lastUse = new Map<string, number>();
    all.forEach((b, i) => {
      lastUse.set(b.subnetScope, i);
      if (b.nicScope !== undefined) lastUse.set(b.nicScope, i);
    });
    const release = (i: number): void => {
      const b = all[i] as Batch;
      for (const scope of [b.subnetScope, b.nicScope]) {
        if (scope === undefined || lastUse.get(scope) !== i) continue;
        scopeUnion.delete(scope);
        for (const direction of ["Inbound", "Outbound"]) {
          const key = `${scope}|${direction}`;
          firstMatches.delete(key);
          memo.delete(key);
          decided.delete(key);
        }
      }
    };
    for (const [batchIndex, batch] of all.entries()) {
      const { nics, subnet, subnetNsg, nicNsg } = batch;
      const addrList = nics.map((n) => nicAddresses(topo, n).may);
      const addrs = new Map(nics.map((n, k) => [n.key, addrList[k] as IpSet]));
      const union = IpSet.unionAll(addrList);
      for (const direction of ["Inbound", "Outbound"] as const) {
        const local = (flows: FlowSet, set: IpSet): FlowSet => (direction === "Inbound" ? flows.restrict({ dst: set }) : flows.restrict({ src: set }));
        const atBatch = local(FlowSet.all(), union);
        // A NIC without its own NSG cannot contradict its subnet's rules, but it counts among the NICs they apply to.
        const byLayer: Array<[Layer, Nsg, string, Nsg | undefined, string]> = nicNsg
          ? [
              ["networkInterface", nicNsg, batch.nicScope as string, subnetNsg, batch.subnetScope],
              ["subnet", subnetNsg, batch.subnetScope, nicNsg, batch.nicScope as string],
            ]
          : [["subnet", subnetNsg, batch.subnetScope, undefined, ""]];
        for (const [allowIn, allowNsg, allowScope, otherNsg, otherScope] of byLayer) {
          const allowRules = compiledRules(env, allowNsg, direction, nics[0]);
          const otherRules = otherNsg ? compiledRules(env, otherNsg, direction, nics[0]) : undefined;
          const memoKey = `${allowScope}|${direction}`;
          const otherKey = `${otherScope}|${direction}`;
          for (let i = 0; i < allowRules.length; i++) {
            const compiled = allowRules[i] as CompiledRule;
            const rule = compiled.rule;
            if (rule.origin === "default" || compiled.access !== "Allow") continue;
            // Per NIC: does the rule allow anything there, and does some of it get through the other NSG?
            const answers = allowWitness(allowRules, i, otherRules, addrList, union, direction, atBatch);
            if (!answers.some((a) => a !== NOT_APPLICABLE)) continue;
            const key = `${allowIn}|${direction}|${rule.nsgKey}|${rule.name}`;
            let g = groups.get(key);
            if (!g) {
              g = { rule, allowIn, direction, allowNsg, otherNsgs: new Map(), subnets: new Map(), hits: [], applicable: 0 };
              groups.set(key, g);
            }
            g.subnets.set(subnet.key, subnet);
            for (const [k, nic] of nics.entries()) {
              const answer = answers[k];
              if (answer === NOT_APPLICABLE) continue;
              g.applicable++;
              if (answer !== CONTRADICTED || !otherNsg) continue;
              // A contradiction (rare): the rules that deny and the example flow, from the full first match of the
              // scope, as before the witness search (the same flows, so the same example).
              const at = addrs.get(nic.key) as IpSet;
              const allowed = allowsOfScope(memoKey, allowRules, allowScope).get(rule) ?? FlowSet.empty();
              const mine = local(allowed, at);
              const { denials } = deniedOfScope(otherKey, otherRules as CompiledRule[], otherScope);
              const deniers = [...new Map(denials.filter((d) => d.flows.overlaps(mine)).map((d) => [d.rule.ruleName, d.rule])).values()];
              g.otherNsgs.set(otherNsg.key, otherNsg);
              // Allows computed over exactly this batch's NICs are the ones it would compute alone.
              const alone = (scopeNics.get(allowScope) as Nic[]).length === nics.length;
              // The example is the one this batch alone gives (same flows; the same first flow of them).
              const example = alone ? mine : local(allowsByRule(allowRules, local(FlowSet.all(), union)).get(rule) ?? mine, at);
              g.hits.push({ nic, deniers, example: example.sample() });
            }
          }
        }
      }
      release(batchIndex);
    }
    const out: Finding[] = [];
    for (const g of groups.values()) {
      if (g.hits.length === 0) continue;
      // NICs in plan order whatever the batches (a subnet's NICs fall in several when some have their own NSG).
      g.hits.sort((a, b) => (a.nic.key < b.nic.key ? -1 : a.nic.key > b.nic.key ? 1 : 0));
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
