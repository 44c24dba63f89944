import type { OutputShapes, PropertyShapes, Shape } from "./output-shapes";
import type { WireObject, WireValue } from "./values";
import { UNKNOWN_SENTINEL, isUnknownSentinel, unwrapSecrets } from "./values";

/**
 * azure-native's preview outputs, on wire values: what its Create (and, before the stable outputs are restored,
 * Update) returns when the engine asks for a preview. The rules, read from pulumi-azure-native
 * provider/pkg/convert/previewOutputs.go (PreviewOutputs and previewOutputValue):
 * - every property of the response shape is present: the input mapped into the output shape when the input is
 *   set, else computed (the string sentinel, whatever the property's type);
 * - a string literal (Const) property is always its value;
 * - a scalar is kept only when the input has that kind (an unknown input is not a string, so it stays computed);
 * - arrays map their items, maps (additionalProperties) their values, objects (`#/types/` refs) recurse into the
 *   nested response type (its unset properties computed), oneOf and Any pass an object input through unchanged,
 *   and untyped properties pass scalars through;
 * - inputs that are no response property (path parameters such as `resourceGroupName`) are dropped.
 */
export function previewOutputs(inputs: WireObject, props: PropertyShapes, shapes: OutputShapes): WireObject {
  const out: WireObject = {};
  for (const name of Object.keys(props)) {
    const shape = props[name] as Shape;
    const input = inputs[name];
    out[name] = previewValue(input === undefined ? UNKNOWN_SENTINEL : input, shape, shapes);
  }
  return out;
}

function isObject(v: WireValue): v is WireObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function previewValue(v: WireValue, shape: Shape, shapes: OutputShapes): WireValue {
  const unknown = isUnknownSentinel(v);
  switch (shape.kind) {
    case "const":
      return shape.value;
    case "string":
      return typeof v === "string" && !unknown ? v : UNKNOWN_SENTINEL;
    case "number":
      return typeof v === "number" ? v : UNKNOWN_SENTINEL;
    case "boolean":
      return typeof v === "boolean" ? v : UNKNOWN_SENTINEL;
    case "array":
      return Array.isArray(v) ? v.map((item) => previewValue(item, shape.items, shapes)) : UNKNOWN_SENTINEL;
    case "map": {
      if (!isObject(v)) return UNKNOWN_SENTINEL;
      const out: WireObject = {};
      for (const key of Object.keys(v)) out[key] = previewValue(v[key] ?? null, shape.values, shapes);
      return out;
    }
    case "object": {
      if (!isObject(v)) return UNKNOWN_SENTINEL;
      const nested = shapes.type(shape.ref);
      // A type the declarations do not have (never seen in 3.28.0): keep what the program set rather than guess.
      return nested === undefined ? v : previewOutputs(v, nested, shapes);
    }
    case "oneOf":
      return isObject(v) ? v : UNKNOWN_SENTINEL;
    case "any":
      return v;
    case "untyped":
      return (typeof v === "string" && !unknown) || typeof v === "number" || typeof v === "boolean" ? v : UNKNOWN_SENTINEL;
  }
}

/**
 * What the provider receives: the engine hands it plain values (secrets unwrapped: the provider unmarshals without
 * KeepSecrets) with unknowns kept. The engine marks an output secret again when the input of the same name was
 * secret; `secretKeys` are those names.
 */
export function providerInputs(inputs: WireObject): { plain: WireObject; secretKeys: Set<string> } {
  const plain: WireObject = {};
  const secretKeys = new Set<string>();
  for (const key of Object.keys(inputs)) {
    const { value, secret } = unwrapSecrets(inputs[key] ?? null);
    plain[key] = value;
    if (secret) secretKeys.add(key);
  }
  return { plain, secretKeys };
}
