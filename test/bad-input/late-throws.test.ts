/**
 * Issue 13 point 8: an error a program raises after its main promise resolved (a timer that throws, a promise that
 * rejects later) is the run's outcome, as under `pulumi preview`, whose Node host keeps the program alive "until
 * the message loop empties" (@pulumi/pulumi cmd/run/run.js) and fails it on any uncaught exception or unhandled
 * rejection until then. The runner used to report success two turns after the main promise resolved.
 */
import { runProgram } from "../../src/resources/program";
import { cli } from "../helpers/cli";
import { removeProgram, writeProgram } from "../program/temp-programs";

const THING = `import * as pulumi from "@pulumi/pulumi";\nnew pulumi.CustomResource("test:index:Thing", "a", {});\n`;

const LATE: [string, string, RegExp][] = [
  ["a timer throws after the module finished", `${THING}setTimeout(() => { throw new Error("late timer throw"); }, 300);\n`, /: late timer throw$/],
  [
    "a promise rejects after an async main resolved",
    `${THING}export = async () => {\n  setTimeout(() => void Promise.reject(new Error("late rejection")), 300);\n  return { done: true };\n};\n`,
    /: late rejection$/,
  ],
  [
    "a chain of timers throws a non-Error",
    `${THING}setTimeout(() => setTimeout(() => setImmediate(() => { throw "late string"; }), 100), 100);\n`,
    /: late string$/,
  ],
];

describe("late async throws fail the run", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeProgram));

  test.each(LATE)("%s: {ok:false}, one line", async (_label, index, message) => {
    const dir = writeProgram("late", { "index.ts": index });
    dirs.push(dir);
    const r = await runProgram(dir, { preview: "first" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatch(message);
    expect(r.error).not.toContain("\n");
  }, 30_000);

  test("the CLI: exit 2 and a one-line message", async () => {
    const dir = writeProgram("late-cli", { "index.ts": LATE[0]![1] });
    dirs.push(dir);
    const r = await cli("check", dir);
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n").filter((l) => l.includes("late timer throw"))).toHaveLength(1);
    expect(r.err).toMatch(/azure-reachability: .*: late timer throw$/m);
  }, 30_000);

  test("a timer that finishes quietly, and a resource registered from it, still succeed", async () => {
    const dir = writeProgram("late-ok", {
      "index.ts": `${THING}setTimeout(() => { new pulumi.CustomResource("test:index:Thing", "b", {}); }, 200);\n`,
    });
    dirs.push(dir);
    const r = await runProgram(dir, { preview: "first" });
    if (!r.ok) throw new Error(r.error);
    expect(r.records.map((x) => x.name).sort()).toEqual(["a", "b", "late-ok-dev"]);
  }, 30_000);
});
