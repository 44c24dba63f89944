import { unknown } from "../../src/model/unknown";
import {
  isUnknownSentinel,
  SECRET_SIG,
  SPECIAL_SIG_KEY,
  toPropertyObject,
  toPropertyValue,
  UNKNOWN_ARCHIVE,
  UNKNOWN_ARRAY,
  UNKNOWN_ASSET,
  UNKNOWN_BOOLEAN,
  UNKNOWN_NUMBER,
  UNKNOWN_OBJECT,
  UNKNOWN_STRING,
} from "../../src/resources/unknowns";

const R = "urn:pulumi:dev::p::azure-native:network:NetworkInterface::nic";

describe("unknown sentinels", () => {
  test("the constants are Pulumi's (as @pulumi/policy's proxy defines them)", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const proxy = require("@pulumi/policy/proxy") as Record<string, string>;
    expect([UNKNOWN_STRING, UNKNOWN_BOOLEAN, UNKNOWN_NUMBER, UNKNOWN_ARRAY, UNKNOWN_OBJECT, UNKNOWN_ASSET, UNKNOWN_ARCHIVE]).toEqual([
      proxy.unknownStringValue,
      proxy.unknownBooleanValue,
      proxy.unknownNumberValue,
      proxy.unknownArrayValue,
      proxy.unknownObjectValue,
      proxy.unknownAssetValue,
      proxy.unknownArchiveValue,
    ]);
  });

  test.each([UNKNOWN_STRING, UNKNOWN_BOOLEAN, UNKNOWN_NUMBER, UNKNOWN_ARRAY, UNKNOWN_OBJECT, UNKNOWN_ASSET, UNKNOWN_ARCHIVE])(
    "%s is a sentinel and becomes an Unknown with its path",
    (s) => {
      expect(isUnknownSentinel(s)).toBe(true);
      expect(toPropertyValue({ a: [{ b: s }] }, "", R)).toEqual({ a: [{ b: unknown(".a[0].b", R) }] });
    },
  );

  test("path shape: .ipConfigurations[0].subnet.id", () => {
    const props = toPropertyObject({ ipConfigurations: [{ name: "c", subnet: { id: UNKNOWN_STRING } }] }, R);
    expect(props).toEqual({ ipConfigurations: [{ name: "c", subnet: { id: unknown(".ipConfigurations[0].subnet.id", R) } }] });
  });

  test("keys that are not identifiers are quoted in the path", () => {
    expect(toPropertyValue({ "a-b": UNKNOWN_STRING }, "", R)).toEqual({ "a-b": unknown('["a-b"]', R) });
  });

  test("ordinary values pass through; undefined keys are dropped; non-finite numbers become null", () => {
    expect(toPropertyValue({ s: "x", n: 1, b: false, z: null, u: undefined, arr: [1, undefined], inf: Infinity }, "", R)).toEqual({
      s: "x",
      n: 1,
      b: false,
      z: null,
      arr: [1, null],
      inf: null,
    });
  });

  test("a top-level bag that is not an object is empty", () => {
    expect(toPropertyObject(UNKNOWN_OBJECT, R)).toEqual({});
    expect(toPropertyObject([1], R)).toEqual({});
    expect(toPropertyObject(undefined, R)).toEqual({});
  });
});

describe("secrets", () => {
  test("plaintext: the JSON-parsed value", () => {
    const secret = { [SPECIAL_SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify({ user: "admin", ports: [22] }) };
    expect(toPropertyValue({ osProfile: secret }, "", R)).toEqual({ osProfile: { user: "admin", ports: [22] } });
  });

  test("plaintext string secret", () => {
    expect(toPropertyValue({ p: { [SPECIAL_SIG_KEY]: SECRET_SIG, plaintext: '"hunter2"' } }, "", R)).toEqual({ p: "hunter2" });
  });

  test("ciphertext: Unknown with reason secret", () => {
    const secret = { [SPECIAL_SIG_KEY]: SECRET_SIG, ciphertext: "v1:abc" };
    expect(toPropertyValue({ osProfile: { adminPassword: secret } }, "", R)).toEqual({
      osProfile: { adminPassword: unknown(".osProfile.adminPassword", R, "secret") },
    });
  });

  test("an already unwrapped secret value ({sig, value}) is its value", () => {
    expect(toPropertyValue({ [SPECIAL_SIG_KEY]: SECRET_SIG, value: "10.0.0.0/8" }, ".x", R)).toBe("10.0.0.0/8");
  });

  test("a plaintext that is not JSON is taken as text", () => {
    expect(toPropertyValue({ [SPECIAL_SIG_KEY]: SECRET_SIG, plaintext: "not json" }, ".x", R)).toBe("not json");
  });

  test("output values: known value unwrapped, missing value unknown", () => {
    const sig = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
    expect(toPropertyValue({ a: { [SPECIAL_SIG_KEY]: sig, value: 5 }, b: { [SPECIAL_SIG_KEY]: sig } }, "", R)).toEqual({ a: 5, b: unknown(".b", R) });
  });
});
