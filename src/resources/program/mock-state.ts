import { armId, azureName, fallbackId, inlineChildren, isAzureNative, parseTypeToken, pathParameters } from "./arm-id";
import type { OutputShapes, PropertyShapes } from "./output-shapes";
import { previewOutputs, providerInputs } from "./preview-outputs";
import type { RunMode } from "./types";
import type { WireObject, WireValue } from "./values";
import { UNKNOWN_SENTINEL, isUnknownSentinel, wrapSecret } from "./values";

/** What the mock monitor answers for one registration: the provider id and the output state (wire form). */
export interface MockedResource {
  /** undefined = not known yet (the SDK then makes `resource.id` unknown). */
  readonly id: string | undefined;
  readonly state: WireObject;
  /** True when `state` is azure-native's preview outputs (shaped from the response type), not the inputs. */
  readonly shaped?: boolean;
}

export interface MockRequest {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly inputs: WireObject;
}

function isObject(v: WireValue | undefined): v is WireObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Gives each element of the inline child collections an `id`: a known one under `parentId`, or the unknown sentinel
 * when the parent does not exist yet. An element's own explicit id is kept.
 */
function withChildIds(type: string, state: WireObject, parentId: string | undefined): WireObject {
  const out: WireObject = { ...state };
  for (const collection of inlineChildren(type)) {
    const items = out[collection];
    if (!Array.isArray(items)) continue;
    out[collection] = items.map((item) => {
      if (!isObject(item) || item["id"] !== undefined) return item;
      const name = item["name"];
      const known = parentId !== undefined && typeof name === "string" && !isUnknownSentinel(name);
      return { ...item, id: known ? `${parentId}/${collection}/${name}` : UNKNOWN_SENTINEL };
    });
  }
  return out;
}

/**
 * First preview of a resource without a known output shape (not azure-native, or a type the installed package does
 * not declare): outputs are the inputs; every id, inline ones included, is unknown.
 */
function firstPreview(req: MockRequest): MockedResource {
  return { id: undefined, state: withChildIds(req.type, req.inputs, undefined) };
}

/**
 * A deployed resource, as the stack's state holds it (and as an unchanged resource carries it into a preview):
 * the inputs without azure-native's path parameters (they are never outputs in Azure's state), plus `id`, `name`
 * and the ids of inline children. Anything else Azure computes (a dynamic private IP, etags) is left absent, so
 * the SDK reports it unknown: the mock never invents an address.
 */
function deployed(req: MockRequest): MockedResource {
  if (!isAzureNative(req.type)) {
    const id = req.inputs["id"];
    return { id: typeof id === "string" && id !== "" ? id : fallbackId(req.type, req.name), state: { ...req.inputs } };
  }
  const id = armId(req.type, req.name, req.inputs);
  const state: WireObject = {};
  const drop = new Set(pathParameters(req.type));
  for (const key of Object.keys(req.inputs)) {
    const v = req.inputs[key];
    if (!drop.has(key) && v !== undefined) state[key] = v;
  }
  state["id"] = id;
  state["name"] = azureName(req.type, req.name, req.inputs);
  return { id, state: withChildIds(req.type, state, id) };
}

/** Where output shapes come from; `missing` hears of each azure-native type without one (once per run is enough). */
export interface ShapeSource {
  readonly shapes: OutputShapes;
  readonly missing?: (type: string) => void;
}

/** The output shape of an azure-native type of the installed package (versioned modules live in other packages). */
function shapeOf(source: ShapeSource | undefined, type: string): PropertyShapes | undefined {
  if (source === undefined || !isAzureNative(type)) return undefined;
  const token = parseTypeToken(type);
  const declaredModule = type.split(":")[1] ?? "";
  const props = declaredModule === token.module ? source.shapes.resource(token.module, token.resource) : undefined;
  if (props === undefined) source.missing?.(type);
  return props;
}

/** The provider's preview outputs for these inputs, secrets marked again where the input was secret. */
function shapedOutputs(inputs: WireObject, props: PropertyShapes, shapes: OutputShapes): WireObject {
  const { plain, secretKeys } = providerInputs(inputs);
  const out = previewOutputs(plain, props, shapes);
  for (const key of secretKeys) {
    const v = out[key];
    if (v !== undefined && !isUnknownSentinel(v)) out[key] = wrapSecret(v);
  }
  return out;
}

/**
 * The update step's outputs (provider.go Update with req.GetPreview()): the preview outputs, with the old `name`
 * and `location` restored from state ("universally immutable", the provider's comment says); the id is the old one.
 */
function updateStep(req: MockRequest, props: PropertyShapes, shapes: OutputShapes): MockedResource {
  const old = deployed(req);
  const state = shapedOutputs(req.inputs, props, shapes);
  for (const key of ["name", "location"]) {
    const v = old.state[key];
    if (v !== undefined) state[key] = v;
  }
  return { id: old.id, state, shaped: true };
}

/**
 * The mock's answer for a registration. Components have no id and no provider state. For azure-native types with
 * a known output shape: `first` answers as Create does at preview (no id, the preview outputs), `update` as Update
 * does at preview (old id, preview outputs with the old name and location), `deployed` with the state.
 */
export function mockResource(mode: RunMode, req: MockRequest, source?: ShapeSource): MockedResource {
  if (!req.custom) return { id: undefined, state: {} };
  if (mode === "deployed") return deployed(req);
  const props = shapeOf(source, req.type);
  if (props === undefined || source === undefined) return mode === "first" ? firstPreview(req) : deployed(req);
  return mode === "first" ? { id: undefined, state: shapedOutputs(req.inputs, props, source.shapes), shaped: true } : updateStep(req, props, source.shapes);
}
