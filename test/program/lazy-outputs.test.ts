/**
 * The runner builds a resource's output properties when the program first reads them (speed.ts, lazyOutputs): a
 * program must see the same values, unknowns, secrets and dependencies whether it reads a property before its
 * registration answered, after it, or never; and a failed registration must still fail the run.
 */
import { runProgram } from "../../src/resources/program";
import { removeProgram, writeProgram } from "./temp-programs";

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
const a = new pulumi.CustomResource("test:index:Thing", "a", { size: 3, label: pulumi.secret("s3cret"), later: undefined, tags: { env: "dev" } });
// Read before the registration answered.
const early = new pulumi.CustomResource("test:index:Thing", "early", { size: (a as any).size });
const keys = Object.keys(a).filter((k) => !k.startsWith("__")).sort().join(",");
export = async () => {
  await new Promise((resolve) => setTimeout(resolve, 200));
  // Read long after it answered: the kept answer is handed over.
  const late = new pulumi.CustomResource("test:index:Thing", "late", {
    size: (a as any).size, label: (a as any).label, tags: (a as any).tags, later: (a as any).later, id: a.id,
  });
  (a as any).custom = "set by the program";
  return { keys, custom: (a as any).custom, lateUrn: late.urn };
};
`;

describe("lazy output properties", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeProgram));

  test.each(["first", "update"] as const)("%s preview: values, secrets, unknowns and dependencies as the SDK gives them", async (preview) => {
    const dir = writeProgram("lazy", { "index.ts": PROGRAM });
    dirs.push(dir);
    const r = await runProgram(dir, { preview });
    if (!r.ok) throw new Error(r.error);
    const by = (name: string) => r.records.find((x) => x.name === name)!;
    const aUrn = by("a").urn;
    expect(by("early").inputs).toEqual({ size: 3 });
    expect(by("early").propertyDependencies).toEqual({ size: [aUrn] });
    expect(by("late").inputs).toMatchObject({ size: 3, tags: { env: "dev" } });
    expect(by("late").propertyDependencies).toMatchObject({ size: [aUrn], label: [aUrn], tags: [aUrn] });
    const stack = r.records.find((x) => x.type === "pulumi:pulumi:Stack")!;
    expect(stack.props).toMatchObject({ keys: "id,label,later,size,tags,urn", custom: "set by the program" });
  }, 30_000);

  test("a failed registration still fails the run, with the engine's words", async () => {
    const dir = writeProgram("lazy-dup", {
      "index.ts": `import * as pulumi from "@pulumi/pulumi";\nnew pulumi.CustomResource("test:index:Thing", "a", { size: 1 });\nnew pulumi.CustomResource("test:index:Thing", "a", { size: 2 });\n`,
    });
    dirs.push(dir);
    const r = await runProgram(dir, { preview: "first" });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/Duplicate resource URN/);
  }, 30_000);
});
