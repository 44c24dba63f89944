/** `npm run bench` arguments (issue 19 point 8): the estate family flag, and growth exponents per family and step. */
import { growthOf, parseArgs } from "../../bench/run";

test.each<[string[], string[]]>([
  [[], ["adversarial", "landing-zone"]],
  [["--family", "landing-zone"], ["landing-zone"]],
  [["--family", "adversarial"], ["adversarial"]],
  [["--family", "landing-zone", "--family", "adversarial"], ["adversarial", "landing-zone"]],
  [["--family", "Landing-Zone,adversarial,landing-zone"], ["adversarial", "landing-zone"]],
])("--family %j", (argv, families) => {
  expect(parseArgs(argv).families).toEqual(families);
});

test("an unknown family is refused", () => {
  expect(() => parseArgs(["--family", "hub"])).toThrow(/--family must be adversarial or landing-zone, not "hub"/);
  expect(() => parseArgs(["--family"])).toThrow(/--family needs a value/);
});

test("the other options still parse alongside", () => {
  const o = parseArgs(["--family", "landing-zone", "--size", "S,M", "--json", "--pack", "--no-per-check"]);
  expect(o).toMatchObject({ families: ["landing-zone"], sizes: ["S", "M"], json: true, pack: true, perCheck: false });
  expect(parseArgs([]).perCheck).toBe(true);
});

test("growth exponents: per family and input, S->M and M->L each on its own", () => {
  const m = (family: "adversarial" | "landing-zone", size: "S" | "M" | "L", resources: number, checkMs: number) => ({ family, input: "preview" as const, size, resources, checkMs });
  const { growth, steps } = growthOf([
    m("adversarial", "S", 100, 10),
    m("adversarial", "M", 10_000, 1_000),
    m("adversarial", "L", 100_000, 100_000),
    m("landing-zone", "S", 100, 10),
    m("landing-zone", "M", 1_000, 100),
  ]);
  expect(steps.get("adversarial/preview")).toEqual({ "S->M": 1, "M->L": 2 });
  expect(steps.get("landing-zone/preview")).toEqual({ "S->M": 1 });
  expect(growth.get("landing-zone/preview")).toBeCloseTo(1, 6);
  expect(growth.get("adversarial/preview")).toBeGreaterThan(1);
});
