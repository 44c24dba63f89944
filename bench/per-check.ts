/**
 * CPU time of each check of the catalogue on one plan (issue 19 point 8: "per-check time"), as
 * bench/check-times.ts takes it: the checks run one at a time, in catalogue order, over one fresh engine environment
 * (the caller's, so a later check reads the caches an earlier one filled, as in the product's runChecks). Keys are
 * `<id> <name>`, as in check-times.ts.
 */
import { CATALOGUE, runChecks } from "../src/checks";
import type { EngineEnv } from "../src/engine/nsg";

function cpuMs(fn: () => unknown): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

/** `env` must be fresh (no check run on it yet). */
export function perCheckCpuMs(env: EngineEnv): Record<string, number> {
  const out: Record<string, number> = {};
  for (const check of CATALOGUE) out[`${check.id} ${check.name}`] = Math.round(cpuMs(() => runChecks(env, { enabled: [check.name] })) * 10) / 10;
  return out;
}
