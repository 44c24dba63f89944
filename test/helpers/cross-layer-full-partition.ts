/**
 * The AR-004 implementation before the witness search (commit bcce94b): a full first-match partition of every flow
 * of every scope. Kept as the reference the witness search is property-tested against (test/checks/
 * cross-layer-witness.test.ts): both must give the same findings, byte for byte.
 */
import { SYMBOLIC, firstMatch, type Decision } from "../../src/engine/first-match";
import { asgBindingKey, compiledRules, tagPlaceKey } from "../../src/engine/nsg";
import type { CompiledRule } from "../../src/engine/rules";
import { nicAddresses, subnetOfNic } from "../../src/engine/topology-queries";
import type { Direction, Nic, Nsg, SecurityRule, Subnet } from "../../src/model/topology";
import { isUnknown } from "../../src/model/unknown";
import type { Flow } from "../../src/sets/flow";
import { FlowSet } from "../../src/sets/flow-set";
import { IpSet } from "../../src/sets/ip-set";
import { joinNames, makeFinding, nameOf, nicUrns, ruleRef, ruleSummary, sortedValues, subnetLabel } from "../../src/checks/helpers";
import type { Check, CheckContext, Finding } from "../../src/checks/types";

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

const SIDES = { Inbound: new WeakMap<FlowSet, IpSet>(), Outbound: new WeakMap<FlowSet, IpSet>() };

/** The addresses on the NIC's side of the flows (destinations inbound, sources outbound), computed once per set. */
function nicSide(flows: FlowSet, direction: Direction): IpSet {
  const cache = SIDES[direction];
  let out = cache.get(flows);
  if (out === undefined) {
    out = direction === "Inbound" ? flows.destinations() : flows.sources();
    cache.set(flows, out);
  }
  return out;
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

export const crossLayerContradictionFullPartition: Check = {
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
    const decided = new Map<string, { denials: Decision<FlowSet>[]; notDenied: FlowSet }>();
    const escaped = new Map<string, Map<SecurityRule, FlowSet>>();
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
          for (const k of [...escaped.keys()]) if (k.startsWith(`${key}#`) || k.endsWith(`#${key}`)) escaped.delete(k);
        }
      }
    };
    for (const [batchIndex, batch] of all.entries()) {
      const { nics, subnet, subnetNsg, nicNsg } = batch;
      const addrs = new Map(nics.map((n) => [n.key, nicAddresses(topo, n).may]));
      const union = [...addrs.values()].reduce((a, b) => a.union(b));
      for (const direction of ["Inbound", "Outbound"] as const) {
        const local = (flows: FlowSet, set: IpSet): FlowSet => (direction === "Inbound" ? flows.restrict({ dst: set }) : flows.restrict({ src: set }));
        // Whether flows exist at a NIC (or the batch): their addresses on the NIC's side meet the NIC's addresses
        // (every other dimension of a cube is non-empty), tested on that projection with no flow set built.
        const side = (flows: FlowSet): IpSet => nicSide(flows, direction);
        // A NIC without its own NSG cannot contradict its subnet's rules, but it counts among the NICs they apply to.
        const byLayer: Array<[Layer, Nsg, string, Nsg | undefined, string]> = nicNsg
          ? [
              ["networkInterface", nicNsg, batch.nicScope as string, subnetNsg, batch.subnetScope],
              ["subnet", subnetNsg, batch.subnetScope, nicNsg, batch.nicScope as string],
            ]
          : [["subnet", subnetNsg, batch.subnetScope, undefined, ""]];
        for (const [allowIn, allowNsg, allowScope, otherNsg, otherScope] of byLayer) {
          const allowRules = compiledRules(env, allowNsg, direction, nics[0]);
          const otherRules = otherNsg ? compiledRules(env, otherNsg, direction, nics[0]) : [];
          const memoKey = `${allowScope}|${direction}`;
          const otherKey = `${otherScope}|${direction}`;
          let allows = memo.get(memoKey);
          if (allows === undefined) {
            allows = allowsOf(decide(memoKey, allowRules, () => local(FlowSet.all(), unionOf(allowScope))));
            memo.set(memoKey, allows);
          }
          // Allows computed over exactly this batch's NICs are the ones it would compute alone.
          const alone = (scopeNics.get(allowScope) as Nic[]).length === nics.length;
          // Else this batch's own allows, computed only where an example flow has to be shown (rarely).
          let own: Map<SecurityRule, FlowSet> | undefined;
          const ownAllows = (): Map<SecurityRule, FlowSet> => (own ??= allowsByRule(allowRules, local(FlowSet.all(), union)));
          for (const [rule, allowed] of allows) {
            // A rule that allows nothing at this batch's NICs is not applicable here.
            if (!alone && !side(allowed).overlaps(union)) continue;
            const key = `${allowIn}|${direction}|${rule.nsgKey}|${rule.name}`;
            let g = groups.get(key);
            if (!g) {
              g = { rule, allowIn, direction, allowNsg, otherNsgs: new Map(), subnets: new Map(), hits: [], applicable: 0 };
              groups.set(key, g);
            }
            g.subnets.set(subnet.key, subnet);
            // The other NSG's decisions over all its scope's flows, restricted to a rule's allows at a NIC: that
            // NIC's flows of the rule are denied throughout exactly when none of them is decided otherwise.
            let outcome = decided.get(otherKey);
            if (outcome === undefined) {
              const decisions = otherNsg ? decide(otherKey, otherRules, () => local(FlowSet.all(), unionOf(otherScope))) : [];
              outcome = {
                denials: decisions.filter((d) => d.outcome === "Deny"),
                notDenied: decisions.filter((d) => d.outcome !== "Deny").reduce((a, d) => a.union(d.flows), FlowSet.empty()),
              };
              decided.set(otherKey, outcome);
            }
            const { denials, notDenied } = outcome;
            // The rule's flows the other NSG lets through somewhere (what a NIC must have some of to escape a hit).
            let byRule = escaped.get(`${memoKey}#${otherKey}`);
            if (byRule === undefined) {
              byRule = new Map();
              escaped.set(`${memoKey}#${otherKey}`, byRule);
            }
            let through = byRule.get(rule);
            if (through === undefined) {
              through = allowed.intersect(notDenied);
              byRule.set(rule, through);
            }
            for (const nic of nics) {
              const at = addrs.get(nic.key) as IpSet;
              // The rule's flows at this NIC (`mine`) exist, and some are not denied: tested without building them.
              if (!side(allowed).overlaps(at)) continue;
              g.applicable++;
              if (!otherNsg || side(through).overlaps(at)) continue;
              const mine = local(allowed, at);
              const deniers = [...new Map(denials.filter((d) => d.flows.overlaps(mine)).map((d) => [d.rule.ruleName, d.rule])).values()];
              g.otherNsgs.set(otherNsg.key, otherNsg);
              // The example is the one this batch alone gives (same flows; the same first flow of them).
              const example = alone ? mine : local(ownAllows().get(rule) ?? mine, at);
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
        makeFinding(crossLayerContradictionFullPartition, {
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
