/**
 * The two policies' config schemas. The Pulumi engine validates each policy's reconciled config against
 * `properties` and `required` before Configure (pkg/resource/analyzer/config.go, validatePolicyPackConfig, JSON
 * Schema through gojsonschema) and stops the run with its own message, e.g. `network-hygiene: checks: Additional
 * property internet-exposre is not allowed`. Only those two fields travel (config-level.ts says why), so the shapes
 * the engine can check are written as nested schemas with `additionalProperties: false`; top-level keys are checked
 * by the pack (config-level.ts, unknownKeyViolations).
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import { CATALOGUE } from "../../src/checks/catalogue";

type PropertySchema = PolicyConfigSchema["properties"][string];

/** Other stacks merged into the topology (policy-pack/policies/other-stacks.ts). */
const STACKS: PropertySchema = {
  type: "array",
  description: "Other stacks' `pulumi stack export` or `pulumi preview --json` files, merged into this stack's topology (a hub in its own stack); relative paths from the policy pack directory.",
  items: { type: "string" },
};

const ENFORCEMENTS = ["advisory", "mandatory", "disabled"];

const perCheck: PropertySchema = {
  type: "object",
  properties: { enforcement: { type: "string", enum: ENFORCEMENTS } },
  additionalProperties: false,
};

/** Checks are named by kebab-case name or by id (findCheck takes ids in any case: both spellings are listed). */
const checkKeys = CATALOGUE.flatMap((c) => [c.name, c.id, c.id.toLowerCase()]);

export const hygieneConfigSchema: PolicyConfigSchema = {
  properties: {
    checks: {
      type: "object",
      description: 'Per check (name or id): {"enforcement": "advisory" | "mandatory" | "disabled"}. Checks not named take the policy\'s level (advisory unless configured).',
      properties: Object.fromEntries(checkKeys.map((k) => [k, perCheck])),
      additionalProperties: false,
    },
    suppressions: {
      type: "array",
      description: "Findings to suppress: {check, resource, reason}; the reason needs at least 10 characters. Suppressed findings stay visible.",
      items: {
        type: "object",
        properties: { check: { type: "string" }, resource: { type: "string" }, reason: { type: "string" } },
        required: ["check", "resource", "reason"],
        additionalProperties: false,
      },
    },
    serviceTagsFile: { type: "string", description: "Path to Microsoft's Service Tags JSON file." },
    stacks: STACKS,
  },
};

export const reachabilityConfigSchema: PolicyConfigSchema = {
  properties: {
    intents: {
      type: "array",
      description: "Reachability intents and IP flow verify assertions (see the design's intent language).",
      items: { type: "object" },
    },
    onUnknown: {
      type: "string",
      enum: ["warn", "fail"],
      description: "What an intent that values unknown at preview leave undecided does: warn (advisory, the default) or fail (the policy's level).",
    },
    serviceTagsFile: {
      type: "string",
      description: "Path to Microsoft's Service Tags JSON file, to expand service tags (relative paths: from the policy pack directory).",
    },
    stacks: STACKS,
  },
};
