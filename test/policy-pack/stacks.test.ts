/**
 * Policy config `stacks: [FILE...]`: the spoke's first preview as @pulumi/policy hands it (props behind the proxy),
 * the hub's stack export merged in. Without it the paths through the hub are undecided (advisory violations);
 * with it they pass; an unreadable file is a mandatory violation that says why. Fails on the code before `stacks`
 * (the key was unknown: the intents stayed undecided).
 */
import { join } from "path";
import { checkStack } from "../../policy-pack/policies/reachability-intents";
import { checkHygiene } from "../../policy-pack/policies/network-hygiene";
import { resetStackModel, stackModelStats } from "../../policy-pack/policies/stack-model";
import { policyResourcesFromPreview } from "../helpers/policy-resources";
import { readIntentsFile } from "../../src/intents/parse";

const SPLIT = join(__dirname, "../../examples/split-hub-and-spoke");
const HUB = join(SPLIT, "hub/stack-export.json");
const SPOKE = policyResourcesFromPreview(join(SPLIT, "spoke/preview.json"));
const INTENTS = (() => {
  const doc = require(join(SPLIT, "spoke/intents.json")) as { "reachability-intents": { intents: unknown[] } };
  return doc["reachability-intents"].intents;
})();

beforeEach(() => resetStackModel());

test("the intents file parses (the fixture is sound)", () => {
  expect(readIntentsFile(join(SPLIT, "spoke/intents.json")).ok).toBe(true);
});

test("without stacks: both intents undecided (advisory), naming the hub's VNet not in the plan", () => {
  const v = checkStack({ resources: SPOKE, config: { intents: INTENTS } });
  expect(v.map((x) => [x.message.split("\n")[0].split(":")[0], x.enforcementLevel])).toEqual([
    ['intent "app-reaches-internet-https-through-hub" cannot be decided at preview (expect reachable; declared in policy config)', "advisory"],
    ['intent "no-ssh-out-through-hub" cannot be decided at preview (expect unreachable; declared in policy config)', "advisory"],
  ]);
  expect(v[0].message).toContain("not in the plan: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/split-hub-rg/providers/Microsoft.Network/virtualNetworks/hub-vnet");
});

test("with stacks: both pass (no violation), and both policies share one merged reading", () => {
  expect(checkStack({ resources: SPOKE, config: { intents: INTENTS, stacks: [HUB] } })).toEqual([]);
  const hygiene = checkHygiene(SPOKE, { stacks: [HUB] });
  expect(hygiene.some((x) => x.message.includes("subnet nva (split-hub/hub) has no NSG"))).toBe(true);
  expect(stackModelStats().reads).toBe(1);
});

test.each([
  [["/nonexistent/hub.json"], /^policy config "stacks": cannot read \/nonexistent\/hub\.json: no such file \(a relative path is read from the policy pack's directory\)$/],
  ["hub.json", /^policy config "stacks" must be a list of paths/],
  [[42], /^policy config "stacks" must be a list of paths/],
])("a bad stacks value (%j) is a violation at the policy's level that says why", (stacks, message) => {
  const v = checkStack({ resources: SPOKE, config: { intents: INTENTS, stacks } });
  expect(v[0].message).toMatch(message);
  expect(v[0].enforcementLevel).toBeUndefined();
});
