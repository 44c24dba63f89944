import { isUnknown } from "../../model/unknown";
import type { PropertyObject, ResourceRecord } from "../record";
import { nonEmptyDependencies } from "./records";
import { sortKeys, withSentinels, withoutUnknowns } from "./values";

/** Fixed so generated files do not change from one run to the next. */
export const FIXED_MANIFEST_TIME = "2026-01-01T00:00:00Z";
/** The CLI version a real file of this shape would come from (matches the SDK the runner uses). */
export const PULUMI_VERSION = "v3.270.0";

export interface ExportOptions {
  readonly time?: string;
  readonly version?: string;
}

function knownId(r: ResourceRecord): string | undefined {
  return typeof r.id === "string" && r.id !== "" ? r.id : undefined;
}

/** Key order of a resource as Pulumi writes it; property maps inside are key-sorted like Go's encoding/json. */
function exportedResource(r: ResourceRecord, inputs: unknown, outputs: unknown): Record<string, unknown> {
  const id = knownId(r);
  return {
    urn: r.urn,
    custom: r.custom,
    ...(id !== undefined ? { id } : {}),
    type: r.type,
    inputs: sortKeys(inputs),
    outputs: sortKeys(outputs),
    ...(r.parent ? { parent: r.parent } : {}),
    dependencies: [...r.dependencies],
    propertyDependencies: nonEmptyDependencies(r.propertyDependencies),
  };
}

const inputsOf = (r: ResourceRecord): PropertyObject => r.inputs ?? {};

/**
 * A `pulumi stack export` (v3) document. A stack export describes deployed resources, which have no unknowns:
 * write it from update-mode records. Any Unknown still present (a value no mock can know, such as a dynamic
 * private IP) is left out rather than invented, and an unknown id is omitted.
 */
export function toStackExport(records: readonly ResourceRecord[], options: ExportOptions = {}): object {
  return {
    version: 3,
    deployment: {
      manifest: { time: options.time ?? FIXED_MANIFEST_TIME, magic: "", version: options.version ?? PULUMI_VERSION },
      resources: records.map((r) => exportedResource(r, withoutUnknowns(inputsOf(r)), withoutUnknowns(r.props))),
    },
  };
}

/**
 * A `pulumi preview --json` document in which every resource is created (a first preview). Unknown markers are
 * written back as the string sentinel, as the CLI does.
 */
export function toPreviewJson(records: readonly ResourceRecord[]): object {
  return {
    config: {},
    steps: records.map((r) => ({
      op: "create",
      urn: r.urn,
      newState: exportedResource(r, withSentinels(inputsOf(r)), withSentinels(r.props)),
    })),
    diagnostics: [],
    changeSummary: { create: records.length },
  };
}

/** 2-space JSON with a final newline: the form the example files are committed in. */
export function formatJson(doc: object): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** URNs and property paths of the Unknown markers in a record (for the generator's sanity check). */
export function unknownPaths(r: ResourceRecord): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (isUnknown(v)) out.push(v.path);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(r.props);
  return out;
}
