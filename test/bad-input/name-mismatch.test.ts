/**
 * Fuzz seed 20261202 mutant 2414 (issue 13): avnm-baseline's admin rule given a `name` other than its `ruleName`
 * (here a URN) renamed the rule in every verdict, and "ssh-flow-denied-by-admin-rule" (which names the rule) went
 * from pass to fail with no diagnostic. A configuration, collection or rule whose name and path parameter differ is
 * now reported (name-mismatch, naming the resource, the field and both values). The plan is the example's stack
 * export (its shapes are cited in examples/avnm-baseline/README.md).
 */
import * as fs from "fs";
import { join } from "path";
import { buildTopology } from "../../src/adapters/azure-native";
import { readStackExport } from "../../src/resources/stack-export";

const EXPORT = join(__dirname, "../../examples/avnm-baseline/stack-export.json");

function mismatches(edit: (byName: (n: string) => Record<string, unknown>) => void) {
  const doc = JSON.parse(fs.readFileSync(EXPORT, "utf8"));
  edit((n) => doc.deployment.resources.find((r: { urn: string }) => r.urn.endsWith(`::${n}`)).outputs);
  const r = readStackExport(doc, "plan.json");
  if (!r.ok) throw new Error(r.error);
  return buildTopology(r.records).diagnostics.filter((d) => d.code === "name-mismatch");
}

test.each<[string, string, string, string]>([
  ["an admin rule's name a URN", "deny-ssh-rdp-from-internet", "urn:pulumi:dev::avnm-baseline::x", "ruleName"],
  ["a configuration's name another word", "baseline", "other", "configurationName"],
  ["a collection's name another word", "deny-mgmt", "other", "ruleCollectionName"],
])("%s: reported", (_label, resource, name, param) => {
  const found = mismatches((o) => (o(resource).name = name));
  expect(found).toEqual([
    expect.objectContaining({ resource: expect.stringMatching(new RegExp(`::${resource}$`)), field: "name", message: expect.stringContaining(`differs from ${param} "${resource}"`) }),
  ]);
});

test("the same name in another case, and the plan as it is: nothing said", () => {
  expect(mismatches((o) => (o("baseline").name = "BaseLine"))).toEqual([]);
  expect(mismatches(() => undefined)).toEqual([]);
});
