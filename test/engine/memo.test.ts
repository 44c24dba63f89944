/** The one cache API (src/engine/memo.ts): keys from declared dependencies, stores per env, topology and object. */
import { memoKind, memoStore, pureMemo, topoMemo } from "../../src/engine/memo";

describe("memoKind", () => {
  const kind = memoKind<{ nsg: object; place: string; direction: string }, number>("test-memo-kind", ["nsg", "place", "direction"]);

  test("a kind is defined once", () => {
    expect(() => memoKind("test-memo-kind", [])).toThrow(/defined twice/);
  });

  test("a key given an undeclared dependency is refused", () => {
    const extra = { nsg: {}, place: "p", direction: "Inbound", asg: "x" } as unknown as { nsg: object; place: string; direction: string };
    expect(() => kind(extra)).toThrow(/declares dependencies nsg, place, direction/);
  });

  test("keys list the dependencies in declared order, whatever order they are given in", () => {
    const nsg = {};
    expect(kind({ direction: "Inbound", place: "p", nsg }).deps).toEqual([nsg, "p", "Inbound"]);
  });
});

describe("memo stores", () => {
  const kind = memoKind<{ a: object; b: string | undefined }, unknown>("test-memo-store", ["a", "b"]);

  test.each([
    ["same object, same primitive", true],
    ["same object, other primitive", false],
    ["other object, same primitive", false],
  ])("%s: cached value shared = %s", (label, shared) => {
    const store = memoStore();
    const a = {};
    const other = {};
    let made = 0;
    store(kind({ a, b: "x" }), () => ++made);
    const second = label === "same object, same primitive" ? kind({ a, b: "x" }) : label === "same object, other primitive" ? kind({ a, b: "y" }) : kind({ a: other, b: "x" });
    store(second, () => ++made);
    expect(made).toBe(shared ? 1 : 2);
  });

  test("undefined is a value like any other (computed once)", () => {
    const store = memoStore();
    let made = 0;
    const key = kind({ a: {}, b: undefined });
    store(key, () => void made++);
    store(key, () => void made++);
    expect(made).toBe(1);
  });

  test("topoMemo keeps one store per topology object; pureMemo one per process", () => {
    const t1 = {};
    const t2 = {};
    const a = {};
    let made = 0;
    topoMemo(t1, kind({ a, b: "x" }), () => ++made);
    topoMemo(t1, kind({ a, b: "x" }), () => ++made);
    topoMemo(t2, kind({ a, b: "x" }), () => ++made);
    expect(made).toBe(2);
    expect(pureMemo(kind({ a, b: "z" }), () => "first")).toBe("first");
    expect(pureMemo(kind({ a, b: "z" }), () => "second")).toBe("first");
  });
});
