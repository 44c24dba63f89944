// Regenerates examples/<name>/stack-export.json (update preview) and preview.json (first preview) by running each
// example program under Pulumi's mocks. No Pulumi CLI, no cloud account.
//
//   node -r ./scripts/register-ts.js scripts/gen-example-files.ts            all examples
//   node -r ./scripts/register-ts.js scripts/gen-example-files.ts three-tier one example
//   node -r ./scripts/register-ts.js scripts/gen-example-files.ts --check    exit 1 if a file is out of date
import * as fs from "fs";
import * as path from "path";
import { listExamples, renderExampleFiles } from "../src/resources/program";

const EXAMPLES_DIR = path.join(__dirname, "..", "examples");

function selected(all: string[], names: string[]): string[] {
  if (names.length === 0) return all;
  const unknownNames = names.filter((n) => !all.some((dir) => path.basename(dir) === n));
  if (unknownNames.length > 0) throw new Error(`no such example: ${unknownNames.join(", ")}`);
  return all.filter((dir) => names.includes(path.basename(dir)));
}

async function main(argv: string[]): Promise<number> {
  const check = argv.includes("--check");
  const dirs = selected(listExamples(EXAMPLES_DIR), argv.filter((a) => !a.startsWith("--")));
  let status = 0;
  // One example at a time: each already runs its two previews side by side.
  for (const dir of dirs) {
    const rel = path.relative(process.cwd(), dir) || dir;
    const rendered = await renderExampleFiles(dir);
    if (!rendered.ok) {
      process.stderr.write(`error: ${rendered.error}\n`);
      status = 1;
      continue;
    }
    for (const warning of rendered.warnings) process.stderr.write(`warning: ${rel}: ${warning}\n`);
    for (const [file, content] of Object.entries(rendered.files)) {
      const target = path.join(dir, file);
      const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : undefined;
      if (current === content) {
        process.stdout.write(`unchanged ${path.join(rel, file)}\n`);
      } else if (check) {
        process.stderr.write(`out of date: ${path.join(rel, file)}\n`);
        status = 1;
      } else {
        fs.writeFileSync(target, content);
        process.stdout.write(`wrote     ${path.join(rel, file)}\n`);
      }
    }
  }
  return status;
}

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (e: unknown) => {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(2);
  },
);
