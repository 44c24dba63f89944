import fc from "fast-check";
import { KINDS, kindOfType } from "../../../src/adapters/azure-native/kinds";
import { unversionedKey } from "../../../src/providers/type-token";

/** kindOfType keeps its answer per token: asked again (or first), it answers as the uncached lookup does. */
describe("kindOfType memo", () => {
  const reference = (type: string): string | undefined => {
    const key = unversionedKey(type);
    if (key === undefined) return undefined;
    const row = KINDS.find((r) => [r.token, ...("aliases" in r ? (r as { aliases: readonly string[] }).aliases : [])].some((t) => unversionedKey(t) === key));
    return row?.kind;
  };
  const tokens = KINDS.map((r) => r.token);
  const token = fc.oneof(
    fc.constantFrom(...tokens),
    fc.constantFrom(...tokens).map((t) => t.replace(/^(azure-native:[a-z]+)/, "$1/v20240501")),
    fc.constantFrom("", "a:b", "a::c", "azure-native:network:Nope", "pulumi:pulumi:Stack", "azure-native:network:subnet"),
    fc.string(),
  );

  test("repeated and first asks agree with the uncached lookup", () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 20 }), (types) => {
        for (const t of [...types, ...types]) expect(kindOfType(t)).toBe(reference(t));
      }),
      { numRuns: 500 },
    );
  });
});
