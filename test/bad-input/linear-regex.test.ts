/**
 * Issue 13 point 4: every pattern over user input runs in linear time. `normalizeArmId`'s `/\/+$/` took 34 s on a
 * 100k-character id; `shortenUrns`' URN pattern backtracked over a whole token for every `urn:pulumi:` in it.
 * The bounds below are a hundred times what the linear code needs and far below what the quadratic code took:
 * they catch a return to a quadratic pattern, they are not speed claims.
 */
import fc from "fast-check";
import { normalizeArmId } from "../../src/adapters/azure-native";
import { trimTrailingSlashes } from "../../src/adapters/azure-native/context";
import { shortenUrns } from "../../src/report/blame";

function timed(f: () => void): number {
  const t = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

describe("linear on hostile input", () => {
  test("normalizeArmId: 200k slashes then a letter", () => {
    const id = `${"/".repeat(200_000)}x`;
    let out = "";
    expect(timed(() => (out = normalizeArmId(id)))).toBeLessThan(1000);
    expect(out).toBe(id);
  });

  test("normalizeArmId: trailing slashes go, case folds", () => {
    expect(normalizeArmId("  /Subscriptions/S/resourceGroups/RG///  ")).toBe("/subscriptions/s/resourcegroups/rg");
    expect(trimTrailingSlashes("////")).toBe("");
  });

  test("shortenUrns: 20k URN prefixes in one token", () => {
    const text = "urn:pulumi:".repeat(20_000);
    let out = "";
    expect(timed(() => (out = shortenUrns(text)))).toBeLessThan(1000);
    // No "::" in it: nothing to shorten (the old expression took 20 s to find that out).
    expect(out).toBe(text);
  });
});

describe("shortenUrns equals the regular expression it replaces", () => {
  const REGEX = /urn:pulumi:[^\s,;()]*::([^\s,;():]+)/g;
  test.each([
    ["rule urn:pulumi:dev::proj::azure-native:network:NetworkSecurityGroup::db-nsg blocks", "rule db-nsg blocks"],
    ["(urn:pulumi:s::p::t::a, urn:pulumi:s::p::t::b)", "(a, b)"],
    ["urn:pulumi:s::p::t::name:extra", "name:extra"],
    ["urn:pulumi:no-separator here", "urn:pulumi:no-separator here"],
    ["urn:pulumi:a:::b", "b"],
  ])("%j", (input, expected) => {
    expect(shortenUrns(input)).toBe(expected);
    expect(input.replace(REGEX, "$1")).toBe(expected);
  });

  test("property: any text over the alphabet that matters", () => {
    const piece = fc.constantFrom("urn:pulumi:", "::", ":", "a", "b", " ", ",", ";", "(", ")", "\t", "x:y");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        const text = parts.join("");
        expect(shortenUrns(text)).toBe(text.replace(REGEX, "$1"));
      }),
      { numRuns: 3000 },
    );
  });
});
