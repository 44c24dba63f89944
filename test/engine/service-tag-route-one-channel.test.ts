/**
 * Issue 14's disagreement: with a user route `Storage.WestEurope -> None` and the tag in the loaded file, trace said
 * Unreachable while an intent over the same flows said indeterminate ("service tag ... is not in the service tag
 * file") and AR-008 skipped the route, because the intent walk routed with an empty catalog. The engine env's
 * catalog is now the one channel. The tag file is an excerpt of shared/data/ServiceTags_Public_20251028.json (its
 * first three Storage.WestEurope prefixes, same shape); the plan is a first-preview shape (ids unknown, references
 * by dependency) as in storage-deny-preview.json; unset response properties are absent, which the preview reader
 * treats as an unknown output the program did not set (src/resources/reconcile.ts).
 */
import { writeFileSync } from "fs";
import { join } from "path";
import { cli } from "../helpers/cli";
import { IpSet } from "../../src/sets/ip-set";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import type { RoutingOptions } from "../../src/engine/effective-routes";
import { tempDir } from "../helpers/temp-dir";

const PLAN = join(__dirname, "../fixtures/engine/storage-route-none-preview.json");
const TAGS = join(__dirname, "../fixtures/engine/service-tags-storage-westeurope.json");

function intentsFile(expect: "reachable" | "unreachable", to: object = { cidr: "13.69.40.16/28" }): string {
  const dir = tempDir("ar-tags-");
  const file = join(dir, "intents.json");
  const intent = { name: "vm-to-storage", from: { nic: "vm-nic" }, to, protocol: "Tcp", ports: "443", expect };
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

/** What AR-008's low finding says the route drops (its message lists the CIDRs), or undefined when it is not reported. */
function droppedByAr008(findings: ReadonlyArray<{ id: string; severity: string; message: string }>): IpSet | undefined {
  const low = findings.find((f) => f.id === "AR-008" && f.severity === "low");
  if (!low) return undefined;
  const cidrs = low.message.slice(low.message.lastIndexOf(" to ") + 4).split(",");
  return cidrs.reduce((acc, c) => acc.union(IpSet.fromCidr(c.trim())), IpSet.empty());
}

/**
 * The golden table: one plan (a route Storage.WestEurope -> None), with and without the tag file, three destinations
 * (two in the tag, one outside). Per row: trace's status, the verdicts of an intent expecting reachable and one
 * expecting unreachable, whether AR-008 says the route drops that address, and whether AR-008 raises it to high
 * because the reachable intent needs it. The three readers agree: a drop in trace is a failing reachable intent, a
 * passing unreachable one and an AR-008 drop; an undecided trace is undecided intents and no AR-008.
 */
describe("golden: trace, intents and AR-008 agree on a route to a service tag", () => {
  test.each([
    // tags, destination, trace, reachable intent, unreachable intent, AR-008 drops it, AR-008 high
    [true, "13.69.40.20", "Unreachable", "fail", "pass", true, true],
    [true, "13.95.240.17", "Unreachable", "fail", "pass", true, true],
    [true, "8.8.8.8", "Reachable", "pass", "fail", false, false],
    [false, "13.69.40.20", "Indeterminate", "indeterminate", "indeterminate", false, false],
    [false, "8.8.8.8", "Indeterminate", "indeterminate", "indeterminate", false, false],
  ] as const)("tag file %s, to %s: trace %s, reachable %s, unreachable %s, AR-008 drops %s (high %s)", async (tags, dst, status, reachable, unreachable, drops, high) => {
    const withTags = tags ? ["--service-tags", TAGS] : [];
    const traced = await cli("trace", PLAN, "--from", "vm-nic", "--to", dst, "--protocol", "TCP", "--port", "443", ...withTags, "--json");
    expect(traced.code).toBe(0);
    expect(JSON.parse(traced.out).connectionStatus).toBe(status);

    const verdicts: string[] = [];
    for (const expect_ of ["reachable", "unreachable"] as const) {
      const checked = await cli("check", PLAN, "--intents", intentsFile(expect_, { ip: dst }), ...withTags, "--format", "json");
      const report = JSON.parse(checked.out);
      verdicts.push(report.results[0].verdict);
      const dropped = droppedByAr008(report.findings);
      expect(dropped !== undefined && dropped.contains(dst)).toBe(drops);
      // Without the tag file AR-008 skips the route (its prefix is unknown): no finding at all.
      expect(dropped !== undefined).toBe(tags);
      if (expect_ === "reachable") expect(report.findings.some((f: { id: string; severity: string }) => f.id === "AR-008" && f.severity === "high")).toBe(high);
    }
    expect(verdicts).toEqual([reachable, unreachable]);

    // The agreement itself, whatever the row: dropped in trace <=> reachable fails <=> AR-008 drops the address.
    expect(status === "Unreachable").toBe(reachable === "fail");
    expect(status === "Unreachable").toBe(drops);
    expect(status === "Indeterminate").toBe(reachable === "indeterminate" && unreachable === "indeterminate");
  });
});

describe("the catalog has one channel: questions asked of an engine environment cannot be given another", () => {
  test("RoutingOptions (the walk's, trace's and the checks' options) has no catalog field", () => {
    // @ts-expect-error serviceTags is not a routing option: the environment's catalog is read (typecheck enforces it)
    const options: RoutingOptions = { gatewayPrefixes: [], serviceTags: EMPTY_CATALOG };
    expect(Object.keys(options)).toContain("gatewayPrefixes");
  });
});
