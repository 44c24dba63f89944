/**
 * Config the engine way (issue 11 point 7): the policy's configured level reaches every finding that has no level
 * of its own, severities travel in the diagnostic's severity field, and misspelt keys are never silently ignored.
 * The end-to-end path (the real CLI reconciling `"network-hygiene": "mandatory"` and `"all"`) is in
 * test/real-engine/policy-analyze.engine.ts.
 */
import { join } from "path";
import { explicitCheckLevels, unknownConfigKeys, unknownKeyViolations } from "../../policy-pack/policies/config-level";
import { hygieneConfigSchema, reachabilityConfigSchema } from "../../policy-pack/policies/config-schema";
import { checkHygiene, networkHygienePolicy, validateHygiene } from "../../policy-pack/policies/network-hygiene";
import { reachabilityIntentsPolicy, validateReachability, type Violation } from "../../policy-pack/policies/reachability-intents";
import { CATALOGUE } from "../../src/checks/catalogue";
import { policyResourcesFromPreview } from "../helpers/policy-resources";
import type { ReportViolation, StackValidationArgs } from "@pulumi/policy";

const RESOURCES = policyResourcesFromPreview(join(__dirname, "../../examples/nsg-basics/preview.json"));

test.each([
  ["nothing configured", undefined, {}],
  ["not an object", ["internet-exposure"], {}],
  ["by name", { "internet-exposure": { enforcement: "mandatory" } }, { "internet-exposure": "mandatory" }],
  ["by id, any case", { "ar-002": { enforcement: "advisory" } }, { "shadowed-rule": "advisory" }],
  ["disabled is not a level", { "internet-exposure": { enforcement: "disabled" } }, {}],
  ["no enforcement given", { "internet-exposure": {} }, {}],
  ["unknown check and bad level left to policy-config.ts", { nope: { enforcement: "mandatory" }, "internet-exposure": { enforcement: "hard" } }, {}],
])("explicitCheckLevels: %s", (_what, checks, expected) => {
  expect(explicitCheckLevels(checks)).toEqual(expected);
});

test("findings of checks the config does not name carry no level (the policy's configured level applies), configured ones keep theirs", () => {
  const all = checkHygiene(RESOURCES, {});
  expect(all.length).toBeGreaterThan(0);
  expect(all.filter((v) => v.enforcementLevel !== undefined)).toEqual([]);
  const some = checkHygiene(RESOURCES, { checks: { "internet-exposure": { enforcement: "advisory" } } });
  const exposure = some.filter((v) => v.message.includes("internet-exposure (AR-001)"));
  expect(exposure.length).toBeGreaterThan(0);
  expect(new Set(exposure.map((v) => v.enforcementLevel))).toEqual(new Set(["advisory"]));
  expect(some.filter((v) => !v.message.includes("(AR-001)")).every((v) => v.enforcementLevel === undefined)).toBe(true);
});

test("each finding's severity is the diagnostic's severity field, the same as in its message", () => {
  const v = checkHygiene(RESOURCES, {});
  for (const x of v) expect(x.message).toMatch(new RegExp(`^\\[${x.severity}\\] `));
  expect(new Set(v.map((x) => x.severity)).size).toBeGreaterThan(1);
});

test.each([
  ["network-hygiene", hygieneConfigSchema, { chekcs: {}, suppressions: [], enforcementLevel: "mandatory" }, ["chekcs"]],
  ["network-hygiene", hygieneConfigSchema, { checks: {}, serviceTagsFile: "x" }, []],
  ["reachability-intents", reachabilityConfigSchema, { intent: [], onUnknwon: "fail" }, ["intent", "onUnknwon"]],
  ["reachability-intents", reachabilityConfigSchema, "not an object", []],
])("unknownConfigKeys: %s %j", (_policy, schema, config, expected) => {
  expect(unknownConfigKeys(config, schema)).toEqual(expected);
});

test("an unknown key is a mandatory violation naming the key and the known ones", () => {
  expect(unknownKeyViolations("reachability-intents", { intnets: [] }, reachabilityConfigSchema)).toEqual([
    { message: 'policy config of reachability-intents: unknown key "intnets" (known: intents, onUnknown, serviceTagsFile, stacks); fix the policy-config file', enforcementLevel: "mandatory" },
  ]);
});

/** The policies as @pulumi/policy calls them: getConfig() without enforcementLevel, reportViolation's object form. */
function run(validate: (a: StackValidationArgs, r: ReportViolation) => void, config: Record<string, unknown>): Violation[] {
  const reported: Violation[] = [];
  const report = ((v: Violation) => reported.push(v)) as unknown as ReportViolation;
  validate({ resources: RESOURCES, getConfig: <T>() => config as T } as unknown as StackValidationArgs, report);
  return reported;
}

test("both policies report a misspelt top-level key first, and still check the rest", () => {
  const h = run(validateHygiene, { chekcs: { "internet-exposure": { enforcement: "mandatory" } } });
  expect(h[0]).toEqual({ message: expect.stringContaining('policy config of network-hygiene: unknown key "chekcs"'), enforcementLevel: "mandatory" });
  expect(h.length).toBeGreaterThan(1);
  const r = run(validateReachability, { intnets: [{ name: "x", from: { subnet: "a" }, to: { subnet: "b" }, expect: "reachable" }] });
  expect(r).toEqual([{ message: expect.stringContaining('policy config of reachability-intents: unknown key "intnets"'), enforcementLevel: "mandatory" }]);
});

test("the schemas the engine validates: nested shapes closed, every check name and id listed, no enforcementLevel property", () => {
  expect(networkHygienePolicy.configSchema).toBe(hygieneConfigSchema);
  expect(reachabilityIntentsPolicy.configSchema).toBe(reachabilityConfigSchema);
  const checks = hygieneConfigSchema.properties.checks;
  expect(checks.additionalProperties).toBe(false);
  expect(Object.keys(checks.properties ?? {}).sort()).toEqual(CATALOGUE.flatMap((c) => [c.name, c.id, c.id.toLowerCase()]).sort());
  expect(hygieneConfigSchema.properties.suppressions.items).toMatchObject({ additionalProperties: false, required: ["check", "resource", "reason"] });
  // @pulumi/policy refuses a schema that declares enforcementLevel (server.js serve()).
  for (const s of [hygieneConfigSchema, reachabilityConfigSchema]) expect(Object.keys(s.properties)).not.toContain("enforcementLevel");
});
