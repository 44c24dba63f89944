/**
 * Mermaid `flowchart LR` diagrams of an intent's path: the counterexample flow's hops as nodes (source, each NSG
 * met, each route used, destination), each edge labelled with what the hop it leaves decided. The edge that stops
 * the flow (a deny, a dropping route, a missing ingress) ends in a cross and is drawn red; the edge of an undecided
 * step is dotted and orange; the decisive allows of a flow that should not get through are drawn thick.
 *
 * Every label is escaped with `mermaidText`, so names and messages cannot break the diagram (quotes, `|`, `<`, `>`,
 * brackets, `#`, backticks and newlines are written as Mermaid entity codes).
 */
import { intentEnds, intentTraffic, joinCapped, shortenUrns } from "./blame";
import type { Evidence, IntentResult } from "./types";

const ENTITIES: Readonly<Record<string, string>> = {
  '"': "#quot;",
  "#": "#35;",
  "&": "#amp;",
  "<": "#lt;",
  ">": "#gt;",
  "|": "#124;",
  "`": "#96;",
  "[": "#91;",
  "]": "#93;",
  "{": "#123;",
  "}": "#125;",
  "\\": "#92;",
};

/** Text for a quoted Mermaid label: special characters as entity codes, line breaks as spaces. */
export function mermaidText(text: string): string {
  return text.replace(/\r\n|\r|\n/g, " ").replace(/["#&<>|`[\]{}\\]/g, (c) => ENTITIES[c] ?? c);
}

/** Longest label text kept (Mermaid lays out long labels badly); the rest becomes an ellipsis. */
const MAX_LABEL = 90;

function clip(text: string, max = MAX_LABEL): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export type NodeKind = "end" | "hop" | "blocked" | "unknown";
export type EdgeKind = "normal" | "decisive" | "blocked" | "unknown";

export interface DiagramNode {
  readonly id: string;
  /** Lines of the label (escaped when rendered). */
  readonly lines: readonly string[];
  readonly kind: NodeKind;
}

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
  readonly kind: EdgeKind;
}

export interface Diagram {
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
}

const ARROW: Readonly<Record<EdgeKind, string>> = { normal: "-->", decisive: "==>", blocked: "--x", unknown: "-.->" };
const LINK_STYLE: Partial<Record<EdgeKind, string>> = {
  blocked: "stroke:#c62828,stroke-width:2px",
  unknown: "stroke:#ef6c00,stroke-width:2px",
  decisive: "stroke:#1565c0,stroke-width:2px",
};

/** Renders a diagram as Mermaid source (no code fence). */
export function renderFlowchart(d: Diagram): string {
  const out = ["flowchart LR"];
  for (const n of d.nodes) {
    const label = `"${n.lines.filter((l) => l !== "").map((l) => mermaidText(clip(l))).join("<br/>")}"`;
    out.push(n.kind === "end" ? `  ${n.id}([${label}])` : `  ${n.id}[${label}]`);
  }
  d.edges.forEach((e) => {
    const label = e.label !== undefined && e.label !== "" ? `|"${mermaidText(clip(e.label))}"|` : "";
    out.push(`  ${e.from} ${ARROW[e.kind]}${label} ${e.to}`);
  });
  d.edges.forEach((e, i) => {
    const style = LINK_STYLE[e.kind];
    if (style) out.push(`  linkStyle ${i} ${style}`);
  });
  const blocked = d.nodes.filter((n) => n.kind === "blocked").map((n) => n.id);
  const unknown = d.nodes.filter((n) => n.kind === "unknown").map((n) => n.id);
  if (blocked.length > 0) out.push("  classDef blocked fill:#ffebee,stroke:#c62828", `  class ${blocked.join(",")} blocked`);
  if (unknown.length > 0) out.push("  classDef unknown fill:#fff3e0,stroke:#ef6c00", `  class ${unknown.join(",")} unknown`);
  return out.join("\n");
}

/** A hop of the path: a node, and what it decided (the label and kind of the edge that leaves it). */
interface Hop {
  lines: string[];
  kind: NodeKind;
  out?: { label: string; kind: EdgeKind };
}

function nsgHop(e: Extract<Evidence, { kind: "nsg-rule" }>): Hop {
  const where = e.appliedTo === "subnet" ? `subnet ${e.association.name}` : `NIC ${e.association.name}`;
  const prio = e.priority !== undefined ? ` (${e.priority})` : "";
  const verb = e.access === "Allow" ? "allow" : e.access === "Deny" ? "DENY" : "undecided";
  const kind: EdgeKind = e.access === "Deny" ? "blocked" : e.access === "Unknown" ? "unknown" : e.decisive ? "decisive" : "normal";
  return {
    lines: [`NSG ${e.nsg.name}`, `${where}, ${e.direction}`],
    kind: e.access === "Deny" ? "blocked" : e.access === "Unknown" ? "unknown" : "hop",
    out: { label: `${verb}: ${e.ruleNameCandidates ? `one of ${e.ruleNameCandidates.join(", ")}` : e.ruleName}${prio}`, kind },
  };
}

function routeHop(e: Extract<Evidence, { kind: "route" }>): Hop {
  const table = e.routeTable === "System Route" ? "System Route" : `${e.routeName ?? "route"} (${e.routeTable.name})`;
  const hop = `${e.nextHopType}${e.nextHopIpAddress ? ` ${e.nextHopIpAddress}` : ""}`;
  return { lines: [`route ${e.addressPrefix}`, table, `subnet ${e.subnet.name}`], kind: "hop", out: { label: hop, kind: e.decisive ? "decisive" : "normal" } };
}

/** The hops and the terminal stop (if any) of a counterexample, from its evidence in path order. */
function hopsOf(evidence: readonly Evidence[], delivered: boolean): { hops: Hop[]; stop?: { label: string; kind: EdgeKind }; exit?: string } {
  const hops: Hop[] = [];
  let stop: { label: string; kind: EdgeKind } | undefined;
  let exit: string | undefined;
  const last = (): Hop | undefined => hops[hops.length - 1];
  for (const e of evidence) {
    if (stop && stop.kind === "blocked") break;
    switch (e.kind) {
      case "nsg-rule": {
        const h = nsgHop(e);
        hops.push(h);
        if (h.out?.kind === "blocked") stop = h.out;
        break;
      }
      case "no-nsg":
        hops.push({ lines: ["no NSG", `${e.nic.name}, ${e.direction}`], kind: "hop", out: { label: "allow: no NSG", kind: e.decisive && delivered ? "decisive" : "normal" } });
        break;
      case "route":
        hops.push(routeHop(e));
        break;
      case "ingress":
        if (e.present) hops.push({ lines: ["ingress", e.text.replace(/^enters from outside through /, "")], kind: "hop", out: { label: "enters", kind: e.decisive ? "decisive" : "normal" } });
        else stop = { label: "no ingress: nothing lets traffic from outside in", kind: "blocked" };
        break;
      case "exited":
        if (delivered) exit = e.to === "Internet" ? "Internet" : e.to === "Service" ? "Azure service (service endpoint)" : "virtual network gateway";
        stop = { label: e.text, kind: delivered ? "decisive" : "blocked" };
        break;
      case "unknown":
        hops.push({ lines: ["undecided at preview", shortenUrns(e.causes.length > 0 ? joinCapped(e.causes, 1) : e.text)], kind: "unknown", out: { label: "undecided", kind: "unknown" } });
        break;
      case "appliance-no-forwarding":
        stop = { label: `dropped: IP forwarding disabled on ${e.nic.name}`, kind: "blocked" };
        break;
      case "firewall-rule":
        hops.push({ lines: ["Azure Firewall", e.firewall.name], kind: "hop", out: { label: `${e.access === "Allow" ? "allow" : "may allow"}: ${e.ruleName.split(" / ").pop() ?? e.ruleName}`, kind: e.decisive && delivered ? "decisive" : "normal" } });
        break;
      case "dropped":
      case "loop":
      case "no-host":
        stop = { label: e.text, kind: "blocked" };
        break;
    }
  }
  // A hop that stops the flow does not also label its own edge: the stop does.
  const l = last();
  if (stop && stop.kind === "blocked" && l?.out && l.out.kind !== "blocked" && l.out.kind !== "unknown") {
    if (l.lines[0]?.startsWith("route")) l.kind = "blocked";
    stop = { label: `${l.out.label}: ${stop.label}`, kind: stop.kind };
    l.out = undefined;
  }
  return { hops, ...(stop ? { stop } : {}), ...(exit ? { exit } : {}) };
}

/**
 * The path diagram of an intent result: the counterexample's hops when there is one, else the intent's two ends
 * joined by what is known (the unknown values of an undecided intent, the reason it cannot be checked).
 */
export function intentDiagram(r: IntentResult): Diagram {
  const cx = r.counterexample;
  if (!cx) {
    const ends = intentEnds(r) ?? { from: "from", to: "to" };
    const label =
      r.verdict === "indeterminate"
        ? `undecided: ${shortenUrns(joinCapped(r.unknowns ?? [r.message], 1))}`
        : r.error
          ? `cannot check: ${r.error}`
          : r.verdict === "pass"
            ? r.expect === "unreachable" || r.expect === "Deny"
              ? "no flow gets through"
              : "every flow gets through"
            : r.message;
    const kind: EdgeKind = r.verdict === "indeterminate" ? "unknown" : r.verdict === "fail" ? "blocked" : "normal";
    return {
      nodes: [
        { id: "n0", lines: [ends.from], kind: "end" },
        { id: "n1", lines: [ends.to, intentTraffic(r)], kind: "end" },
      ],
      edges: [{ from: "n0", to: "n1", label, kind }],
    };
  }
  const f = cx.flow;
  const delivered = cx.outcome === "delivered";
  const { hops, stop, exit } = hopsOf(cx.evidence, delivered);
  const nodes: DiagramNode[] = [];
  const edges: DiagramEdge[] = [];
  nodes.push({ id: "n0", lines: [cx.source?.name ?? "outside the VNets", `${f.protocol} ${f.sourceAddress}:${f.sourcePort}`], kind: "end" });
  let prev = "n0";
  let prevOut: { label: string; kind: EdgeKind } | undefined;
  hops.forEach((h, i) => {
    const id = `n${i + 1}`;
    nodes.push({ id, lines: h.lines, kind: h.kind });
    edges.push({ from: prev, to: id, ...(prevOut ? { label: prevOut.label } : {}), kind: prevOut?.kind ?? "normal" });
    prev = id;
    prevOut = h.out;
  });
  const dstName = exit ?? cx.destination?.name ?? "outside the VNets";
  const dstId = `n${hops.length + 1}`;
  nodes.push({ id: dstId, lines: [dstName, `${f.destinationAddress}:${f.destinationPort}`], kind: "end" });
  const finalOut = stop ?? prevOut ?? (delivered ? { label: "delivered", kind: "normal" as EdgeKind } : { label: "not delivered", kind: "blocked" as EdgeKind });
  edges.push({ from: prev, to: dstId, label: finalOut.label, kind: finalOut.kind });
  return { nodes, edges };
}

/** Mermaid source of an intent's path (no code fence). */
export function intentFlowchart(r: IntentResult): string {
  return renderFlowchart(intentDiagram(r));
}
