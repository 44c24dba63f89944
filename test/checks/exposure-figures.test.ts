/**
 * exposureFigures skips the restriction of a management port outside the protocol's exposed ports, and
 * mgmtExample samples only the ports the figures found open: both must give what the full restriction gives.
 */
import fc from "fast-check";
import { exposureFigures, MANAGEMENT_PORTS, mgmtExample } from "../../src/checks/internet-exposure";
import { FlowSet, type FlowCube, Icmp, IpSet, PortSet, ProtocolSet, Tcp, Udp } from "../../src/sets";

const PORTS = [21, 22, 23, 80, 3388, 3389, 3390, 5985, 5986, 5987] as const;

const cubeArb: fc.Arbitrary<Partial<FlowCube>> = fc
  .record({
    src: fc.option(fc.tuple(fc.integer({ min: 0, max: 2 ** 20 }), fc.integer({ min: 0, max: 2 ** 20 })), { nil: undefined }),
    v6: fc.boolean(),
    protocols: fc.option(fc.subarray([Icmp, Tcp, Udp], { minLength: 1 }), { nil: undefined }),
    ports: fc.option(fc.array(fc.tuple(fc.constantFrom(...PORTS), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 3 }), { nil: undefined }),
  })
  .map((r) => {
    const lo = r.src === undefined ? 0 : Math.min(...r.src);
    const hi = r.src === undefined ? 0 : Math.max(...r.src);
    const src = r.src === undefined ? undefined : r.v6 ? IpSet.fromRange(6, 0x20010db8n << 96n, (0x20010db8n << 96n) + BigInt(hi)) : IpSet.fromRange(4, 0x0b000000n + BigInt(lo), 0x0b000000n + BigInt(hi));
    return {
      ...(src ? { src } : {}),
      ...(r.protocols ? { protocols: ProtocolSet.of(...r.protocols) } : {}),
      ...(r.ports ? { dstPorts: r.ports.reduce((acc, [p, w]) => acc.union(PortSet.of(p, p + w)), PortSet.empty()) } : {}),
    };
  });

const flowsArb = fc.array(cubeArb, { minLength: 0, maxLength: 4 }).map((cs) => FlowSet.fromCubes(cs));

/** The management figures as computed before the fast path: one restriction per management port. */
function slowManagement(flows: FlowSet): Array<{ label: string; sources: IpSet }> {
  return MANAGEMENT_PORTS.flatMap((m) => {
    const s = flows.restrict({ protocols: ProtocolSet.of(m.protocol), dstPorts: PortSet.of(m.port) }).sources();
    return s.isEmpty() ? [] : [{ label: m.label, sources: s }];
  });
}

function slowExample(flows: FlowSet): unknown {
  for (const m of MANAGEMENT_PORTS) {
    const s = flows.restrict({ protocols: ProtocolSet.of(m.protocol), dstPorts: PortSet.of(m.port) }).sample();
    if (s) return s;
  }
  return undefined;
}

describe("exposureFigures management fast path", () => {
  it("finds the same management ports, sources and example flow as restricting every port", () => {
    fc.assert(
      fc.property(flowsArb, (flows) => {
        const f = exposureFigures(flows);
        const slow = slowManagement(flows);
        expect(f.management.map((m) => m.label)).toEqual(slow.map((m) => m.label));
        f.management.forEach((m, i) => expect(m.sources.equals((slow[i] as { sources: IpSet }).sources)).toBe(true));
        expect(f.management.length > 0 ? mgmtExample(flows, f.management) : undefined).toEqual(slow.length > 0 ? slowExample(flows) : undefined);
      }),
      { numRuns: 300 },
    );
  });

  it("sees SSH and RDP/UDP on a set open on every port", () => {
    const f = exposureFigures(FlowSet.cube({ protocols: ProtocolSet.of(Tcp, Udp) }));
    expect(f.management.map((m) => m.label)).toEqual(["SSH", "RDP", "WinRM", "WinRM/HTTPS", "RDP/UDP"]);
  });
});
