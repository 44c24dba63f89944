import type { IpSet } from "../sets/ip-set";
import type { PortSet } from "../sets/port-set";
import type { ProtocolSet } from "../sets/protocol-set";
import type { Diagnostic } from "./diagnostic";
import type { FirewallModel } from "./firewall";
import type { Maybe, Unknown } from "./unknown";

/**
 * The vendor-neutral network model. Built by an adapter from ResourceRecords; read by the engine.
 * Entities refer to each other by `key` (a stable internal key: the Pulumi URN of the resource, or
 * `<vnet key>/subnets/<name>` for a subnet declared only inline in its VNet). A reference that cannot be
 * resolved at plan time is an Unknown; "no such association" is `null`.
 */
export interface Entity {
  readonly key: string;
  /** URN of the Pulumi resource that declares it (for an inline subnet or rule: the parent's URN). */
  readonly urn: string;
  /** Pulumi logical name ("" for inline children). */
  readonly logicalName: string;
  /** Azure resource name (may be unknown at preview when auto-named by the provider). */
  readonly azureName: Maybe<string>;
  /** ARM resource id, unknown before the resource exists. */
  readonly id: Maybe<string>;
}

export type Tags = Readonly<Record<string, string>>;

export interface Vnet extends Entity {
  readonly addressPrefixes: readonly string[];
  /** Union of the known address prefixes; Unknown when the address space itself is not known. */
  readonly addressSpace: Maybe<IpSet>;
  readonly subnetKeys: readonly string[];
  readonly peeringKeys: readonly string[];
  readonly tags: Tags;
  /** DDoS Network Protection: `enableDdosProtection` with a `ddosProtectionPlan` (absent: not read). */
  readonly ddosProtection?: Maybe<boolean>;
}

export interface Subnet extends Entity {
  readonly vnetKey: Maybe<string>;
  readonly addressPrefixes: readonly string[];
  readonly addressSpace: Maybe<IpSet>;
  /** null = no NSG on the subnet. */
  readonly nsgKey: Maybe<string | null>;
  /** null = no route table on the subnet. */
  readonly routeTableKey: Maybe<string | null>;
  /**
   * `privateEndpointNetworkPolicies` as planned (Disabled, Enabled, NetworkSecurityGroupEnabled, RouteTableEnabled);
   * absent: Azure's default, Disabled (learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy).
   */
  readonly privateEndpointNetworkPolicies?: Maybe<string>;
  /** `serviceEndpoints[]` of the subnet (absent: none). */
  readonly serviceEndpoints?: Maybe<readonly ServiceEndpointSpec[]>;
  /** NAT gateway on the subnet (`natGateway.id`): its key or ARM id; null = none; absent = not read. */
  readonly natGatewayKey?: Maybe<string | null>;
  /** `defaultOutboundAccess` (absent from the plan: true, the API's default; false makes a private subnet). */
  readonly defaultOutboundAccess?: Maybe<boolean>;
}

/** One entry of a subnet's `serviceEndpoints`: `{service: "Microsoft.Storage", locations: ["westeurope"]}`. */
export interface ServiceEndpointSpec {
  readonly service: Maybe<string>;
  /** Locations as written; absent or empty: the subnet's region (Azure's default), or "*". */
  readonly locations: Maybe<readonly string[]>;
}

/**
 * What makes a NIC of the model a private endpoint's network interface (the NIC Azure creates for the endpoint,
 * listed in its read-only `networkInterfaces` output): the endpoint, and what it connects to.
 */
export interface PrivateEndpointInfo {
  /** Key (URN) of the PrivateEndpoint resource. */
  readonly key: string;
  /** `privateLinkServiceConnections[].privateLinkServiceId` and the manual ones, as written. */
  readonly linkedResourceIds: readonly Maybe<string>[];
  /** URNs of plan resources those connections depend on (propertyDependencies), for selection by resource. */
  readonly linkedResourceUrns: readonly string[];
  /** `groupIds` of the connections (blob, sqlServer, vault, ...). */
  readonly groupIds: readonly string[];
}

export type AllocationMethod = "Static" | "Dynamic";

export interface IpConfiguration {
  readonly name: string;
  readonly primary: boolean;
  readonly subnetKey: Maybe<string>;
  readonly allocation: AllocationMethod;
  /** The configured private address (Static), or the address the provider reported; undefined when dynamic and not yet allocated. */
  readonly privateIpAddress: Maybe<string | undefined>;
  readonly asgKeys: Maybe<readonly string[]>;
  /** null = no public IP. */
  readonly publicIpKey: Maybe<string | null>;
  /** ARM ids (or URNs) of load balancer backend pools this configuration belongs to. */
  readonly backendPoolRefs: readonly Maybe<string>[];
  /**
   * Inbound NAT rules that forward to this configuration (`loadBalancerInboundNatRules`), named like pools:
   * `<lb id or key>/inboundNatRules/<name>`. Absent: none.
   */
  readonly natRuleRefs?: readonly Maybe<string>[];
}

export interface Nic extends Entity {
  readonly ipConfigurations: readonly IpConfiguration[];
  /** null = no NSG on the NIC. */
  readonly nsgKey: Maybe<string | null>;
  readonly ipForwarding: Maybe<boolean>;
  /** `enableAcceleratedNetworking` (absent: false, the API's default). */
  readonly acceleratedNetworking?: Maybe<boolean>;
  readonly tags: Tags;
  /** The VM this NIC is attached to, when the plan says so. */
  readonly vmKey?: string;
  /** Set when this NIC is a private endpoint's: no NIC NSG, the subnet's NSG only under its network policies. */
  readonly privateEndpoint?: PrivateEndpointInfo;
}

export type Direction = "Inbound" | "Outbound";
export type Access = "Allow" | "Deny";

/** One side (source or destination) of a security rule, as written. */
export type AddressSpec =
  | { readonly kind: "any"; readonly text: string }
  | { readonly kind: "prefix"; readonly text: string; readonly set: IpSet }
  | { readonly kind: "tag"; readonly text: string; readonly tag: string }
  | { readonly kind: "asg"; readonly text: string; readonly asgKey: Maybe<string> };

export type RuleOrigin = "inline" | "standalone" | "default";

/**
 * The match fields shared by NSG security rules and Virtual Network Manager security admin rules (src/model/avnm.ts):
 * one compiler and one first-match evaluator read both (src/engine/rules.ts, first-match.ts). `A` is the access the
 * rule kind can have.
 */
export interface RuleFields<A extends string = Access> {
  /** Rule name as Azure shows it. */
  readonly name: string;
  /** URN of the resource that declares it. */
  readonly urn: string;
  readonly priority: Maybe<number>;
  readonly direction: Maybe<Direction>;
  readonly access: Maybe<A>;
  readonly protocol: Maybe<ProtocolSet>;
  /** Protocol as written (Tcp, Udp, Icmp, Esp, Ah, *). */
  readonly protocolText: string;
  readonly sources: Maybe<readonly AddressSpec[]>;
  readonly destinations: Maybe<readonly AddressSpec[]>;
  readonly sourcePorts: Maybe<PortSet>;
  readonly destinationPorts: Maybe<PortSet>;
  /** False when the rule is malformed (see diagnostics): Azure would reject it, so it is not evaluated. */
  readonly valid: boolean;
  readonly description?: string;
}

/** The fields of a rule none of which the plan says (a rule unknown at preview, a default admin rule Azure fills). */
export function undecidedRuleFields(u: Unknown): Omit<RuleFields<never>, "name" | "urn"> {
  return {
    priority: u,
    direction: u,
    access: u,
    protocol: u,
    protocolText: "",
    sources: u,
    destinations: u,
    sourcePorts: u,
    destinationPorts: u,
    valid: true,
  };
}

export interface SecurityRule extends RuleFields<Access> {
  readonly nsgKey: string;
  /** URN of the resource that declares it: a standalone SecurityRule, else the NSG. */
  readonly urn: string;
  readonly origin: RuleOrigin;
}

export interface Nsg extends Entity {
  /** Custom rules (inline and standalone, merged), in declaration order; the engine sorts by priority. */
  readonly rules: readonly SecurityRule[];
  /** The six default rules (from outputs when present, else synthesized). */
  readonly defaultRules: readonly SecurityRule[];
  readonly tags: Tags;
}

export interface Asg extends Entity {
  readonly tags: Tags;
}

export type NextHopType = "VirtualNetworkGateway" | "VnetLocal" | "Internet" | "VirtualAppliance" | "None";

export interface Route {
  readonly name: string;
  readonly routeTableKey: string;
  readonly urn: string;
  readonly origin: "inline" | "standalone";
  readonly addressPrefixText: string;
  /** Parsed prefix; Unknown when not known at preview; undefined when it is a service tag or malformed (see diagnostics). */
  readonly addressPrefix: Maybe<IpSet | undefined>;
  readonly nextHopType: Maybe<NextHopType>;
  readonly nextHopIpAddress: Maybe<string | undefined>;
  readonly valid: boolean;
}

export interface RouteTable extends Entity {
  readonly routes: readonly Route[];
  readonly disableBgpRoutePropagation: Maybe<boolean>;
  readonly tags: Tags;
}

export interface Peering extends Entity {
  readonly name: string;
  /** The local VNet (the one the peering belongs to). */
  readonly vnetKey: Maybe<string>;
  readonly remoteVnetKey: Maybe<string>;
  readonly allowVirtualNetworkAccess: Maybe<boolean>;
  readonly allowForwardedTraffic: Maybe<boolean>;
  readonly allowGatewayTransit: Maybe<boolean>;
  readonly useRemoteGateways: Maybe<boolean>;
}

export interface Vm extends Entity {
  readonly nicKeys: readonly Maybe<string>[];
  /** The primary NIC (flagged primary, else the first). */
  readonly primaryNicKey: Maybe<string | undefined>;
  readonly tags: Tags;
}

/**
 * A public IP or load balancer SKU as the plan gives it, or the API's default when the plan has none
 * (`assumed`, with the reason in `note`). Standard is closed to inbound traffic unless an NSG allows it; Basic is
 * open unless an NSG denies (docs/ingress.md).
 */
export interface SkuInfo {
  readonly name: "Basic" | "Standard";
  readonly assumed: boolean;
  readonly note?: string;
}

export interface PublicIp extends Entity {
  readonly ipAddress: Maybe<string | undefined>;
  /** Absent: not read (a model built by hand): treated as Basic. */
  readonly sku?: Maybe<SkuInfo>;
  /** `ddosSettings.protectionMode` Enabled (absent: not read). */
  readonly ddosProtection?: Maybe<boolean>;
}

/** A NAT gateway: the public IPs its subnets' Internet-bound traffic is translated to. */
export interface NatGateway extends Entity {
  readonly publicIpKeys: readonly Maybe<string>[];
}

export type LbProtocol = "Tcp" | "Udp" | "All";

export interface LbFrontend {
  readonly name: string;
  /** null = private frontend (internal load balancer). */
  readonly publicIpKey: Maybe<string | null>;
}

/** A load-balancing rule: frontend protocol/port -> backend pool, backend port. */
export interface LbRule {
  readonly name: string;
  readonly frontend: Maybe<string>;
  /** Pool ref, named like `LoadBalancer.backendPoolRefs`. */
  readonly poolRefs: readonly Maybe<string>[];
  readonly protocol: Maybe<LbProtocol>;
  readonly frontendPort: Maybe<number>;
  readonly backendPort: Maybe<number>;
  readonly floatingIp: Maybe<boolean>;
  readonly disableOutboundSnat: Maybe<boolean>;
}

/** An inbound NAT rule: one frontend port (or a range, for a pool) -> one backend ip configuration and port. */
export interface LbNatRule {
  readonly name: string;
  /** `<lb id or key>/inboundNatRules/<name>`, as ip configurations name it. */
  readonly ref: string;
  readonly frontend: Maybe<string>;
  readonly protocol: Maybe<LbProtocol>;
  readonly frontendPort: Maybe<number>;
  readonly backendPort: Maybe<number>;
  readonly floatingIp: Maybe<boolean>;
  /** For a NAT rule on a pool (`frontendPortRangeStart/End` + `backendAddressPool`): the pool. */
  readonly poolRef?: Maybe<string>;
}

export interface LbOutboundRule {
  readonly name: string;
  readonly poolRef: Maybe<string>;
  readonly frontends: readonly Maybe<string>[];
}

export interface VirtualNetworkGateway extends Entity {
  readonly gatewayType: Maybe<string | undefined>;
  readonly subnetKeys: readonly Maybe<string>[];
  /** VirtualNetworkGatewayConnections of the plan that use this gateway (absent: none). */
  readonly connections?: readonly GatewayConnection[];
}

/**
 * A connection of a virtual network gateway and the remote prefixes the plan says it leads to: a site-to-site
 * (IPsec) connection's local network gateway address space, a VNet-to-VNet connection's remote VNet address space.
 */
export interface GatewayConnection {
  readonly urn: string;
  readonly name: string;
  /** `connectionType` as planned: IPsec, Vnet2Vnet, ExpressRoute, VPNClient. */
  readonly connectionType: Maybe<string | undefined>;
  /** The remote end for messages: the local network gateway or the remote VNet gateway. */
  readonly remote: string;
  /** Remote prefixes as written; Unknown when not known at preview. */
  readonly prefixes: Maybe<readonly string[]>;
  /** `enableBgp`: prefixes learned over BGP are not in the plan. */
  readonly bgp: Maybe<boolean>;
}

export interface LoadBalancer extends Entity {
  /** Public IP keys of the frontends (empty for an internal load balancer). */
  readonly publicIpKeys: readonly Maybe<string>[];
  /** ARM ids (or `<lb key>/backendAddressPools/<name>`) of its backend pools. */
  readonly backendPoolRefs: readonly string[];
  readonly sku?: Maybe<SkuInfo>;
  readonly frontends?: Maybe<readonly LbFrontend[]>;
  /** Absent or empty: no load-balancing rule, so nothing is forwarded to the pools. */
  readonly rules?: Maybe<readonly LbRule[]>;
  readonly natRules?: Maybe<readonly LbNatRule[]>;
  readonly outboundRules?: Maybe<readonly LbOutboundRule[]>;
}

/**
 * A resource of a type the model does not represent but that can carry or filter traffic (Azure Firewall, private
 * endpoint, scale set, AKS, a classic-provider network resource, ...): listed in reports, and paths to addresses of
 * the subnets it sits in are undecided.
 */
export interface UnmodelledResource {
  readonly urn: string;
  readonly name: string;
  readonly type: string;
  /** Readable type, e.g. "Azure Firewall". */
  readonly label: string;
  readonly provider: "azure-native" | "azure-classic";
  /** Keys of the model's subnets it is known to sit in. */
  readonly subnetKeys: readonly string[];
}

/**
 * An application gateway's placement, for the platform-subnet checks (the gateway's traffic itself is not modelled:
 * it stays in `unmodelled`).
 */
export interface ApplicationGatewayPlacement {
  readonly urn: string;
  readonly name: string;
  /** `sku.tier` (Standard, WAF, Standard_v2, WAF_v2), else `sku.name`; undefined when absent. */
  readonly tier: Maybe<string | undefined>;
  /** Subnets of `gatewayIPConfigurations[].subnet`. */
  readonly subnetKeys: readonly Maybe<string>[];
}

export interface Topology {
  readonly vnets: ReadonlyMap<string, Vnet>;
  readonly subnets: ReadonlyMap<string, Subnet>;
  readonly nics: ReadonlyMap<string, Nic>;
  readonly nsgs: ReadonlyMap<string, Nsg>;
  readonly asgs: ReadonlyMap<string, Asg>;
  readonly routeTables: ReadonlyMap<string, RouteTable>;
  readonly peerings: ReadonlyMap<string, Peering>;
  readonly vms: ReadonlyMap<string, Vm>;
  readonly publicIps: ReadonlyMap<string, PublicIp>;
  readonly gateways: ReadonlyMap<string, VirtualNetworkGateway>;
  readonly loadBalancers: ReadonlyMap<string, LoadBalancer>;
  /** NAT gateways (absent: none in the plan, or a model built without them). */
  readonly natGateways?: ReadonlyMap<string, NatGateway>;
  /** Everything found wrong or undecidable while building the model. */
  readonly diagnostics: readonly Diagnostic[];
  /** Traffic-carrying resources the model does not represent (absent: none, or a model built without records). */
  readonly unmodelled?: readonly UnmodelledResource[];
  /** Azure Firewalls, their policies, rule collection groups and IP groups (absent: none in the plan). */
  readonly firewall?: FirewallModel;
  /** Application gateways and their subnets (absent: none). */
  readonly applicationGateways?: readonly ApplicationGatewayPlacement[];
  /** Virtual Network Manager resources (absent: the plan declares none). */
  readonly avnm?: Avnm;
}

/*
 * Azure Virtual Network Manager (AVNM) security admin rules (issue 15). Microsoft's documentation:
 * https://learn.microsoft.com/azure/virtual-network-manager/concept-security-admins (evaluation before NSGs, the
 * three actions, priority 1-4096), concept-network-groups (static members), concept-deployments (a configuration
 * takes effect only in the regions it is committed to). Resource shapes: @pulumi/azure-native 3.x
 * network/{networkManager,networkGroup,staticMember,securityAdminConfiguration,adminRuleCollection,adminRule,
 * defaultAdminRule,commit}.d.ts (pulumi/pulumi-azure-native-sdk network/adminRule.go and siblings).
 */

/** Allow hands the flow to the NSGs; AlwaysAllow accepts it without them; Deny stops it. */
export type AdminAccess = "Allow" | "Deny" | "AlwaysAllow";

export interface AdminRule extends RuleFields<AdminAccess> {
  /** `Custom` (an AdminRule resource) or `Default` (a DefaultAdminRule: its content is Azure's, not the plan's). */
  readonly kind: "Custom" | "Default";
  /** The AdminRuleCollection's key; Unknown when the plan does not say which collection it belongs to. */
  readonly collectionKey: Maybe<string>;
}

export interface NetworkManager extends Entity {
  /** networkManagerScopeAccesses: a SecurityAdmin configuration deploys only when it lists SecurityAdmin. */
  readonly scopeAccesses: Maybe<readonly string[] | undefined>;
}

export interface NetworkGroup extends Entity {
  readonly networkManagerKey: Maybe<string>;
  /** memberType as written (VirtualNetwork, Subnet), when set. */
  readonly memberType: Maybe<string | undefined>;
  /** VNet keys of its StaticMember resources (Unknown: a member whose resourceId is not known or not in the plan). */
  readonly staticMembers: readonly Maybe<string>[];
  /**
   * Set when an Azure Policy definition of the plan adds members to the group (effect addToNetworkGroup): which VNets
   * it adds is decided by Azure, not by the plan, so membership of any other VNet is undecided.
   */
  readonly dynamicMembers?: Unknown;
}

export interface SecurityAdminConfiguration extends Entity {
  readonly networkManagerKey: Maybe<string>;
}

export interface AdminRuleCollection extends Entity {
  readonly configurationKey: Maybe<string>;
  /** appliesToGroups[].networkGroupId, resolved to network group keys. */
  readonly appliesToGroups: Maybe<readonly Maybe<string>[]>;
}

/** A Commit (azure-native:network:Commit): deploys configurations of one type to regions (goal state). */
export interface AvnmCommit extends Entity {
  readonly networkManagerKey: Maybe<string>;
  readonly commitType: Maybe<string>;
  readonly configurationKeys: Maybe<readonly Maybe<string>[]>;
  /** Regions, lower-cased without spaces (`westeurope`). */
  readonly targetLocations: Maybe<readonly string[]>;
}

export interface Avnm {
  readonly networkManagers: ReadonlyMap<string, NetworkManager>;
  readonly networkGroups: ReadonlyMap<string, NetworkGroup>;
  readonly configurations: ReadonlyMap<string, SecurityAdminConfiguration>;
  readonly collections: ReadonlyMap<string, AdminRuleCollection>;
  /** Every admin rule, in key order (the engine sorts the ones that apply by priority). */
  readonly rules: readonly AdminRule[];
  readonly commits: ReadonlyMap<string, AvnmCommit>;
  /** Each VNet's region (lower-cased, no spaces); Unknown when it follows the resource group's. */
  readonly vnetLocations: ReadonlyMap<string, Maybe<string>>;
}
