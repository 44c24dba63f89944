import { IpSet } from "../sets/ip-set";
import type { Unknown } from "../model/unknown";

/**
 * An address set known only within bounds: every address in `must` is in the set, no address outside `may`
 * is. `may \ must` is undecided at plan time because of `causes`. Known sets have must = may.
 */
export interface TriSet {
  readonly must: IpSet;
  readonly may: IpSet;
  readonly causes: readonly Unknown[];
}

export function exact(set: IpSet): TriSet {
  return { must: set, may: set, causes: [] };
}

/** Nothing is known: any address may or may not belong. */
export function undecided(cause: Unknown, may: IpSet = IpSet.all()): TriSet {
  return { must: IpSet.empty(), may, causes: [cause] };
}

export function triUnion(a: TriSet, b: TriSet): TriSet {
  return { must: a.must.union(b.must), may: a.may.union(b.may), causes: mergeCauses(a.causes, b.causes) };
}

/**
 * The union of many sets at once: the bounds are unioned in one pass and the causes merged through one key set, so
 * a rule side of thousands of unknown references costs linear time (folding triUnion re-keyed the causes at every
 * step: a fuzz mutant with 2,000 unknown ASG references took over 10 s, issue 13).
 */
export function triUnionAll(parts: readonly TriSet[]): TriSet {
  if (parts.length === 0) return exact(IpSet.empty());
  if (parts.length === 1) return parts[0];
  const must = IpSet.unionAll(parts.map((p) => p.must));
  const may = IpSet.unionAll(parts.map((p) => p.may));
  return { must, may, causes: distinctCauses(parts.flatMap((p) => p.causes)) };
}

/** Complement within a universe: what is surely in the set is surely not in its complement, and back. */
export function triComplementWithin(universe: IpSet, a: TriSet): TriSet {
  return { must: universe.subtract(a.may), may: universe.subtract(a.must), causes: a.causes };
}

/** Lists this long keep their keys (KEYED) so that growing them one merge at a time stays linear. */
const KEYED_FROM = 16;
const KEYED: unique symbol = Symbol("cause keys");

/**
 * The keys of a merged list: key -> index of its first occurrence, shared by a chain of lists each extending the
 * last (`tip` is the length of the newest): a key is in a list of that chain when its index is below the list's length.
 */
interface CauseKeys {
  readonly map: Map<string, number>;
  tip: number;
}

type Keyed = readonly Unknown[] & { [KEYED]?: CauseKeys };

export function mergeCauses(a: readonly Unknown[], b: readonly Unknown[]): Unknown[] {
  if (b.length === 0) return a as Unknown[];
  if (a.length === 0) return b as Unknown[];
  if (a.length >= KEYED_FROM) return mergeKeyed(a as Keyed, b);
  const seen = new Set(a.map(causeKey));
  const out = [...a];
  for (const u of b) {
    const k = causeKey(u);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(u);
    }
  }
  return out;
}

/**
 * mergeCauses for a long `a`: its keys are reused when `a` is the newest list of its chain (a fold that appends, as
 * the first-match loops do along a rule list: fuzz seed 28000 mutant 475, 2,000 doubtful rules, took 35 s), else
 * built once. Same result as the plain merge.
 */
function mergeKeyed(a: Keyed, b: readonly Unknown[]): Unknown[] {
  const own = a[KEYED];
  let keys: CauseKeys;
  if (own !== undefined && own.tip === a.length) {
    keys = own;
  } else {
    const map = new Map<string, number>();
    a.forEach((u, i) => {
      const k = causeKey(u);
      if (!map.has(k)) map.set(k, i);
    });
    keys = { map, tip: a.length };
  }
  const out = [...a];
  for (const u of b) {
    const k = causeKey(u);
    const at = keys.map.get(k);
    if (at !== undefined && at < out.length) continue;
    keys.map.set(k, out.length);
    out.push(u);
  }
  keys.tip = out.length;
  Object.defineProperty(out, KEYED, { value: keys, enumerable: false });
  return out;
}

/**
 * Causes gathered one list at a time, without repeats, in first-seen order: linear in what is added (merging into a
 * growing list with mergeCauses re-keys the list each time: a rule list of 2,000 doubtful rules took 30 s, fuzz seed
 * 28000 mutant 475).
 */
export class CauseList {
  private readonly seen = new Set<string>();
  private readonly list: Unknown[] = [];

  add(causes: readonly Unknown[]): void {
    for (const u of causes) {
      const k = causeKey(u);
      if (this.seen.has(k)) continue;
      this.seen.add(k);
      this.list.push(u);
    }
  }

  get size(): number {
    return this.list.length;
  }

  /** The causes so far, plus `more` (not added), as a new array. */
  with(more: readonly Unknown[]): Unknown[] {
    const out = [...this.list];
    for (const u of more) if (!this.seen.has(causeKey(u)) && !out.includes(u)) out.push(u);
    return out;
  }
}

/** The causes without repeats (same resource, path and reason), in first-seen order. */
function distinctCauses(all: readonly Unknown[]): Unknown[] {
  const seen = new Set<string>();
  const out: Unknown[] = [];
  for (const u of all) {
    const k = causeKey(u);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(u);
  }
  return out;
}

function causeKey(u: Unknown): string {
  return `${u.resource ?? ""}|${u.path}|${u.reason ?? ""}`;
}
