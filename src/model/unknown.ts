/**
 * A value that is not known at plan time (a computed output during preview, an encrypted secret,
 * or a reference that cannot be resolved). It carries where it came from so a verdict can name it.
 */
export interface Unknown {
  readonly kind: "unknown";
  /** Property path inside the resource, e.g. `.ipConfigurations[0].subnet.id`. */
  readonly path: string;
  /** URN (or key) of the resource the value belongs to, when known. */
  readonly resource?: string;
  /** Why it is unknown, when not simply "computed at preview" (e.g. "secret", "ambiguous reference"). */
  readonly reason?: string;
  /** For an ambiguous reference: the keys of the model entities it may be (decided by cases when they agree). */
  readonly candidates?: readonly string[];
}

export type Maybe<T> = T | Unknown;

export function unknown(path: string, resource?: string, reason?: string): Unknown {
  const u: { kind: "unknown"; path: string; resource?: string; reason?: string } = { kind: "unknown", path };
  if (resource !== undefined) u.resource = resource;
  if (reason !== undefined) u.reason = reason;
  return u;
}

export function isUnknown(v: unknown): v is Unknown {
  return typeof v === "object" && v !== null && (v as { kind?: unknown }).kind === "unknown" && typeof (v as { path?: unknown }).path === "string";
}

export function isKnown<T>(v: Maybe<T>): v is T {
  return !isUnknown(v);
}

/** One line naming the unknown value, for messages and indeterminate verdicts. */
export function describeUnknown(u: Unknown): string {
  const where = u.resource ? `${u.resource} ${u.path}` : u.path;
  return u.reason ? `${where} (${u.reason})` : `${where} (unknown at preview)`;
}
