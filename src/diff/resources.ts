/**
 * Which resources a change adds, removes or changes (by URN), so that a diff row's cause can say so. A resource
 * is changed when its properties differ (ids and Pulumi bookkeeping aside).
 */
import type { ResourceRecord } from "../resources/record";

export type ResourceChange = "added" | "removed" | "changed";

export interface ResourceChanges {
  readonly byUrn: ReadonlyMap<string, ResourceChange>;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

/** Properties Azure rewrites on every deployment: they say nothing about the network. */
const VOLATILE: ReadonlySet<string> = new Set(["etag", "provisioningState", "resourceGuid"]);

/** JSON with object keys sorted (volatile ones left out): the same properties give the same text whatever their order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => !VOLATILE.has(k))
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

export function resourceChanges(before: readonly ResourceRecord[], after: readonly ResourceRecord[]): ResourceChanges {
  const b = new Map(before.map((r) => [r.urn, r]));
  const a = new Map(after.map((r) => [r.urn, r]));
  const byUrn = new Map<string, ResourceChange>();
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const [urn, r] of a) {
    const old = b.get(urn);
    if (!old) {
      byUrn.set(urn, "added");
      added.push(urn);
    } else if (canonical(old.props) !== canonical(r.props)) {
      byUrn.set(urn, "changed");
      changed.push(urn);
    }
  }
  for (const urn of b.keys()) {
    if (!a.has(urn)) {
      byUrn.set(urn, "removed");
      removed.push(urn);
    }
  }
  return { byUrn, added, removed, changed };
}

/** From a preview's steps: the op says what changes (pulumi/pulumi pkg/display: same, create, update, replace, delete...). */
export function changesFromOps(ops: ReadonlyArray<{ readonly urn: string; readonly op: string }>): ResourceChanges {
  const byUrn = new Map<string, ResourceChange>();
  for (const { urn, op } of ops) {
    if (op === "create") byUrn.set(urn, "added");
    else if (op === "delete") byUrn.set(urn, "removed");
    else if (op === "update" || op === "replace" || op === "create-replacement") byUrn.set(urn, "changed");
  }
  const of = (c: ResourceChange): string[] => [...byUrn].filter(([, v]) => v === c).map(([k]) => k);
  return { byUrn, added: of("added"), removed: of("removed"), changed: of("changed") };
}

export const NO_CHANGES: ResourceChanges = { byUrn: new Map(), added: [], removed: [], changed: [] };
