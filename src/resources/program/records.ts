import { unknown } from "../../model/unknown";
import type { ResourceRecord } from "../record";
import { reconcilePreviewProps } from "../reconcile";
import type { Capture, Registration } from "./monitor";
import type { RecordView, RunMode } from "./types";
import { fromWireObject } from "./values";

/** Property dependencies without the empty lists, as the engine hands them to policies. */
export function nonEmptyDependencies(deps: Readonly<Record<string, readonly string[]>>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of Object.keys(deps).sort()) {
    const urns = deps[key] ?? [];
    if (urns.length > 0) out[key] = [...urns];
  }
  return out;
}

/** Where `item` goes in the sorted `list` (after equal ones). */
function insertionPoint(list: readonly string[], item: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]! <= item) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Registrations in an order that does not depend on promise timing: parents and dependencies first (as in a real
 * stack export), ties broken by URN. A cycle cannot happen in a Pulumi program; if it did, the rest follow by URN.
 */
export function stableOrder<T extends { urn: string; parent?: string | undefined; dependencies: readonly string[] }>(items: readonly T[]): T[] {
  const byUrn = new Map(items.map((r) => [r.urn, r]));
  const waitingOn = new Map<string, Set<string>>();
  const dependents = new Map<string, string[]>();
  for (const r of items) {
    const before = new Set([...(r.parent ? [r.parent] : []), ...r.dependencies].filter((u) => byUrn.has(u) && u !== r.urn));
    waitingOn.set(r.urn, before);
    for (const u of before) dependents.set(u, [...(dependents.get(u) ?? []), r.urn]);
  }
  const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const ready = [...waitingOn].filter(([, w]) => w.size === 0).map(([u]) => u).sort(byName);
  const out: T[] = [];
  while (out.length < items.length) {
    // Breaking a (theoretical) cycle: take the smallest URN still waiting.
    const next = ready.shift() ?? [...waitingOn.keys()].sort(byName)[0]!;
    waitingOn.delete(next);
    out.push(byUrn.get(next)!);
    for (const d of dependents.get(next) ?? []) {
      const w = waitingOn.get(d);
      // Kept sorted by inserting in place (re-sorting on every push was 2% of a 5,000-resource run).
      if (w && w.delete(next) && w.size === 0) ready.splice(insertionPoint(ready, d), 0, d);
    }
  }
  return out;
}

function toRecord(r: Registration, capture: Capture, mode: RunMode, view: RecordView, origin: string): ResourceRecord {
  // Components' properties are what they registered as outputs (the stack's: the program's exports).
  const props = r.custom ? r.state : capture.outputs.get(r.urn) ?? r.state;
  const id = !r.custom ? undefined : mode === "first" || r.id === undefined ? unknown(".id", r.urn) : r.id;
  const inputs = fromWireObject(r.inputs, r.urn);
  const outputs = fromWireObject(props, r.urn);
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    id,
    // A planned custom resource is read as the preview-file reader reads a step's newState: the provider's outputs
    // with the inputs (reconcile.ts). A component's props are what it registered: an unknown there is a real one.
    props: r.custom && mode !== "deployed" && view === "analysis" ? reconcilePreviewProps(outputs, inputs) : outputs,
    inputs,
    ...(r.parent ? { parent: r.parent } : {}),
    dependencies: [...r.dependencies],
    propertyDependencies: nonEmptyDependencies(r.propertyDependencies),
    custom: r.custom,
    origin,
  };
}

/** Every registration as a ResourceRecord, in a stable order. */
export function toRecords(capture: Capture, mode: RunMode, origin: string, view: RecordView = "analysis"): ResourceRecord[] {
  return stableOrder(capture.registrations).map((r) => toRecord(r, capture, mode, view, origin));
}
