/**
 * The planned state of a resource at preview, from the provider's preview outputs and the planned inputs.
 *
 * Why: at preview azure-native does not echo the inputs. Its Create and Update return
 * `PreviewOutputs(inputs, response)` (pulumi-azure-native provider/pkg/convert/previewOutputs.go, called from
 * provider/pkg/provider/provider.go when `req.GetPreview()`): every property of the resource's *response* type
 * that the user did not set is computed (the unknown sentinel, whatever its type), recursively inside nested
 * objects and array items, and inputs that are not response properties (path parameters) are dropped. Read as
 * they are, those outputs say "unknown" for every NSG a subnet does not have and for `sourceAddressPrefixes` next
 * to every `sourceAddressPrefix`: every verdict would be undecided and the gate would stop gating.
 *
 * The planned inputs say what the user set. So, path by path:
 * - an output that is known stays (update previews and unchanged resources carry real values);
 * - an output that is unknown where the input holds a value (known or itself unknown) takes the input's value;
 * - an output that is unknown where the enclosing input object exists but lacks the key is absent: the user did
 *   not set it, so Azure applies its default (no NSG, no route table, a dynamic IP), which the adapter models;
 * - except what Azure always assigns (COMPUTED_KEYS: ids, a public IP's address): an unknown one stays Unknown.
 * Keys only in the inputs (path parameters such as `networkSecurityGroupName`) are not added here; the record
 * keeps the inputs beside the props, and adapters read path parameters from there.
 *
 * Copy on write: an unchanged subtree is returned as it is.
 */
import { isUnknown } from "../model/unknown";
import type { PropertyObject, PropertyValue } from "./record";
import { isPropertyObject, setOwn } from "./unknowns";

/**
 * Keys Azure always computes: an unknown one is a real unknown, not a property the user left unset. `ipAddress` is
 * a public IP's address, which Azure allocates. (A NIC's dynamic `privateIPAddress` is not here: absent, the
 * adapter reads it as "any assignable address of the subnet", which is what a dynamic address is.)
 */
const COMPUTED_KEYS: ReadonlySet<string> = new Set(["id", "ipAddress"]);

/** An output array whose planned input counterpart has another length: its items cannot be paired. */
export interface ArrayMismatch {
  /** Property path, e.g. `subnets`, `securityRules[2].destinationPortRanges`. */
  readonly path: string;
  readonly outputs: number;
  readonly inputs: number;
}

/**
 * The reconciled props; `outputs` itself when `inputs` is absent or nothing changes. `onMismatch` hears of every
 * array that could not be paired (the provider never makes one: see reconcileArray).
 */
export function reconcilePreviewProps(outputs: PropertyObject, inputs: PropertyObject | undefined, onMismatch?: (m: ArrayMismatch) => void): PropertyObject {
  if (inputs === undefined) return outputs;
  return reconcileObject(outputs, inputs, { trail: [], onMismatch });
}

/** Where the walk is (a stack of keys and indexes, joined only when a mismatch is reported). */
interface Walk {
  readonly trail: (string | number)[];
  readonly onMismatch: ((m: ArrayMismatch) => void) | undefined;
}

function trailPath(trail: readonly (string | number)[]): string {
  return trail.map((seg, i) => (typeof seg === "number" ? `[${seg}]` : i === 0 ? seg : `.${seg}`)).join("");
}

function reconcileObject(out: PropertyObject, inp: PropertyObject, walk: Walk): PropertyObject {
  let result: PropertyObject | undefined;
  const keys = Object.keys(out);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const before = out[key];
    walk.trail.push(key);
    const after = reconcileMember(before, Object.prototype.hasOwnProperty.call(inp, key) ? inp[key] : undefined, key, walk);
    walk.trail.pop();
    if (after === before) {
      if (result !== undefined) setOwn(result, key, before);
      continue;
    }
    if (result === undefined) result = copyFirst(out, keys, i);
    if (after !== undefined) setOwn(result, key, after);
  }
  return result ?? out;
}

/** One property of an object whose input counterpart exists; undefined = the property is absent. */
function reconcileMember(out: PropertyValue, inp: PropertyValue | undefined, key: string, walk: Walk): PropertyValue | undefined {
  if (isUnknown(out)) {
    if (inp !== undefined) return inp;
    return COMPUTED_KEYS.has(key) ? out : undefined;
  }
  return reconcileNested(out, inp, walk);
}

/** A known output value: recurse where the input has the same shape, else keep the output. */
function reconcileNested(out: PropertyValue, inp: PropertyValue | undefined, walk: Walk): PropertyValue {
  if (Array.isArray(out)) return Array.isArray(inp) ? reconcileArray(out, inp, walk) : out;
  if (isPropertyObject(out)) return isPropertyObject(inp) ? reconcileObject(out, inp, walk) : out;
  return out;
}

/**
 * Array items pair up by index (PreviewOutputs maps each input item to one output item, so both have one length).
 * Arrays of different lengths cannot be paired: pairing them anyway gives one subnet another's NSG (fuzz seed
 * 848772591 mutant 219), so the outputs stay as they are, unknowns unknown, and the mismatch is reported.
 */
function reconcileArray(out: PropertyValue[], inp: PropertyValue[], walk: Walk): PropertyValue[] {
  if (out.length !== inp.length) {
    walk.onMismatch?.({ path: trailPath(walk.trail), outputs: out.length, inputs: inp.length });
    return out;
  }
  let result: PropertyValue[] | undefined;
  for (let i = 0; i < out.length; i++) {
    const before = out[i];
    const counterpart = inp[i];
    walk.trail.push(i);
    const after = isUnknown(before) ? (counterpart ?? before) : reconcileNested(before, counterpart, walk);
    walk.trail.pop();
    if (after === before) continue;
    if (result === undefined) result = out.slice();
    result[i] = after;
  }
  return result ?? out;
}

function copyFirst(out: PropertyObject, keys: readonly string[], count: number): PropertyObject {
  const copy: PropertyObject = {};
  for (let i = 0; i < count; i++) setOwn(copy, keys[i], out[keys[i]]);
  return copy;
}
