import { unknown } from "../../src/model/unknown";
import type { ResourceRecord } from "../../src/resources/record";
import { armId, azureName, pathParameters } from "../../src/resources/program/arm-id";
import { mockResource } from "../../src/resources/program/mock-state";
import { configValueString, namespacedKey } from "../../src/resources/program/project";
import { nonEmptyDependencies, stableOrder } from "../../src/resources/program/records";
import { makeUrn } from "../../src/resources/program/urn";
import { fromWire, UNKNOWN_SENTINEL } from "../../src/resources/program/values";
import { formatJson, toPreviewJson, toStackExport } from "../../src/resources/program/writers";

const STACK = "urn:pulumi:dev::demo::pulumi:pulumi:Stack::demo-dev";
const SUBNET = "urn:pulumi:dev::demo::azure-native:network:Subnet::app";
const NIC = "urn:pulumi:dev::demo::azure-native:network:NetworkInterface::app-nic";

const nic = (id: ResourceRecord["id"], subnetId: string | ReturnType<typeof unknown>): ResourceRecord => ({
  urn: NIC,
  type: "azure-native:network:NetworkInterface",
  name: "app-nic",
  id,
  props: { ipConfigurations: [{ name: "ipconfig1", subnet: { id: subnetId }, privateIPAllocationMethod: "Dynamic" }], name: "app-nic" },
  inputs: { resourceGroupName: "rg", ipConfigurations: [{ name: "ipconfig1", subnet: { id: subnetId } }] },
  parent: STACK,
  dependencies: [SUBNET],
  propertyDependencies: { ipConfigurations: [SUBNET], tags: [] },
  custom: true,
});

describe("toStackExport", () => {
  it("writes a v3 export: fixed manifest, resources in Pulumi's key order, property keys sorted", () => {
    const doc = toStackExport([nic("/subscriptions/x/nic", "/subscriptions/x/subnet")]);
    expect(doc).toEqual({
      version: 3,
      deployment: {
        manifest: { time: "2026-01-01T00:00:00Z", magic: "", version: "v3.270.0" },
        resources: [
          {
            urn: NIC,
            custom: true,
            id: "/subscriptions/x/nic",
            type: "azure-native:network:NetworkInterface",
            inputs: { ipConfigurations: [{ name: "ipconfig1", subnet: { id: "/subscriptions/x/subnet" } }], resourceGroupName: "rg" },
            outputs: { ipConfigurations: [{ name: "ipconfig1", privateIPAllocationMethod: "Dynamic", subnet: { id: "/subscriptions/x/subnet" } }], name: "app-nic" },
            parent: STACK,
            dependencies: [SUBNET],
            propertyDependencies: { ipConfigurations: [SUBNET] },
          },
        ],
      },
    });
    const resource = (doc as { deployment: { resources: Record<string, unknown>[] } }).deployment.resources[0]!;
    expect(Object.keys(resource)).toEqual(["urn", "custom", "id", "type", "inputs", "outputs", "parent", "dependencies", "propertyDependencies"]);
    expect(Object.keys(resource["outputs"] as object)).toEqual(["ipConfigurations", "name"]);
  });

  it("never writes an unknown: unknown values and ids are left out", () => {
    const doc = toStackExport([nic(unknown(".id", NIC), unknown(".ipConfigurations[0].subnet.id", NIC))], { time: "2025-05-05T00:00:00Z" });
    const text = JSON.stringify(doc);
    expect(text).not.toContain(UNKNOWN_SENTINEL);
    expect(text).not.toContain('"kind":"unknown"');
    expect(text).toContain('"time":"2025-05-05T00:00:00Z"');
    const resource = (doc as { deployment: { resources: Record<string, unknown>[] } }).deployment.resources[0]!;
    expect(resource["id"]).toBeUndefined();
    expect(resource["outputs"]).toEqual({ ipConfigurations: [{ name: "ipconfig1", privateIPAllocationMethod: "Dynamic", subnet: {} }], name: "app-nic" });
  });
});

describe("toPreviewJson", () => {
  it("writes one create step per resource, unknowns as the string sentinel", () => {
    const doc = toPreviewJson([nic(unknown(".id", NIC), unknown(".ipConfigurations[0].subnet.id", NIC))]) as {
      config: object;
      steps: { op: string; urn: string; newState: Record<string, unknown> }[];
      diagnostics: unknown[];
      changeSummary: object;
    };
    expect(doc.config).toEqual({});
    expect(doc.diagnostics).toEqual([]);
    expect(doc.changeSummary).toEqual({ create: 1 });
    expect(doc.steps).toHaveLength(1);
    expect(doc.steps[0]).toMatchObject({ op: "create", urn: NIC });
    expect(doc.steps[0]!.newState["id"]).toBeUndefined();
    expect(doc.steps[0]!.newState["outputs"]).toEqual({
      ipConfigurations: [{ name: "ipconfig1", privateIPAllocationMethod: "Dynamic", subnet: { id: UNKNOWN_SENTINEL } }],
      name: "app-nic",
    });
    expect(doc.steps[0]!.newState["propertyDependencies"]).toEqual({ ipConfigurations: [SUBNET] });
  });

  it("formats as 2-space JSON with a final newline", () => {
    expect(formatJson({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}\n');
  });
});

describe("fromWire", () => {
  it("turns every kind of unknown sentinel into an Unknown marker carrying its path", () => {
    const wire = { a: UNKNOWN_SENTINEL, b: ["x", "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7"], c: { d: "dd056dcd-154b-4c76-9bd3-c8f88648b5ff" } };
    expect(fromWire(wire, "", "u")).toEqual({
      a: { kind: "unknown", path: ".a", resource: "u" },
      b: ["x", { kind: "unknown", path: ".b[1]", resource: "u" }],
      c: { d: { kind: "unknown", path: ".c.d", resource: "u" } },
    });
  });

  it("unwraps secrets and stands resource references in by their id", () => {
    const sig = "4dabf18193072939515e22adb298388d";
    const secret = { [sig]: "1b47061264138c4ac30d75fd1eb44270", value: "hunter2" };
    const ref = { [sig]: "5cf8f73096256a8f31e491e813e4eb8e", urn: SUBNET, id: "/subscriptions/x/subnet" };
    const pendingRef = { [sig]: "5cf8f73096256a8f31e491e813e4eb8e", urn: SUBNET, id: "" };
    expect(fromWire({ secret, ref, pendingRef }, "", "u")).toEqual({
      secret: "hunter2",
      ref: "/subscriptions/x/subnet",
      pendingRef: { kind: "unknown", path: ".pendingRef", resource: "u" },
    });
  });
});

describe("ARM ids", () => {
  const rg = { resourceGroupName: "rg1" };
  const base = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers";

  it("follow the type's path parameters, versioned tokens included", () => {
    expect(armId("azure-native:network:Subnet", "s", { ...rg, virtualNetworkName: "v", subnetName: "app" })).toBe(`${base}/Microsoft.Network/virtualNetworks/v/subnets/app`);
    expect(armId("azure-native:network/v20240501:Subnet", "s", { ...rg, virtualNetworkName: "v", name: "app" })).toBe(`${base}/Microsoft.Network/virtualNetworks/v/subnets/app`);
    expect(armId("azure-native:network:Route", "r", { ...rg, routeTableName: "rt", routeName: "default" })).toBe(`${base}/Microsoft.Network/routeTables/rt/routes/default`);
    expect(armId("azure-native:network:VirtualNetworkPeering", "p", { ...rg, virtualNetworkName: "hub", virtualNetworkPeeringName: "to-spoke" })).toBe(
      `${base}/Microsoft.Network/virtualNetworks/hub/virtualNetworkPeerings/to-spoke`,
    );
    expect(armId("azure-native:compute:VirtualMachine", "vm", rg)).toBe(`${base}/Microsoft.Compute/virtualMachines/vm`);
    expect(armId("azure-native:resources:ResourceGroup", "rg", {})).toBe("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg");
  });

  it("fall back to /mock/<type>/<name> when a parent name is unknown or the type is not described", () => {
    expect(armId("azure-native:network:Subnet", "s", { ...rg, virtualNetworkName: UNKNOWN_SENTINEL })).toBe("/mock/azure-native:network:Subnet/s");
    expect(armId("azure-native:network:Subnet", "s", { virtualNetworkName: "v" })).toBe("/mock/azure-native:network:Subnet/s");
    expect(armId("azure-native:storage:StorageAccount", "sa", rg)).toBe("/mock/azure-native:storage:StorageAccount/sa");
  });

  it("name resources by their own name input, else by their logical name", () => {
    expect(azureName("azure-native:network:NetworkInterface", "nic", { networkInterfaceName: "web-nic" })).toBe("web-nic");
    expect(azureName("azure-native:network:NetworkInterface", "nic", {})).toBe("nic");
    expect(pathParameters("azure-native:network:SecurityRule")).toEqual(["resourceGroupName", "networkSecurityGroupName", "securityRuleName"]);
  });
});

describe("mock answers", () => {
  const inputs = { resourceGroupName: "rg1", routeTableName: "rt", routes: [{ name: "r1", addressPrefix: "0.0.0.0/0" }] };

  it("first preview: no id, outputs are the inputs, inline children's ids unknown", () => {
    expect(mockResource("first", { type: "azure-native:network:RouteTable", name: "rt", custom: true, inputs })).toEqual({
      id: undefined,
      state: { ...inputs, routes: [{ name: "r1", addressPrefix: "0.0.0.0/0", id: UNKNOWN_SENTINEL }] },
    });
  });

  it("update preview: id, name and inline children's ids; path parameters dropped", () => {
    const id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.Network/routeTables/rt";
    expect(mockResource("update", { type: "azure-native:network:RouteTable", name: "rt", custom: true, inputs })).toEqual({
      id,
      state: { routes: [{ name: "r1", addressPrefix: "0.0.0.0/0", id: `${id}/routes/r1` }], id, name: "rt" },
    });
  });

  it("components have no id and no provider state", () => {
    expect(mockResource("update", { type: "my:index:Thing", name: "t", custom: false, inputs: { a: 1 } })).toEqual({ id: undefined, state: {} });
  });
});

describe("URNs and order", () => {
  it("leave the root stack out of the type chain and keep every other parent type", () => {
    expect(makeUrn("dev", "p", STACK, "azure-native:network:Subnet", "s")).toBe("urn:pulumi:dev::p::azure-native:network:Subnet::s");
    expect(makeUrn("dev", "p", "urn:pulumi:dev::p::a:b:C$a:b:D::d", "x:y:Z", "z")).toBe("urn:pulumi:dev::p::a:b:C$a:b:D$x:y:Z::z");
    expect(makeUrn("dev", "p", undefined, "pulumi:pulumi:Stack", "p-dev")).toBe("urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev");
  });

  it("puts parents and dependencies first, ties by URN, whatever the input order", () => {
    const items = [
      { urn: "d", dependencies: ["b"] },
      { urn: "c", parent: "a", dependencies: [] },
      { urn: "b", parent: "a", dependencies: ["missing"] },
      { urn: "a", dependencies: [] },
    ];
    expect(stableOrder(items).map((i) => i.urn)).toEqual(["a", "b", "c", "d"]);
    expect(stableOrder([...items].reverse()).map((i) => i.urn)).toEqual(["a", "b", "c", "d"]);
  });

  it("drops empty property dependency lists", () => {
    expect(nonEmptyDependencies({ b: ["x"], a: [], c: ["y", "z"] })).toEqual({ b: ["x"], c: ["y", "z"] });
  });
});

describe("stack config values", () => {
  it("namespace bare keys with the project and pass structured values as JSON", () => {
    expect(namespacedKey("proj", "prefix")).toBe("proj:prefix");
    expect(namespacedKey("proj", "azure-native:location")).toBe("azure-native:location");
    expect(configValueString("10.0.0.0/16")).toBe("10.0.0.0/16");
    expect(configValueString(3)).toBe("3");
    expect(configValueString({ env: "dev" })).toBe('{"env":"dev"}');
  });
});
