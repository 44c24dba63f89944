/**
 * Stack policy `network-hygiene`: the hygiene and exposure checks of src/checks (internet exposure and flow-count
 * risk, rules that never match, cross-layer contradictions, broken routes, coverage). Advisory by default; the
 * policy's configured level applies to every check not configured on its own, and each check's enforcement is
 * configurable (`checks: {"<name>": {"enforcement": "mandatory"}}`); findings can be suppressed with a reason
 * (`suppressions: [{check, resource, reason}]`). Suppressed findings stay visible.
 * Like reachability-intents it reads props through the raw object and never throws.
 */
import type { ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { policyConfigToCheckOptions } from "../../src/checks/policy-config";
import { runChecks } from "../../src/checks";
import { HYGIENE_POLICY } from "../../src/check-run/hygiene-config";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import type { PolicyResourceLike } from "../../src/resources/policy-args";
import { reportAll, type Violation } from "./reachability-intents";
import { withPlannedInputs } from "./planned-inputs";
import { explicitCheckLevels, unknownKeyViolations } from "./config-level";
import { hygieneConfigSchema } from "./config-schema";
import { serviceTagWarnings } from "./service-tag-warnings";
import { loadServiceTags, stackModel } from "./stack-model";
import { otherStacksOf } from "./other-stacks";
import { findingViolations } from "./finding-violations";

export interface HygieneConfig {
  readonly checks?: unknown;
  readonly suppressions?: unknown;
  readonly serviceTagsFile?: unknown;
  /** Other stacks' export or preview files merged into the topology (other-stacks.ts). */
  readonly stacks?: unknown;
}

export { findingMessage } from "./finding-violations";

/** The violations for a stack: configuration problems first, then findings in the checks' stable order. */
export function checkHygiene(resources: readonly PolicyResourceLike[], config: HygieneConfig): Violation[] {
  try {
    const parsed = policyConfigToCheckOptions({ checks: config.checks, suppressions: config.suppressions });
    if (!parsed.ok) return parsed.errors.map((e) => ({ message: `policy config of ${HYGIENE_POLICY}: ${e}` }));
    const problems: Violation[] = [];
    let catalog = EMPTY_CATALOG;
    if (typeof config.serviceTagsFile === "string" && config.serviceTagsFile !== "") {
      const loaded = loadServiceTags(config.serviceTagsFile);
      if (loaded.ok) {
        catalog = loaded.catalog;
        problems.push(...serviceTagWarnings(loaded));
      }
      else problems.push({ message: `policy config "serviceTagsFile": ${loaded.error}`, enforcementLevel: "advisory" });
    }
    // Records, topology and env are shared with the other policy of this AnalyzeStack (stack-model.ts).
    const others = otherStacksOf(config.stacks, problems);
    const findings = runChecks(stackModel(resources, others).env(catalog), parsed.options);
    // A check's level is its own only when the config names it; otherwise none is given, so the policy's
    // configured level applies ("network-hygiene": "mandatory", "all": ...; config-level.ts). Suppressed findings
    // are shown, never enforced.
    const explicit = explicitCheckLevels(config.checks);
    const violations = findingViolations(findings, (f) => (f.suppressed ? "advisory" : explicit[f.check]));
    return [...problems, ...violations];
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).split("\n")[0];
    return [{ message: `azure-reachability could not run its network hygiene checks: internal error: ${message} (please report it)`, enforcementLevel: "advisory" }];
  }
}

export function validateHygiene(args: StackValidationArgs, report: ReportViolation): void {
  let config: HygieneConfig = {};
  try {
    config = (args.getConfig<HygieneConfig>() ?? {}) as HygieneConfig;
  } catch {
    config = {};
  }
  reportAll([...unknownKeyViolations(HYGIENE_POLICY, config, hygieneConfigSchema), ...checkHygiene(withPlannedInputs(args.resources), config)], report);
}

export const networkHygienePolicy: StackValidationPolicy = {
  name: HYGIENE_POLICY,
  description: "Network hygiene and exposure: Internet exposure and flow-count risk, rules that never match, contradictions between subnet and NIC NSGs, broken routes, unfiltered subnets and NICs.",
  enforcementLevel: "advisory",
  configSchema: hygieneConfigSchema,
  validateStack: validateHygiene,
};
