/**
 * The service tag file's warnings (malformed prefixes, entries skipped, tags with no usable prefix) as advisory
 * violations: both policies report them, as the CLI prints them, so nothing in the file is silently dropped.
 */
import type { CatalogResult } from "../../src/resources/service-tags-file";
import type { Violation } from "./violation";

/** At most this many warnings one by one; the rest are counted in one more line. */
export const MAX_TAG_WARNINGS = 20;

export function serviceTagWarnings(loaded: CatalogResult): Violation[] {
  if (!loaded.ok || loaded.warnings.length === 0) return [];
  const shown = loaded.warnings.slice(0, MAX_TAG_WARNINGS).map((w): Violation => ({ message: `policy config "serviceTagsFile": ${w}`, enforcementLevel: "advisory" }));
  const rest = loaded.warnings.length - shown.length;
  return rest > 0 ? [...shown, { message: `policy config "serviceTagsFile": ${rest} more warnings in the file`, enforcementLevel: "advisory" }] : shown;
}
