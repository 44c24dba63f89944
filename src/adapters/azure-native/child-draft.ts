/** A child resource (subnet, rule, route, peering) as collected from its parent's inline list or a standalone resource. */
import type { ResourceRecord } from "../../resources/record";
import type { EntityRef } from "./context";
import type { PV } from "./props";

export interface ChildDraft {
  readonly ref: EntityRef;
  /** The resource that declares it: the standalone child, or the parent for an inline one. */
  readonly record: ResourceRecord;
  /** The child's property bag (Unknown when the inline element itself is unknown). */
  readonly body: PV;
  /** `""` for a standalone child, `.subnets[2]` for an inline one. */
  readonly basePath: string;
  readonly origin: "inline" | "standalone";
  /** Top-level property of `record` that holds this child's references (for propertyDependencies). */
  depProp(field: string): string;
}
