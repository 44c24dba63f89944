/**
 * The runner runs a program as `pulumi preview` would: its entry point and dependencies as the Node language host
 * finds them, `secure:` config as secrets, an organization name, and programs that read computed outputs.
 */
import * as fs from "fs";
import * as path from "path";
import { isUnknown } from "../../src/model/unknown";
import type { PropertyObject, ResourceRecord } from "../../src/resources/record";
import { runProgram, type ProgramResult } from "../../src/resources/program";
import { removeProgram, writeProgram } from "./temp-programs";

const fixture = (name: string): string => path.join(__dirname, "..", "fixtures", "programs", name);

function records(r: ProgramResult): ResourceRecord[] {
  if (!r.ok) throw new Error(r.error);
  return r.records;
}

const byName = (rs: readonly ResourceRecord[], name: string): ResourceRecord => {
  const found = rs.find((r) => r.name === name);
  if (!found) throw new Error(`no ${name} in ${rs.map((r) => r.name).join(", ")}`);
  return found;
};

describe("entry point and dependencies", () => {
  it("honours package.json main (the language host requires the folder)", async () => {
    const rs = records(await runProgram(fixture("package-main"), { preview: "first" }));
    expect(rs.map((r) => r.name)).toContain("from-main");
  }, 60_000);

  test.each([
    ["npm install", {}],
    ["yarn install", { "yarn.lock": "" }],
    ["pnpm install", { "pnpm-lock.yaml": "" }],
  ])("a program with a package.json but no node_modules: says to run %s", async (command, lock) => {
    const dir = writeProgram("no-modules", { "package.json": `{"name":"x","dependencies":{"@pulumi/pulumi":"^3"}}`, "index.ts": "export {};\n", ...lock });
    try {
      const result = await runProgram(dir, { preview: "first" });
      expect(result).toEqual({ ok: false, error: `${dir}: its dependencies are not installed (@pulumi/pulumi not found from ${dir}): run \`${command}\` there first` });
    } finally {
      removeProgram(dir);
    }
  });
});

describe("stack configuration and metadata", () => {
  it("a secure: value is a secret whose value is unknown, not a missing key", async () => {
    const dir = writeProgram("secure-config", {
      "Pulumi.dev.yaml": "config:\n  secure-config:vnetTag:\n    secure: AAABAKhdtNFHSzKXbmX2mhkAPkAaPsN6TngRVDhZ5kOJ3Q==\n",
      "index.ts": [
        `import * as pulumi from "@pulumi/pulumi";`,
        `import * as network from "@pulumi/azure-native/network";`,
        `const config = new pulumi.Config();`,
        `new network.VirtualNetwork("vnet", { resourceGroupName: "rg", virtualNetworkName: "v", tags: { owner: config.requireSecret("vnetTag") } });`,
        `export const isSecret = pulumi.isSecret(config.requireSecret("vnetTag"));`,
        "",
      ].join("\n"),
    });
    try {
      for (const preview of ["first", "update"] as const) {
        const result = await runProgram(dir, { preview });
        const rs = records(result);
        const tags = byName(rs, "vnet").props["tags"] as PropertyObject;
        expect(tags["owner"]).toEqual({ kind: "unknown", path: ".tags.owner", resource: byName(rs, "vnet").urn, reason: "secret" });
        if (result.ok) expect(result.diagnostics).toEqual([expect.objectContaining({ code: "config-secret-masked", severity: "info", resource: "secure-config:vnetTag" })]);
      }
    } finally {
      removeProgram(dir);
    }
  }, 90_000);

  it("pulumi.getOrganization() is the local backend's \"organization\" (the SDK throws under bare mocks), so a StackReference name can be built", async () => {
    const dir = writeProgram("org-name", {
      "index.ts": [
        `import * as pulumi from "@pulumi/pulumi";`,
        `const ref = new pulumi.StackReference(\`\${pulumi.getOrganization()}/network/\${pulumi.getStack()}\`);`,
        `export const org = pulumi.getOrganization();`,
        `export const vnetId = ref.getOutput("vnetId");`,
        "",
      ].join("\n"),
    });
    try {
      const result = await runProgram(dir, { preview: "update" });
      const rs = records(result);
      expect(byName(rs, "org-name-dev").props["org"]).toBe("organization");
    } finally {
      removeProgram(dir);
    }
  }, 60_000);
});

describe("programs that read computed outputs", () => {
  // At a preview every response property the program did not set is computed, so these reads see unknowns: the SDK
  // does not run an apply over an unknown, and the program goes on. Nothing is invented.
  const program = [
    `import * as network from "@pulumi/azure-native/network";`,
    `const vnet = new network.VirtualNetwork("vnet", { resourceGroupName: "rg", virtualNetworkName: "v", addressSpace: { addressPrefixes: ["10.0.0.0/16"] },`,
    `  subnets: [{ name: "a", addressPrefix: "10.0.1.0/24" }] });`,
    `const nic = new network.NetworkInterface("nic", { resourceGroupName: "rg", networkInterfaceName: "nic",`,
    `  ipConfigurations: [{ name: "ipconfig1", subnet: { id: vnet.subnets.apply((s) => s![0]!.id!) } }] });`,
    `const nsg = new network.NetworkSecurityGroup("nsg", { resourceGroupName: "rg", networkSecurityGroupName: "nsg" });`,
    `export const firstOctet = nic.ipConfigurations.apply((c) => c![0]!.privateIPAddress!.split(".")[0]);`,
    `export const defaults = nsg.defaultSecurityRules.apply((r) => r.map((x) => x.name!.toUpperCase()));`,
    `export const guid = nsg.resourceGuid.apply((g) => g.slice(0, 8));`,
    "",
  ].join("\n");

  test.each(["first", "update"] as const)("%s preview: no crash; what was read is Unknown", async (preview) => {
    const dir = writeProgram("reads-computed", { "index.ts": program });
    try {
      const rs = records(await runProgram(dir, { preview }));
      const nic = byName(rs, "nic");
      const ipc = (nic.props["ipConfigurations"] as PropertyObject[])[0] as PropertyObject;
      expect(isUnknown((ipc["subnet"] as PropertyObject)["id"])).toBe(true);
      const stack = byName(rs, "reads-computed-dev");
      for (const key of ["firstOctet", "defaults", "guid"]) expect(isUnknown(stack.props[key])).toBe(true);
    } finally {
      removeProgram(dir);
    }
  }, 60_000);
});

describe("the fixture files", () => {
  it("package-main has a decoy index.ts that would fail", () => {
    expect(fs.readFileSync(path.join(fixture("package-main"), "index.ts"), "utf8")).toContain("throw");
  });
});
