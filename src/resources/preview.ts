/**
 * Reader for `pulumi preview --json` files: `{steps: [{op, urn, oldState?, newState?}], ...}`.
 * The plan's end state is what counts: each step's newState, minus deleted resources.
 */
import type { Diagnostic } from "../model/diagnostic";
import type { ResourceRecord } from "./record";
import { isRawObject, recordFromState, type ReadResult } from "./state";

/** Ops whose resource is gone after the update. */
const DELETE_OPS: ReadonlySet<string> = new Set(["delete", "discard"]);
/** Ops that remove the *old* copy of a replaced resource: the replacement (same URN) stays. */
const DELETE_REPLACED_OPS: ReadonlySet<string> = new Set(["delete-replaced", "discard-replaced", "remove-pending-replace"]);
/** Ops whose newState has no id yet: the provider assigns it at create time. */
const CREATE_OPS: ReadonlySet<string> = new Set(["create", "create-replacement", "create-replaced", "replace"]);

/**
 * Ops whose newState outputs are the provider's preview outputs (Create or Update called with preview set), read
 * with the planned inputs. A `same` (or read, import, refresh) carries outputs from state: real values.
 */
const PLANNED_OPS: ReadonlySet<string> = new Set([...CREATE_OPS, "update"]);

interface Pending {
  readonly order: number;
  record?: ResourceRecord;
  deleted: boolean;
}

export function readPreview(json: unknown, origin: string): ReadResult {
  if (!isRawObject(json)) return { ok: false, error: `${origin} is not a Pulumi preview file: expected an object` };
  const steps = json.steps ?? [];
  if (!Array.isArray(steps)) return { ok: false, error: `${origin} is not a Pulumi preview file: 'steps' is not a list` };

  const diagnostics: Diagnostic[] = [];
  const byUrn = new Map<string, Pending>();
  const entry = (urn: string): Pending => {
    let p = byUrn.get(urn);
    if (p === undefined) {
      p = { order: byUrn.size, deleted: false };
      byUrn.set(urn, p);
    }
    return p;
  };

  steps.forEach((step: unknown, i) => {
    const where = `steps[${i}]`;
    if (!isRawObject(step)) {
      diagnostics.push(malformedStep(origin, where, "is not an object"));
      return;
    }
    const op = typeof step.op === "string" ? step.op : "";
    const urn = stepUrn(step);
    if (DELETE_OPS.has(op) || DELETE_REPLACED_OPS.has(op)) {
      if (urn === undefined || urn === "") {
        diagnostics.push(malformedStep(origin, where, "has no urn"));
        return;
      }
      const p = entry(urn);
      if (DELETE_OPS.has(op)) {
        p.deleted = true;
        p.record = undefined;
      }
      return;
    }
    const state = step.newState ?? step.oldState;
    const outcome = recordFromState(state, origin, `${where}.newState`, { idUnknownWhenMissing: CREATE_OPS.has(op), planned: PLANNED_OPS.has(op) });
    if (outcome.kind === "malformed") diagnostics.push(outcome.diagnostic);
    if (outcome.kind !== "record") return;
    const p = entry(outcome.record.urn);
    p.record = outcome.record;
    p.deleted = false;
  });

  const records = [...byUrn.values()]
    .sort((a, b) => a.order - b.order)
    .flatMap((p) => (p.record !== undefined && !p.deleted ? [p.record] : []));
  return { ok: true, records, diagnostics };
}

function stepUrn(step: Record<string, unknown>): string | undefined {
  if (typeof step.urn === "string") return step.urn;
  const old = step.oldState;
  return isRawObject(old) && typeof old.urn === "string" ? old.urn : undefined;
}

function malformedStep(origin: string, where: string, problem: string): Diagnostic {
  return {
    code: "malformed-resource",
    severity: "warning",
    resource: `${origin}#${where}`,
    field: where,
    message: `${origin}: ${where} ${problem}; it is skipped`,
  };
}
