import { isUnknown, unknown } from "../../model/unknown";
import type { PropertyObject, PropertyValue } from "../record";

/**
 * Property values as the Pulumi SDK puts them on the wire (a protobuf Struct turned into plain JSON): unknowns are
 * magic strings, and secrets, resource references, assets and output values are objects tagged with a signature key.
 */
export type WireValue = null | boolean | number | string | WireValue[] | WireObject;
export interface WireObject {
  [key: string]: WireValue;
}

/** The string the SDK sends for an unknown value, and the one `pulumi preview --json` writes. */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Every unknown sentinel by kind (see @pulumi/policy/proxy.js): any of them means "not known at preview". */
const UNKNOWN_SENTINELS: ReadonlySet<string> = new Set([
  UNKNOWN_SENTINEL,
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // bool
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
]);

/**
 * The mask `pulumi preview --json` prints for a secret, and what the runner gives a program for a `secure:` config
 * value it cannot decrypt: a secret holding it has no value known here.
 */
export const MASKED_SECRET = "[secret]";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SIG_SECRET = "1b47061264138c4ac30d75fd1eb44270";
const SIG_RESOURCE = "5cf8f73096256a8f31e491e813e4eb8e";
const SIG_ASSET = "c44067f5952c0a294b673a41bacd8c17";
const SIG_ARCHIVE = "0def7320c3a5731c473e5ecbe6d01bc7";
const SIG_OUTPUT = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

export function isUnknownSentinel(v: unknown): boolean {
  return typeof v === "string" && UNKNOWN_SENTINELS.has(v);
}

function isWireObject(v: WireValue): v is WireObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Path syntax of Unknown markers: `.ipConfigurations[0].subnet.id`. */
export function childPath(path: string, key: string | number): string {
  return typeof key === "number" ? `${path}[${key}]` : `${path}.${key}`;
}

/** A tagged wire object (secret, resource reference, ...) as a plain property value. */
function fromSpecial(sig: WireValue, v: WireObject, path: string, urn: string): PropertyValue {
  switch (sig) {
    case SIG_SECRET: {
      // The program holds the plaintext, and policies receive secrets unwrapped too; but a secret made from a
      // `secure:` config value the runner could not decrypt holds only the mask: its value is unknown.
      const inner = v["value"] ?? null;
      return containsMask(inner) ? unknown(path, urn, "secret") : fromWire(inner, path, urn);
    }
    case SIG_OUTPUT:
      return "value" in v ? fromWire(v["value"] ?? null, path, urn) : unknown(path, urn);
    case SIG_RESOURCE: {
      // A resource passed as a value: Azure properties hold ids, so stand in its id (unknown until created).
      const id = v["id"];
      if (typeof id === "string") return id === "" || isUnknownSentinel(id) ? unknown(path, urn) : id;
      return typeof v["urn"] === "string" ? v["urn"] : unknown(path, urn);
    }
    case SIG_ASSET:
    case SIG_ARCHIVE: {
      const where = v["path"] ?? v["uri"] ?? v["text"];
      return typeof where === "string" ? where : null;
    }
    default:
      return fromPlainObject(v, path, urn);
  }
}

function containsMask(v: WireValue): boolean {
  if (typeof v === "string") return v.includes(MASKED_SECRET);
  if (Array.isArray(v)) return v.some(containsMask);
  if (isWireObject(v)) return Object.keys(v).some((k) => containsMask(v[k] ?? null));
  return false;
}

function fromPlainObject(v: WireObject, path: string, urn: string): PropertyObject {
  const out: PropertyObject = {};
  for (const key of Object.keys(v)) out[key] = fromWire(v[key] ?? null, childPath(path, key), urn);
  return out;
}

/** Wire value -> record value: sentinels become Unknown markers carrying their path and resource. */
export function fromWire(v: WireValue, path: string, urn: string): PropertyValue {
  if (isUnknownSentinel(v)) return unknown(path, urn);
  if (Array.isArray(v)) return v.map((e, i) => fromWire(e, childPath(path, i), urn));
  if (isWireObject(v)) {
    const sig = v[SIG_KEY];
    return sig === undefined ? fromPlainObject(v, path, urn) : fromSpecial(sig, v, path, urn);
  }
  return v;
}

export function fromWireObject(v: WireObject, urn: string): PropertyObject {
  return fromPlainObject(v, "", urn);
}

/** Record value -> JSON for `pulumi preview --json`: Unknown markers become the string sentinel again. */
export function withSentinels(v: PropertyValue): unknown {
  if (isUnknown(v)) return UNKNOWN_SENTINEL;
  if (Array.isArray(v)) return v.map(withSentinels);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) out[key] = withSentinels((v as PropertyObject)[key] ?? null);
    return out;
  }
  return v;
}

/**
 * Record value -> JSON for a stack export, which never holds unknowns (everything exists once exported):
 * unknown properties and array elements are left out. Returns undefined when the value itself is unknown.
 */
export function withoutUnknowns(v: PropertyValue): unknown {
  if (isUnknown(v)) return undefined;
  if (Array.isArray(v)) return v.map(withoutUnknowns).filter((e) => e !== undefined);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      const e = withoutUnknowns((v as PropertyObject)[key] ?? null);
      if (e !== undefined) out[key] = e;
    }
    return out;
  }
  return v;
}

/** Deep copy with object keys sorted, as Go's encoding/json writes Pulumi's files: stable, diff-friendly output. */
export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) out[key] = sortKeys((v as Record<string, unknown>)[key]);
    return out;
  }
  return v;
}

/**
 * A wire value with every secret envelope replaced by its plaintext (what a provider receives: it unmarshals
 * without KeepSecrets), and whether there was one. Output values (never sent to the mock monitor: the SDK's
 * MockMonitor disables "outputValues") are left as they are.
 */
export function unwrapSecrets(v: WireValue): { value: WireValue; secret: boolean } {
  if (Array.isArray(v)) {
    let secret = false;
    const value = v.map((e) => {
      const r = unwrapSecrets(e);
      secret ||= r.secret;
      return r.value;
    });
    return { value, secret };
  }
  if (isWireObject(v)) {
    if (v[SIG_KEY] === SIG_SECRET) return { value: unwrapSecrets(v["value"] ?? null).value, secret: true };
    let secret = false;
    const value: WireObject = {};
    for (const key of Object.keys(v)) {
      const r = unwrapSecrets(v[key] ?? null);
      secret ||= r.secret;
      value[key] = r.value;
    }
    return { value, secret };
  }
  return { value: v, secret: false };
}

/** A value in the secret envelope, as the engine marks an output secret. */
export function wrapSecret(v: WireValue): WireObject {
  return { [SIG_KEY]: SIG_SECRET, value: v };
}
