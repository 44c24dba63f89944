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

describe("copy on write: unchanged subtrees are shared, never rebuilt", () => {
  test("an object with nothing to convert is returned as it is; a changed one is a copy in the same key order", () => {
    const plain = { name: "a", rules: [{ priority: 100, ports: ["22", "3389"] }] };
    const raw = { z: 1, plain, id: UNKNOWN_STRING, a: 2 };
    const out = toPropertyValue(raw, "", R) as Record<string, unknown>;
    expect(out).not.toBe(raw);
    expect(out.plain).toBe(plain);
    expect(Object.keys(out)).toEqual(["z", "plain", "id", "a"]);
    expect(out.id).toEqual(unknown(".id", R));
    expect(raw.id).toBe(UNKNOWN_STRING);
    expect(toPropertyValue(plain, "", R)).toBe(plain);
  });

  test("arrays: a changed element copies the array; holes stay holes", () => {
    const list = [1, UNKNOWN_STRING, 3];
    expect(toPropertyValue(list, ".l", R)).toEqual([1, unknown(".l[1]", R), 3]);
    // eslint-disable-next-line no-sparse-arrays
    const holey = [1, , UNKNOWN_STRING];
    const out = toPropertyValue(holey, "", R) as unknown[];
    expect(out).toHaveLength(3);
    expect(1 in out).toBe(false);
  });

  test("what a copy would change is copied: class instances, __proto__ keys", () => {
    class Box {
      constructor(readonly v: number) {}
    }
    const box = new Box(1);
    const out = toPropertyValue({ box }, "", R) as Record<string, unknown>;
    expect(out.box).not.toBe(box);
    expect(Object.getPrototypeOf(out.box)).toBe(Object.prototype);
    const parsed = JSON.parse('{"__proto__": {"x": 1}, "y": 2}') as Record<string, unknown>;
    const converted = toPropertyValue(parsed, "", R) as Record<string, unknown>;
    expect(converted).not.toBe(parsed);
    // Data, never a prototype: nothing of it is inherited.
    expect(Object.getPrototypeOf(converted)).toBe(Object.prototype);
    expect(Object.keys(converted)).toEqual(["__proto__", "y"]);
    expect(converted.x).toBeUndefined();
  });
});
