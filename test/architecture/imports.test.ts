/**
 * The import rules of the pipeline (readers -> vendor-neutral model -> engine -> checks/intents -> reporters), read
 * from the source (TypeScript's preProcessFile: imports, exports, requires, dynamic imports) of src/, policy-pack/
 * and bench/. Known exceptions are listed by file with the reason; the list may only shrink (issue 14 point 8).
 */
import { readFileSync, readdirSync, statSync } from "fs";
import { dirname, join, relative, resolve } from "path";
import * as ts from "typescript";

const ROOT = resolve(__dirname, "../..");
const TREES = ["src", "policy-pack", "bench"];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesUnder(path);
    return path.endsWith(".ts") && !path.endsWith(".d.ts") ? [path] : [];
  });
}

/** Specifiers of the file's imports, exports and requires, as TypeScript reads them (not those in strings or comments). */
function specifiers(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

interface Edge {
  readonly from: string;
  readonly to: string;
}

function resolveLocal(fromFile: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  const base = resolve(dirname(fromFile), spec);
  for (const candidate of [`${base}.ts`, join(base, "index.ts")]) {
    try {
      if (statSync(candidate).isFile()) return relative(ROOT, candidate);
    } catch {
      // not this candidate
    }
  }
  return undefined;
}

const files = TREES.flatMap((t) => filesUnder(join(ROOT, t)));
const external = new Map<string, string[]>();
const edges: Edge[] = [];
for (const file of files) {
  const rel = relative(ROOT, file);
  for (const spec of specifiers(readFileSync(file, "utf8"))) {
    const local = resolveLocal(file, spec);
    if (local !== undefined) edges.push({ from: rel, to: local });
    else if (!spec.startsWith(".")) external.set(rel, [...(external.get(rel) ?? []), spec]);
  }
}

/** The folder a file belongs to, for the layer rules: src/<layer>/... or the tree's name. */
function layerOf(rel: string): string {
  const parts = rel.split("/");
  return parts[0] === "src" && parts.length > 2 ? parts[1] : parts[0] === "src" ? "src" : parts[0];
}

test("the source tree is found (the rules below are not vacuous)", () => {
  expect(files.length).toBeGreaterThan(100);
  expect(edges.length).toBeGreaterThan(300);
});

test("only the readers, the in-code component and the pack import @pulumi/*", () => {
  const allowed = (rel: string) => rel.startsWith("src/resources/") || rel.startsWith("policy-pack/");
  const offenders = [...external.entries()].filter(([rel, specs]) => !allowed(rel) && specs.some((s) => s.startsWith("@pulumi/"))).map(([rel]) => rel);
  expect(offenders).toEqual([]);
});

/** What each inner layer may import (its own folder is always allowed). */
const MAY_IMPORT: Record<string, readonly string[]> = {
  sets: [],
  model: ["sets"],
  azure: ["model", "sets"],
  engine: ["model", "sets", "azure"],
  // Answers are built from engine results (issue 14 point 6); they know nothing of the CLI or the reporters.
  answers: ["engine", "model", "sets", "azure"],
};

/** Known exceptions: file -> imported layer, with why. */
const KNOWN_EXCEPTIONS: Record<string, { layer: string; why: string }> = {};

test.each(Object.keys(MAY_IMPORT))("src/%s imports only its allowed layers", (layer) => {
  const bad = edges
    .filter((e) => layerOf(e.from) === layer && layerOf(e.to) !== layer && !MAY_IMPORT[layer].includes(layerOf(e.to)))
    .filter((e) => KNOWN_EXCEPTIONS[e.from]?.layer !== layerOf(e.to))
    .map((e) => `${e.from} -> ${e.to}`);
  expect(bad).toEqual([]);
});

test("only the composition root (src/providers) and the public index name an adapter (issue 14 point 7)", () => {
  const allowed = (rel: string) => rel.startsWith("src/adapters/") || rel.startsWith("src/providers/") || rel === "src/index.ts";
  const bad = edges.filter((e) => e.to.startsWith("src/adapters/") && !allowed(e.from)).map((e) => `${e.from} -> ${e.to}`);
  expect(bad).toEqual([]);
});

test("no layer below the CLI imports the CLI or the pack", () => {
  const bad = edges.filter((e) => !["cli", "policy-pack", "bench", "src"].includes(layerOf(e.from)) && ["cli", "policy-pack"].includes(layerOf(e.to)));
  expect(bad.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
});

test("reporters read answers and reports, never the engine (issue 14 points 6 and 8)", () => {
  const bad = edges.filter((e) => layerOf(e.from) === "report" && layerOf(e.to) === "engine");
  expect(bad.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
});

/**
 * What a reporter may read besides answers (and the model and set types they carry): the reports themselves, that
 * is the result types of a check run, of intents and of a diff, the check catalogue (rule names for SARIF) and the
 * tool's version. Anything else (the engine, the checks' code, the intents' evaluation) is a violation.
 */
const REPORT_INPUTS = new Set([
  "src/checks/types.ts",
  "src/checks/catalogue.ts",
  "src/intents/result.ts",
  "src/diff/report.ts",
  "src/diff/rows.ts",
  "src/check-run/version.ts",
]);

test("reporters import only answers, reports, the model and sets (issue 14 point 8)", () => {
  const allowedLayers = ["report", "answers", "model", "sets"];
  const bad = edges.filter((e) => layerOf(e.from) === "report" && !allowedLayers.includes(layerOf(e.to)) && !REPORT_INPUTS.has(e.to));
  expect(bad.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  // Each listed input is still read by a reporter (remove a line when it goes).
  expect([...REPORT_INPUTS].filter((f) => !edges.some((e) => layerOf(e.from) === "report" && e.to === f))).toEqual([]);
});

/**
 * The answer shapes (Network Watcher's REST answers) are declared in src/answers, one file per question, and not in
 * the engine (issue 14 point 6). Known exceptions, with why; the list may only shrink (it is empty).
 */
const ANSWER_SHAPES: Record<string, string> = {
  TraceJson: "src/answers/trace.ts",
  EffectiveRoutesJson: "src/answers/effective-routes.ts",
  EffectiveRulesResult: "src/answers/effective-security-rules.ts",
  NextHopResult: "src/answers/next-hop.ts",
  IpFlowVerifyResult: "src/answers/ip-flow-verify.ts",
};
const ANSWER_SHAPE_EXCEPTIONS: Record<string, string> = {};

test.each(Object.keys(ANSWER_SHAPES))("the answer shape %s is declared where the table says, in src/answers unless excepted", (shape) => {
  const declaring = files.map((f) => relative(ROOT, f)).filter((rel) => new RegExp(`export (interface|type) ${shape}\\b`).test(readFileSync(join(ROOT, rel), "utf8")));
  expect(declaring).toEqual([ANSWER_SHAPES[shape]]);
  expect(layerOf(ANSWER_SHAPES[shape]) === "answers").toBe(ANSWER_SHAPE_EXCEPTIONS[shape] === undefined);
});

/**
 * The front ends: the CLI (and its renderers, src/report, whose texts point at the CLI's own output options), the
 * pack and the bench. Every other file of src/ is below them: what it says reaches the CLI's reports and the pack's
 * violations alike, so it names no CLI flag; how a user gives a missing input is the front end's InputHints
 * (src/model/input-hints.ts: the CLI's name its flags, the pack's its config keys).
 */
const FRONT_END_LAYERS = new Set(["cli", "report"]);

function belowTheCli(rel: string): boolean {
  return rel.startsWith("src/") && !FRONT_END_LAYERS.has(layerOf(rel));
}

/**
 * By design: the one table that spells a question's inputs (`--local: ...`) for refusals, which the CLI's commands,
 * trace answers and the intents' flow-verify results share, byte-identical to what the engine once wrote itself.
 */
const INPUT_SPELLING = "src/answers/refusal.ts";

/** Files below the CLI whose string literals still name a CLI flag, with why; the list may only shrink. */
const FLAG_EXCEPTIONS: Record<string, string> = {};

/**
 * String literals and template texts of a file that name a CLI flag (`--word`), read with TypeScript's scanner. A
 * Pulumi CLI command quoted in backticks (`pulumi preview --json --show-sames`) names Pulumi's flags, not ours.
 */
function flagLiterals(text: string): string[] {
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      const ours = node.text.replace(/`pulumi [^`]*`/g, "");
      if (/(^|[^-\w])--[a-z]/.test(ours)) out.push(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile("f.ts", text, ts.ScriptTarget.Latest, true));
  return out;
}

test("the flag finder finds a flag in a template (so the next test can fail)", () => {
  expect(flagLiterals("const a = `--local: ${x}`; const b = 'a-b'; // --not-a-literal")).toEqual(["--local: "]);
  // A quoted Pulumi command names Pulumi's flags; ours beside it are still found.
  expect(flagLiterals("const p = 'run `pulumi preview --json --show-sames`';")).toEqual([]);
  expect(flagLiterals("const p = 'run `pulumi preview --json`, or give --state FILE';")).toEqual(["run `pulumi preview --json`, or give --state FILE"]);
});

test("the rule covers every layer below the CLI (engine, azure, model, sets, answers, checks, intents, readers, adapters...)", () => {
  const covered = new Set(files.map((f) => relative(ROOT, f)).filter(belowTheCli).map(layerOf));
  for (const layer of ["sets", "model", "azure", "engine", "answers", "checks", "intents", "adapters", "providers", "resources", "io", "diff", "check-run", "src"]) expect(covered).toContain(layer);
  expect(belowTheCli("src/cli/input-hints.ts")).toBe(false);
  expect(belowTheCli("policy-pack/policies/input-hints.ts")).toBe(false);
});

test("no layer below the CLI names a CLI flag (the front ends give input hints; answers/refusal.ts spells the inputs)", () => {
  const bad = files
    .map((f) => relative(ROOT, f))
    .filter((rel) => belowTheCli(rel) && rel !== INPUT_SPELLING && FLAG_EXCEPTIONS[rel] === undefined)
    .filter((rel) => flagLiterals(readFileSync(join(ROOT, rel), "utf8")).length > 0);
  expect(bad).toEqual([]);
});

test("the flag exceptions are still needed (remove a line when its flag goes)", () => {
  for (const rel of [INPUT_SPELLING, ...Object.keys(FLAG_EXCEPTIONS)]) expect(flagLiterals(readFileSync(join(ROOT, rel), "utf8")).length).toBeGreaterThan(0);
});

test("the known exceptions are still needed (remove a line when its import goes)", () => {
  for (const [file, { layer }] of Object.entries(KNOWN_EXCEPTIONS)) {
    expect(edges.some((e) => e.from === file && layerOf(e.to) === layer)).toBe(true);
  }
});

/** Strongly connected components of more than one file (Tarjan), each sorted, sorted by first file. */
function cycles(list: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of list) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

test("the cycle finder finds a cycle (so the next test can fail)", () => {
  expect(cycles([{ from: "a", to: "b" }, { from: "b", to: "c" }, { from: "c", to: "a" }, { from: "c", to: "d" }])).toEqual([["a", "b", "c"]]);
});

test("no import cycles", () => {
  expect(cycles(edges)).toEqual([]);
});
