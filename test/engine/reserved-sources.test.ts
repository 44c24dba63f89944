import { refusalText } from "../../src/answers/refusal";
/**
 * Issue 12, point 3, the source side: Azure reserves the network address, x.x.x.1-3 and the broadcast address of
 * every IPv4 subnet and never assigns them (MicrosoftDocs azure-docs, articles/virtual-network/virtual-networks-faq.md,
 * "Are there any restrictions on using IP addresses within these subnets?"), so nothing sends from them.
 * Minimal repro: `trace <plan> --from 10.0.2.0 --to vm --protocol TCP --port 443` answered Reachable (a host in
 * subnet b); `next-hop --nic vm --source 10.0.1.0` (vm static at that address) and `verify-flow --direction
 * Inbound --remote 10.0.2.255:50000` answered as if those addresses sent packets.
 */
import { ipFlowVerify } from "../../src/answers/ip-flow-verify";
import { nextHop } from "../../src/answers/next-hop";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import { trace } from "../../src/answers/trace";
import { formatTrace } from "../../src/report/trace-text";
import { ModelBuilder } from "../helpers/model-builder";

const topo = new ModelBuilder()
  .vnet("vnet", ["10.0.0.0/16"])
  .subnet("a", "vnet", "10.0.1.0/24")
  .subnet("b", "vnet", "10.0.2.0/24")
  .nic("vm", "a", "10.0.1.4")
  .nic("dyn", "a", undefined)
  // A plan Azure would refuse (a static address Azure reserves): the engine must not answer as if it could send.
  .nic("bad", "b", "10.0.2.0")
  .build();
const env = engineEnv(topo, EMPTY_CATALOG);

describe("trace from an address Azure reserves", () => {
  test.each([
    ["10.0.2.0", "the network address"],
    ["10.0.2.1", "the default gateway address"],
    ["10.0.2.2", "an Azure DNS address"],
    ["10.0.2.3", "an Azure DNS address"],
    ["10.0.2.255", "the broadcast address"],
  ])("--from %s (%s) is Unreachable, with the reason", (ip, role) => {
    const out = trace(env, { from: ip, to: "vm", protocol: "TCP", port: 443 });
    if (!out.ok) throw new Error(out.error);
    const j = out.result.json;
    expect(j.connectionStatus).toBe("Unreachable");
    expect(j.paths.map((p) => [p.fate, p.disposition])).toEqual([["Stopped", "NoHost"]]);
    expect(j.paths[0].detail).toBe(`no host: the source ${ip} is ${role} of subnet b (10.0.2.0/24): Azure reserves it and never assigns it to a host, so no packet is sent from it`);
    const issue = j.hops.flatMap((h) => h.issues).find((i) => i.type === "NoHost");
    expect(issue?.context.find((c) => c.key === "Reason")?.value).toMatch(/never assigns it/);
    expect(formatTrace(out.result)).toContain(": Unreachable");
  });

  test("an assignable address of the subnet still sends (some host in subnet b)", () => {
    const out = trace(env, { from: "10.0.2.4", to: "vm", protocol: "TCP", port: 443 });
    expect(out.ok && out.result.json.connectionStatus).toBe("Reachable");
  });
});

describe("next-hop and verify-flow refuse a reserved source, with the reason", () => {
  test("next-hop --source at a reserved address (a static NIC there)", () => {
    const out = nextHop(topo, { nic: topo.nics.get("bad")!, sourceIp: "10.0.2.0", destinationIp: "10.0.1.4" });
    expect(out).toEqual({ ok: false, refusal: { input: "source", reason: "10.0.2.0 is the network address of subnet b (10.0.2.0/24): Azure reserves it and never assigns it to a host, so it is not an address of network interface bad" } });
  });

  test("next-hop --source at a dynamic NIC's subnet's broadcast address names the reason", () => {
    const out = nextHop(topo, { nic: topo.nics.get("dyn")!, sourceIp: "10.0.1.255", destinationIp: "10.0.2.4" });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(refusalText(out.refusal)).toMatch(/^--source: 10\.0\.1\.255 is the broadcast address of subnet a/);
  });

  test.each([
    ["Inbound", "10.0.2.255", /^--remote: 10\.0\.2\.255 is the broadcast address of subnet b .*no inbound packet comes from it$/],
    ["Outbound", "10.0.2.255", undefined],
  ] as const)("verify-flow %s with remote %s", (direction, remote, error) => {
    const out = ipFlowVerify(env, { nic: topo.nics.get("vm")!, direction, protocol: "TCP", localIp: "10.0.1.4", localPort: 443, remoteIp: remote, remotePort: 50000 });
    if (error) {
      expect(out.ok).toBe(false);
      if (!out.ok) expect(refusalText(out.refusal)).toMatch(error);
    } else expect(out.ok).toBe(true);
  });

  test("verify-flow --local at a reserved address (a static NIC there) is refused", () => {
    const out = ipFlowVerify(env, { nic: topo.nics.get("bad")!, direction: "Outbound", protocol: "TCP", localIp: "10.0.2.0", localPort: 50000, remoteIp: "10.0.1.4", remotePort: 443 });
    expect(out.ok).toBe(false);
    if (!out.ok) expect(refusalText(out.refusal)).toMatch(/^--local: 10\.0\.2\.0 is the network address of subnet b/);
  });
});
