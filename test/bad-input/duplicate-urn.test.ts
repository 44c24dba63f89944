/**
 * Fuzz seed 777001 mutant 1866: a preview step given another resource's URN (a Route step with a NIC's URN) hid
 * that resource without a word and turned a passing intent into a failing one. Two steps of one URN and two types
 * are reported (duplicate-urn, naming both steps); the steps of a replacement (one URN, one type) say nothing.
 */
import * as fs from "fs";
import { join } from "path";
import { readPreview } from "../../src/resources/preview";

const PREVIEW = join(__dirname, "../../examples/hub-and-spoke/preview.json");

function withStep(edit: (steps: Array<{ op: string; urn: string; newState: { urn: string; type: string } }>) => void) {
  const doc = JSON.parse(fs.readFileSync(PREVIEW, "utf8"));
  edit(doc.steps);
  const r = readPreview(doc, "plan.json");
  if (!r.ok) throw new Error(r.error);
  return r.diagnostics.filter((d) => d.code === "duplicate-urn");
}

test("a step with another type's URN: reported, naming both steps", () => {
  const found = withStep((steps) => {
    const nic = steps.find((s) => s.newState?.type === "azure-native:network:NetworkInterface")!;
    const route = steps.find((s) => s.newState?.type === "azure-native:network:Route")!;
    route.urn = route.newState.urn = nic.urn;
  });
  expect(found).toEqual([
    expect.objectContaining({ resource: expect.stringMatching(/NetworkInterface::/), field: "urn", message: expect.stringMatching(/^plan\.json: steps\[\d+\] \("azure-native:network:\w+"\) has the URN of steps\[\d+\] \("azure-native:network:\w+"\); the engine refuses two resources with one URN/) }),
  ]);
});

test("a replacement's steps (one URN, one type) are not duplicates", () => {
  const found = withStep((steps) => {
    const nic = steps.find((s) => s.newState?.type === "azure-native:network:NetworkInterface")!;
    steps.push({ ...JSON.parse(JSON.stringify(nic)), op: "create-replacement" });
  });
  expect(found).toEqual([]);
});
