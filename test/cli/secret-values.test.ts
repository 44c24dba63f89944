/**
 * Secrets in a preview file. `pulumi preview --json` prints every secret value as the string "[secret]"
 * (pulumi/pulumi pkg/backend/display/json.go, massagePropertyValue, called for inputs and outputs of every step's
 * states). Here spoke2-nsg's Deny-Management-Inbound has its source prefix marked secret in the hub-and-spoke
 * first preview, in the inputs and the outputs alike, as the CLI would print it.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { MASKED_SECRET } from "../../src/resources/unknowns";
import { cli } from "../helpers/cli";

const EXAMPLE = path.resolve(__dirname, "../../examples/hub-and-spoke");
const PREVIEW = path.join(EXAMPLE, "preview.json");
const INTENTS = path.join(EXAMPLE, "intents.json");

interface Result {
  name: string;
  verdict: string;
  unknowns?: string[];
}

function withSecretSource(): object {
  const doc = JSON.parse(fs.readFileSync(PREVIEW, "utf8")) as { steps: Array<{ urn: string; newState: Record<string, { securityRules?: Array<Record<string, unknown>> }> }> };
  const step = doc.steps.find((s) => s.urn.endsWith("::spoke2-nsg"));
  if (step === undefined) throw new Error("no spoke2-nsg");
  for (const side of ["inputs", "outputs"]) {
    const rule = step.newState[side].securityRules?.find((r) => r.name === "Deny-Management-Inbound");
    if (rule === undefined) throw new Error(`no Deny-Management-Inbound in ${side}`);
    rule.sourceAddressPrefix = MASKED_SECRET;
  }
  return doc;
}

describe("a secret value in a preview", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const results = async (file: string): Promise<Map<string, Result>> => {
    const run = await cli("check", file, "--intents", INTENTS, "--format", "json");
    expect(run.code === 0 || run.code === 1).toBe(true);
    return new Map((JSON.parse(run.out) as { results: Result[] }).results.map((r) => [r.name, r]));
  };

  test("makes undecided exactly the intents it can decide, names it as a secret, and is never read as a prefix", async () => {
    const file = path.join(dir, "preview.json");
    fs.writeFileSync(file, JSON.stringify(withSecretSource()));
    const before = await results(PREVIEW);
    const after = await results(file);
    const changed = [...after.values()].filter((r) => r.verdict !== before.get(r.name)?.verdict);
    // SSH from spoke1 into spoke2 is what the secret rule decides. HTTPS is not on its ports, and nothing from the
    // Internet enters spoke2 (no public IP or load balancer), whatever the rule says.
    expect(changed.map((r) => r.name).sort()).toEqual(["no-ssh-between-spokes"]);
    expect(after.get("no-ssh-from-internet-to-spoke2")?.verdict).toBe("pass");
    for (const r of changed) {
      expect(r.verdict).toBe("indeterminate");
      expect(r.unknowns?.some((u) => u.includes("spoke2-nsg") && u.includes("sourceAddressPrefix") && u.includes("(secret)"))).toBe(true);
    }
    expect(after.get("spoke1-reaches-spoke2-https")?.verdict).toBe(before.get("spoke1-reaches-spoke2-https")?.verdict);
  });

  test("is not reported as a malformed prefix", async () => {
    const file = path.join(dir, "preview-2.json");
    fs.writeFileSync(file, JSON.stringify(withSecretSource()));
    const run = await cli("check", file, "--intents", INTENTS, "--format", "json");
    const findings = (JSON.parse(run.out) as { findings: Array<{ check: string; message: string }> }).findings;
    expect(findings.filter((f) => f.check === "invalid-rule" && f.message.includes("[secret]"))).toEqual([]);
  });
});
