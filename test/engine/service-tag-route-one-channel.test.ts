/**
 * Issue 14's disagreement: with a user route `Storage.WestEurope -> None` and the tag in the loaded file, trace said
 * Unreachable while an intent over the same flows said indeterminate ("service tag ... is not in the service tag
 * file") and AR-008 skipped the route, because the intent walk routed with an empty catalog. The engine env's
 * catalog is now the one channel. The tag file is an excerpt of shared/data/ServiceTags_Public_20251028.json (its
 * first three Storage.WestEurope prefixes, same shape); the plan is a first-preview shape (ids unknown, references
 * by dependency) as in storage-deny-preview.json; unset response properties are absent, which the preview reader
 * treats as an unknown output the program did not set (src/resources/reconcile.ts).
 */
import { writeFileSync, mkdtempSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { cli } from "../helpers/cli";

const PLAN = join(__dirname, "../fixtures/engine/storage-route-none-preview.json");
const TAGS = join(__dirname, "../fixtures/engine/service-tags-storage-westeurope.json");

function intentsFile(expect: "reachable" | "unreachable"): string {
  const dir = mkdtempSync(join(tmpdir(), "ar-tags-"));
  const file = join(dir, "intents.json");
  const intent = { name: "vm-to-storage", from: { nic: "vm-nic" }, to: { cidr: "13.69.40.16/28" }, protocol: "Tcp", ports: "443", expect };
  writeFileSync(file, JSON.stringify({ "reachability-intents": { intents: [intent] } }));
  return file;
}

describe("a route to a service tag: trace, intents and AR-008 read the same catalog", () => {
  test("trace drops at the route", async () => {
    const r = await cli("trace", PLAN, "--from", "vm-nic", "--to", "13.69.40.20", "--protocol", "TCP", "--port", "443", "--service-tags", TAGS, "--json");
    expect(JSON.parse(r.out).connectionStatus).toBe("Unreachable");
  });

  test.each([
    ["unreachable", "pass"],
    ["reachable", "fail"],
  ] as const)("an intent expecting %s is decided (%s), not indeterminate", async (expect_, verdict) => {
    const r = await cli("check", PLAN, "--intents", intentsFile(expect_), "--service-tags", TAGS, "--format", "json");
    const report = JSON.parse(r.out);
    expect(report.results.map((i: { verdict: string }) => i.verdict)).toEqual([verdict]);
  });

  test("AR-008 reports the route and what it drops", async () => {
    const r = await cli("check", PLAN, "--intents", intentsFile("unreachable"), "--service-tags", TAGS, "--format", "json");
    const ids = JSON.parse(r.out).findings.map((f: { id: string }) => f.id);
    expect(ids).toContain("AR-008");
  });

  test("without the tag file all three say the route is unknown", async () => {
    const r = await cli("check", PLAN, "--intents", intentsFile("unreachable"), "--format", "json");
    expect(JSON.parse(r.out).results[0].verdict).toBe("indeterminate");
  });
});
