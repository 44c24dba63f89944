import { addressText, decidingRuleText, describeRoute, displayName, NO_ADMIN_RULE, ruleDoubtSuffix, type ChainEvaluation, type ForwardPath, type Hop, type TraceHop, type TraceResult } from "../answers/trace";
import type { FlowSet } from "../sets/flow-set";

/** The NSG decisions of a chain that concern these flows: "NSG web-nsg (subnet): Allow by securityRules/x". */
function nsgLines(chain: ChainEvaluation<FlowSet> | undefined, flows: FlowSet, label: string): string[] {
  if (!chain) return [];
  const admin = (chain.admin?.decisions ?? []).filter((d) => d.flows.overlaps(flows));
  // Security admin rules come first (docs/avnm.md); after a Deny or an AlwaysAllow no NSG is evaluated.
  const adminText = (d: (typeof admin)[number]): string => (d.rule.ruleName === NO_ADMIN_RULE ? "no rule matches, on to the NSGs" : `${d.outcome} by ${d.rule.ruleName}`);
  const adminLines = admin.length === 0 ? [] : [`${label}: security admin rules: ${[...new Set(admin.map(adminText))].join(", ")}`];
  const nsgSeen = chain.layers.some((l) => l.input.overlaps(flows));
  if (adminLines.length > 0 && !nsgSeen) return adminLines;
  if (chain.layers.length === 0) return [...adminLines, `${label}: no NSG`];
  const out: string[] = [...adminLines];
  for (const l of chain.layers) {
    const nsgName = typeof l.layer.nsg === "object" && "rules" in l.layer.nsg ? displayName(l.layer.nsg) : "(unknown NSG)";
    const decisions = l.decisions.filter((d) => d.flows.overlaps(flows));
    if (l.unknownNsg) {
      out.push(`${label}: NSG on the ${l.layer.appliedTo} is unknown at preview`);
      continue;
    }
    if (decisions.length === 0) continue;
    const what = decisions.map((d) => `${d.outcome} by ${d.outcome === "Unknown" ? d.rule.ruleName : decidingRuleText(d.rule, d.doubtful)}${d.outcome === "Unknown" ? "" : ruleDoubtSuffix(d.rule, d.doubtful)}`).filter((v, i, a) => a.indexOf(v) === i).join(", ");
    out.push(`${label}: NSG ${nsgName} (${l.layer.appliedTo === "subnet" ? "subnet" : "network interface"}): ${what}`);
  }
  return out;
}

/** The firewall's decisions that concern these flows: "firewall: Allow by policy p / ... / rule r". */
function firewallLines(h: Hop<FlowSet>, flows: FlowSet): string[] {
  const out: string[] = [];
  if (h.dnat) out.push(`firewall: DNAT by ${h.dnat.rule.ruleName}, translated to ${h.dnat.translated}`);
  if (!h.firewallDecisions) return out;
  const what = h.firewallDecisions
    .filter((d) => d.flows.overlaps(flows))
    .map((d) => `${d.outcome} by ${d.rule.ruleName}${d.outcome === "Unknown" && d.doubtful.length > 0 ? ` (unless ${d.doubtful.map((r) => r.ruleName).join(", ")} matches first)` : ""}`)
    .filter((v, i, a) => a.indexOf(v) === i);
  if (what.length > 0) out.push(`firewall: ${what.join(", ")}`);
  return out;
}

function hopLine(h: Hop<FlowSet>, json: TraceHop | undefined): string {
  const name = json?.name ?? h.type;
  const addr = json?.address ? ` ${json.address}` : "";
  const via = h.route && h.type !== "Source" ? `  via ${describeRoute(h.route.route)}` : "";
  const ingress = json?.ingress ? `\n         ingress: ${json.ingress}` : "";
  const egress = json?.egress ? `\n         egress: ${json.egress}` : "";
  return `${h.type} ${name}${addr}${via}${ingress}${egress}`;
}

function pathLines(result: TraceResult, path: ForwardPath<FlowSet>, index: number): string[] {
  const json = result.json.paths[index];
  const hopsById = new Map(result.json.hops.map((h) => [h.id, h]));
  const lines: string[] = [];
  const multi = result.json.paths.length > 1;
  const head = multi ? `  path ${index + 1}: ${addressText(path.flows.sources())} -> ${addressText(path.flows.destinations())}` : "  path:";
  lines.push(`${head}  [${json.fate}]`);
  path.hops.forEach((h, i) => {
    const tj = hopsById.get(json.hopIds[i]);
    lines.push(`    ${i + 1}. ${hopLine(h, tj)}`);
    const flows = h.translatedFlows ?? path.flows;
    for (const n of firewallLines(h, flows)) lines.push(`         ${n}`);
    for (const n of nsgLines(h.inbound, flows, "inbound")) lines.push(`         ${n}`);
    for (const n of nsgLines(h.outbound, flows, "outbound")) lines.push(`         ${n}`);
  });
  lines.push(`    => ${json.detail}`);
  return lines;
}

/** A person-readable trace: the verdict first, then each path hop by hop, then the issues and notes. */
export function formatTrace(result: TraceResult): string {
  const j = result.json;
  const ports = j.destinationPort !== undefined ? `:${j.destinationPort}` : "";
  const lines = [`Trace ${j.protocol} ${j.source.ref} -> ${j.destination.ref}${ports}${j.sourcePort !== undefined ? ` (source port ${j.sourcePort})` : ""}: ${j.connectionStatus}`];
  lines.push(`  from: ${result.from.addressNote ?? addressText(result.from.addresses)}`);
  lines.push(`  to:   ${result.to.addressNote ?? addressText(result.to.addresses)}`);
  result.forward.paths.forEach((p, i) => lines.push(...pathLines(result, p, i)));
  const issues = j.hops.flatMap((h) => h.issues.map((issue) => ({ h, issue })));
  if (issues.length > 0) lines.push("  issues:");
  for (const { h, issue } of issues) {
    const ctx = issue.context.map((c) => `${c.key}=${c.value}`).join("; ");
    lines.push(`    ${issue.severity} ${issue.type} (${issue.origin}) at ${h.type} ${h.name}: ${ctx}`);
  }
  // The endpoint notes are already in the header.
  for (const n of j.notes) if (n !== `source ${j.source.ref}: ${j.source.note}` && n !== `destination ${j.destination.ref}: ${j.destination.note}`) lines.push(`  note: ${n}`);
  return lines.join("\n");
}
