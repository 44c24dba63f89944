/**
 * What the fast path (ip-flow-verify-fast.ts) and the general one (ip-flow-verify.ts) say alike of a NIC without any
 * NSG (the question's echo is the answer's: src/answers/ip-flow-verify.ts).
 */
import type { Nic, Topology } from "../model/topology";
import { isUnknown } from "../model/unknown";
import { displayName } from "./find";
import { lookup, subnetOfNic } from "./topology-queries";

const NO_NSG_NOTE = "no network security group applies to this NIC or its subnet: all traffic is allowed";

/**
 * The note for an answer with no NSG: for a private endpoint whose subnet has an NSG, why it does not apply
 * (the subnet's privateEndpointNetworkPolicies; docs/endpoints.md).
 */
export function noNsgNote(topo: Topology, nic: Nic): string {
  if (!nic.privateEndpoint) return NO_NSG_NOTE;
  const subnet = subnetOfNic(topo, nic);
  if (subnet === undefined || isUnknown(subnet)) return NO_NSG_NOTE;
  const nsg = lookup(topo.nsgs, subnet.nsgKey);
  if (nsg === undefined || isUnknown(nsg)) return NO_NSG_NOTE;
  const policy = typeof subnet.privateEndpointNetworkPolicies === "string" ? subnet.privateEndpointNetworkPolicies : "Disabled (the default)";
  return `the subnet's NSG ${displayName(nsg)} does not apply to this private endpoint: the subnet's privateEndpointNetworkPolicies is ${policy}; no other NSG applies: all traffic is allowed`;
}
