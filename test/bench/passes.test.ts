/**
 * The bench's passes after the check (issue 19 point 8, and L in V8's default heap): verify-flow, per-check and the
 * pack each run in a process of their own, so that at L no pass shares a heap with the check.
 */
import { execFileSync } from "child_process";
import { existsSync } from "fs";
import { join } from "path";
import { passesFor, passNodeOptions } from "../../bench/run";
import { CATALOGUE } from "../../src/checks";
import { tempDir } from "../helpers/temp-dir";

const base = { queries: 50_000, perCheck: true, pack: false, packAll: false };

test.each<[string, Partial<typeof base>, "S" | "M" | "L", "preview" | "export", string[]]>([
  ["the defaults on a preview", {}, "M", "preview", ["verify-flow", "per-check"]],
  ["an export has no verify-flow pass (its queries are drawn from a preview)", {}, "M", "export", ["per-check"]],
  ["--queries 0", { queries: 0 }, "M", "preview", ["per-check"]],
  ["--no-per-check", { perCheck: false }, "M", "preview", ["verify-flow"]],
  ["--pack at M", { pack: true }, "M", "preview", ["verify-flow", "per-check", "pack"]],
  ["--pack leaves L out", { pack: true }, "L", "preview", ["verify-flow", "per-check"]],
  ["--pack-all keeps L", { pack: true, packAll: true }, "L", "preview", ["verify-flow", "per-check", "pack"]],
  ["the pack only on previews", { pack: true }, "M", "export", ["per-check"]],
])("%s", (_name, opts, size, input, passes) => {
  expect(passesFor({ ...base, ...opts }, size, input)).toEqual(passes);
});

test.each<[string, "verify-flow" | "per-check" | "pack", string[], string[]]>([
  ["verify-flow keeps the given flags", "verify-flow", ["--expose-gc"], ["--expose-gc"]],
  ["per-check gets no larger heap", "per-check", [], []],
  ["the pack's fake engine gets 60% of the machine", "pack", ["--expose-gc"], ["--expose-gc", "--max-old-space-size=14400"]],
  ["a heap given is kept", "pack", ["--max-old-space-size=2000"], ["--max-old-space-size=2000"]],
])("%s", (_name, pass, given, flags) => {
  expect(passNodeOptions(pass, given, 24_000)).toEqual(flags);
});

test("never less than V8's default for the fake engine", () => {
  expect(passNodeOptions("pack", [], 2_000)).toEqual(["--max-old-space-size=4096"]);
});

const RUN = join(__dirname, "../../dist/bench/run.js");
const BUILT = existsSync(RUN);

(BUILT ? test : test.skip)(
  BUILT ? "a bench run at S: every pass reports its figures and its own process's peak RSS" : "a bench run at S (skipped: no dist/ build here; run `npm run build` first)",
  () => {
    const out = tempDir("bench-passes-");
    const stdout = execFileSync(process.execPath, [RUN, "--family", "adversarial", "--size", "S", "--json", "--no-brute", "--no-runner", "--queries", "300", "--pack", "--out", out], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const lines = stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const m = lines.find((l) => l.family === "adversarial") as Record<string, any>;
    expect(m.verifyFlow.queries).toBe(300);
    expect(m.verifyFlow.allow + m.verifyFlow.deny + m.verifyFlow.indeterminate + m.verifyFlow.errors).toBe(300);
    expect(Object.keys(m.perCheckCpuMs)).toEqual(CATALOGUE.map((c) => `${c.id} ${c.name}`));
    expect(m.packResponseUnderLimit).toBe(true);
    expect(Object.keys(m.passes)).toEqual(["verify-flow", "per-check", "pack"]);
    for (const p of Object.values(m.passes) as Array<{ peakRssMb?: number; error?: string }>) {
      expect(p.error).toBeUndefined();
      expect(p.peakRssMb).toBeGreaterThan(0);
    }
  },
  240_000,
);
