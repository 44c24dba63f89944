import { PortSet } from "../sets/port-set";
import { ProtocolSet } from "../sets/protocol-set";
import type { Access, AddressSpec, Direction, SecurityRule } from "../model/topology";

type DefaultRow = readonly [name: string, direction: Direction, priority: number, source: string, destination: string, access: Access, description: string];

/** Azure's six default rules, in the API's spelling (docs/azure-semantics.md §1). */
export const DEFAULT_RULE_TABLE: readonly DefaultRow[] = [
  ["AllowVnetInBound", "Inbound", 65000, "VirtualNetwork", "VirtualNetwork", "Allow", "Allow inbound traffic from all VMs in VNET"],
  ["AllowAzureLoadBalancerInBound", "Inbound", 65001, "AzureLoadBalancer", "*", "Allow", "Allow inbound traffic from azure load balancer"],
  ["DenyAllInBound", "Inbound", 65500, "*", "*", "Deny", "Deny all inbound traffic"],
  ["AllowVnetOutBound", "Outbound", 65000, "VirtualNetwork", "VirtualNetwork", "Allow", "Allow outbound traffic from all VMs to all VMs in VNET"],
  ["AllowInternetOutBound", "Outbound", 65001, "*", "Internet", "Allow", "Allow outbound traffic from all VMs to Internet"],
  ["DenyAllOutBound", "Outbound", 65500, "*", "*", "Deny", "Deny all outbound traffic"],
];

function spec(text: string): AddressSpec {
  return text === "*" ? { kind: "any", text } : { kind: "tag", text, tag: text };
}

/** The default rules of an NSG, for when the plan does not list them (inputs never do). */
export function defaultSecurityRules(nsgKey: string, urn: string): SecurityRule[] {
  return DEFAULT_RULE_TABLE.map(([name, direction, priority, source, destination, access, description]) => ({
    name,
    nsgKey,
    urn,
    origin: "default",
    priority,
    direction,
    access,
    protocol: ProtocolSet.all(),
    protocolText: "*",
    sources: [spec(source)],
    destinations: [spec(destination)],
    sourcePorts: PortSet.all(),
    destinationPorts: PortSet.all(),
    valid: true,
    description,
  }));
}
