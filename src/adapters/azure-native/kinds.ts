/**
 * The azure-native adapter's kind table (issue 14 point 7): every resource type the adapter reads, one row each,
 * and the types it lists without modelling them. This file is the only one in the adapter that spells a type
 * token (test/adapters/azure-native/kind-table.test.ts holds that); the lookups below are derived from the rows.
 *
 * Adding a kind is a row here, a reader file, and (when it brings a new topology map) a build step in index.ts
 * plus its field in src/model/topology.ts; the fields the reader reads get their shapes in field-shapes.ts.
 */
import type { Topology } from "../../model/topology";
import { unversionedKey } from "../../providers/type-token";

/** The Pulumi package whose type tokens this adapter reads (the provider registry's row for it). */
export const AZURE_NATIVE_PACKAGE = "azure-native";

/**
 * How a kind's entities are made referable before anything is resolved (index.ts registers in this order):
 * - `top-level`: a resource of its own, by URN (entities.ts registerTopLevel, in table order);
 * - `child`: declared standalone or inline in its parent's `inline` list, merged (entities.ts collectChildren);
 * - `avnm`: Virtual Network Manager resources, parents first in table order (avnm.ts);
 * - `none`: never the target of a reference (a firewall policy's rule collection groups name their policy).
 */
export type Registration = "top-level" | "child" | "avnm" | "none";

interface KindRow {
  readonly kind: string;
  /** The type token, unversioned: `azure-native:network/v20240501:Subnet` is read as `azure-native:network:Subnet`. */
  readonly token: string;
  /** Other spellings of the same type (a renamed module or resource), read the same way. */
  readonly aliases?: readonly string[];
  /** Human words for messages. */
  readonly label: string;
  /** The path parameter that holds the Azure name (the SDK's *Args interfaces). */
  readonly nameParam: string;
  /** ARM resource type (lower-cased) of the kind's ids, for references by id; absent: never looked up by id. */
  readonly armType?: string;
  /** The parent kind of a child resource (its id is the parent's id plus a segment). */
  readonly parent?: string;
  /** For `child` kinds: the parent's inline list that may declare it too. */
  readonly inline?: string;
  readonly registration: Registration;
  /** The topology maps the kind's records feed (a scale set's feed vms, nics and publicIps). */
  readonly topology: readonly (keyof Topology)[];
  /** Fields compared when a child is declared both inline and standalone (twins.ts). */
  readonly twinFields?: readonly string[];
  /** Named in every verdict it decides, so its `name` must agree with its path parameter (name-mismatch.ts). */
  readonly namedInVerdicts?: true;
  /**
   * Its body is read by the readers of the resources that refer to it, not by a reader of its own (a local network
   * gateway's prefixes, through the connection). Any other kind no reader asked for is said (index.ts unreadRecords).
   */
  readonly readByReferrer?: true;
}

const NETWORK = (resource: string): string => `${AZURE_NATIVE_PACKAGE}:network:${resource}`;
const COMPUTE = (resource: string): string => `${AZURE_NATIVE_PACKAGE}:compute:${resource}`;

/*
 * Rows in registration order within each registration. Path parameters: pulumi-azure-native SDK *Args
 * (AzureFirewallArgs.azureFirewallName, IpGroupArgs.ipGroupsName, PrivateEndpointArgs.privateEndpointName,
 * VirtualMachineScaleSetArgs.vmScaleSetName, sdk/nodejs/network/localNetworkGateway.ts and
 * virtualNetworkGatewayConnection.ts, the Virtual Network Manager resources' network/*.d.ts; docs/avnm.md).
 */
export const KINDS = [
  { kind: "vnet", token: NETWORK("VirtualNetwork"), label: "virtual network", nameParam: "virtualNetworkName", armType: "microsoft.network/virtualnetworks", registration: "top-level", topology: ["vnets"] },
  {
    kind: "subnet", token: NETWORK("Subnet"), label: "subnet", nameParam: "subnetName", armType: "microsoft.network/virtualnetworks/subnets",
    parent: "vnet", inline: "subnets", registration: "child", topology: ["subnets"],
    twinFields: ["addressPrefix", "addressPrefixes", "networkSecurityGroup", "routeTable"],
  },
  { kind: "nsg", token: NETWORK("NetworkSecurityGroup"), label: "network security group", nameParam: "networkSecurityGroupName", armType: "microsoft.network/networksecuritygroups", registration: "top-level", topology: ["nsgs"] },
  {
    kind: "securityRule", token: NETWORK("SecurityRule"), label: "security rule", nameParam: "securityRuleName", armType: "microsoft.network/networksecuritygroups/securityrules",
    parent: "nsg", inline: "securityRules", registration: "child", topology: ["nsgs"],
    twinFields: [
      "priority", "direction", "access", "protocol",
      "sourceAddressPrefix", "sourceAddressPrefixes", "destinationAddressPrefix", "destinationAddressPrefixes",
      "sourcePortRange", "sourcePortRanges", "destinationPortRange", "destinationPortRanges",
    ],
  },
  { kind: "asg", token: NETWORK("ApplicationSecurityGroup"), label: "application security group", nameParam: "applicationSecurityGroupName", armType: "microsoft.network/applicationsecuritygroups", registration: "top-level", topology: ["asgs"] },
  { kind: "routeTable", token: NETWORK("RouteTable"), label: "route table", nameParam: "routeTableName", armType: "microsoft.network/routetables", registration: "top-level", topology: ["routeTables"] },
  { kind: "nic", token: NETWORK("NetworkInterface"), label: "network interface", nameParam: "networkInterfaceName", armType: "microsoft.network/networkinterfaces", registration: "top-level", topology: ["nics"] },
  {
    kind: "route", token: NETWORK("Route"), label: "route", nameParam: "routeName", armType: "microsoft.network/routetables/routes",
    parent: "routeTable", inline: "routes", registration: "child", topology: ["routeTables"],
    twinFields: ["addressPrefix", "nextHopType", "nextHopIpAddress"],
  },
  {
    kind: "peering", token: NETWORK("VirtualNetworkPeering"), label: "virtual network peering", nameParam: "virtualNetworkPeeringName", armType: "microsoft.network/virtualnetworks/virtualnetworkpeerings",
    parent: "vnet", inline: "virtualNetworkPeerings", registration: "child", topology: ["peerings", "vnets"],
  },
  { kind: "publicIp", token: NETWORK("PublicIPAddress"), label: "public IP address", nameParam: "publicIpAddressName", armType: "microsoft.network/publicipaddresses", registration: "top-level", topology: ["publicIps"] },
  { kind: "gateway", token: NETWORK("VirtualNetworkGateway"), label: "virtual network gateway", nameParam: "virtualNetworkGatewayName", armType: "microsoft.network/virtualnetworkgateways", registration: "top-level", topology: ["gateways"] },
  { kind: "loadBalancer", token: NETWORK("LoadBalancer"), label: "load balancer", nameParam: "loadBalancerName", armType: "microsoft.network/loadbalancers", registration: "top-level", topology: ["loadBalancers"] },
  { kind: "vm", token: COMPUTE("VirtualMachine"), label: "virtual machine", nameParam: "vmName", armType: "microsoft.compute/virtualmachines", registration: "top-level", topology: ["vms"] },
  { kind: "firewall", token: NETWORK("AzureFirewall"), label: "Azure Firewall", nameParam: "azureFirewallName", armType: "microsoft.network/azurefirewalls", registration: "top-level", topology: ["firewall"] },
  { kind: "firewallPolicy", token: NETWORK("FirewallPolicy"), label: "firewall policy", nameParam: "firewallPolicyName", armType: "microsoft.network/firewallpolicies", registration: "top-level", topology: ["firewall"] },
  {
    kind: "ruleCollectionGroup", token: NETWORK("FirewallPolicyRuleCollectionGroup"), label: "firewall policy rule collection group", nameParam: "ruleCollectionGroupName",
    armType: "microsoft.network/firewallpolicies/rulecollectiongroups", parent: "firewallPolicy", registration: "none", topology: ["firewall"],
  },
  { kind: "ipGroup", token: NETWORK("IpGroup"), label: "IP group", nameParam: "ipGroupsName", armType: "microsoft.network/ipgroups", registration: "top-level", topology: ["firewall"] },
  { kind: "privateEndpoint", token: NETWORK("PrivateEndpoint"), label: "private endpoint", nameParam: "privateEndpointName", armType: "microsoft.network/privateendpoints", registration: "top-level", topology: ["nics"] },
  { kind: "vmss", token: COMPUTE("VirtualMachineScaleSet"), label: "VM scale set", nameParam: "vmScaleSetName", armType: "microsoft.compute/virtualmachinescalesets", registration: "top-level", topology: ["vms", "nics", "publicIps"] },
  { kind: "localGateway", token: NETWORK("LocalNetworkGateway"), label: "local network gateway", nameParam: "localNetworkGatewayName", armType: "microsoft.network/localnetworkgateways", registration: "top-level", topology: ["gateways"], readByReferrer: true },
  { kind: "gatewayConnection", token: NETWORK("VirtualNetworkGatewayConnection"), label: "virtual network gateway connection", nameParam: "virtualNetworkGatewayConnectionName", armType: "microsoft.network/connections", registration: "top-level", topology: ["gateways"] },
  // Virtual Network Manager (issue 15; docs/avnm.md): parents before children.
  { kind: "networkManager", token: NETWORK("NetworkManager"), label: "virtual network manager", nameParam: "networkManagerName", armType: "microsoft.network/networkmanagers", registration: "avnm", topology: ["avnm"] },
  { kind: "networkGroup", token: NETWORK("NetworkGroup"), label: "network group", nameParam: "networkGroupName", armType: "microsoft.network/networkmanagers/networkgroups", parent: "networkManager", registration: "avnm", topology: ["avnm"] },
  {
    kind: "securityAdminConfiguration", token: NETWORK("SecurityAdminConfiguration"), label: "security admin configuration", nameParam: "configurationName",
    armType: "microsoft.network/networkmanagers/securityadminconfigurations", parent: "networkManager", registration: "avnm", topology: ["avnm"], namedInVerdicts: true,
  },
  { kind: "avnmCommit", token: NETWORK("Commit"), label: "network manager commit", nameParam: "commitName", parent: "networkManager", registration: "avnm", topology: ["avnm"] },
  {
    kind: "adminRuleCollection", token: NETWORK("AdminRuleCollection"), label: "admin rule collection", nameParam: "ruleCollectionName",
    armType: "microsoft.network/networkmanagers/securityadminconfigurations/rulecollections", parent: "securityAdminConfiguration", registration: "avnm", topology: ["avnm"], namedInVerdicts: true,
  },
  {
    kind: "staticMember", token: NETWORK("StaticMember"), label: "network group static member", nameParam: "staticMemberName",
    armType: "microsoft.network/networkmanagers/networkgroups/staticmembers", parent: "networkGroup", registration: "avnm", topology: ["avnm"],
  },
  {
    kind: "adminRule", token: NETWORK("AdminRule"), label: "security admin rule", nameParam: "ruleName",
    armType: "microsoft.network/networkmanagers/securityadminconfigurations/rulecollections/rules", parent: "adminRuleCollection", registration: "avnm", topology: ["avnm"], namedInVerdicts: true,
  },
  { kind: "defaultAdminRule", token: NETWORK("DefaultAdminRule"), label: "default security admin rule", nameParam: "ruleName", parent: "adminRuleCollection", registration: "avnm", topology: ["avnm"] },
] as const satisfies readonly KindRow[];

export type ResourceKind = (typeof KINDS)[number]["kind"];

/** A row, typed by kind (parent kinds are kinds). */
export type Row = Omit<KindRow, "kind" | "parent"> & { readonly kind: ResourceKind; readonly parent?: ResourceKind };

const ROWS: readonly Row[] = KINDS;
const ROW: ReadonlyMap<ResourceKind, Row> = new Map(ROWS.map((r) => [r.kind, r]));

export function rowOf(kind: ResourceKind): Row {
  const row = ROW.get(kind);
  if (row === undefined) throw new Error(`no kind table row for ${kind}`);
  return row;
}

/** Every token and alias, unversioned, to its kind. */
const KIND_BY_KEY: ReadonlyMap<string, ResourceKind> = new Map(
  ROWS.flatMap((r) => [r.token, ...(r.aliases ?? [])].map((t) => [unversionedKey(t) ?? t, r.kind] as const)),
);

const NO_KIND = "";
const KIND_OF_TYPE_CAP = 4096;
const KIND_OF_TYPE = new Map<string, ResourceKind | typeof NO_KIND>();

/** The kind a type token (any API-version spelling) names; undefined for a type the adapter does not read. */
export function kindOfType(type: string): ResourceKind | undefined {
  // Asked for every record several times per build (context, field shapes, registration): a plan has few distinct
  // type tokens, so the answer is kept per token (a pure function of the string; capped for a long-lived process).
  const hit = KIND_OF_TYPE.get(type);
  if (hit !== undefined) return hit === NO_KIND ? undefined : hit;
  const key = unversionedKey(type);
  const kind = key === undefined ? undefined : KIND_BY_KEY.get(key);
  if (KIND_OF_TYPE.size < KIND_OF_TYPE_CAP) KIND_OF_TYPE.set(type, kind ?? NO_KIND);
  return kind;
}

/** True when `type` is one of these tokens in any API-version spelling. */
export function isTypeOf(type: string, tokens: readonly string[]): boolean {
  const key = unversionedKey(type);
  return key !== undefined && tokens.some((t) => unversionedKey(t) === key);
}

/** Resource names (lower-cased) of the modelled types: a well-formed token spelling one differently is said. */
export const MODELLED_RESOURCE_NAMES: ReadonlySet<string> = new Set(
  ROWS.flatMap((r) => [r.token, ...(r.aliases ?? [])]).map((t) => t.slice(t.lastIndexOf(":") + 1).toLowerCase()),
);

function column(pick: (row: Row) => string): Readonly<Record<ResourceKind, string>> {
  return Object.fromEntries(ROWS.map((r) => [r.kind, pick(r)])) as Record<ResourceKind, string>;
}

/** Human words for messages, by kind. */
export const KIND_LABEL = column((r) => r.label);
/** The path parameter that holds each kind's Azure name. */
export const NAME_PARAM = column((r) => r.nameParam);

/** The kinds of one registration, in table order. */
export function kindsRegistered(registration: Registration): readonly ResourceKind[] {
  return ROWS.filter((r) => r.registration === registration).map((r) => r.kind);
}

/** ARM resource types (namespace/type[/childType], lower-cased) to kinds. */
export const ARM_KINDS: ReadonlyMap<string, ResourceKind> = new Map(
  ROWS.flatMap((r) => (r.armType === undefined ? [] : [[r.armType, r.kind] as const])),
);

/*
 * Types the adapter reads without an entity of their own. Application gateways: which subnets hold one
 * (application-gateway.ts, for AR-032); what they do with traffic is not modelled, so they stay in the unmodelled
 * list below. Azure Policy definitions (authorization module) that can carry an addToNetworkGroup effect: AVNM's
 * dynamic membership (avnm.ts).
 */
export const APPLICATION_GATEWAY_TYPES: readonly string[] = [NETWORK("ApplicationGateway")];
export const POLICY_DEFINITION_TYPES: readonly string[] = [
  `${AZURE_NATIVE_PACKAGE}:authorization:PolicyDefinition`,
  `${AZURE_NATIVE_PACKAGE}:authorization:PolicyDefinitionAtManagementGroup`,
];

/**
 * azure-native types the adapter does not model that carry or filter traffic, with a readable label: listed in
 * every report (unmodelled.ts), never silently ignored.
 */
const UNMODELLED_TRAFFIC_TYPES: ReadonlyArray<{ readonly token: string; readonly label: string }> = [
  { token: NETWORK("PrivateLinkService"), label: "private link service" },
  { token: NETWORK("ApplicationGateway"), label: "application gateway" },
  { token: NETWORK("NatGateway"), label: "NAT gateway" },
  { token: NETWORK("BastionHost"), label: "Bastion host" },
  { token: NETWORK("ExpressRouteCircuit"), label: "ExpressRoute circuit" },
  { token: NETWORK("VirtualHub"), label: "virtual hub" },
  { token: NETWORK("VirtualWan"), label: "virtual WAN" },
  { token: NETWORK("NetworkVirtualAppliance"), label: "network virtual appliance" },
  // Virtual Network Manager's security admin resources are modelled (docs/avnm.md); these configurations are not.
  { token: NETWORK("ConnectivityConfiguration"), label: "virtual network manager connectivity configuration" },
  { token: NETWORK("SecurityUserConfiguration"), label: "virtual network manager security user configuration" },
  { token: NETWORK("RoutingConfiguration"), label: "virtual network manager routing configuration" },
  { token: NETWORK("DnsResolver"), label: "DNS private resolver" },
  { token: NETWORK("VirtualNetworkTap"), label: "virtual network TAP" },
  // Per-instance overrides of a scale set's instances (the scale set's own profile is modelled: scale-set.ts).
  { token: COMPUTE("VirtualMachineScaleSetVM"), label: "VM scale set instance" },
  { token: `${AZURE_NATIVE_PACKAGE}:web:WebApp`, label: "App Service app" },
  { token: `${AZURE_NATIVE_PACKAGE}:web:WebAppSwiftVirtualNetworkConnection`, label: "App Service VNet integration" },
  { token: `${AZURE_NATIVE_PACKAGE}:web:WebAppSlot`, label: "App Service slot" },
  { token: `${AZURE_NATIVE_PACKAGE}:containerservice:ManagedCluster`, label: "AKS cluster" },
  { token: `${AZURE_NATIVE_PACKAGE}:containerinstance:ContainerGroup`, label: "container group" },
  { token: `${AZURE_NATIVE_PACKAGE}:app:ManagedEnvironment`, label: "Container Apps environment" },
  { token: `${AZURE_NATIVE_PACKAGE}:apimanagement:ApiManagementService`, label: "API Management service" },
];

const UNMODELLED_LABEL: ReadonlyMap<string, string> = new Map(UNMODELLED_TRAFFIC_TYPES.map((u) => [unversionedKey(u.token) ?? u.token, u.label]));

/** The label of an unmodelled traffic-carrying azure-native type; undefined for a modelled or harmless one. */
export function unmodelledLabel(type: string): string | undefined {
  if (kindOfType(type) !== undefined) return undefined;
  const key = unversionedKey(type);
  return key === undefined ? undefined : UNMODELLED_LABEL.get(key);
}
