/**
 * The pack under the real Pulumi CLI (issue 18): `pulumi policy analyze --file <stack export> --policy-pack .
 * --policy-pack-config <config> --json`, asserting on the parsed JSON events (test/real-engine/cli.ts).
 *
 * What the engine does with the config, read from pulumi/pulumi v3.260.0 (the pinned CLI; the same in v3.274.1):
 * - pkg/resource/analyzer/config.go: parsing a `--policy-pack-config` file takes a policy's value as a level string
 *   or an object whose `enforcementLevel` must be one of the levels (extractEnforcementLevel: `"<x>" is not a valid
 *   enforcement level`); ReconcilePolicyPackConfig starts from the schema defaults and each policy's own level,
 *   applies `all` to every policy, then the policy's entry, and validates each policy's properties against its
 *   configSchema (`properties` and `required` only: convertSchema), stopping the run with `<policy>: <error>`.
 * - Config for a policy the pack does not have is passed on silently.
 */
import * as fs from "fs";
import * as path from "path";
import { analyze, engineManifest, headline, ROOT, type AnalyzeRun } from "./cli";

const installed = engineManifest();
const engineTest = installed.ok ? test : test.skip;
if (!installed.ok) test.skip(`the real engine is not installed (${installed.reason})`, () => undefined);

const example = (name: string, file: string): string => path.join(ROOT, "examples", name, file);
const EXAMPLES = fs.readdirSync(path.join(ROOT, "examples")).filter((d) => fs.existsSync(example(d, "stack-export.json")) && fs.existsSync(example(d, "intents.json")));

function expectWellFormed(run: AnalyzeRun): void {
  // Every line of stdout is a JSON event, and the run ends with the summary naming the pack.
  expect(run.stray).toEqual([]);
  const last = run.events[run.events.length - 1];
  expect(last?.summaryEvent?.PolicyPacks).toHaveProperty("azure-reachability");
}

const mandatory = (run: AnalyzeRun) => run.violations.filter((v) => v.enforcementLevel === "mandatory");

test("every example with an export and intents is covered", () => {
  expect(EXAMPLES.sort()).toEqual(["avnm-baseline", "hub-and-spoke", "hub-and-spoke-firewall", "locked-down", "nsg-basics", "three-tier", "web-lb"]);
});

describe.each(EXAMPLES)("examples/%s: its stack export with its intents.json", (name) => {
  engineTest("exits as its mandatory intents say", () => {
    const run = analyze({ file: example(name, "stack-export.json"), config: example(name, "intents.json") });
    expectWellFormed(run);
    if (name === "three-tier") {
      // The example's broken intent (db-nsg's Deny-VNet-Inbound, priority 300, before Allow-SQL-From-App, 400).
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain("one or more mandatory policy violations were found");
      expect(mandatory(run).map((v) => [v.policyName, headline(v).split(" (")[0]])).toEqual([["reachability-intents", 'intent "app-reaches-db" fails']]);
      expect(mandatory(run)[0].resourceUrn).toMatch(/^urn:pulumi:/);
    } else {
      expect(mandatory(run).map(headline)).toEqual([]);
      expect(run.code).toBe(0);
    }
    // Hygiene findings are advisory by default and carry their severity in the event's severity field.
    const hygiene = run.violations.filter((v) => v.policyName === "network-hygiene");
    for (const v of hygiene) {
      expect(v.enforcementLevel).toBe("advisory");
      expect(v.message).toMatch(new RegExp(`^\\[${v.severity}\\] `));
    }
  });
});

const NSG_BASICS = example("nsg-basics", "stack-export.json");
const THREE_TIER = example("three-tier", "stack-export.json");
const threeTierConfig = (): Record<string, Record<string, unknown>> => JSON.parse(fs.readFileSync(example("three-tier", "intents.json"), "utf8"));

describe("the policy's configured level reaches every finding (issue 11 point 7)", () => {
  engineTest.each([
    ["a policy's level as a string", { "network-hygiene": "mandatory" }],
    ["a policy's level in its object", { "network-hygiene": { enforcementLevel: "mandatory" } }],
    ['"all"', { all: "mandatory" }],
  ])("%s: hygiene findings become mandatory and fail the run", (_what, config) => {
    const run = analyze({ file: NSG_BASICS, config });
    expectWellFormed(run);
    const hygiene = run.violations.filter((v) => v.policyName === "network-hygiene");
    expect(hygiene.length).toBeGreaterThan(0);
    expect(new Set(hygiene.map((v) => v.enforcementLevel))).toEqual(new Set(["mandatory"]));
    expect(run.code).not.toBe(0);
  });

  engineTest("a check's own level still wins over the policy's", () => {
    const run = analyze({ file: NSG_BASICS, config: { "network-hygiene": { enforcementLevel: "mandatory", checks: { "internet-exposure": { enforcement: "advisory" } } } } });
    const hygiene = run.violations.filter((v) => v.policyName === "network-hygiene");
    const exposure = hygiene.filter((v) => v.message.includes("internet-exposure (AR-001)"));
    expect(exposure.length).toBeGreaterThan(0);
    expect(new Set(exposure.map((v) => v.enforcementLevel))).toEqual(new Set(["advisory"]));
    expect(new Set(hygiene.filter((v) => !exposure.includes(v)).map((v) => v.enforcementLevel))).toEqual(new Set(["mandatory"]));
  });

  engineTest('"all": "advisory" makes the broken intent a warning and the run passes; a policy\'s own level in the same file wins over "all"', () => {
    const { enforcementLevel, ...intents } = threeTierConfig()["reachability-intents"];
    expect(enforcementLevel).toBe("mandatory");
    const appToDb = (run: AnalyzeRun) => run.violations.filter((v) => headline(v).startsWith('intent "app-reaches-db" fails')).map((v) => v.enforcementLevel);
    const all = analyze({ file: THREE_TIER, config: { all: "advisory", "reachability-intents": intents } });
    expectWellFormed(all);
    expect(appToDb(all)).toEqual(["advisory"]);
    expect(mandatory(all)).toEqual([]);
    expect(all.code).toBe(0);
    // applyConfig (config.go) applies "all" first, then each policy's own entry.
    const own = analyze({ file: THREE_TIER, config: { all: "advisory", "reachability-intents": { enforcementLevel, ...intents } } });
    expect(appToDb(own)).toEqual(["mandatory"]);
    expect(own.code).not.toBe(0);
  });
});

describe("bad policy config", () => {
  engineTest.each([
    ["in a policy's object", { "reachability-intents": { enforcementLevel: "mandtory" } }, '"mandtory" is not a valid enforcement level'],
    ["as a policy's string", { "network-hygiene": "hard" }, '"hard" is not a valid enforcement level'],
  ])("a bad enforcement level %s stops the run with the engine's error", (_what, config, error) => {
    const run = analyze({ file: NSG_BASICS, config });
    expect(run.code).not.toBe(0);
    expect(run.violations).toEqual([]);
    expect(run.stderr).toContain(error);
  });

  engineTest.each([
    ["a misspelt check name", { "network-hygiene": { checks: { "internet-exposre": { enforcement: "mandatory" } } } }, "network-hygiene: checks: Additional property internet-exposre is not allowed"],
    ["a misspelt per-check setting", { "network-hygiene": { checks: { "internet-exposure": { enforcment: "mandatory" } } } }, "Additional property enforcment is not allowed"],
    ["a bad per-check level", { "network-hygiene": { checks: { "AR-001": { enforcement: "hard" } } } }, "network-hygiene: checks.AR-001.enforcement"],
    ["a suppression without a reason", { "network-hygiene": { suppressions: [{ check: "internet-exposure", resource: "vm4-nic" }] } }, "reason is required"],
    ["a bad onUnknown", { "reachability-intents": { onUnknown: "ignore" } }, "reachability-intents: onUnknown"],
  ])("%s inside a policy's config stops the run with the engine's schema error", (_what, config, error) => {
    const run = analyze({ file: NSG_BASICS, config });
    expect(run.code).not.toBe(0);
    expect(run.violations).toEqual([]);
    expect(run.stderr).toContain(error);
  });

  engineTest("a misspelt top-level key reaches the pack unchecked (no schema field carries additionalProperties): the pack stops the run", () => {
    const { "reachability-intents": ri, ...rest } = threeTierConfig();
    const run = analyze({ file: THREE_TIER, config: { ...rest, "reachability-intents": { intnets: ri.intents } } });
    expectWellFormed(run);
    expect(mandatory(run).map(headline)).toEqual([expect.stringMatching(/^policy config of reachability-intents: unknown key "intnets" \(known: intents, onUnknown, serviceTagsFile, stacks\)/)]);
    expect(run.code).not.toBe(0);
  });
});
