import { DEMO_STEPS, runDemo } from "../../src/cli/commands/demo";
import type { Io } from "../../src/cli/output";
import { cli } from "../helpers/cli";

test("every demo step runs and answers (exit 0, or 1 for the intent that fails on purpose)", async () => {
  for (const step of DEMO_STEPS) {
    const r = await cli(...step.argv);
    expect({ step: step.title, code: r.code }).toEqual({ step: step.title, code: step.argv[0] === "check" && step.argv[1] === "examples/three-tier" ? 1 : 0 });
    expect(r.out.length).toBeGreaterThan(0);
  }
}, 60000);

test("the demo prints each command before its answer and exits 0 when every step answered", async () => {
  let out = "";
  const io: Io = { out: (t) => void (out += `${t}\n`), err: () => undefined };
  const seen: string[][] = [];
  const code = await runDemo(io, async (argv) => {
    seen.push([...argv]);
    return argv[0] === "check" ? 1 : 0;
  });
  expect(code).toBe(0);
  expect(seen).toHaveLength(DEMO_STEPS.length);
  expect(out).toContain("$ azure-reachability verify-flow examples/nsg-basics/stack-export.json --nic vm1");
});

test("a broken step makes the demo fail", async () => {
  const io: Io = { out: () => undefined, err: () => undefined };
  expect(await runDemo(io, async () => 2)).toBe(2);
});
