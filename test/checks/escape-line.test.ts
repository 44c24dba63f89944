/**
 * escapeLine (src/checks/allow-witness.ts), the witness search's step that answers several NICs from one sample,
 * against the pointwise reading of first match it stands for: for random rule lists (allow and other, with
 * Unknown accesses and may/must gaps) and every address of a small line, an address is in `allowed` exactly when
 * the flow there is decided Allow by rule i, and in `escapes` exactly when, besides, the other list does not deny it.
 */
import fc from "fast-check";
import { escapeLine } from "../../src/checks/allow-witness";
import type { CompiledRule } from "../../src/engine/rules";
import type { Flow } from "../../src/sets/flow";
import { FlowSet } from "../../src/sets/flow-set";
import { IpSet } from "../../src/sets/ip-set";
import { PortSet } from "../../src/sets/port-set";
import { ProtocolSet } from "../../src/sets/protocol-set";

const HOSTS = Array.from({ length: 8 }, (_, k) => `10.0.0.${k}`);
const cidrs = ["10.0.0.0/29", "10.0.0.0/30", "10.0.0.4/30", "10.0.0.2/31", "10.0.0.5", "192.0.2.0/24"];

const cubeArb = fc.record({
  dst: fc.constantFrom(...cidrs),
  src: fc.constantFrom("192.0.2.1", "0.0.0.0/0", "198.51.100.0/24"),
  port: fc.constantFrom(80, 443, 22),
  tcpOnly: fc.boolean(),
});
const setArb = fc.array(cubeArb, { minLength: 0, maxLength: 2 }).map((cs) =>
  cs.reduce(
    (acc, c) =>
      acc.union(
        FlowSet.cube({ dst: IpSet.fromCidr(c.dst), src: IpSet.fromCidr(c.src), dstPorts: PortSet.of(c.port, c.port + (c.tcpOnly ? 0 : 400)), ...(c.tcpOnly ? { protocols: ProtocolSet.of(6) } : {}) }),
      ),
    FlowSet.empty(),
  ),
);
const ruleArb = fc.record({ must: setArb, extra: setArb, access: fc.constantFrom("Allow", "Deny", "?") }).map(
  (r) => ({ rule: {} as never, ruleName: "r", access: r.access === "?" ? ({ unknown: true } as never) : r.access, must: r.must, may: r.must.union(r.extra), causes: [] }) as unknown as CompiledRule,
);

function decidedAllow(rules: readonly CompiledRule[], i: number, f: Flow): boolean {
  if (!(rules[i] as CompiledRule).must.contains(f)) return false;
  for (let e = 0; e < i; e++) {
    const r = rules[e] as CompiledRule;
    if ((r.access === "Allow" ? r.must : r.may).contains(f)) return false;
  }
  return true;
}
function denied(rules: readonly CompiledRule[], f: Flow): boolean {
  for (const r of rules) {
    if (!r.may.contains(f)) continue;
    if (r.access !== "Deny") return false;
    if (r.must.contains(f)) return true;
  }
  return false;
}

test("escapeLine = the pointwise reading on every address of the line", () => {
  fc.assert(
    fc.property(fc.array(ruleArb, { minLength: 1, maxLength: 6 }), fc.array(ruleArb, { maxLength: 6 }), fc.boolean(), fc.constantFrom(80, 443, 22, 500), (rules, other, inbound, port) => {
      const allowRules = rules.map((r, k) => (k === rules.length - 1 ? { ...r, access: "Allow" } : r)) as CompiledRule[];
      const i = allowRules.length - 1;
      const at = (h: string): Flow => (inbound ? { src: "192.0.2.1", dst: h, protocol: 6, srcPort: 1000, dstPort: port } : { src: h, dst: "192.0.2.1", protocol: 6, srcPort: 1000, dstPort: port });
      const line = escapeLine(allowRules, i, other, at(HOSTS[0] as string), inbound ? "Inbound" : "Outbound");
      const alone = escapeLine(allowRules, i, undefined, at(HOSTS[0] as string), inbound ? "Inbound" : "Outbound");
      for (const h of HOSTS) {
        const f = at(h);
        const a = decidedAllow(allowRules, i, f);
        expect(line.allowed.contains(h)).toBe(a);
        expect(line.escapes.contains(h)).toBe(a && !denied(other, f));
        expect(alone.escapes.contains(h)).toBe(a);
      }
    }),
    { numRuns: 500, seed: 19 },
  );
});
