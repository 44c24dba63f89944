import fc from "fast-check";
import { IpSet } from "../../src/sets/ip-set";

const cidr = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 16, max: 32 })).map(([a, b, len]) => {
  const set = IpSet.fromCidr(`10.${a}.${b}.0/${Math.max(len, 24)}`);
  return len % 2 === 0 ? set : set.union(IpSet.fromCidr(`2001:db8:${a}::/48`));
});

test("unionAll equals one union at a time", () => {
  fc.assert(
    fc.property(fc.array(cidr, { maxLength: 30 }), (sets) => {
      const expected = sets.reduce((acc, s) => acc.union(s), IpSet.empty());
      expect(IpSet.unionAll(sets).equals(expected)).toBe(true);
    }),
  );
});

test("unionAll of nothing is empty", () => {
  expect(IpSet.unionAll([]).isEmpty()).toBe(true);
});
