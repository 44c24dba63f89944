/**
 * Pulumi's wire-level markers for values that are not known (unknown sentinels, encrypted secrets) and the
 * conversion of raw property bags into PropertyValues with explicit Unknown markers.
 * The constants are protocol facts (the same values as @pulumi/policy/proxy.js and the property-values schema).
 */
import { isUnknown, unknown } from "../model/unknown";
import type { PropertyObject, PropertyValue } from "./record";

export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const UNKNOWN_BOOLEAN = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7";
export const UNKNOWN_NUMBER = "3eeb2bf0-c639-47a8-9e75-3b44932eb421";
export const UNKNOWN_ARRAY = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2";
export const UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";
export const UNKNOWN_ASSET = "030794c1-ac77-496b-92df-f27374a8bd58";
export const UNKNOWN_ARCHIVE = "e48ece36-62e2-4504-bad9-02848725956a";

const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  UNKNOWN_STRING,
  UNKNOWN_BOOLEAN,
  UNKNOWN_NUMBER,
  UNKNOWN_ARRAY,
  UNKNOWN_OBJECT,
  UNKNOWN_ASSET,
  UNKNOWN_ARCHIVE,
]);

/** Key that marks a special object (secret, asset, archive, resource reference, output value). */
export const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** Output values (`{sig, value?, secret?, dependencies?}`); no `value` means unknown. */
export const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

export function isUnknownSentinel(v: unknown): boolean {
  return typeof v === "string" && UNKNOWN_SENTINELS.has(v);
}

type RawObject = Record<string, unknown>;

function isRawObject(v: unknown): v is RawObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function specialSig(v: RawObject): unknown {
  return Object.prototype.hasOwnProperty.call(v, SPECIAL_SIG_KEY) ? v[SPECIAL_SIG_KEY] : undefined;
}

/** Property path segment: `.name` for identifiers, `["odd key"]` otherwise. */
export function keyPath(path: string, key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/**
 * Converts a raw (JSON-like) value into a PropertyValue: sentinels and encrypted secrets become Unknown markers
 * carrying `path` (e.g. `.ipConfigurations[0].subnet.id`) and the resource URN; plaintext secrets are unwrapped.
 * Values JSON cannot carry (undefined, functions) are dropped from objects and become null in arrays.
 */
export function toPropertyValue(raw: unknown, path: string, resource: string): PropertyValue {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === "string") return isUnknownSentinel(raw) ? unknown(path, resource) : raw;
  if (typeof raw === "boolean") return raw;
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : null;
  if (typeof raw === "bigint") return Number(raw);
  if (Array.isArray(raw)) return raw.map((item, i) => toPropertyValue(item, indexPath(path, i), resource));
  if (isRawObject(raw)) return convertObject(raw, path, resource);
  return null;
}

function convertObject(raw: RawObject, path: string, resource: string): PropertyValue {
  const sig = specialSig(raw);
  if (sig === SECRET_SIG) return convertSecret(raw, path, resource);
  if (sig === OUTPUT_VALUE_SIG) {
    if (!Object.prototype.hasOwnProperty.call(raw, "value")) return unknown(path, resource);
    return toPropertyValue(raw.value, path, resource);
  }
  const out: PropertyObject = {};
  for (const key of Object.keys(raw)) {
    const v = raw[key];
    if (v === undefined || typeof v === "function" || typeof v === "symbol") continue;
    out[key] = toPropertyValue(v, keyPath(path, key), resource);
  }
  return out;
}

/** `{sig, plaintext}` holds the JSON text of the value; `{sig, ciphertext}` cannot be read here. */
function convertSecret(raw: RawObject, path: string, resource: string): PropertyValue {
  if (typeof raw.plaintext === "string") {
    try {
      return toPropertyValue(JSON.parse(raw.plaintext) as unknown, path, resource);
    } catch {
      // Not JSON: older CLIs wrote bare strings; take the text as the value.
      return raw.plaintext;
    }
  }
  // The engine also hands secrets already unwrapped as `{sig, value}`.
  if (Object.prototype.hasOwnProperty.call(raw, "value")) return toPropertyValue(raw.value, path, resource);
  return unknown(path, resource, "secret");
}

/** An object value that is neither an array nor an Unknown marker. */
export function isPropertyObject(v: PropertyValue | undefined): v is PropertyObject {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !isUnknown(v);
}

/** A top-level property bag: anything but an object becomes `{}` (an Unknown bag is kept out of the record). */
export function toPropertyObject(raw: unknown, resource: string): PropertyObject {
  const v = toPropertyValue(raw, "", resource);
  return isPropertyObject(v) ? v : {};
}
