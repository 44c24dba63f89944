/** The root resource every program runs inside (`runtime.runInPulumiStack`). */
export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** Qualified type chain of a URN (`parent$child$type`), the third `::` segment. */
export function qualifiedTypeOf(urn: string): string {
  return urn.split("::")[2] ?? "";
}

/**
 * The URN the Pulumi engine gives a resource: the parent's whole qualified type chain, except when the parent is
 * the root stack, whose type never appears in its children's URNs. (The SDK's MockMonitor keeps only the parent's
 * last type and keeps the stack's; real files never look like that, so the runner builds URNs itself.)
 */
export function makeUrn(stack: string, project: string, parentUrn: string | undefined, type: string, name: string): string {
  const parentType = parentUrn ? qualifiedTypeOf(parentUrn) : "";
  const chain = parentType && parentType !== ROOT_STACK_TYPE ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${chain}::${name}`;
}
