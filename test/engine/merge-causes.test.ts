/**
 * mergeCauses keeps the keys of long lists to stay linear when a list grows one merge at a time (issue 13, fuzz seed
 * 28000 mutant 475); whatever order lists are merged and branched in, the result is the plain first-seen dedup.
 */
import fc from "fast-check";
import { CauseList, mergeCauses } from "../../src/engine/tri-set";
import { unknown, type Unknown } from "../../src/model/unknown";

const POOL: Unknown[] = Array.from({ length: 40 }, (_, i) => unknown(`.f[${i % 30}]`, `urn:r${i % 3}`, i % 7 === 0 ? "why" : undefined));
const key = (u: Unknown): string => `${u.resource ?? ""}|${u.path}|${u.reason ?? ""}`;

/** The reference: a's elements as they are, then b's whose key a (or an earlier b) lacks. */
function plain(a: readonly Unknown[], b: readonly Unknown[]): Unknown[] {
  if (b.length === 0 || a.length === 0) return [...(b.length === 0 ? a : b)];
  const seen = new Set(a.map(key));
  const out = [...a];
  for (const u of b) if (!seen.has(key(u))) (seen.add(key(u)), out.push(u));
  return out;
}

test("any chain of merges, branching anywhere, gives the plain merge", () => {
  const step = fc.record({ from: fc.nat(), more: fc.array(fc.nat({ max: POOL.length - 1 }), { maxLength: 6 }) });
  fc.assert(
    fc.property(fc.array(fc.nat({ max: POOL.length - 1 }), { minLength: 16, maxLength: 24 }), fc.array(step, { maxLength: 40 }), (start, steps) => {
      const first = plain([], start.map((i) => POOL[i]));
      const lists: Unknown[][] = [first];
      const refs: Unknown[][] = [first];
      for (const s of steps) {
        const at = s.from % lists.length;
        const b = s.more.map((i) => POOL[i]);
        lists.push(mergeCauses(lists[at], b));
        refs.push(plain(refs[at], b));
      }
      lists.forEach((l, i) => expect(l.map(key)).toEqual(refs[i].map(key)));
    }),
    { numRuns: 300 },
  );
});

test("CauseList adds without repeats, and `with` leaves it as it was", () => {
  const c = new CauseList();
  c.add([POOL[0], POOL[1], POOL[30]]);
  c.add([POOL[1], POOL[2]]);
  expect(c.size).toBe(4);
  expect(c.with([POOL[3], POOL[0]]).map(key)).toEqual([POOL[0], POOL[1], POOL[30], POOL[2], POOL[3]].map(key));
  expect(c.size).toBe(4);
});
