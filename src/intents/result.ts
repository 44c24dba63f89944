/**
 * What checking an intent answers: a verdict, and for a failure a concrete counterexample flow with the evidence
 * (the NSG rule, route or appliance to blame). Plain JSON-ready data: reporters only format it.
 */
import type { Direction } from "../model/topology";
import type { Enforcement } from "./types";

export type Verdict = "pass" | "fail" | "indeterminate";

export interface ResourceRef {
  readonly name: string;
  readonly urn: string;
  /** ARM id when known. */
  readonly id?: string;
}

/** A concrete 5-tuple, named as Network Watcher names flow fields. */
export interface FlowTuple {
  readonly protocol: string;
  readonly sourceAddress: string;
  readonly sourcePort: number;
  readonly destinationAddress: string;
  readonly destinationPort: number;
}

/** One fact that explains what happens to the counterexample flow. `text` is one line for people. */
export type Evidence =
  | {
      readonly kind: "nsg-rule";
      readonly text: string;
      readonly direction: Direction;
      /** The NIC whose traffic the NSG filters here. */
      readonly nic: ResourceRef;
      readonly nsg: ResourceRef;
      readonly appliedTo: "subnet" | "networkInterface";
      readonly association: ResourceRef;
      /** `securityRules/<name>` or `defaultSecurityRules/<name>`. */
      readonly ruleName: string;
      /**
       * Set when the access is sure but the rule is not: earlier rules with the same access may match first
       * (values unknown at preview). Every rule that may decide, in evaluation order (`ruleName` is the last, the
       * one that surely matches), and why: as IP flow verify's `ruleNameCandidates` and `ruleNameUnknowns`.
       */
      readonly ruleNameCandidates?: readonly string[];
      readonly ruleNameUnknowns?: readonly string[];
      readonly priority?: number;
      readonly access: "Allow" | "Deny" | "Unknown";
      /** The resource that declares the rule (a standalone SecurityRule or the NSG). */
      readonly ruleUrn: string;
      /** True for what decides the verdict (the deny that blocks; each allow that lets a forbidden flow through). */
      readonly decisive: boolean;
    }
  | { readonly kind: "no-nsg"; readonly text: string; readonly direction: Direction; readonly nic: ResourceRef; readonly decisive: boolean }
  | {
      readonly kind: "route";
      readonly text: string;
      /** The subnet whose effective routes were used. */
      readonly subnet: ResourceRef;
      readonly routeName: string | null;
      readonly addressPrefix: string;
      readonly nextHopType: string;
      readonly nextHopIpAddress?: string;
      /** The route table (user routes), or "System Route" as Network Watcher says. */
      readonly routeTable: ResourceRef | "System Route";
      readonly decisive: boolean;
    }
  | { readonly kind: "appliance-no-forwarding"; readonly text: string; readonly nic: ResourceRef; readonly decisive: true }
  | { readonly kind: "dropped"; readonly text: string; readonly reason: string; readonly resource?: ResourceRef; readonly decisive: true }
  | { readonly kind: "loop"; readonly text: string; readonly appliances: readonly ResourceRef[]; readonly decisive: true }
  | { readonly kind: "no-host"; readonly text: string; readonly decisive: true }
  | { readonly kind: "exited"; readonly text: string; readonly to: "Internet" | "Gateway" | "Service"; readonly decisive: boolean }
  | { readonly kind: "ingress"; readonly text: string; readonly nic: ResourceRef; readonly present: boolean; readonly decisive: boolean }
  | { readonly kind: "unknown"; readonly text: string; readonly causes: readonly string[]; readonly decisive: boolean };

export interface Counterexample {
  readonly flow: FlowTuple;
  /** "TCP 10.0.1.4:50000 -> 10.0.2.5:1433". */
  readonly text: string;
  /** The NIC that sends it (absent: from outside every VNet). */
  readonly source?: ResourceRef;
  /** The NIC it is meant for (absent: outside every VNet). */
  readonly destination?: ResourceRef;
  /** What happens to it: delivered (an unreachable intent fails) or the reason it is not. */
  readonly outcome: "delivered" | "blocked";
  readonly evidence: readonly Evidence[];
}

export interface ReachDetails {
  readonly from: Record<string, unknown>;
  readonly to: Record<string, unknown>;
  readonly protocol: string;
  readonly ports: string;
  readonly layer: "network" | "nsg";
  /** Work done: equivalence classes on each side and class pairs evaluated. */
  readonly stats: { readonly sourceNics: number; readonly sourceClasses: number; readonly destinationNics: number; readonly destinationClasses: number; readonly pairsEvaluated: number };
}

export interface FlowVerifyDetails {
  readonly nic: string;
  readonly direction: Direction;
  readonly protocol: "TCP" | "UDP";
  readonly local: string;
  readonly remote: string;
  /** Network Watcher's answer for the flow, when the NIC was found. */
  readonly access?: "Allow" | "Deny" | "Indeterminate";
  readonly ruleName?: string | null;
  /** Every rule that may decide, when earlier same-access rules may match first (IpFlowVerifyResult). */
  readonly ruleNameCandidates?: string[];
  readonly expectedRuleName?: string;
}

export interface IntentResult {
  readonly name: string;
  readonly kind: "reach" | "ipFlowVerify";
  readonly verdict: Verdict;
  readonly enforcement: Enforcement;
  /** reachable | unreachable, or Allow | Deny for IP flow verify assertions. */
  readonly expect: string;
  /** One line: what was checked and what was found. */
  readonly message: string;
  readonly counterexample?: Counterexample;
  /** For indeterminate verdicts: the values, unknown at preview, that decide (one line each). */
  readonly unknowns?: readonly string[];
  readonly notes: readonly string[];
  /** The intent cannot be checked as written (a selector names nothing in the plan). */
  readonly error?: string;
  /** The resource a failure is attached to: the destination's, else the counterexample's destination NIC. */
  readonly urn?: string;
  /** Where the intent was declared (file, policy config, or a ReachabilityIntent URN). */
  readonly declaredIn: string;
  readonly reach?: ReachDetails;
  readonly ipFlowVerify?: FlowVerifyDetails;
}
