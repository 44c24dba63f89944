/**
 * The shapes of a trace question and its answer (trace.ts computes it), apart from the code, so the ways in at a
 * public address (entries/) can build a trace leg without importing the trace itself.
 */
import type { Nic, Subnet } from "../model/topology";
import type { FlowSet } from "../sets/flow-set";
import type { IpSet } from "../sets/ip-set";
import { Icmp, Tcp, Udp } from "../sets/protocol-set";
import type { TraceIssue } from "./dispositions";
import type { ForwardPath, ForwardResult, WalkTarget } from "./walk";
import type { Refusal } from "./refusal";

export const DEFAULT_SOURCE_PORT = 50000;

export type TraceProtocol = "TCP" | "UDP" | "ICMP";

export interface TraceRequest {
  readonly from: string;
  readonly to: string;
  readonly protocol: TraceProtocol;
  /** Destination port (TCP and UDP). */
  readonly port?: number;
  readonly sourcePort?: number;
}

/** A trace endpoint resolved against the plan. */
export interface Endpoint {
  readonly kind: "nic" | "host" | "external";
  /** How the user named it. */
  readonly ref: string;
  readonly addresses: IpSet;
  readonly nic?: Nic;
  readonly subnet?: Subnet;
  /** Set when the address is not one known address: "any address in subnet X". */
  readonly addressNote?: string;
}

export type Resolved = { ok: true; endpoint: Endpoint } | { ok: false; error: string };

export type ConnectionStatus = "Reachable" | "Unreachable" | "Indeterminate";

/** One path walked, with what it says about the question. */
export interface TracedPath {
  readonly path: ForwardPath<FlowSet>;
  /** Issues of the path's last hop: what stopped (or may stop) it, no way in from outside, where it went instead. */
  readonly issues: readonly TraceIssue[];
  /** Asymmetric return routes, on the path's first hop. */
  readonly returnIssues: readonly TraceIssue[];
  /** From outside to a NIC: how the traffic enters, or why nothing lets it in (on the source hop). */
  readonly ingress?: string;
}

export interface TraceWalk {
  readonly status: ConnectionStatus;
  readonly paths: readonly TracedPath[];
  readonly notes: readonly string[];
  readonly forward: ForwardResult<FlowSet>;
  readonly from: Endpoint;
  /** The end the paths answer for (a DNAT's translated destination). */
  readonly to: Endpoint;
  /** The destination as asked (a firewall's public IP for DNAT; else `to`). */
  readonly asked: Endpoint;
  readonly protocol: TraceProtocol;
  readonly sourcePort?: number;
  readonly destinationPort?: number;
}

/**
 * Why a trace is refused, by the inputs of the question (`from`, `to`, `port`), never by how a caller spells them:
 * answers/trace.ts names them as the CLI's flags.
 */
export type TraceRefusal =
  /** An end that does not resolve (`input` from or to), or a translated destination that does not (no input). */
  | (Refusal & { readonly kind?: undefined })
  | { readonly kind: "both-outside" }
  | { readonly kind: "same-nic" }
  | { readonly kind: "port-required" }
  | { readonly kind: "no-common-family"; readonly from: string; readonly to: string; readonly fromAddresses: string; readonly toAddresses: string }
  /** A leg that enters at a public address (entries/table.ts) and takes traffic from outside only. */
  | { readonly kind: "outside-source-required"; readonly target: string; readonly why: string }
  /** A refusal of every case of an ambiguous plan, with the cases' disagreement. */
  | { readonly kind: "cases"; readonly refusal: TraceRefusal; readonly note: string };

export type TraceOutcome = { ok: true; result: TraceWalk } | { ok: false; refusal: TraceRefusal };

export function protocolNumber(p: TraceProtocol): number {
  return p === "TCP" ? Tcp : p === "UDP" ? Udp : Icmp;
}

export function targetOf(e: Endpoint): WalkTarget {
  if (e.kind === "nic" && e.nic) return { kind: "nic", nic: e.nic, addresses: e.addresses };
  if (e.kind === "host" && e.subnet) return { kind: "host", subnet: e.subnet, addresses: e.addresses };
  return { kind: "external", addresses: e.addresses };
}
