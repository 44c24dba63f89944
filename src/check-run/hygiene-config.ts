import { policyConfigToCheckOptions, type CheckConfigResult } from "../checks/policy-config";

/** The stack policy that runs the hygiene and exposure checks, and its section of a policy-config file. */
export const HYGIENE_POLICY = "network-hygiene";

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The checks' configuration from a policy-config document (`{"network-hygiene": {"checks": ..., "suppressions":
 * ...}}`, the file `pulumi preview --policy-pack-config` takes and `check --intents` reads). Absent: defaults.
 * `enforcementLevel`, which the Pulumi engine reads, is not the checks' business and is set aside.
 */
export function hygieneConfigFromDocument(doc: unknown): CheckConfigResult {
  const section = isRecord(doc) ? doc[HYGIENE_POLICY] : undefined;
  if (!isRecord(section)) return policyConfigToCheckOptions(undefined);
  const { checks, suppressions } = section;
  return policyConfigToCheckOptions({ ...(checks !== undefined ? { checks } : {}), ...(suppressions !== undefined ? { suppressions } : {}) });
}
