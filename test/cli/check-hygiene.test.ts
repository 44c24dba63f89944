import { writeFileSync } from "fs";
import { join } from "path";
import { cli } from "../helpers/cli";
import { tempDir } from "../helpers/temp-dir";

const PREVIEW = join(__dirname, "../../examples/nsg-basics/preview.json");
const INTENT = { name: "vm1-to-vm4-http", from: { nic: "vm1-nic" }, to: { nic: "vm4-nic" }, protocol: "Tcp", ports: "80", expect: "reachable" };

function configFile(hygiene: unknown): string {
  const file = join(tempDir("ar-hygiene-"), "policy-config.json");
  writeFileSync(file, JSON.stringify({ "reachability-intents": { intents: [INTENT] }, "network-hygiene": hygiene }));
  return file;
}

async function check(hygiene: unknown) {
  const r = await cli("check", PREVIEW, "--intents", configFile(hygiene), "--format", "json");
  return { code: r.code, err: r.err, json: r.code === 2 ? undefined : JSON.parse(r.out) };
}

test("findings come along without changing the exit code by default", async () => {
  const r = await check({});
  expect(r.code).toBe(0);
  expect(r.json.findings.some((f: { check: string; resources: string[] }) => f.check === "internet-exposure" && f.resources[0].endsWith("::vm4-nic"))).toBe(true);
});

test("a check configured mandatory in the network-hygiene section fails the check", async () => {
  expect((await check({ checks: { "internet-exposure": { enforcement: "mandatory" } } })).code).toBe(1);
});

test("suppressed findings do not fail it, and stay visible as suppressed", async () => {
  const vm4Only = [{ check: "internet-exposure", resource: "vm4-nic", reason: "TC10 demo host, torn down nightly" }];
  // web1 (public IP, HTTPS and admin ports from the offices) is exposed too: still failing.
  expect((await check({ checks: { "internet-exposure": { enforcement: "mandatory" } }, suppressions: vm4Only })).code).toBe(1);
  const r = await check({
    checks: { "internet-exposure": { enforcement: "mandatory" } },
    suppressions: [...vm4Only, { check: "AR-001", resource: "web1", reason: "public web tier, reviewed by security" }],
  });
  expect(r.code).toBe(0);
  const vm4 = r.json.findings.filter((f: { check: string; resources: string[] }) => f.check === "internet-exposure" && f.resources[0].endsWith("::vm4-nic"));
  expect(vm4.map((f: { suppressed?: { reason: string } }) => f.suppressed)).toEqual([{ reason: "TC10 demo host, torn down nightly" }]);
});

test("a bad network-hygiene section is bad input (exit 2, one line)", async () => {
  const r = await check({ checks: { "internet-exposure": { enforcement: "sometimes" } } });
  expect(r.code).toBe(2);
  expect(r.err.trim().split("\n")).toHaveLength(1);
  expect(r.err).toContain('network-hygiene: checks.internet-exposure.enforcement: "sometimes" is not one of advisory, mandatory, disabled');
});
