import fc from "fast-check";
import { ipv4Number, parseIpAddress } from "../../src/sets/ip";

/** The grammar Azure accepts, written independently: four decimal octets 0..255 without leading zeros. */
const OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
const DOTTED_QUAD = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

/** The IPv4 value as a number, or -1 when the text is not an IPv4 address. */
function reference(text: string): number {
  const m = DOTTED_QUAD.exec(text);
  return m === null ? -1 : ((Number(m[1]) * 256 + Number(m[2])) * 256 + Number(m[3])) * 256 + Number(m[4]);
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
    "rejects %j, as the grammar does",
    (text) => {
      expect(ipv4Number(text)).toBe(-1);
      expect(reference(text)).toBe(-1);
    },
  );

  test("parseIpAddress reads IPv4 through it", () => {
    const p = parseIpAddress("10.0.0.4");
    expect(p.ok && p.family === 4 && p.value).toBe(0x0a000004n);
    expect(parseIpAddress("010.0.0.4").ok).toBe(false);
  });

  test("agrees with the grammar on dotted quads", () => {
    const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.constantFrom("00", "01", "007", "256", "999", "", "-1", "1a"));
    fc.assert(
      fc.property(fc.array(octet, { minLength: 1, maxLength: 6 }), (parts) => {
        const text = parts.join(".");
        expect(ipv4Number(text)).toBe(reference(text));
      }),
      { numRuns: 2000 },
    );
  });

  test("agrees with the grammar on arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("0", "1", "2", "5", "9", ".", ":", "a", " ", "/"), maxLength: 17 }), (text) => {
        expect(ipv4Number(text)).toBe(reference(text));
      }),
      { numRuns: 3000 },
    );
  });
});
