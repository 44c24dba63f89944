/**
 * Issue 13 points 5, 7 and 8 (CLI side): special files are refused before they are read, a symlink is decided by
 * what it resolves to (and said), stack names follow Pulumi's rule, messages never echo file content or raw escape
 * sequences, a deeply nested intents file is a one-line error, and no arguments is bad usage.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import { join } from "path";
import { cli } from "../helpers/cli";
import { readRegularFile } from "../../src/io/safe-read";
import { quote } from "../../src/io/quote";
import { validateStackName } from "../../src/cli/input";

const EXAMPLE = join(__dirname, "../../examples/nsg-basics");
const EXPORT = join(EXAMPLE, "stack-export.json");
const TMP = fs.mkdtempSync(join(os.tmpdir(), "ar-badinput-"));
const FIFO = join(TMP, "plan.fifo");
let haveFifo = false;
try {
  execFileSync("mkfifo", [FIFO]);
  haveFifo = true;
} catch {
  haveFifo = false;
}
const fifoTest = haveFifo ? test : test.skip;

afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

/** Resolves within `ms` or fails: a FIFO read would block the event loop for ever, so this guards the test too. */
async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  try {
    return await Promise.race([p, t]);
  } finally {
    clearTimeout(timer);
  }
}

describe("special files are refused, never read", () => {
  test.each([
    ["plan input", (f: string) => ["check", f]],
    ["--service-tags", (f: string) => ["check", EXPORT, "--service-tags", f]],
    ["--intents", (f: string) => ["check", EXPORT, "--intents", f]],
  ])("/dev/zero as %s: exit 2, one line", async (_label, args) => {
    const r = await within(5000, cli(...args("/dev/zero")));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot read .*\/dev\/zero: it is a character device, not a regular file/);
    expect(r.err.trim().split("\n")).toHaveLength(1);
  });

  fifoTest.each([
    ["plan input", (f: string) => ["check", f]],
    ["--service-tags", (f: string) => ["check", EXPORT, "--service-tags", f]],
    ["--intents", (f: string) => ["check", EXPORT, "--intents", f]],
  ])("a FIFO as %s: exit 2 at once (no hang)", async (_label, args) => {
    const r = await within(5000, cli(...args(FIFO)));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/named pipe \(FIFO\)/);
  });

  test("a file over the cap is refused with its size, not read", () => {
    const f = join(TMP, "big.json");
    fs.writeFileSync(f, `{"deployment":{"resources":[]},"pad":"${"x".repeat(3000)}"}`);
    const r = readRegularFile(f, { what: "", maxBytes: 1024 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/over the 0 MB limit|it is 0 MB, over/);
    expect(readRegularFile(f, { what: "", maxBytes: 1 << 20 }).ok).toBe(true);
  });

  test("a symlink to /dev/zero is refused by what it resolves to", async () => {
    const link = join(TMP, "zero.json");
    fs.symlinkSync("/dev/zero", link);
    const r = await within(5000, cli("check", link));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/character device \(a symbolic link to \/dev\/zero\)/);
  });
});

describe("a symlink is decided by what it resolves to, and said", () => {
  test("x.json naming a program directory is run as a program, with a note", async () => {
    const link = join(TMP, "x.json");
    fs.symlinkSync(join(__dirname, "../../examples/nsg-basics"), link);
    // --stack with a slash is refused before anything runs: the note about the symlink comes first.
    const r = await cli("check", link, "--stack", "a/b");
    expect(r.err).toMatch(/x\.json is a symbolic link to the directory .*nsg-basics: it is run as a Pulumi program/);
    expect(r.code).toBe(2);
  });
});

describe("--stack names are validated as Pulumi validates them", () => {
  test.each([
    ["dev", true],
    ["prod.eu-west_2", true],
    ["x".repeat(100), true],
    ["x".repeat(101), false],
    ["", false],
    ["x/../../y", false],
    ["..\\..\\y", false],
    ["a b", false],
    ["\u001b[31mred", false],
  ])("%j valid: %s", (name, ok) => {
    expect(validateStackName(name) === undefined).toBe(ok);
  });

  test("a traversal never reaches the file system: exit 2, the name quoted and escaped", async () => {
    const r = await cli("check", EXAMPLE, "--stack", "x/../../\u001b[31my");
    expect(r.code).toBe(2);
    expect(r.err).toContain('--stack "x/../../\\u001b[31my": stack names may not contain slashes');
    expect(r.err).not.toContain("\u001b");
  });
});

describe("messages quote and escape what they echo, and show no file content", () => {
  test("a non-JSON plan file: the reason and position, not the file's text", async () => {
    const f = join(TMP, "secret.json");
    fs.writeFileSync(f, "\u001b]0;pwned\u0007 password=hunter2 and much more text after it");
    const r = await cli("check", f);
    expect(r.code).toBe(2);
    expect(r.err).not.toContain("hunter2");
    expect(r.err).not.toContain("\u001b");
    expect(r.err).toMatch(/is not valid JSON: unexpected character "\\u001b"/);
  });

  test("a text file as --intents: its content is not echoed", async () => {
    const f = join(TMP, "passwd");
    fs.writeFileSync(f, "root:x:0:0:root:/root:/bin/bash\n");
    const r = await cli("check", EXPORT, "--intents", f);
    expect(r.code).toBe(2);
    expect(r.err).not.toContain("root:x");
    expect(r.err).toMatch(/found a string \(not an object\)/);
  });

  test("a JSON intents file with a syntax error: no snippet", async () => {
    const f = join(TMP, "bad-intents.json");
    fs.writeFileSync(f, '{"intents": [ secret-token-abcdef ]}');
    const r = await cli("check", EXPORT, "--intents", f);
    expect(r.code).toBe(2);
    expect(r.err).not.toContain("secret-token");
  });

  test.each([
    ["plain", "abc", '"abc"'],
    ["quote and backslash", 'a"b\\c', '"a\\"b\\\\c"'],
    ["ESC and BEL", "\u001b[2J\u0007", '"\\u001b[2J\\u0007"'],
    ["C1 CSI and bidi override", "\u009b\u202e", '"\\u009b\\u202e"'],
    ["long text is cut", "y".repeat(50), `"${"y".repeat(40)}"... (50 characters)`],
  ])("quote: %s", (_label, input, expected) => {
    expect(quote(input)).toBe(expected);
  });
});

describe("deeply nested input is a one-line error, never a stack overflow", () => {
  test.each([
    ["nested lists", `{"intents":[${"[".repeat(100000)}${"]".repeat(100000)}]}`],
    ["nested objects", `{"intents":[{"name":"x","from":${'{"a":'.repeat(100000)}1${"}".repeat(100000)}}]}`],
  ])("intents file of %s: exit 2", async (_label, text) => {
    const f = join(TMP, "deep.json");
    fs.writeFileSync(f, text);
    const r = await cli("check", EXPORT, "--intents", f);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/nested more than 64 levels deep/);
  });

  test("a deeply nested plan file: exit 2, not 3", async () => {
    const f = join(TMP, "deep-plan.json");
    fs.writeFileSync(f, `{"deployment":{"resources":[{"urn":"urn:pulumi:s::p::azure-native:network:VirtualNetwork::v","type":"azure-native:network:VirtualNetwork","outputs":${'{"a":'.repeat(200000)}1${"}".repeat(200000)}}]}}`);
    const r = await cli("check", f);
    expect(r.code).not.toBe(3);
  });
});

test("no arguments: the usage on stderr and exit 2", async () => {
  const r = await cli();
  expect(r.code).toBe(2);
  expect(r.err).toMatch(/^Usage: azure-reachability/);
  expect(r.out).toBe("");
});
