/**
 * The IP flow verify question and the engine's decision on it, apart from the code that computes them, so the
 * general path (ip-flow-verify.ts) and the fast path import them without importing each other. The decision is
 * neutral data (per-layer outcome, deciding rule, doubt, causes); Network Watcher's answer shape is built from it in
 * one place, src/answers/ip-flow-verify.ts (issue 14 point 6).
 */
import type { Direction, Nic } from "../model/topology";
import type { Unknown } from "../model/unknown";
import type { RuleDoubt } from "./deciding-rule";
import type { AppliedTo } from "./nsg";
import type { Refusal } from "./refusal";

export interface IpFlowVerifyRequest {
  readonly nic: Nic;
  readonly direction: Direction;
  readonly protocol: "TCP" | "UDP";
  readonly localIp: string;
  readonly localPort: number;
  readonly remoteIp: string;
  readonly remotePort: number;
}

/** An entity as answers name it: its ARM id (or URN) and display name. Never written: answers may share it. */
export interface EntityRef {
  readonly id: string;
  readonly name: string;
}

/** One NSG of the NIC's chain as evaluated, in evaluation order (a denied flow reaches no later NSG). */
export interface LayerDecision {
  readonly nsg: EntityRef;
  readonly appliedTo: AppliedTo;
  /** The NIC or subnet the NSG is associated with. */
  readonly association: EntityRef;
  /** What the NSG's first match did; Unknown when a value unknown at preview decides it (or nothing decided). */
  readonly outcome: "Allow" | "Deny" | "Unknown";
  /** The rule that matched first, null when no decision was made. */
  readonly rule: string | null;
  /** Earlier rules that may match first, depending on unknown values. */
  readonly doubtful: readonly string[];
}

/** What the security admin rules of the NIC's VNet did with the flow (evaluated before the NSGs; docs/avnm.md). */
export interface AdminDecision {
  readonly outcome: "Allow" | "Deny" | "AlwaysAllow" | "Unknown";
  /** `securityAdminRules/<configuration>/<rule collection>/<rule>`, or NO_ADMIN_RULE. */
  readonly rule: string;
  readonly doubtful: readonly string[];
}

/**
 * The engine's decision on one flow at one NIC. Every field is always present (undefined when it does not apply), so
 * both paths build one object shape (the fast path answers at the bench's headline rate).
 */
export interface FlowDecision {
  /** Unknown only when a value unknown at preview decides the flow (`causes` say which). */
  readonly outcome: "Allow" | "Deny" | "Unknown";
  readonly nic: EntityRef;
  /** Set when security admin rules apply to the NIC's VNet. */
  readonly admin: AdminDecision | undefined;
  /** The admin rule decided alone (it denied or always allowed): the NSGs were not evaluated. */
  readonly adminDecides: boolean;
  readonly layers: readonly LayerDecision[];
  /** The rule that decided (the admin rule, the deny that stopped the flow, or the last NSG's allow); null when none. */
  readonly decidingRule: string | null;
  /** Why the outcome is Unknown; empty otherwise. */
  readonly causes: readonly Unknown[];
  /** The outcome is sure but the deciding rule is not: earlier same-access rules may match first. */
  readonly ruleDoubt: RuleDoubt | undefined;
  /** Why no NSG filters the flow, when none applies and no admin rule decided. */
  readonly noNsgNote: string | undefined;
}

/** A refusal names the input at fault as data (refusal.ts); answers/refusal.ts renders it. */
export type FlowDecisionOutcome = { ok: true; decision: FlowDecision } | { ok: false; refusal: Refusal };
