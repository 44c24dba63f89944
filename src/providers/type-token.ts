/**
 * Pulumi type tokens, `pkg:module[/version]:Resource` (`azure-native:network/v20240501:Subnet`): the package picks
 * the provider (registry.ts), the rest is the provider's business. Provider-neutral, so adapters and the registry
 * share one grammar.
 */

export interface TypeToken {
  readonly pkg: string;
  readonly module: string;
  /** API version of a versioned module (`v20240501`), when present. */
  readonly version?: string;
  readonly resource: string;
}

/** `pkg:module[/version]:Resource`; undefined when the token does not have three parts. */
export function parseTypeToken(token: string): TypeToken | undefined {
  const parts = token.split(":");
  if (parts.length !== 3 || parts.some((p) => p === "")) return undefined;
  const [pkg, moduleText, resource] = parts;
  const slash = moduleText.indexOf("/");
  if (slash < 0) return { pkg, module: moduleText, resource };
  return { pkg, module: moduleText.slice(0, slash), version: moduleText.slice(slash + 1), resource };
}

/**
 * `pkg:module:Resource` without the API version: every versioned spelling of a type has the same one. Parts hold no
 * ':' (the token is split on it), so two tokens have the same key exactly when package, module and resource agree.
 */
export function unversionedKey(token: string): string | undefined {
  const t = parseTypeToken(token);
  return t === undefined ? undefined : `${t.pkg}:${t.module}:${t.resource}`;
}
