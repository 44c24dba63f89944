/**
 * Several providers' topologies -> one (issue 14 point 7). Structural, so that a field added to the model merges
 * without a line here: maps are united in key order (the model's maps iterate in key order), lists are
 * concatenated in provider order, and a sub-model (the firewall's, AVNM's maps) is merged field by field. An entity
 * two providers both build (the same key) is kept from the first and said, never merged silently. Diagnostics two
 * adapters both raised (the same malformed type token) are said once.
 */
import type { Diagnostic } from "../model/diagnostic";
import type { Topology } from "../model/topology";

type Fields = Readonly<Record<string, unknown>>;

function isFields(v: unknown): v is Fields {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Map);
}

function isMap(v: unknown): v is ReadonlyMap<string, unknown> {
  return v instanceof Map;
}

function isList(v: unknown): v is readonly unknown[] {
  return Array.isArray(v);
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function mergeMaps(path: string, maps: readonly ReadonlyMap<string, unknown>[], conflicts: Diagnostic[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const m of maps) {
    for (const [key, value] of m) {
      if (!out.has(key)) out.set(key, value);
      else conflicts.push({ code: "conflicting-providers", severity: "error", resource: key, field: path, message: `${key}: two providers build ${path} entry ${key}; the first provider's is kept` });
    }
  }
  return new Map([...out].sort((a, b) => compareKeys(a[0], b[0])));
}

/** One field's values from every provider that set it (at least one) -> the merged value. */
function mergeValues(path: string, values: readonly unknown[], conflicts: Diagnostic[]): unknown {
  if (values.length === 1) return values[0];
  const maps = values.filter(isMap);
  if (maps.length === values.length) return mergeMaps(path, maps, conflicts);
  const lists = values.filter(isList);
  if (lists.length === values.length) return lists.flat();
  const records = values.filter(isFields);
  if (records.length === values.length) return mergeFields(path, records, conflicts);
  throw new Error(`mergeTopologies: ${path} is not a map, a list or a record of them in every topology`);
}

function mergeFields(prefix: string, records: readonly Fields[], conflicts: Diagnostic[]): Fields {
  const keys = [...new Set(records.flatMap((r) => Object.keys(r)))];
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const path = prefix === "" ? key : `${prefix}.${key}`;
    const values = records.map((r) => r[key]).filter((v) => v !== undefined);
    if (values.length > 0) out[key] = mergeValues(path, values, conflicts);
  }
  return out;
}

/** Diagnostics in provider order, each distinct one once. */
function distinctDiagnostics(lists: readonly (readonly Diagnostic[])[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of lists.flat()) {
    const key = JSON.stringify(d);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}

/** The topologies of several providers as one; a single topology is returned as it is. */
export function mergeTopologies(topologies: readonly Topology[]): Topology {
  if (topologies.length === 0) throw new Error("mergeTopologies: no topology to merge");
  if (topologies.length === 1) return topologies[0];
  const conflicts: Diagnostic[] = [];
  const rest = topologies.map(({ diagnostics: _diagnostics, ...fields }) => fields as Fields);
  const merged = mergeFields("", rest, conflicts);
  const diagnostics = distinctDiagnostics([...topologies.map((t) => t.diagnostics), conflicts]);
  // Structural: every Topology field is a map, a list or a record of them, merged as such above.
  return { ...merged, diagnostics } as unknown as Topology;
}
