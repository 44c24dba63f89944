import { unknown } from "../../src/model/unknown";
import { rawProps, recordsFromPolicyResources, type PolicyResourceLike } from "../../src/resources/policy-args";
import { SECRET_SIG, SPECIAL_SIG_KEY, UNKNOWN_STRING } from "../../src/resources/unknowns";

// The real proxy @pulumi/policy wraps props in (exported at runtime, typed any).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as { unknownCheckingProxy: (o: object) => Record<string, unknown> };

const P = "urn:pulumi:dev::p::";
const NIC = `${P}azure-native:network:NetworkInterface::nic`;
const SUBNET = `${P}azure-native:network:Subnet::subnet`;

function nicResource(props: Record<string, unknown>): PolicyResourceLike {
  return {
    type: "azure-native:network:NetworkInterface",
    urn: NIC,
    name: "nic",
    props,
    parent: { urn: `${P}pulumi:pulumi:Stack::p-dev` },
    dependencies: [{ urn: SUBNET }],
    propertyDependencies: { ipConfigurations: [{ urn: SUBNET }] },
  };
}

const RAW = {
  ipConfigurations: [{ name: "c", subnet: { id: UNKNOWN_STRING } }],
  tags: { tier: "web" },
  __inputs: { networkInterfaceName: "nic-1", resourceGroupName: "rg" },
};

describe("recordsFromPolicyResources", () => {
  test("reading an unknown through the proxy throws (the reason for unwrapping)", () => {
    const proxied = unknownCheckingProxy(RAW);
    expect(() => JSON.stringify(proxied)).toThrow(/can't be known during preview/);
  });

  test("props are read through the raw target: sentinels become Unknown with their path", () => {
    const [r] = recordsFromPolicyResources([nicResource(unknownCheckingProxy(RAW))]);
    expect(r.props.ipConfigurations).toEqual([{ name: "c", subnet: { id: unknown(".ipConfigurations[0].subnet.id", NIC) } }]);
    expect(r).toMatchObject({
      urn: NIC,
      type: "azure-native:network:NetworkInterface",
      name: "nic",
      parent: `${P}pulumi:pulumi:Stack::p-dev`,
      dependencies: [SUBNET],
      propertyDependencies: { ipConfigurations: [SUBNET] },
      custom: true,
      origin: "policy",
      id: undefined,
    });
  });

  test("plain objects work too, and give the same record", () => {
    const [a] = recordsFromPolicyResources([nicResource(unknownCheckingProxy(RAW))]);
    const [b] = recordsFromPolicyResources([nicResource(RAW)]);
    expect(b).toEqual(a);
  });

  test("azure-native's __inputs become the record inputs (path parameters)", () => {
    const [r] = recordsFromPolicyResources([nicResource(RAW)]);
    expect(r.inputs).toEqual({ networkInterfaceName: "nic-1", resourceGroupName: "rg" });
  });

  test("the id output, when present, is the record id; an unknown one stays unknown", () => {
    const [a] = recordsFromPolicyResources([nicResource({ id: "/subscriptions/x/nic" })]);
    expect(a.id).toBe("/subscriptions/x/nic");
    const [b] = recordsFromPolicyResources([nicResource(unknownCheckingProxy({ id: UNKNOWN_STRING }))]);
    expect(b.id).toEqual(unknown(".id", NIC));
  });

  test("secrets: ciphertext unknown, plaintext unwrapped", () => {
    const [r] = recordsFromPolicyResources([
      nicResource({
        a: { [SPECIAL_SIG_KEY]: SECRET_SIG, ciphertext: "v1:x" },
        b: { [SPECIAL_SIG_KEY]: SECRET_SIG, plaintext: "[1,2]" },
      }),
    ]);
    expect(r.props).toEqual({ a: unknown(".a", NIC, "secret"), b: [1, 2] });
  });

  test("stack and providers are skipped; components are kept and not custom when they have no provider", () => {
    const records = recordsFromPolicyResources([
      { type: "pulumi:pulumi:Stack", urn: `${P}pulumi:pulumi:Stack::p-dev`, name: "p-dev", props: {}, dependencies: [], propertyDependencies: {} },
      { type: "pulumi:providers:azure-native", urn: `${P}pulumi:providers:azure-native::default`, name: "default", props: {}, dependencies: [], propertyDependencies: {} },
      { type: "my:index:Tier", urn: `${P}my:index:Tier::t`, name: "t", props: {}, dependencies: [], propertyDependencies: {}, provider: undefined },
      { ...nicResource({}), provider: { urn: "prov" } },
    ]);
    expect(records.map((r) => [r.name, r.custom])).toEqual([
      ["t", false],
      ["nic", true],
    ]);
  });

  test("rawProps leaves plain values alone", () => {
    const o = { a: 1 };
    expect(rawProps(o)).toBe(o);
    expect(rawProps(undefined)).toBeUndefined();
  });
});
