/**
 * Resources as @pulumi/policy hands them to a stack policy: props (the outputs) behind its unknown-checking proxy,
 * and the planned inputs the pack kept from the engine's Analyze calls (policy-pack/policies/planned-inputs.ts),
 * also proxied, as validateResource receives them.
 */
import { readFileSync } from "fs";
import type { PolicyResourceLike } from "../../src/resources/policy-args";

// Runtime exports of @pulumi/policy's proxy module (its typings export nothing).
export const proxy = require("@pulumi/policy/proxy") as { unknownCheckingProxy<T extends object>(o: T): T; UnknownValueError: new (...args: unknown[]) => Error };

interface State {
  urn: string;
  type: string;
  inputs?: Record<string, unknown>;
  outputs: Record<string, unknown>;
  parent?: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
}

/** A `pulumi preview --json` file's resources as PolicyResources: proxied props, references as objects with a URN. */
export function policyResourcesFromPreview(path: string): PolicyResourceLike[] {
  const doc = JSON.parse(readFileSync(path, "utf8")) as { steps: Array<{ newState: State }> };
  return doc.steps.map(({ newState: s }) => ({
    type: s.type,
    urn: s.urn,
    name: s.urn.slice(s.urn.lastIndexOf("::") + 2),
    props: proxy.unknownCheckingProxy(s.outputs),
    ...(s.inputs ? { plannedInputs: proxy.unknownCheckingProxy(s.inputs) } : {}),
    ...(s.parent ? { parent: { urn: s.parent } } : {}),
    dependencies: s.dependencies.map((urn) => ({ urn })),
    propertyDependencies: Object.fromEntries(Object.entries(s.propertyDependencies).map(([k, urns]) => [k, urns.map((urn) => ({ urn }))])),
  }));
}
