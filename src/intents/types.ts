/**
 * The intent language (design.md, "Intents"): what teams declare, after parsing and validation.
 * Plain data, no Pulumi, no engine: the parser produces it, the evaluator reads it.
 */
import type { Direction } from "../model/topology";
import type { IpSet } from "../sets/ip-set";
import type { PortSet } from "../sets/port-set";

/** What an intent's `from` or `to` names. Resource selectors take a logical name, a URN or an Azure name. */
export type Selector =
  | { readonly kind: "nic"; readonly ref: string }
  | { readonly kind: "vm"; readonly ref: string }
  | { readonly kind: "subnet"; readonly ref: string }
  | { readonly kind: "vnet"; readonly ref: string }
  | { readonly kind: "asg"; readonly ref: string }
  /** Private endpoints: by name (logical, URN, Azure), or by the resource they connect to (docs/endpoints.md). */
  | { readonly kind: "privateEndpoint"; readonly ref: string }
  | { readonly kind: "cidr"; readonly text: string; readonly set: IpSet }
  | { readonly kind: "ip"; readonly text: string; readonly set: IpSet }
  | { readonly kind: "serviceTag"; readonly tag: string }
  | { readonly kind: "tag"; readonly tags: Readonly<Record<string, string>> }
  /** A resource named only by URN, of any supported type (in-code intents referring to resources directly). */
  | { readonly kind: "resource"; readonly urn: string }
  /** A reference that could not be resolved at plan time (an in-code intent whose resource is not identifiable). */
  | { readonly kind: "unresolved"; readonly reason: string };

/** The selector keys a user may write, in the order error messages list them. */
export const SELECTOR_KEYS = ["nic", "vm", "subnet", "vnet", "asg", "privateEndpoint", "cidr", "ip", "serviceTag", "tag"] as const;

export type IntentProtocol = "Tcp" | "Udp" | "Icmp" | "Any";
export const INTENT_PROTOCOLS: readonly IntentProtocol[] = ["Tcp", "Udp", "Icmp", "Any"];

export type Expectation = "reachable" | "unreachable";
export type Enforcement = "mandatory" | "advisory";
export const ENFORCEMENTS: readonly Enforcement[] = ["mandatory", "advisory"];

/**
 * `network` (the default): routing, peering, appliances and ingress as well as every NSG on the path.
 * `nsg`: the NSG chains only (source NIC outbound, destination NIC inbound), IP flow verify semantics.
 */
export type IntentLayer = "network" | "nsg";
export const INTENT_LAYERS: readonly IntentLayer[] = ["network", "nsg"];

/** Where an intent was declared, for messages. */
export interface IntentOrigin {
  /** File path, "policy config", or the URN of an in-code ReachabilityIntent. */
  readonly source: string;
  /** URN of the ReachabilityIntent component that declared it, for in-code intents. */
  readonly componentUrn?: string;
}

/** "every flow from `from` to `to` on these protocols and ports is (not) delivered". */
export interface ReachIntent {
  readonly kind: "reach";
  readonly name: string;
  readonly from: Selector;
  readonly to: Selector;
  readonly protocol: IntentProtocol;
  /** Destination ports; "*" when absent. Meaningful for Tcp and Udp only. */
  readonly ports: PortSet;
  readonly portsText: string;
  readonly expect: Expectation;
  readonly enforcement: Enforcement;
  readonly layer: IntentLayer;
  readonly description?: string;
  readonly origin: IntentOrigin;
}

export interface Endpoint {
  readonly ip: string;
  readonly port: number;
}

/** An IP flow verify assertion, in Network Watcher's terms. */
export interface FlowVerifyIntent {
  readonly kind: "ipFlowVerify";
  readonly name: string;
  readonly nic: string;
  readonly direction: Direction;
  readonly protocol: "TCP" | "UDP";
  readonly local: Endpoint;
  readonly remote: Endpoint;
  readonly expect: "Allow" | "Deny";
  /** Pins the deciding rule, e.g. `securityRules/allow-https` or `defaultSecurityRules/DenyAllInBound`. */
  readonly ruleName?: string;
  readonly enforcement: Enforcement;
  readonly description?: string;
  readonly origin: IntentOrigin;
}

export type Intent = ReachIntent | FlowVerifyIntent;

/** Type token of the in-code intent component (src/resources/intent-component.ts). */
export const INTENT_COMPONENT_TYPE = "azure-reachability:index:Intent";
