import type { Diagnostic } from "../model/diagnostic";
import { noServiceTagsGiven, NO_HINTS, type InputHints } from "../model/input-hints";
import type { Topology } from "../model/topology";
import type { IpSet } from "../sets/ip-set";

/**
 * Service tags from Microsoft's Service Tags JSON file ({changeNumber, cloud, values:[{name, id, properties:
 * {addressPrefixes}}]}), read by src/resources/service-tags-file.ts. The product reads the file named in its
 * configuration; it ships none.
 */
export interface ServiceTagCatalog {
  readonly changeNumber?: number;
  readonly cloud?: string;
  /** Tag -> address set; tag names are matched case-insensitively, as Azure does. */
  resolve(tag: string): IpSet | undefined;
  /** The file lists the tag but none of its prefixes is well-formed: resolve() says undefined (unknown). */
  unusable?(tag: string): boolean;
  readonly size: number;
}

export const EMPTY_CATALOG: ServiceTagCatalog = { resolve: () => undefined, size: 0 };

const CONTEXT_TAGS = new Set(["virtualnetwork", "internet", "azureloadbalancer"]);

/**
 * Every service tag used by a rule that is neither a built-in tag nor in the catalog: one warning per rule and
 * tag, so nothing is silently treated as empty or as everything.
 */
export function unresolvedServiceTags(topo: Topology, catalog: ServiceTagCatalog, hints: InputHints = NO_HINTS): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const nsg of topo.nsgs.values()) {
    for (const rule of nsg.rules) {
      for (const [field, specs] of [["sourceAddressPrefix", rule.sources], ["destinationAddressPrefix", rule.destinations]] as const) {
        if (!Array.isArray(specs)) continue;
        for (const spec of specs) {
          if (spec.kind !== "tag" || CONTEXT_TAGS.has(spec.tag.toLowerCase()) || catalog.resolve(spec.tag)) continue;
          out.push({
            code: "unresolved-service-tag",
            severity: "warning",
            resource: rule.urn,
            field: `securityRules[${rule.name}].${field}`,
            value: spec.tag,
            message: catalog.unusable?.(spec.tag)
              ? `NSG rule ${rule.name}: service tag "${spec.tag}" has no well-formed prefix in the service tag file; flows it could match are indeterminate`
              : `NSG rule ${rule.name}: service tag "${spec.tag}" is not in the service tag file${catalog.size === 0 ? noServiceTagsGiven(hints) : ""}; flows it could match are indeterminate`,
          });
        }
      }
    }
  }
  return out;
}
