/** In-code intents read back from records: how `from`/`to` resolve when ids are, or are not, known. */
import { unknown } from "../../src/model/unknown";
import type { PropertyObject, ResourceRecord } from "../../src/resources/record";
import { intentsFromRecords } from "../../src/intents/component";
import { INTENT_COMPONENT_TYPE, type ReachIntent } from "../../src/intents/types";

const SUBNET = "urn:pulumi:dev::p::azure-native:network:Subnet::app";
const NIC = "urn:pulumi:dev::p::azure-native:network:NetworkInterface::db-nic";

function record(props: PropertyObject, propertyDependencies: Record<string, string[]> = { from: [SUBNET], fromUrn: [SUBNET], to: [NIC], toUrn: [NIC] }): ResourceRecord {
  return {
    urn: `urn:pulumi:dev::p::${INTENT_COMPONENT_TYPE}::app-to-db`,
    type: INTENT_COMPONENT_TYPE,
    name: "app-to-db",
    id: undefined,
    props,
    dependencies: [],
    propertyDependencies,
    custom: false,
  };
}

const FIRST_PREVIEW: PropertyObject = {
  intentName: "app-to-db",
  from: unknown(".from", "c"),
  fromUrn: SUBNET,
  to: unknown(".to", "c"),
  toUrn: NIC,
  protocol: "Tcp",
  ports: "1433",
  expect: "reachable",
};

function only(records: ResourceRecord[]): ReachIntent {
  const r = intentsFromRecords(records);
  expect(r.errors).toEqual([]);
  expect(r.intents).toHaveLength(1);
  return r.intents[0] as ReachIntent;
}

test("a first preview: ids unknown, the recorded URNs name the resources", () => {
  const i = only([record(FIRST_PREVIEW)]);
  expect(i).toMatchObject({ name: "app-to-db", protocol: "Tcp", portsText: "1433", expect: "reachable", enforcement: "mandatory", origin: { componentUrn: `urn:pulumi:dev::p::${INTENT_COMPONENT_TYPE}::app-to-db` } });
  expect(i.from).toEqual({ kind: "resource", urn: SUBNET });
  expect(i.to).toEqual({ kind: "resource", urn: NIC });
});

test.each<[string, PropertyObject, Record<string, string[]>, object]>([
  ["no recorded URN: the property's single dependency", { ...FIRST_PREVIEW, fromUrn: null }, { from: [SUBNET] }, { kind: "resource", urn: SUBNET }],
  ["a known id", { ...FIRST_PREVIEW, fromUrn: null, from: "/subscriptions/0/.../subnets/app" }, {}, { kind: "resource", urn: "/subscriptions/0/.../subnets/app" }],
  ["a plain selector", { ...FIRST_PREVIEW, from: { serviceTag: "Internet" }, fromUrn: null }, {}, { kind: "serviceTag", tag: "Internet" }],
  ["nothing identifies it", { ...FIRST_PREVIEW, fromUrn: null }, { from: [SUBNET, NIC] }, { kind: "unresolved", reason: expect.stringContaining("the property depends on 2 resources") }],
])("from: %s", (_name, props, deps, selector) => {
  expect(only([record(props, deps)]).from).toEqual(selector);
});

test("the component's name is the default intent name; invalid fields are errors naming the component", () => {
  const r = intentsFromRecords([record({ ...FIRST_PREVIEW, intentName: null, protocol: "Sctp" })]);
  expect(r.intents).toEqual([]);
  expect(r.errors).toEqual([
    `urn:pulumi:dev::p::${INTENT_COMPONENT_TYPE}::app-to-db: intent "app-to-db" (intents[0]), field "protocol": "Sctp" is not allowed; use Tcp, Udp, Icmp, Any (default Any)`,
  ]);
});

test("other records are ignored", () => {
  expect(intentsFromRecords([{ ...record(FIRST_PREVIEW), type: "azure-native:network:Subnet" }])).toEqual({ intents: [], errors: [] });
});
