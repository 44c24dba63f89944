/**
 * No dead exports (issue 14 point 8): every function, constant or class that a file of src/ exports is imported by
 * some other file (of src/, test/, policy-pack/ or bench/), and every exported type is imported elsewhere or named in
 * its own file (an exported signature may need it). Read from the source with TypeScript's parser: named imports,
 * re-exports, `import("...").T` types; a namespace import, `export *`, require() or a dynamic import counts as a
 * use of every name. src/index.ts and policy-pack/index.ts are the package's public entry points: their own exports
 * are API, not dead.
 */
import { readFileSync, readdirSync, statSync } from "fs";
import { dirname, join, relative, resolve } from "path";
import * as ts from "typescript";

const ROOT = resolve(__dirname, "../..");
const TREES = ["src", "test", "policy-pack", "bench"];
const ENTRY_POINTS = new Set(["src/index.ts", "policy-pack/index.ts"]);

/**
 * Files owned by other work of this session, whose over-exports (used only in their own file) are theirs to trim;
 * the list may only shrink.
 */
const OVER_EXPORT_EXCEPTIONS: Record<string, string> = {
  "src/adapters/azure-native/avnm.ts": "the adapter (issue 14 point 7)",
  "src/adapters/azure-native/entities.ts": "the adapter (issue 14 point 7)",
  "src/adapters/azure-native/firewall.ts": "the adapter (issue 14 point 7)",
  "src/adapters/azure-native/load-balancer.ts": "the adapter (issue 14 point 7)",
  "src/adapters/azure-native/refs.ts": "the adapter (issue 14 point 7)",
  "src/adapters/azure-native/security-rule.ts": "the adapter (issue 14 point 7)",
  "src/adapters/azure-native/sku.ts": "the adapter (issue 14 point 7)",
  "src/azure/well-known.ts": "the Azure rules (issue 14 point 1)",
  "src/engine/nsg.ts": "the NSG chain (issue 14 point 2)",
  "src/resources/intent-component.ts": "the readers",
  "src/resources/policy-args.ts": "the readers",
  "src/resources/program/example-files.ts": "the readers",
  "src/resources/program/project.ts": "the readers",
  "src/resources/program/run.ts": "the readers",
  "src/resources/program/urn.ts": "the readers",
  "src/resources/program/values.ts": "the readers",
  "src/resources/state.ts": "the readers",
  "src/resources/unknowns.ts": "the readers",
};

/** Dead exports in files owned by other work of this session (theirs to remove); the list may only shrink. */
const DEAD_EXCEPTIONS: Record<string, string> = {
  "src/engine/first-match.ts: Outcome": "the one first-match (issue 14 point 2)",
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" || name === "fixtures" ? [] : filesUnder(path);
    return path.endsWith(".ts") && !path.endsWith(".d.ts") ? [path] : [];
  });
}

function resolveLocal(fromFile: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  const base = resolve(dirname(fromFile), spec.replace(/\.(js|ts)$/, ""));
  for (const candidate of [`${base}.ts`, join(base, "index.ts")]) {
    try {
      if (statSync(candidate).isFile()) return relative(ROOT, candidate);
    } catch {
      // not this candidate
    }
  }
  return undefined;
}

/** What a file exports: name -> value or type. */
type Exported = Map<string, "value" | "type">;

interface FileFacts {
  readonly exported: Exported;
  /** Names this file imports from each local file ("*": all of them). */
  readonly uses: Map<string, Set<string>>;
  readonly text: string;
}

const hasExport = (n: ts.Node): boolean => (ts.canHaveModifiers(n) ? (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword) : false);

function readFacts(file: string): FileFacts {
  const text = readFileSync(file, "utf8");
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const exported: Exported = new Map();
  const uses = new Map<string, Set<string>>();
  const use = (spec: string, name: string): void => {
    const to = resolveLocal(file, spec);
    if (to === undefined) return;
    uses.set(to, (uses.get(to) ?? new Set()).add(name));
  };
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const spec = st.moduleSpecifier.text;
      const clause = st.importClause;
      if (!clause) use(spec, "*");
      else {
        if (clause.name) use(spec, "default");
        const b = clause.namedBindings;
        if (b && ts.isNamespaceImport(b)) use(spec, "*");
        if (b && ts.isNamedImports(b)) for (const e of b.elements) use(spec, (e.propertyName ?? e.name).text);
      }
    } else if (ts.isExportDeclaration(st)) {
      if (st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
        const spec = st.moduleSpecifier.text;
        if (!st.exportClause || ts.isNamespaceExport(st.exportClause)) use(spec, "*");
        else for (const e of st.exportClause.elements) use(spec, (e.propertyName ?? e.name).text);
      } else if (st.exportClause && ts.isNamedExports(st.exportClause)) {
        for (const e of st.exportClause.elements) exported.set(e.name.text, st.isTypeOnly || e.isTypeOnly ? "type" : "value");
      }
    } else if (hasExport(st)) {
      const kind = ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) ? "type" : "value";
      if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) exported.set(d.name.getText(sf), kind);
      else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) {
        exported.set(st.name.text, kind);
      }
    }
  }
  const visit = (n: ts.Node): void => {
    // import("./x").T in a type position
    if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      let q = n.qualifier;
      while (q && ts.isQualifiedName(q)) q = q.left;
      use(n.argument.literal.text, q ? q.text : "*");
    }
    // require("./x"), import("./x"), jest.mock("./x") and the like: every name.
    if (ts.isCallExpression(n) && n.arguments.length > 0 && ts.isStringLiteral(n.arguments[0]) && n.arguments[0].text.startsWith(".")) use(n.arguments[0].text, "*");
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return { exported, uses, text };
}

const facts = new Map(TREES.flatMap((t) => filesUnder(join(ROOT, t))).map((f) => [relative(ROOT, f), readFacts(f)]));

/** Names imported from each file by the other files. */
const importedFrom = new Map<string, Set<string>>();
for (const [from, f] of facts) {
  for (const [to, names] of f.uses) {
    if (to === from) continue;
    const set = importedFrom.get(to) ?? new Set<string>();
    names.forEach((n) => set.add(n));
    importedFrom.set(to, set);
  }
}

function occurrences(text: string, name: string): number {
  return (text.match(new RegExp(`(?<![\\w$])${name.replace(/\$/g, "\\$")}(?![\\w$])`, "g")) ?? []).length;
}

/** Exports of src/ imported by no other file: `dead` (named nowhere else in the file either) or `local` values. */
function unusedExports(): { dead: string[]; local: string[] } {
  const dead: string[] = [];
  const local: string[] = [];
  for (const [rel, f] of facts) {
    if (!rel.startsWith("src/") || ENTRY_POINTS.has(rel)) continue;
    const imported = importedFrom.get(rel) ?? new Set<string>();
    if (imported.has("*")) continue;
    for (const [name, kind] of f.exported) {
      if (imported.has(name)) continue;
      if (occurrences(f.text, name) <= 1) {
        if (DEAD_EXCEPTIONS[`${rel}: ${name}`] === undefined) dead.push(`${rel}: ${name}`);
      }
      else if (kind === "value" && OVER_EXPORT_EXCEPTIONS[rel] === undefined) local.push(`${rel}: ${name}`);
    }
  }
  return { dead, local };
}

test("the export reader sees the tree (so the tests below can fail)", () => {
  expect(facts.size).toBeGreaterThan(300);
  const named = [...facts.values()].reduce((n, f) => n + f.exported.size, 0);
  expect(named).toBeGreaterThan(500);
  // A name that src/engine/dispositions.ts exports and others import by name is seen as imported.
  expect(importedFrom.get("src/engine/dispositions.ts")?.has("DISPOSITIONS")).toBe(true);
});

test("the reader tells an export used elsewhere from one used nowhere", () => {
  expect(occurrences("export const a = 1; const b = a;", "a")).toBe(2);
  expect(occurrences("export const ab = 1; $a; a_b", "a")).toBe(0);
});

test("no export of src/ is dead (imported nowhere and unused in its own file)", () => {
  expect(unusedExports().dead).toEqual([]);
});

test("no function or constant of src/ is exported only to be used in its own file", () => {
  expect(unusedExports().local).toEqual([]);
});

test("the dead-export exceptions are still needed (remove a line when its export goes)", () => {
  const stale = Object.keys(DEAD_EXCEPTIONS).filter((key) => {
    const [rel, name] = key.split(": ");
    const f = facts.get(rel);
    return !f || !f.exported.has(name) || (importedFrom.get(rel) ?? new Set()).has(name);
  });
  expect(stale).toEqual([]);
});

test("the over-export exceptions are still needed (remove a line when its file is trimmed)", () => {
  const stale = Object.keys(OVER_EXPORT_EXCEPTIONS).filter((rel) => {
    const f = facts.get(rel);
    const imported = importedFrom.get(rel) ?? new Set<string>();
    return !f || ![...f.exported].some(([name, kind]) => kind === "value" && !imported.has(name) && occurrences(f.text, name) > 1);
  });
  expect(stale).toEqual([]);
});
