/**
 * Azure Firewall in the vendor-neutral model: the firewall (an appliance on the path), its Firewall Policy (with a
 * parent `basePolicy`), the policy's rule collection groups, and IP groups. Property names follow azure-native's
 * schema (pulumi/pulumi-azure-native, `network:AzureFirewall`, `network:FirewallPolicy`,
 * `network:FirewallPolicyRuleCollectionGroup`, `network:IpGroup`; the SDK's types/input.d.ts: NetworkRuleArgs,
 * NatRuleArgs, ApplicationRuleArgs, AzureFirewallNetworkRuleCollectionArgs, ...), which are the ARM REST API's
 * (Microsoft.Network azureFirewall.json / firewallPolicy.json).
 */
import type { IpSet } from "../sets/ip-set";
import type { PortSet } from "../sets/port-set";
import type { ProtocolSet } from "../sets/protocol-set";
import type { Maybe } from "./unknown";

/**
 * The fields every model entity has (topology.ts `Entity`, restated so that topology.ts can import this file
 * without an import cycle; the two are structurally the same type).
 */
export interface Entity {
  readonly key: string;
  readonly urn: string;
  readonly logicalName: string;
  readonly azureName: Maybe<string>;
  readonly id: Maybe<string>;
}

export type Tags = Readonly<Record<string, string>>;

/** The three rule types; processed DNAT first, then network, then application, whatever the priorities. */
export type FirewallRuleKind = "Nat" | "Network" | "Application";

/** The action of a rule collection: filter collections Allow or Deny; NAT collections DNAT (classic: Dnat or Snat). */
export type FirewallAction = "Allow" | "Deny" | "Dnat" | "Snat";

/** One address item of a firewall rule, as written. */
export type FirewallAddress =
  | { readonly kind: "any"; readonly text: string }
  | { readonly kind: "prefix"; readonly text: string; readonly set: IpSet }
  | { readonly kind: "tag"; readonly text: string; readonly tag: string }
  | { readonly kind: "ipGroup"; readonly text: string; readonly ipGroupKey: Maybe<string> }
  /** destinationFqdns of a network rule: resolved by the firewall's DNS at run time, not from the plan. */
  | { readonly kind: "fqdn"; readonly text: string };

/** Where a rule sits: its policy (or the firewall for classic rules), group, collection. */
export interface FirewallRulePlace {
  /** Key of the FirewallPolicy, or of the AzureFirewall for classic rules. */
  readonly ownerKey: string;
  /** URN of the resource that declares the rule (the rule collection group, or the firewall). */
  readonly urn: string;
  readonly policyName: string;
  /** Rule collection group name; undefined for classic rules (they have none). */
  readonly groupName?: string;
  readonly collectionName: string;
}

export interface FirewallRule {
  readonly name: string;
  readonly kind: FirewallRuleKind;
  readonly place: FirewallRulePlace;
  /** Protocols of network and NAT rules (TCP, UDP, ICMP, Any); application rules: TCP (HTTP, HTTPS, MSSQL). */
  readonly protocols: Maybe<ProtocolSet>;
  readonly protocolText: string;
  readonly sources: Maybe<readonly FirewallAddress[]>;
  readonly destinations: Maybe<readonly FirewallAddress[]>;
  readonly destinationPorts: Maybe<PortSet>;
  /**
   * Application rules: what the rule matches beyond addresses (target FQDNs, FQDN tags, web categories, URLs),
   * which the plan cannot decide. Network rules: their destinationFqdns, when any.
   */
  readonly layer7?: readonly string[];
  /** NAT rules: the translated address (or FQDN) and port. */
  readonly translatedAddress?: Maybe<string | undefined>;
  readonly translatedFqdn?: Maybe<string | undefined>;
  readonly translatedPort?: Maybe<number | undefined>;
  /** False when malformed (reported): Azure would reject it, so it is not evaluated. */
  readonly valid: boolean;
}

export interface FirewallRuleCollection {
  readonly name: string;
  readonly kind: Maybe<FirewallRuleKind>;
  readonly priority: Maybe<number>;
  readonly action: Maybe<FirewallAction>;
  readonly rules: readonly FirewallRule[];
}

export interface FirewallRuleCollectionGroup extends Entity {
  /** The FirewallPolicy it belongs to. */
  readonly policyKey: Maybe<string>;
  readonly priority: Maybe<number>;
  readonly collections: readonly FirewallRuleCollection[];
}

export interface FirewallPolicy extends Entity {
  /** The parent policy (`basePolicy`): its rule collection groups are processed before this policy's. null: none. */
  readonly basePolicyKey: Maybe<string | null>;
  /** `threatIntelMode` (Alert, Deny, Off); absent: Azure's default (Alert). Noted, not evaluated. */
  readonly threatIntelMode: Maybe<string | undefined>;
  /** Keys of its rule collection groups, in key order (the engine sorts by priority). */
  readonly groupKeys: readonly string[];
  readonly tags: Tags;
}

export interface FirewallIpConfiguration {
  readonly name: string;
  /** Must be AzureFirewallSubnet (AzureFirewallManagementSubnet for the management configuration). */
  readonly subnetKey: Maybe<string | null>;
  readonly publicIpKey: Maybe<string | null>;
}

export interface AzureFirewall extends Entity {
  readonly ipConfigurations: readonly FirewallIpConfiguration[];
  /**
   * The private address traffic is routed to: the provider's `ipConfigurations[0].privateIPAddress` (or
   * `hubIPAddresses.privateIPAddress`) when the plan has it; else the first assignable address of the
   * AzureFirewallSubnet (x.x.x.4), which is what Azure gives the first firewall in the subnet (`privateIpAssumed`).
   */
  readonly privateIp: Maybe<string | undefined>;
  readonly privateIpAssumed: boolean;
  readonly subnetKey: Maybe<string | null>;
  readonly publicIpKeys: readonly Maybe<string>[];
  /** null: no policy (classic rules, or none: everything denied). */
  readonly policyKey: Maybe<string | null>;
  /** Classic rules set on the firewall resource itself (networkRuleCollections, natRuleCollections, applicationRuleCollections). */
  readonly classicCollections: readonly FirewallRuleCollection[];
  readonly threatIntelMode: Maybe<string | undefined>;
  readonly tags: Tags;
}

export interface IpGroup extends Entity {
  /** The union of `ipAddresses` (addresses, prefixes, ranges); Unknown when any is unknown. */
  readonly addresses: Maybe<IpSet>;
}

/** The firewall part of a Topology (optional: absent when the plan has no firewall resources). */
export interface FirewallModel {
  readonly firewalls: ReadonlyMap<string, AzureFirewall>;
  readonly policies: ReadonlyMap<string, FirewallPolicy>;
  readonly ruleCollectionGroups: ReadonlyMap<string, FirewallRuleCollectionGroup>;
  readonly ipGroups: ReadonlyMap<string, IpGroup>;
}
