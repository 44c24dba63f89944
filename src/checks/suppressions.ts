/**
 * Suppressions: `{check, resource, reason}` from the configuration. A valid one marks the matching findings
 * `suppressed: {reason}` (they stay in the output); an invalid one becomes an `invalid-suppression` finding and is
 * not applied.
 *
 * Matching: `check` is a check name or id; `resource` is a URN, Pulumi logical name, Azure name or ARM id of any
 * resource the finding names, or a rule reference as the finding lists it (`<nsg>/securityRules/<rule>`).
 */
import { refersTo } from "../engine/find";
import { quote } from "../io/quote";
import type { Entity, Topology } from "../model/topology";
import { makeFinding } from "./helpers";
import { invalidSuppression } from "./invalid-suppression";
import type { Check, Finding, Suppression } from "./types";

export const MIN_REASON_LENGTH = 10;

export interface ValidatedSuppressions {
  readonly valid: readonly Suppression[];
  /** One `invalid-suppression` finding per suppression that is not applied. */
  readonly findings: readonly Finding[];
}

function entitiesByUrn(topo: Topology): Map<string, Entity[]> {
  const index = new Map<string, Entity[]>();
  const maps: ReadonlyArray<ReadonlyMap<string, Entity>> = [
    topo.vnets, topo.subnets, topo.nics, topo.nsgs, topo.asgs, topo.routeTables, topo.peerings, topo.vms, topo.publicIps, topo.gateways, topo.loadBalancers,
  ];
  for (const m of maps) {
    for (const e of m.values()) index.set(e.urn, [...(index.get(e.urn) ?? []), e]);
  }
  return index;
}

function checkMatches(check: Pick<Check, "id" | "name">, ref: string): boolean {
  return ref === check.name || ref.toUpperCase() === check.id.toUpperCase();
}

function urnsNamed(index: Map<string, Entity[]>, ref: string): string[] {
  return [...index.entries()].filter(([urn, es]) => urn === ref || es.some((e) => refersTo(e, ref))).map(([urn]) => urn);
}

export function validateSuppressions(suppressions: readonly Suppression[], topo: Topology, checks: readonly Check[]): ValidatedSuppressions {
  // Built only when an invalid suppression names resources: runChecks validates on every run, mostly none.
  let built: Map<string, Entity[]> | undefined;
  const index = (): Map<string, Entity[]> => (built ??= entitiesByUrn(topo));
  const valid: Suppression[] = [];
  const findings: Finding[] = [];
  suppressions.forEach((s, i) => {
    // Shape problems found on reading say it all: the checks below would only repeat them as "missing".
    const shaped = s.problems !== undefined && s.problems.length > 0;
    const problems: string[] = [...(s.problems ?? [])];
    const check = typeof s.check === "string" ? s.check.trim() : "";
    const resource = typeof s.resource === "string" ? s.resource.trim() : "";
    const reason = typeof s.reason === "string" ? s.reason.trim() : "";
    if (!shaped) {
      if (check === "") problems.push("no check named");
      else if (!checks.some((c) => checkMatches(c, check))) problems.push(`unknown check ${quote(check)} (known: ${checks.map((c) => c.name).join(", ")})`);
      if (resource === "") problems.push("no resource named");
      if (reason.length < MIN_REASON_LENGTH) problems.push(`reason ${JSON.stringify(reason)} is shorter than ${MIN_REASON_LENGTH} characters`);
    }
    if (problems.length === 0) {
      valid.push({ check, resource, reason });
      return;
    }
    findings.push(
      makeFinding(invalidSuppression, {
        severity: "medium",
        resources: resource === "" ? [] : urnsNamed(index(), resource),
        message: `suppression #${i + 1} (check ${check ? quote(check) : "?"}, resource ${resource ? quote(resource, 120) : "?"}): ${problems.join("; ")}; not applied`,
        details: { index: i, check, resource },
      }),
    );
  });
  return { valid, findings };
}

function resourceMatches(f: Finding, ref: string, index: Map<string, Entity[]>): boolean {
  if (f.rules?.includes(ref)) return true;
  return f.resources.some((urn) => urn === ref || (index.get(urn) ?? []).some((e) => refersTo(e, ref)));
}

/** Marks each finding matched by a (valid) suppression; the first matching suppression's reason is kept. */
export function applySuppressions(findings: readonly Finding[], suppressions: readonly Suppression[], topo: Topology): Finding[] {
  if (suppressions.length === 0) return [...findings];
  const index = entitiesByUrn(topo);
  return findings.map((f) => {
    if (f.check === invalidSuppression.name) return f;
    const s = suppressions.find((x) => checkMatches({ id: f.id, name: f.check }, x.check) && resourceMatches(f, x.resource, index));
    return s ? { ...f, suppressed: { reason: s.reason } } : f;
  });
}
