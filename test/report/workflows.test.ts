/**
 * The CI recipes of docs/ci.md: the two workflow files parse as YAML and do what the document says.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { parse } from "yaml";
import { COMMENT_MARKER } from "../../src/report/markdown";

const DOCS = join(__dirname, "../../docs");

interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Readonly<Record<string, unknown>>;
}

interface Workflow {
  readonly name: string;
  readonly on: Readonly<Record<string, unknown>>;
  readonly permissions: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string>>;
  readonly jobs: Readonly<Record<string, { readonly "runs-on": string; readonly steps: readonly Step[] }>>;
}

function workflow(file: string): Workflow {
  const doc = parse(readFileSync(join(DOCS, "workflows", file), "utf8"), { strict: true, uniqueKeys: true }) as Workflow;
  expect(typeof doc.name).toBe("string");
  expect(Object.keys(doc.jobs).length).toBeGreaterThan(0);
  for (const job of Object.values(doc.jobs)) {
    expect(job["runs-on"]).toBe("ubuntu-latest");
    for (const s of job.steps) expect(s.uses !== undefined || s.run !== undefined).toBe(true);
  }
  return doc;
}

function steps(w: Workflow): readonly Step[] {
  return Object.values(w.jobs).flatMap((j) => j.steps);
}

describe("CI workflows", () => {
  test("reachability-check.yml: check to SARIF, upload-sarif, the markdown comment, fail on exit 1", () => {
    const w = workflow("reachability-check.yml");
    expect(Object.keys(w.on)).toEqual(["pull_request", "push"]);
    expect(w.permissions).toMatchObject({ "security-events": "write", "pull-requests": "write", contents: "read" });
    const all = steps(w);
    const check = all.find((s) => s.id === "check");
    expect(check?.run).toMatch(/npx azure-reachability check "\$REACHABILITY_INPUT" --intents "\$REACHABILITY_INTENTS" \\\n\s+--format sarif --output reachability\.sarif/);
    expect(check?.run).toContain('echo "exit=$code" >> "$GITHUB_OUTPUT"');
    expect(all.some((s) => s.run?.includes("--format markdown --output reachability.md"))).toBe(true);
    const upload = all.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
    expect(upload?.with).toEqual({ sarif_file: "reachability.sarif", category: "azure-reachability" });
    expect(upload?.if).toContain("always()");
    const comment = all.find((s) => s.name === "Comment on the pull request");
    expect(comment?.run).toContain(`marker='${COMMENT_MARKER}'`);
    expect(comment?.run).toContain("gh pr comment");
    const last = all[all.length - 1];
    expect(last.if).toBe("steps.check.outputs.exit == '1'");
    expect(last.run).toContain("exit 1");
  });

  test("pulumi-preview-policy.yml: pulumi preview with the package as policy pack and the intents as its config", () => {
    const w = workflow("pulumi-preview-policy.yml");
    expect(Object.keys(w.on)).toEqual(["pull_request"]);
    const pulumi = steps(w).find((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(pulumi?.with).toMatchObject({
      command: "preview",
      policyPacks: "${{ github.workspace }}/node_modules/azure-reachability",
      policyPackConfigs: "${{ github.workspace }}/infra/intents.json",
    });
    expect(w.env?.PULUMI_ACCESS_TOKEN).toBe("${{ secrets.PULUMI_ACCESS_TOKEN }}");
  });

  test("docs/ci.md links both workflows and shows the commands they run", () => {
    const doc = readFileSync(join(DOCS, "ci.md"), "utf8");
    expect(doc).toContain("](workflows/reachability-check.yml)");
    expect(doc).toContain("](workflows/pulumi-preview-policy.yml)");
    expect(doc).toContain("--format sarif --output reachability.sarif");
    expect(doc).toContain("github/codeql-action/upload-sarif");
    expect(doc).toContain("pulumi preview --stack");
    expect(doc).toContain("--policy-pack-config");
    expect(doc).toContain(COMMENT_MARKER);
  });
});
