import type { NextHopResult } from "../answers/next-hop";

/** A person-readable next hop answer: the next hop first, then the route that decided it. */
export function formatNextHop(nicRef: string, source: string, destination: string, r: NextHopResult): string {
  const lines = [`Next hop  ${source} -> ${destination}  from ${nicRef}`, `  next hop type:    ${r.nextHopType}`];
  if (r.nextHopIpAddress) lines.push(`  next hop address: ${r.nextHopIpAddress}`);
  if (r.routeTableId) lines.push(`  route table:      ${r.routeTableId}`);
  if (r.addressPrefix !== undefined) lines.push(`  route:            ${r.routeName ? `${r.routeName} ` : ""}${r.addressPrefix} (${r.source === "Default" ? "system" : r.source === "User" ? "user-defined" : "gateway"} route)`);
  for (const u of r.unknowns ?? []) lines.push(`  unknown:          ${u}`);
  for (const n of r.notes ?? []) lines.push(`  note:             ${n}`);
  return lines.join("\n");
}
