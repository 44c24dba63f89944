import type { EffectiveRulesResult, EffectiveSecurityRule } from "../answers/effective-security-rules";

function addr(r: EffectiveSecurityRule, side: "source" | "destination"): string {
  const rec = r as unknown as Record<string, string | string[] | undefined>;
  const v = rec[`${side}AddressPrefix`] ?? rec[`${side}AddressPrefixes`];
  return Array.isArray(v) ? v.join(",") : (v ?? "");
}

function ports(r: EffectiveSecurityRule, side: "source" | "destination"): string {
  const rec = r as unknown as Record<string, string | string[] | undefined>;
  const v = rec[`${side}PortRange`] ?? rec[`${side}PortRanges`];
  return Array.isArray(v) ? v.join(",") : (v ?? "");
}

/** A table per NSG, in evaluation order, like the portal's effective security rules view. */
function table(rules: readonly EffectiveSecurityRule[]): string[] {
  const header = ["prio", "name", "dir", "access", "proto", "source", "sport", "destination", "dport"];
  const rows = rules.map((r) => [String(r.priority), r.name, r.direction, r.access, r.protocol, addr(r, "source"), ports(r, "source"), addr(r, "destination"), ports(r, "destination")]);
  const widths = header.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((row) => row[i].length))));
  const fmt = (row: string[]): string => "  " + row.map((c, i) => (c.length > widths[i] ? c.slice(0, widths[i] - 1) + "…" : c.padEnd(widths[i]))).join("  ").trimEnd();
  return [fmt(header), ...rows.map(fmt)];
}

export function formatEffectiveRules(nicRef: string, result: EffectiveRulesResult): string {
  const admin = result.securityAdminRules ?? [];
  if (result.value.length === 0 && admin.length === 0) return `Effective security rules of ${nicRef}: no NSG on the NIC or its subnet (all traffic allowed)`;
  const lines = [`Effective security rules of ${nicRef}`];
  if (admin.length > 0) {
    // Listed first: Virtual Network Manager evaluates them before every NSG (docs/avnm.md).
    lines.push("", "Security admin rules (Virtual Network Manager; evaluated before the NSGs)");
    lines.push(...table(admin));
    for (const r of admin) for (const u of r.unknowns ?? []) lines.push(`  unknown in ${r.name}: ${u}`);
  }
  if (result.value.length === 0) lines.push("", "no NSG on the NIC or its subnet");
  for (const g of result.value) {
    const where = g.association.subnet ? `subnet ${g.association.subnet.id}` : `network interface ${g.association.networkInterface?.id ?? ""}`;
    lines.push("", `NSG ${g.networkSecurityGroup.id}`, `  applied to ${where}`);
    lines.push(...table(g.effectiveSecurityRules));
    const tags = Object.entries(g.tagMap);
    if (tags.length > 0) {
      lines.push("  tags here:");
      for (const [tag, cidrs] of tags) lines.push(`    ${tag} = ${cidrs.length > 6 ? `${cidrs.slice(0, 6).join(", ")} … (${cidrs.length} prefixes)` : cidrs.join(", ")}`);
    }
    for (const r of g.effectiveSecurityRules) for (const u of r.unknowns ?? []) lines.push(`  unknown in ${r.name}: ${u}`);
  }
  return lines.join("\n");
}
