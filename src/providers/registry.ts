/**
 * The provider registry (issue 14 point 7): one row per Pulumi package whose type tokens an adapter reads
 * (`azure-native:network:Subnet` -> package `azure-native`). A second provider (the classic `azure:` package) is
 * one folder under src/adapters and one row here; compose.ts merges their topologies (merge.ts).
 */
import { AZURE_NATIVE_PACKAGE, buildTopology as buildAzureNative } from "../adapters/azure-native";
import type { Topology } from "../model/topology";
import type { ResourceRecord } from "../resources/record";
import { parseTypeToken } from "./type-token";

export interface ProviderAdapter {
  /** The package part of the type tokens this adapter reads. */
  readonly pkg: string;
  /**
   * Records -> topology. The adapter is given every record of the plan (not only its own package's): references
   * cross packages, and the adapter reports the records no adapter reads (unmodelled-resource, the classic
   * provider's network resources among them) so that nothing is silently left out. `readElsewhere` holds the
   * packages the other rows read: those rows speak for their resources.
   */
  readonly buildTopology: (records: readonly ResourceRecord[], options: { readonly readElsewhere: ReadonlySet<string> }) => Topology;
}

export const PROVIDERS: readonly ProviderAdapter[] = [{ pkg: AZURE_NATIVE_PACKAGE, buildTopology: buildAzureNative }];

/** The adapter that reads resources of this type token's package; undefined for a package no adapter reads. */
export function adapterFor(type: string, providers: readonly ProviderAdapter[] = PROVIDERS): ProviderAdapter | undefined {
  const token = parseTypeToken(type);
  return token === undefined ? undefined : providers.find((p) => p.pkg === token.pkg);
}

/** The packages of the plan's custom resources that no adapter reads, sorted (what the adapter reports on). */
export function unreadPackages(records: readonly ResourceRecord[], providers: readonly ProviderAdapter[] = PROVIDERS): string[] {
  const out = new Set<string>();
  for (const r of records) {
    if (!r.custom || typeof r.type !== "string") continue;
    const token = parseTypeToken(r.type);
    if (token !== undefined && adapterFor(r.type, providers) === undefined) out.add(token.pkg);
  }
  return [...out].sort();
}
