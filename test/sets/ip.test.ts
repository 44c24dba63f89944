import fc from "fast-check";
import { formatFlow, formatIp, IntervalSet, IpSet, parseIpAddress, parsePrefix, rangeToCidrs } from "../../src/sets";

describe("parseIpAddress", () => {
  test.each<[string, 4 | 6, bigint, string]>([
    ["10.0.0.1", 4, 0x0a000001n, "10.0.0.1"],
    ["0.0.0.0", 4, 0n, "0.0.0.0"],
    ["255.255.255.255", 4, 0xffffffffn, "255.255.255.255"],
    ["::", 6, 0n, "::"],
    ["::1", 6, 1n, "::1"],
    ["2001:db8::1", 6, 0x20010db8000000000000000000000001n, "2001:db8::1"],
    ["2001:0DB8:0000:0000:0000:0000:0000:0001", 6, 0x20010db8000000000000000000000001n, "2001:db8::1"],
    ["::ffff:10.0.0.1", 6, 0xffff0a000001n, "::ffff:10.0.0.1"],
    ["::ffff:a00:1", 6, 0xffff0a000001n, "::ffff:10.0.0.1"],
    // IPv4-compatible form: the dotted tail is the low 32 bits, not an IPv4-mapped address.
    ["::10.0.0.1", 6, 0x0a000001n, "::a00:1"],
    ["1:2:3:4:5:6:7:8", 6, 0x00010002000300040005000600070008n, "1:2:3:4:5:6:7:8"],
    ["fe80::", 6, 0xfe80n << 112n, "fe80::"],
  ])("accepts %s", (text, family, value, canonical) => {
    expect(parseIpAddress(text)).toEqual({ ok: true, family, value, text: canonical });
  });

  test.each([
    "10.1",
    "10.0.1",
    "010.0.0.1",
    "0x0a.0.0.1",
    "167772161",
    "10.0.0.256",
    "10.0.0.1 ",
    " 10.0.0.1",
    "10.0.0.",
    "10..0.1",
    "",
    "1::2::3",
    "1:2:3:4:5:6:7:8:9",
    "12345::",
    "fe80::1%eth0",
    "::ffff:010.0.0.1",
    "::ffff:1.2.3",
    "gggg::",
    ":::",
    "10.0.0.0/24",
    "localhost",
  ])("rejects %j", (text) => {
    expect(parseIpAddress(text)).toEqual({ ok: false, error: `"${text}" is not an IPv4 or IPv6 address` });
  });
});

describe("parsePrefix", () => {
  test.each<[string, 4 | 6, string, string]>([
    ["10.0.0.0/24", 4, "10.0.0.0/24", "10.0.0.0/24"],
    ["10.0.0.7", 4, "10.0.0.7/32", "10.0.0.7/32"],
    ["0.0.0.0/0", 4, "0.0.0.0/0", "0.0.0.0/0"],
    ["::/0", 6, "::/0", "::/0"],
    ["2001:db8::/32", 6, "2001:db8::/32", "2001:db8::/32"],
    ["2001:db8::1", 6, "2001:db8::1/128", "2001:db8::1/128"],
    ["10.0.0.0/31", 4, "10.0.0.0/31", "10.0.0.0/31"],
  ])("accepts %s", (text, family, normalized, cidrs) => {
    const r = parsePrefix(text);
    if (!r.ok) throw new Error(r.error);
    expect(r.family).toBe(family);
    expect(r.normalized).toBe(normalized);
    expect(r.warning).toBeUndefined();
    expect(r.set.toString()).toBe(cidrs);
  });

  test.each<[string, string]>([
    ["10.0.0.5/24", "10.0.0.0/24"],
    ["192.168.1.130/25", "192.168.1.128/25"],
    ["2001:db8::1/32", "2001:db8::/32"],
    ["10.1.2.3/0", "0.0.0.0/0"],
  ])("normalises host bits in %s to %s with a warning", (text, normalized) => {
    const r = parsePrefix(text);
    if (!r.ok) throw new Error(r.error);
    expect(r.normalized).toBe(normalized);
    expect(r.warning).toBe(`"${text}" has host bits set; it is treated as ${normalized}, as Azure does`);
    expect(r.set.toCidrs()).toEqual([normalized]);
  });

  test.each([
    "10.0.0.300/24",
    "10.1",
    "10.1/16",
    "10.0.0.0/",
    "10.0.0.0/024",
    "10.0.0.0/ 24",
    "10.0.0.0/24 ",
    "10.0.0.0/24/1",
    "10.0.0.0/-1",
    "/24",
    "Internet",
    "*",
  ])("rejects %j", (text) => {
    expect(parsePrefix(text)).toEqual({
      ok: false,
      error: `"${text}" is not an IPv4 or IPv6 address or CIDR prefix`,
    });
  });

  test.each<[string, string]>([
    ["10.0.0.0/33", `"10.0.0.0/33" has prefix length 33, above the IPv4 maximum of 32`],
    ["::/129", `"::/129" has prefix length 129, above the IPv6 maximum of 128`],
  ])("rejects out-of-range length %s", (text, error) => {
    expect(parsePrefix(text)).toEqual({ ok: false, error });
  });
});

describe("formatIp", () => {
  test.each<[4 | 6, bigint, string]>([
    [4, 0n, "0.0.0.0"],
    [4, 0xc0a80101n, "192.168.1.1"],
    [6, 0n, "::"],
    [6, 0x20010db8000000000000000000000000n, "2001:db8::"],
    [6, 0x20010db8000000010000000000000001n, "2001:db8:0:1::1"],
    [6, 0xffffc0a80101n, "::ffff:192.168.1.1"],
  ])("formats IPv%d %s as %s", (family, value, text) => {
    expect(formatIp(family, value)).toBe(text);
  });

  // formatV4 uses number shifts instead of per-octet bigint shifts: same text as the old bigint form, edges included.
  test("IPv4 (plain and mapped) formats as the bigint per-octet reference does", () => {
    const reference = (v: bigint): string => [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join(".");
    const v4 = fc.oneof(fc.bigInt({ min: 0n, max: 0xffffffffn }), fc.constantFrom(0n, 0xffffffffn, 0x80000000n, 0x7fffffffn));
    fc.assert(
      fc.property(v4, (v) => {
        expect(formatIp(4, v)).toBe(reference(v));
        expect(formatIp(6, 0xffff00000000n | v)).toBe(`::ffff:${reference(v)}`);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("IpSet golden", () => {
  const v4 = (a: string, b: string): IpSet => {
    const lo = parseIpAddress(a);
    const hi = parseIpAddress(b);
    if (!lo.ok || !hi.ok) throw new Error("bad test address");
    return IpSet.fromRange(4, lo.value, hi.value);
  };

  test.each<[string, string, string[]]>([
    ["10.0.0.1", "10.0.0.6", ["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32"]],
    ["10.0.0.0", "10.0.0.255", ["10.0.0.0/24"]],
    ["0.0.0.0", "255.255.255.255", ["0.0.0.0/0"]],
    ["10.0.0.0", "10.0.1.0", ["10.0.0.0/24", "10.0.1.0/32"]],
    ["10.0.0.255", "10.0.1.0", ["10.0.0.255/32", "10.0.1.0/32"]],
    ["0.0.0.1", "255.255.255.254", [
      "0.0.0.1/32", "0.0.0.2/31", "0.0.0.4/30", "0.0.0.8/29", "0.0.0.16/28", "0.0.0.32/27", "0.0.0.64/26",
      "0.0.0.128/25", "0.0.1.0/24", "0.0.2.0/23", "0.0.4.0/22", "0.0.8.0/21", "0.0.16.0/20", "0.0.32.0/19",
      "0.0.64.0/18", "0.0.128.0/17", "0.1.0.0/16", "0.2.0.0/15", "0.4.0.0/14", "0.8.0.0/13", "0.16.0.0/12",
      "0.32.0.0/11", "0.64.0.0/10", "0.128.0.0/9", "1.0.0.0/8", "2.0.0.0/7", "4.0.0.0/6", "8.0.0.0/5",
      "16.0.0.0/4", "32.0.0.0/3", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/3", "224.0.0.0/4", "240.0.0.0/5",
      "248.0.0.0/6", "252.0.0.0/7", "254.0.0.0/8", "255.0.0.0/9", "255.128.0.0/10", "255.192.0.0/11",
      "255.224.0.0/12", "255.240.0.0/13", "255.248.0.0/14", "255.252.0.0/15", "255.254.0.0/16",
      "255.255.0.0/17", "255.255.128.0/18", "255.255.192.0/19", "255.255.224.0/20", "255.255.240.0/21",
      "255.255.248.0/22", "255.255.252.0/23", "255.255.254.0/24", "255.255.255.0/25", "255.255.255.128/26",
      "255.255.255.192/27", "255.255.255.224/28", "255.255.255.240/29", "255.255.255.248/30",
      "255.255.255.252/31", "255.255.255.254/32",
    ]],
  ])("toCidrs of %s-%s", (lo, hi, cidrs) => {
    expect(v4(lo, hi).toCidrs()).toEqual(cidrs);
  });

  test("toCidrs puts IPv4 first, each family ascending", () => {
    const s = IpSet.fromPrefixes(["2001:db8::/32", "10.1.0.0/16", "::1", "10.0.0.0/16"]);
    expect(s.toCidrs()).toEqual(["10.0.0.0/15", "::1/128", "2001:db8::/32"]);
    expect(s.toString()).toBe("10.0.0.0/15,::1/128,2001:db8::/32");
    expect(IpSet.empty().toString()).toBe("(none)");
  });

  test("all, allV4, allV6", () => {
    expect(IpSet.all().toCidrs()).toEqual(["0.0.0.0/0", "::/0"]);
    expect(IpSet.allV4().toCidrs()).toEqual(["0.0.0.0/0"]);
    expect(IpSet.allV6().toCidrs()).toEqual(["::/0"]);
    expect(IpSet.all().size()).toBe((1n << 32n) + (1n << 128n));
    expect(IpSet.allV4().union(IpSet.allV6()).equals(IpSet.all())).toBe(true);
    expect(IpSet.all().subtract(IpSet.allV4()).equals(IpSet.allV6())).toBe(true);
    expect(IpSet.allV4().complement().equals(IpSet.allV6())).toBe(true);
  });

  test("fromCidr and fromAddress throw on bad input", () => {
    expect(() => IpSet.fromCidr("10.1/16")).toThrow(`"10.1/16" is not an IPv4 or IPv6 address or CIDR prefix`);
    expect(() => IpSet.fromAddress("10.0.0.0/24")).toThrow(`"10.0.0.0/24" is not an IPv4 or IPv6 address`);
    expect(IpSet.fromAddress("10.0.0.9").toCidrs()).toEqual(["10.0.0.9/32"]);
  });

  test("contains by text and by value, families kept apart", () => {
    const s = IpSet.fromPrefixes(["10.0.0.0/24", "2001:db8::/64"]);
    expect(s.contains("10.0.0.255")).toBe(true);
    expect(s.contains("10.0.1.0")).toBe(false);
    expect(s.contains("2001:db8::ffff")).toBe(true);
    expect(s.contains("2001:db8:0:1::")).toBe(false);
    expect(s.contains({ family: 4, value: 0x0a000005n })).toBe(true);
    // ::ffff:10.0.0.5 is an IPv6 address; an IPv4 prefix does not contain it.
    expect(s.contains("::ffff:10.0.0.5")).toBe(false);
    expect(() => s.contains("10.0.0")).toThrow(`"10.0.0" is not an IPv4 or IPv6 address`);
  });

  test("sample prefers lowest IPv4, then lowest IPv6", () => {
    expect(IpSet.fromPrefixes(["2001:db8::/32", "10.0.0.0/8"]).sample()).toBe("10.0.0.0");
    expect(IpSet.fromPrefixes(["2001:db8::/32", "2001:db7::5"]).sample()).toBe("2001:db7::5");
    expect(IpSet.empty().sample()).toBeUndefined();
  });

  test("v4/v6 getters and size", () => {
    const s = IpSet.fromPrefixes(["10.0.0.0/30", "::/126"]);
    expect(s.v4.intervals()).toEqual([[0x0a000000n, 0x0a000003n]]);
    expect(s.v6.intervals()).toEqual([[0n, 3n]]);
    expect(s.size()).toBe(8n);
  });

  test("formatFlow", () => {
    expect(formatFlow({ src: "10.0.0.4", dst: "13.107.21.200", protocol: 6, srcPort: 60000, dstPort: 80 })).toBe(
      "TCP 10.0.0.4:60000 -> 13.107.21.200:80",
    );
    expect(formatFlow({ src: "2001:db8::1", dst: "::1", protocol: 17, srcPort: 5, dstPort: 53 })).toBe(
      "UDP [2001:db8::1]:5 -> [::1]:53",
    );
    expect(formatFlow({ src: "10.0.0.4", dst: "10.0.0.5", protocol: 1, srcPort: 0, dstPort: 0 })).toBe(
      "ICMP 10.0.0.4 -> 10.0.0.5",
    );
    expect(formatFlow({ src: "10.0.0.4", dst: "10.0.0.5", protocol: 47, srcPort: 0, dstPort: 0 })).toBe(
      "PROTO-47 10.0.0.4 -> 10.0.0.5",
    );
  });
});

describe("IpSet properties", () => {
  const v4Range = fc
    .tuple(fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }), fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }))
    .map(([a, b]) => (a <= b ? ([a, b] as const) : ([b, a] as const)));
  const v6Range = fc
    .tuple(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }))
    .map(([a, b]) => (a <= b ? ([a, b] as const) : ([b, a] as const)));
  const ipSetArb = fc
    .tuple(fc.array(v4Range, { maxLength: 4 }), fc.array(v6Range, { maxLength: 3 }))
    .map(([r4, r6]) => IpSet.fromIntervalSets(IntervalSet.fromIntervals(r4), IntervalSet.fromIntervals(r6)));

  test("toCidrs round-trips: the union of the parsed CIDRs equals the set", () => {
    fc.assert(
      fc.property(ipSetArb, (s) => {
        expect(IpSet.fromPrefixes(s.toCidrs()).equals(s)).toBe(true);
      }),
    );
  });

  test("toCidrs blocks are aligned, ordered and minimal (no two siblings that should merge)", () => {
    fc.assert(
      fc.property(v4Range, ([lo, hi]) => {
        const blocks = rangeToCidrs(lo, hi, 32);
        let next = lo;
        for (const [net, len] of blocks) {
          const size = 1n << BigInt(32 - len);
          expect(net).toBe(next);
          expect(net % size).toBe(0n);
          next = net + size;
        }
        expect(next).toBe(hi + 1n);
        for (let i = 1; i < blocks.length; i++) {
          const [pnet, plen] = blocks[i - 1] as [bigint, number];
          const [, len] = blocks[i] as [bigint, number];
          // Siblings of equal length whose first is aligned to the parent could be one block.
          const parentAligned = plen > 0 && pnet % (1n << BigInt(33 - plen)) === 0n;
          expect(plen === len && parentAligned).toBe(false);
        }
        expect(blocks.length).toBeLessThanOrEqual(62);
      }),
    );
  });

  test("sample is a member, and is the lowest IPv4 if any", () => {
    fc.assert(
      fc.property(ipSetArb, (s) => {
        const x = s.sample();
        if (s.isEmpty()) {
          expect(x).toBeUndefined();
        } else {
          expect(x).toBeDefined();
          expect(s.contains(x as string)).toBe(true);
          if (!s.v4.isEmpty()) expect(x).toBe(formatIp(4, s.v4.min() as bigint));
        }
      }),
    );
  });

  test("set laws across both families", () => {
    fc.assert(
      fc.property(ipSetArb, ipSetArb, ipSetArb, (a, b, c) => {
        expect(a.union(b).equals(b.union(a))).toBe(true);
        expect(a.intersect(b.union(c)).equals(a.intersect(b).union(a.intersect(c)))).toBe(true);
        expect(a.subtract(b).intersect(b).isEmpty()).toBe(true);
        expect(a.subtract(b).union(a.intersect(b)).equals(a)).toBe(true);
        expect(a.union(b).complement().equals(a.complement().intersect(b.complement()))).toBe(true);
        expect(a.intersect(b).isSubsetOf(a)).toBe(true);
        expect(a.size() + b.size()).toBe(a.union(b).size() + a.intersect(b).size());
      }),
    );
  });

  test("formatIp output re-parses to the same value", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }), (v6, v4) => {
        expect(parseIpAddress(formatIp(6, v6))).toEqual({ ok: true, family: 6, value: v6, text: formatIp(6, v6) });
        expect(parseIpAddress(formatIp(4, v4))).toEqual({ ok: true, family: 4, value: v4, text: formatIp(4, v4) });
      }),
    );
  });
});
