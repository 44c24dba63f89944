/**
 * Checks intents of every kind. One intent's internal error never hides the others: it becomes a failed result
 * whose message says so (a checker that silently passes is worse than one that fails loudly).
 */
import type { EngineEnv } from "../engine/nsg";
import { verifyFlowIntent } from "./flow-verify";
import { verifyReachByCases } from "./cases";
import type { ReachOptions } from "./reach";
import type { IntentResult } from "./result";
import type { Intent } from "./types";

export function evaluateIntent(env: EngineEnv, intent: Intent, options: ReachOptions = {}): IntentResult {
  try {
    return intent.kind === "reach" ? verifyReachByCases(env, intent, options) : verifyFlowIntent(env, intent);
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).split("\n")[0];
    const error = `internal error while checking this intent: ${message} (please report it)`;
    return {
      name: intent.name,
      kind: intent.kind,
      verdict: "fail",
      enforcement: intent.enforcement,
      expect: intent.expect,
      message: error,
      error,
      notes: [],
      declaredIn: intent.origin.componentUrn ?? intent.origin.source,
    };
  }
}

export function evaluateIntents(env: EngineEnv, intents: readonly Intent[], options: ReachOptions = {}): IntentResult[] {
  return intents.map((i) => evaluateIntent(env, i, options));
}
