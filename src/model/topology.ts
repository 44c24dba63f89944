import type { IpSet } from "../sets/ip-set";
import type { PortSet } from "../sets/port-set";
import type { ProtocolSet } from "../sets/protocol-set";
import type { Diagnostic } from "./diagnostic";
import type { Maybe } from "./unknown";

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
  /** NAT gateway on the subnet (`natGateway.id`): its key or ARM id; null = none; absent = not read. */
  readonly natGatewayKey?: Maybe<string | null>;
  /** `defaultOutboundAccess` (absent from the plan: true, the API's default; false makes a private subnet). */
  readonly defaultOutboundAccess?: Maybe<boolean>;
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

export interface SecurityRule {
  /** Rule name as Azure shows it. */
  readonly name: string;
  readonly nsgKey: string;
  /** URN of the resource that declares it: a standalone SecurityRule, else the NSG. */
  readonly urn: string;
  readonly origin: RuleOrigin;
  readonly priority: Maybe<number>;
  readonly direction: Maybe<Direction>;
  readonly access: Maybe<Access>;
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
}
