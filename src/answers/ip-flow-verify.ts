/**
 * Network Watcher's IP flow verify answer (issue 14 point 6): its shape is declared here and built here, in one
 * place, from the engine's decision (engine/ip-flow-verify.ts: the fast path or the general one, which must give the
 * same decision byte for byte). Reporters, the CLI and the intents read this answer, never the decision.
 */
import type { Direction } from "../model/topology";
import { describeUnknown } from "../model/unknown";
import type { EngineEnv } from "../engine/env";
import { ipFlowVerify as decideFlow, type AdminDecision, type FlowDecision, type IpFlowVerifyRequest, type LayerDecision } from "../engine/ip-flow-verify";
import type { AppliedTo } from "../engine/nsg";
import type { Refusal } from "../engine/refusal";

export type { IpFlowVerifyRequest } from "../engine/ip-flow-verify";
export { NO_ADMIN_RULE } from "../engine/admin-rules";

/** The flow asked about, as Network Watcher echoes it (ports as strings). */
export interface FlowEcho {
  readonly protocol: string;
  readonly localIPAddress: string;
  readonly localPort: string;
  readonly remoteIPAddress: string;
  readonly remotePort: string;
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

/** A refusal names the input at fault as data (engine/refusal.ts); answers/refusal.ts renders it. */
export type VerifyOutcome = { ok: true; result: IpFlowVerifyResult } | { ok: false; refusal: Refusal };

/** IP flow verify: the engine decides (fast path when it can), the answer is built from the decision. */
export function ipFlowVerify(env: EngineEnv, req: IpFlowVerifyRequest): VerifyOutcome {
  const out = decideFlow(env, req);
  return out.ok ? { ok: true, result: ipFlowVerifyResult(req, out.decision) } : out;
}

/** Network Watcher's answer for a decision (key order is the REST shape's; answers are compared as JSON text). */
function ipFlowVerifyResult(req: IpFlowVerifyRequest, d: FlowDecision): IpFlowVerifyResult {
  const access = d.outcome === "Unknown" ? "Indeterminate" : d.outcome;
  const flow = flowEcho(req);
  const networkInterface = d.nic;
  const nsgs: NsgVerdict[] = [];
  for (const l of d.layers) nsgs.push(nsgVerdict(l));
  // The common answer (sure, no admin rules, no doubt) as one literal: verify-flow's throughput is the bench's headline.
  if (d.admin === undefined && access !== "Indeterminate" && d.ruleDoubt === undefined) {
    return d.noNsgNote === undefined
      ? { access, ruleName: d.decidingRule, direction: req.direction, flow, networkInterface, nsgs }
      : { access, ruleName: d.decidingRule, direction: req.direction, flow, networkInterface, nsgs, note: d.noNsgNote };
  }
  return {
    access,
    ruleName: d.decidingRule,
    direction: req.direction,
    flow,
    networkInterface,
    ...(d.admin ? { securityAdminRule: adminVerdict(d.admin) } : {}),
    nsgs,
    ...(access === "Indeterminate" ? { unknowns: d.causes.map(describeUnknown) } : {}),
    ...(d.ruleDoubt ? { ruleNameCandidates: [...d.ruleDoubt.candidates], ruleNameUnknowns: [...d.ruleDoubt.unknowns] } : {}),
    ...(d.noNsgNote !== undefined ? { note: d.noNsgNote } : {}),
  };
}

function adminVerdict(a: AdminDecision): AdminVerdict {
  const access = a.outcome === "Unknown" ? "Indeterminate" : a.outcome;
  return a.doubtful.length === 0 ? { access, ruleName: a.rule } : { access, ruleName: a.rule, undecidedRules: [...a.doubtful] };
}

function nsgVerdict(l: LayerDecision): NsgVerdict {
  const access = l.outcome === "Unknown" ? "Indeterminate" : l.outcome;
  return l.doubtful.length === 0
    ? { networkSecurityGroup: l.nsg, appliedTo: l.appliedTo, association: l.association, access, ruleName: l.rule }
    : { networkSecurityGroup: l.nsg, appliedTo: l.appliedTo, association: l.association, access, ruleName: l.rule, undecidedRules: [...l.doubtful] };
}

/** The flow asked about, as Network Watcher echoes it (ports as strings). */
function flowEcho(req: IpFlowVerifyRequest): FlowEcho {
  return {
    protocol: req.protocol,
    localIPAddress: req.localIp,
    localPort: String(req.localPort),
    remoteIPAddress: req.remoteIp,
    remotePort: String(req.remotePort),
  };
}
