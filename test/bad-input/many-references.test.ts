/**
 * Issue 13: a rule side listing thousands of references that do not resolve (each one its own Unknown) must cost
 * linear time. The long fuzz run of 2026-12-02 (seeds 1, 101 and 777 at 4,000 mutants) made the locked-down
 * preview's `destinationApplicationSecurityGroups` (an unknown at preview, as azure-native's preview outputs give
 * every unset property) a list of 2,000 strings; folding the sides' causes one union at a time re-keyed every
 * cause at each step and the check took 13-21 s. The plan is the bundled example (`pulumi preview --json` shape),
 * the mutation the fuzzer's `huge` list.
 */
import * as fs from "fs";
import * as os from "os";
import { join } from "path";
import { cli } from "../helpers/cli";
import { triUnionAll, undecided, exact } from "../../src/engine/tri-set";
import { unknown } from "../../src/model/unknown";
import { IpSet } from "../../src/sets/ip-set";

const EXAMPLE = join(__dirname, "../../examples/locked-down");
const TMP = fs.mkdtempSync(join(os.tmpdir(), "ar-many-refs-"));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

type Step = { urn: string; newState?: { outputs: Record<string, unknown> } };

function withReferences(count: number): string {
  const doc = JSON.parse(fs.readFileSync(join(EXAMPLE, "preview.json"), "utf8")) as { steps: Step[] };
  const nsg = doc.steps.find((s) => s.urn.endsWith("::restricted-nsg"))!;
  const rules = nsg.newState!.outputs.securityRules as Array<Record<string, unknown>>;
  rules[0].destinationApplicationSecurityGroups = Array.from({ length: count }, (_, i) => `10.${(i >> 8) & 255}.${i & 255}.0/24`);
  const f = join(TMP, `preview-${count}.json`);
  fs.writeFileSync(f, JSON.stringify(doc));
  return f;
}

test("the union of many sets keeps every distinct cause once, in first-seen order", () => {
  const causes = Array.from({ length: 5 }, (_, i) => unknown(`.x[${i}]`, "urn:a"));
  const u = triUnionAll([undecided(causes[0]), exact(IpSet.fromCidr("10.0.0.0/8")), undecided(causes[1]), undecided(causes[0]), ...causes.slice(2).map((c) => undecided(c))]);
  expect(u.causes.map((c) => c.path)).toEqual([".x[0]", ".x[1]", ".x[2]", ".x[3]", ".x[4]"]);
  expect(u.must.equals(IpSet.fromCidr("10.0.0.0/8"))).toBe(true);
  expect(u.may.equals(IpSet.all())).toBe(true);
});

// 20,000 references: linear work takes a few seconds on a loaded 2-core machine; the quadratic fold took minutes.
test("20,000 unresolved ASG references on one rule side: the check answers, and names the field", async () => {
  const r = await cli("check", withReferences(20_000), "--intents", join(EXAMPLE, "intents.json"), "--format", "json");
  expect(r.code).not.toBe(3);
  const report = JSON.parse(r.out) as { diagnostics: Array<{ resource: string; field?: string }> };
  expect(report.diagnostics.some((d) => d.resource.endsWith("::restricted-nsg") && (d.field ?? "").startsWith("securityRules[0].destinationApplicationSecurityGroups"))).toBe(true);
}, 60_000);

// Seed 28000 mutant 475 (long fuzz run, 2026-12-03): the restricted NSG's rules made 2,000 copies of its first rule
// (each doubtful at preview); the first-match loops merged each rule's causes into a growing list, re-keying it every
// time: 60 s. Linear now; the duplicate-priority messages name five rules and a count instead of all 1,999.
test("2,000 copies of a doubtful rule: the check answers, with short messages", async () => {
  const doc = JSON.parse(fs.readFileSync(join(EXAMPLE, "preview.json"), "utf8")) as { steps: Step[] };
  const nsg = doc.steps.find((s) => s.urn.endsWith("::restricted-nsg"))!;
  const rules = nsg.newState!.outputs.securityRules as unknown[];
  nsg.newState!.outputs.securityRules = Array.from({ length: 2000 }, () => JSON.parse(JSON.stringify(rules[0])));
  const f = join(TMP, "copies.json");
  fs.writeFileSync(f, JSON.stringify(doc));
  const r = await cli("check", f, "--intents", join(EXAMPLE, "intents.json"), "--format", "json");
  expect(r.code).not.toBe(3);
  const diagnostics = JSON.parse(r.out).diagnostics as Array<{ code: string; message: string }>;
  const priority = diagnostics.filter((d) => d.code === "duplicate-priority");
  expect(priority).toHaveLength(2000);
  expect(Math.max(...priority.map((d) => d.message.length))).toBeLessThan(400);
  expect(priority[0].message).toMatch(/ and 1994 more; Azure rejects/);
}, 60_000);
