/**
 * Hygiene findings as the pack reports them: one violation per finding while a check has few, else one per check
 * (and level) with a count and the first few, so the AnalyzeStack answer stays small at any size.
 *
 * Why: since CLI v3.221 a Node pack runs behind the Node language host's policy proxy, whose gRPC client keeps the
 * default 4 MiB receive limit; @pulumi/policy repeats the policy's description in every diagnostic. One violation
 * per finding made the answer about 16 MB at the benchmark's M estate (26,640 findings), and the real preview
 * failed with RESOURCE_EXHAUSTED. `azure-reachability check` lists every finding.
 */
import type { Finding } from "../../src/checks/types";
import type { EnforcementLevel, Violation } from "./violation";

/** A check with more findings than this is reported as one violation. */
export const FINDINGS_PER_CHECK = 10;
/** How many findings an aggregated violation shows. */
export const SHOWN_IN_AGGREGATE = 5;
/** A finding's text in an aggregate is cut to this many characters. */
const MAX_LINE = 400;

export function findingMessage(f: Finding): string {
  const head = `[${f.severity}] ${f.check} (${f.id}): ${f.message}`;
  return f.suppressed ? `suppressed (${f.suppressed.reason}): ${head}` : head;
}

/**
 * The violations of these findings, in the findings' order (each group where its first finding stands).
 * `levelOf` gives a finding's enforcement level (undefined: none of its own, the policy's level applies);
 * suppressed findings are never grouped with enforced ones. Each violation carries the findings' severity.
 */
export function findingViolations(findings: readonly Finding[], levelOf: (f: Finding) => EnforcementLevel | undefined): Violation[] {
  const groups = new Map<string, { level: EnforcementLevel | undefined; findings: Finding[] }>();
  for (const f of findings) {
    const level = levelOf(f);
    const key = `${f.check}\0${f.severity}\0${level ?? ""}\0${f.suppressed ? "s" : ""}`;
    const group = groups.get(key);
    if (group) group.findings.push(f);
    else groups.set(key, { level, findings: [f] });
  }
  const out: Violation[] = [];
  for (const { level, findings: list } of groups.values()) {
    if (list.length <= FINDINGS_PER_CHECK) out.push(...list.map((f) => single(f, level)));
    else out.push(aggregate(list, level));
  }
  return out;
}

function single(f: Finding, level: EnforcementLevel | undefined): Violation {
  return { message: findingMessage(f), ...(f.resources[0] ? { urn: f.resources[0] } : {}), ...(level ? { enforcementLevel: level } : {}), severity: f.severity };
}

function aggregate(list: readonly Finding[], level: EnforcementLevel | undefined): Violation {
  const [first] = list;
  const shown = list.slice(0, SHOWN_IN_AGGREGATE).map((f) => `- ${cut(f.message)}`);
  const resources = new Set(list.flatMap((f) => f.resources.slice(0, 1))).size;
  const head =
    `[${first.severity}] ${first.check} (${first.id}): ${list.length.toLocaleString("en-US")} findings on ` +
    `${resources.toLocaleString("en-US")} resource${resources === 1 ? "" : "s"} (run \`azure-reachability check\` on the plan for every one); the first ${shown.length}:`;
  const lines = [first.suppressed ? `suppressed (${first.suppressed.reason}): ${head}` : head, ...shown, `- and ${(list.length - shown.length).toLocaleString("en-US")} more`];
  return { message: lines.join("\n"), ...(first.resources[0] ? { urn: first.resources[0] } : {}), ...(level ? { enforcementLevel: level } : {}), severity: first.severity };
}

function cut(s: string): string {
  return s.length <= MAX_LINE ? s : `${s.slice(0, MAX_LINE - 1)}…`;
}
