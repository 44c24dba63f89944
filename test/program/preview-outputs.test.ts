/**
 * azure-native's preview outputs, rule by rule (pulumi-azure-native provider/pkg/convert/previewOutputs.go:
 * PreviewOutputs and previewOutputValue; Update's stable `name` and `location`: provider/pkg/provider/provider.go).
 * Shapes are the real 3.28.0 declarations (see output-shapes.test.ts for the lines checked by hand).
 */
import * as path from "path";
import * as ts from "typescript";
import { mockResource, type ShapeSource } from "../../src/resources/program/mock-state";
import { OutputShapes, type PropertyShapes } from "../../src/resources/program/output-shapes";
import { previewOutputs } from "../../src/resources/program/preview-outputs";
import { UNKNOWN_SENTINEL as U, type WireObject } from "../../src/resources/program/values";

const ROOT = path.join(__dirname, "..", "..", "node_modules", "@pulumi", "azure-native");
const shapes = new OutputShapes(() => ts, ROOT);
const source: ShapeSource = { shapes };
const SECRET = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

const small: PropertyShapes = {
  s: { kind: "string" },
  n: { kind: "number" },
  b: { kind: "boolean" },
  c: { kind: "const", value: "Fixed" },
  arr: { kind: "array", items: { kind: "string" } },
  m: { kind: "map", values: { kind: "number" } },
  any: { kind: "any" },
  u: { kind: "untyped" },
  one: { kind: "oneOf" },
  sub: { kind: "object", ref: "network.SubResourceResponse" },
};

describe("previewOutputs on single properties", () => {
  test.each<[string, WireObject, WireObject]>([
    ["unset properties are computed, whatever their type; a Const is its value", {}, { s: U, n: U, b: U, c: "Fixed", arr: U, m: U, any: U, u: U, one: U, sub: U }],
    ["set scalars of the right kind pass", { s: "x", n: 1, b: false }, { s: "x", n: 1, b: false }],
    ["a scalar of the wrong kind is computed", { s: 5, n: "5", b: "true" }, { s: U, n: U, b: U }],
    ["an unknown input is computed", { s: U, arr: U, sub: U }, { s: U, arr: U, sub: U }],
    ["a Const ignores the input", { c: "Other" }, { c: "Fixed" }],
    ["arrays map their items (an unknown item stays unknown)", { arr: ["a", U, 3] }, { arr: ["a", U, U] }],
    ["maps map their values", { m: { a: 1, b: "x" } }, { m: { a: 1, b: U } }],
    ["Any passes anything through", { any: { deep: [1, U] } }, { any: { deep: [1, U] } }],
    ["untyped passes scalars, computes objects", { u: { a: 1 } }, { u: U }],
    ["oneOf passes an object through unchanged", { one: { whatever: U } }, { one: { whatever: U } }],
    ["an object recurses into the response type; keys it does not have are dropped", { sub: { id: "/x", extra: 1 } }, { sub: { id: "/x" } }],
  ])("%s", (_name, inputs, expected) => {
    expect(previewOutputs(inputs, small, shapes)).toEqual({ ...previewOutputs({}, small, shapes), ...expected });
  });

  it("drops inputs that are no response property", () => {
    expect(previewOutputs({ resourceGroupName: "rg", s: "x" }, { s: { kind: "string" } }, shapes)).toEqual({ s: "x" });
  });
});

describe("the mock's answers for azure-native resources", () => {
  const rule = {
    name: "allow-ssh",
    priority: 100,
    direction: "Inbound",
    access: "Allow",
    protocol: "Tcp",
    sourceAddressPrefix: "10.0.0.0/8",
    sourcePortRange: "*",
    destinationAddressPrefix: "*",
    destinationPortRange: "22",
  };
  const nsg = { type: "azure-native:network:NetworkSecurityGroup", name: "nsg", custom: true, inputs: { resourceGroupName: "rg", networkSecurityGroupName: "web-nsg", location: "westeurope", securityRules: [rule] } };

  it("first preview of an NSG with an inline rule: no id; unset response properties computed, inside the rule too", () => {
    const answer = mockResource("first", nsg, source);
    expect(answer.id).toBeUndefined();
    expect(answer.shaped).toBe(true);
    const outputs = answer.state;
    expect(outputs["resourceGroupName"]).toBeUndefined();
    expect(outputs["networkSecurityGroupName"]).toBeUndefined();
    expect(outputs["location"]).toBe("westeurope");
    expect(outputs["name"]).toBe(U);
    expect(outputs["defaultSecurityRules"]).toBe(U);
    expect(outputs["subnets"]).toBe(U);
    const [r] = outputs["securityRules"] as WireObject[];
    expect(r).toMatchObject({ ...rule, sourceAddressPrefixes: U, sourcePortRanges: U, destinationAddressPrefixes: U, destinationPortRanges: U, id: U, etag: U, provisioningState: U, sourceApplicationSecurityGroups: U });
  });

  it("update preview: the old id, name and location; everything else as at a first preview", () => {
    const answer = mockResource("update", nsg, source);
    expect(answer.id).toBe("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/web-nsg");
    expect(answer.state["name"]).toBe("web-nsg");
    expect(answer.state["location"]).toBe("westeurope");
    const first = mockResource("first", nsg, source).state;
    expect({ ...answer.state, name: U }).toEqual({ ...first, name: U });
  });

  it("deployed: the state (inputs without path parameters, id, name, inline ids), not preview outputs", () => {
    const answer = mockResource("deployed", nsg, source);
    expect(answer.shaped).toBeUndefined();
    expect(answer.state["securityRules"]).toEqual([{ ...rule, id: `${String(answer.id)}/securityRules/allow-ssh` }]);
    expect(answer.state["defaultSecurityRules"]).toBeUndefined();
  });

  it("a NIC's ip configuration: the subnet reference mapped into SubnetResponse, an unknown id kept unknown", () => {
    const nic = {
      type: "azure-native:network:NetworkInterface",
      name: "nic",
      custom: true,
      inputs: { resourceGroupName: "rg", networkInterfaceName: "nic", ipConfigurations: [{ name: "ipconfig1", subnet: { id: U }, privateIPAllocationMethod: "Dynamic" }] },
    };
    const [ipc] = mockResource("first", nic, source).state["ipConfigurations"] as WireObject[];
    expect(ipc?.["privateIPAddress"]).toBe(U);
    expect(ipc?.["privateIPAllocationMethod"]).toBe("Dynamic");
    const subnet = ipc?.["subnet"] as WireObject;
    expect(subnet["id"]).toBe(U);
    expect(subnet["addressPrefix"]).toBe(U);
    expect(subnet["networkSecurityGroup"]).toBe(U);
  });

  it("a secret input comes back secret; the provider saw the plaintext", () => {
    const rg = { type: "azure-native:resources:ResourceGroup", name: "rg", custom: true, inputs: { resourceGroupName: "rg", location: { [SECRET]: SECRET_SIG, value: "westeurope" } } };
    expect(mockResource("first", rg, source).state["location"]).toEqual({ [SECRET]: SECRET_SIG, value: "westeurope" });
  });

  it("types without a declared shape keep the old behaviour (outputs are the inputs) and are reported", () => {
    const missing: string[] = [];
    const versioned = { type: "azure-native:network/v20240501:Subnet", name: "s", custom: true, inputs: { addressPrefix: "10.0.0.0/24" } };
    expect(mockResource("first", versioned, { shapes, missing: (t) => missing.push(t) })).toEqual({ id: undefined, state: { addressPrefix: "10.0.0.0/24" } });
    expect(missing).toEqual(["azure-native:network/v20240501:Subnet"]);
    const other = { type: "random:index/randomString:RandomString", name: "r", custom: true, inputs: { length: 8 } };
    expect(mockResource("first", other, source)).toEqual({ id: undefined, state: { length: 8 } });
  });
});
