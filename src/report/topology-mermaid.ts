/**
 * The picture of the plan a pull request comment carries (`check --format markdown`), whatever the verdicts:
 * reviewers look at it to see what the change builds and where each intent's traffic goes.
 *
 * A Mermaid `flowchart LR`: each VNet a box (a subgraph holding its subnets, with their prefix, NSG, route table
 * and NICs, appliances named), peerings as dotted links between VNets, the outside (the Internet, service tags,
 * addresses outside every VNet) as round nodes, and one arrow per intent from its source to its destination (ending
 * in a cross when the intent says nothing may get through), green when it holds, red when it fails, orange and
 * dotted when undecided. On a large plan (more than
 * SKETCH_LIMITS.subnets subnets) the VNets are drawn as single nodes with counts, and intents between the same two
 * nodes share one arrow that counts them; past SKETCH_LIMITS.vnets VNets only the ones the intents touch and the
 * most peered are drawn, and the picture says how many are left out. Labels are escaped (mermaidText).
 */
import type { Nic, Subnet, Topology } from "../model/topology";
import { isUnknown } from "../model/unknown";
import { IpSet } from "../sets/ip-set";
import { connectedPeerings, displayName, findEntity } from "../answers/topology";
import { mermaidText } from "./mermaid";
import type { IntentResult, Place, SketchVnet, TopologySketch, Verdict } from "./types";

export type { Place, SketchVnet, TopologySketch } from "./types";

export const SKETCH_LIMITS = { subnets: 30, vnets: 40, edges: 40, appliances: 3 } as const;

function prefixText(space: unknown, fallback: readonly string[] = []): string {
  if (fallback.length > 0) return fallback.join(", ");
  return isUnknown(space) || space === undefined ? "prefix unknown" : String(space);
}

function nameOf(map: ReadonlyMap<string, { logicalName: string; azureName: unknown; key: string }>, key: unknown): string | undefined {
  if (key === null || key === undefined) return undefined;
  if (isUnknown(key)) return "unknown";
  const e = map.get(key as string);
  return e ? displayName(e as Parameters<typeof displayName>[0]) : undefined;
}

/** The sketch of a topology (what the markdown report draws). */
export function topologySketch(topo: Topology): TopologySketch {
  const subnetIds = new Map<string, string>();
  const vnetIds = new Map<string, string>();
  const nicsBySubnet = new Map<string, Nic[]>();
  for (const nic of topo.nics.values()) {
    const cfg = nic.ipConfigurations.find((c) => c.primary) ?? nic.ipConfigurations[0];
    if (cfg && typeof cfg.subnetKey === "string") nicsBySubnet.set(cfg.subnetKey, [...(nicsBySubnet.get(cfg.subnetKey) ?? []), nic]);
  }
  const vnets: SketchVnet[] = [];
  let n = 0;
  for (const v of topo.vnets.values()) {
    const id = `v${vnetIds.size}`;
    vnetIds.set(v.key, id);
    let nics = 0;
    // A subnet knows its VNet (standalone subnets are not always listed in the VNet's own keys).
    const subnets = [...topo.subnets.values()].filter((s) => s.vnetKey === v.key).flatMap((s) => {
      const sid = `s${n++}`;
      subnetIds.set(s.key, sid);
      const members = nicsBySubnet.get(s.key) ?? [];
      nics += members.length;
      return [{ id: sid, lines: subnetLines(topo, s, members) }];
    });
    vnets.push({ id, lines: [displayName(v), prefixText(v.addressSpace, v.addressPrefixes)], subnets, nics });
  }
  const peerings: Array<{ a: string; b: string; both: boolean }> = [];
  const seen = new Map<string, { a: string; b: string; both: boolean }>();
  for (const v of topo.vnets.values()) {
    for (const { remote } of connectedPeerings(topo, v.key)) {
      if (isUnknown(remote) || !remote) continue;
      const a = vnetIds.get(v.key);
      const b = vnetIds.get(remote.key);
      if (!a || !b || a === b) continue;
      const key = [a, b].sort().join("~");
      const prev = seen.get(key);
      if (prev) prev.both = true;
      else {
        const p = { a, b, both: false };
        seen.set(key, p);
        peerings.push(p);
      }
    }
  }
  const subnetPlace = (s: Subnet): Place[] => {
    const id = subnetIds.get(s.key);
    const vnet = typeof s.vnetKey === "string" ? vnetIds.get(s.vnetKey) : undefined;
    return id && vnet ? [{ kind: "subnet", id, vnet }] : [];
  };
  const nicPlaces = (nics: readonly Nic[]): Place[] =>
    nics.flatMap((nic) => nic.ipConfigurations.flatMap((c) => (typeof c.subnetKey === "string" && topo.subnets.has(c.subnetKey) ? subnetPlace(topo.subnets.get(c.subnetKey) as Subnet) : [])));
  const place = (sel: Readonly<Record<string, unknown>> | undefined): Place[] => {
    if (!sel) return [];
    const [kind, value] = Object.entries(sel)[0] ?? [];
    const ref = typeof value === "string" ? value : "";
    switch (kind) {
      case "subnet": {
        const f = findEntity(topo.subnets, ref, "subnet");
        return f.ok ? subnetPlace(f.value) : [];
      }
      case "vnet": {
        const f = findEntity(topo.vnets, ref, "virtual network");
        const id = f.ok ? vnetIds.get(f.value.key) : undefined;
        return id ? [{ kind: "vnet", id }] : [];
      }
      case "nic": {
        const f = findEntity(topo.nics, ref, "network interface");
        return f.ok ? nicPlaces([f.value]) : [];
      }
      case "vm": {
        const f = findEntity(topo.vms, ref, "virtual machine");
        return f.ok ? nicPlaces([...topo.nics.values()].filter((x) => x.vmKey === f.value.key)) : [];
      }
      case "cidr":
      case "ip": {
        let set: IpSet | undefined;
        try {
          set = ref.includes("/") ? IpSet.fromCidr(ref) : IpSet.fromAddress(ref);
        } catch {
          set = undefined;
        }
        const inside = set ? [...topo.subnets.values()].filter((s) => !isUnknown(s.addressSpace) && s.addressSpace !== undefined && s.addressSpace.overlaps(set as IpSet)) : [];
        return inside.length > 0 ? inside.flatMap(subnetPlace) : [{ kind: "outside", label: ref }];
      }
      case "serviceTag":
        return [{ kind: "outside", label: ref }];
      default:
        return [{ kind: "outside", label: `${kind ?? "?"} ${typeof value === "string" ? value : JSON.stringify(value)}` }];
    }
  };
  return { vnets, peerings, place: (sel) => dedupe(place(sel)) };
}

function dedupe(places: readonly Place[]): Place[] {
  const key = (p: Place): string => (p.kind === "outside" ? `o:${p.label}` : `${p.kind}:${p.id}`);
  return [...new Map(places.map((p) => [key(p), p])).values()];
}

function subnetLines(topo: Topology, s: Subnet, nics: readonly Nic[]): string[] {
  const nsg = nameOf(topo.nsgs, s.nsgKey);
  const rt = nameOf(topo.routeTables, s.routeTableKey);
  const appliances = nics.filter((x) => x.ipForwarding === true).map((x) => displayName(x));
  const shown = appliances.slice(0, SKETCH_LIMITS.appliances).join(", ") + (appliances.length > SKETCH_LIMITS.appliances ? ", ..." : "");
  return [
    `${displayName(s)} ${prefixText(s.addressSpace)}`,
    [nsg ? `NSG ${nsg}` : "no NSG", rt ? `routes ${rt}` : ""].filter((x) => x !== "").join(", "),
    `${nics.length} NIC${nics.length === 1 ? "" : "s"}${appliances.length > 0 ? `; appliance ${shown}` : ""}`,
  ];
}

const VERDICT_STYLE: Readonly<Record<Verdict, string>> = {
  pass: "stroke:#2e7d32,stroke-width:2px",
  fail: "stroke:#c62828,stroke-width:2px",
  indeterminate: "stroke:#ef6c00,stroke-width:2px,stroke-dasharray:4 3",
};
const WORD: Readonly<Record<Verdict, string>> = { pass: "pass", fail: "FAIL", indeterminate: "undecided" };

function label(lines: readonly string[]): string {
  return `"${lines.filter((l) => l !== "").map((l) => mermaidText(l.length > 80 ? `${l.slice(0, 79)}…` : l)).join("<br/>")}"`;
}

/** The ends of an intent's arrow(s): source and destination places. */
function intentPlaces(sketch: TopologySketch, r: IntentResult): { from: readonly Place[]; to: readonly Place[] } | undefined {
  if (r.reach) return { from: sketch.place(r.reach.from), to: sketch.place(r.reach.to) };
  const f = r.ipFlowVerify;
  if (!f) return undefined;
  const nic = sketch.place({ nic: f.nic });
  const remote = sketch.place({ ip: f.remote.replace(/:\d+$/, "").replace(/^\[|\]$/g, "") });
  return f.direction === "Inbound" ? { from: remote, to: nic } : { from: nic, to: remote };
}

/** Mermaid source of the plan with the intents' arrows (no code fence), and a note when it was summarised. */
export function topologyFlowchart(sketch: TopologySketch, results: readonly IntentResult[]): { source: string; note?: string } {
  const subnets = sketch.vnets.reduce((acc, v) => acc + v.subnets.length, 0);
  const summary = subnets > SKETCH_LIMITS.subnets;
  // The node an intent's place is drawn at: a subnet, or its VNet when summarised.
  const nodeOf = (p: Place, outside: Map<string, string>): string => {
    if (p.kind === "outside") {
      let id = outside.get(p.label);
      if (!id) {
        id = `x${outside.size}`;
        outside.set(p.label, id);
      }
      return id;
    }
    return summary && p.kind === "subnet" ? p.vnet : p.id;
  };
  const outside = new Map<string, string>();
  const arrows = new Map<string, { from: string; to: string; results: IntentResult[] }>();
  for (const r of results) {
    const ends = intentPlaces(sketch, r);
    if (!ends) continue;
    for (const a of ends.from) {
      for (const b of ends.to) {
        const from = nodeOf(a, outside);
        const to = nodeOf(b, outside);
        const key = `${from}>${to}`;
        const arrow = arrows.get(key) ?? { from, to, results: [] };
        arrow.results.push(r);
        arrows.set(key, arrow);
      }
    }
  }
  // Which VNets to draw: all, or (past the cap) those the intents touch, then the most peered.
  const vnetOfNode = new Map<string, string>();
  for (const v of sketch.vnets) {
    vnetOfNode.set(v.id, v.id);
    for (const s of v.subnets) vnetOfNode.set(s.id, v.id);
  }
  let vnets = sketch.vnets;
  let leftOut = 0;
  if (vnets.length > SKETCH_LIMITS.vnets) {
    const touched = new Set([...arrows.values()].flatMap((a) => [vnetOfNode.get(a.from), vnetOfNode.get(a.to)]).filter((x): x is string => x !== undefined));
    const degree = new Map<string, number>();
    for (const p of sketch.peerings) for (const x of [p.a, p.b]) degree.set(x, (degree.get(x) ?? 0) + 1);
    const rank = (v: SketchVnet): number => (touched.has(v.id) ? 1e9 : 0) + (degree.get(v.id) ?? 0);
    const keep = new Set([...vnets].sort((x, y) => rank(y) - rank(x)).slice(0, SKETCH_LIMITS.vnets).map((v) => v.id));
    leftOut = vnets.length - keep.size;
    vnets = vnets.filter((v) => keep.has(v.id));
  }
  const drawn = new Set(vnets.flatMap((v) => [v.id, ...v.subnets.map((s) => s.id)]));
  const out = ["flowchart LR"];
  for (const v of vnets) {
    if (summary) {
      out.push(`  ${v.id}[${label([...v.lines, `${v.subnets.length} subnet${v.subnets.length === 1 ? "" : "s"}, ${v.nics} NIC${v.nics === 1 ? "" : "s"}`])}]`);
      continue;
    }
    out.push(`  subgraph ${v.id}[${label(v.lines)}]`);
    for (const s of v.subnets) out.push(`    ${s.id}[${label(s.lines)}]`);
    out.push("  end");
  }
  for (const [text, id] of outside) out.push(`  ${id}([${label([text])}])`);
  const styles: string[] = [];
  let edge = 0;
  for (const p of sketch.peerings) {
    if (!drawn.has(p.a) || !drawn.has(p.b)) continue;
    out.push(`  ${p.a} -.-|${label([p.both ? "peered" : "peered one way"])}| ${p.b}`);
    edge++;
  }
  const shownArrows = [...arrows.values()].filter((a) => (drawn.has(a.from) || a.from.startsWith("x")) && (drawn.has(a.to) || a.to.startsWith("x")));
  const capped = shownArrows.slice(0, SKETCH_LIMITS.edges);
  for (const a of capped) {
    const worst: Verdict = a.results.some((r) => r.verdict === "fail") ? "fail" : a.results.some((r) => r.verdict === "indeterminate") ? "indeterminate" : "pass";
    const text =
      a.results.length === 1
        ? `${a.results[0].name}: ${WORD[a.results[0].verdict]}`
        : (["fail", "indeterminate", "pass"] as const)
            .map((v) => [v, a.results.filter((r) => r.verdict === v).length] as const)
            .filter(([, k]) => k > 0)
            .map(([v, k]) => `${k} ${WORD[v]}`)
            .join(", ");
    // An arrow ending in a cross: the intents say no flow may get through (expect unreachable or Deny).
    const blocked = a.results.every((r) => r.expect === "unreachable" || r.expect === "Deny");
    const arrow = worst === "indeterminate" ? (blocked ? "-.-x" : "-.->") : blocked ? "--x" : "-->";
    out.push(`  ${a.from} ${arrow}|${label([text])}| ${a.to}`);
    styles.push(`  linkStyle ${edge} ${VERDICT_STYLE[worst]}`);
    edge++;
  }
  out.push(...styles);
  const notes: string[] = [];
  if (summary) notes.push(`${subnets} subnets: drawn per VNet`);
  if (leftOut > 0) notes.push(`${leftOut} VNets not drawn (those the intents do not touch, least peered first)`);
  if (shownArrows.length > capped.length) notes.push(`${shownArrows.length - capped.length} intent arrows not drawn`);
  return { source: out.join("\n"), ...(notes.length > 0 ? { note: notes.join("; ") } : {}) };
}
