/**
 * A seeded mutator over any JSON plan file (stack export, preview, whatever shape comes next): it walks the
 * document generically, picks a path and applies one mutation. Nothing here knows today's shapes: a resource is
 * any object with a string `urn`, its fields are the paths below its property bags.
 */

/** The benchmark's seeded generator (mulberry32): the same sequence for the same seed on every machine. */
export { rng } from "../../bench/estate";
import { rng } from "../../bench/estate";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Segment = string | number;

export const MUTATIONS = ["delete", "duplicate", "retype", "null", "huge", "unicode", "dangling", "cycle"] as const;
export type MutationKind = (typeof MUTATIONS)[number];

export interface Mutant {
  readonly kind: MutationKind;
  /** Path of the mutated value in the document. */
  readonly path: readonly Segment[];
  /** The resource (nearest object with a string `urn`) holding the path, when there is one. */
  readonly urn?: string;
  /** Path below the resource's property bag, e.g. `ipConfigurations[0].subnet.id` (undefined: the envelope). */
  readonly field?: string;
  /** Names the resource goes by in the unmutated plan (its `name`, `*Name` path parameters): messages use them. */
  readonly names?: readonly string[];
  /** The whole resource was the target (deleted, duplicated, replaced). */
  readonly wholeResource?: boolean;
  /** For a whole resource: the URNs it names (its dependencies, parent, references), in the unmutated plan. */
  readonly refersTo?: readonly string[];
  /** Where the resource sits in the document, e.g. `resources[19]` or `steps[4]`. */
  readonly slot?: string;
  /** The resource envelope itself was changed (urn, type, parent, dependencies, or the whole resource). */
  readonly envelope: boolean;
  readonly doc: Json;
  readonly description: string;
  /**
   * A plan that must answer as the mutant does, when the mutation is an edit with a known meaning: a list made of
   * 2,000 copies of its first element means the list of that element alone (copies add nothing to a rule side, a
   * prefix list or a pool). The mutant's verdicts are judged against this plan's, so the mutation may change them
   * only as the edit itself does.
   */
  readonly equivalent?: Json;
}

function isObject(v: Json | undefined): v is { [k: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Every path in the document (depth-first), with the value there. Capped: plans are small here. */
export function paths(doc: Json, limit = 200_000): Array<readonly Segment[]> {
  const out: Array<readonly Segment[]> = [];
  const walk = (v: Json, p: Segment[]): void => {
    if (out.length >= limit) return;
    out.push(p);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...p, i]));
    else if (isObject(v)) for (const k of Object.keys(v)) walk(v[k], [...p, k]);
  };
  walk(doc, []);
  return out;
}

export function getAt(doc: Json, path: readonly Segment[]): Json | undefined {
  let v: Json | undefined = doc;
  for (const s of path) {
    if (Array.isArray(v) && typeof s === "number") v = v[s];
    else if (isObject(v) && typeof s === "string") v = Object.prototype.hasOwnProperty.call(v, s) ? v[s] : undefined;
    else return undefined;
  }
  return v;
}

function clone<T extends Json>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** Property bags of a resource: the field path starts below them. */
const BAGS = new Set(["outputs", "inputs", "state", "props", "properties"]);

/** The resource holding `path` and the field below its property bag. */
export function locate(doc: Json, path: readonly Segment[]): { urn?: string; field?: string; names?: string[]; envelope: boolean; wholeResource?: boolean; slot?: string } {
  let urn: string | undefined;
  let at = -1;
  let resource: { [k: string]: Json } | undefined;
  for (let i = path.length; i >= 0; i--) {
    const v = getAt(doc, path.slice(0, i));
    if (isObject(v) && typeof v.urn === "string") {
      urn = v.urn;
      at = i;
      resource = v;
      break;
    }
  }
  if (urn === undefined || resource === undefined) return { envelope: true };
  const names = namesOf(resource);
  const rest = path.slice(at);
  // Where the resource sits in the document (`resources[19]`): readers name a resource by it when its urn is gone.
  const slotAt = path.slice(0, at).map((x, i) => (typeof x === "number" ? i : -1)).filter((i) => i > 0).pop();
  const slot = slotAt === undefined ? undefined : `${String(path[slotAt - 1])}[${String(path[slotAt])}]`;
  // `newState.outputs.x` in a preview step: the step and its state both carry the urn; the state is nearer.
  if (rest.length >= 2 && typeof rest[0] === "string" && BAGS.has(rest[0])) {
    return { urn, field: fieldText(rest.slice(1)), names, envelope: false, ...(slot !== undefined ? { slot } : {}) };
  }
  const whole = rest.length === 0;
  const refersTo = whole ? [...new Set(refsIn(resource).filter((s) => s.startsWith("urn:pulumi:") && s !== urn))].sort() : undefined;
  return { urn, names, envelope: true, wholeResource: whole, ...(refersTo !== undefined ? { refersTo } : {}), ...(slot !== undefined ? { slot } : {}) };
}

/** `name` and `*Name` strings directly in the resource's property bags. */
function namesOf(resource: { [k: string]: Json }): string[] {
  const out = new Set<string>();
  for (const bag of Object.keys(resource)) {
    const b = resource[bag];
    if (!BAGS.has(bag) || !isObject(b)) continue;
    for (const [k, v] of Object.entries(b)) if ((k === "name" || k.endsWith("Name")) && typeof v === "string" && k !== "resourceGroupName" && k !== "location") out.add(v);
  }
  return [...out];
}

export function fieldText(path: readonly Segment[]): string {
  return path.map((s, i) => (typeof s === "number" ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

const UNICODE = ["\u202e", "\u0000", "\u001b[31m", "\ud800", "\u{1f525}", "é", "\u200b", "ﬁ", "İ"];

/** A huge value, and for a list of copies of its first element the list of that element alone (Mutant.equivalent). */
function hugeValue(r: () => number, old: Json | undefined): { value: Json; same?: Json } {
  const pick = Math.floor(r() * 6);
  if (pick === 4 && Array.isArray(old) && old.length > 0) return { value: Array.from({ length: 2000 }, () => clone(old[0])), same: [clone(old[0])] };
  return { value: hugeScalar(pick, old) };
}

function hugeScalar(pick: number, old: Json | undefined): Json {
  switch (pick) {
    case 0:
      return "/".repeat(100_000) + "x";
    case 1:
      return "1".repeat(50_000);
    case 2:
      return Number.MAX_VALUE;
    case 3:
      return -1e21;
    case 4:
      return Array.from({ length: 2000 }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.0/24`);
    default:
      return `${typeof old === "string" ? old : "x"}${"a".repeat(100_000)}`;
  }
}

function retyped(r: () => number, old: Json | undefined): Json {
  const options: Json[] = [42, -1, 0.5, true, false, "", "not-a-value", {}, [], { id: 7 }, [old ?? null], { nested: old ?? null }];
  const filtered = options.filter((o) => typeof o !== typeof old || Array.isArray(o) !== Array.isArray(old));
  return clone(filtered[Math.floor(r() * filtered.length)]);
}

/** Some ARM id or URN found in the document, for dangling references and cycles. */
function refsIn(doc: Json): string[] {
  const out: string[] = [];
  const walk = (v: Json): void => {
    if (typeof v === "string" && (v.startsWith("/subscriptions/") || v.startsWith("urn:pulumi:"))) out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (isObject(v)) Object.values(v).forEach(walk);
  };
  walk(doc);
  return out;
}

/** Sets `path` to `value` (or deletes it when value is undefined); returns false when the path cannot take it. */
function setAt(doc: Json, path: readonly Segment[], value: Json | undefined, insert = false): boolean {
  if (path.length === 0) return false;
  const parent = getAt(doc, path.slice(0, -1));
  const last = path[path.length - 1];
  if (Array.isArray(parent) && typeof last === "number") {
    if (value === undefined) parent.splice(last, 1);
    else if (insert) parent.splice(last, 0, value);
    else parent[last] = value;
    return true;
  }
  if (isObject(parent) && typeof last === "string") {
    if (value === undefined) delete parent[last];
    else parent[last] = value;
    return true;
  }
  return false;
}

/**
 * One mutant of `base`, chosen by `seed`. Paths inside resources are favoured (that is where bad input hides);
 * the document's own keys and the envelope are mutated too, less often.
 */
export function mutate(base: Json, seed: number, all: ReadonlyArray<readonly Segment[]> = paths(base)): Mutant {
  const r = rng(seed);
  const kind = MUTATIONS[Math.floor(r() * MUTATIONS.length)];
  const inResources = all.filter((p) => p.length >= 4);
  const pool = inResources.length > 0 && r() < 0.95 ? inResources : all.filter((p) => p.length > 0);
  const doc = clone(base);
  for (let attempt = 0; attempt < 20; attempt++) {
    const path = pool[Math.floor(r() * pool.length)];
    const old = getAt(doc, path);
    let value: Json | undefined;
    let insert = false;
    let same: Json | undefined;
    let description: string;
    switch (kind) {
      case "delete":
        value = undefined;
        description = "deleted";
        break;
      case "duplicate":
        if (typeof path[path.length - 1] !== "number") {
          // An object key: its value copied into a sibling array element is not possible; duplicate the value in place.
          value = Array.isArray(old) && old.length > 0 ? [...clone(old), clone(old[0])] : [clone(old ?? null), clone(old ?? null)];
          description = "duplicated in place";
        } else {
          value = clone(old ?? null);
          insert = true;
          description = "array element duplicated";
        }
        break;
      case "retype":
        value = retyped(r, old);
        description = `retyped to ${JSON.stringify(value).slice(0, 30)}`;
        break;
      case "null":
        value = null;
        description = "set to null";
        break;
      case "huge":
        ({ value, same } = hugeValue(r, old));
        description = `made huge (${JSON.stringify(value).length} chars)`;
        break;
      case "unicode": {
        if (typeof old !== "string") continue;
        const u = UNICODE[Math.floor(r() * UNICODE.length)];
        const at = Math.floor(r() * (old.length + 1));
        value = old.slice(0, at) + u + old.slice(at);
        description = `unicode ${JSON.stringify(u)} inserted at ${at}`;
        break;
      }
      case "dangling": {
        if (typeof old !== "string" || !(old.startsWith("/subscriptions/") || old.startsWith("urn:pulumi:"))) continue;
        value = `${old}-gone`;
        description = "reference made dangling";
        break;
      }
      case "cycle": {
        if (typeof old !== "string") continue;
        const own = locate(doc, path).urn;
        const refs = refsIn(doc);
        const target = own !== undefined && r() < 0.5 ? own : refs[Math.floor(r() * refs.length)];
        if (target === undefined || target === old) continue;
        value = target;
        description = `pointed at ${target.slice(-40)}`;
        break;
      }
    }
    if (!setAt(doc, path, value, insert)) continue;
    const where = locate(base, path);
    const equivalent = same === undefined ? undefined : clone(base);
    if (equivalent !== undefined) setAt(equivalent, path, same);
    return { kind, path, ...where, doc, description, ...(equivalent !== undefined ? { equivalent } : {}) };
  }
  return { kind, path: [], envelope: true, doc, description: "no applicable path (unchanged)" };
}
