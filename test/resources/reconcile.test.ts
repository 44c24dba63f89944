/**
 * Preview outputs read together with the planned inputs.
 *
 * The output shapes below are what azure-native returns at preview (pulumi-azure-native
 * provider/pkg/convert/previewOutputs.go, PreviewOutputs): every property of the response type
 * (@pulumi/azure-native types/output.d.ts, SecurityRuleResponse: access, description, destinationAddressPrefix(es),
 * destination ASGs, destinationPortRange(s), direction, etag, id, name, priority, protocol, provisioningState,
 * sourceAddressPrefix(es), source ASGs, sourcePortRange(s), type) that the input does not set is computed (the
 * unknown string sentinel whatever its type), nested objects and array items included; path parameters
 * (`networkSecurityGroupName`, `resourceGroupName`) are dropped.
 */
import { isUnknown, unknown } from "../../src/model/unknown";
import { readPreview } from "../../src/resources/preview";
import type { PropertyObject } from "../../src/resources/record";
import { reconcilePreviewProps } from "../../src/resources/reconcile";
import { MASKED_SECRET, UNKNOWN_STRING, toPropertyObject } from "../../src/resources/unknowns";

const U = UNKNOWN_STRING;
const URN = "urn:pulumi:dev::p::azure-native:network:NetworkSecurityGroup::nsg";

const RULE_INPUT = {
  name: "allow-https",
  priority: 100,
  direction: "Inbound",
  access: "Allow",
  protocol: "Tcp",
  sourceAddressPrefix: "Internet",
  sourcePortRange: "*",
  destinationAddressPrefix: "*",
  destinationPortRange: "443",
};

/** SecurityRuleResponse as PreviewOutputs fills it from RULE_INPUT. */
const RULE_PREVIEW_OUTPUT = {
  ...RULE_INPUT,
  description: U,
  destinationAddressPrefixes: U,
  destinationApplicationSecurityGroups: U,
  destinationPortRanges: U,
  etag: U,
  id: U,
  provisioningState: U,
  sourceAddressPrefixes: U,
  sourceApplicationSecurityGroups: U,
  sourcePortRanges: U,
  type: U,
};

const NSG_INPUTS = { location: "westeurope", networkSecurityGroupName: "nsg", resourceGroupName: "rg", securityRules: [RULE_INPUT] };
/** NetworkSecurityGroupResponse: unset collections and computed fields unknown; path parameters gone. */
const NSG_PREVIEW_OUTPUTS = {
  location: "westeurope",
  securityRules: [RULE_PREVIEW_OUTPUT],
  defaultSecurityRules: U,
  etag: U,
  flowLogs: U,
  flushConnection: U,
  id: U,
  name: U,
  networkInterfaces: U,
  provisioningState: U,
  resourceGuid: U,
  subnets: U,
  tags: U,
  type: U,
};

const props = (raw: object): PropertyObject => toPropertyObject(raw, URN);

describe("reconcilePreviewProps", () => {
  const reconciled = reconcilePreviewProps(props(NSG_PREVIEW_OUTPUTS), props(NSG_INPUTS));

  test("a rule the user set reads as the user set it: no plural field appears beside a singular one", () => {
    const rules = reconciled.securityRules as PropertyObject[];
    expect(rules).toHaveLength(1);
    const { id, ...rest } = rules[0];
    expect(rest).toEqual(RULE_INPUT);
    expect(isUnknown(id)).toBe(true);
  });

  test("unset properties are absent, not unknown; ids stay unknown", () => {
    expect(Object.keys(reconciled).sort()).toEqual(["id", "location", "securityRules"]);
    expect(reconciled.id).toEqual(unknown(".id", URN));
  });

  test("an input that is itself unknown stays unknown (a reference to a resource not created yet)", () => {
    const inputs = props({ ...NSG_INPUTS, securityRules: [{ ...RULE_INPUT, sourceApplicationSecurityGroups: [{ id: U }] }] });
    const outputs = props({ ...NSG_PREVIEW_OUTPUTS, securityRules: [{ ...RULE_PREVIEW_OUTPUT, sourceApplicationSecurityGroups: [{ id: U, location: U }] }] });
    const rule = (reconcilePreviewProps(outputs, inputs).securityRules as PropertyObject[])[0];
    const asgs = rule.sourceApplicationSecurityGroups as PropertyObject[];
    expect(asgs).toHaveLength(1);
    expect(isUnknown(asgs[0].id)).toBe(true);
    expect(asgs[0].location).toBeUndefined();
  });

  test("known outputs win over inputs (update previews and unchanged resources carry real values)", () => {
    const outputs = props({ location: "westeurope", name: "nsg", securityRules: [{ ...RULE_INPUT, id: "/x/securityRules/allow-https" }] });
    expect(reconcilePreviewProps(outputs, props(NSG_INPUTS))).toBe(outputs);
  });

  test("no inputs: outputs as they are", () => {
    const outputs = props(NSG_PREVIEW_OUTPUTS);
    expect(reconcilePreviewProps(outputs, undefined)).toBe(outputs);
  });

  test("arrays of different lengths are not paired: outputs stay as they are, and the mismatch is reported", () => {
    // The provider maps each input item to one output item; a mismatch pairs items wrongly (fuzz seed 848772591
    // mutant 219: a duplicated input subnet gave the next subnet its neighbour's NSG, silently).
    const heard: unknown[] = [];
    const outputs = props({ securityRules: [RULE_PREVIEW_OUTPUT, U] });
    const out = reconcilePreviewProps(outputs, props({ securityRules: [RULE_INPUT] }), (m) => heard.push(m));
    expect(out.securityRules).toBe(outputs.securityRules);
    expect(isUnknown((out.securityRules as unknown[])[1] as never)).toBe(true);
    expect(heard).toEqual([{ path: "securityRules", outputs: 2, inputs: 1 }]);
  });

  test("a nested mismatch names its path", () => {
    const heard: unknown[] = [];
    reconcilePreviewProps(props({ subnets: [{ name: "a", serviceEndpoints: [U, U] }] }), props({ subnets: [{ name: "a", serviceEndpoints: [{ service: "Microsoft.Storage" }] }] }), (m) => heard.push(m));
    expect(heard).toEqual([{ path: "subnets[0].serviceEndpoints", outputs: 2, inputs: 1 }]);
  });

  test("a `__proto__` key never becomes a prototype", () => {
    const outputs = JSON.parse(`{"__proto__": "${U}", "a": "${U}"}`) as object;
    const inputs = JSON.parse(`{"__proto__": "x", "a": 1}`) as object;
    const out = reconcilePreviewProps(props(outputs), props(inputs));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, "__proto__")?.value).toBe("x");
    expect(out.a).toBe(1);
  });
});

describe("the preview reader reconciles planned states", () => {
  const doc = {
    steps: [
      {
        op: "create",
        urn: URN,
        newState: { urn: URN, type: "azure-native:network:NetworkSecurityGroup", custom: true, inputs: NSG_INPUTS, outputs: NSG_PREVIEW_OUTPUTS },
      },
    ],
  };

  test("a duplicated input item is a diagnostic naming the resource and the array, and nothing is paired wrongly", () => {
    const dup = { ...doc, steps: [{ ...doc.steps[0], newState: { ...doc.steps[0].newState, inputs: { ...NSG_INPUTS, securityRules: [...(NSG_INPUTS.securityRules as unknown[]), ...(NSG_INPUTS.securityRules as unknown[])] } } }] };
    const read = readPreview(dup, "preview.json");
    if (!read.ok) throw new Error(read.error);
    expect(read.diagnostics.map((d) => [d.code, d.resource, d.field])).toEqual([["malformed-resource", URN, "securityRules"]]);
    expect(read.diagnostics[0].message).toMatch(/securityRules has \d+ items in the outputs but \d+ in the planned inputs/);
  });

  test("props are the reconciled outputs; inputs keep the path parameters", () => {
    const read = readPreview(doc, "preview.json");
    if (!read.ok) throw new Error(read.error);
    const [r] = read.records;
    expect(Object.keys(r.props).sort()).toEqual(["id", "location", "securityRules"]);
    expect(r.inputs?.networkSecurityGroupName).toBe("nsg");
    expect(isUnknown(r.id as never)).toBe(true);
  });
});

describe("masked secrets", () => {
  test.each([
    ["a string", MASKED_SECRET],
    ["an array item", [MASKED_SECRET]],
  ])("`[secret]` as %s is an Unknown with the reason secret", (_what, value) => {
    const p = props({ v: value });
    const v = Array.isArray(p.v) ? p.v[0] : p.v;
    expect(v).toEqual(unknown(Array.isArray(value) ? ".v[0]" : ".v", URN, "secret"));
  });
});
