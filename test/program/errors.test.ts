import * as fs from "fs";
import * as path from "path";
import { runProgram, type ProgramResult } from "../../src/resources/program";
import { removeProgram, writeProgram } from "./temp-programs";

const THING = `import * as pulumi from "@pulumi/pulumi";\n`;

const cases: { name: string; files: Record<string, string>; runtime?: string; error: RegExp; timeoutMs?: number }[] = [
  {
    name: "throws",
    files: { "index.ts": `${THING}new pulumi.CustomResource("test:index:Thing", "a", {});\nthrow new Error("no subnet for the firewall");\n` },
    error: /: no subnet for the firewall$/,
  },
  {
    name: "bad-import",
    files: { "index.ts": `import { helper } from "./missing-helper";\nhelper();\n` },
    error: /: Cannot find module '\.\/missing-helper'$/,
  },
  {
    name: "rejects",
    files: { "index.ts": `export = async () => {\n  await Promise.resolve();\n  throw new Error("async main failed");\n};\n` },
    error: /: async main failed$/,
  },
  {
    name: "floating-rejection",
    files: { "index.ts": `${THING}void Promise.reject(new Error("nobody awaited this"));\nnew pulumi.CustomResource("test:index:Thing", "a", {});\n` },
    error: /: nobody awaited this$/,
  },
  {
    name: "apply-throws",
    files: {
      "index.ts": `${THING}const a = new pulumi.CustomResource("test:index:Thing", "a", {});\nnew pulumi.CustomResource("test:index:Thing", "b", { x: a.urn.apply(() => { throw new Error("apply blew up"); }) });\n`,
    },
    error: /apply blew up$/,
  },
  {
    name: "duplicate",
    files: { "index.ts": `${THING}new pulumi.CustomResource("test:index:Thing", "a", {});\nnew pulumi.CustomResource("test:index:Thing", "a", {});\n` },
    error: /failed to register new resource a \[test:index:Thing\]: Duplicate resource URN 'urn:pulumi:dev::duplicate::test:index:Thing::a'/,
  },
  {
    name: "syntax",
    files: { "index.ts": `const x = ;\n` },
    error: /index\.ts:1: Unexpected token/,
  },
  {
    name: "exits",
    files: { "index.ts": `console.error("giving up early");\nprocess.exit(3);\n` },
    error: /: the program exited \(code 3\) before finishing: giving up early$/,
  },
  {
    name: "hangs",
    files: { "index.ts": `export = () => new Promise(() => { setInterval(() => undefined, 1000); });\n` },
    error: /: the program did not finish within 2 s$/,
    timeoutMs: 2000,
  },
  { name: "python", files: { "__main__.py": "" }, runtime: "python", error: /: Pulumi.yaml runtime is python; only nodejs programs can be run$/ },
  { name: "no-entry", files: {}, error: /: no entry point \(looked for index\.ts, index\.js\)$/ },
];

describe("runProgram: failing programs, and programs outside the repository", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeProgram));

  it.each(cases)("$name: gives {ok:false} with the program's own message, prefixed by its folder", async (c) => {
    const dir = writeProgram(c.name, c.files, c.runtime);
    dirs.push(dir);
    const result: ProgramResult = await runProgram(dir, { preview: "first", ...(c.timeoutMs ? { timeoutMs: c.timeoutMs } : {}) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.startsWith(`${dir}: `)).toBe(true);
    expect(result.error).toMatch(c.error);
    expect(result.error).not.toContain("\n");
  }, 30_000);

  it("names a folder that does not exist, or that is not a Pulumi project", async () => {
    const missing = path.join(__dirname, "no-such-program");
    expect(await runProgram(missing, { preview: "first" })).toEqual({ ok: false, error: `${missing}: no such directory` });
    expect(await runProgram(__dirname, { preview: "first" })).toEqual({ ok: false, error: `${__dirname}: no Pulumi.yaml` });
  });

  it("runs a program without node_modules of its own against the runner's @pulumi/pulumi, and a main from Pulumi.yaml", async () => {
    const dir = writeProgram("works", {
      "program.ts": `${THING}const cfg = new pulumi.Config();\nnew pulumi.CustomResource("test:index:Thing", "a", { size: cfg.requireNumber("size") });\n`,
      "Pulumi.dev.yaml": "config:\n  works:size: 3\n",
    });
    dirs.push(dir);
    fs.appendFileSync(path.join(dir, "Pulumi.yaml"), "main: program.ts\n");
    const result = await runProgram(dir, { preview: "update" });
    if (!result.ok) throw new Error(result.error);
    const thing = result.records.find((r) => r.name === "a");
    expect(thing).toMatchObject({ type: "test:index:Thing", id: "/mock/test:index:Thing/a", props: { size: 3 }, inputs: { size: 3 } });
  }, 30_000);

  it("reports invokes and reads of existing resources, which mocks cannot answer, as warnings", async () => {
    const dir = writeProgram("lookups", {
      "index.ts": `${THING}export = async () => {
  const found = await pulumi.runtime.invoke("test:index:getThing", { name: "hub" });
  new pulumi.CustomResource("test:index:Thing", "existing", {}, { id: "/existing/hub" });
  return { found };
};
`,
    });
    dirs.push(dir);
    const result = await runProgram(dir, { preview: "first" });
    if (!result.ok) throw new Error(result.error);
    expect(result.diagnostics.map((d) => [d.code, d.severity])).toEqual([
      ["program-invoke-mocked", "warning"],
      ["program-read-mocked", "warning"],
    ]);
    // Read resources are not registrations: only the stack is recorded, with the program's exports.
    expect(result.records.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
    expect(result.records[0]!.props).toEqual({ found: { name: "hub" } });
  }, 30_000);
});
