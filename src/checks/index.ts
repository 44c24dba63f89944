/**
 * Hygiene and exposure checks over the composed configuration of a plan. One check per file, listed in
 * catalogue.ts with a stable id; `runChecks` runs the enabled ones, applies suppressions and returns the findings
 * in a deterministic order (catalogue order, then first resource, then message).
 *
 * `runChecks` includes the adapter's diagnostics (checks `invalid-rule` and `model-diagnostic`, via
 * `diagnosticFindings`): callers of `runChecks` must not add `diagnosticFindings` again.
 */
import type { EngineEnv } from "../engine/nsg";
import { CATALOGUE, findCheck } from "./catalogue";
import { applySuppressions, validateSuppressions } from "./suppressions";
import type { Check, CheckContext, CheckOptions, Finding } from "./types";
import { invalidSuppression } from "./invalid-suppression";
import { makeFinding } from "./helpers";

export type { Check, CheckContext, CheckEnforcement, CheckOptions, Finding, FindingSeverity, Suppression } from "./types";
export { CATALOGUE, findCheck } from "./catalogue";
export { diagnosticFindings, INVALID_CONFIGURATION_CODES } from "./diagnostic-findings";
export { applySuppressions, MIN_REASON_LENGTH, validateSuppressions } from "./suppressions";
export { policyConfigToCheckOptions, DEFAULT_ENFORCEMENT, type ActiveEnforcement, type CheckConfigResult } from "./policy-config";
export { exposureFigures, exposureCount, ingressPaths, MANAGEMENT_PORTS, WIDE_PORT_THRESHOLD } from "./internet-exposure";
export { internetExposure } from "./internet-exposure";
export { flowCountRisk, VM_FLOW_LIMIT, DIRECTION_FLOW_LIMIT, APPLIANCE_FLOW_LIMIT } from "./flow-count-risk";
export { shadowedRule } from "./shadowed-rule";
export { unreachableRule } from "./unreachable-rule";
export { crossLayerContradiction } from "./cross-layer-contradiction";
export { missingAppliance } from "./missing-appliance";
export { applianceIpForwardingDisabled } from "./appliance-ip-forwarding-disabled";
export { applianceRouteLoop } from "./appliance-route-loop";
export { routeToNone } from "./route-to-none";
export { unattachedRouteTable } from "./unattached-route-table";
export { unfilteredNic } from "./unfiltered-nic";
export { subnetWithoutNsg } from "./subnet-without-nsg";
export { unattachedNsg } from "./unattached-nsg";
export { invalidRule } from "./invalid-rule";
export { modelDiagnostic } from "./model-diagnostic";
export { invalidSuppression } from "./invalid-suppression";
export { serviceEndpointBypassesAppliance } from "./service-endpoint-bypasses-appliance";
export { bastionSubnetNsg } from "./bastion-subnet-nsg";
export { appGatewaySubnetNsg } from "./app-gateway-subnet-nsg";
export { gatewaySubnetNsg } from "./gateway-subnet-nsg";
export { firewallSubnetNsg } from "./firewall-subnet-nsg";

/** Runs one check; a check that fails on an unexpected model reports that instead of aborting the others. */
export function runOneCheck(check: Check, ctx: CheckContext): Finding[] {
  try {
    return check.run(ctx);
  } catch (e) {
    return [
      makeFinding(check, {
        severity: "low",
        resources: [],
        message: `check ${check.name} could not complete: ${e instanceof Error ? e.message : String(e)}`,
        details: { internalError: true },
      }),
    ];
  }
}

/** The checks `runChecks` runs, in catalogue order (worker threads run them by name: src/check-run/parallel.ts). */
export function enabledChecks(options: CheckOptions = {}): Check[] {
  const enabled = new Set<string>();
  for (const ref of options.enabled ?? CATALOGUE.map((c) => c.name)) {
    const c = findCheck(ref);
    if (c) enabled.add(c.name);
  }
  return CATALOGUE.filter((c) => enabled.has(c.name));
}

export function checkContext(env: EngineEnv, options: CheckOptions = {}): CheckContext {
  return { env, ...(options.routing ? { routing: options.routing } : {}) };
}

/** The checks' raw findings (in catalogue order) -> suppressions applied, invalid suppressions added, sorted. */
export function finishFindings(env: EngineEnv, found: readonly Finding[], options: CheckOptions = {}): Finding[] {
  const { valid, findings: invalid } = validateSuppressions(options.suppressions ?? [], env.topo, CATALOGUE);
  const runsInvalid = enabledChecks(options).some((c) => c.name === invalidSuppression.name);
  const all = [...applySuppressions(found, valid, env.topo), ...(runsInvalid ? invalid : [])];
  return sortFindings(all);
}

export function runChecks(env: EngineEnv, options: CheckOptions = {}): Finding[] {
  const ctx = checkContext(env, options);
  const found = enabledChecks(options).flatMap((c) => runOneCheck(c, ctx));
  return finishFindings(env, found, options);
}

const ORDER = new Map(CATALOGUE.map((c, i) => [c.name, i]));

/** Catalogue order, then first resource, then message: stable whatever the map order of the topology. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...findings].sort(
    (a, b) => (ORDER.get(a.check) ?? 99) - (ORDER.get(b.check) ?? 99) || cmp(a.resources[0] ?? "", b.resources[0] ?? "") || cmp(a.message, b.message),
  );
}
