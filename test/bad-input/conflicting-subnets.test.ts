/**
 * Issue 13 point 8: a subnet declared inline in its VNet and as a standalone Subnet resource with different
 * values is reported (conflicting-declarations, naming the field and both values), not merged silently. Same
 * declarations, or values unknown at preview, say nothing.
 */
import { buildTopology } from "../../src/adapters/azure-native";
import type { PropertyValue } from "../../src/resources/record";
import { unknown } from "../../src/model/unknown";
import { happyPath, setProp } from "../adapters/azure-native/fixture";

/** The fixture's VNet lists subnet-web ("web") inline again, as deployed outputs do, with `edit` applied. */
function withInlineTwin(edit: Record<string, PropertyValue>) {
  const records = happyPath();
  const vnet = records.find((r) => r.name === "vnet")!;
  const web = records.find((r) => r.name === "subnet-web")!;
  const inline = { name: "web", addressPrefix: web.props.addressPrefix as string, ...edit };
  return setProp(records, "vnet", "subnets", [...(vnet.props.subnets as PropertyValue[]), inline]);
}

const conflicts = (records: ReturnType<typeof happyPath>) => buildTopology(records).diagnostics.filter((d) => d.code === "conflicting-declarations");

test.each<[string, Record<string, PropertyValue>, string | undefined]>([
  ["the same prefix", {}, undefined],
  ["another prefix", { addressPrefix: "10.1.9.0/24" }, "addressPrefix"],
  ["another NSG", { networkSecurityGroup: { id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/other" } }, "networkSecurityGroup"],
  ["a prefix unknown at preview", { addressPrefix: unknown(".subnets[1].addressPrefix") }, undefined],
])("inline twin with %s", (_label, edit, field) => {
  const found = conflicts(withInlineTwin(edit));
  if (field === undefined) expect(found).toEqual([]);
  else {
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ resource: expect.stringMatching(/::subnet-web$/), field });
    expect(found[0].message).toMatch(/declares it inline as .*; Azure keeps whichever is applied last/);
    if (field === "addressPrefix") expect(found[0]).toMatchObject({ value: '"10.1.2.0/24"' });
  }
  // Either way one subnet, the standalone declaration's.
  const subnets = [...buildTopology(withInlineTwin(edit)).subnets.values()].filter((s) => s.azureName === "web");
  expect(subnets.map((s) => s.addressPrefixes)).toEqual([["10.1.2.0/24"]]);
});
