/**
 * Runs one plan file through `check`, `verify-flow` and `trace` in-process (the CLI's main) and compares a
 * mutant's answers with the unmutated plan's. The rule (issue 13): no exit 3, no stack trace, an answer within a
 * time bound, and no verdict that differs unless a diagnostic names the mutated resource and field.
 */
import * as fs from "fs";
import { join } from "path";
import { main } from "../../src/cli/main";
import type { Io } from "../../src/cli/output";
import type { Diagnostic } from "../../src/model/diagnostic";
import { readResourceFile } from "../../src/resources/detect";
import { buildTopology } from "../../src/adapters/azure-native";
import { isUnknown } from "../../src/model/unknown";
import { collectIntents, runCheck } from "../../src/check-run/run";
import { reporterFor } from "../../src/check-run/reporters";
import { runChecks } from "../../src/checks";
import { UsageError } from "../../src/cli/errors";
import { loadInput } from "../../src/cli/input";
import { findNic } from "../../src/engine/find";
import { ipFlowVerify } from "../../src/answers/ip-flow-verify";
import { trace } from "../../src/answers/trace";
import { readIntentsFile } from "../../src/intents/parse";
import type { Intent } from "../../src/intents/types";
import { fieldText, getAt, type Json, type Mutant, type Segment } from "./mutate";

export interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  readonly ms: number;
}

export async function run(argv: string[]): Promise<Run> {
  let out = "";
  let err = "";
  const io: Io = { out: (t) => void (out += t.endsWith("\n") ? t : `${t}\n`), err: (t) => void (err += t.endsWith("\n") ? t : `${t}\n`) };
  const t = process.hrtime.bigint();
  const code = await main(argv, io);
  return { code, out, err, ms: Number(process.hrtime.bigint() - t) / 1e6 };
}

/** The questions asked of every plan of one example. */
export interface Queries {
  readonly intents: string;
  readonly verifyFlows: ReadonlyArray<readonly string[]>;
  readonly traces: ReadonlyArray<readonly string[]>;
}

/** Verify-flow and trace questions from the example's own NICs (their static addresses in the stack export). */
export function queriesFor(exampleDir: string): Queries {
  const read = readResourceFile(join(exampleDir, "stack-export.json"));
  if (!read.ok) throw new Error(read.error);
  const topo = buildTopology(read.records);
  const nics = [...topo.nics.values()]
    .map((n) => ({ name: n.logicalName, ip: n.ipConfigurations.find((c) => c.primary)?.privateIpAddress }))
    .filter((n): n is { name: string; ip: string } => typeof n.ip === "string" && !isUnknown(n.ip))
    .slice(0, 3);
  const verifyFlows: string[][] = [];
  for (const n of nics.slice(0, 2)) {
    for (const port of ["22", "443"]) verifyFlows.push(["--nic", n.name, "--direction", "Inbound", "--protocol", "TCP", "--local", `${n.ip}:${port}`, "--remote", "203.0.113.9:50000"]);
    verifyFlows.push(["--nic", n.name, "--direction", "Outbound", "--protocol", "TCP", "--local", `${n.ip}:50000`, "--remote", "13.107.21.200:443"]);
  }
  const traces: string[][] = [];
  if (nics.length >= 2) {
    traces.push(["--from", nics[0].name, "--to", nics[1].name, "--protocol", "TCP", "--port", "443"]);
    traces.push(["--from", nics[1].name, "--to", nics[0].name, "--protocol", "TCP", "--port", "22"]);
  }
  return { intents: join(exampleDir, "intents.json"), verifyFlows, traces };
}

/** What a plan answers: one verdict per question, or why the plan was refused. */
export interface Answers {
  /** Question -> verdict text; absent when the plan as a whole was refused (exit 2). */
  readonly verdicts: ReadonlyMap<string, string>;
  readonly diagnostics: readonly Diagnostic[];
  /** Question -> what its verdict says in words (an intent's message), where there is more than the verdict. */
  readonly explanations?: ReadonlyMap<string, string>;
  /** Exit 2 with a one-line reason (refused input): no verdicts to compare. */
  readonly refused?: string;
  /** Rule breaks: exit 3, a stack trace, too slow, a multi-line refusal. */
  readonly breaks: readonly string[];
  readonly ms: number;
}

/**
 * The same questions through the functions behind the commands (loadInput, runChecks, runCheck and the JSON
 * reporter, findNic + ipFlowVerify, trace), the plan read once: what `check`, `verify-flow` and `trace` do, at a
 * third of the cost, so a CI run affords a few hundred mutants. A UsageError is the CLI's exit 2 (a refusal);
 * any other throw is its exit 3 (a break).
 */
export async function answerInProcess(file: string, q: Queries, timeBoundMs: number, pick?: Pick): Promise<Answers> {
  const verdicts = new Map<string, string>();
  const explanations = new Map<string, string>();
  const breaks: string[] = [];
  const t0 = process.hrtime.bigint();
  const elapsed = (): number => Number(process.hrtime.bigint() - t0) / 1e6;
  let diagnostics: readonly Diagnostic[] = [];
  const intents = intentsOf(q.intents);
  let stage = "read";
  try {
    const loaded = await loadInput(file, {});
    diagnostics = loaded.diagnostics;
    stage = "check";
    const collected = collectIntents(intents, q.intents, loaded.records);
    const findings = runChecks(loaded.env, {});
    const report = runCheck({ env: loaded.env, intents: collected.intents, intentSources: collected.sources, input: file, diagnostics: loaded.diagnostics, findings });
    JSON.parse(reporterFor("json")!(report));
    for (const r of report.results) verdicts.set(`intent ${r.name}`, r.verdict);
    for (const r of report.results) explanations.set(`intent ${r.name}`, r.message);
    // An intent's own message (its selector matches nothing, ...) names a resource as well as a diagnostic does.
    diagnostics = [...diagnostics, ...report.results.map((r): Diagnostic => ({ code: "intent-result", severity: "info", resource: "", message: r.message }))];
    const vfs = pick ? pick.verifyFlows.map((i) => q.verifyFlows[i]).filter((a) => a !== undefined) : q.verifyFlows;
    const trs = pick ? pick.traces.map((i) => q.traces[i]).filter((a) => a !== undefined) : q.traces;
    for (const args of vfs) {
      stage = `verify-flow ${args.join(" ")}`;
      const opt = (k: string): string => args[args.indexOf(k) + 1];
      const nic = findNic(loaded.topology, opt("--nic"));
      if (!nic.ok) {
        verdicts.set(stage, "no such NIC");
        continue;
      }
      const [lip, lport] = opt("--local").split(":");
      const [rip, rport] = opt("--remote").split(":");
      const a = ipFlowVerify(loaded.env, { nic: nic.value, direction: opt("--direction") as "Inbound" | "Outbound", protocol: "TCP", localIp: lip, localPort: Number(lport), remoteIp: rip, remotePort: Number(rport) });
      verdicts.set(stage, a.ok ? `${a.result.access} ${a.result.ruleName ?? ""}` : "refused");
    }
    for (const args of trs) {
      stage = `trace ${args.join(" ")}`;
      const opt = (k: string): string => args[args.indexOf(k) + 1];
      const a = trace(loaded.env, { from: opt("--from"), to: opt("--to"), protocol: "TCP", port: Number(opt("--port")) }, { gatewayPrefixes: [] });
      verdicts.set(stage, a.ok ? a.result.json.connectionStatus : "refused");
    }
  } catch (e) {
    if (e instanceof UsageError) return { verdicts, explanations, diagnostics, refused: e.message, breaks, ms: elapsed() };
    const message = e instanceof Error ? `${e.name}: ${e.message.split("\n")[0].slice(0, 200)}` : String(e);
    breaks.push(`${stage}: would exit 3: ${message}`);
  }
  const ms = elapsed();
  if (ms > timeBoundMs) breaks.push(`${Math.round(ms)} ms, over the ${timeBoundMs} ms bound`);
  // What the CLI would print: no message may carry a stack trace (the CLI path checks its whole output).
  const traced = diagnostics.find((d) => STACK_LINE.test(d.message) || (d.value !== undefined && STACK_LINE.test(d.value)));
  if (traced !== undefined) breaks.push(`stack trace in a message: ${traced.code} ${traced.message.slice(0, 120)}`);
  return { verdicts, explanations, diagnostics, breaks, ms };
}

const INTENTS = new Map<string, readonly Intent[]>();

function intentsOf(file: string): readonly Intent[] {
  let got = INTENTS.get(file);
  if (got === undefined) {
    const parsed = readIntentsFile(file);
    if (!parsed.ok) throw new Error(parsed.errors.join("; "));
    got = parsed.intents;
    INTENTS.set(file, got);
  }
  return got;
}

const STACK_LINE = /^\s+at .+\(.*:\d+:\d+\)$/m;

/** Which verify-flow and trace questions to ask (indices into Queries); all when absent. */
export interface Pick {
  readonly verifyFlows: readonly number[];
  readonly traces: readonly number[];
}

export async function answer(file: string, q: Queries, timeBoundMs: number, pick?: Pick): Promise<Answers> {
  const verdicts = new Map<string, string>();
  const explanations = new Map<string, string>();
  const breaks: string[] = [];
  let diagnostics: Diagnostic[] = [];
  let total = 0;
  const judge = (label: string, r: Run): boolean => {
    total += r.ms;
    if (r.code === 3) breaks.push(`${label}: exit 3: ${r.err.trim().slice(0, 200)}`);
    if (STACK_LINE.test(r.err) || STACK_LINE.test(r.out)) breaks.push(`${label}: stack trace in output`);
    if (r.err.includes("internal error") || r.out.includes("internal error")) breaks.push(`${label}: internal error reported`);
    if (r.ms > timeBoundMs) breaks.push(`${label}: ${Math.round(r.ms)} ms, over the ${timeBoundMs} ms bound`);
    return r.code === 0 || r.code === 1;
  };

  const check = await run(["check", file, "--intents", q.intents, "--format", "json"]);
  if (!judge("check", check)) {
    if (check.code === 2) {
      const lines = check.err.trim().split("\n");
      const refusal = lines[lines.length - 1] ?? "";
      if (!refusal.startsWith("azure-reachability: ")) breaks.push(`check: exit 2 without a one-line reason: ${check.err.slice(0, 200)}`);
      return { verdicts, diagnostics, refused: refusal, breaks, ms: total };
    }
    return { verdicts, diagnostics, breaks, ms: total };
  }
  try {
    const report = JSON.parse(check.out) as { results: Array<{ name: string; verdict: string; message: string }>; diagnostics?: Diagnostic[] };
    for (const r of report.results) verdicts.set(`intent ${r.name}`, r.verdict);
    for (const r of report.results) explanations.set(`intent ${r.name}`, r.message);
    diagnostics = [...(report.diagnostics ?? []), ...report.results.map((r): Diagnostic => ({ code: "intent-result", severity: "info", resource: "", message: r.message }))];
  } catch {
    breaks.push("check: --format json output is not JSON");
  }
  const vfs = pick ? pick.verifyFlows.map((i) => q.verifyFlows[i]).filter((a) => a !== undefined) : q.verifyFlows;
  const trs = pick ? pick.traces.map((i) => q.traces[i]).filter((a) => a !== undefined) : q.traces;
  for (const args of vfs) {
    const r = await run(["verify-flow", file, ...args, "--json"]);
    const label = `verify-flow ${args.join(" ")}`;
    if (!judge(label, r)) {
      verdicts.set(label, `exit ${r.code}`);
      continue;
    }
    const json = JSON.parse(r.out) as { access: string; ruleName?: string | null };
    verdicts.set(label, `${json.access} ${json.ruleName ?? ""}`);
  }
  for (const args of trs) {
    const r = await run(["trace", file, ...args, "--json"]);
    const label = `trace ${args.join(" ")}`;
    if (!judge(label, r)) {
      verdicts.set(label, `exit ${r.code}`);
      continue;
    }
    const json = JSON.parse(r.out) as { connectionStatus: string };
    verdicts.set(label, json.connectionStatus);
  }
  return { verdicts, explanations, diagnostics, breaks, ms: total };
}

/** `securityRules[allow-ssh].priority` and `securityRules[0].priority` both become `securityRules[].priority`. */
export function normaliseField(field: string): string[] {
  const out: string[] = [];
  let i = 0;
  let cur = "";
  while (i < field.length) {
    const c = field[i];
    if (c === ".") {
      if (cur !== "") out.push(cur);
      cur = "";
      i++;
    } else if (c === "[") {
      if (cur !== "") out.push(cur);
      cur = "";
      const close = field.indexOf("]", i);
      out.push("[]");
      i = close < 0 ? field.length : close + 1;
    } else {
      cur += c;
      i++;
    }
  }
  if (cur !== "") out.push(cur);
  return out;
}

function prefixRelated(a: readonly string[], b: readonly string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

function suffixRelated(longer: readonly string[], tail: readonly string[]): boolean {
  if (tail.length > longer.length) return false;
  const off = longer.length - tail.length;
  for (let i = 0; i < tail.length; i++) if (longer[off + i] !== tail[i]) return false;
  return true;
}

/** The URN's logical name: diagnostics on other resources name a deleted or renamed one by it or by its id. */
function logicalName(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i >= 0 ? urn.slice(i + 2) : urn;
}

/** Field names too common in messages to say which field a message is about. */
const GENERIC = new Set(["name", "names", "type", "location", "properties", "value", "values"]);

/** Whether some diagnostic names the mutated resource and field (or, for the envelope, the resource). */
export function named(m: Mutant, diagnostics: readonly Diagnostic[]): boolean {
  if (m.urn === undefined) return diagnostics.length > 0;
  const urn = m.urn;
  const names = [logicalName(urn), ...(m.names ?? [])].filter((n) => n.length > 0);
  const mentioned = (text: string | undefined): boolean => text !== undefined && (names.some((n) => text.includes(n)) || (m.slot !== undefined && text.includes(m.slot)));
  if (m.envelope || m.field === undefined) {
    // A resource removed, renamed or retyped: a diagnostic on it, or one on whatever referred to it, or (removed) one
    // on what it referred to (a commit deleted: its configuration is said to be deployed nowhere, seed 28000 mutant 1864).
    const referred = new Set(m.refersTo ?? []);
    return diagnostics.some((d) => d.resource === urn || mentioned(d.message) || mentioned(d.value) || mentioned(d.resource) || mentioned(d.field) || (m.kind === "delete" && d.code !== "intent-result" && referred.has(d.resource)));
  }
  // A diagnostic that quotes the mutated string itself (a child renamed, and the references to its old name reported
  // as naming none of the new ones: seeds 24000 mutant 2809, 36000 mutant 3974) speaks of the mutation, wherever it
  // is reported.
  const now = getAt(m.doc, m.path);
  // (Only values the mutation made: a new spelling, a new type, a reference made dangling or pointed elsewhere.)
  const novel = m.kind === "unicode" || m.kind === "retype" || m.kind === "dangling" || m.kind === "cycle";
  if (novel && typeof now === "string" && now.length >= 4 && now.length <= 60 && diagnostics.some((d) => d.code !== "intent-result" && (d.message.includes(now) || (d.value ?? "").includes(now)))) return true;
  const mutated = normaliseField(m.field);
  const last = [...mutated].reverse().find((x) => x !== "[]") ?? "";
  // An undecided verdict cites its Unknowns as "<urn> .<field>": one on the mutated resource and field names it.
  const causes = diagnostics.filter((d) => d.code === "intent-result").flatMap((d) => [...d.message.matchAll(/(urn:pulumi:[^\s;]+) \.([^\s;(]+)/g)]);
  if (causes.some(([, u, f]) => u === urn && prefixRelated(normaliseField(f!), mutated))) return true;
  // A diagnostic on the resource whose message names the mutated field by its own name ("both sourceAddressPrefix
  // and sourceAddressPrefixes are set"), or, for a path parameter (`securityRuleName`), names the resource's name.
  const word = new RegExp(`(^|[^A-Za-z])${last.replace(/[^A-Za-z0-9]/g, "")}([^A-Za-z]|$)`);
  if (last.length > 4 && !GENERIC.has(last) && diagnostics.some((d) => d.resource === urn && d.code !== "intent-result" && word.test(d.message))) return true;
  if (mutated.length === 1 && /Name$/.test(last) && diagnostics.some((d) => d.resource === urn && d.field !== undefined && /(^|\.)name$/.test(d.field))) return true;
  // A standalone child (SecurityRule, Route, Subnet) is reported on its parent, as `routes[<name>].nextHopType`:
  // the resource is then named in the field or message, and the field ends with the mutated one.
  return diagnostics.some((d) => {
    if (d.field === undefined) return false;
    const f = normaliseField(d.field);
    if (d.resource === urn && prefixRelated(f, mutated)) return true;
    const mentions = d.resource === urn || mentioned(d.message) || mentioned(d.field);
    return mentions && (prefixRelated(f, mutated) || suffixRelated(f, mutated));
  });
}

export type Outcome = "same" | "changed-and-named" | "renamed-and-shown" | "changed-by-edit" | "refused" | "silent-change" | "broken";

function valueAt(doc: Json, path: readonly Segment[]): Json | undefined {
  let v: Json | undefined = doc;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = Array.isArray(v) ? v[seg as number] : (v as { [k: string]: Json })[seg as string];
  }
  return v;
}

/**
 * A resource renamed (its `name` or the `*Name` path parameter Azure names it by) whose verdicts change because they
 * name it: the verdict shows the new name, so the change is not silent (fuzz seed 20261202 mutant 3515: an AVNM
 * configuration renamed at preview; the intent expecting `securityAdminRules/baseline/...` now fails, saying it was
 * decided by `securityAdminRules/b\u0130aseline/...`). Every changed verdict must quote the new name.
 */
export function renamedAndShown(m: Mutant, got: Answers, changed: readonly string[]): boolean {
  if (m.field === undefined || m.envelope) return false;
  const field = normaliseField(m.field);
  if (field.length !== 1 || !(field[0] === "name" || /Name$/.test(field[0]))) return false;
  const now = valueAt(m.doc, m.path);
  if (typeof now !== "string" || now.trim().length === 0 || (m.names ?? []).includes(now)) return false;
  return changed.every((q) => (got.verdicts.get(q) ?? "").includes(now) || (got.explanations?.get(q) ?? "").includes(now));
}

/**
 * Deleting a field or a list element inside a resource usually leaves a valid plan (an optional field absent, one
 * rule fewer): its verdicts may change without a diagnostic. It is still held to every other rule (no exit 3, no
 * stack trace, on time). Deleting a whole resource is not an edit: whatever referred to it must say so.
 * A key set to null is the same as a key deleted.
 */
export function isEdit(m: Mutant): boolean {
  if (m.wholeResource === true) return false;
  // A key set to null reads as absent (Pulumi and ARM both treat null as "not set"); a null list element does not.
  return m.kind === "delete" || (m.kind === "null" && typeof m.path[m.path.length - 1] === "string");
}

export interface Verdict {
  readonly outcome: Outcome;
  readonly detail: string;
}

export function judge(m: Mutant, base: Answers, got: Answers): Verdict {
  if (got.breaks.length > 0) return { outcome: "broken", detail: got.breaks.join("; ") };
  if (got.refused !== undefined) return { outcome: "refused", detail: got.refused };
  const changed: string[] = [];
  const changedQuestions: string[] = [];
  // Only the questions the mutant was asked (a CI run asks a few of them per mutant).
  for (const [q, now] of got.verdicts) {
    const v = base.verdicts.get(q);
    if (v !== undefined && now !== v) {
      changed.push(`${q}: ${v} -> ${now}`);
      changedQuestions.push(q);
    }
  }
  if (changed.length === 0) return { outcome: "same", detail: "" };
  if (named(m, got.diagnostics)) return { outcome: "changed-and-named", detail: changed.join("; ") };
  if (renamedAndShown(m, got, changedQuestions)) return { outcome: "renamed-and-shown", detail: changed.join("; ") };
  if (isEdit(m)) return { outcome: "changed-by-edit", detail: changed.join("; ") };
  const seen = got.diagnostics.slice(0, 6).map((d) => `${d.code} ${d.resource.slice(d.resource.lastIndexOf("::") + 2)} ${d.field ?? ""}`);
  return { outcome: "silent-change", detail: `${changed.join("; ")} [diagnostics: ${seen.join(", ") || "none"}]` };
}

export function describeMutant(m: Mutant): string {
  return `${m.kind} at ${fieldText(m.path as Segment[])} (${m.urn ?? "no resource"}${m.field !== undefined ? ` field ${m.field}` : ""}): ${m.description}`;
}

export function writeTemp(dir: string, name: string, doc: unknown): string {
  const f = join(dir, name);
  fs.writeFileSync(f, JSON.stringify(doc));
  return f;
}
