/**
 * Issue 13 point 6: a tag whose prefixes are all malformed is Unknown (rules naming it are undecided), not an
 * empty set (which let a deny rule match nothing and intents pass silently); the file's warnings are reported by
 * both policies of the pack, as the CLI prints them.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import { join } from "path";
import { checkHygiene } from "../../policy-pack/policies/network-hygiene";
import { checkStack } from "../../policy-pack/policies/reachability-intents";
import { resetStackModel } from "../../policy-pack/policies/stack-model";
import { parseServiceTags } from "../../src/resources/service-tags-file";
import { cli } from "../helpers/cli";
import { policyResourcesFromPreview } from "../helpers/policy-resources";

const TMP = fs.mkdtempSync(join(os.tmpdir(), "ar-tags-"));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

/** The shape of Microsoft's Service Tags file (shared/data/ServiceTags_Public_20251028.json): values[].properties.addressPrefixes. */
function tagFile(prefixes: unknown[]): string {
  const f = join(TMP, `tags-${prefixes.length}-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(f, JSON.stringify({ changeNumber: 1, cloud: "Public", values: [{ name: "Storage.WestEurope", id: "Storage.WestEurope", properties: { addressPrefixes: prefixes } }] }));
  return f;
}

const PLAN = join(__dirname, "../fixtures/engine/storage-deny-preview.json");
const FLOW = ["verify-flow", PLAN, "--nic", "vm-nic", "--direction", "Outbound", "--protocol", "TCP", "--local", "10.0.0.4:50000", "--remote", "13.69.40.20:443", "--json"];

test("parse: all prefixes malformed -> the tag is not resolved (unknown) and a warning says so", () => {
  const r = parseServiceTags({ values: [{ name: "Storage.WestEurope", properties: { addressPrefixes: ["13.69.40.999/28", 7] } }] }, "f.json");
  if (!r.ok) throw new Error(r.error);
  expect(r.catalog.resolve("Storage.WestEurope")).toBeUndefined();
  expect(r.catalog.unusable?.("storage.westeurope")).toBe(true);
  expect(r.warnings).toEqual([
    'f.json: tag "Storage.WestEurope" has a malformed prefix "13.69.40.999/28"; skipped',
    'f.json: tag "Storage.WestEurope" has a malformed prefix 7; skipped',
    'f.json: tag "Storage.WestEurope" has no well-formed prefix; rules naming it are undecided',
  ]);
});

test("verify-flow: a deny rule on a tag with no well-formed prefix is Indeterminate, not skipped (Allow)", async () => {
  const r = await cli(...FLOW, "--service-tags", tagFile(["13.69.40.999/28"]));
  expect(r.code).toBe(0);
  expect(JSON.parse(r.out).access).toBe("Indeterminate");
  expect(r.err).toMatch(/service tag "Storage\.WestEurope" has no well-formed prefix in the service tag file/);
  // A well-formed prefix decides it.
  const ok = await cli(...FLOW, "--service-tags", tagFile(["13.69.40.16/28"]));
  expect(JSON.parse(ok.out)).toMatchObject({ access: "Deny", ruleName: "securityRules/deny-storage-westeurope" });
});

describe("the pack reports the file's warnings, in both policies", () => {
  const resources = policyResourcesFromPreview(PLAN);
  beforeEach(() => resetStackModel());
  test.each([
    ["reachability-intents", (file: string) => checkStack({ resources, config: { intents: [], serviceTagsFile: file } })],
    ["network-hygiene", (file: string) => checkHygiene(resources, { serviceTagsFile: file })],
  ])("%s", (_name, run) => {
    const v = run(tagFile(["13.69.40.16/28", "not-a-prefix"]));
    expect(v.filter((x) => x.message.startsWith('policy config "serviceTagsFile"'))).toEqual([
      { message: expect.stringMatching(/tag "Storage\.WestEurope" has a malformed prefix "not-a-prefix"; skipped$/), enforcementLevel: "advisory" },
    ]);
  });
});

describe("the pack: a tag with no well-formed prefix is Unknown, never an empty set", () => {
  const resources = policyResourcesFromPreview(PLAN);
  beforeEach(() => resetStackModel());
  // The CLI's verify-flow question above, as an IP flow verify intent in the policy config (design.md, Intents).
  const intent = {
    name: "storage-denied",
    ipFlowVerify: { nic: "vm-nic", direction: "Outbound", protocol: "TCP", local: "10.0.0.4:50000", remote: "13.69.40.20:443" },
    expect: "Deny",
  };
  const about = (v: { message: string }[]) => v.filter((x) => x.message.includes("storage-denied"));

  test("a well-formed prefix decides it: the intent holds", () => {
    expect(about(checkStack({ resources, config: { intents: [intent], serviceTagsFile: tagFile(["13.69.40.16/28"]) } }))).toEqual([]);
  });

  test("all prefixes malformed: the intent does not pass silently", () => {
    const v = checkStack({ resources, config: { intents: [intent], serviceTagsFile: tagFile(["13.69.40.999/28", "x"]) } });
    expect(about(v).map((x) => x.message.split("\n")[0])).toEqual([
      expect.stringMatching(/^intent "storage-denied" cannot be decided at preview .*\(service tag Storage\.WestEurope has no well-formed prefix in the service tag file\)$/),
    ]);
    expect(v.some((x) => /no well-formed prefix/.test(x.message))).toBe(true);
  });
});

describe("the pack refuses a special file as serviceTagsFile at once, saying only that it could not be used", () => {
  const resources = policyResourcesFromPreview(PLAN);
  beforeEach(() => resetStackModel());
  const fifo = join(TMP, "tags.fifo");
  let haveFifo = true;
  try {
    execFileSync("mkfifo", [fifo]);
  } catch {
    haveFifo = false;
  }
  const secret = join(TMP, "secret.txt");
  fs.writeFileSync(secret, "\u001b]0;pwned\u0007 password=hunter2\n");
  test.each([
    ["/dev/zero", "/dev/zero", /character device, not a regular file/],
    ["a FIFO", fifo, /named pipe \(FIFO\)/],
    ["a text file (its content is not revealed)", secret, /not valid JSON/],
  ])("%s", (_label, file, why) => {
    if (!haveFifo && file === fifo) return;
    const t0 = Date.now();
    const v = checkStack({ resources, config: { intents: [], serviceTagsFile: file } });
    expect(Date.now() - t0).toBeLessThan(5000);
    const config = v.filter((x) => x.message.startsWith('policy config "serviceTagsFile"'));
    expect(config).toHaveLength(1);
    expect(config[0]!.message).toMatch(why);
    expect(config[0]!.message).not.toContain("\n");
    expect(config[0]!.message).not.toMatch(/hunter2|\u001b/);
  });
});
