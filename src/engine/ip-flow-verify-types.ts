/**
 * The shapes of an IP flow verify question and answer, apart from the code that computes them, so the general path
 * (ip-flow-verify.ts), the fast path and the echo import them without importing each other.
 */
import type { Direction, Nic } from "../model/topology";
import type { AppliedTo } from "./nsg";
import type { Refusal } from "./refusal";

export interface FlowEcho {
  readonly protocol: string;
  readonly localIPAddress: string;
  readonly localPort: string;
  readonly remoteIPAddress: string;
  readonly remotePort: string;
}

export interface IpFlowVerifyRequest {
  readonly nic: Nic;
  readonly direction: Direction;
  readonly protocol: "TCP" | "UDP";
  readonly localIp: string;
  readonly localPort: number;
  readonly remoteIp: string;
  readonly remotePort: number;
}

/** One NSG evaluated on the way, in evaluation order. */
export interface NsgVerdict {
  readonly networkSecurityGroup: { readonly id: string; readonly name: string };
  readonly appliedTo: AppliedTo;
  readonly association: { readonly id: string; readonly name: string };
  readonly access: "Allow" | "Deny" | "Indeterminate";
  readonly ruleName: string | null;
  /** Rules that may match first, depending on unknown values. */
  readonly undecidedRules?: string[];
}

/** What the security admin rules of the NIC's VNet did with the flow (evaluated before the NSGs; docs/avnm.md). */
export interface AdminVerdict {
  /** Allow: handed to the NSGs; AlwaysAllow: accepted without them; Deny: stopped. */
  readonly access: "Allow" | "Deny" | "AlwaysAllow" | "Indeterminate";
  /** `securityAdminRules/<configuration>/<rule collection>/<rule>`, or `securityAdminRules/(none matched)`. */
  readonly ruleName: string;
  readonly undecidedRules?: string[];
}

/**
 * Network Watcher's IP flow verify answer, `{access, ruleName}`, extended with the NSGs evaluated. `access` is
 * "Indeterminate" (and `unknowns` lists why) only when a value unknown at preview decides the answer.
 */
export interface IpFlowVerifyResult {
  readonly access: "Allow" | "Deny" | "Indeterminate";
  readonly ruleName: string | null;
  readonly direction: Direction;
  readonly flow: FlowEcho;
  readonly networkInterface: { readonly id: string; readonly name: string };
  /** Present when security admin rules apply to the NIC's VNet. */
  readonly securityAdminRule?: AdminVerdict;
  readonly nsgs: readonly NsgVerdict[];
  readonly unknowns?: string[];
  /**
   * Set when the access is sure but the deciding rule is not: earlier rules of the deciding NSG with the same access
   * may match first (their match depends on values unknown at preview). Every rule that may decide, in evaluation
   * order (`ruleName`, kept for the REST shape, is the last: the one that surely matches), and why.
   */
  readonly ruleNameCandidates?: string[];
  readonly ruleNameUnknowns?: string[];
  /** Plain explanation when no NSG applies. */
  readonly note?: string;
}

/** A refusal names the input at fault as data (refusal.ts); answers/refusal.ts renders it. */
export type VerifyOutcome = { ok: true; result: IpFlowVerifyResult } | { ok: false; refusal: Refusal };

