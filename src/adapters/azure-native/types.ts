/**
 * azure-native type tokens this adapter reads, and a matcher that accepts versioned tokens
 * (`azure-native:network/v20240501:Subnet` is a `azure-native:network:Subnet`).
 */

export const AZURE_NATIVE_TYPES = {
  VirtualNetwork: "azure-native:network:VirtualNetwork",
  Subnet: "azure-native:network:Subnet",
  NetworkSecurityGroup: "azure-native:network:NetworkSecurityGroup",
  SecurityRule: "azure-native:network:SecurityRule",
  NetworkInterface: "azure-native:network:NetworkInterface",
  ApplicationSecurityGroup: "azure-native:network:ApplicationSecurityGroup",
  RouteTable: "azure-native:network:RouteTable",
  Route: "azure-native:network:Route",
  VirtualNetworkPeering: "azure-native:network:VirtualNetworkPeering",
  PublicIPAddress: "azure-native:network:PublicIPAddress",
  VirtualNetworkGateway: "azure-native:network:VirtualNetworkGateway",
  LoadBalancer: "azure-native:network:LoadBalancer",
  VirtualMachine: "azure-native:compute:VirtualMachine",
  AzureFirewall: "azure-native:network:AzureFirewall",
  FirewallPolicy: "azure-native:network:FirewallPolicy",
  FirewallPolicyRuleCollectionGroup: "azure-native:network:FirewallPolicyRuleCollectionGroup",
  IpGroup: "azure-native:network:IpGroup",
  PrivateEndpoint: "azure-native:network:PrivateEndpoint",
} as const;

export type ResourceKind =
  | "vnet"
  | "subnet"
  | "nsg"
  | "securityRule"
  | "nic"
  | "asg"
  | "routeTable"
  | "route"
  | "peering"
  | "publicIp"
  | "gateway"
  | "loadBalancer"
  | "vm"
  | "firewall"
  | "firewallPolicy"
  | "ruleCollectionGroup"
  | "ipGroup"
  | "privateEndpoint";

const KIND_BY_TOKEN: ReadonlyArray<readonly [string, ResourceKind]> = [
  [AZURE_NATIVE_TYPES.VirtualNetwork, "vnet"],
  [AZURE_NATIVE_TYPES.Subnet, "subnet"],
  [AZURE_NATIVE_TYPES.NetworkSecurityGroup, "nsg"],
  [AZURE_NATIVE_TYPES.SecurityRule, "securityRule"],
  [AZURE_NATIVE_TYPES.NetworkInterface, "nic"],
  [AZURE_NATIVE_TYPES.ApplicationSecurityGroup, "asg"],
  [AZURE_NATIVE_TYPES.RouteTable, "routeTable"],
  [AZURE_NATIVE_TYPES.Route, "route"],
  [AZURE_NATIVE_TYPES.VirtualNetworkPeering, "peering"],
  [AZURE_NATIVE_TYPES.PublicIPAddress, "publicIp"],
  [AZURE_NATIVE_TYPES.VirtualNetworkGateway, "gateway"],
  [AZURE_NATIVE_TYPES.LoadBalancer, "loadBalancer"],
  [AZURE_NATIVE_TYPES.VirtualMachine, "vm"],
  [AZURE_NATIVE_TYPES.AzureFirewall, "firewall"],
  [AZURE_NATIVE_TYPES.FirewallPolicy, "firewallPolicy"],
  [AZURE_NATIVE_TYPES.FirewallPolicyRuleCollectionGroup, "ruleCollectionGroup"],
  [AZURE_NATIVE_TYPES.IpGroup, "ipGroup"],
  [AZURE_NATIVE_TYPES.PrivateEndpoint, "privateEndpoint"],
];

/** Human words for messages. */
export const KIND_LABEL: Readonly<Record<ResourceKind, string>> = {
  vnet: "virtual network",
  subnet: "subnet",
  nsg: "network security group",
  securityRule: "security rule",
  nic: "network interface",
  asg: "application security group",
  routeTable: "route table",
  route: "route",
  peering: "virtual network peering",
  publicIp: "public IP address",
  gateway: "virtual network gateway",
  loadBalancer: "load balancer",
  vm: "virtual machine",
  firewall: "Azure Firewall",
  firewallPolicy: "firewall policy",
  ruleCollectionGroup: "firewall policy rule collection group",
  ipGroup: "IP group",
  privateEndpoint: "private endpoint",
};

export interface TypeToken {
  readonly pkg: string;
  readonly module: string;
  /** API version of a versioned module (`v20240501`), when present. */
  readonly version?: string;
  readonly resource: string;
}

/** `pkg:module[/version]:Resource`; undefined when the token does not have three parts. */
export function parseTypeToken(token: string): TypeToken | undefined {
  const parts = token.split(":");
  if (parts.length !== 3 || parts.some((p) => p === "")) return undefined;
  const [pkg, moduleText, resource] = parts;
  const slash = moduleText.indexOf("/");
  if (slash < 0) return { pkg, module: moduleText, resource };
  return { pkg, module: moduleText.slice(0, slash), version: moduleText.slice(slash + 1), resource };
}

/** True when `actual` is `expected` or one of its versioned forms: same package, module and resource. */
export function matchesType(actual: string, expected: string): boolean {
  const a = parseTypeToken(actual);
  const e = parseTypeToken(expected);
  return a !== undefined && e !== undefined && a.pkg === e.pkg && a.module === e.module && a.resource === e.resource;
}

export function kindOfType(type: string): ResourceKind | undefined {
  for (const [token, kind] of KIND_BY_TOKEN) if (matchesType(type, token)) return kind;
  return undefined;
}
