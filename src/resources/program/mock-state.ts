import { armId, azureName, fallbackId, inlineChildren, isAzureNative, pathParameters } from "./arm-id";
import type { PreviewMode } from "./types";
import type { WireObject, WireValue } from "./values";
import { UNKNOWN_SENTINEL, isUnknownSentinel } from "./values";

/** What the mock monitor answers for one registration: the provider id and the output state (wire form). */
export interface MockedResource {
  /** undefined = not known yet (the SDK then makes `resource.id` unknown). */
  readonly id: string | undefined;
  readonly state: WireObject;
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

/** First preview: nothing exists. Outputs are the inputs; every id, inline ones included, is unknown. */
function firstPreview(req: MockRequest): MockedResource {
  return { id: undefined, state: withChildIds(req.type, req.inputs, undefined) };
}

/**
 * Update preview: everything exists. Outputs are the inputs without azure-native's path parameters (they are never
 * outputs in Azure's state), plus `id` and `name`. Anything else Azure computes (a dynamic private IP, etags) is
 * left absent, so the SDK reports it unknown: the mock never invents an address.
 */
function updatePreview(req: MockRequest): MockedResource {
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

/** The mock's answer for a registration. Components have no id and no provider state. */
export function mockResource(mode: PreviewMode, req: MockRequest): MockedResource {
  if (!req.custom) return { id: undefined, state: {} };
  return mode === "first" ? firstPreview(req) : updatePreview(req);
}
