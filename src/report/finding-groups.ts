/**
 * Findings aggregated for readers: one group per check and subject (the NSG a rule finding is about, else the
 * finding's first resource), severity and suppression, with the count and the first few findings. A plan stamped
 * from a few templates yields thousands of findings that say the same thing about the same NSG; the groups say it
 * once. `check --all-findings` prints every finding, and the JSON report keeps `findings` (every one) beside
 * `findingGroups`. Groups split by severity and suppression as the policy pack's aggregated violations do
 * (policy-pack/policies/finding-violations.ts), so the two never disagree on what a group holds.
 */
import type { Finding, FindingSeverity } from "../checks/types";

/** How many findings a group shows. */
const GROUP_EXAMPLES = 3;

export interface FindingGroup {
  readonly check: string;
  readonly id: string;
  readonly severity: FindingSeverity;
  /** "NSG <name>" for findings about rules, else the first resource's URN. */
  readonly subject: string;
  readonly count: number;
  /** Distinct first resources of the group's findings. */
  readonly resources: number;
  /** The first findings' messages, in report order. */
  readonly examples: readonly string[];
  readonly suppressed?: { readonly reason: string };
}

/** The NSG a rule finding is about: `<nsg>/securityRules/<rule>` names it. */
export function subjectOf(f: Finding): string {
  const rule = f.rules?.[0];
  if (rule !== undefined) {
    const cut = rule.search(/\/(default)?[sS]ecurityRules\//);
    if (cut > 0) return `NSG ${rule.slice(0, cut)}`;
  }
  return f.resources[0] ?? "(plan)";
}

/** The groups, in the findings' order (each where its first finding stands). */
export function groupFindings(findings: readonly Finding[], examples = GROUP_EXAMPLES): FindingGroup[] {
  return groupsWithFirst(findings, examples).map(({ group }) => group);
}

/** Findings that share a key: the first, how many, the distinct values of `memberOf`, the first messages. */
export interface Aggregate {
  readonly first: Finding;
  readonly count: number;
  readonly members: ReadonlySet<string>;
  readonly examples: readonly string[];
}

/**
 * Findings aggregated by `keyOf` within one check, severity and suppression (groups and templates alike), in the
 * findings' order (each aggregate where its first finding stands).
 */
export function aggregateFindings(findings: readonly Finding[], keyOf: (f: Finding) => string, memberOf: (f: Finding) => string | undefined, examples: number): Aggregate[] {
  const out = new Map<string, { first: Finding; count: number; members: Set<string>; examples: string[] }>();
  for (const f of findings) {
    const key = `${f.id}\0${keyOf(f)}\0${f.severity}\0${f.suppressed ? f.suppressed.reason : ""}`;
    let a = out.get(key);
    if (a === undefined) {
      a = { first: f, count: 0, members: new Set(), examples: [] };
      out.set(key, a);
    }
    a.count++;
    const member = memberOf(f);
    if (member !== undefined) a.members.add(member);
    if (a.examples.length < examples) a.examples.push(f.message);
  }
  return [...out.values()];
}

/** The same, each with its first finding (a group of one is shown as that finding). */
export function groupsWithFirst(findings: readonly Finding[], examples = GROUP_EXAMPLES): Array<{ group: FindingGroup; first: Finding }> {
  return aggregateFindings(findings, subjectOf, (f) => f.resources[0], examples).map(({ first, count, members, examples: shown }) => ({
    first,
    group: {
      check: first.check,
      id: first.id,
      severity: first.severity,
      subject: subjectOf(first),
      count,
      resources: members.size,
      examples: shown,
      ...(first.suppressed ? { suppressed: first.suppressed } : {}),
    },
  }));
}
