import fc from "fast-check";
import { ipv4Number } from "../../src/engine/ipv4-number";
import { parseIpAddress } from "../../src/sets/ip";

/** What sets/ip.ts makes of the text: the IPv4 value as a number, or -1 when it is not an IPv4 address. */
function reference(text: string): number {
  const p = parseIpAddress(text);
  return p.ok && p.family === 4 ? Number(p.value) : -1;
}

describe("ipv4Number", () => {
  test.each([
    ["0.0.0.0", 0],
    ["10.0.0.4", 0x0a000004],
    ["255.255.255.255", 0xffffffff],
    ["203.0.113.9", 0xcb007109],
  ])("%s", (text, value) => {
    expect(ipv4Number(text)).toBe(value);
  });

  test.each(["", "10.0.0", "10.0.0.4.5", "010.0.0.4", "10.0.0.04", "256.0.0.1", "10.0.0.-1", " 10.0.0.4", "10.0.0.4\n", "10..0.4", "1.2.3.4/32", "::ffff:10.0.0.4", "1e1.0.0.1"])(
    "rejects %j, as sets/ip.ts does",
    (text) => {
      expect(ipv4Number(text)).toBe(-1);
      expect(reference(text)).toBe(-1);
    },
  );

  test("agrees with parseIpAddress on dotted quads", () => {
    const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.constantFrom("00", "01", "007", "256", "999", "", "-1", "1a"));
    fc.assert(
      fc.property(fc.array(octet, { minLength: 1, maxLength: 6 }), (parts) => {
        const text = parts.join(".");
        expect(ipv4Number(text)).toBe(reference(text));
      }),
      { numRuns: 2000 },
    );
  });

  test("agrees with parseIpAddress on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("0", "1", "2", "5", "9", ".", ":", "a", " ", "/"), maxLength: 17 }), (text) => {
        expect(ipv4Number(text)).toBe(reference(text));
      }),
      { numRuns: 3000 },
    );
  });
});
