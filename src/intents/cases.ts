/**
 * Deciding by cases (issue 12, point 7): when a NIC's subnet is an ambiguous reference at preview (a NIC on
 * `vnet.subnets[0]` before the VNet exists), every candidate subnet is a possible plan. The intent is checked in
 * each (src/engine/cases.ts, shared with trace and next hop); when every case gives the same verdict that is the
 * verdict (with a note), and it stays undecided only when the cases disagree, naming them.
 */
import { caseEnv, decideByCases, subnetCases } from "../engine/cases";
import type { EngineEnv } from "../engine/nsg";
import { verifyReach, type ReachOptions } from "./reach";
import type { IntentResult } from "./result";
import type { ReachIntent } from "./types";

/** verifyReach, deciding by cases an undecided answer that an ambiguous NIC subnet causes. */
export function verifyReachByCases(env: EngineEnv, intent: ReachIntent, options: ReachOptions = {}): IntentResult {
  const first = verifyReach(env, intent, options);
  if (first.verdict !== "indeterminate") return first;
  const cases = subnetCases(env.topo);
  if (!cases) return first;
  const decision = decideByCases(cases, (c) => verifyReach(caseEnv(env, c), intent, options), (r) => r.verdict, "indeterminate");
  if (decision.kind === "same") return { ...decision.result, notes: [...decision.result.notes, decision.note] };
  if (decision.kind === "disagree") return { ...first, notes: [...first.notes, decision.note] };
  return first;
}
