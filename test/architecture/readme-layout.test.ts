/**
 * The README's layout section matches the tree (issue 14, "Done when"): every folder of src/ (and the engine's
 * sub-folders) is named there, and every src/ path it names exists.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "fs";
import { join } from "path";

const ROOT = join(__dirname, "../..");

function layoutBlock(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Layout"));
  const start = section.indexOf("```");
  const end = section.indexOf("```", start + 3);
  return section.slice(start + 3, end);
}

/** The paths named at the start of the block's lines (`src/cli/, src/report/` names two). */
function namedPaths(): string[] {
  return layoutBlock()
    .split("\n")
    .filter((l) => /^\S/.test(l))
    .flatMap((l) => [...l.slice(0, 26).matchAll(/([a-z][\w./-]*\/)/g)].map((m) => m[1]));
}

function foldersUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir))
    .filter((n) => statSync(join(ROOT, dir, n)).isDirectory())
    .map((n) => `${dir}/${n}/`);
}

test("the layout block is found and names folders (so the next tests can fail)", () => {
  expect(namedPaths().length).toBeGreaterThan(10);
});

test("every folder of src/ and of src/engine/ is in the README's layout", () => {
  const named = new Set(namedPaths().map((p) => (p.endsWith("/") ? p : `${p}/`)));
  // src/adapters/<provider>/ is named as such; its parent is implied.
  const wanted = [...foldersUnder("src").filter((f) => f !== "src/adapters/"), ...foldersUnder("src/adapters"), ...foldersUnder("src/engine")];
  expect(wanted.filter((f) => !named.has(f) && ![...named].some((n) => n.startsWith(f.slice(0, -1))))).toEqual([]);
});

test("every path the layout names exists", () => {
  expect(namedPaths().filter((p) => !existsSync(join(ROOT, p)))).toEqual([]);
});
