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

export function mergeCauses(a: readonly Unknown[], b: readonly Unknown[]): Unknown[] {
  if (b.length === 0) return a as Unknown[];
  if (a.length === 0) return b as Unknown[];
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
