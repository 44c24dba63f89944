/**
 * Fuzz seed 20261202 mutant 2304 (issue 13): a preview whose VNet has another URN (`...::vnet-gone`) left every
 * subnet that names it by propertyDependencies (`virtualNetworkName`, unknown at preview) unresolved, and every
 * verdict through them undecided, with no diagnostic naming the VNet. The unresolved reference now names the field
 * and the quoted URN its dependency points at that is not in the plan. A dependency on something outside the
 * model (a resource of another provider, a component) says nothing while the reference resolves.
 * The plan is examples/nsg-basics/preview.json (its shapes are cited in examples/README.md).
 */
import * as fs from "fs";
import { join } from "path";
import { buildTopology } from "../../src/adapters/azure-native";
import { readPreview } from "../../src/resources/preview";

const PREVIEW = join(__dirname, "../../examples/nsg-basics/preview.json");
const VNET = "urn:pulumi:dev::nsg-basics::azure-native:network:VirtualNetwork::vnet";

interface Step {
  urn: string;
  newState?: { urn: string; type: string; propertyDependencies?: Record<string, string[]>; dependencies?: string[] };
}

function unresolved(edit: (steps: Step[]) => void) {
  const doc = JSON.parse(fs.readFileSync(PREVIEW, "utf8"));
  edit(doc.steps);
  const r = readPreview(doc, "plan.json");
  if (!r.ok) throw new Error(r.error);
  return buildTopology(r.records).diagnostics.filter((d) => d.code === "unresolved-reference");
}

test("a VNet renamed: each subnet depending on the old URN names the field and that URN", () => {
  const found = unresolved((steps) => {
    const vnet = steps.find((s) => s.newState?.urn === VNET)!;
    vnet.newState!.urn = `${VNET}-gone`;
  });
  expect(found.length).toBeGreaterThan(0);
  for (const d of found.filter((x) => x.field === "virtualNetworkName")) {
    expect(d.message).toContain(`virtualNetworkName depends on "${VNET}", not in the plan`);
  }
  expect(found.filter((x) => x.field === "virtualNetworkName").map((d) => d.resource.split("::").pop()).sort()).toEqual(["subnet1", "subnet2", "subnet3", "web"]);
});

test.each([
  ["another provider's resource", "urn:pulumi:dev::nsg-basics::random:index/randomString:RandomString::suffix"],
  ["a component", "urn:pulumi:dev::nsg-basics::acme:network:Spoke::spoke1"],
])("a dependency on %s that is not in the plan, beside one that resolves: nothing said", (_label, extra) => {
  const found = unresolved((steps) => {
    for (const s of steps) {
      const deps = s.newState?.propertyDependencies?.virtualNetworkName;
      if (deps !== undefined) deps.push(extra);
    }
  });
  expect(found).toEqual([]);
});

test("the unmutated plan: no unresolved reference", () => {
  expect(unresolved(() => undefined)).toEqual([]);
});
