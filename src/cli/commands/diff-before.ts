/**
 * `diff <preview.json>`: the state before the update, from the preview itself. Each step of `pulumi preview --json`
 * carries the resource's current state as `oldState` (pulumi/pulumi pkg/backend/display/json.go, previewStep: `oldState`
 * and `newState`, both `apitype.ResourceV3`); a create has none. Unchanged resources appear only as `same` steps,
 * which the file holds only with `--show-sames`; without them the current state is incomplete, and `--state FILE`
 * must give it.
 */
import { readFileSync } from "fs";
import type { Diagnostic } from "../../model/diagnostic";
import { describeFsError } from "../../resources/detect";
import type { ResourceRecord } from "../../resources/record";
import { isRawObject, recordFromState } from "../../resources/state";

export type BeforeRead =
  | { readonly ok: true; readonly records: ResourceRecord[]; readonly diagnostics: Diagnostic[]; readonly ops: Array<{ urn: string; op: string }> }
  | { readonly ok: false; readonly error: string };

/** Ops whose oldState is not part of the current state (the new copy of a replacement has no old one). */
const NO_OLD: ReadonlySet<string> = new Set(["create", "create-replacement", "create-replaced"]);

export function readPreviewBefore(path: string, requireWhole: boolean): BeforeRead {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8").replace(/^\uFEFF/, ""));
  } catch (e) {
    const fs = isRawObject(e) && typeof e.code === "string";
    return { ok: false, error: fs ? `cannot read ${path}: ${describeFsError(e)}` : `${path} is not valid JSON` };
  }
  return previewBefore(json, path, requireWhole);
}

function previewBefore(json: unknown, origin: string, requireWhole: boolean): BeforeRead {
  if (!isRawObject(json) || !Array.isArray(json.steps)) return { ok: false, error: `${origin} is not a Pulumi preview file (\`pulumi preview --json\`): expected a 'steps' list; for two files give both: diff <before> <after>` };
  const steps = json.steps as unknown[];
  const ops: Array<{ urn: string; op: string }> = [];
  for (const s of steps) if (isRawObject(s) && typeof s.urn === "string" && typeof s.op === "string") ops.push({ urn: s.urn, op: s.op });
  const summary = json.changeSummary;
  const same = isRawObject(summary) && typeof summary.same === "number" ? summary.same : 0;
  const printed = ops.filter((o) => o.op === "same").length;
  if (requireWhole && same > printed) {
    return {
      ok: false,
      error: `${origin} leaves out its ${same - printed} unchanged resource(s), so the current state is not in it: write it with \`pulumi preview --json --show-sames\`, or give the current stack with --state FILE (from \`pulumi stack export\`)`,
    };
  }
  const records: ResourceRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  steps.forEach((step, i) => {
    if (!isRawObject(step)) return;
    const op = typeof step.op === "string" ? step.op : "";
    if (NO_OLD.has(op) || step.oldState === undefined || step.oldState === null) return;
    const outcome = recordFromState(step.oldState, origin, `steps[${i}].oldState`, { idUnknownWhenMissing: false });
    if (outcome.kind === "malformed") diagnostics.push(outcome.diagnostic);
    if (outcome.kind !== "record" || seen.has(outcome.record.urn)) return;
    seen.add(outcome.record.urn);
    records.push(outcome.record);
  });
  return { ok: true, records, diagnostics, ops };
}
