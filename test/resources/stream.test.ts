/**
 * Plans over the stream threshold (issue 19 point 7): streamed through @streamparser/json's tokenizer
 * (src/io/stream-json.ts) and slimmed (src/resources/plan-file.ts). The threshold is forced to 0 here
 * (AZURE_REACHABILITY_STREAM_MB), so the examples go both ways: records and check reports must be the same.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
// The adapter registers which types' properties it reads (src/resources/plan-file.ts, registerPropertyReader).
import "../../src/adapters/azure-native";
import { jsonErrorReason } from "../../src/io/json-error";
import { parseJsonFd } from "../../src/io/stream-json";
import { planFileCap, streamThreshold } from "../../src/io/safe-read";
import { readResourceFile, readResourceJson } from "../../src/resources/detect";
import { readPlanJson, slimDocument } from "../../src/resources/plan-file";
import { readOtherStack } from "../../src/resources/stacks";
import { cli } from "../helpers/cli";

const ROOT = path.join(__dirname, "..", "..");
const EXAMPLES = path.join(ROOT, "examples");
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "stream-test-"));
const FILES = fs
  .readdirSync(EXAMPLES)
  .filter((d) => fs.statSync(path.join(EXAMPLES, d)).isDirectory())
  .flatMap((d) => ["stack-export.json", "preview.json"].map((f) => path.join("examples", d, f)))
  .filter((f) => fs.existsSync(path.join(ROOT, f)));

/** Runs `f` with the stream threshold forced (0: every file streams) or left at its default (undefined). */
async function withThreshold<T>(mb: string | undefined, f: () => T | Promise<T>): Promise<T> {
  const before = process.env.AZURE_REACHABILITY_STREAM_MB;
  if (mb === undefined) delete process.env.AZURE_REACHABILITY_STREAM_MB;
  else process.env.AZURE_REACHABILITY_STREAM_MB = mb;
  try {
    return await f();
  } finally {
    if (before === undefined) delete process.env.AZURE_REACHABILITY_STREAM_MB;
    else process.env.AZURE_REACHABILITY_STREAM_MB = before;
  }
}

function parseFile(file: string, chunkBytes: number): unknown {
  const fd = fs.openSync(file, "r");
  try {
    const r = parseJsonFd(fd, { maxBytes: 1 << 30, chunkBytes });
    if (!r.ok) throw new Error(`not parsed: ${JSON.stringify(r)}`);
    return r.value;
  } finally {
    fs.closeSync(fd);
  }
}

afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

describe("thresholds", () => {
  it("streams above 480 MB unless told otherwise; caps plans at 4096 MB", () => {
    expect(streamThreshold({})).toBe(480 * 1024 * 1024);
    expect(streamThreshold({ AZURE_REACHABILITY_STREAM_MB: "0" })).toBe(0);
    expect(streamThreshold({ AZURE_REACHABILITY_STREAM_MB: "1.5" })).toBe(1.5 * 1024 * 1024);
    expect(streamThreshold({ AZURE_REACHABILITY_STREAM_MB: "-1" })).toBe(480 * 1024 * 1024);
    expect(streamThreshold({ AZURE_REACHABILITY_STREAM_MB: "" })).toBe(480 * 1024 * 1024);
    expect(planFileCap({})).toBe(4096 * 1024 * 1024);
  });

  it("reads small files whole and large ones streamed", () => {
    const file = path.join(ROOT, FILES[0]);
    expect(readPlanJson(file, {})).toMatchObject({ ok: true, streamed: false });
    expect(readPlanJson(file, { AZURE_REACHABILITY_STREAM_MB: "0" })).toMatchObject({ ok: true, streamed: true });
  });

  it("refuses a streamed file over the cap, and what is not a regular file, before reading", () => {
    const file = path.join(ROOT, FILES[0]);
    const size = fs.statSync(file).size;
    const capMb = String((size - 1) / (1024 * 1024));
    const r = readPlanJson(file, { AZURE_REACHABILITY_STREAM_MB: "0", AZURE_REACHABILITY_MAX_FILE_MB: capMb });
    expect(r).toMatchObject({ ok: false });
    expect("error" in r && r.error).toMatch(/^cannot read .*stack-export\.json: it is .* MB, over the .* MB limit$/);
    expect(readPlanJson(EXAMPLES, { AZURE_REACHABILITY_STREAM_MB: "0" })).toEqual({ ok: false, error: `cannot read ${EXAMPLES}: it is a directory` });
  });
});

describe("the examples, whole and streamed", () => {
  it.each(FILES)("%s: the streamed document is JSON.parse's, in chunks of any size", (file) => {
    const whole = JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8")) as unknown;
    for (const chunk of [1, 7, 4096]) expect(parseFile(path.join(ROOT, file), chunk)).toEqual(whole);
  });

  it.each(FILES)("%s: the same records, with bodies dropped only for types the adapter does not read", async (file) => {
    const whole = readResourceFile(file);
    const streamed = await withThreshold("0", () => readResourceFile(file));
    const slimmedWhole = readResourceJson(slimDocument(JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8"))), file);
    expect(whole.ok && streamed.ok).toBe(true);
    if (!whole.ok || !streamed.ok || !slimmedWhole.ok) return;
    expect(JSON.stringify(streamed)).toBe(JSON.stringify(slimmedWhole));
    // Every record is there, in order, with its urn, type, id, parent and dependencies.
    const head = (r: (typeof whole.records)[number]) => ({ urn: r.urn, type: r.type, name: r.name, id: r.id, parent: r.parent, dependencies: r.dependencies, custom: r.custom });
    expect(streamed.records.map(head)).toEqual(whole.records.map(head));
    expect(streamed.diagnostics).toEqual(whole.diagnostics);
    // Records the adapter reads are identical; the others lost only their properties.
    whole.records.forEach((r, i) => {
      const s = streamed.records[i];
      if (JSON.stringify(s) !== JSON.stringify(r)) expect({ ...s, props: r.props, ...(r.inputs ? { inputs: r.inputs } : {}) }).toEqual(r);
    });
  });

  it("drops the bodies of unread types, and keeps the others' (a padded plan)", async () => {
    const base = JSON.parse(fs.readFileSync(path.join(ROOT, "examples/hub-and-spoke/stack-export.json"), "utf8"));
    const urn = (name: string) => `urn:pulumi:dev::pad::azure-native:storage:StorageAccount::${name}`;
    base.deployment.resources.push({ urn: urn("sa1"), custom: true, id: "/subscriptions/0/sa1", type: "azure-native:storage:StorageAccount", inputs: { big: "x".repeat(1000) }, outputs: { big: "y".repeat(1000) }, dependencies: ["urn:a"] });
    const file = path.join(TMP, "padded.json");
    fs.writeFileSync(file, JSON.stringify(base));
    const whole = readResourceFile(file);
    const streamed = await withThreshold("0", () => readResourceFile(file));
    if (!whole.ok || !streamed.ok) throw new Error("not read");
    const last = streamed.records[streamed.records.length - 1];
    expect(last).toMatchObject({ urn: urn("sa1"), id: "/subscriptions/0/sa1", props: {}, dependencies: ["urn:a"] });
    expect(last.inputs).toBeUndefined();
    expect(whole.records[whole.records.length - 1].props).toEqual({ big: "y".repeat(1000) });
    expect(streamed.records.length).toBe(whole.records.length);
  });

  it("reads another stack (--with-stack) streamed as whole, its stack outputs kept", async () => {
    for (const file of FILES) {
      const whole = readOtherStack(file, "--with-stack");
      const streamed = await withThreshold("0", () => readOtherStack(file, "--with-stack"));
      expect(streamed.ok).toBe(whole.ok);
      if (whole.ok && streamed.ok) expect(streamed.stack.outputs).toEqual(whole.stack.outputs);
    }
  });

  const checks = fs
    .readdirSync(EXAMPLES)
    .filter((d) => fs.existsSync(path.join(EXAMPLES, d, "intents.json")))
    .flatMap((d) => ["stack-export.json", "preview.json"].filter((f) => fs.existsSync(path.join(EXAMPLES, d, f))).map((f) => [d, f] as const));
  it.each(checks)("%s/%s: the check JSON report is byte-identical", async (dir, file) => {
    const args = ["check", path.join("examples", dir, file), "--intents", path.join("examples", dir, "intents.json"), "--format", "json"];
    const whole = await cli(...args);
    const streamed = await withThreshold("0", () => cli(...args));
    expect(whole.out.length).toBeGreaterThan(100);
    expect(streamed.out).toBe(whole.out);
    expect(streamed.err).toBe(whole.err);
    expect(streamed.code).toBe(whole.code);
  });
});

describe("malformed JSON, streamed: JSON.parse's one-line reason, never a throw", () => {
  const cases = [
    "",
    "  ",
    "{",
    "{x",
    '{"a":1,}',
    '{"a" 1}',
    "[1 2]",
    '{"a":tru}',
    '{"a":"x',
    '{"a":1}}',
    '{"a":-}',
    '{"a":"\\q"}',
    '{"a":"\u0001"}',
    '{"é😀":1,x}',
    "[1.]",
    "[01]",
    '["\\u12"]',
    '{"a":1e}',
    "\ufeff{} x",
    '{\n  "steps": [\n    {"op": "same",\n     "urn": 3 4}\n  ]\n}',
    '{"deployment": {"resources": [{"urn": "u", "type": "t", "outputs": {"a": [1, 2,]}}]}}',
    "\u0000",
  ];
  it.each(cases.map((c, i) => [i, c] as const))("case %i", async (i, text) => {
    const file = path.join(TMP, `bad-${i}.json`);
    fs.writeFileSync(file, text);
    const whole = readResourceFile(file);
    const streamed = await withThreshold("0", () => readResourceFile(file));
    expect(whole.ok).toBe(false);
    expect(streamed).toEqual(whole);
  });

  it("places an error deep in a file split over many chunks", () => {
    const text = JSON.stringify({ deployment: { resources: Array.from({ length: 200 }, (_, i) => ({ urn: `u${i}`, type: "t", outputs: { s: "é".repeat(i) } })) } }).replace('"u150"', '"u150" "x"');
    const file = path.join(TMP, "deep.json");
    fs.writeFileSync(file, text);
    let want = "";
    let reason = "";
    try {
      JSON.parse(text);
    } catch (e) {
      want = (e as Error).message;
      reason = jsonErrorReason(e);
    }
    const fd = fs.openSync(file, "r");
    const r = parseJsonFd(fd, { maxBytes: 1 << 30, chunkBytes: 5 });
    fs.closeSync(fd);
    expect(want).toMatch(/at position \d+/);
    expect(want).toMatch(/^Expected ',' or '}' after property value/);
    expect(r).toEqual({ ok: false, kind: "json", reason });
  });
});

/**
 * Opt-in (AZURE_REACHABILITY_BIG_FILE_TEST=1): a plan over 512 MB, the example hub-and-spoke export padded with
 * storage accounts (a type the adapter does not read), written in the OS temp dir. It cannot be read as one string;
 * streamed, its check report is the unpadded plan's but for the padding's records.
 */
const big = process.env.AZURE_REACHABILITY_BIG_FILE_TEST === "1" ? describe : describe.skip;
big("a plan over 512 MB", () => {
  const file = path.join(os.tmpdir(), `azure-reachability-big-plan-${process.pid}.json`);
  afterAll(() => fs.rmSync(file, { force: true }));

  it("is streamed and checked", async () => {
    const base = JSON.parse(fs.readFileSync(path.join(ROOT, "examples/hub-and-spoke/stack-export.json"), "utf8"));
    const resources = base.deployment.resources as unknown[];
    base.deployment.resources = [];
    const [open, close] = JSON.stringify(base, null, 2).split("[]");
    const fd = fs.openSync(file, "w");
    fs.writeSync(fd, `${open}[\n${resources.map((r) => JSON.stringify(r)).join(",\n")}`);
    const body = "p".repeat(256 * 1024);
    const pads = 1100;
    for (let i = 0; i < pads; i++) {
      const pad = { urn: `urn:pulumi:dev::pad::azure-native:storage:StorageAccount::pad${i}`, custom: true, id: `/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/pad${i}`, type: "azure-native:storage:StorageAccount", inputs: { body }, outputs: { body, n: i } };
      fs.writeSync(fd, `,\n${JSON.stringify(pad)}`);
    }
    fs.writeSync(fd, `]${close}`);
    fs.closeSync(fd);
    expect(fs.statSync(file).size).toBeGreaterThan(512 * 1024 * 1024);

    const read = readResourceFile(file);
    if (!read.ok) throw new Error(read.error);
    // The unpadded plan as the stream reads it (the resource group's body dropped, as in any streamed plan).
    const plainFile = path.join(ROOT, "examples/hub-and-spoke/stack-export.json");
    const plain = readResourceJson(slimDocument(JSON.parse(fs.readFileSync(plainFile, "utf8"))), plainFile);
    if (!plain.ok) throw new Error(plain.error);
    expect(read.records.length).toBe(plain.records.length + pads);
    expect(read.records.slice(0, plain.records.length).map((r) => ({ ...r, origin: "" }))).toEqual(plain.records.map((r) => ({ ...r, origin: "" })));
    expect(read.records[read.records.length - 1]).toMatchObject({ name: `pad${pads - 1}`, props: {} });

    const intents = path.join(ROOT, "examples/hub-and-spoke/intents.json");
    const bigCheck = await cli("check", file, "--intents", intents, "--format", "json");
    const plainCheck = await cli("check", path.join(ROOT, "examples/hub-and-spoke/stack-export.json"), "--intents", intents, "--format", "json");
    expect(bigCheck.code).toBe(plainCheck.code);
    expect(JSON.parse(bigCheck.out).findings).toEqual(JSON.parse(plainCheck.out).findings);
  }, 600_000);
});
