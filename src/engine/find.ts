import type { Entity, Nic, Topology } from "../model/topology";
import { isUnknown, type Unknown } from "../model/unknown";
import { memoKind, pureMemo } from "./memo";
import { classicNote } from "./unmodelled";

export type Found<T> = { ok: true; value: T } | { ok: false; error: string };

/** True when `ref` names the entity by Pulumi logical name, URN, Azure name or ARM id (ids case-insensitively). */
export function refersTo(entity: Entity, ref: string): boolean {
  if (entity.urn === ref || entity.key === ref) return true;
  if (entity.logicalName !== "" && entity.logicalName === ref) return true;
  if (!isUnknown(entity.azureName) && entity.azureName === ref) return true;
  return !isUnknown(entity.id) && entity.id.toLowerCase() === ref.toLowerCase();
}

export function displayName(entity: Entity): string {
  if (entity.logicalName) return entity.logicalName;
  if (!isUnknown(entity.azureName)) return entity.azureName;
  return entity.key;
}

/** The ARM id answers name a resource by, or its URN while the id is unknown (a first preview). */
export function idOrUrn(e: { id: string | Unknown; urn: string }): string {
  return isUnknown(e.id) ? e.urn : e.id;
}

/** Finds one entity of a map by reference; ambiguous or missing references are errors naming the candidates. */
export function findEntity<T extends Entity>(map: ReadonlyMap<string, T>, ref: string, kind: string): Found<T> {
  const hits = [...map.values()].filter((e) => refersTo(e, ref));
  if (hits.length === 1) return { ok: true, value: hits[0] };
  if (hits.length > 1) return { ok: false, error: `${kind} "${ref}" is ambiguous: ${hits.map((h) => h.urn).join(", ")}` };
  const names = [...map.values()].map(displayName).sort();
  const list = names.length === 0 ? `the plan has no ${kind}` : `candidates: ${names.slice(0, 20).join(", ")}${names.length > 20 ? ", ..." : ""}`;
  return { ok: false, error: `no ${kind} "${ref}" in the plan (${list})` };
}

interface EntityIndex<T> {
  readonly all: readonly T[];
  /** URN, key, logical name or Azure name -> positions in `all`. */
  readonly exact: ReadonlyMap<string, readonly number[]>;
  /** Lower-cased ARM id -> positions. */
  readonly ids: ReadonlyMap<string, readonly number[]>;
}

function buildIndex<T extends Entity>(map: ReadonlyMap<string, T>): EntityIndex<T> {
  const all = [...map.values()];
  const exact = new Map<string, number[]>();
  const ids = new Map<string, number[]>();
  const add = (m: Map<string, number[]>, k: string, i: number): void => {
    const list = m.get(k);
    if (list === undefined) m.set(k, [i]);
    else if (list[list.length - 1] !== i) list.push(i);
  };
  all.forEach((e, i) => {
    for (const k of new Set([e.urn, e.key, e.logicalName, isUnknown(e.azureName) ? "" : e.azureName])) if (k !== "") add(exact, k, i);
    if (!isUnknown(e.id)) add(ids, e.id.toLowerCase(), i);
  });
  return { all, exact, ids };
}

/** The index of one entity map: a pure function of the map (the model's maps do not change once built). */
const ENTITY_INDEX = memoKind<{ map: ReadonlyMap<string, Entity> }, EntityIndex<Entity>>("entity-ref-index", ["map"]);

/** `findEntity` through an index of the map built once: the same answer, without a scan of the map per reference. */
export function findEntityIndexed<T extends Entity>(map: ReadonlyMap<string, T>, ref: string, kind: string): Found<T> {
  const index = pureMemo(ENTITY_INDEX({ map }), () => buildIndex<Entity>(map)) as EntityIndex<T>;
  const positions = [...new Set([...(index.exact.get(ref) ?? []), ...(index.ids.get(ref.toLowerCase()) ?? [])])].sort((a, b) => a - b);
  const hits = positions.map((i) => (index as EntityIndex<T>).all[i]);
  if (hits.length === 1) return { ok: true, value: hits[0] };
  if (hits.length > 1) return { ok: false, error: `${kind} "${ref}" is ambiguous: ${hits.map((h) => h.urn).join(", ")}` };
  // Not found: the message lists candidates, as findEntity does.
  return findEntity(map, ref, kind);
}

/** `findNic` with the NICs looked up through the map's index; anything else as findNic does it. */
export function findNicIndexed(topo: Topology, ref: string): Found<Nic> {
  const nic = findEntityIndexed(topo.nics, ref, "network interface");
  return nic.ok ? nic : findNic(topo, ref);
}

/** A NIC by reference, or a VM by reference (its primary NIC); a miss says when the plan uses the classic provider. */
export function findNic(topo: Topology, ref: string): Found<Nic> {
  const found = findNicOrVm(topo, ref);
  const note = found.ok ? undefined : classicNote(topo);
  return found.ok || note === undefined ? found : { ok: false, error: `${found.error}; ${note}` };
}

function findNicOrVm(topo: Topology, ref: string): Found<Nic> {
  const nic = findEntity(topo.nics, ref, "network interface");
  if (nic.ok) return nic;
  const vmHits = [...topo.vms.values()].filter((v) => refersTo(v, ref));
  if (vmHits.length === 1) {
    const vm = vmHits[0];
    const key = vm.primaryNicKey;
    if (isUnknown(key)) return { ok: false, error: `the primary NIC of VM "${ref}" is not known at preview (${key.path})` };
    const primary = key === undefined ? undefined : topo.nics.get(key);
    if (!primary) return { ok: false, error: `VM "${ref}" has no network interface in the plan` };
    return { ok: true, value: primary };
  }
  if (vmHits.length > 1) return { ok: false, error: `VM "${ref}" is ambiguous: ${vmHits.map((h) => h.urn).join(", ")}` };
  const names = [...topo.nics.values(), ...topo.vms.values()].map(displayName).sort();
  return { ok: false, error: `no network interface or VM "${ref}" in the plan (candidates: ${names.slice(0, 20).join(", ") || "none"})` };
}
