/**
 * The trace answer: Network Watcher's connection troubleshoot shape `{connectionStatus, hops[{type, id, address,
 * resourceId, nextHopIds, issues[{origin, severity, type, context[{key, value}]}]}]}`
 * (network-watcher/connection-troubleshoot-overview.md; networkWatcher.json ConnectivityInformation), plus the
 * paths walked, built here from the engine's walk (engine/trace.ts) and nowhere else (issue 14 point 6). Also the
 * texts that describe its parts, as reporters read them (report/trace-text.ts).
 */
import type { Subnet } from "../model/topology";
import { isUnknown } from "../model/unknown";
import type { FlowSet } from "../sets/flow-set";
import type { RoutingOptions } from "../engine/effective-routes";
import { displayName, idOrUrn } from "../engine/find";
import { dispositionText } from "../engine/dispositions";
import { fateOf, innermost, type ForwardResult, type Hop, type HopType } from "../engine/forward";
import type { EngineEnv } from "../engine/nsg";
import { addressText, trace as walkTrace, traceRefusalText, type ConnectionStatus, type Endpoint, type TraceIssue, type TraceProtocol, type TraceRequest, type TraceWalk } from "../engine/trace";
import { inputFlag } from "./refusal";

export type { ForwardPath, Hop } from "../engine/forward";
export type { ChainEvaluation } from "../engine/nsg";
export { NO_ADMIN_RULE } from "../engine/admin-rules";
export { decidingRuleText, ruleDoubtSuffix } from "../engine/deciding-rule";
export { describeRoute } from "../engine/routing";
export { addressText } from "../engine/trace";
export { displayName } from "../engine/find";

export interface TraceHop {
  readonly type: HopType;
  readonly id: string;
  readonly address: string;
  readonly resourceId: string;
  readonly nextHopIds: string[];
  readonly issues: TraceIssue[];
  /** Extension: a readable name for the hop. */
  readonly name: string;
  /**
   * Extension, on the source hop of a trace from outside Azure: how the traffic enters (a public IP, a load
   * balancer rule with its port translation, a NAT rule), or why nothing lets it in.
   */
  ingress?: string;
  /** Extension, on an Internet hop: how the traffic leaves Azure (NAT gateway, public IP, LB outbound rule, default). */
  egress?: string;
}

export interface TracePathJson {
  readonly sources: string[];
  readonly destinations: string[];
  /** Delivered | Exited | Stopped | Unknown, and the disposition's kind. */
  readonly fate: string;
  readonly disposition: string;
  readonly hopIds: string[];
  readonly detail: string;
}

export interface TraceJson {
  readonly connectionStatus: ConnectionStatus;
  readonly hops: TraceHop[];
  /** Extensions. */
  readonly source: { readonly ref: string; readonly kind: string; readonly addresses: string[]; readonly note?: string };
  readonly destination: { readonly ref: string; readonly kind: string; readonly addresses: string[]; readonly note?: string };
  readonly protocol: TraceProtocol;
  readonly sourcePort?: number;
  readonly destinationPort?: number;
  readonly paths: TracePathJson[];
  readonly notes: string[];
}

export interface TraceResult {
  readonly json: TraceJson;
  readonly forward: ForwardResult<FlowSet>;
  readonly from: Endpoint;
  readonly to: Endpoint;
}

export type TraceOutcome = { ok: true; result: TraceResult } | { ok: false; error: string };

/** The trace question answered: the walk (engine/trace.ts) in Network Watcher's shape, or the refusal spelled. */
export function trace(env: EngineEnv, req: TraceRequest, options: RoutingOptions = {}): TraceOutcome {
  const walk = walkTrace(env, req, options, inputFlag);
  if (!walk.ok) return { ok: false, error: traceRefusalText(walk.refusal, inputFlag) };
  return { ok: true, result: { json: traceJson(walk.result), forward: walk.result.forward, from: walk.result.from, to: walk.result.to } };
}

function subnetName(s: Subnet): string {
  return s.logicalName || (isUnknown(s.azureName) ? s.key : s.azureName);
}

function hopAddress(h: Hop<FlowSet>, flows: FlowSet): string {
  switch (h.type) {
    case "Source":
      return addressText(flows.sources());
    case "Destination":
      return addressText(flows.destinations());
    case "VirtualAppliance": {
      if (h.dnat) return h.dnat.translated;
      const ip = h.route?.route.nextHopIpAddress;
      return typeof ip === "string" ? ip : h.firewall && typeof h.firewall.privateIp === "string" ? h.firewall.privateIp : "";
    }
    case "Internet":
    case "VirtualNetworkGateway":
      return addressText(flows.destinations());
    default:
      return h.route ? h.route.route.addressPrefixText : "";
  }
}

function hopResource(h: Hop<FlowSet>): { id: string; name: string } {
  if (h.firewall) return { id: idOrUrn(h.firewall), name: `Azure Firewall ${displayName(h.firewall)}` };
  if (h.nic) return { id: idOrUrn(h.nic), name: displayName(h.nic) };
  if (h.host) return { id: idOrUrn(h.host.subnet), name: `host in subnet ${subnetName(h.host.subnet)}` };
  switch (h.type) {
    case "VNetPeering": {
      const p = h.receivingPeering ?? h.peering;
      const remote = h.remoteVnet ? displayName(h.remoteVnet) : "?";
      return { id: p ? idOrUrn(p) : "", name: `peering to ${remote}` };
    }
    case "VnetLocal": {
      const s = h.route?.subnet;
      return { id: s ? idOrUrn(s) : "", name: "virtual network" };
    }
    case "VirtualNetworkGateway": {
      const g = h.gateways?.[0]?.gateway;
      return { id: g ? idOrUrn(g) : "", name: g ? `gateway ${displayName(g)}` : "gateway" };
    }
    case "Internet":
      return { id: "Internet", name: "Internet" };
    default:
      return { id: h.external ? "Internet" : "", name: h.external ? "outside Azure" : h.type };
  }
}

function hopKey(h: Hop<FlowSet>): string {
  return `${h.type}|${hopResource(h).id}|${hopResource(h).name}`;
}

function endpointJson(e: Endpoint): TraceJson["source"] {
  return { ref: e.ref, kind: e.kind, addresses: e.addresses.toCidrs(), ...(e.addressNote ? { note: e.addressNote } : {}) };
}

function addIssue(hop: TraceHop | undefined, issue: TraceIssue): void {
  if (!hop) return;
  const key = JSON.stringify(issue);
  if (!hop.issues.some((i) => JSON.stringify(i) === key)) hop.issues.push(issue);
}

/**
 * The walk in Network Watcher's shape: the hops of all paths as one graph (a hop shared by paths that agree up to
 * it is one hop, with the next hops of each), each path's issues on its last hop and its return issues on its first.
 */
function traceJson(walk: TraceWalk): TraceJson {
  const hops: TraceHop[] = [];
  const byPrefix = new Map<string, TraceHop>();
  const paths: TracePathJson[] = [];
  for (const traced of walk.paths) {
    const path = traced.path;
    const ids: string[] = [];
    let prefix = "";
    let previous: TraceHop | undefined;
    path.hops.forEach((h) => {
      prefix = `${prefix}>${hopKey(h)}`;
      let hop = byPrefix.get(prefix);
      if (!hop) {
        const res = hopResource(h);
        hop = { type: h.type, id: `hop-${hops.length + 1}`, address: hopAddress(h, h.translatedFlows ?? path.flows), resourceId: res.id, nextHopIds: [], issues: [], name: res.name };
        byPrefix.set(prefix, hop);
        hops.push(hop);
      }
      if (previous && !previous.nextHopIds.includes(hop.id)) previous.nextHopIds.push(hop.id);
      previous = hop;
      ids.push(hop.id);
    });
    const first = hops.find((h) => h.id === ids[0]);
    path.hops.forEach((h, i) => {
      const hop = h.egress ? hops.find((x) => x.id === ids[i]) : undefined;
      if (hop && h.egress) hop.egress = h.egress;
    });
    if (traced.ingress !== undefined && first) first.ingress = traced.ingress;
    for (const issue of traced.returnIssues) addIssue(first, issue);
    for (const issue of traced.issues) addIssue(previous, issue);
    paths.push({
      sources: path.flows.sources().toCidrs(),
      destinations: path.flows.destinations().toCidrs(),
      fate: fateOf(path.disposition),
      disposition: innermost(path.disposition).kind,
      hopIds: ids,
      detail: dispositionText(path.disposition),
    });
  }
  return {
    connectionStatus: walk.status,
    hops,
    source: endpointJson(walk.from),
    destination: endpointJson(walk.asked),
    protocol: walk.protocol,
    ...(walk.sourcePort !== undefined ? { sourcePort: walk.sourcePort } : {}),
    ...(walk.destinationPort !== undefined ? { destinationPort: walk.destinationPort } : {}),
    paths,
    notes: [...walk.notes],
  };
}
