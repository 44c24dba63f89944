/**
 * Pulumi's wire-level markers for values that are not known (unknown sentinels, encrypted secrets) and the
 * conversion of raw property bags into PropertyValues with explicit Unknown markers.
 * The constants are protocol facts (the same values as @pulumi/policy/proxy.js and the property-values schema).
 */
import { isUnknown, unknown, type Unknown } from "../model/unknown";
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

/**
 * What `pulumi preview --json` prints for every secret value (pkg/backend/display/json.go masks them), and what
 * `pulumi policy analyze --file` hands a pack for a secret it cannot decrypt. The value behind it is not in the file:
 * it is an Unknown with the reason "secret", never a value to parse (as an address prefix it would be malformed).
 */
export const MASKED_SECRET = "[secret]";

/** Every sentinel is a 36-character UUID: the length test spares hashing the plan's other strings. */
const SENTINEL_LENGTH = 36;

export function isUnknownSentinel(v: unknown): boolean {
  return typeof v === "string" && v.length === SENTINEL_LENGTH && UNKNOWN_SENTINELS.has(v);
}

type RawObject = Record<string, unknown>;

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
 *
 * Copy on write: a subtree that needs no change is returned as is (plans are large, and most of a plan needs
 * none), so the result shares unchanged objects and arrays with `raw`; callers must not mutate either.
 */
export function toPropertyValue(raw: unknown, path: string, resource: string): PropertyValue {
  return new Conversion(path, resource).value(raw);
}

/** A path segment: an object key or an array index. */
type Segment = string | number;

/**
 * One conversion walk. The property path is kept as a stack of segments and only spelled out when an Unknown
 * marker needs it: building a path string for every value of a plan costs more than the walk itself.
 */
class Conversion {
  private readonly segments: Segment[] = [];

  constructor(
    private readonly base: string,
    private readonly resource: string,
  ) {}

  value(raw: unknown): PropertyValue {
    if (raw === null || raw === undefined) return null;
    switch (typeof raw) {
      case "string":
        if (raw === MASKED_SECRET) return this.unknownHere("secret");
        return isUnknownSentinel(raw) ? this.unknownHere() : raw;
      case "boolean":
        return raw;
      case "number":
        return Number.isFinite(raw) ? raw : null;
      case "bigint":
        return Number(raw);
      case "object":
        return Array.isArray(raw) ? this.array(raw) : this.object(raw as RawObject);
      default:
        return null;
    }
  }

  private path(): string {
    let p = this.base;
    for (const s of this.segments) p = typeof s === "number" ? indexPath(p, s) : keyPath(p, s);
    return p;
  }

  private unknownHere(reason?: string): Unknown {
    return unknown(this.path(), this.resource, reason);
  }

  private child(raw: unknown, segment: Segment): PropertyValue {
    this.segments.push(segment);
    const v = this.value(raw);
    this.segments.pop();
    return v;
  }

  /** Like `raw.map(...)`: holes stay holes; the array itself is returned when no element changes. */
  private array(raw: readonly unknown[]): PropertyValue[] {
    let out: PropertyValue[] | undefined;
    const n = raw.length;
    for (let i = 0; i < n; i++) {
      const item = raw[i];
      if (item === undefined && !(i in raw)) continue;
      const v = this.child(item, i);
      if (out === undefined) {
        if (v === item) continue;
        out = raw.slice(0, i) as PropertyValue[];
      }
      out[i] = v;
    }
    if (out === undefined) return raw as PropertyValue[];
    out.length = n;
    return out;
  }

  private object(raw: RawObject): PropertyValue {
    if (Object.prototype.hasOwnProperty.call(raw, SPECIAL_SIG_KEY)) {
      const sig = raw[SPECIAL_SIG_KEY];
      if (sig === SECRET_SIG) return this.secret(raw);
      if (sig === OUTPUT_VALUE_SIG) {
        if (!Object.prototype.hasOwnProperty.call(raw, "value")) return this.unknownHere();
        return this.value(raw.value);
      }
    }
    // Only a plain object can be kept as it is; anything else (class instances, null prototype) is copied.
    let out: PropertyObject | undefined = Object.getPrototypeOf(raw) === Object.prototype ? undefined : {};
    const keys = Object.keys(raw);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const v = raw[key];
      const dropped = v === undefined || typeof v === "function" || typeof v === "symbol";
      const converted = dropped ? undefined : this.child(v, key);
      // An own `__proto__` key (JSON.parse makes one) is copied as data: kept as is, a later assignment elsewhere
      // could turn it into a prototype.
      if (out === undefined && (dropped || converted !== v || key === "__proto__")) out = copyKeys(raw, keys, i);
      if (out !== undefined && converted !== undefined) setOwn(out, key, converted);
    }
    return out ?? (raw as PropertyObject);
  }

  /** `{sig, plaintext}` holds the JSON text of the value; `{sig, ciphertext}` cannot be read here. */
  private secret(raw: RawObject): PropertyValue {
    if (typeof raw.plaintext === "string") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.plaintext) as unknown;
      } catch {
        // Not JSON: older CLIs wrote bare strings; take the text as the value.
        return raw.plaintext;
      }
      return this.value(parsed);
    }
    // The engine also hands secrets already unwrapped as `{sig, value}`.
    if (Object.prototype.hasOwnProperty.call(raw, "value")) return this.value(raw.value);
    return this.unknownHere("secret");
  }
}

/** A new object with the first `count` keys of `raw` (values unchanged by the conversion). */
function copyKeys(raw: RawObject, keys: readonly string[], count: number): PropertyObject {
  const out: PropertyObject = {};
  for (let i = 0; i < count; i++) setOwn(out, keys[i], raw[keys[i]] as PropertyValue);
  return out;
}

/** Sets an own enumerable property, `__proto__` included (plain assignment would set the prototype instead). */
export function setOwn(o: PropertyObject, key: string, v: PropertyValue): void {
  if (key === "__proto__") Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
  else o[key] = v;
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
