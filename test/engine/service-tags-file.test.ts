/**
 * Microsoft's real Service Tags file (shared/data, beside the repository in CI and development; the product itself
 * only reads the file named in its configuration).
 */
import { existsSync } from "fs";
import { join } from "path";
import { readServiceTagsFile } from "../../src/resources/service-tags-file";
import { cli } from "../helpers/cli";

const FILE = join(__dirname, "../../../shared/data/ServiceTags_Public_20251028.json");
const describeIfPresent = existsSync(FILE) ? describe : describe.skip;

describeIfPresent("ServiceTags_Public_20251028.json", () => {
  test("parses every tag, names matched case-insensitively", () => {
    const loaded = readServiceTagsFile(FILE);
    if (!loaded.ok) throw new Error(loaded.error);
    expect(loaded.catalog.size).toBe(3039);
    expect(loaded.catalog.changeNumber).toBe(375);
    expect(loaded.warnings).toEqual([]);
    const storage = loaded.catalog.resolve("storage.westeurope");
    expect(storage?.contains("13.69.40.16")).toBe(true);
    expect(storage?.contains("13.69.40.32")).toBe(false);
    expect(loaded.catalog.resolve("AzureCloud")?.contains("4.144.0.1")).toBe(true);
  });

  test("verify-flow expands a service tag from the file instead of answering indeterminate", async () => {
    const config = join(__dirname, "../fixtures/engine/storage-deny-preview.json");
    const args = ["verify-flow", config, "--nic", "vm-nic", "--direction", "Outbound", "--protocol", "TCP", "--local", "10.0.0.4:50000", "--remote", "13.69.40.20:443", "--json"];
    const without = JSON.parse((await cli(...args)).out);
    expect(without.access).toBe("Indeterminate");
    const withTags = await cli(...args, "--service-tags", FILE);
    expect(JSON.parse(withTags.out)).toMatchObject({ access: "Deny", ruleName: "securityRules/deny-storage-westeurope" });
    const elsewhere = await cli(...args.map((a) => (a === "13.69.40.20:443" ? "13.69.40.40:443" : a)), "--service-tags", FILE);
    expect(JSON.parse(elsewhere.out)).toMatchObject({ access: "Allow", ruleName: "defaultSecurityRules/AllowInternetOutBound" });
  });
});

test("a file that is not a Service Tags file is a one-line error (exit 2)", async () => {
  const r = await cli("verify-flow", join(__dirname, "../../examples/nsg-basics/preview.json"), "--service-tags", join(__dirname, "../../package.json"), "--nic", "vm1", "--direction", "Inbound", "--protocol", "TCP", "--local", "10.0.1.4:80", "--remote", "1.2.3.4:5");
  expect(r.code).toBe(2);
  expect(r.err.trim()).toMatch(/package\.json is not a Service Tags file: expected a 'values' array$/);
});
