/**
 * The benchmark's synthetic estates: deterministic, shaped as the adapter expects (a first preview resolves every
 * reference through propertyDependencies), and S goes through the real check pipeline with the counts the
 * generator promises. No timing assertions: figures come from `npm run bench`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { compareWithBruteForce } from "../../bench/brute-force";
import { countsOf, ensureEstate, intentsOf, planEstate, rulesOf, SIZES } from "../../bench/estate";
import { runPipeline } from "../../bench/pipeline";
import { measureVerifyFlow } from "../../bench/verify-flow";
import { readIntentsFile } from "../../src/intents/parse";

const FILES = ["stack-export.json", "preview.json", "intents.json", "service-tags.json"] as const;

let root: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "bench-estate-"));
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe("synthetic estate generator", () => {
  it("writes the same bytes for the same size, whatever the run", () => {
    const a = ensureEstate(SIZES.S, path.join(root, "a"));
    const b = ensureEstate(SIZES.S, path.join(root, "b"), true);
    for (const f of FILES) {
      expect(fs.readFileSync(path.join(a.dir, f), "utf8")).toBe(fs.readFileSync(path.join(b.dir, f), "utf8"));
    }
    const plan = planEstate(SIZES.M);
    expect(intentsOf(plan)).toEqual(intentsOf(planEstate(SIZES.M)));
    expect(rulesOf(plan, plan.nsgs[7])).toEqual(rulesOf(planEstate(SIZES.M), plan.nsgs[7]));
  });

  it.each(["S", "M"] as const)("size %s has no rule that repeats an earlier rule of its NSG (issue 19 point 5)", (size) => {
    const plan = planEstate(SIZES[size]);
    let duplicates = 0;
    for (const nsg of plan.nsgs) {
      const seen = new Set<string>();
      for (const r of rulesOf(plan, nsg)) {
        const key = JSON.stringify([r.direction, r.access, r.protocol, r.fields]);
        if (seen.has(key)) duplicates++;
        seen.add(key);
      }
      expect(seen.size).toBe(plan.size.rulesPerNsg);
    }
    expect(duplicates).toBe(0);
  });

  it.each([
    ["S", { nics: 100, nsgs: 20, rules: 400, intents: 20 }],
    ["M", { nics: 10_000, nsgs: 1_000, rules: 50_000, routeTables: 200, routes: 4_000, intents: 500 }],
    ["L", { nics: 50_000, nsgs: 5_000, rules: 250_000, routeTables: 1_000, routes: 20_000, intents: 2_000 }],
  ] as const)("size %s has the promised counts", (size, expected) => {
    const counts = countsOf(planEstate(SIZES[size]));
    expect(counts).toMatchObject(expected);
    expect(counts.staticNics + counts.dynamicNics).toBe(counts.nics);
    expect(counts.reachIntents + counts.flowVerifyIntents).toBe(counts.intents);
  });

  it("uses azure-native v3 tokens and the unknown sentinel at a first preview", () => {
    const files = ensureEstate(SIZES.S, path.join(root, "a"));
    const preview = JSON.parse(fs.readFileSync(files.preview, "utf8")) as { steps: Array<{ op: string; newState: { type: string; id?: string } }> };
    const types = new Set(preview.steps.map((s) => s.newState.type));
    for (const t of ["VirtualNetwork", "Subnet", "NetworkSecurityGroup", "SecurityRule", "NetworkInterface", "ApplicationSecurityGroup", "RouteTable", "Route", "VirtualNetworkPeering"]) {
      expect(types).toContain(`azure-native:network:${t}`);
    }
    expect(types).toContain("azure-native:compute:VirtualMachine");
    expect(preview.steps.every((s) => s.op === "create" && s.newState.id === undefined)).toBe(true);
    expect(fs.readFileSync(files.preview, "utf8")).toContain("04da6b54-80e4-46f7-96ec-b56ff0331ba9");
    expect(fs.readFileSync(files.stackExport, "utf8")).not.toContain("04da6b54-80e4-46f7-96ec-b56ff0331ba9");
  });
});

describe("size S through the real pipeline", () => {
  it.each(["preview", "export"] as const)("checks the %s file: every resource, rule, route and intent", (kind) => {
    const files = ensureEstate(SIZES.S, path.join(root, "a"));
    const run = runPipeline({ file: kind === "preview" ? files.preview : files.stackExport, intents: files.intents, serviceTags: files.serviceTags });
    const c = files.counts;
    const topo = run.topology;
    // Every resource of the file but the stack itself (a component the readers leave out).
    expect(run.records).toHaveLength(c.resources - 1);
    expect(topo.vnets.size).toBe(c.vnets);
    expect(topo.subnets.size).toBe(c.subnets);
    expect(topo.nics.size).toBe(c.nics);
    expect(topo.nsgs.size).toBe(c.nsgs);
    expect([...topo.nsgs.values()].reduce((n, g) => n + g.rules.length, 0)).toBe(c.rules);
    expect(topo.routeTables.size).toBe(c.routeTables);
    expect([...topo.routeTables.values()].reduce((n, t) => n + t.routes.length, 0)).toBe(c.routes);
    expect(topo.asgs.size).toBe(c.asgs);
    expect(topo.peerings.size).toBe(c.peerings);
    expect(topo.vms.size).toBe(c.vms);
    // Every reference resolves (by id in the export, through propertyDependencies at the first preview).
    expect(topo.diagnostics.filter((d) => d.code === "unresolved-reference")).toEqual([]);
    const results = run.report.results;
    expect(results).toHaveLength(c.intents);
    expect(results.filter((r) => r.kind === "ipFlowVerify")).toHaveLength(c.flowVerifyIntents);
    expect(results.filter((r) => r.error !== undefined)).toEqual([]);
    expect(run.report.summary.pass + run.report.summary.fail + run.report.summary.indeterminate).toBe(c.intents);
    expect(run.stages.map((s) => s.name)).toEqual(["read", "parse", "records", "topology", "intents-parse", "checks", "intents", "report"]);
  });

  it("answers IP flow verify queries and compares with brute force", () => {
    const files = ensureEstate(SIZES.S, path.join(root, "a"));
    const run = runPipeline({ file: files.preview, intents: files.intents, serviceTags: files.serviceTags });
    const verify = measureVerifyFlow(run.env, 300);
    expect(verify.queries).toBe(300);
    expect(verify.errors).toBe(0);
    expect(verify.allow + verify.deny + verify.indeterminate).toBe(300);
    const parsed = readIntentsFile(files.intents);
    if (!parsed.ok) throw new Error(parsed.errors.join("; "));
    const brute = compareWithBruteForce(run.env, parsed.intents, 5);
    expect(brute.intents).toBeGreaterThan(0);
    expect(brute.sampledFlows).toBeGreaterThan(0);
    expect(BigInt(brute.flows)).toBeGreaterThan(0n);
  });
});
