/**
 * Stack policy `reachability-intents`: every intent (from the policy config and from ReachabilityIntent components
 * in the program) is checked over all flows; each failing one is a violation on its destination resource, with
 * the counterexample flow and the rule or route to blame.
 *
 * At preview it is never skipped because of unknown values: props are read through the raw object behind
 * @pulumi/policy's proxy (src/resources/policy-args.ts), never through the proxy itself. It never throws: an
 * internal error becomes a violation that says so.
 */
import type { ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import type { Violation } from "./violation";
import { collectIntents, runCheck } from "../../src/check-run/run";
import { EMPTY_CATALOG, type ServiceTagCatalog } from "../../src/azure/service-tags";
import { parseIntentsLenient } from "../../src/intents/parse";
import type { IntentResult } from "../../src/intents/result";
import type { PolicyResourceLike } from "../../src/resources/policy-args";
import { withPlannedInputs } from "./planned-inputs";
import { unknownKeyViolations } from "./config-level";
import { reachabilityConfigSchema } from "./config-schema";
import { serviceTagWarnings } from "./service-tag-warnings";
import { loadServiceTags, stackModel } from "./stack-model";
import { otherStacksOf } from "./other-stacks";

export const POLICY_NAME = "reachability-intents";

export type OnUnknown = "warn" | "fail";

/** The policy's own config (the engine adds `enforcementLevel`). Schema defaults are not applied by the pack. */
export interface ReachabilityConfig {
  readonly intents?: unknown;
  readonly onUnknown?: unknown;
  readonly serviceTagsFile?: unknown;
  /** Other stacks' export or preview files merged into the topology (other-stacks.ts). */
  readonly stacks?: unknown;
}

export type { EnforcementLevel, Violation } from "./violation";

export interface StackInput {
  readonly resources: readonly PolicyResourceLike[];
  readonly config: ReachabilityConfig;
}

function indent(lines: readonly string[]): string[] {
  return lines.map((l) => `  ${l}`);
}

/** The violation text: what failed, the counterexample, the evidence (decisive lines marked `!`). */
export function violationMessage(r: IntentResult): string {
  const verb = r.verdict === "fail" ? "fails" : "cannot be decided at preview";
  const lines = [`intent "${r.name}" ${verb} (expect ${r.expect}; declared in ${r.declaredIn}): ${r.message}`];
  const cx = r.counterexample;
  if (cx) {
    const ends = `${cx.source ? `from ${cx.source.name}` : "from outside the VNets"} ${cx.destination ? `to ${cx.destination.name}` : "to outside the VNets"}`;
    lines.push(`counterexample: ${cx.text} ${ends}: ${cx.outcome}`, ...indent(cx.evidence.map((e) => `${e.decisive ? "!" : "-"} ${e.text}`)));
  }
  if (r.verdict === "indeterminate") lines.push(...(r.unknowns ?? []).map((u) => `unknown: ${u}`));
  lines.push(...r.notes.map((n) => `note: ${n}`));
  return lines.join("\n");
}

function onUnknownOf(config: ReachabilityConfig, problems: Violation[]): OnUnknown {
  const v = config.onUnknown;
  if (v === undefined || v === null) return "warn";
  if (v === "warn" || v === "fail") return v;
  problems.push({ message: `policy config "onUnknown" is ${JSON.stringify(v)}; allowed: "warn" (the default) or "fail". Using "warn".` });
  return "warn";
}

function catalogOf(config: ReachabilityConfig, problems: Violation[]): ServiceTagCatalog {
  const file = config.serviceTagsFile;
  if (file === undefined || file === null || file === "") return EMPTY_CATALOG;
  if (typeof file !== "string") {
    problems.push({ message: `policy config "serviceTagsFile" must be a path to Microsoft's Service Tags JSON file, not ${JSON.stringify(file)}` });
    return EMPTY_CATALOG;
  }
  const loaded = loadServiceTags(file);
  if (!loaded.ok) {
    problems.push({ message: `policy config "serviceTagsFile": ${loaded.error} (a relative path is read from the policy pack's directory)` });
    return EMPTY_CATALOG;
  }
  problems.push(...serviceTagWarnings(loaded));
  return loaded.catalog;
}

function violationFor(r: IntentResult, onUnknown: OnUnknown): Violation | undefined {
  if (r.verdict === "pass") return undefined;
  const message = violationMessage(r);
  const urn = r.urn;
  const advisory = r.enforcement === "advisory" || (r.verdict === "indeterminate" && onUnknown === "warn");
  return { message, ...(urn ? { urn } : {}), ...(advisory ? { enforcementLevel: "advisory" as const } : {}) };
}

/**
 * The whole check as a pure function of the resources and the config: the violations to report, in a stable
 * order (config problems first, then intents in declaration order).
 */
export function checkStack(input: StackInput): Violation[] {
  try {
    const problems: Violation[] = [];
    const onUnknown = onUnknownOf(input.config, problems);
    const catalog = catalogOf(input.config, problems);
    const configured = input.config.intents === undefined || input.config.intents === null ? { intents: [], errors: [] } : parseIntentsLenient(input.config.intents, { source: "policy config" });
    problems.push(...configured.errors.map((e) => ({ message: `invalid intent: ${e}` })));
    // Shared with the other policy of this AnalyzeStack (stack-model.ts).
    const model = stackModel(input.resources, otherStacksOf(input.config.stacks, problems));
    problems.push(...model.mergeDiagnostics.map((d): Violation => ({ message: `policy config "stacks": ${d.message}`, enforcementLevel: "advisory" })));
    const collected = collectIntents(configured.intents, "policy config", model.records);
    problems.push(...collected.errors.map((e) => ({ message: `invalid ReachabilityIntent: ${e}` })));
    if (collected.intents.length === 0) return problems;
    const topology = model.topology();
    const report = runCheck({ env: model.env(catalog), intents: collected.intents, intentSources: collected.sources, diagnostics: topology.diagnostics });
    const violations = report.results.flatMap((r) => {
      const v = violationFor(r, onUnknown);
      return v ? [v] : [];
    });
    return [...problems, ...violations];
  } catch (e) {
    const message = (e instanceof Error ? e.message : String(e)).split("\n")[0];
    return [{ message: `azure-reachability could not check the stack's reachability intents: internal error: ${message} (please report it)` }];
  }
}

/** Reports through the object form of reportViolation, which carries a per-violation enforcement level. */
export function reportAll(violations: readonly Violation[], report: ReportViolation): void {
  const reportObject = report as unknown as (v: Violation) => void;
  for (const v of violations) reportObject(v);
}

export function validateReachability(args: StackValidationArgs, report: ReportViolation): void {
  let config: ReachabilityConfig = {};
  try {
    config = (args.getConfig<ReachabilityConfig>() ?? {}) as ReachabilityConfig;
  } catch {
    config = {};
  }
  reportAll([...unknownKeyViolations(POLICY_NAME, config, reachabilityConfigSchema), ...checkStack({ resources: withPlannedInputs(args.resources), config })], report);
}

export const reachabilityIntentsPolicy: StackValidationPolicy = {
  name: POLICY_NAME,
  description: "Reachability intents hold over all flows (checked from the plan: NSGs, routes, peering, appliances, ingress).",
  enforcementLevel: "mandatory",
  configSchema: reachabilityConfigSchema,
  validateStack: validateReachability,
};
