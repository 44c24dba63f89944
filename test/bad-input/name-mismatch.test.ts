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

type Outputs = Record<string, unknown>;

/** The name-mismatch diagnostics of an example's stack export, after `edit` changes outputs found by URN suffix. */
function mismatchesIn(file: string, edit: (byUrnEnd: (end: string) => Outputs) => void) {
  const doc = JSON.parse(fs.readFileSync(file, "utf8"));
  edit((end) => doc.deployment.resources.find((r: { urn: string }) => r.urn.endsWith(end)).outputs);
  const r = readStackExport(doc, "plan.json");
  if (!r.ok) throw new Error(r.error);
  return buildTopology(r.records).diagnostics.filter((d) => d.code === "name-mismatch");
}

function mismatches(edit: (byName: (n: string) => Outputs) => void) {
  return mismatchesIn(EXPORT, (at) => edit((n) => at(`::${n}`)));
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

/*
 * Fuzz seed 52000 mutants 1267 and 2291 (issue 13): web-lb's NAT rule and frontend, written inside the load balancer,
 * given a name other than the last segment of their own id (a lone surrogate inserted). The NIC's and the rules'
 * references (by id) stopped resolving, and two intents turned indeterminate with nothing said of the rename. A child
 * whose name and id disagree is now reported on its parent, with the child's field (docs/azure-semantics.md §15).
 */
const WEB_LB = join(__dirname, "../../examples/web-lb/stack-export.json");

function childMismatches(edit: (lb: Record<string, Array<Record<string, unknown>>>) => void) {
  return mismatchesIn(WEB_LB, (at) => edit(at(":LoadBalancer::web-lb") as Record<string, Array<Record<string, unknown>>>));
}

test.each<[string, string, string, string]>([
  ["seed 52000 mutant 1267: a NAT rule", "inboundNatRules", "ssh-\ud800web1", '"ssh-\\ud800web1"'],
  ["seed 52000 mutant 2291: a frontend", "frontendIPConfigurations", "f\ud800e", '"f\\ud800e"'],
  ["a NAT rule renamed to another word", "inboundNatRules", "ssh-web2", '"ssh-web2"'],
])("%s whose name is not its id's last segment: said on the load balancer, with the child's field", (_label, list, name, shown) => {
  const found = childMismatches((lb) => (lb[list][0].name = name));
  expect(found).toEqual([
    expect.objectContaining({ resource: expect.stringMatching(/:LoadBalancer::web-lb$/), field: `${list}[0].name`, value: shown, message: expect.stringContaining("differs from the last segment of its id") }),
  ]);
});

test("a child's name in another case, an id without a name, and the plan as it is: nothing said", () => {
  expect(childMismatches((lb) => (lb.inboundNatRules[0].name = "SSH-Web1"))).toEqual([]);
  expect(childMismatches((lb) => delete lb.inboundNatRules[0].name)).toEqual([]);
  expect(childMismatches(() => undefined)).toEqual([]);
});
