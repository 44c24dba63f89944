/** AR-014 model-diagnostic: what the adapter could not resolve or decide in the plan (unresolved references, ...). */
import { diagnosticFindings, MODEL_DIAGNOSTIC } from "./diagnostic-findings";
import type { Check, CheckContext, Finding } from "./types";

export const modelDiagnostic: Check = {
  ...MODEL_DIAGNOSTIC,
  title: "Plan value the model could not resolve",
  severity: "low",
  explanation:
    "References that cannot be resolved at preview (ids of resources not yet created with no single dependency to " +
    "name them, values from other stacks) make the answers that depend on them indeterminate. The finding names the " +
    "resource and field.",
  fix: "Usually none: the value becomes known after the first deployment. Otherwise reference the resource directly (resource.id) so the dependency names it.",
  run(ctx: CheckContext): Finding[] {
    return diagnosticFindings(ctx.env.topo).filter((f) => f.check === MODEL_DIAGNOSTIC.name);
  },
};
