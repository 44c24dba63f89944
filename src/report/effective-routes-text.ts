import type { EffectiveRoutesJson } from "../answers/effective-routes";

/** The effective routes as the portal lists them: one row per route, Invalid ones included. */
export function formatEffectiveRoutes(nicRef: string, r: EffectiveRoutesJson): string {
  const where = r.subnet ? ` (subnet ${r.subnet.name}${r.routeTableId ? `, route table ${r.routeTableId}` : ", no route table"})` : "";
  const lines = [`Effective routes of ${nicRef}${where}`];
  const header = ["source", "state", "address prefix", "next hop type", "next hop IP", "name"];
  const rows = r.value.map((v) => [v.source, v.state, v.addressPrefix.join(","), v.nextHopType, v.nextHopIpAddress.join(","), v.name ?? ""]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const fmt = (row: string[]): string => "  " + row.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  lines.push(fmt(header), ...rows.map(fmt));
  for (const v of r.value) if (v.note) lines.push(`  ${v.state === "Invalid" ? "invalid" : "note"}: ${v.addressPrefix.join(",")} ${v.nextHopType}: ${v.note}`);
  for (const u of r.unknowns ?? []) lines.push(`  unknown: ${u}`);
  for (const n of r.notes ?? []) lines.push(`  note: ${n}`);
  return lines.join("\n");
}
