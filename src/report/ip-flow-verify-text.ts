import { NO_ADMIN_RULE, type IpFlowVerifyResult } from "../answers/ip-flow-verify";

/** A person-readable IP flow verify answer: the verdict first, then each NSG evaluated. */
export function formatIpFlowVerify(r: IpFlowVerifyResult): string {
  const f = r.flow;
  const arrow = r.direction === "Inbound" ? `${f.remoteIPAddress}:${f.remotePort} -> ${f.localIPAddress}:${f.localPort}` : `${f.localIPAddress}:${f.localPort} -> ${f.remoteIPAddress}:${f.remotePort}`;
  const lines = [`IP flow verify  ${r.direction} ${f.protocol} ${arrow}  at ${r.networkInterface.name}`, `  access:   ${r.access}`];
  if (r.ruleNameCandidates) {
    lines.push(`  rule:     one of ${r.ruleNameCandidates.join(", ")} (the access is the same; which rule matches depends on: ${(r.ruleNameUnknowns ?? []).join("; ") || "values unknown at preview"})`);
  } else if (r.ruleName) lines.push(`  rule:     ${r.ruleName}`);
  if (r.note) lines.push(`  note:     ${r.note}`);
  const a = r.securityAdminRule;
  if (a) {
    // Evaluated before the NSGs (docs/avnm.md): Deny and AlwaysAllow end the evaluation.
    const what = a.access === "Deny" ? "Deny (the NSGs are not evaluated)" : a.access === "AlwaysAllow" ? "AlwaysAllow (the NSGs are not evaluated)" : a.access === "Allow" ? "Allow, on to the NSGs" : "Indeterminate";
    const doubt = a.undecidedRules ? ` (may instead match: ${a.undecidedRules.join(", ")})` : "";
    const by = a.ruleName === NO_ADMIN_RULE ? "no rule matches, on to the NSGs" : `${what} by ${a.ruleName}`;
    lines.push(`  0. security admin rules of the VNet: ${by}${doubt}`);
  }
  r.nsgs.forEach((n, i) => {
    const where = n.appliedTo === "subnet" ? "subnet" : "network interface";
    const rule = n.ruleName ? ` by ${n.ruleName}` : "";
    const doubt = n.undecidedRules ? ` (may instead match: ${n.undecidedRules.join(", ")})` : "";
    lines.push(`  ${i + 1}. NSG ${n.networkSecurityGroup.name} on the ${where} ${n.association.name}: ${n.access}${rule}${doubt}`);
  });
  if (r.access === "Deny" && r.nsgs.length > r.nsgs.findIndex((n) => n.access === "Deny") + 1) {
    lines.push("     (later NSGs are not evaluated once one denies)");
  }
  for (const u of r.unknowns ?? []) lines.push(`  unknown:  ${u}`);
  return lines.join("\n");
}
