/**
 * Reader for `pulumi stack export` files: `{version: 3, deployment: {resources: [...]}}`.
 */
import type { Diagnostic } from "../model/diagnostic";
import type { ResourceRecord } from "./record";
import { isRawObject, recordFromState, type ReadResult } from "./state";

export function readStackExport(json: unknown, origin: string): ReadResult {
  if (!isRawObject(json) || !isRawObject(json.deployment)) {
    return { ok: false, error: `${origin} is not a Pulumi stack export: expected a 'deployment' object` };
  }
  return readDeployment(json.deployment, origin);
}

/** The `deployment` object alone (`{manifest, resources}`), as some tools write it. */
export function readDeployment(deployment: unknown, origin: string): ReadResult {
  if (!isRawObject(deployment)) {
    return { ok: false, error: `${origin} is not a Pulumi deployment: expected an object` };
  }
  const resources = deployment.resources ?? [];
  if (!Array.isArray(resources)) {
    return { ok: false, error: `${origin} is not a Pulumi stack export: 'deployment.resources' is not a list` };
  }
  const records: ResourceRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, number>();
  resources.forEach((state: unknown, i) => {
    // Resources pending deletion (left by an interrupted replace) are on their way out.
    if (isRawObject(state) && state.delete === true) return;
    const outcome = recordFromState(state, origin, `resources[${i}]`, { idUnknownWhenMissing: false });
    if (outcome.kind === "malformed") diagnostics.push(outcome.diagnostic);
    if (outcome.kind !== "record") return;
    const previous = seen.get(outcome.record.urn);
    if (previous === undefined) {
      seen.set(outcome.record.urn, records.length);
      records.push(outcome.record);
      return;
    }
    // Two live states for one URN should not happen; the later one is the newer.
    records[previous] = outcome.record;
    diagnostics.push({
      code: "duplicate-resource",
      severity: "warning",
      resource: outcome.record.urn,
      field: `resources[${i}]`,
      message: `${origin}: ${outcome.record.urn} appears more than once; the last state is used`,
    });
  });
  return { ok: true, records, diagnostics };
}
