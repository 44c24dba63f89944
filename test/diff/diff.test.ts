/**
 * `diff` on two versions of examples/hub-and-spoke/stack-export.json (test/diff/fixtures/make-versions.py writes
 * them): real `pulumi stack export` files (version 3, `deployment.resources[]` with `inputs` and `outputs`, as
 * pulumi/pulumi sdk/go/common/apitype/core.go DeploymentV3/ResourceV3 define them), and the update between them as
 * `pulumi preview --json` prints it with and without `--show-sames` (pkg/backend/display/json.go: steps with
 * `op`, `urn`, `oldState`, `newState`; `changeSummary` counts sames even when their steps are left out).
 * The change: one rule's port range widened (spoke1-nsg 443 -> 443-8443), one allow removed (spoke2-nsg
 * Allow-HTTPS-From-Other-Spoke), one route added (spoke1-rt 10.0.2.0/24 -> None).
 */
import { main } from "../../src/cli/main";
import type { Io } from "../../src/cli/output";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import { buildTopology } from "../../src/adapters/azure-native";
import { readResourceFile } from "../../src/resources/detect";
import { FlowSet } from "../../src/sets/flow-set";
import { IpSet } from "../../src/sets/ip-set";
import { PortSet } from "../../src/sets/port-set";
import { ProtocolSet, Tcp } from "../../src/sets/protocol-set";
import { diffPlans } from "../../src/diff/compute";
import { buildDiffReport, diffExitCode } from "../../src/diff/report";
import { NO_CHANGES } from "../../src/diff/resources";
import { diffRows } from "../../src/diff/rows";
import { formatDiffMarkdown } from "../../src/report/diff-markdown";
import { diffSarifLog } from "../../src/report/diff-sarif";
import { formatDiffText } from "../../src/report/diff-text";
import { ModelBuilder } from "../helpers/model-builder";

const F = "test/diff/fixtures";
const BEFORE = `${F}/hub-and-spoke-before.json`;
const AFTER = `${F}/hub-and-spoke-after.json`;
const PREVIEW = `${F}/hub-and-spoke-update-preview.json`;
const NO_SAMES = `${F}/hub-and-spoke-update-preview-no-sames.json`;

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: Io = { out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`) };
  const code = await main(argv, io);
  return { code, out, err };
}

function env(path: string) {
  const read = readResourceFile(path);
  if (!read.ok) throw new Error(read.error);
  return engineEnv(buildTopology(read.records), EMPTY_CATALOG);
}

interface JsonRow {
  from: string;
  to: string;
  protocol: string;
  ports: string;
  example: { text: string; before: string; after: string };
  cause: Array<{ plan: string; text: string; change?: string }>;
}

const EXPECTED_OPENED = [{ from: "spoke2-vm-nic", to: "spoke1-vm-nic", protocol: "Tcp", ports: "444-8443" }];
const EXPECTED_CLOSED = [
  { from: "spoke1-vm-nic", to: "hub-vm-nic", protocol: "Any", ports: "*" },
  { from: "spoke1-vm-nic", to: "spoke2-vm-nic", protocol: "Tcp", ports: "443" },
];

const shape = (rows: JsonRow[]) => rows.map((r) => ({ from: r.from, to: r.to, protocol: r.protocol, ports: r.ports }));

describe("diff lists exactly what the change opens and closes, with causes", () => {
  test.each([
    ["two stack exports", [BEFORE, AFTER]],
    ["a preview with --show-sames (before = its oldStates)", [PREVIEW]],
    ["a preview without sames, with --state", [NO_SAMES, "--state", BEFORE]],
  ])("%s", async (_what, inputs) => {
    const r = await run(["diff", ...inputs, "--format", "json"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { opened: JsonRow[]; closed: JsonRow[]; undecided: JsonRow[]; exposure: unknown[]; summary: Record<string, unknown> };
    expect(shape(json.opened)).toEqual(EXPECTED_OPENED);
    expect(shape(json.closed)).toEqual(EXPECTED_CLOSED);
    expect(json.undecided).toEqual([]);
    expect(json.exposure).toEqual([]);
    expect(json.summary).toMatchObject({ opened: 1, closed: 2, undecided: 0, exposures: 0 });
    // Causes, in both plans, marked with the resource the change touches.
    const [widened] = json.opened;
    expect(widened.example).toMatchObject({ text: "TCP 10.2.1.4:50000 -> 10.1.1.4:444", before: "not delivered", after: "delivered" });
    expect(widened.cause).toEqual([
      expect.objectContaining({ plan: "before", text: expect.stringContaining("denied by securityRules/Deny-VNet-Inbound (priority 4096)"), change: "changed" }),
      expect.objectContaining({ plan: "after", text: expect.stringContaining("allowed by securityRules/Allow-HTTPS-From-Other-Spoke (priority 100)"), change: "changed" }),
    ]);
    const [route, removed] = json.closed;
    expect(route.cause).toEqual(expect.arrayContaining([expect.objectContaining({ plan: "after", text: expect.stringContaining("user route hub-workload-blocked 10.0.2.0/24 -> None"), change: "changed" })]));
    expect(removed.cause).toEqual([
      expect.objectContaining({ plan: "before", text: expect.stringContaining("allowed by securityRules/Allow-HTTPS-From-Other-Spoke"), change: "changed" }),
      expect.objectContaining({ plan: "after", text: expect.stringContaining("denied by securityRules/Deny-VNet-Inbound"), change: "changed" }),
    ]);
  });

  test("the flow sets are exact: every opened and closed flow, and nothing else", () => {
    const d = diffPlans(env(BEFORE), env(AFTER));
    const spoke = (third: number) => IpSet.fromRange(4, BigInt((10 << 24) + (third << 16) + (1 << 8) + 4), BigInt((10 << 24) + (third << 16) + (1 << 8) + 254));
    const byPair = Object.fromEntries(d.pairs.map((p) => [`${p.from.name} -> ${p.to.name}`, { opened: p.opened, closed: p.closed, undecided: p.undecided }]));
    expect(Object.keys(byPair).sort()).toEqual(["spoke1-vm-nic -> hub-vm-nic", "spoke1-vm-nic -> spoke2-vm-nic", "spoke2-vm-nic -> spoke1-vm-nic"]);
    const tcp = ProtocolSet.of(Tcp);
    expect(byPair["spoke2-vm-nic -> spoke1-vm-nic"].opened.equals(FlowSet.cube({ src: spoke(2), dst: spoke(1), protocols: tcp, dstPorts: PortSet.of(444, 8443) }))).toBe(true);
    expect(byPair["spoke2-vm-nic -> spoke1-vm-nic"].closed.isEmpty()).toBe(true);
    expect(byPair["spoke1-vm-nic -> hub-vm-nic"].closed.equals(FlowSet.cube({ src: spoke(1), dst: IpSet.fromAddress("10.0.2.4") }))).toBe(true);
    expect(byPair["spoke1-vm-nic -> spoke2-vm-nic"].closed.equals(FlowSet.cube({ src: spoke(1), dst: spoke(2), protocols: tcp, dstPorts: PortSet.of(443) }))).toBe(true);
    for (const p of d.pairs) expect(p.undecided.isEmpty()).toBe(true);
  });

  test("no change, no rows", async () => {
    const r = await run(["diff", BEFORE, BEFORE, "--format", "json", "--fail-on", "opened,closed,exposure"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ opened: [], closed: [], summary: { opened: 0, closed: 0 } });
  });

  test("text: rows with example and cause in both plans", async () => {
    const r = await run(["diff", BEFORE, AFTER]);
    expect(r.out).toContain("1 opened, 2 closed, 0 new Internet exposures");
    expect(r.out).toContain("spoke2-vm-nic -> spoke1-vm-nic  Tcp 444-8443");
    expect(r.out).toContain("example: TCP 10.2.1.4:50000 -> 10.1.1.4:444 (before: not delivered; after: delivered)");
    expect(r.out).toContain("after: user route hub-workload-blocked 10.0.2.0/24 -> None (route table spoke1-rt), effective in subnet spoke1-workload [changed]");
  });

  test("markdown: marker, a Mermaid picture of the changed paths, tables", async () => {
    const r = await run(["diff", PREVIEW, "--format", "markdown"]);
    const md = r.out;
    expect(md.split("\n")[0]).toBe("<!-- azure-reachability:diff -->");
    expect(md).toContain("```mermaid\nflowchart LR");
    expect(md).toMatch(/n\d ==>\|"opened Tcp 444-8443"\| n\d/);
    expect(md).toMatch(/n\d --x\|"closed Any \*"\| n\d/);
    expect(md).toContain("#### Opened (1)");
    expect(md).toContain("| spoke2-vm-nic | spoke1-vm-nic | Tcp | `444-8443` | `TCP 10.2.1.4:50000 -> 10.1.1.4:444` |");
    expect(md).toContain("#### Closed (2)");
  });

  test.each([
    [["--fail-on", "opened"], 1],
    [["--fail-on", "closed"], 1],
    [["--fail-on", "exposure"], 0],
    [[], 0],
  ])("--fail-on %j exits %i", async (flags, code) => {
    const r = await run(["diff", BEFORE, AFTER, "--format", "json", ...flags]);
    expect(r.code).toBe(code);
  });

  test("sarif: no exposure, no result", async () => {
    const r = await run(["diff", BEFORE, AFTER, "--format", "sarif"]);
    const log = JSON.parse(r.out) as { version: string; runs: Array<{ results: unknown[] }> };
    expect(log.version).toBe("2.1.0");
    expect(log.runs[0].results).toEqual([]);
  });
});

describe("Internet exposure", () => {
  function plans() {
    const build = (allow: boolean) =>
      new ModelBuilder()
        .vnet("v", ["10.0.0.0/16"])
        .nsg("web-nsg", allow ? [{ name: "allow-ssh", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", src: "Internet", dst: "*", dport: "22" }] : [])
        .subnet("web", "v", "10.0.1.0/24", { nsg: "web-nsg" })
        .nic("web-nic", "web", "10.0.1.4", { publicIp: "web-pip" })
        .nic("app-nic", "web", "10.0.1.5")
        .build();
    return { before: engineEnv(build(false), EMPTY_CATALOG), after: engineEnv(build(true), EMPTY_CATALOG) };
  }

  test("a NIC newly reachable from the Internet: one exposure, one SARIF result, --fail-on exposure", () => {
    const { before, after } = plans();
    const d = diffPlans(before, after);
    const report = buildDiffReport(d, diffRows(d, NO_CHANGES), NO_CHANGES, { before: "b", after: "a" });
    expect(report.exposure.map((e) => ({ nic: e.nic, protocol: e.protocol, ports: e.ports }))).toEqual([{ nic: "web-nic", protocol: "Tcp", ports: "22" }]);
    expect(report.opened.filter((r) => r.from === "Internet").map((r) => [r.to, r.protocol, r.ports])).toEqual([["web-nic", "Tcp", "22"]]);
    expect(report.exposure[0].cause).toEqual(expect.arrayContaining([expect.objectContaining({ plan: "after", text: expect.stringContaining("allowed by securityRules/allow-ssh") })]));
    const sarif = diffSarifLog(report);
    expect(sarif.runs[0].results).toHaveLength(1);
    expect(sarif.runs[0].results[0]).toMatchObject({ ruleId: "AR-DIFF-001", level: "error", locations: [{ logicalLocations: [{ fullyQualifiedName: expect.stringContaining("web-nic") }] }] });
    expect(diffExitCode(report, ["exposure"])).toBe(1);
    expect(diffExitCode(report, ["closed"])).toBe(0);
    expect(formatDiffText(report)).toContain("Newly exposed to the Internet (1):\n  web-nic  Tcp 22");
    expect(formatDiffMarkdown(report)).toContain("#### Newly exposed to the Internet (1)");
  });

  test("a declared external prefix is its own endpoint, and no longer part of the Internet", () => {
    const { before, after } = plans();
    const partner = IpSet.fromCidr("198.51.100.0/24");
    const d = diffPlans(before, after, { externals: [{ name: "partner", addresses: partner }] });
    const rows = diffRows(d, NO_CHANGES).opened.map((r) => [r.from, r.to, r.protocol, r.ports, r.sourceAddresses.includes("198.51.100.0/24")]);
    expect(rows).toEqual([
      ["Internet", "web-nic", "Tcp", "22", false],
      ["partner", "web-nic", "Tcp", "22", true],
    ]);
  });

  test("matched by URN, not position: the same NICs listed in another order make no difference", () => {
    const b = new ModelBuilder().vnet("v", ["10.0.0.0/16"]).subnet("s", "v", "10.0.1.0/24").nic("a", "s", "10.0.1.4").nic("b", "s", "10.0.1.5").build();
    const a = new ModelBuilder().vnet("v", ["10.0.0.0/16"]).subnet("s", "v", "10.0.1.0/24").nic("b", "s", "10.0.1.5").nic("a", "s", "10.0.1.4").build();
    expect(diffPlans(engineEnv(b, EMPTY_CATALOG), engineEnv(a, EMPTY_CATALOG)).pairs).toEqual([]);
  });
});

describe("bad input gets a one-line answer (exit 2)", () => {
  test.each([
    [["diff", BEFORE, AFTER, "--fail-on", "everything"], /--fail-on must be opened, closed, exposure .*not "everything"/],
    [["diff", BEFORE, AFTER, "--format", "html"], /--format must be one of text, json, markdown, sarif, not "html"/],
    [["diff", BEFORE, AFTER, "--external", "10.0.0.0/8"], /--external takes NAME=CIDR/],
    [["diff", BEFORE, AFTER, "--external", "onprem=10.0.0.999/8"], /--external onprem: "10.0.0.999\/8" is not an IP address or CIDR prefix/],
    [["diff", BEFORE], /is not a Pulumi preview file .*for two files give both/],
    [["diff", NO_SAMES], /unchanged resources are left out/],
    [["diff", "examples/hub-and-spoke"], /is a program directory: it plans a state but holds no current one/],
    [["diff", `${F}/missing.json`, AFTER], /cannot read .*missing.json/],
  ])("%j", async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toMatch(message);
  });
});
