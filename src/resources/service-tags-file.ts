/**
 * Reading Microsoft's Service Tags JSON file ({changeNumber, cloud, values:[{name, id, properties:
 * {addressPrefixes}}]}) into the catalog src/azure/service-tags.ts declares. A reader: the file is read here, so that
 * src/azure holds Azure's rules and no input (issue 14 point 1). The product reads the file named in its
 * configuration; it ships none.
 */
import { jsonErrorReason } from "../io/json-error";
import { escapeText, quote, quoteValue } from "../io/quote";
import { SERVICE_TAGS_FILE_CAP, readRegularFile } from "../io/safe-read";
import { IpSet, parsePrefix } from "../sets/ip-set";
import type { ServiceTagCatalog } from "../azure/service-tags";

export type CatalogResult = { ok: true; catalog: ServiceTagCatalog; warnings: string[] } | { ok: false; error: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function parseServiceTags(json: unknown, origin: string): CatalogResult {
  if (!isRecord(json) || !Array.isArray(json.values)) {
    return { ok: false, error: `${origin} is not a Service Tags file: expected a 'values' array` };
  }
  const tags = new Map<string, IpSet>();
  const unusable = new Set<string>();
  const warnings: string[] = [];
  json.values.forEach((entry, i) => {
    const name = isRecord(entry) && typeof entry.name === "string" ? entry.name : undefined;
    const props = isRecord(entry) && isRecord(entry.properties) ? entry.properties : undefined;
    const prefixes = props && Array.isArray(props.addressPrefixes) ? props.addressPrefixes : undefined;
    if (!name || !prefixes) {
      warnings.push(`${origin}: values[${i}]${name !== undefined ? ` (${quote(name)})` : ""} has no name or addressPrefixes; skipped`);
      return;
    }
    const sets: IpSet[] = [];
    for (const p of prefixes) {
      const parsed = typeof p === "string" ? parsePrefix(p) : undefined;
      if (parsed && parsed.ok) sets.push(parsed.set);
      else warnings.push(`${origin}: tag ${quote(name)} has a malformed prefix ${quoteValue(p)}; skipped`);
    }
    if (prefixes.length > 0 && sets.length === 0) {
      // Every prefix malformed: the tag's addresses are not known. Left out of the catalog so that rules naming it
      // are undecided (Unknown), never matched against an empty set (which would let intents pass silently).
      unusable.add(name.toLowerCase());
      warnings.push(`${origin}: tag ${quote(name)} has no well-formed prefix; rules naming it are undecided`);
      return;
    }
    tags.set(name.toLowerCase(), IpSet.unionAll(sets));
  });
  const catalog: ServiceTagCatalog = {
    changeNumber: typeof json.changeNumber === "number" ? json.changeNumber : undefined,
    cloud: typeof json.cloud === "string" ? json.cloud : undefined,
    resolve: (tag) => tags.get(tag.toLowerCase()),
    unusable: (tag) => unusable.has(tag.toLowerCase()),
    size: tags.size,
  };
  return { ok: true, catalog, warnings };
}

/** Only a regular file of at most SERVICE_TAGS_FILE_CAP bytes (a FIFO or device is refused, never read). */
export function readServiceTagsFile(path: string): CatalogResult {
  const read = readRegularFile(path, { what: "service tags file", maxBytes: SERVICE_TAGS_FILE_CAP });
  if (!read.ok) return { ok: false, error: read.error };
  let json: unknown;
  try {
    json = JSON.parse(read.text);
  } catch (e) {
    return { ok: false, error: `service tags file ${escapeText(path, 240)} is not valid JSON: ${jsonErrorReason(e)}` };
  }
  return parseServiceTags(json, escapeText(path, 240));
}
