import type { WireObject } from "./values";
import { isUnknownSentinel } from "./values";

/** The subscription every fake id lives in: obviously fake, and stable so generated files do not churn. */
export const MOCK_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";

/** One `<collection>/<name>` step of an ARM id, and the azure-native input that holds the name. */
type Segment = readonly [collection: string, nameInput: string];

interface ArmKind {
  readonly provider: string;
  /** From the outermost resource to this one; the last names the resource itself. */
  readonly segments: readonly Segment[];
}

const net = (...segments: Segment[]): ArmKind => ({ provider: "Microsoft.Network", segments });
const compute = (...segments: Segment[]): ArmKind => ({ provider: "Microsoft.Compute", segments });

/**
 * azure-native resources by `<module>:<Resource>`: where their ARM id comes from. The name inputs are azure-native's
 * path parameters (checked against @pulumi/azure-native 3.28.0's constructors).
 */
const KINDS: Readonly<Record<string, ArmKind>> = {
  "network:VirtualNetwork": net(["virtualNetworks", "virtualNetworkName"]),
  "network:Subnet": net(["virtualNetworks", "virtualNetworkName"], ["subnets", "subnetName"]),
  "network:VirtualNetworkPeering": net(
    ["virtualNetworks", "virtualNetworkName"],
    ["virtualNetworkPeerings", "virtualNetworkPeeringName"],
  ),
  "network:NetworkSecurityGroup": net(["networkSecurityGroups", "networkSecurityGroupName"]),
  "network:SecurityRule": net(["networkSecurityGroups", "networkSecurityGroupName"], ["securityRules", "securityRuleName"]),
  "network:ApplicationSecurityGroup": net(["applicationSecurityGroups", "applicationSecurityGroupName"]),
  "network:NetworkInterface": net(["networkInterfaces", "networkInterfaceName"]),
  "network:RouteTable": net(["routeTables", "routeTableName"]),
  "network:Route": net(["routeTables", "routeTableName"], ["routes", "routeName"]),
  "network:PublicIPAddress": net(["publicIPAddresses", "publicIpAddressName"]),
  "network:BastionHost": net(["bastionHosts", "bastionHostName"]),
  "network:AzureFirewall": net(["azureFirewalls", "azureFirewallName"]),
  "network:FirewallPolicy": net(["firewallPolicies", "firewallPolicyName"]),
  "network:NatGateway": net(["natGateways", "natGatewayName"]),
  "network:LoadBalancer": net(["loadBalancers", "loadBalancerName"]),
  "network:PrivateEndpoint": net(["privateEndpoints", "privateEndpointName"]),
  "network:VirtualNetworkGateway": net(["virtualNetworkGateways", "virtualNetworkGatewayName"]),
  "network:ApplicationGateway": net(["applicationGateways", "applicationGatewayName"]),
  "compute:VirtualMachine": compute(["virtualMachines", "vmName"]),
  "compute:VirtualMachineScaleSet": compute(["virtualMachineScaleSets", "vmScaleSetName"]),
};

/**
 * Inline child collections whose elements Azure gives ids of their own (`<parent id>/<collection>/<name>`), so that
 * a reference to an inline subnet or rule resolves like one to a standalone resource.
 */
const INLINE_CHILDREN: Readonly<Record<string, readonly string[]>> = {
  "network:VirtualNetwork": ["subnets", "virtualNetworkPeerings"],
  "network:NetworkSecurityGroup": ["securityRules"],
  "network:RouteTable": ["routes"],
  "network:NetworkInterface": ["ipConfigurations"],
  "network:AzureFirewall": ["ipConfigurations"],
  "network:BastionHost": ["ipConfigurations"],
  "network:VirtualNetworkGateway": ["ipConfigurations"],
  "network:LoadBalancer": ["frontendIPConfigurations", "backendAddressPools", "loadBalancingRules", "probes", "inboundNatRules"],
};

export interface TypeToken {
  readonly pkg: string;
  /** Module without its API version: `network` for `azure-native:network/v20240501:Subnet`. */
  readonly module: string;
  readonly resource: string;
}

export function parseTypeToken(type: string): TypeToken {
  const [pkg = "", mod = "", resource = ""] = type.split(":");
  return { pkg, module: mod.split("/")[0] ?? "", resource };
}

function azureKey(type: string): string | undefined {
  const t = parseTypeToken(type);
  return t.pkg === "azure-native" ? `${t.module}:${t.resource}` : undefined;
}

export function isAzureNative(type: string): boolean {
  return azureKey(type) !== undefined;
}

function knownString(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" && !isUnknownSentinel(v) ? v : undefined;
}

/** Path parameters of a type: inputs that name the resource and its parents, never outputs in Azure's state. */
export function pathParameters(type: string): readonly string[] {
  const key = azureKey(type);
  if (key === undefined) return [];
  if (key === "resources:ResourceGroup") return ["resourceGroupName"];
  const kind = KINDS[key];
  return kind ? ["resourceGroupName", ...kind.segments.map(([, input]) => input)] : ["resourceGroupName"];
}

/**
 * The Azure name of a resource: its own name input when set, else its logical name. (azure-native would auto-name
 * it with a random suffix; the logical name keeps generated files stable. Examples set names explicitly.)
 */
export function azureName(type: string, logicalName: string, inputs: WireObject): string {
  const key = azureKey(type);
  const kind = key ? KINDS[key] : undefined;
  const own = kind?.segments[kind.segments.length - 1]?.[1] ?? (key === "resources:ResourceGroup" ? "resourceGroupName" : undefined);
  return knownString(own ? inputs[own] : undefined) ?? knownString(inputs["name"]) ?? logicalName;
}

/** `/mock/<type>/<name>`: the id of anything the table does not describe, or whose path inputs are unknown. */
export function fallbackId(type: string, logicalName: string): string {
  return `/mock/${type}/${logicalName}`;
}

/**
 * A deterministic ARM-shaped id, e.g.
 * `/subscriptions/0…0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/hub/subnets/nva`.
 */
export function armId(type: string, logicalName: string, inputs: WireObject): string {
  const key = azureKey(type);
  const own = azureName(type, logicalName, inputs);
  if (key === "resources:ResourceGroup") return `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${own}`;
  const kind = key ? KINDS[key] : undefined;
  const rg = knownString(inputs["resourceGroupName"]);
  if (!kind || !rg) return fallbackId(type, logicalName);
  const steps: string[] = [];
  for (const [i, [collection, input]] of kind.segments.entries()) {
    const name = i === kind.segments.length - 1 ? own : knownString(inputs[input]);
    if (name === undefined) return fallbackId(type, logicalName);
    steps.push(collection, name);
  }
  return `/subscriptions/${MOCK_SUBSCRIPTION}/resourceGroups/${rg}/providers/${kind.provider}/${steps.join("/")}`;
}

/** Inline child collections of a type (`subnets` of a VirtualNetwork, ...). */
export function inlineChildren(type: string): readonly string[] {
  const key = azureKey(type);
  return key ? INLINE_CHILDREN[key] ?? [] : [];
}
