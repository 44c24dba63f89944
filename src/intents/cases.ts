/**
 * Deciding by cases (issue 12, point 7): when a NIC's subnet is an ambiguous reference at preview (a NIC on
 * `vnet.subnets[0]` before the VNet exists), every candidate subnet is a possible plan. The intent is checked in
 * each; when every case gives the same verdict that is the verdict (with a note), and it stays undecided only when
 * the cases disagree, naming them.
 */
import type { IpConfiguration, Nic, Topology } from "../model/topology";
import { isUnknown } from "../model/unknown";
import { engineEnv, envCached, type EngineEnv } from "../engine/nsg";
import { verifyReach, type ReachOptions } from "./reach";
import type { IntentResult } from "./result";
import type { ReachIntent } from "./types";

/** At most this many plans are checked (the product of the candidates of every ambiguous configuration). */
const MAX_CASES = 32;

interface Choice {
  readonly nic: Nic;
  readonly index: number;
  readonly candidates: readonly string[];
}

function ambiguousSubnets(topo: Topology): Choice[] {
  const out: Choice[] = [];
  for (const nic of topo.nics.values()) {
    nic.ipConfigurations.forEach((cfg, index) => {
      const k = cfg.subnetKey;
      if (!isUnknown(k) || !k.candidates) return;
      const candidates = k.candidates.filter((c) => topo.subnets.has(c));
      if (candidates.length > 1) out.push({ nic, index, candidates });
    });
  }
  return out;
}

function cases(choices: readonly Choice[]): string[][] | undefined {
  let all: string[][] = [[]];
  for (const c of choices) {
    all = all.flatMap((prefix) => c.candidates.map((k) => [...prefix, k]));
    if (all.length > MAX_CASES) return undefined;
  }
  return all;
}

function withSubnets(topo: Topology, choices: readonly Choice[], pick: readonly string[]): Topology {
  const nics = new Map(topo.nics);
  choices.forEach((c, i) => {
    const nic = nics.get(c.nic.key) as Nic;
    const ipConfigurations = nic.ipConfigurations.map((cfg, j): IpConfiguration => (j === c.index ? { ...cfg, subnetKey: pick[i] as string } : cfg));
    nics.set(nic.key, { ...nic, ipConfigurations });
  });
  return { ...topo, nics };
}

function subnetName(topo: Topology, key: string): string {
  const s = topo.subnets.get(key);
  return s ? s.logicalName || (isUnknown(s.azureName) ? key : s.azureName) : key;
}

function caseText(topo: Topology, choices: readonly Choice[], pick: readonly string[]): string {
  return choices.map((c, i) => `${c.nic.logicalName || c.nic.key} in ${subnetName(topo, pick[i] as string)}`).join(", ");
}

/** verifyReach, deciding by cases an undecided answer that an ambiguous NIC subnet causes. */
export function verifyReachByCases(env: EngineEnv, intent: ReachIntent, options: ReachOptions = {}): IntentResult {
  const first = verifyReach(env, intent, options);
  if (first.verdict !== "indeterminate") return first;
  const choices = envCached(env, "intents|ambiguous-subnets", () => ambiguousSubnets(env.topo));
  const all = choices.length > 0 ? cases(choices) : undefined;
  if (!all) return first;
  const results = all.map((pick) => ({ pick, result: verifyReach(engineEnv(withSubnets(env.topo, choices, pick), env.tags), intent, options) }));
  const verdicts = new Set(results.map((r) => r.result.verdict));
  const where = choices.map((c) => `${c.nic.logicalName || c.nic.key}: one of ${c.candidates.map((k) => subnetName(env.topo, k)).join(", ")}`).join("; ");
  const only = results[0];
  if (verdicts.size === 1 && only && only.result.verdict !== "indeterminate") {
    return { ...only.result, notes: [...only.result.notes, `decided by cases: the subnet is ambiguous at preview (${where}); every case gives ${only.result.verdict}`] };
  }
  // Undecided in every case: something else is unknown too; the cases add nothing to say.
  if (verdicts.size === 1) return first;
  const byVerdict = results.map((r) => `${caseText(env.topo, choices, r.pick)}: ${r.result.verdict}`).join("; ");
  return { ...first, notes: [...first.notes, `the cases disagree (${where}): ${byVerdict}`] };
}
