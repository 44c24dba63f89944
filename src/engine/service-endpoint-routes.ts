/**
 * The routes a subnet's service endpoints add: the service's address prefixes with next hop
 * VirtualNetworkServiceEndpoint, on that subnet only.
 *
 * Sources (MicrosoftDocs/azure-docs): articles/virtual-network/virtual-networks-udr-overview.md, "Virtual network
 * (VNet) service endpoint": "The public IP addresses for certain services are added to the route table by Azure
 * when you enable a service endpoint to the service ... only added to the route table of a subnet a service endpoint
 * is enabled for"; "How Azure selects a route": system routes for "virtual network service endpoints, are preferred
 * routes, even if BGP routes are more specific"; articles/virtual-network/virtual-network-service-endpoints-overview.md
 * ("Optimal routing"): routes that force Internet traffic to on-premises or to virtual appliances no longer take the
 * service's traffic. The prefixes come from the service tag file the product loads (`Storage.WestEurope` for
 * Microsoft.Storage in westeurope; `Storage` for location "*").
 *
 * Decisions (docs/endpoints.md): on an equal prefix the service endpoint route beats a user route; a user route more
 * specific than a service prefix still wins by longest prefix (the documentation is silent). Without the tag in the
 * file the prefixes are unknown: the route covers public unicast space with that doubt (the services' addresses are
 * public), so private destinations stay decided. Absent `locations`: Azure fills in the VNet's region, which the
 * model does not hold: the service's global prefixes, with that doubt.
 */
import type { Subnet } from "../model/topology";
import { isUnknown, unknown, type Unknown } from "../model/unknown";
import { IpSet } from "../sets/ip-set";
import { cidrLength, type EffectiveRoute } from "./routing";
import type { ServiceTagCatalog } from "../azure/service-tags";
import { NO_HINTS, noServiceTagsGiven, type InputHints } from "../model/input-hints";
import { PUBLIC_UNICAST } from "../azure/well-known";

/**
 * Service endpoint service names -> the service tag of their prefixes (virtual-network-service-endpoints-overview
 * lists the services; service-tags-overview the tags).
 */
export const SERVICE_ENDPOINT_TAGS: Readonly<Record<string, string>> = {
  "microsoft.storage": "Storage",
  "microsoft.storage.global": "Storage",
  "microsoft.sql": "Sql",
  "microsoft.azurecosmosdb": "AzureCosmosDB",
  "microsoft.keyvault": "AzureKeyVault",
  "microsoft.servicebus": "ServiceBus",
  "microsoft.eventhub": "EventHub",
  "microsoft.web": "AppService",
  "microsoft.cognitiveservices": "CognitiveServicesManagement",
  "microsoft.containerregistry": "AzureContainerRegistry",
};

/** "Storage.WestEurope" for ("Storage", "westeurope"); the global tag for "*". */
function tagFor(base: string, location: string): string {
  const loc = location.replace(/\s+/g, "");
  return loc === "*" ? base : `${base}.${loc}`;
}

export function serviceEndpointRoutes(subnet: Subnet, tags: ServiceTagCatalog, hints: InputHints = NO_HINTS): EffectiveRoute[] {
  const list = subnet.serviceEndpoints;
  if (list === undefined) return [];
  if (isUnknown(list)) return [make("(service endpoints unknown)", "?", "?", publicPart(), [list])];
  const out: EffectiveRoute[] = [];
  for (const se of list) {
    if (isUnknown(se.service)) {
      out.push(make("(service unknown)", "?", "?", publicPart(), [se.service]));
      continue;
    }
    const base = SERVICE_ENDPOINT_TAGS[se.service.toLowerCase()];
    if (base === undefined) {
      const cause = unknown(".serviceEndpoints[].service", subnet.urn, `the prefixes of service ${se.service} are not known to the model`);
      out.push(make("(prefixes unknown)", se.service, "?", publicPart(), [cause]));
      continue;
    }
    if (isUnknown(se.locations)) {
      out.push(...tagRoutes(subnet, tags, hints, se.service, base, [se.locations]));
      continue;
    }
    if (se.locations.length === 0) {
      const cause = unknown(".serviceEndpoints[].locations", subnet.urn, `no locations: Azure uses the virtual network's region, which the plan model does not hold`);
      out.push(...tagRoutes(subnet, tags, hints, se.service, base, [cause]));
      continue;
    }
    for (const loc of se.locations) out.push(...tagRoutes(subnet, tags, hints, se.service, tagFor(base, loc), []));
  }
  return out;
}

function tagRoutes(subnet: Subnet, tags: ServiceTagCatalog, hints: InputHints, service: string, tag: string, doubt: readonly Unknown[]): EffectiveRoute[] {
  const set = tags.resolve(tag);
  if (set === undefined) {
    const cause = unknown(".serviceEndpoints", subnet.urn, `service tag ${tag} (service endpoint ${service}) is not in the service tag file${tags.size === 0 ? noServiceTagsGiven(hints) : ""}`);
    return [make(`(${tag})`, service, tag, publicPart(), [...doubt, cause])];
  }
  return set.toCidrs().map((cidr) => make(cidr, service, tag, IpSet.fromCidr(cidr), doubt));
}

function publicPart(): IpSet {
  return IpSet.fromIntervals(4, PUBLIC_UNICAST.v4);
}

function make(text: string, service: string, tag: string, prefix: IpSet, doubt: readonly Unknown[]): EffectiveRoute {
  const length = cidrLength(prefix);
  return {
    name: null,
    source: "Default",
    origin: "serviceEndpoint",
    addressPrefixText: text,
    prefix,
    // A set that is not one block (unknown prefixes: public space) is taken first, so that it leaves undecided every
    // public address it may cover rather than lose to a shorter route.
    prefixLength: length ?? 32,
    nextHopType: "VirtualNetworkServiceEndpoint",
    nextHopIpAddress: undefined,
    service: { name: service, tag },
    doubt,
    state: "Active",
  };
}
