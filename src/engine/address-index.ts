/**
 * An index of items (NICs) by the address sets they hold: which items' sets contain an address, or meet a set, in
 * the order the items were given. Exact (interval arithmetic, no sampling); built once and asked many times, so
 * "which NIC holds this IP" is a binary search, not a scan of every NIC. A pure value: the owner caches it.
 */
import { addressValue } from "../sets/ip";
import type { IpSet } from "../sets/ip-set";

interface Atom {
  readonly lo: bigint;
  readonly hi: bigint;
  /** Position of the item in the order given. */
  readonly at: number;
}

interface Family {
  /** The items' intervals of this family, sorted by start (then position). */
  readonly atoms: readonly Atom[];
  /** The longest interval's length (hi - lo): a search starts that far before the asked start. */
  readonly longest: bigint;
}

/** Intervals at least this long (a NIC whose address could be a whole range) are kept apart and always tested. */
const WIDE = 1n << 24n;

export interface AddressIndex<T> {
  /** The items whose set contains `ip`, in the order given; undefined when `ip` is not an address. */
  holding(ip: string): T[] | undefined;
  /** The items whose set meets `set`, in the order given. */
  meeting(set: IpSet): T[];
}

export function addressIndex<T>(entries: ReadonlyArray<{ readonly item: T; readonly set: IpSet }>): AddressIndex<T> {
  const byFamily: Atom[][] = [[], []];
  const wide: Array<Atom & { readonly family: number }> = [];
  entries.forEach(({ set }, at) => {
    [set.v4, set.v6].forEach((intervals, f) => {
      for (const [lo, hi] of intervals.intervals()) {
        if (hi - lo >= WIDE) wide.push({ lo, hi, at, family: f });
        else (byFamily[f] as Atom[]).push({ lo, hi, at });
      }
    });
  });
  const families: Family[] = byFamily.map((atoms) => {
    atoms.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : a.at - b.at));
    return { atoms, longest: atoms.reduce((m, a) => (a.hi - a.lo > m ? a.hi - a.lo : m), 0n) };
  });

  function positions(f: number, slo: bigint, shi: bigint, into: Set<number>): void {
    const { atoms, longest } = families[f] as Family;
    // The first atom that can reach slo starts at slo - longest or later.
    const from = slo - longest;
    let lo = 0;
    let hi = atoms.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((atoms[mid] as Atom).lo < from) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < atoms.length && (atoms[k] as Atom).lo <= shi; k++) if ((atoms[k] as Atom).hi >= slo) into.add((atoms[k] as Atom).at);
    for (const a of wide) if (a.family === f && a.lo <= shi && a.hi >= slo) into.add(a.at);
  }

  const items = (hit: Set<number>): T[] => [...hit].sort((a, b) => a - b).map((at) => (entries[at] as { item: T }).item);

  return {
    holding(ip: string): T[] | undefined {
      const value = addressValue(ip);
      if (value === undefined) return undefined;
      const hit = new Set<number>();
      positions(value.family === 4 ? 0 : 1, value.value, value.value, hit);
      return items(hit);
    },
    meeting(set: IpSet): T[] {
      const hit = new Set<number>();
      [set.v4, set.v6].forEach((intervals, f) => {
        for (const [lo, hi] of intervals.intervals()) positions(f, lo, hi, hit);
      });
      return items(hit);
    },
  };
}
