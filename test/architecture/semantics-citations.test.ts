/**
 * Every "docs/azure-semantics.md §N" (or §N.M) that a comment in the code cites names a section the document has
 * (issue 14, point 1: the semantics document is in the repository, and comments cite its numbered sections).
 */
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const DOC = path.join(ROOT, "docs/azure-semantics.md");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

/** "## 2. Routing" -> "2"; "### 2.5 Addresses ..." -> "2.5". */
function sections(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const line of markdown.split("\n")) {
    const m = /^#{2,3} (\d+(?:\.\d+)?)\.? /.exec(line);
    if (m) out.add(m[1]);
  }
  return out;
}

describe("the semantics document the code cites", () => {
  const known = sections(fs.readFileSync(DOC, "utf8"));
  const citations = ["src", "policy-pack", "bench"].flatMap((d) => sourceFiles(path.join(ROOT, d))).flatMap((file) =>
    [...fs.readFileSync(file, "utf8").matchAll(/azure-semantics\.md §(\d+(?:\.\d+)?)/g)].map((m) => ({ file: path.relative(ROOT, file), section: m[1] })),
  );

  test("has numbered sections, and the code cites some of them", () => {
    expect(known.size).toBeGreaterThan(10);
    expect(citations.length).toBeGreaterThan(10);
  });

  test("every cited section exists", () => {
    expect(citations.filter((c) => !known.has(c.section))).toEqual([]);
  });

  test("no comment cites the old unnumbered reference that is not in the repository", () => {
    const old = ["src", "policy-pack"].flatMap((d) => sourceFiles(path.join(ROOT, d))).filter((f) => /semantics reference, section \d/.test(fs.readFileSync(f, "utf8")));
    expect(old.map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});
