import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { unknown, isUnknown } from "../../src/model/unknown";
import { describeFsError, detectFormat, readResourceFile, readResourceJson, readResourceText } from "../../src/resources/detect";
import { readPreview } from "../../src/resources/preview";
import type { ResourceRecord } from "../../src/resources/record";
import { readStackExport } from "../../src/resources/stack-export";
import type { ReadResult } from "../../src/resources/state";
import { UNKNOWN_STRING } from "../../src/resources/unknowns";

const FIXTURES = path.join(__dirname, "..", "fixtures", "adapter");
const EXPORT = path.join(FIXTURES, "stack-export.json");
const PREVIEW = path.join(FIXTURES, "preview.json");
const P = "urn:pulumi:dev::netdemo::";
const NIC = `${P}netdemo:index:WebTier$azure-native:network:NetworkInterface::nic-web`;
const SUBNET = `${P}azure-native:network:Subnet::subnet-web`;

function ok(r: ReadResult): Extract<ReadResult, { ok: true }> {
  if (!r.ok) throw new Error(r.error);
  return r;
}

function byName(records: readonly ResourceRecord[], name: string): ResourceRecord {
  const r = records.find((x) => x.name === name);
  if (r === undefined) throw new Error(`no ${name}`);
  return r;
}

const withoutOrigin = (r: ResourceRecord): Omit<ResourceRecord, "origin"> => {
  const { origin: _origin, ...rest } = r;
  return rest;
};

describe("stack export", () => {
  const { records, diagnostics } = ok(readResourceFile(EXPORT));

  test("skips the stack and providers, keeps resources and components", () => {
    expect(diagnostics).toEqual([]);
    expect(records.map((r) => r.name)).toEqual([
      "rg", "asg-web", "nsg-web", "rule-ssh", "nsg-app", "rt-spoke", "vnet-spoke", "subnet-web", "web", "pip-web", "nic-web", "vm-web",
    ]);
    expect(byName(records, "web")).toMatchObject({ custom: false, type: "netdemo:index:WebTier", id: undefined });
  });

  test("props are the outputs; inputs, id, parent and dependencies are kept", () => {
    const subnet = byName(records, "subnet-web");
    expect(subnet.urn).toBe(SUBNET);
    expect(subnet.id).toBe("/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-netdemo/providers/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/web");
    expect(subnet.props.provisioningState).toBe("Succeeded");
    expect(subnet.inputs?.virtualNetworkName).toBe("vnet-spoke");
    expect(subnet.parent).toBe(`${P}pulumi:pulumi:Stack::netdemo-dev`);
    expect(subnet.dependencies).toHaveLength(4);
    expect(subnet.propertyDependencies.networkSecurityGroup).toEqual([`${P}azure-native:network:NetworkSecurityGroup::nsg-web`]);
    // Empty dependency lists are dropped.
    expect(subnet.propertyDependencies.addressPrefix).toBeUndefined();
    expect(subnet.origin).toBe(EXPORT);
  });

  test("ciphertext secrets become Unknown with reason secret", () => {
    const vm = byName(records, "vm-web");
    const osProfile = vm.props.osProfile as Record<string, unknown>;
    expect(osProfile.adminPassword).toEqual(unknown(".osProfile.adminPassword", vm.urn, "secret"));
  });

  test("inputs are used when outputs are empty", () => {
    const r = ok(readStackExport({ version: 3, deployment: { resources: [{ urn: `${P}a:b:C::x`, type: "a:b:C", inputs: { k: 1 }, outputs: {} }] } }, "t"));
    expect(r.records[0].props).toEqual({ k: 1 });
  });

  test("malformed resources become diagnostics; the rest is read", () => {
    const r = ok(
      readStackExport(
        { version: 3, deployment: { resources: [{ type: "a:b:C" }, "junk", { urn: `${P}a:b:C::ok`, type: "a:b:C" }, { urn: `${P}a:b:C::nt` }] } },
        "f.json",
      ),
    );
    expect(r.records.map((x) => x.name)).toEqual(["ok"]);
    expect(r.diagnostics.map((d) => [d.code, d.field])).toEqual([
      ["malformed-resource", "resources[0]"],
      ["malformed-resource", "resources[1]"],
      ["malformed-resource", "resources[3]"],
    ]);
    expect(r.diagnostics[0].message).toBe("f.json: resources[0] has no urn; it is skipped");
  });

  test("resources pending deletion are left out", () => {
    const r = ok(readStackExport({ deployment: { resources: [{ urn: `${P}a:b:C::x`, type: "a:b:C", delete: true }] } }, "t"));
    expect(r.records).toEqual([]);
  });

  test("a bare deployment ({resources}) is accepted", () => {
    const json = JSON.parse(fs.readFileSync(EXPORT, "utf8")) as { deployment: unknown };
    const r = ok(readResourceJson(json.deployment, "d.json"));
    expect(r.records).toHaveLength(12);
  });
});

describe("preview", () => {
  const { records, diagnostics } = ok(readResourceFile(PREVIEW));

  test("same and create steps kept, the deleted resource gone, stack and provider skipped", () => {
    expect(diagnostics).toEqual([]);
    expect(records.map((r) => r.name)).toEqual([
      "rg", "asg-web", "nsg-web", "rule-ssh", "nsg-app", "rt-spoke", "vnet-spoke", "subnet-web", "web", "pip-web", "nic-web", "vm-web",
    ]);
    expect(records.some((r) => r.name === "nsg-old")).toBe(false);
  });

  test("ids: known for same, Unknown for create", () => {
    expect(byName(records, "rg").id).toBe("/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-netdemo");
    expect(byName(records, "nic-web").id).toEqual(unknown(".id", NIC));
    expect(byName(records, "web").id).toBeUndefined();
  });

  test("sentinels become Unknown with the right path", () => {
    const nic = byName(records, "nic-web");
    const config = (nic.props.ipConfigurations as Record<string, unknown>[])[0];
    expect(config.subnet).toEqual({ id: unknown(".ipConfigurations[0].subnet.id", NIC) });
    const subnet = byName(records, "subnet-web");
    expect(subnet.inputs?.virtualNetworkName).toEqual(unknown(".virtualNetworkName", SUBNET));
  });

  test("outputs when present (read with the planned inputs), else inputs", () => {
    const nsg = byName(records, "nsg-web");
    // Unknown in the create step's outputs and not set in its inputs: a property the user left unset (reconcile.ts).
    expect(nsg.props.defaultSecurityRules).toBeUndefined();
    expect(isUnknown(nsg.id as never)).toBe(true);
    expect(byName(records, "rule-ssh").props.securityRuleName).toBe("allow-ssh");
  });

  test("replacement: delete-replaced keeps the replacement; delete removes", () => {
    const urn = `${P}a:b:C::x`;
    const state = (v: number) => ({ urn, type: "a:b:C", custom: true, id: "", inputs: { v } });
    const seq = (ops: string[]) =>
      ok(readPreview({ steps: ops.map((op, i) => ({ op, urn, oldState: state(0), ...(op.startsWith("delete") ? {} : { newState: state(i + 1) }) })) }, "p"));
    expect(seq(["create-replacement", "replace", "delete-replaced"]).records.map((r) => r.props.v)).toEqual([2]);
    expect(seq(["delete-replaced", "replace", "create-replacement"]).records.map((r) => r.props.v)).toEqual([3]);
    expect(seq(["delete"]).records).toEqual([]);
    expect(seq(["update"]).records[0].id).toBeUndefined();
  });

  test("malformed steps become diagnostics", () => {
    const r = ok(readPreview({ steps: [42, { op: "create", urn: "x", newState: { urn: "x" } }, { op: "delete" }] }, "p.json"));
    expect(r.records).toEqual([]);
    expect(r.diagnostics.map((d) => d.field)).toEqual(["steps[0]", "steps[1].newState", "steps[2]"]);
  });
});

describe("export and preview of the same resources", () => {
  test("an all-'same' preview of the export gives the same records", () => {
    const json = JSON.parse(fs.readFileSync(EXPORT, "utf8")) as { deployment: { resources: Array<{ urn: string }> } };
    const steps = json.deployment.resources.map((r) => ({ op: "same", urn: r.urn, oldState: r, newState: r }));
    const fromExport = ok(readResourceJson(json, "e")).records.map(withoutOrigin);
    const fromPreview = ok(readResourceJson({ steps }, "p")).records.map(withoutOrigin);
    expect(fromPreview).toEqual(fromExport);
  });

  test("the hand-written first preview has the same resources as the export", () => {
    const e = ok(readResourceFile(EXPORT)).records;
    const p = ok(readResourceFile(PREVIEW)).records;
    expect(p.map((r) => [r.urn, r.type, r.name, r.custom, r.parent])).toEqual(e.map((r) => [r.urn, r.type, r.name, r.custom, r.parent]));
  });
});

describe("detection and errors", () => {
  test.each([
    [{ version: 3, deployment: { resources: [] } }, "stack-export"],
    [{ steps: [] }, "preview"],
    [{ resources: [] }, "deployment"],
    [{ other: 1 }, undefined],
    [[1, 2], undefined],
    ["x", undefined],
  ])("detectFormat(%j) = %s", (json, expected) => {
    expect(detectFormat(json)).toBe(expected);
  });

  const oneLine = (r: ReadResult): string => {
    expect(r.ok).toBe(false);
    const error = (r as { error: string }).error;
    expect(error).not.toContain("\n");
    return error;
  };

  test("not a Pulumi file", () => {
    const f = path.join(FIXTURES, "not-pulumi.json");
    expect(oneLine(readResourceFile(f))).toBe(`${f} is not a Pulumi stack export or preview file: expected a 'deployment' or 'steps' key`);
  });

  test("invalid JSON names the file", () => {
    const f = path.join(FIXTURES, "truncated.json");
    expect(oneLine(readResourceFile(f))).toMatch(new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} is not valid JSON: `));
  });

  test("missing file and directory", () => {
    expect(oneLine(readResourceFile(path.join(FIXTURES, "nope.json")))).toMatch(/^cannot read .*nope\.json: no such file$/);
    expect(oneLine(readResourceFile(FIXTURES))).toMatch(/it is a directory$/);
  });

  test("'deployment.resources' not a list, 'steps' not a list", () => {
    expect(oneLine(readResourceJson({ deployment: { resources: 5 } }, "f"))).toContain("'deployment.resources' is not a list");
    expect(oneLine(readStackExport({ nodeployment: 1 }, "f"))).toContain("expected a 'deployment' object");
    expect(oneLine(readPreview({ steps: "x" }, "f"))).toContain("'steps' is not a list");
  });

  test("a UTF-8 BOM is accepted; sentinels anywhere become Unknown", () => {
    const text = "\uFEFF" + JSON.stringify({ steps: [{ op: "create", urn: `${P}a:b:C::x`, newState: { urn: `${P}a:b:C::x`, type: "a:b:C", inputs: { a: UNKNOWN_STRING } } }] });
    const r = ok(readResourceText(text, "t"));
    expect(r.records[0].props.a).toEqual(unknown(".a", `${P}a:b:C::x`));
  });

  test("readResourceFile on a temp file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ar-"));
    const f = path.join(dir, "x.json");
    fs.writeFileSync(f, JSON.stringify({ steps: [] }));
    expect(ok(readResourceFile(f)).records).toEqual([]);
    fs.rmSync(dir, { recursive: true });
  });
});

describe("describeFsError", () => {
  test.each([
    ["ENOENT", "no such file"],
    ["EISDIR", "it is a directory"],
    ["ERR_STRING_TOO_LONG", "the file is over 512 MB, the most Node can hold as one string, and plan files are read whole"],
    ["EMFILE", "EMFILE"],
  ])("%s", (code, text) => {
    expect(describeFsError(Object.assign(new Error("x"), { code }))).toBe(text);
  });
});
