/**
 * One cache API (issue 14 point 3): values computed once live in engine/memo.ts's stores (env.memo, topoMemo,
 * pureMemo), keyed by declared dependencies, never in a module-level WeakMap/Map whose key restates the
 * dependencies by hand. This reads the source of src/engine, src/checks and src/intents (TypeScript's parser: the
 * top-level `const`/`let` declarations initialised with `new Map`/`new WeakMap`) and allows only the listed ones,
 * each with its reason. The list may only shrink.
 */
import { readFileSync, readdirSync, statSync } from "fs";
import { join, relative, resolve } from "path";
import * as ts from "typescript";

const ROOT = resolve(__dirname, "../..");
const TREES = ["src/engine", "src/checks", "src/intents"];

/** "file:NAME" -> why it may stay a module-level map. */
const ALLOWED: Record<string, string> = {
  "src/engine/memo.ts:BY_TOPOLOGY": "the one per-topology memo store itself",
  "src/checks/index.ts:ORDER": "a constant lookup (check name -> catalogue position), not a cache",
};

/**
 * Files that still call the old string-keyed `envCached` (env.ts): a key assembled by hand restates its dependencies.
 * "file" -> why it may. The list may only shrink; new code declares a memo kind.
 */
const STRING_KEYED: Record<string, string> = {};

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return path.endsWith(".ts") && !path.endsWith(".d.ts") ? [path] : [];
  });
}

/** The top-level variables of a file initialised with `new Map(...)` or `new WeakMap(...)`. */
export function moduleMaps(text: string): string[] {
  const file = ts.createSourceFile("x.ts", text, ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  for (const st of file.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      const init = d.initializer;
      if (init && ts.isNewExpression(init) && ts.isIdentifier(init.expression) && ["Map", "WeakMap"].includes(init.expression.text)) {
        out.push(ts.isIdentifier(d.name) ? d.name.text : d.name.getText(file));
      }
    }
  }
  return out;
}

const found = TREES.flatMap((tree) =>
  filesUnder(join(ROOT, tree)).flatMap((path) => moduleMaps(readFileSync(path, "utf8")).map((name) => `${relative(ROOT, path).split("\\").join("/")}:${name}`)),
);

/** Calls of `envCached(` and uses of an env's `.cache` map in a file's text (comments removed). */
export function stringKeyedCaches(text: string): number {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  return (code.match(/\benvCached\s*\(|\benv\.cache\b/g) ?? []).length;
}

const stringKeyed = TREES.flatMap((tree) => filesUnder(join(ROOT, tree)))
  .filter((path) => !path.endsWith("engine/env.ts"))
  .filter((path) => stringKeyedCaches(readFileSync(path, "utf8")) > 0)
  .map((path) => relative(ROOT, path).split("\\").join("/"));

describe("module-level caches", () => {
  test("the reader sees module-level maps and only those", () => {
    const sample = "const A = new WeakMap<object, number>();\nlet B = new Map();\nfunction f() { const C = new Map(); return C; }\nconst D = new Set();";
    expect(moduleMaps(sample)).toEqual(["A", "B"]);
  });

  test("no module-level WeakMap/Map caches in src/engine, src/checks, src/intents outside the allow-list", () => {
    expect(found.filter((k) => !(k in ALLOWED))).toEqual([]);
  });

  test.each(Object.entries(ALLOWED))("allow-list entry %s still exists (the list only shrinks)", (key) => {
    expect(found).toContain(key);
  });
});

describe("string-keyed caches", () => {
  test("the reader counts envCached calls and env.cache uses, not comments", () => {
    expect(stringKeyedCaches("// envCached(env, 'x')\nconst a = envCached(env, `k|${x}`, f);\nenv.cache.get(k); /* env.cache */")).toBe(2);
    expect(stringKeyedCaches("env.memo(KIND({ x }), f)")).toBe(0);
  });

  test("no envCached / env.cache in src/engine, src/checks, src/intents outside the allow-list", () => {
    expect(stringKeyed.filter((f) => !(f in STRING_KEYED))).toEqual([]);
  });

  test("every allow-list entry still uses one (the list only shrinks; empty since 2026-12-03)", () => {
    expect(Object.keys(STRING_KEYED).filter((file) => !stringKeyed.includes(file))).toEqual([]);
  });
});
