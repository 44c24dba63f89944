import fc from "fast-check";
import { createContext, type EntityRef } from "../../../src/adapters/azure-native/context";
import type { ResourceKind } from "../../../src/adapters/azure-native/kinds";
import { refsOfKind } from "../../../src/adapters/azure-native/refs";

/** refsOfKind (a loop) answers as the flatMap of one-item lists and the first-seen dedupe it replaced. */
describe("refsOfKind", () => {
  const reference = (refs: Map<string, EntityRef>, urns: readonly string[], kind: ResourceKind): EntityRef[] => {
    const found = urns.flatMap((u) => {
      const r = refs.get(u);
      return r !== undefined && r.kind === kind ? [r] : [];
    });
    const seen = new Map<string, EntityRef>();
    for (const r of found) if (!seen.has(r.key)) seen.set(r.key, r);
    return [...seen.values()];
  };
  const kinds: ResourceKind[] = ["subnet", "vnet", "nsg"];
  const entry = fc.record({ urn: fc.constantFrom("u1", "u2", "u3", "u4", "u5"), kind: fc.constantFrom(...kinds), key: fc.constantFrom("k1", "k2", "k3") });

  test("same refs in the same order", () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), fc.array(fc.constantFrom("u1", "u2", "u3", "u4", "u5", "u6"), { maxLength: 8 }), fc.constantFrom(...kinds), (entries, urns, kind) => {
        const ctx = createContext([]);
        for (const e of entries) ctx.refs.set(e.urn, { kind: e.kind, key: e.key, urn: e.urn, label: e.urn, azureName: e.key, id: e.key });
        expect(refsOfKind(ctx, urns, kind)).toEqual(reference(ctx.refs, urns, kind));
      }),
      { numRuns: 1000 },
    );
  });
});
