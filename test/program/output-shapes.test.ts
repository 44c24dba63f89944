/**
 * The output shapes derived from the installed @pulumi/azure-native 3.28.0 declarations, against resources checked
 * by hand in node_modules/@pulumi/azure-native:
 * - network/subnet.d.ts:30-130 (`readonly addressPrefix: pulumi.Output<string | undefined>` ...
 *   `networkSecurityGroup: pulumi.Output<outputs.network.NetworkSecurityGroupResponse | undefined>` at :82,
 *   `azureApiVersion: pulumi.Output<string>` at :42);
 * - network/networkSecurityGroup.d.ts:33 `defaultSecurityRules: ...SecurityRuleResponse[]`, :45 `flushConnection:
 *   boolean | undefined`, :69 `securityRules: ...SecurityRuleResponse[] | undefined`;
 * - network/networkInterface.d.ts:62 `enableIPForwarding: boolean | undefined`, :78 `ipConfigurations:
 *   ...NetworkInterfaceIPConfigurationResponse[] | undefined`;
 * - types/output.d.ts:191491-191571 `interface SecurityRuleResponse` (access: string, destinationAddressPrefixes?:
 *   string[], priority: number, sourceApplicationSecurityGroups?: ApplicationSecurityGroupResponse[], ...),
 *   :186460 `NetworkInterfaceIPConfigurationResponse` (subnet?: SubnetResponse, primary?: boolean,
 *   privateIPAddressPrefixLength?: number), :192489 `SubResourceResponse { id?: string }`,
 *   :135568 `odataType: "#Microsoft.Azure.FrontDoor.Models.FrontdoorForwardingConfiguration"` (a Const).
 */
import * as path from "path";
import * as ts from "typescript";
import { namespaceInterfaceShapes, namespaceText, OutputShapes, resourceFileName, resourceOutputShapes } from "../../src/resources/program/output-shapes";

const ROOT = path.join(__dirname, "..", "..", "node_modules", "@pulumi", "azure-native");
const shapes = new OutputShapes(() => ts, ROOT);

describe("output shapes of hand-checked azure-native 3.28.0 resources", () => {
  test.each([
    ["network", "Subnet", "addressPrefix", { kind: "string" }],
    ["network", "Subnet", "addressPrefixes", { kind: "array", items: { kind: "string" } }],
    ["network", "Subnet", "networkSecurityGroup", { kind: "object", ref: "network.NetworkSecurityGroupResponse" }],
    ["network", "Subnet", "ipConfigurations", { kind: "array", items: { kind: "object", ref: "network.IPConfigurationResponse" } }],
    ["network", "Subnet", "defaultOutboundAccess", { kind: "boolean" }],
    ["network", "NetworkSecurityGroup", "securityRules", { kind: "array", items: { kind: "object", ref: "network.SecurityRuleResponse" } }],
    ["network", "NetworkSecurityGroup", "defaultSecurityRules", { kind: "array", items: { kind: "object", ref: "network.SecurityRuleResponse" } }],
    ["network", "NetworkSecurityGroup", "flushConnection", { kind: "boolean" }],
    ["network", "NetworkSecurityGroup", "tags", { kind: "map", values: { kind: "string" } }],
    ["network", "NetworkInterface", "ipConfigurations", { kind: "array", items: { kind: "object", ref: "network.NetworkInterfaceIPConfigurationResponse" } }],
    ["network", "NetworkInterface", "enableIPForwarding", { kind: "boolean" }],
  ] as const)("%s:%s.%s", (mod, resource, prop, expected) => {
    expect(shapes.resource(mod, resource)?.[prop]).toEqual(expected);
  });

  it("leaves out what is no response property: azureApiVersion (added by the provider after a real operation)", () => {
    const subnet = shapes.resource("network", "Subnet") ?? {};
    expect(Object.keys(subnet)).not.toContain("azureApiVersion");
    expect(Object.keys(subnet)).not.toContain("urn");
    expect(Object.keys(subnet)).not.toContain("id");
    // Path parameters are inputs only.
    expect(Object.keys(subnet)).not.toContain("virtualNetworkName");
    expect(Object.keys(subnet)).not.toContain("resourceGroupName");
    expect(Object.keys(subnet)).toEqual(expect.arrayContaining(["name", "etag", "provisioningState", "type", "routeTable", "natGateway"]));
  });

  test.each([
    ["network.SecurityRuleResponse", "access", { kind: "string" }],
    ["network.SecurityRuleResponse", "priority", { kind: "number" }],
    ["network.SecurityRuleResponse", "destinationAddressPrefixes", { kind: "array", items: { kind: "string" } }],
    ["network.SecurityRuleResponse", "sourceApplicationSecurityGroups", { kind: "array", items: { kind: "object", ref: "network.ApplicationSecurityGroupResponse" } }],
    ["network.SecurityRuleResponse", "id", { kind: "string" }],
    ["network.NetworkInterfaceIPConfigurationResponse", "subnet", { kind: "object", ref: "network.SubnetResponse" }],
    ["network.NetworkInterfaceIPConfigurationResponse", "primary", { kind: "boolean" }],
    ["network.NetworkInterfaceIPConfigurationResponse", "privateIPAddressPrefixLength", { kind: "number" }],
    ["network.SubResourceResponse", "id", { kind: "string" }],
    ["frontdoor.ForwardingConfigurationResponse", "odataType", { kind: "const", value: "#Microsoft.Azure.FrontDoor.Models.FrontdoorForwardingConfiguration" }],
  ] as const)("%s.%s", (ref, prop, expected) => {
    expect(shapes.type(ref)?.[prop]).toEqual(expected);
  });

  it("SubResourceResponse has exactly one property", () => {
    expect(shapes.type("network.SubResourceResponse")).toEqual({ id: { kind: "string" } });
  });

  it("answers undefined for what the package does not declare", () => {
    expect(shapes.resource("network", "NoSuchThing")).toBeUndefined();
    expect(shapes.resource("../etc", "Subnet")).toBeUndefined();
    expect(shapes.type("network.NoSuchResponse")).toBeUndefined();
    expect(shapes.type("nosuchnamespace.X")).toBeUndefined();
  });
});

describe("the declaration readers on small inputs", () => {
  it("reads only pulumi.Output members of the named class, unions with undefined collapsed", () => {
    const source = `export declare class Foo extends pulumi.CustomResource {
      static get(name: string): Foo;
      static isInstance(obj: any): obj is Foo;
      readonly a: pulumi.Output<string | undefined>;
      readonly b: pulumi.Output<{ [key: string]: number }>;
      readonly c: pulumi.Output<outputs.mod.BarResponse[]>;
      readonly d: pulumi.Output<any>;
      readonly e: pulumi.Output<string | number>;
      readonly f: pulumi.Output<outputs.mod.A | outputs.mod.B>;
      readonly azureApiVersion: pulumi.Output<string>;
      constructor(name: string, args: FooArgs);
    }`;
    expect(resourceOutputShapes(ts, source, "Foo", "mod")).toEqual({
      a: { kind: "string" },
      b: { kind: "map", values: { kind: "number" } },
      c: { kind: "array", items: { kind: "object", ref: "mod.BarResponse" } },
      d: { kind: "any" },
      e: { kind: "untyped" },
      f: { kind: "oneOf" },
    });
    expect(resourceOutputShapes(ts, source, "Other", "mod")).toBeUndefined();
  });

  it("slices one top-level namespace and ignores nested ones", () => {
    const dts = [
      "export declare namespace aaa {",
      "    interface XResponse {",
      "        x?: string;",
      "    }",
      "}",
      "export declare namespace mod {",
      "    interface BarResponse {",
      "        n: number;",
      "        kids?: outputs.mod.BarResponse[];",
      "    }",
      "    namespace v1 {",
      "        interface BarResponse {",
      "            old?: string;",
      "        }",
      "    }",
      "}",
      "",
    ].join("\n");
    const text = namespaceText(dts, "mod") ?? "";
    expect(text.startsWith("\nexport declare namespace mod {")).toBe(true);
    expect(namespaceInterfaceShapes(ts, text, "mod")).toEqual(
      new Map([["mod.BarResponse", { n: { kind: "number" }, kids: { kind: "array", items: { kind: "object", ref: "mod.BarResponse" } } }]]),
    );
    expect(namespaceText(dts, "aaa")).toContain("XResponse");
    expect(namespaceText(dts, "zzz")).toBeUndefined();
  });

  test.each([
    ["Subnet", "subnet"],
    ["PublicIPAddress", "publicIPAddress"],
    ["NetworkInterface", "networkInterface"],
  ])("%s is declared in %s.d.ts", (resource, file) => {
    expect(resourceFileName(resource)).toBe(file);
  });
});
