/**
 * Network Watcher's next hop, from the plan: the route that wins for one destination address of traffic leaving
 * a NIC, as `{nextHopType, nextHopIpAddress, routeTableId}`. routeTableId is the route table of a user route and
 * "System Route" otherwise (network-watcher/next-hop-overview.md: "If the route is defined using a user-defined
 * route, next hop returns the route table that has the route. Otherwise, it returns System Route").
 * The engine selects the routes (engine/effective-routes.ts, routing.ts) and decides by cases (cases.ts,
 * route-cases.ts); this is the one place that asks it the question and shapes the answer (issue 14 point 6).
 */
import type { Nic, Topology } from "../model/topology";
import { describeUnknown, isUnknown, type Unknown } from "../model/unknown";
import { parseIpAddress } from "../sets/ip";
import { IpSet } from "../sets/ip-set";
import { routeCases } from "../engine/route-cases";
import { decideByCases, someCases, subnetCases, type TopologyCase } from "../engine/cases";
import { effectiveRoutesForNic, type RouteQueryOptions } from "../engine/effective-routes";
import { displayName } from "../engine/find";
import { routeTableIdOf, SYSTEM_ROUTE } from "../engine/dispositions";
import { refusalReasonText, type Refusal } from "../engine/refusal";
import { reservedAddressReason } from "../engine/reserved";
import { describeRoute, selectRoute, type EffectiveNextHopType, type EffectiveRoute, type RouteSource } from "../engine/routing";
import { nicAddresses, primaryIpConfig } from "../engine/topology-queries";

export interface NextHopRequest {
  readonly nic: Nic;
  readonly sourceIp: string;
  readonly destinationIp: string;
}

export interface NextHopResult {
  /** "Indeterminate" when values unknown at preview decide the route (see `unknowns`). */
  readonly nextHopType: EffectiveNextHopType | "Indeterminate";
  readonly nextHopIpAddress: string | null;
  /** The route table's ARM id (its URN when the id is unknown at preview), or "System Route". */
  readonly routeTableId: string | null;
  /** Extensions: the winning route. */
  readonly routeName?: string | null;
  readonly addressPrefix?: string;
  readonly source?: RouteSource;
  readonly unknowns?: string[];
  readonly notes?: string[];
}

/** A refusal names the input at fault as data (refusal.ts); answers/refusal.ts renders it. */
export type NextHopOutcome = { ok: true; result: NextHopResult } | { ok: false; refusal: Refusal };

function fromRoute(route: EffectiveRoute, notes: string[]): NextHopResult {
  const hopIp = route.nextHopIpAddress;
  const unknowns: Unknown[] = [isUnknown(route.nextHopType) ? route.nextHopType : undefined, isUnknown(hopIp) ? hopIp : undefined].filter((u): u is Unknown => u !== undefined);
  return {
    nextHopType: isUnknown(route.nextHopType) ? "Indeterminate" : route.nextHopType,
    nextHopIpAddress: typeof hopIp === "string" && route.nextHopType === "VirtualAppliance" ? hopIp : null,
    routeTableId: routeTableIdOf(route),
    routeName: route.name,
    addressPrefix: route.addressPrefixText,
    source: route.source,
    ...(unknowns.length > 0 ? { unknowns: unknowns.map(describeUnknown) } : {}),
    ...(notes.length > 0 ? { notes } : {}),
  };
}

/**
 * Next hop; an answer left undecided (or refused) because a NIC's subnet is an ambiguous reference at preview is
 * decided by cases (cases.ts): the same next hop in every candidate plan is the answer, with a note; when the cases
 * disagree it is Indeterminate, naming them. A case where the source is not the NIC's address is not the plan the
 * question is about, and is left out.
 */
export function nextHop(topo: Topology, req: NextHopRequest, options: RouteQueryOptions = {}): NextHopOutcome {
  const first = nextHopOnce(topo, req, options);
  if (first.ok && first.result.nextHopType !== "Indeterminate") return first;
  const cases = subnetCases(topo);
  if (!cases) return first;
  const outcomes = new Map<TopologyCase, NextHopOutcome>();
  for (const c of cases.cases) {
    const nic = c.topo.nics.get(req.nic.key);
    if (nic) outcomes.set(c, nextHopOnce(c.topo, { ...req, nic }, options));
  }
  const possible = someCases(cases, (c) => {
    const o = outcomes.get(c);
    return o !== undefined && (o.ok || o.refusal.input !== "source");
  });
  if (possible.cases.length === 0) return first;
  const left = cases.cases.length - possible.cases.length;
  const leftOut = left > 0 ? [`${left} of ${cases.cases.length} cases left out: there ${req.sourceIp} is not an address of network interface ${displayName(req.nic)}`] : [];
  const decision = decideByCases(possible, (c) => outcomes.get(c) as NextHopOutcome, nextHopVerdict, "Indeterminate");
  if (decision.kind === "same" && decision.result.ok) {
    const r = decision.result.result;
    return { ok: true, result: { ...r, notes: [...(r.notes ?? []), decision.note, ...leftOut] } };
  }
  if (decision.kind !== "disagree") return first;
  const subnet = primaryIpConfig(req.nic)?.subnetKey;
  const unknowns = first.ok ? (first.result.unknowns ?? []) : isUnknown(subnet) ? [describeUnknown(subnet)] : [refusalReasonText(first.refusal)];
  return { ok: true, result: { nextHopType: "Indeterminate", nextHopIpAddress: null, routeTableId: null, unknowns, notes: [decision.note, ...leftOut] } };
}

type RouteDecision = { kind: "same"; result: NextHopResult } | { kind: "disagree"; note: string } | { kind: "unknown" };

/** An undecided route decided by cases (route-cases.ts): the same next hop from every possible winner is the answer. */
function byRouteCases(routes: readonly EffectiveRoute[], candidates: readonly EffectiveRoute[], destination: string, notes: readonly string[]): RouteDecision {
  const cases = routeCases(routes, candidates, IpSet.fromAddress(destination));
  if (!cases) return { kind: "unknown" };
  const sure = (r: EffectiveRoute): boolean => !isUnknown(r.nextHopType) && !isUnknown(r.nextHopIpAddress);
  const verdict = (r: EffectiveRoute): string => (sure(r) ? nextHopVerdict({ ok: true, result: fromRoute(r, []) }) : "Indeterminate");
  const verdicts = new Set(cases.cases.map((c) => verdict(c.route)));
  // Next hop's answer names the route table too: the cases agree when that is the same as well.
  if (cases.agree && cases.fallback && verdicts.size === 1) {
    const note = `decided by cases: the winning route is one of ${cases.cases.map((c) => c.label).join("; ")}, and every one gives next hop ${verdict(cases.fallback)}`;
    return { kind: "same", result: fromRoute(cases.fallback, [...notes, note]) };
  }
  return verdicts.size > 1 ? { kind: "disagree", note: `the cases disagree: ${cases.cases.map((c) => `${c.label}: ${verdict(c.route)}`).join("; ")}` } : { kind: "unknown" };
}

/** "VirtualAppliance 10.0.0.4 (<route table id>)", "Indeterminate", or "refused (...)": what cases compare. */
function nextHopVerdict(o: NextHopOutcome): string {
  if (!o.ok) return `refused (${refusalReasonText(o.refusal)})`;
  const r = o.result;
  if (r.nextHopType === "Indeterminate") return "Indeterminate";
  return `${r.nextHopType}${r.nextHopIpAddress ? ` ${r.nextHopIpAddress}` : ""} (${r.routeTableId ?? SYSTEM_ROUTE})`;
}

function nextHopOnce(topo: Topology, req: NextHopRequest, options: RouteQueryOptions): NextHopOutcome {
  const src = parseIpAddress(req.sourceIp);
  if (!src.ok) return { ok: false, refusal: { input: "source", reason: src.error } };
  const dst = parseIpAddress(req.destinationIp);
  if (!dst.ok) return { ok: false, refusal: { input: "destination", reason: dst.error } };
  // Network Watcher requires the source to be an address of the NIC (a dynamic one: any address it may get).
  // An address Azure reserves in a subnet is no NIC's (issue 12, point 3): refused with the reason.
  const reserved = reservedAddressReason(topo, req.sourceIp);
  if (reserved) return { ok: false, refusal: { input: "source", reason: `${reserved}, so it is not an address of network interface ${displayName(req.nic)}` } };
  const addrs = nicAddresses(topo, req.nic);
  if (!addrs.may.contains(req.sourceIp)) {
    const known = addrs.may.isEmpty() ? "none known" : addrs.may.toString();
    return { ok: false, refusal: { input: "source", reason: `${req.sourceIp} is not an address of network interface ${displayName(req.nic)} (its addresses: ${known})` } };
  }
  const routes = effectiveRoutesForNic(topo, req.nic, options);
  if (!routes.ok) return { ok: false, refusal: { reason: routes.error } };
  const notes = [...routes.routes.notes];
  const selection = selectRoute(routes.routes.routes, IpSet.fromAddress(req.destinationIp));
  const part = selection.parts[0];
  if (part) return { ok: true, result: fromRoute(part.route, notes) };
  const undecided = selection.undecided[0];
  if (undecided) {
    const byCases = byRouteCases(routes.routes.routes, undecided.candidates, req.destinationIp, notes);
    if (byCases.kind === "same") return { ok: true, result: byCases.result };
    return {
      ok: true,
      result: {
        nextHopType: "Indeterminate",
        nextHopIpAddress: null,
        routeTableId: null,
        unknowns: undecided.causes.map(describeUnknown),
        notes: [...notes, `the winning route depends on: ${undecided.candidates.map(describeRoute).join("; ")}`, ...(byCases.kind === "disagree" ? [byCases.note] : [])],
      },
    };
  }
  return {
    ok: true,
    result: { nextHopType: "None", nextHopIpAddress: null, routeTableId: SYSTEM_ROUTE, notes: [...notes, `no route covers ${req.destinationIp}: the traffic is dropped`] },
  };
}
