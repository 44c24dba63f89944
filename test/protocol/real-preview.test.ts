/**
 * The gate on the plan as Pulumi really delivers it. examples/three-tier/preview.json is written by the program
 * runner in the real shape (src/resources/program: newState.inputs as the program set them, newState.outputs as
 * azure-native's PreviewOutputs makes them: every response property the program did not set is unknown;
 * pulumi-azure-native provider/pkg/convert/previewOutputs.go). Its intent app-reaches-db is broken on purpose.
 *
 * The CLI reads the preview file; the pack is driven as the engine drives it (harness.ts: Analyze per resource
 * with its inputs, then AnalyzeStack with the outputs). Both must fail the intent with the counterexample the
 * stack export gives.
 */
import * as fs from "fs";
import * as path from "path";
import { UNKNOWN_STRING } from "../../src/resources/unknowns";
import { cli } from "../helpers/cli";
import { PackHarness, type EngineState } from "./harness";

const EXAMPLE = path.resolve(__dirname, "../../examples/three-tier");
const PREVIEW = path.join(EXAMPLE, "preview.json");
const EXPORT = path.join(EXAMPLE, "stack-export.json");
const INTENTS = path.join(EXAMPLE, "intents.json");
const BROKEN = "app-reaches-db";

interface Report {
  results: Array<{ name: string; verdict: string; counterexample?: { text: string } }>;
  findings: Array<{ check: string; message: string }>;
}

const previewStates = (): EngineState[] =>
  (JSON.parse(fs.readFileSync(PREVIEW, "utf8")) as { steps: Array<{ newState?: EngineState }> }).steps.flatMap((s) => (s.newState ? [s.newState] : []));

test("the example's preview is in the real shape (unset response properties unknown in the outputs)", () => {
  const nsg = previewStates().find((s) => s.urn.endsWith("::db-nsg"));
  const rule = (nsg?.outputs?.securityRules as Array<Record<string, unknown>> | undefined)?.[0];
  expect(rule?.sourceAddressPrefix).toBe("10.10.0.0/26");
  expect(rule?.sourceAddressPrefixes).toBe(UNKNOWN_STRING);
  expect(nsg?.outputs?.networkSecurityGroupName).toBeUndefined();
  expect(nsg?.inputs?.networkSecurityGroupName).toBe("db-nsg");
});

describe("check on the real-shape preview", () => {
  test("fails the broken intent with the export's counterexample, exit 1, and no false invalid-rule findings", async () => {
    const onPreview = await cli("check", PREVIEW, "--intents", INTENTS, "--format", "json");
    const onExport = await cli("check", EXPORT, "--intents", INTENTS, "--format", "json");
    expect(onPreview.code).toBe(1);
    const p = JSON.parse(onPreview.out) as Report;
    const e = JSON.parse(onExport.out) as Report;
    const broken = (r: Report) => r.results.find((x) => x.name === BROKEN);
    expect(broken(p)?.verdict).toBe("fail");
    expect(broken(p)?.counterexample?.text).toBe(broken(e)?.counterexample?.text);
    expect(p.findings.filter((f) => f.check === "invalid-rule")).toEqual(e.findings.filter((f) => f.check === "invalid-rule"));
  });
});

describe("the pack on the real-shape preview, driven as the engine drives it", () => {
  const pack = new PackHarness();
  beforeAll(() => pack.start(), 90_000);
  afterAll(() => pack.stop());

  test("outputs alone (no Analyze inputs): the broken intent is not decided (this is why the pack keeps the inputs)", async () => {
    const config = JSON.parse(fs.readFileSync(INTENTS, "utf8")) as Record<string, unknown>;
    await pack.configureAsEngine(config);
    const diags = await pack.analyzeStack(previewStates());
    const broken = diags.filter((d) => d.message.startsWith(`intent "${BROKEN}"`));
    expect(broken.every((d) => d.enforcementLevel === "advisory" && d.message.includes("cannot be decided at preview"))).toBe(true);
  });

  test("Analyze then AnalyzeStack: one mandatory violation, the broken intent, with the export's counterexample", async () => {
    const config = JSON.parse(fs.readFileSync(INTENTS, "utf8")) as Record<string, unknown>;
    await pack.configureAsEngine(config);
    const diags = await pack.preview(previewStates());
    const mandatory = diags.filter((d) => d.enforcementLevel === "mandatory");
    expect(mandatory.map((d) => d.message.split(" (expect")[0])).toEqual([`intent "${BROKEN}" fails`]);
    expect(mandatory[0].message).toContain("counterexample: TCP 10.10.2.4:50000 -> 10.10.3.4:1433");
    expect(mandatory[0].message).toContain("denied by securityRules/Deny-VNet-Inbound (priority 300)");
    expect(diags.filter((d) => d.message.includes("invalid-rule"))).toEqual([]);
  });
});
