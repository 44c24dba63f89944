/**
 * Update previews written without `--show-sames`: `pulumi preview --json` prints only the changed steps
 * (pulumi/pulumi pkg/backend/display/json.go, ShowPreviewDigest: a step is printed when `shouldShow`, which leaves
 * out `same` steps unless ShowSames), while `changeSummary` still counts the unchanged resources under "same".
 *
 * The file below is shaped that way, from the hub-and-spoke stack export: one `update` step for spoke2-nsg, which
 * gains an SSH allow from spoke1 at priority 200. Its newState carries the new inputs and azure-native's preview
 * outputs for them (pulumi-azure-native provider/pkg/convert/previewOutputs.go: response properties the inputs do
 * not set are the unknown sentinel; an update keeps the old name, location and id; path parameters are dropped),
 * and no id of its own (the id is taken from oldState, else from the state file).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { UNKNOWN_STRING } from "../../src/resources/unknowns";
import { cli } from "../helpers/cli";

const EXAMPLE = path.resolve(__dirname, "../../examples/hub-and-spoke");
const EXPORT = path.join(EXAMPLE, "stack-export.json");
const INTENTS = path.join(EXAMPLE, "intents.json");

interface ExportedResource {
  urn: string;
  id?: string;
  type: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

/** SecurityRuleResponse's properties (@pulumi/azure-native types/output.d.ts): the ones a rule input leaves unset are computed. */
const RULE_RESPONSE_KEYS = [
  "access", "description", "destinationAddressPrefix", "destinationAddressPrefixes", "destinationApplicationSecurityGroups",
  "destinationPortRange", "destinationPortRanges", "direction", "etag", "id", "name", "priority", "protocol", "provisioningState",
  "sourceAddressPrefix", "sourceAddressPrefixes", "sourceApplicationSecurityGroups", "sourcePortRange", "sourcePortRanges", "type",
];

function rulePreviewOutput(rule: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(RULE_RESPONSE_KEYS.map((k) => [k, k in rule ? rule[k] : UNKNOWN_STRING]));
}

const sshFromSpoke1 = {
  access: "Allow", destinationAddressPrefix: "*", destinationPortRange: "22", direction: "Inbound", name: "Allow-SSH-From-Spoke1",
  priority: 200, protocol: "Tcp", sourceAddressPrefix: "10.1.0.0/16", sourcePortRange: "*",
};

function partialPreview(): { doc: object; resources: number } {
  const exported = JSON.parse(fs.readFileSync(EXPORT, "utf8")) as { deployment: { resources: ExportedResource[] } };
  const resources = exported.deployment.resources;
  const old = resources.find((r) => r.urn.endsWith("::spoke2-nsg"));
  if (old === undefined) throw new Error("no spoke2-nsg in the export");
  const rules = [...(old.inputs.securityRules as Record<string, unknown>[]), sshFromSpoke1];
  const inputs = { ...old.inputs, securityRules: rules };
  const outputs = {
    id: old.outputs.id, name: old.outputs.name, location: old.outputs.location,
    securityRules: rules.map(rulePreviewOutput),
    defaultSecurityRules: UNKNOWN_STRING, etag: UNKNOWN_STRING, flowLogs: UNKNOWN_STRING, networkInterfaces: UNKNOWN_STRING,
    provisioningState: UNKNOWN_STRING, resourceGuid: UNKNOWN_STRING, subnets: UNKNOWN_STRING, tags: UNKNOWN_STRING, type: UNKNOWN_STRING,
  };
  const { id: _id, ...withoutId } = old;
  const step = { op: "update", urn: old.urn, oldState: old, newState: { ...withoutId, inputs, outputs }, diffReasons: ["securityRules"] };
  // The stack itself is a resource too: every resource but the changed one is "same".
  return { doc: { config: {}, steps: [step], diagnostics: [], changeSummary: { same: resources.length - 1, update: 1 } }, resources: resources.length };
}

describe("a preview without unchanged resources", () => {
  let dir: string;
  let file: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "partial-preview-"));
    file = path.join(dir, "preview.json");
    fs.writeFileSync(file, JSON.stringify(partialPreview().doc));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("is refused with the reason and the two ways out, exit 2", async () => {
    const run = await cli("check", file, "--intents", INTENTS);
    expect(run.code).toBe(2);
    expect(run.err.trim().split("\n")).toHaveLength(1);
    expect(run.err).toContain(`its ${partialPreview().resources - 1} unchanged resources are left out`);
    expect(run.err).toContain("--show-sames");
    expect(run.err).toContain("--state FILE");
  });

  test("with --state, the steps apply to the current stack: the new SSH allow breaks no-ssh-between-spokes", async () => {
    const before = await cli("check", EXPORT, "--intents", INTENTS, "--format", "json");
    const after = await cli("check", file, "--state", EXPORT, "--intents", INTENTS, "--format", "json");
    expect(after.err).toBe("");
    const verdicts = (out: string): Record<string, string> =>
      Object.fromEntries((JSON.parse(out) as { results: Array<{ name: string; verdict: string }> }).results.map((r) => [r.name, r.verdict]));
    const was = verdicts(before.out);
    const now = verdicts(after.out);
    expect(was["no-ssh-between-spokes"]).toBe("pass");
    expect(now["no-ssh-between-spokes"]).toBe("fail");
    // Nothing else changes: the other intents do not depend on the new rule.
    expect({ ...now, "no-ssh-between-spokes": "pass" }).toEqual(was);
    expect(after.code).toBe(1);
    expect(after.out).toContain("Allow-SSH-From-Spoke1");
  });

  test("--state must be a stack export", async () => {
    const run = await cli("check", file, "--state", path.join(EXAMPLE, "preview.json"), "--intents", INTENTS);
    expect(run.code).toBe(2);
    expect(run.err).toContain("--state takes the current stack from `pulumi stack export`");
  });

  test("--state does not apply to a program directory", async () => {
    const run = await cli("check", EXAMPLE, "--state", EXPORT);
    expect(run.code).toBe(2);
    expect(run.err).toContain("--state applies to a preview file");
  });

  test("a preview that failed before planning says so, with its first error", async () => {
    const failed = path.join(dir, "failed.json");
    fs.writeFileSync(failed, JSON.stringify({ diagnostics: [{ message: "error: program failed:\n boom", severity: "error" }] }));
    const run = await cli("check", failed);
    expect(run.code).toBe(2);
    expect(run.err).toContain("holds no plan: the preview that wrote it failed before planning");
    expect(run.err).toContain("boom");
  });
});
