/**
 * Findings aggregated across NSGs (issue 19 point 4, "one per check and NSG or rule template"): a plan stamped from a
 * few templates repeats one finding in every NSG stamped from the same template, so grouping by NSG
 * (finding-groups.ts) still gives one group per stamp, thousands at L. A template is what such findings share:
 * their check, severity, suppression, and the names of the rules they are about with the NSG left out
 * (`nsg-spoke7-app/securityRules/allow-ssh-jump` is rule `allow-ssh-jump` of NSG `nsg-spoke7-app`); rules that are
 * not an NSG's (a security admin rule) are kept whole. Findings about no rule (a NIC's flow count, a route) share
 * their check's template of that severity, as the policy pack's aggregated violations do.
 *
 * Names are the stamp's identity here, not the rules' content: two NSGs' rules of one name may say different things.
 * The template says so ("rule X in N NSGs"), and every finding stays in `findings` and its NSG's group.
 */
import type { Finding, FindingSeverity } from "../checks/types";
import { aggregateFindings, subjectOf } from "./finding-groups";

/** How many findings and subjects a template shows. */
const TEMPLATE_EXAMPLES = 3;

export interface FindingTemplate {
  readonly check: string;
  readonly id: string;
  readonly severity: FindingSeverity;
  /** `rule <name>` (or `rules <name>, <name>`) for findings about rules, else `(no rule)`. */
  readonly template: string;
  readonly count: number;
  /** Distinct subjects (`NSG <name>`, else the first resource) of its findings, as finding groups name them. */
  readonly subjects: number;
  /** How many of those subjects are NSGs. */
  readonly nsgs: number;
  /** The first few of those subjects, in report order. */
  readonly firstSubjects: readonly string[];
  /** The first findings' messages, in report order. */
  readonly examples: readonly string[];
  readonly suppressed?: { readonly reason: string };
}

const NSG_RULE = /^(.+?)\/(default)?[sS]ecurityRules\/(.+)$/;

/** A rule's name without the NSG it is in; a rule of something else (an admin rule) as it is. */
export function ruleTemplateName(rule: string): string {
  const m = NSG_RULE.exec(rule);
  return m === null ? rule : `${m[2] !== undefined ? "default " : ""}${m[3]}`;
}

/** What a finding's template says of it: its rules without their NSG, or `(no rule)`. */
export function templateOf(f: Finding): string {
  const rules = f.rules ?? [];
  if (rules.length === 0) return "(no rule)";
  return `${rules.length === 1 ? "rule" : "rules"} ${rules.map(ruleTemplateName).join(", ")}`;
}

/** The templates, each with its first finding, in the findings' order (each where its first finding stands). */
export function templatesWithFirst(findings: readonly Finding[], examples = TEMPLATE_EXAMPLES): Array<{ template: FindingTemplate; first: Finding }> {
  return aggregateFindings(findings, templateOf, subjectOf, examples).map(({ first, count, members, examples: shown }) => {
    const subjects = [...members];
    return {
      first,
      template: {
        check: first.check,
        id: first.id,
        severity: first.severity,
        template: templateOf(first),
        count,
        subjects: subjects.length,
        nsgs: subjects.filter((x) => x.startsWith("NSG ")).length,
        firstSubjects: subjects.slice(0, examples),
        examples: shown,
        ...(first.suppressed ? { suppressed: first.suppressed } : {}),
      },
    };
  });
}

export function findingTemplates(findings: readonly Finding[], examples = TEMPLATE_EXAMPLES): FindingTemplate[] {
  return templatesWithFirst(findings, examples).map(({ template }) => template);
}
