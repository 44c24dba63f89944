/**
 * Mutation fuzzing of the examples' plans (issue 13). Every mutant of examples/<name>/{stack-export,preview}.json
 * goes through check, verify-flow and trace in-process; it must answer (or be refused with one line) without exit
 * 3, a stack trace or a slow answer, and a verdict may differ from the unmutated plan's only when a diagnostic
 * names the mutated resource and field.
 *
 *   FUZZ_MUTANTS=20000   how many mutants (default 200: the CI run)
 *   FUZZ_SEED=1234       the run's seed (default 20261202, so that `npm test` is the same run everywhere;
 *                        FUZZ_SEED=random draws one, printed); mutant i uses seed + i
 *   FUZZ_ONLY=17         only mutant 17 of the run (reproduces a failure with the same FUZZ_SEED)
 *   FUZZ_CLI=1           every mutant through the CLI's main (default: one in ten; the others through the same
 *                        functions in-process, the plan read once)
 *   FUZZ_QUESTIONS=all   ask every mutant every verify-flow and trace question (default: one of each, at random)
 *   FUZZ_REPORT=f.json   write the figures (mutants, outcomes by class and kind, failures) to f.json
 */
import * as fs from "fs";
import * as os from "os";
import { join } from "path";
import { mutate, paths, rng, type Json, type Segment } from "./mutate";
import { answer, answerInProcess, describeMutant, judge, normaliseField, queriesFor, writeTemp, type Answers, type Outcome, type Queries } from "./oracle";

const EXAMPLES = join(__dirname, "../../examples");
const MUTANTS = Number(process.env.FUZZ_MUTANTS ?? 200);
/** Fixed by default: a CI run that fails must fail again on the same commit (explore with FUZZ_SEED=random). */
const SEED = process.env.FUZZ_SEED === "random" ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED ?? 20261202);
const ONLY = process.env.FUZZ_ONLY !== undefined ? Number(process.env.FUZZ_ONLY) : undefined;
/** Per command: generous for a shared 2-core machine; a quadratic path on a huge mutant takes far longer. */
const TIME_BOUND_MS = Number(process.env.FUZZ_TIME_BOUND_MS ?? 10_000);

interface Base {
  readonly label: string;
  readonly doc: Json;
  readonly paths: ReadonlyArray<readonly Segment[]>;
  readonly queries: Queries;
  answers?: Answers;
}

function bases(): Base[] {
  const out: Base[] = [];
  for (const name of fs.readdirSync(EXAMPLES).sort()) {
    const dir = join(EXAMPLES, name);
    if (!fs.statSync(dir).isDirectory() || !fs.existsSync(join(dir, "stack-export.json"))) continue;
    const queries = queriesFor(dir);
    for (const file of ["stack-export.json", "preview.json"]) {
      const f = join(dir, file);
      if (!fs.existsSync(f)) continue;
      const doc = JSON.parse(fs.readFileSync(f, "utf8")) as Json;
      out.push({ label: `${name}/${file}`, doc, paths: paths(doc), queries });
    }
  }
  return out;
}

jest.setTimeout(Math.max(120_000, MUTANTS * 2_000));

test(`fuzz: ${ONLY !== undefined ? `mutant ${ONLY}` : `${MUTANTS} mutants`} (seed ${SEED})`, async () => {
  // eslint-disable-next-line no-console
  console.log(`fuzz seed ${SEED} (reproduce: FUZZ_SEED=${SEED} FUZZ_MUTANTS=${MUTANTS} npx jest test/fuzz)`);
  const tmp = fs.mkdtempSync(join(os.tmpdir(), "ar-fuzz-"));
  const all = bases();
  expect(all.length).toBeGreaterThan(0);
  const counts = new Map<string, number>();
  const byKind = new Map<string, Map<Outcome, number>>();
  const failures: string[] = [];
  /** Deletions (and keys set to null) that changed a verdict without a diagnostic, by field: what isEdit lets through. */
  const edits = new Map<string, number>();
  const started = Date.now();
  try {
    for (const b of all) {
      b.answers = await answer(writeTemp(tmp, "base.json", b.doc), b.queries, TIME_BOUND_MS);
      // Both ways of asking agree on the unmutated plan.
      const inProcess = await answerInProcess(writeTemp(tmp, "base.json", b.doc), b.queries, TIME_BOUND_MS);
      expect([...inProcess.verdicts]).toEqual([...b.answers.verdicts]);
      expect({ base: b.label, breaks: b.answers.breaks, refused: b.answers.refused }).toEqual({ base: b.label, breaks: [], refused: undefined });
    }
    const from = ONLY ?? 0;
    const to = ONLY !== undefined ? ONLY + 1 : MUTANTS;
    for (let i = from; i < to; i++) {
      const seed = (SEED + i) >>> 0;
      const b = all[Math.floor(rng(seed ^ 0x9e3779b9)() * all.length)];
      const m = mutate(b.doc, seed, b.paths);
      const r = rng(seed ^ 0x85ebca6b);
      // CI asks each mutant one verify-flow and one trace question (every intent is checked); FUZZ_QUESTIONS=all asks all.
      const pick =
        process.env.FUZZ_QUESTIONS === "all"
          ? undefined
          : { verifyFlows: [Math.floor(r() * b.queries.verifyFlows.length)], traces: [Math.floor(r() * b.queries.traces.length)] };
      const file = writeTemp(tmp, "mutant.json", m.doc);
      // One mutant in ten (and every one with FUZZ_CLI=1) goes through the CLI's main, exit codes and output included.
      const viaCli = process.env.FUZZ_CLI === "1" || i % 10 === 0;
      const got = viaCli ? await answer(file, b.queries, TIME_BOUND_MS, pick) : await answerInProcess(file, b.queries, TIME_BOUND_MS, pick);
      let v = judge(m, b.answers!, got);
      if (v.outcome === "silent-change" && m.equivalent !== undefined) {
        // A list of copies of its first element: the verdicts must be those of the list of that element alone.
        const eqFile = writeTemp(tmp, "equivalent.json", m.equivalent);
        const eq = viaCli ? await answer(eqFile, b.queries, TIME_BOUND_MS, pick) : await answerInProcess(eqFile, b.queries, TIME_BOUND_MS, pick);
        const against = judge(m, eq, got);
        v = against.outcome === "same" ? { outcome: "changed-by-edit", detail: `${v.detail} (as the list of its first element alone)` } : { outcome: "silent-change", detail: `${v.detail}; against the list of its first element alone: ${against.detail}` };
      }
      counts.set(v.outcome, (counts.get(v.outcome) ?? 0) + 1);
      const k = byKind.get(m.kind) ?? new Map<Outcome, number>();
      k.set(v.outcome, (k.get(v.outcome) ?? 0) + 1);
      byKind.set(m.kind, k);
      if (v.outcome === "changed-by-edit") {
        const key = `${m.kind} ${m.field !== undefined ? normaliseField(m.field).join(".") : "(envelope)"}`;
        edits.set(key, (edits.get(key) ?? 0) + 1);
      }
      if (v.outcome === "broken" || v.outcome === "silent-change") {
        failures.push(`mutant ${i} (FUZZ_SEED=${SEED} FUZZ_ONLY=${i}) of ${b.label}: ${describeMutant(m)}: ${v.outcome}: ${v.detail}`);
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const figures = {
    seed: SEED,
    mutants: ONLY !== undefined ? 1 : MUTANTS,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    outcomes: Object.fromEntries([...counts].sort()),
    byKind: Object.fromEntries([...byKind].sort().map(([k, m]) => [k, Object.fromEntries([...m].sort())])),
    changedByEdit: Object.fromEntries([...edits].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))),
    failures,
  };
  // eslint-disable-next-line no-console
  console.log(JSON.stringify({ ...figures, changedByEdit: Object.fromEntries(Object.entries(figures.changedByEdit).slice(0, 20)), failures: failures.slice(0, 20) }, null, 2));
  if (process.env.FUZZ_REPORT) fs.writeFileSync(process.env.FUZZ_REPORT, JSON.stringify(figures, null, 2));
  expect(failures).toEqual([]);
});
