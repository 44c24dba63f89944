/**
 * `azure-reachability check`: formats, exit codes, intent sources. Fixture: test/fixtures/intents/app-db (a program
 * with in-code ReachabilityIntents, its intents.json, and the stack export / first preview generated from it).
 */
import { readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { cli } from "../helpers/cli";
import { tempDir } from "../helpers/temp-dir";

const FIXTURE = join(__dirname, "../fixtures/intents/app-db");
const EXPORT = join(FIXTURE, "stack-export.json");
const PREVIEW = join(FIXTURE, "preview.json");
const INTENTS = join(FIXTURE, "intents.json");
const TMP = tempDir("check-test-");

/** The fixture's stack export without its ReachabilityIntent components: only configured intents count. */
function exportWithoutComponents(): string {
  const doc = JSON.parse(readFileSync(EXPORT, "utf8")) as { deployment: { resources: Array<{ type: string }> } };
  doc.deployment.resources = doc.deployment.resources.filter((r) => r.type !== "azure-reachability:index:Intent");
  const file = join(TMP, "no-components.json");
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

function intentsFile(name: string, intents: unknown[]): string {
  const file = join(TMP, name);
  writeFileSync(file, JSON.stringify({ intents }));
  return file;
}

const PASSING = { name: "app-no-rdp-to-db", from: { subnet: "app" }, to: { subnet: "db" }, protocol: "Tcp", ports: "3389", expect: "unreachable" };
const FAILING = { name: "app-to-db-sql", from: { subnet: "app" }, to: { nic: "db-nic" }, protocol: "Tcp", ports: "1433", expect: "reachable" };
const UNDECIDED = { name: "storage-to-db", from: { serviceTag: "Storage" }, to: { nic: "db-nic" }, protocol: "Tcp", ports: "1433", expect: "unreachable" };

describe("output", () => {
  test("text: each verdict, the counterexample and the evidence, the decisive line marked", async () => {
    const r = await cli("check", EXPORT, "--intents", INTENTS);
    expect(r.code).toBe(1);
    expect(r.out).toContain("FAIL      app-to-db  (mandatory, expect reachable)");
    expect(r.out).toContain("counterexample: TCP 10.30.1.4:50000 -> 10.30.2.4:1433 (from app-nic to db-nic): blocked");
    expect(r.out).toContain("! NSG db-nsg on subnet db, Inbound: denied by securityRules/Deny-VNet-Inbound (priority 300)");
    expect(r.out).toContain("PASS      app-no-rdp-to-db  (mandatory, expect unreachable)");
    expect(r.out.trimEnd().split("\n").pop()).toMatch(/^4 intents: 3 pass, 1 fail \(1 mandatory\), 0 undecided; \d+ findings$/);
    expect(r.out).toContain("Findings:");
  });

  test("json: results, findings and summary", async () => {
    const r = await cli("check", EXPORT, "--intents", INTENTS, "--format", "json");
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json.results.map((x: { name: string; verdict: string; enforcement: string }) => [x.name, x.verdict, x.enforcement])).toEqual([
      ["app-no-rdp-to-db", "pass", "mandatory"],
      ["db-sql-from-app-flow", "pass", "mandatory"],
      ["app-to-db", "fail", "mandatory"],
      ["no-ssh-from-internet", "pass", "mandatory"],
    ]);
    expect(json.results[0].counterexample).toBeNull();
    const fail = json.results[2];
    expect(fail.counterexample.flow).toEqual({ protocol: "TCP", sourceAddress: "10.30.1.4", sourcePort: 50000, destinationAddress: "10.30.2.4", destinationPort: 1433 });
    expect(fail.counterexample.evidence.filter((e: { decisive: boolean }) => e.decisive)).toEqual([
      expect.objectContaining({ kind: "nsg-rule", ruleName: "securityRules/Deny-VNet-Inbound", access: "Deny", priority: 300, appliedTo: "subnet", nsg: expect.objectContaining({ name: "db-nsg" }) }),
    ]);
    expect(fail.urn).toBe("urn:pulumi:dev::app-db::azure-native:network:NetworkInterface::db-nic");
    // Hygiene findings come along (src/checks): here the shadowed allow behind the failing intent.
    expect(json.findings.map((f: { check: string }) => f.check)).toContain("shadowed-rule");
    expect(json.summary).toMatchObject({ intents: 4, pass: 3, fail: 1, indeterminate: 0, mandatoryFailures: 1, findings: json.findings.length, verdict: "fail" });
  });

  test("--output writes the report to a file; stdout stays empty", async () => {
    const out = join(TMP, "report.json");
    const r = await cli("check", EXPORT, "--intents", INTENTS, "--format", "json", "--output", out);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain(`report written to ${out}`);
    expect(JSON.parse(readFileSync(out, "utf8")).summary.fail).toBe(1);
  });
});

describe("exit codes", () => {
  const input = exportWithoutComponents();
  test.each<[string, unknown[], string[], number]>([
    ["every mandatory intent holds", [PASSING], [], 0],
    ["a mandatory intent fails", [PASSING, FAILING], [], 1],
    ["only an advisory intent fails", [PASSING, { ...FAILING, enforcement: "advisory" }], [], 0],
    ["a mandatory intent is undecided", [UNDECIDED], [], 0],
    ["... with --fail-on-indeterminate", [UNDECIDED], ["--fail-on-indeterminate"], 1],
    ["an advisory undecided intent with --fail-on-indeterminate", [{ ...UNDECIDED, enforcement: "advisory" }], ["--fail-on-indeterminate"], 0],
  ])("%s -> %i", async (name, intents, flags, code) => {
    const file = intentsFile(`${name.replace(/\W+/g, "-")}.json`, intents);
    const r = await cli("check", input, "--intents", file, ...flags);
    expect(r.code).toBe(code);
  });

  test("--service-tags decides a service tag selector", async () => {
    const tags = join(TMP, "tags.json");
    writeFileSync(tags, JSON.stringify({ changeNumber: 1, cloud: "Public", values: [{ name: "Storage", id: "Storage", properties: { addressPrefixes: ["20.60.0.0/16"] } }] }));
    const r = await cli("check", input, "--intents", intentsFile("storage.json", [UNDECIDED]), "--service-tags", tags, "--fail-on-indeterminate", "--format", "json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).results[0].verdict).toBe("pass");
  });

  test.each<[string, string[], RegExp]>([
    ["an invalid intent", ["--intents", "BAD"], /^azure-reachability: .*bad\.json: intent "typo" \(intents\[0\]\), field "protocol": "Tcpp" is not allowed; use Tcp, Udp, Icmp, Any \(default Any\)\n$/],
    ["a missing intents file", ["--intents", join(TMP, "nope.json")], /^azure-reachability: cannot read intents file .*nope\.json: no such file\n$/],
    ["an unknown format", ["--intents", INTENTS, "--format", "xml"], /^azure-reachability: --format must be one of text, json, markdown, sarif, junit, not "xml"\n$/],
  ])("bad input: %s -> 2, one line on stderr", async (_name, args, message) => {
    const bad = intentsFile("bad.json", [{ ...PASSING, name: "typo", protocol: "Tcpp" }]);
    const r = await cli("check", input, ...args.map((a) => (a === "BAD" ? bad : a)));
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toMatch(message);
  });

  test("an unreadable input -> 2", async () => {
    const r = await cli("check", join(TMP, "missing.json"), "--intents", INTENTS);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^azure-reachability: cannot read .*missing\.json/);
  });
});

describe("intent sources", () => {
  test("a first preview: in-code intents resolve through propertyDependencies, ids being unknown", async () => {
    const r = await cli("check", PREVIEW, "--format", "json");
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json.results.map((x: { name: string; verdict: string }) => [x.name, x.verdict])).toEqual([
      ["app-to-db", "fail"],
      ["no-ssh-from-internet", "pass"],
    ]);
    expect(json.intentSources).toEqual(["urn:pulumi:dev::app-db::azure-reachability:index:Intent::app-to-db", "urn:pulumi:dev::app-db::azure-reachability:index:Intent::no-ssh-from-internet"]);
  });

  test("a program directory: <dir>/intents.json and the program's ReachabilityIntents", async () => {
    const r = await cli("check", FIXTURE, "--format", "json");
    expect(r.code).toBe(1);
    const json = JSON.parse(r.out);
    expect(json.results.map((x: { name: string; declaredIn: string }) => [x.name, x.declaredIn.replace(FIXTURE, "<dir>")])).toEqual([
      ["app-no-rdp-to-db", "<dir>/intents.json"],
      ["db-sql-from-app-flow", "<dir>/intents.json"],
      ["app-to-db", "urn:pulumi:dev::app-db::azure-reachability:index:Intent::app-to-db"],
      ["no-ssh-from-internet", "urn:pulumi:dev::app-db::azure-reachability:index:Intent::no-ssh-from-internet"],
    ]);
  }, 60_000);

  test("no intents at all: a note on stderr, exit 0", async () => {
    const r = await cli("check", exportWithoutComponents());
    expect(r.code).toBe(0);
    expect(r.err).toContain("no intents to check");
    expect(r.out).toContain("no intents to check");
  });
});
