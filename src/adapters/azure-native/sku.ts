/**
 * `sku.name` of a PublicIPAddress or LoadBalancer. The SKU decides whether a frontend is open (Basic) or closed
 * unless an NSG allows the traffic (Standard): Microsoft Learn, "Public IP addresses" (SKU table, Security row:
 * https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-addresses#sku) and "Azure Load Balancer
 * SKUs" (https://learn.microsoft.com/azure/load-balancer/skus: Standard "closed to inbound flows unless allowed by
 * a network security group", Basic "open by default").
 *
 * Absent SKU: `sku` is optional in the REST API and the service creates Basic; the API version azure-native v3
 * uses for both resources (2024-05-01; v2 used 2023-02-01) documents it in
 * Azure/azure-rest-api-specs specification/network/resource-manager/Microsoft.Network/stable/2024-05-01/examples/
 * PublicIpAddressCreateDefaults.json (a request with only `location` answers `"sku": {"name": "Basic"}`). The answer
 * says it was assumed, and that Basic was retired on 30 September 2025.
 */
import type { Diagnostic } from "../../model/diagnostic";
import type { SkuInfo } from "../../model/topology";
import { isUnknown, type Maybe } from "../../model/unknown";
import type { ResourceRecord } from "../../resources/record";
import { get, text } from "./props";
import { parseTypeToken } from "../../providers/type-token";

/** The API version of a record: its versioned type token, else `azureApiVersion` in its outputs, else azure-native v3's. */
export function apiVersionOf(record: ResourceRecord): string {
  const v = parseTypeToken(record.type)?.version;
  if (v !== undefined) {
    const m = /^v(\d{4})(\d{2})(\d{2})(.*)$/.exec(v);
    if (m) return `${m[1]}-${m[2]}-${m[3]}${m[4] ? `-${m[4].replace(/^-/, "")}` : ""}`;
  }
  const out = text(record.props.azureApiVersion);
  return typeof out === "string" ? out : "2024-05-01";
}

function assumed(record: ResourceRecord, why: string): SkuInfo {
  return {
    name: "Basic",
    assumed: true,
    note: `${why}: assumed Basic, the default of API version ${apiVersionOf(record)} (open unless an NSG denies; Basic was retired on 30 September 2025, set sku.name: Standard)`,
  };
}

/** Reads `sku.name`; an unrecognised value is reported (one line) and the default assumed, as Azure's API would. */
export function skuOf(record: ResourceRecord, report: (d: Diagnostic) => void): Maybe<SkuInfo> {
  const sku = record.props.sku;
  if (isUnknown(sku)) return sku;
  const name = text(get(sku, "name"));
  if (isUnknown(name)) return name;
  if (name === undefined) return assumed(record, "sku.name not set");
  const n = name.trim().toLowerCase();
  if (n === "standard" || n === "standardv2" || n === "gateway") return { name: "Standard", assumed: false };
  if (n === "basic") return { name: "Basic", assumed: false };
  report({
    code: "invalid-value",
    severity: "warning",
    resource: record.urn,
    field: "sku.name",
    value: name,
    message: `${record.name}: sku.name "${name}" is not Basic or Standard`,
  });
  return assumed(record, `sku.name "${name}" is not a known SKU`);
}
