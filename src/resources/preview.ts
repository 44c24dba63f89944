/**
 * Reader for `pulumi preview --json` files: `{steps: [{op, urn, oldState?, newState?}], ...}`.
 * The plan's end state is what counts: each step's newState, minus deleted resources.
 *
 * `pulumi preview --json` lists unchanged resources only with `--show-sames` (pulumi/pulumi
 * pkg/cmd/pulumi/operations/preview.go: the flag defaults to false; pkg/backend/display/json.go then skips `same`
 * steps). Such a file is not the whole plan: it is refused with the reason, unless the current state is given
 * (`--state FILE`, a stack export), which the steps are then applied to.
 */
import { quoteValue } from "../io/quote";
import { NO_HINTS, type InputHints } from "../model/input-hints";
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

/** The current state a preview's steps apply to (a stack export's records). */
export interface PreviewBase {
  readonly records: readonly ResourceRecord[];
  /** Names the state file in messages. */
  readonly origin: string;
}

export function readPreview(json: unknown, origin: string, base?: PreviewBase, hints: InputHints = NO_HINTS): ReadResult {
  if (!isRawObject(json)) return { ok: false, error: `${origin} is not a Pulumi preview file: expected an object` };
  const steps = json.steps ?? [];
  if (!Array.isArray(steps)) return { ok: false, error: `${origin} is not a Pulumi preview file: 'steps' is not a list` };
  const left = unchangedLeftOut(json.changeSummary, steps);
  if (left > 0 && base === undefined) {
    return {
      ok: false,
      error:
        `${origin} lists only what the update changes: its ${left} unchanged resource${left === 1 ? " is" : "s are"} left out, ` +
        `so it is not the whole plan. Write it with \`pulumi preview --json --show-sames\`${hints.currentStack === undefined ? "" : `, or ${hints.currentStack}`}`,
    };
  }

  const diagnostics: Diagnostic[] = [];
  const byUrn = new Map<string, Pending>();
  const baseById = new Map<string, ResourceRecord>();
  for (const r of base?.records ?? []) {
    byUrn.set(r.urn, { order: byUrn.size, record: r, deleted: false });
    baseById.set(r.urn, r);
  }
  const entry = (urn: string): Pending => {
    let p = byUrn.get(urn);
    if (p === undefined) {
      p = { order: byUrn.size, deleted: false };
      byUrn.set(urn, p);
    }
    return p;
  };

  const stepOf = new Map<string, { where: string; type: string }>();
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
    if (outcome.diagnostics) diagnostics.push(...outcome.diagnostics);
    // Steps of one URN are one resource (a replacement's steps share it); of two types they are two resources the
    // engine would refuse, and the later hides the earlier: say so (fuzz seed 777001 mutant 1866).
    const earlier = stepOf.get(outcome.record.urn);
    if (earlier !== undefined && earlier.type !== outcome.record.type) diagnostics.push(duplicateUrn(origin, where, outcome.record, earlier));
    stepOf.set(outcome.record.urn, { where, type: outcome.record.type });
    const p = entry(outcome.record.urn);
    p.record = withExistingId(outcome.record, op, step.oldState, baseById.get(outcome.record.urn));
    p.deleted = false;
  });

  const records = [...byUrn.values()]
    .sort((a, b) => a.order - b.order)
    .flatMap((p) => (p.record !== undefined && !p.deleted ? [p.record] : []));
  return { ok: true, records, diagnostics };
}

/**
 * How many unchanged resources the file leaves out: `changeSummary.same` counts them whether or not `same` steps
 * are printed.
 */
function unchangedLeftOut(summary: unknown, steps: readonly unknown[]): number {
  if (!isRawObject(summary)) return 0;
  const same = summary.same;
  if (typeof same !== "number" || !Number.isFinite(same) || same <= 0) return 0;
  const printed = steps.filter((s) => isRawObject(s) && s.op === "same").length;
  return Math.max(0, Math.floor(same) - printed);
}

/**
 * An existing resource keeps its id: a same or update step may print its newState without one; the id is then
 * the old state's, else the current stack's.
 */
function withExistingId(record: ResourceRecord, op: string, oldState: unknown, current: ResourceRecord | undefined): ResourceRecord {
  if (record.id !== undefined || CREATE_OPS.has(op)) return record;
  const old = isRawObject(oldState) && typeof oldState.id === "string" && oldState.id !== "" ? oldState.id : undefined;
  const id = old ?? current?.id;
  return id === undefined ? record : { ...record, id };
}

function stepUrn(step: Record<string, unknown>): string | undefined {
  if (typeof step.urn === "string") return step.urn;
  const old = step.oldState;
  return isRawObject(old) && typeof old.urn === "string" ? old.urn : undefined;
}

function duplicateUrn(origin: string, where: string, record: ResourceRecord, earlier: { where: string; type: string }): Diagnostic {
  return {
    code: "duplicate-urn",
    severity: "error",
    resource: record.urn,
    field: "urn",
    value: quoteValue(record.urn, 200),
    message: `${origin}: ${where} (${quoteValue(record.type, 120)}) has the URN of ${earlier.where} (${quoteValue(earlier.type, 120)}); the engine refuses two resources with one URN; only ${where} is read`,
  };
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
