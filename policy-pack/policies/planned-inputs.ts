/**
 * Resource policy `planned-inputs`: it reports nothing; it keeps each resource's planned inputs for the stack
 * policies of the same analysis.
 *
 * Why: stack policies receive only the resources' outputs (AnalyzeStack), and at preview azure-native's outputs
 * are its *preview outputs*: every response property the user did not set is unknown (pulumi-azure-native
 * provider/pkg/convert/previewOutputs.go). Read alone they leave every verdict undecided. Before AnalyzeStack the
 * engine calls Analyze once per resource with its checked inputs (pulumi/pulumi pkg/resource/deploy/
 * step_generator.go, the analyzers' pass over every registered resource); @pulumi/policy hands them to resource
 * policies as `args.props`. This policy keeps them by URN, raw (sentinels in place, read through the proxy's
 * target so that no unknown value is ever read through the proxy), and the stack policies reconcile outputs with
 * them (src/resources/reconcile.ts).
 *
 * It must stay enabled for that to work: it is advisory and never reports, so enabling it costs nothing.
 */
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import type { PolicyResourceLike } from "../../src/resources/policy-args";
import { rawProps } from "../../src/resources/policy-args";

export const PLANNED_INPUTS_POLICY = "planned-inputs";

/** URN -> raw planned inputs of the latest Analyze call for it. One analyzer process serves one deployment. */
const plannedInputs = new Map<string, unknown>();

export function keepPlannedInputs(urn: string, props: unknown): void {
  if (typeof urn === "string" && urn !== "") plannedInputs.set(urn, rawProps(props));
}

/** The resources with the planned inputs kept for them, if any (a stack export analysed offline has them too). */
export function withPlannedInputs(resources: readonly PolicyResourceLike[]): PolicyResourceLike[] {
  return resources.map((r) => {
    const inputs = plannedInputs.get(r.urn);
    return inputs === undefined ? r : { ...r, plannedInputs: inputs };
  });
}

/** Forgets every kept input (tests). */
export function resetPlannedInputs(): void {
  plannedInputs.clear();
}

export const plannedInputsPolicy: ResourceValidationPolicy = {
  name: PLANNED_INPUTS_POLICY,
  description:
    "Keeps each resource's planned inputs for the reachability policies (at preview, azure-native's outputs leave every unset property unknown). Reports nothing.",
  enforcementLevel: "advisory",
  validateResource: (args: ResourceValidationArgs): void => keepPlannedInputs(args.urn, args.props),
};
