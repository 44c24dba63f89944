/**
 * State shared while one topology is built: records grouped by kind, an index of every entity that can be
 * referred to (by key, ARM id and parent), and the diagnostics found so far.
 */
import type { Diagnostic } from "../../model/diagnostic";
import type { Maybe } from "../../model/unknown";
import type { ResourceRecord } from "../../resources/record";
import { kindOfType, type ResourceKind } from "./kinds";

/** What a reference can resolve to. */
export interface EntityRef {
  readonly kind: ResourceKind;
  readonly key: string;
  readonly urn: string;
  /** Short name for messages: the logical name, or `<parent>/<child>` for inline children. */
  readonly label: string;
  readonly azureName: Maybe<string>;
  readonly id: Maybe<string>;
  /** Lower-cased resource group, when known (narrows matches by name). */
  readonly resourceGroup?: string;
  /** The parent entity of a child (a subnet's VNet, ...). */
  readonly parentKey?: Maybe<string>;
}

export interface BuildContext {
  readonly recordsByKind: ReadonlyMap<ResourceKind, readonly ResourceRecord[]>;
  /** The kinds a reader asked for (recordsOf): a kind of the table that no reader reads is said (index.ts). */
  readonly kindsRead: Set<ResourceKind>;
  readonly recordsByUrn: ReadonlyMap<string, ResourceRecord>;
  readonly refs: Map<string, EntityRef>;
  readonly byId: Map<string, EntityRef[]>;
  readonly children: Map<string, EntityRef[]>;
  /** `<kind>\0<lower-cased Azure name>` -> entities: name lookups stay cheap on large estates. */
  readonly byName: Map<string, EntityRef[]>;
  readonly diagnostics: Diagnostic[];
  /** Parses of rule texts: namespace -> text -> result (see memoized). */
  readonly memo: Map<string, Map<string, unknown>>;
}

export function createContext(records: readonly ResourceRecord[]): BuildContext {
  const byKind = new Map<ResourceKind, ResourceRecord[]>();
  const byUrn = new Map<string, ResourceRecord>();
  // Sorted by URN so that the model does not depend on the order resources were read in.
  const sorted = [...records].sort((a, b) => compareStrings(a.urn, b.urn));
  for (const r of sorted) {
    byUrn.set(r.urn, r);
    const kind = kindOfType(r.type);
    if (kind === undefined) continue;
    const list = byKind.get(kind) ?? [];
    list.push(r);
    byKind.set(kind, list);
  }
  return {
    recordsByKind: byKind,
    kindsRead: new Set(),
    recordsByUrn: byUrn,
    refs: new Map(),
    byId: new Map(),
    children: new Map(),
    byName: new Map(),
    diagnostics: [],
    memo: new Map(),
  };
}

/**
 * `parse(text)` once per build for each distinct text and namespace: estates write the same ports, prefixes and
 * protocols thousands of times. Only for pure parses whose results are immutable (the sets are frozen).
 */
export function memoized<T>(ctx: BuildContext, namespace: string, text: string, parse: (text: string) => T): T {
  let byText = ctx.memo.get(namespace);
  if (byText === undefined) {
    byText = new Map();
    ctx.memo.set(namespace, byText);
  }
  // One lookup on a hit; `has` only for a stored undefined (parses may return it).
  const hit = byText.get(text);
  if (hit !== undefined || byText.has(text)) return hit as T;
  const parsed = parse(text);
  byText.set(text, parsed);
  return parsed;
}

/** The records of one kind, in URN order, for a reader (the kind counts as read). */
export function recordsOf(ctx: BuildContext, kind: ResourceKind): readonly ResourceRecord[] {
  ctx.kindsRead.add(kind);
  return declaredRecords(ctx, kind);
}

/** The records of one kind, for registration only: making them referable is not reading them. */
export function declaredRecords(ctx: BuildContext, kind: ResourceKind): readonly ResourceRecord[] {
  return ctx.recordsByKind.get(kind) ?? [];
}

export function register(ctx: BuildContext, ref: EntityRef): void {
  ctx.refs.set(ref.key, ref);
  if (typeof ref.id === "string") push(ctx.byId, normalizeArmId(ref.id), ref);
  if (typeof ref.parentKey === "string") push(ctx.children, ref.parentKey, ref);
  if (typeof ref.azureName === "string") push(ctx.byName, nameKey(ref.kind, ref.azureName), ref);
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

function nameKey(kind: ResourceKind, name: string): string {
  return `${kind}\0${name.toLowerCase()}`;
}

/** Entities of a kind whose Azure name is known and equal (case-insensitively) to `name`. */
export function refsNamed(ctx: BuildContext, kind: ResourceKind, name: string): EntityRef[] {
  return ctx.byName.get(nameKey(kind, name)) ?? [];
}

export function childrenOf(ctx: BuildContext, parentKey: string, kind: ResourceKind): EntityRef[] {
  return (ctx.children.get(parentKey) ?? []).filter((r) => r.kind === kind);
}

export function report(ctx: BuildContext, d: Diagnostic): void {
  ctx.diagnostics.push(d);
}

/** ARM ids compare case-insensitively and without a trailing '/'. */
export function normalizeArmId(id: string): string {
  return trimTrailingSlashes(id.trim()).toLowerCase();
}

/**
 * `s` without its trailing '/'s. A loop, not `/\/+$/`: that expression retries from every '/' of a long run of
 * slashes not at the end, quadratic in the run (a 100k-character id took 34 s; issue 13).
 */
export function trimTrailingSlashes(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0x2f) end--;
  return end === s.length ? s : s.slice(0, end);
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A Map in key order: the model's maps iterate deterministically. */
export function sortedMap<V>(entries: Iterable<readonly [string, V]>): Map<string, V> {
  return new Map([...entries].sort((a, b) => compareStrings(a[0], b[0])));
}
