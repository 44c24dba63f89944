/**
 * Stacks together (`--with-stack FILE`, policy config `stacks: [FILE...]`): another stack's `pulumi stack export`
 * or `pulumi preview --json` file is read and its resources are merged into this plan's, so that a spoke's paths
 * through a hub that lives in another stack (its appliance, route tables, peerings) can be decided.
 *
 * - Resources keep their stack: each merged record's logical name becomes `<project>/<name>` (labelOf: what names, blame and
 *   messages print); URNs already carry the stack (`urn:pulumi:<stack>::<project>::...`), so nothing collides.
 * - References across stacks resolve as within one: a spoke holds the hub's ARM ids (read through a
 *   StackReference), and the adapter resolves a known id against every record of the merged plan.
 * - The stack's outputs (the root `pulumi:pulumi:Stack` resource's outputs, the program's exports) are kept, so
 *   that a program run under mocks can be given them as its StackReference outputs (program/stack-references.ts).
 */
import { escapeText } from "../io/quote";
import { readPlanJson } from "./plan-file";
import type { Diagnostic } from "../model/diagnostic";
import { readResourceJson } from "./detect";
import type { ResourceRecord } from "./record";
import { isRawObject } from "./state";

/** Another stack, read from its file. */
export interface OtherStack {
  /** The file as the user named it. */
  readonly file: string;
  /** Stack and project from its resources' URNs (`urn:pulumi:<stack>::<project>::...`). */
  readonly stack: string;
  readonly project: string;
  readonly records: readonly ResourceRecord[];
  /** The root stack resource's outputs as written in the file (raw JSON; secrets and unknowns as written). */
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly diagnostics: readonly Diagnostic[];
}

export type OtherStackRead = { readonly ok: true; readonly stack: OtherStack } | { readonly ok: false; readonly error: string };

/** `urn:pulumi:<stack>::<project>::<type>::<name>` -> stack and project. */
export function stackOfUrn(urn: string): { stack: string; project: string } | undefined {
  const m = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn);
  return m ? { stack: m[1], project: m[2] } : undefined;
}

const STACK_TYPE = "pulumi:pulumi:Stack";

/** The root stack resource's state in a stack export (`deployment.resources`) or a preview (`steps[].newState`). */
function rootStackOutputs(json: unknown): { urn?: string; outputs: Record<string, unknown> } {
  if (!isRawObject(json)) return { outputs: {} };
  const states: unknown[] = [];
  const deployment = isRawObject(json.deployment) ? json.deployment : json;
  if (Array.isArray(deployment.resources)) states.push(...deployment.resources);
  if (Array.isArray(json.steps)) for (const s of json.steps) if (isRawObject(s)) states.push(s.newState ?? s.oldState);
  for (const s of states) {
    if (isRawObject(s) && s.type === STACK_TYPE && typeof s.urn === "string") {
      return { urn: s.urn, outputs: isRawObject(s.outputs) ? s.outputs : {} };
    }
  }
  return { outputs: {} };
}

/** Reads another stack's file: one-line errors naming the file, never a throw. */
/** `what` names the input in errors (the CLI's flag, the pack's config key). */
export function readOtherStack(file: string, what: string): OtherStackRead {
  // Whole, or streamed with the bodies of unread types dropped (the stack's own outputs are kept): plan-file.ts.
  const read = readPlanJson(file);
  const shown = escapeText(file, 240);
  if (!read.ok) return { ok: false, error: "error" in read ? `${what}: ${read.error}` : `${what}: ${shown} is not valid JSON: ${read.jsonReason}` };
  const json = read.json;
  const records = readResourceJson(json, shown);
  if (!records.ok) return { ok: false, error: `${what}: ${records.error}` };
  const root = rootStackOutputs(json);
  const named = stackOfUrn(root.urn ?? records.records[0]?.urn ?? "");
  if (named === undefined) return { ok: false, error: `${what}: ${shown} holds no resource with a Pulumi URN, so its stack is unknown` };
  return { ok: true, stack: { file, ...named, records: records.records, outputs: root.outputs, diagnostics: records.diagnostics } };
}

/**
 * What another stack's names are prefixed with. Stacks of a split estate are usually projects of their own on the
 * same stack name (`platform-hub/prod`, `app/prod`): the project says which, unless it is this plan's project too,
 * then the stack name does.
 */
export function labelOf(other: { stack: string; project: string }, own: { stack: string; project: string } | undefined): string {
  if (own === undefined || own.project !== other.project) return other.project;
  return other.stack;
}

export interface MergedStacks {
  readonly records: ResourceRecord[];
  readonly diagnostics: Diagnostic[];
}

/**
 * This plan's records with the other stacks' appended, each other stack's names prefixed with its label. A file
 * that is this very stack, or a stack given twice, is left out and said so; so is a URN already in the plan.
 */
export function mergeStacks(primary: readonly ResourceRecord[], others: readonly OtherStack[]): MergedStacks {
  const records = [...primary];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set(primary.map((r) => r.urn));
  const own = primary.map((r) => stackOfUrn(r.urn)).find((s) => s !== undefined);
  const taken = new Set<string>();
  for (const other of others) {
    const key = `${other.project}::${other.stack}`;
    if (own !== undefined && own.project === other.project && own.stack === other.stack) {
      diagnostics.push({ code: "with-stack-same", severity: "warning", resource: other.file, message: `${escapeText(other.file, 240)} is this plan's own stack (${other.project}/${other.stack}); it is not merged again` });
      continue;
    }
    if (taken.has(key)) {
      diagnostics.push({ code: "with-stack-twice", severity: "warning", resource: other.file, message: `${escapeText(other.file, 240)}: the stack ${other.project}/${other.stack} is already merged; this file is left out` });
      continue;
    }
    taken.add(key);
    const label = labelOf(other, own);
    diagnostics.push(...other.diagnostics);
    for (const r of other.records) {
      if (seen.has(r.urn)) {
        diagnostics.push({ code: "with-stack-duplicate", severity: "warning", resource: r.urn, message: `${escapeText(other.file, 240)}: ${r.urn} is already in the plan; the plan's own state is used` });
        continue;
      }
      seen.add(r.urn);
      records.push({ ...r, name: `${label}/${r.name}` });
    }
  }
  return { records, diagnostics };
}
