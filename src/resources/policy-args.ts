/**
 * Records from the resources a stack validation policy receives (`args.resources`).
 * Structural types only, so this file is testable with plain objects and never imports @pulumi/policy.
 */
import { nameFromUrn, type ResourceRecord } from "./record";
import { reconcilePreviewProps } from "./reconcile";
import { isSkippedType } from "./state";
import { isPropertyObject, toPropertyObject } from "./unknowns";
import { isUnknown, type Unknown } from "../model/unknown";

export interface PolicyResourceRefLike {
  readonly urn: string;
}

/** The parts of @pulumi/policy's PolicyResource this package reads. */
export interface PolicyResourceLike {
  readonly type: string;
  readonly urn: string;
  readonly name: string;
  /** The resource outputs; in a real policy a Proxy that throws on unknown values. */
  readonly props: Record<string, unknown>;
  readonly parent?: PolicyResourceRefLike;
  readonly dependencies: readonly PolicyResourceRefLike[];
  readonly propertyDependencies: Readonly<Record<string, readonly PolicyResourceRefLike[]>>;
  /** PolicyResource has no such flag; when absent, a resource with a provider (or with no provider field) is custom. */
  readonly custom?: boolean;
  readonly provider?: unknown;
  /**
   * The resource's planned inputs, when the pack saw them (Analyze, before AnalyzeStack): at preview the outputs
   * are the provider's preview outputs, which are read together with them (reconcile.ts).
   */
  readonly plannedInputs?: unknown;
}

/** Internal but stable keys of @pulumi/policy's unknown-checking proxy (see proxy.js). */
const IS_SPECIAL_PROXY = "__isSpecialProxy";
const GET_SPECIAL_PROXY_TARGET = "__getSpecialProxyTarget";

/**
 * The raw object behind the policy's props Proxy, with unknown sentinels in place. Reading a property through the
 * Proxy throws when the value is unknown, so unwrap once at the top and never touch the Proxy again.
 */
export function rawProps(props: unknown): unknown {
  if (typeof props !== "object" || props === null) return props;
  const bag = props as Record<string, unknown>;
  // Both reads are answered by the proxy's get trap itself and never throw; on a plain object they are undefined.
  return bag[IS_SPECIAL_PROXY] === true ? bag[GET_SPECIAL_PROXY_TARGET] : props;
}

export function recordsFromPolicyResources(resources: readonly PolicyResourceLike[]): ResourceRecord[] {
  const out: ResourceRecord[] = [];
  for (const r of resources) {
    if (typeof r.urn !== "string" || r.urn === "" || typeof r.type !== "string" || isSkippedType(r.type)) continue;
    out.push(recordFromPolicyResource(r));
  }
  return out;
}

export function recordFromPolicyResource(r: PolicyResourceLike): ResourceRecord {
  const outputs = toPropertyObject(rawProps(r.props), r.urn);
  const planned = r.plannedInputs === undefined ? undefined : toPropertyObject(rawProps(r.plannedInputs), r.urn);
  // Older azure-native versions kept the inputs in the outputs (`__inputs`; the engine strips top-level `__` keys
  // from AnalyzeStack since, and azure-native v3 no longer writes them).
  const inputs = planned ?? (isPropertyObject(outputs.__inputs) ? outputs.__inputs : undefined);
  const hasOutputs = Object.keys(outputs).length > 0;
  const props = planned === undefined ? outputs : hasOutputs ? reconcilePreviewProps(outputs, planned) : planned;
  return {
    urn: r.urn,
    type: r.type,
    name: typeof r.name === "string" && r.name !== "" ? r.name : nameFromUrn(r.urn),
    id: idFromProps(outputs.id),
    props,
    ...(inputs !== undefined ? { inputs } : {}),
    ...(r.parent !== undefined && typeof r.parent.urn === "string" ? { parent: r.parent.urn } : {}),
    dependencies: urnsOf(r.dependencies),
    propertyDependencies: propertyDependencyUrns(r.propertyDependencies),
    custom: isCustom(r),
    origin: "policy",
  };
}

/** Policy args carry no separate id: the ARM id is the `id` output when the provider reports one. */
function idFromProps(v: unknown): string | Unknown | undefined {
  if (isUnknown(v)) return v;
  return typeof v === "string" && v !== "" ? v : undefined;
}

function isCustom(r: PolicyResourceLike): boolean {
  if (typeof r.custom === "boolean") return r.custom;
  if ("provider" in r) return r.provider !== undefined && r.provider !== null;
  return true;
}

function urnsOf(refs: readonly PolicyResourceRefLike[] | undefined): string[] {
  if (!Array.isArray(refs)) return [];
  return refs.flatMap((d: PolicyResourceRefLike) => (d !== null && typeof d === "object" && typeof d.urn === "string" ? [d.urn] : []));
}

function propertyDependencyUrns(
  deps: Readonly<Record<string, readonly PolicyResourceRefLike[]>> | undefined,
): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = {};
  if (deps === null || typeof deps !== "object") return out;
  for (const key of Object.keys(deps)) {
    const urns = urnsOf(deps[key]);
    if (urns.length > 0) out[key] = urns;
  }
  return out;
}
