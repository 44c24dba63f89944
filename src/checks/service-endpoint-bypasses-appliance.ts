/**
 * AR-030 service-endpoint-bypasses-appliance: a subnet with service endpoints whose route table sends 0.0.0.0/0 to
 * a virtual appliance (a firewall). The service endpoint's routes (next hop VirtualNetworkServiceEndpoint) carry the
 * service's prefixes and are longer than 0.0.0.0/0, so traffic to the service goes straight to it over Microsoft's
 * backbone and never through the appliance ("Optimal routing": routes that force Internet traffic to virtual
 * appliances no longer take the service's traffic; MicrosoftDocs/azure-docs
 * articles/virtual-network/virtual-network-service-endpoints-overview.md). Often intended; often not: the firewall
 * neither filters nor logs that traffic.
 */
import { isUnknown } from "../model/unknown";
import { IpSet } from "../sets/ip-set";
import { SERVICE_ENDPOINT_TAGS } from "../engine/service-endpoint-routes";
import { makeFinding, sortedValues, subnetLabel } from "./helpers";
import type { Check, CheckContext, Finding } from "./types";

const DEFAULT_ROUTE = IpSet.fromCidr("0.0.0.0/0");

export const serviceEndpointBypassesAppliance: Check = {
  id: "AR-030",
  name: "service-endpoint-bypasses-appliance",
  title: "Service endpoint traffic skips the appliance of the subnet's 0.0.0.0/0 route",
  severity: "medium",
  explanation:
    "A service endpoint adds routes for the service's address prefixes with next hop VirtualNetworkServiceEndpoint. " +
    "They are more specific than 0.0.0.0/0, so traffic from the subnet to the service goes directly to it and not " +
    "through the virtual appliance (firewall) the subnet's default route names: the appliance neither filters nor logs it.",
  fix:
    "If the service's traffic must pass the firewall, remove the service endpoint from this subnet (enable it on the " +
    "firewall's subnet, or use a private endpoint); if the bypass is intended, suppress the finding with a reason.",
  run(ctx: CheckContext): Finding[] {
    const topo = ctx.env.topo;
    const out: Finding[] = [];
    for (const subnet of sortedValues(topo.subnets)) {
      const list = subnet.serviceEndpoints;
      if (list === undefined || isUnknown(list) || list.length === 0) continue;
      if (isUnknown(subnet.routeTableKey) || subnet.routeTableKey === null) continue;
      const table = topo.routeTables.get(subnet.routeTableKey);
      if (!table) continue;
      const forced = table.routes.find(
        (r) => r.valid && r.nextHopType === "VirtualAppliance" && !isUnknown(r.addressPrefix) && r.addressPrefix !== undefined && r.addressPrefix.equals(DEFAULT_ROUTE),
      );
      if (!forced) continue;
      const services = list.map((se) => (isUnknown(se.service) ? "(unknown service)" : se.service));
      const tags = list.map((se) => (isUnknown(se.service) ? undefined : SERVICE_ENDPOINT_TAGS[se.service.toLowerCase()])).filter((t): t is string => t !== undefined);
      const hop = typeof forced.nextHopIpAddress === "string" ? ` ${forced.nextHopIpAddress}` : "";
      out.push(
        makeFinding(serviceEndpointBypassesAppliance, {
          severity: "medium",
          resources: [subnet.urn, forced.urn],
          message:
            `${subnetLabel(topo, subnet)} has service endpoints for ${services.join(", ")} and route ${forced.name} 0.0.0.0/0 -> VirtualAppliance${hop} ` +
            `(route table ${table.logicalName || table.key}): traffic to ${services.length === 1 ? "that service" : "those services"} takes the VirtualNetworkServiceEndpoint routes and skips the appliance`,
          details: { services, serviceTags: [...new Set(tags)], route: forced.name, ...(hop ? { appliance: hop.trim() } : {}) },
        }),
      );
    }
    return out;
  },
};
