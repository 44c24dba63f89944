import type { Unknown } from "../model/unknown";

/** A property value as read from Pulumi, with unknown sentinels already replaced by Unknown markers. */
export type PropertyValue = null | boolean | number | string | Unknown | PropertyValue[] | PropertyObject;
export interface PropertyObject {
  [key: string]: PropertyValue;
}

/**
 * One Pulumi resource, whatever it was read from (policy args, stack export, preview file, program under mocks).
 * This is the only shape the adapters see: they never touch @pulumi/* objects.
 */
export interface ResourceRecord {
  readonly urn: string;
  /** Type token, e.g. `azure-native:network:Subnet` or `azure-native:network/v20240501:Subnet`. */
  readonly type: string;
  /** Pulumi logical name (last segment of the URN). */
  readonly name: string;
  /** Provider id (the ARM id for azure-native) when known; Unknown at a first preview; undefined when absent. */
  readonly id: string | Unknown | undefined;
  /** Outputs when present, else inputs; sentinels replaced by Unknown markers carrying their path. */
  readonly props: PropertyObject;
  /**
   * Inputs, when the source has them separately (stack export, preview file, program). Path parameters such as
   * `virtualNetworkName` or `networkSecurityGroupName` are inputs only: adapters fall back to them.
   */
  readonly inputs?: PropertyObject;
  readonly parent?: string;
  readonly dependencies: readonly string[];
  /** Top-level property name -> URNs of the resources that property depends on. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
  readonly custom: boolean;
  /** Where the record came from, for messages (file path, "policy", "program"). */
  readonly origin?: string;
}

/** Logical name from a URN: `urn:pulumi:stack::project::type$type::name` -> `name`. */
export function nameFromUrn(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i >= 0 ? urn.slice(i + 2) : urn;
}
