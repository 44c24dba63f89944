/**
 * One resource state as stack exports and preview files write it (`{urn, type, custom, id, inputs, outputs,
 * parent, dependencies, propertyDependencies}`), turned into a ResourceRecord. Shared by both readers.
 */
import type { Diagnostic } from "../model/diagnostic";
import { unknown, type Unknown } from "../model/unknown";
import { nameFromUrn, type PropertyObject, type ResourceRecord } from "./record";
import { reconcilePreviewProps, type ArrayMismatch } from "./reconcile";
import { isUnknownSentinel, toPropertyObject } from "./unknowns";

export type ReadResult =
  | { ok: true; records: ResourceRecord[]; diagnostics: Diagnostic[]; format?: "stack-export" | "deployment" | "preview" }
  | { ok: false; error: string };

export type StateOutcome =
  /** `diagnostics`: what reading the record found odd (arrays of the preview outputs and inputs that do not pair). */
  | { readonly kind: "record"; readonly record: ResourceRecord; readonly diagnostics?: readonly Diagnostic[] }
  | { readonly kind: "skip" }
  | { readonly kind: "malformed"; readonly diagnostic: Diagnostic };

export interface StateOptions {
  /** A custom resource with no id is being created: its id is unknown rather than absent. */
  readonly idUnknownWhenMissing: boolean;
  /**
   * The state is planned (a preview step's newState): a custom resource's outputs are the provider's preview
   * outputs, read together with the planned inputs (reconcile.ts). A component's outputs are what it registered
   * (an unknown there is a real unknown), and a stack export's states are deployed: outputs as they are.
   */
  readonly planned?: boolean;
}

export function isRawObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The stack itself and providers are not network resources; components are kept. */
export function isSkippedType(type: string): boolean {
  return type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:");
}

export function recordFromState(state: unknown, origin: string, where: string, options: StateOptions): StateOutcome {
  if (!isRawObject(state)) return malformed(origin, where, "is not an object");
  const urn = state.urn;
  if (typeof urn !== "string" || urn === "") return malformed(origin, where, "has no urn");
  const type = state.type;
  if (typeof type !== "string" || type === "") return malformed(origin, where, "has no type", urn);
  if (isSkippedType(type)) return { kind: "skip" };

  const custom = typeof state.custom === "boolean" ? state.custom : true;
  const inputs = isRawObject(state.inputs) ? toPropertyObject(state.inputs, urn) : undefined;
  const outputs = isRawObject(state.outputs) ? toPropertyObject(state.outputs, urn) : undefined;
  // Outputs are the fuller view once a resource exists; a resource being created only has inputs.
  const hasOutputs = outputs !== undefined && Object.keys(outputs).length > 0;
  const mismatches: ArrayMismatch[] = [];
  const props: PropertyObject = !hasOutputs
    ? (inputs ?? {})
    : options.planned === true && custom
      ? reconcilePreviewProps(outputs, inputs, (m) => mismatches.push(m))
      : outputs;

  const record: ResourceRecord = {
    urn,
    type,
    name: nameFromUrn(urn),
    id: readId(state.id, urn, custom, options),
    props,
    ...(inputs !== undefined ? { inputs } : {}),
    ...(typeof state.parent === "string" && state.parent !== "" ? { parent: state.parent } : {}),
    dependencies: stringList(state.dependencies),
    propertyDependencies: readPropertyDependencies(state.propertyDependencies),
    custom,
    origin,
  };
  return mismatches.length === 0 ? { kind: "record", record } : { kind: "record", record, diagnostics: mismatches.map((m) => unpairedArray(origin, where, urn, m)) };
}

/** A preview whose outputs and planned inputs disagree on an array's length: the provider never writes one. */
function unpairedArray(origin: string, where: string, urn: string, m: ArrayMismatch): Diagnostic {
  return {
    code: "malformed-resource",
    severity: "warning",
    resource: urn,
    field: m.path,
    value: `${m.outputs} outputs, ${m.inputs} inputs`,
    message: `${origin}: ${where} ${m.path} has ${m.outputs} items in the outputs but ${m.inputs} in the planned inputs; the items cannot be paired, so the outputs are read as they are (values unknown at preview stay unknown)`,
  };
}

function readId(raw: unknown, urn: string, custom: boolean, options: StateOptions): string | Unknown | undefined {
  if (isUnknownSentinel(raw)) return unknown(".id", urn);
  if (typeof raw === "string" && raw !== "") return raw;
  return custom && options.idUnknownWhenMissing ? unknown(".id", urn) : undefined;
}

export function stringList(raw: unknown): string[] {
  return Array.isArray(raw) ? raw.filter((x): x is string => typeof x === "string" && x !== "") : [];
}

export function readPropertyDependencies(raw: unknown): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = {};
  if (!isRawObject(raw)) return out;
  for (const key of Object.keys(raw)) {
    const urns = stringList(raw[key]);
    if (urns.length > 0) out[key] = urns;
  }
  return out;
}

function malformed(origin: string, where: string, problem: string, urn?: string): StateOutcome {
  return {
    kind: "malformed",
    diagnostic: {
      code: "malformed-resource",
      severity: "warning",
      resource: urn ?? `${origin}#${where}`,
      field: where,
      message: `${origin}: ${where} ${problem}; it is skipped`,
    },
  };
}
