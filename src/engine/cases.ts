/**
 * Deciding by cases (issue 12, point 7): when a NIC's subnet is an ambiguous reference at preview (a NIC on
 * `vnet.subnets[0]` before the VNet exists: the adapter's Unknown carries the candidate subnets), every candidate
 * is a possible plan. A question is answered in each; when every case gives the same verdict that is the verdict
 * (with a note), and it stays undecided only when the cases disagree, naming them. Shared by the intents
 * (src/intents/cases.ts), trace and next hop, so they decide alike.
 */
import type { IpConfiguration, Nic, Topology } from "../model/topology";
import { isUnknown } from "../model/unknown";
import { engineEnv, type EngineEnv } from "./nsg";
import { memoKind, topoMemo } from "./memo";

/** At most this many plans are checked (the product of the candidates of every ambiguous configuration). */
const MAX_CASES = 32;

interface Choice {
  readonly nic: Nic;
  readonly index: number;
  readonly candidates: readonly string[];
  /** Candidates the configuration's static address rules out (Azure assigns an address of the subnet only). */
  readonly ruledOut: readonly string[];
  readonly address?: string;
}

/** One possible plan: every ambiguous subnet reference resolved to one of its candidates. */
export interface TopologyCase {
  readonly topo: Topology;
  /** "vm in a, web in b". */
  readonly label: string;
}

export interface Cases {
  /** "vm: one of a, b; web: one of a, b". */
  readonly where: string;
  readonly cases: readonly TopologyCase[];
}

function ambiguousSubnets(topo: Topology): Choice[] {
  const out: Choice[] = [];
  for (const nic of topo.nics.values()) {
    nic.ipConfigurations.forEach((cfg, index) => {
      const k = cfg.subnetKey;
      if (!isUnknown(k) || !k.candidates) return;
      const known = k.candidates.filter((c) => topo.subnets.has(c));
      // A static address names its subnet: a candidate whose range does not hold it is no possible plan.
      const address = typeof cfg.privateIpAddress === "string" ? cfg.privateIpAddress : undefined;
      const holds = (key: string): boolean => {
        const space = topo.subnets.get(key)?.addressSpace;
        return address === undefined || space === undefined || isUnknown(space) || space.contains(address);
      };
      const candidates = known.filter(holds);
      const ruledOut = known.filter((c) => !holds(c));
      if (candidates.length > 1 || (candidates.length === 1 && ruledOut.length > 0)) out.push({ nic, index, candidates, ruledOut, ...(address ? { address } : {}) });
    });
  }
  return out;
}

function picks(choices: readonly Choice[]): string[][] | undefined {
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

function nicName(nic: Nic): string {
  return nic.logicalName || nic.key;
}

function ruledOutText(topo: Topology, c: Choice): string {
  return c.ruledOut.length > 0 ? ` (its address ${c.address} rules out ${c.ruledOut.map((k) => subnetName(topo, k)).join(", ")})` : "";
}

const CASES = memoKind<Record<string, never>, Cases | undefined>("subnet-cases", []);

/** The plans an ambiguous subnet reference may be (undefined: none, or more than MAX_CASES). Computed once per topology. */
export function subnetCases(topo: Topology): Cases | undefined {
  return topoMemo(topo, CASES({}), () => {
    const choices = ambiguousSubnets(topo);
    const all = choices.length > 0 ? picks(choices) : undefined;
    return all
      ? {
          where: choices.map((c) => `${nicName(c.nic)}: ${c.candidates.length === 1 ? "in" : "one of"} ${c.candidates.map((k) => subnetName(topo, k)).join(", ")}${ruledOutText(topo, c)}`).join("; "),
          cases: all.map((pick) => ({ topo: withSubnets(topo, choices, pick), label: choices.map((c, i) => `${nicName(c.nic)} in ${subnetName(topo, pick[i] as string)}`).join(", ") })),
        }
      : undefined;
  });
}

export type CaseDecision<T> =
  /** Every case gives `verdict` (a decided one): `result` is the first case's answer. */
  | { readonly kind: "same"; readonly verdict: string; readonly result: T; readonly label: string; readonly note: string }
  /** The cases give different verdicts: undecided, naming them. */
  | { readonly kind: "disagree"; readonly note: string }
  /** Undecided in every case: something else is unknown too, and the cases add nothing to say. */
  | { readonly kind: "undecided" };

/** Answers a question in every case and compares the verdicts (`undecided`: the verdict that decides nothing). */
export function decideByCases<T>(cases: Cases, run: (c: TopologyCase) => T, verdictOf: (t: T) => string, undecided: string): CaseDecision<T> {
  const results = cases.cases.map((c) => ({ c, result: run(c), verdict: "" })).map((r) => ({ ...r, verdict: verdictOf(r.result) }));
  const verdicts = new Set(results.map((r) => r.verdict));
  const first = results[0];
  if (first && verdicts.size === 1 && first.verdict !== undecided) {
    return { kind: "same", verdict: first.verdict, result: first.result, label: first.c.label, note: `decided by cases: the subnet is ambiguous at preview (${cases.where}); every case gives ${first.verdict}` };
  }
  if (verdicts.size <= 1) return { kind: "undecided" };
  return { kind: "disagree", note: `the cases disagree (${cases.where}): ${results.map((r) => `${r.c.label}: ${r.verdict}`).join("; ")}` };
}

/** The engine environment of one case, kept in the plan's environment: every question asked by cases shares it. */
export function caseEnv(env: EngineEnv, c: TopologyCase): EngineEnv {
  return env.memo(CASE_ENV({ topo: c.topo }), () => engineEnv(c.topo, env.tags, env.hints));
}

/** Per case: its topology (the case object), with the plan's service tags (the env's). */
const CASE_ENV = memoKind<{ topo: Topology }, EngineEnv>("case-env", ["topo"]);

/** The same cases restricted to those `keep` accepts (the others are not possible plans for the question). */
export function someCases(cases: Cases, keep: (c: TopologyCase) => boolean): Cases {
  return { where: cases.where, cases: cases.cases.filter(keep) };
}
