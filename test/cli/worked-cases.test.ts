/**
 * The worked cases of the semantics reference (TC1, TC2, TC19) through the CLI, on a stack export and on a first
 * preview of the same network: the fixture program is run under mocks and written in both formats.
 */
import { writeFileSync } from "fs";
import { join } from "path";
import { runProgram, toPreviewJson, toStackExport } from "../../src/resources/program";
import { cli } from "../helpers/cli";
import { tempDir } from "../helpers/temp-dir";

const PROGRAM = join(__dirname, "../fixtures/programs/worked-cases");
const files: Record<string, string> = {};

beforeAll(async () => {
  const dir = tempDir("ar-worked-");
  // The export holds the state after an update; the preview file holds the engine's view of a first preview.
  const update = await runProgram(PROGRAM, { preview: "deployed" });
  const first = await runProgram(PROGRAM, { preview: "first", view: "engine" });
  if (!update.ok || !first.ok) throw new Error(`fixture program failed: ${!update.ok ? update.error : ""} ${!first.ok ? first.error : ""}`);
  files["stack export"] = join(dir, "stack-export.json");
  files["first preview"] = join(dir, "preview.json");
  writeFileSync(files["stack export"], JSON.stringify(toStackExport(update.records)));
  writeFileSync(files["first preview"], JSON.stringify(toPreviewJson(first.records)));
}, 60000);

const CASES = [
  // [case, nic, direction, local, remote, access, ruleName]
  ["TC1a outbound to the Internet", "tc1-nic", "Outbound", "10.0.0.4:60000", "13.107.21.200:80", "Allow", "defaultSecurityRules/AllowInternetOutBound"],
  ["TC1b outbound within the VNet", "tc1-nic", "Outbound", "10.0.0.4:60000", "10.0.1.10:80", "Allow", "defaultSecurityRules/AllowVnetOutBound"],
  ["TC1c outbound to private space outside the VNet", "tc1-nic", "Outbound", "10.0.0.4:60000", "10.10.10.10:80", "Deny", "defaultSecurityRules/DenyAllOutBound"],
  ["TC1d inbound from outside the VNet", "tc1-nic", "Inbound", "10.0.0.4:80", "10.10.10.10:60000", "Deny", "defaultSecurityRules/DenyAllInBound"],
  ["TC2 outbound to 172.31.0.100", "tc1-nic", "Outbound", "10.0.0.4:60000", "172.31.0.100:80", "Deny", "defaultSecurityRules/DenyAllOutBound"],
  ["TC2 inbound from 172.31.0.100", "tc1-nic", "Inbound", "10.0.0.4:80", "172.31.0.100:60000", "Deny", "defaultSecurityRules/DenyAllInBound"],
  ["TC2 172.131.0.100 is public", "tc1-nic", "Outbound", "10.0.0.4:60000", "172.131.0.100:80", "Allow", "defaultSecurityRules/AllowInternetOutBound"],
  ["TC19 load balancer probes blocked by Deny VirtualNetwork at 4000", "tc19-nic", "Inbound", "10.1.0.4:80", "168.63.129.16:60000", "Deny", "securityRules/Deny-VNet"],
] as const;

describe.each(["stack export", "first preview"])("verify-flow on the %s", (format) => {
  test.each(CASES)("%s", async (_name, nic, direction, local, remote, access, ruleName) => {
    const r = await cli("verify-flow", files[format], "--nic", nic, "--direction", direction, "--protocol", "TCP", "--local", local, "--remote", remote, "--json");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ access, ruleName });
  });
});
