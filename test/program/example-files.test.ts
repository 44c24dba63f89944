import * as fs from "fs";
import * as path from "path";
import { listExamples, renderExampleFiles } from "../../src/resources/program";

const EXAMPLES = path.join(__dirname, "..", "..", "examples");

describe("committed example files", () => {
  const dirs = listExamples(EXAMPLES);

  it("cover every example", () => {
    expect(dirs.map((d) => path.relative(EXAMPLES, d))).toEqual(["avnm-baseline", "hub-and-spoke", "hub-and-spoke-firewall", "locked-down", "nsg-basics", "split-hub-and-spoke/hub", "split-hub-and-spoke/spoke", "three-tier", "web-lb"]);
    for (const dir of dirs) {
      for (const file of ["Pulumi.yaml", "index.ts", "intents.json", "README.md", "stack-export.json", "preview.json"]) {
        expect(fs.existsSync(path.join(dir, file))).toBe(true);
      }
    }
  });

  // Regenerate with: node -r ./scripts/register-ts.js scripts/gen-example-files.ts
  it.each(listExamples(EXAMPLES).map((d) => [path.relative(EXAMPLES, d), d]))(
    "%s: stack-export.json and preview.json are what the generator produces now",
    async (_name, dir) => {
      const rendered = await renderExampleFiles(dir);
      if (!rendered.ok) throw new Error(rendered.error);
      expect(rendered.warnings).toEqual([]);
      for (const [file, content] of Object.entries(rendered.files)) {
        expect(fs.readFileSync(path.join(dir, file), "utf8")).toBe(content);
      }
    },
    60_000,
  );
});
