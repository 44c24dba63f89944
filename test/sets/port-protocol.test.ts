import fc from "fast-check";
import { Ah, Esp, Icmp, Icmpv6, PortSet, protocolName, ProtocolSet, Tcp, Udp } from "../../src/sets";

function parsed(text: string): PortSet {
  const r = PortSet.parse(text);
  if (!r.ok) throw new Error(r.error);
  return r.set;
}

describe("PortSet.parse", () => {
  test.each<[string, string, string[]]>([
    ["*", "*", ["0-65535"]],
    ["80", "80", ["80-80"]],
    ["456", "456", ["456-456"]],
    ["80-90", "80-90", ["80-90"]],
    ["0-65535", "*", ["0-65535"]],
    ["80,443,8000-8100", "80,443,8000-8100", ["80-80", "443-443", "8000-8100"]],
    [" 80 , 443 ", "80,443", ["80-80", "443-443"]],
    ["443,80", "80,443", ["80-80", "443-443"]],
    ["80,81,82-90", "80-90", ["80-90"]],
    ["80,*", "*", ["0-65535"]],
    ["0", "0", ["0-0"]],
    ["65535", "65535", ["65535-65535"]],
    ["22-22", "22", ["22-22"]],
  ])("accepts %j", (text, azure, ranges) => {
    const s = parsed(text);
    expect(s.toString()).toBe(azure);
    expect(s.ranges()).toEqual(ranges);
  });

  test.each<[string, string]>([
    ["90-80", `"90-80" is a reversed port range (start 90 is above end 80)`],
    ["80,90-80", `"90-80" is a reversed port range (start 90 is above end 80)`],
    ["65536", `"65536" is outside the port range 0-65535`],
    ["1-70000", `"1-70000" is outside the port range 0-65535`],
    ["99999999999999999999", `"99999999999999999999" is outside the port range 0-65535`],
    ["8.5", `"8.5" is not a port, a port range or "*"`],
    ["-5", `"-5" is not a port, a port range or "*"`],
    ["http", `"http" is not a port, a port range or "*"`],
    ["80-", `"80-" is not a port, a port range or "*"`],
    ["80 - 90", `"80 - 90" is not a port, a port range or "*"`],
    ["", `"" has an empty port range item`],
    ["80,,90", `"80,,90" has an empty port range item`],
    ["80,", `"80," has an empty port range item`],
  ])("rejects %j", (text, error) => {
    expect(PortSet.parse(text)).toEqual({ ok: false, error });
  });

  test("parseList unions Azure's plural destinationPortRanges", () => {
    const r = PortSet.parseList(["443", "80", "8080-8090"]);
    if (!r.ok) throw new Error(r.error);
    expect(r.set.toString()).toBe("80,443,8080-8090");
    expect(PortSet.parseList(["80", "9-1"])).toEqual({
      ok: false,
      error: `"9-1" is a reversed port range (start 9 is above end 1)`,
    });
    const empty = PortSet.parseList([]);
    expect(empty.ok && empty.set.isEmpty()).toBe(true);
  });

  test("of, contains, sample, complement, empty", () => {
    const s = PortSet.of(80, 90);
    expect(s.contains(80)).toBe(true);
    expect(s.contains(90)).toBe(true);
    expect(s.contains(91)).toBe(false);
    expect(s.contains(80.5)).toBe(false);
    expect(s.sample()).toBe(80);
    expect(s.size()).toBe(11);
    expect(s.complement().toString()).toBe("0-79,91-65535");
    expect(PortSet.of(90, 80).isEmpty()).toBe(true);
    expect(PortSet.of(-5, 70000).isAll()).toBe(true);
    expect(PortSet.of(22).toString()).toBe("22");
    expect(PortSet.empty().toString()).toBe("(none)");
    expect(PortSet.empty().sample()).toBeUndefined();
    expect(PortSet.empty().ranges()).toEqual([]);
  });
});

describe("PortSet vs enumeration over ports 0..15", () => {
  const P = 15;
  const itemArb = fc.oneof(
    fc.integer({ min: 0, max: P }).map((p) => ({ text: `${p}`, lo: p, hi: p })),
    fc
      .tuple(fc.integer({ min: 0, max: P }), fc.integer({ min: 0, max: P }))
      .map(([a, b]) => ({ text: `${Math.min(a, b)}-${Math.max(a, b)}`, lo: Math.min(a, b), hi: Math.max(a, b) })),
  );
  const portsArb = fc.tuple(fc.array(itemArb, { minLength: 1, maxLength: 4 }), fc.constantFrom("", " ")).map(
    ([items, pad]) => {
      const oracle = new Set<number>();
      for (const { lo, hi } of items) for (let p = lo; p <= hi; p++) oracle.add(p);
      return { text: items.map((i) => `${pad}${i.text}${pad}`).join(","), oracle, set: parsed(items.map((i) => i.text).join(",")) };
    },
  );
  const enumerate = (s: PortSet): number[] => Array.from({ length: P + 1 }, (_, p) => p).filter((p) => s.contains(p));
  const fromOracle = (o: Set<number>): number[] => [...o].sort((a, b) => a - b);

  test("parse with padding equals parse without, and matches the oracle", () => {
    fc.assert(
      fc.property(portsArb, ({ text, oracle, set }) => {
        expect(parsed(text).equals(set)).toBe(true);
        expect(enumerate(set)).toEqual(fromOracle(oracle));
        expect(set.contains(P + 1)).toBe(false);
        expect(set.sample()).toBe(Math.min(...oracle));
      }),
    );
  });

  test("set operations match the oracle", () => {
    fc.assert(
      fc.property(portsArb, portsArb, (a, b) => {
        expect(enumerate(a.set.union(b.set))).toEqual(fromOracle(new Set([...a.oracle, ...b.oracle])));
        expect(enumerate(a.set.intersect(b.set))).toEqual(fromOracle(new Set([...a.oracle].filter((p) => b.oracle.has(p)))));
        expect(enumerate(a.set.subtract(b.set))).toEqual(fromOracle(new Set([...a.oracle].filter((p) => !b.oracle.has(p)))));
        expect(a.set.isSubsetOf(b.set)).toBe([...a.oracle].every((p) => b.oracle.has(p)));
        expect(a.set.complement().contains(P + 1)).toBe(true);
      }),
    );
  });

  test("toString and ranges() round-trip through parse", () => {
    fc.assert(
      fc.property(portsArb, ({ set }) => {
        expect(parsed(set.toString()).equals(set)).toBe(true);
        const list = PortSet.parseList(set.ranges());
        expect(list.ok && list.set.equals(set)).toBe(true);
      }),
    );
  });
});

describe("ProtocolSet", () => {
  test("named constants", () => {
    expect([Icmp, Tcp, Udp, Esp, Ah, Icmpv6]).toEqual([1, 6, 17, 50, 51, 58]);
  });

  test.each<[string, string, number[]]>([
    ["Tcp", "Tcp", [6]],
    ["tcp", "Tcp", [6]],
    ["TCP", "Tcp", [6]],
    ["Udp", "Udp", [17]],
    ["Icmp", "Icmp", [1]],
    ["Esp", "Esp", [50]],
    ["Ah", "Ah", [51]],
    ["*", "*", [0, 255]],
    ["Any", "*", [0, 255]],
    ["all", "*", [0, 255]],
  ])("fromAzure accepts %j", (text, printed, members) => {
    const r = ProtocolSet.fromAzure(text);
    if (!r.ok) throw new Error(r.error);
    expect(r.set.toString()).toBe(printed);
    for (const n of members) expect(r.set.contains(n)).toBe(true);
    expect(r.set.size()).toBe(printed === "*" ? 256 : 1);
  });

  test.each(["Icmpv6", "Gre", "6", "", " Tcp", "Tcp,Udp"])("fromAzure rejects %j", (text) => {
    expect(ProtocolSet.fromAzure(text)).toEqual({
      ok: false,
      error: `"${text}" is not a protocol Azure accepts (Tcp, Udp, Icmp, Esp, Ah or *)`,
    });
  });

  test.each<[number[], string]>([
    [[6, 17], "Tcp,Udp"],
    [[17, 6], "Tcp,Udp"],
    [[47], "47"],
    [[1, 2, 3, 4, 5, 6, 7], "Icmp,2-5,Tcp,7"],
    [[58, 59, 60], "Icmpv6,59-60"],
    [[], "(none)"],
  ])("toString of %j is %s", (nums, text) => {
    expect(ProtocolSet.of(...nums).toString()).toBe(text);
  });

  test("complement, sample preference and protocolName", () => {
    expect(ProtocolSet.of(Tcp).complement().toString()).toBe("0,Icmp,2-5,7-16,Udp,18-49,Esp,Ah,52-57,Icmpv6,59-255");
    expect(ProtocolSet.all().sample()).toBe(Tcp);
    expect(ProtocolSet.of(Icmp, Udp).sample()).toBe(Udp);
    expect(ProtocolSet.of(Icmp, 47).sample()).toBe(Icmp);
    expect(ProtocolSet.of(47, 50).sample()).toBe(47);
    expect(ProtocolSet.empty().sample()).toBeUndefined();
    expect(ProtocolSet.of(300, -1, 1.5).isEmpty()).toBe(true);
    expect(protocolName(6)).toBe("Tcp");
    expect(protocolName(99)).toBe("99");
    expect(ProtocolSet.all().subtract(ProtocolSet.of(Tcp)).union(ProtocolSet.of(Tcp)).isAll()).toBe(true);
  });

  test("set operations match an oracle over 0..255", () => {
    const arb = fc.uniqueArray(fc.integer({ min: 0, max: 255 }), { maxLength: 10 });
    fc.assert(
      fc.property(arb, arb, (xs, ys) => {
        const a = ProtocolSet.of(...xs);
        const b = ProtocolSet.of(...ys);
        const all = Array.from({ length: 256 }, (_, n) => n);
        const list = (s: ProtocolSet): number[] => all.filter((n) => s.contains(n));
        expect(list(a.union(b))).toEqual(all.filter((n) => xs.includes(n) || ys.includes(n)));
        expect(list(a.intersect(b))).toEqual(all.filter((n) => xs.includes(n) && ys.includes(n)));
        expect(list(a.subtract(b))).toEqual(all.filter((n) => xs.includes(n) && !ys.includes(n)));
      }),
    );
  });
});
