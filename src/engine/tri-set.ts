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

function causeKey(u: Unknown): string {
  return `${u.resource ?? ""}|${u.path}|${u.reason ?? ""}`;
}
