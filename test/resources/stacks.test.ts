/**
 * Stacks together (src/resources/stacks.ts): another stack's file merged into the plan, names prefixed with the
 * stack, duplicates and the plan's own stack left out and said so, bad files refused in one line.
 * Fixture: examples/split-hub-and-spoke (hub and spoke stacks generated from their programs).
 */
import { writeFileSync } from "fs";
import { join } from "path";
import { readResourceFile } from "../../src/resources/detect";
import type { ResourceRecord } from "../../src/resources/record";
import { labelOf, mergeStacks, readOtherStack, stackOfUrn } from "../../src/resources/stacks";
import { tempDir } from "../helpers/temp-dir";

const SPLIT = join(__dirname, "../../examples/split-hub-and-spoke");
const HUB_EXPORT = join(SPLIT, "hub/stack-export.json");
const HUB_PREVIEW = join(SPLIT, "hub/preview.json");
const TMP = tempDir("stacks-test-");

function records(file: string): ResourceRecord[] {
  const r = readResourceFile(file);
  if (!r.ok) throw new Error(r.error);
  return r.records;
}

function hub(file = HUB_EXPORT) {
  const r = readOtherStack(file, "--with-stack");
  if (!r.ok) throw new Error(r.error);
  return r.stack;
}

test.each([
  ["urn:pulumi:dev::split-hub::azure-native:network:VirtualNetwork::hub", { stack: "dev", project: "split-hub" }],
  ["urn:pulumi:prod::p::a:b:C$x:y:Z::child", { stack: "prod", project: "p" }],
  ["not-a-urn", undefined],
])("stackOfUrn(%s)", (urn, expected) => {
  expect(stackOfUrn(urn)).toEqual(expected);
});

test.each([
  [{ stack: "dev", project: "split-hub" }, { stack: "dev", project: "split-spoke" }, "split-hub"],
  [{ stack: "hub", project: "net" }, { stack: "app", project: "net" }, "hub"],
  [{ stack: "dev", project: "split-hub" }, undefined, "split-hub"],
])("labelOf(%j) next to %j is %s", (other, own, label) => {
  expect(labelOf(other, own)).toBe(label);
});

test("the hub's export: its stack, project and outputs (the root stack resource's)", () => {
  const h = hub();
  expect([h.stack, h.project]).toEqual(["dev", "split-hub"]);
  expect(h.outputs).toEqual({
    hubVnetId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/split-hub-rg/providers/Microsoft.Network/virtualNetworks/hub-vnet",
    hubVnetName: "hub-vnet",
    nvaIpAddress: "10.0.1.4",
    resourceGroupName: "split-hub-rg",
  });
});

test("the hub's first preview: outputs unknown at preview are the sentinel, as written", () => {
  expect(hub(HUB_PREVIEW).outputs.hubVnetId).toBe("04da6b54-80e4-46f7-96ec-b56ff0331ba9");
});

test("merged: the other stack's records follow the plan's, named <project>/<name>, URNs unchanged", () => {
  const spoke = records(join(SPLIT, "spoke/stack-export.json"));
  const h = hub();
  const merged = mergeStacks(spoke, [h]);
  expect(merged.diagnostics).toEqual([]);
  expect(merged.records.slice(0, spoke.length)).toEqual(spoke);
  const added = merged.records.slice(spoke.length);
  expect(added.map((r) => r.urn)).toEqual(h.records.map((r) => r.urn));
  expect(added.find((r) => r.urn.endsWith("::nva-nic"))?.name).toBe("split-hub/nva-nic");
});

test("the plan's own stack, a stack given twice and a URN already in the plan are left out, each said so", () => {
  const h = hub();
  const own = records(HUB_EXPORT);
  const self = mergeStacks(own, [h]);
  expect(self.records).toHaveLength(own.length);
  expect(self.diagnostics.map((d) => d.code)).toEqual(["with-stack-same"]);
  const spokeLike = [{ ...own[0], urn: "urn:pulumi:dev::split-spoke::azure-native:resources:ResourceGroup::rg" }];
  const twice = mergeStacks(spokeLike, [h, h]);
  expect(twice.records).toHaveLength(1 + own.length);
  expect(twice.diagnostics.map((d) => d.code)).toEqual(["with-stack-twice"]);
  const clash = mergeStacks([own[1]], [{ ...h, project: "other" }]);
  expect(clash.diagnostics.map((d) => [d.code, d.resource])).toEqual([["with-stack-duplicate", own[1].urn]]);
});

test.each([
  ["missing.json", undefined, /^--with-stack: cannot read .*missing\.json: no such file$/],
  ["bad.json", "{not json", /^--with-stack: .*bad\.json is not valid JSON: /],
  ["not-a-plan.json", JSON.stringify({ hello: 1 }), /^--with-stack: .*not-a-plan\.json is not a Pulumi stack export or preview file/],
  ["empty.json", JSON.stringify({ version: 3, deployment: { resources: [] } }), /^--with-stack: .*empty\.json holds no resource with a Pulumi URN/],
])("a bad --with-stack file (%s) is refused in one line", (name, content, message) => {
  const file = join(TMP, name);
  if (content !== undefined) writeFileSync(file, content);
  const r = readOtherStack(file, "--with-stack");
  expect(r.ok).toBe(false);
  if (!r.ok) {
    expect(r.error).toMatch(message);
    expect(r.error).not.toContain("\n");
  }
});
