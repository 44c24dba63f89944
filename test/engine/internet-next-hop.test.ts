/**
 * Issue 12, point 4: next hop Internet for a destination that is not public unicast. The Internet service tag is
 * public unicast space (docs/azure-semantics.md §7; MicrosoftDocs service-tags-overview.md, "Internet");
 * loopback, link-local, private, shared, "this network", multicast and broadcast addresses are not routed on the
 * Internet. Minimal repro: a UDR 0.0.0.0/0 -> Internet (it removes the None routes for 10/8, 172.16/12, 192.168/16,
 * 100.64/10), then `trace <plan> --from vm --to 192.168.5.5` answered Reachable, "leaves Azure to the Internet".
 */
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import { trace } from "../../src/answers/trace";
import { parseIntent } from "../../src/intents/parse";
import { verifyReach } from "../../src/intents/reach";
import type { ReachIntent } from "../../src/intents/types";
import { ModelBuilder } from "../helpers/model-builder";

const topo = new ModelBuilder()
  .vnet("vnet", ["10.0.0.0/16"])
  .subnet("a", "vnet", "10.0.1.0/24", { routeTable: "rt" })
  .nic("vm", "a", "10.0.1.4")
  .routeTable("rt", [
    { name: "all-out", prefix: "0.0.0.0/0", nextHopType: "Internet" },
    { name: "partner", prefix: "10.9.0.0/16", nextHopType: "Internet" },
  ])
  .build();

function run(to: string) {
  const out = trace(engineEnv(topo, EMPTY_CATALOG), { from: "vm", to, protocol: "TCP", port: 443 });
  if (!out.ok) throw new Error(out.error);
  return out.result.json;
}

describe("non-public destinations over an Internet next hop are never Reachable", () => {
  test.each([
    ["127.0.0.1", "loopback"],
    ["169.254.10.10", "link-local"],
    ["0.1.2.3", "this network"],
    ["255.255.255.255", "limited broadcast"],
    ["192.168.5.5", "RFC 1918"],
    ["172.20.0.1", "RFC 1918"],
    ["10.9.0.1", "RFC 1918"],
    ["100.64.0.1", "RFC 6598"],
    ["224.0.0.5", "multicast"],
  ])("%s (%s): Unreachable, dropped with the reason", (ip, kind) => {
    const j = run(ip);
    expect(j.connectionStatus).toBe("Unreachable");
    expect(j.paths.map((p) => p.disposition)).toEqual(["Dropped"]);
    expect(j.paths[0].detail).toContain(kind);
    expect(j.paths[0].detail).toContain("not a public address");
  });

  test("169.254.169.254 (instance metadata) is undecided, with the reason", () => {
    const j = run("169.254.169.254");
    expect(j.connectionStatus).toBe("Indeterminate");
    expect(j.paths[0].detail).toMatch(/Instance Metadata Service/);
  });

  test("a public destination still leaves to the Internet", () => {
    const j = run("203.0.113.9");
    expect(j.connectionStatus).toBe("Reachable");
    expect(j.paths[0].detail).toMatch(/leaves Azure to the Internet/);
  });

  test("an intent to a private prefix the plan routes to the Internet is not delivered", () => {
    const parsed = parseIntent({ name: "x", from: { nic: "vm" }, to: { cidr: "10.9.0.0/24" }, protocol: "Tcp", ports: "443", expect: "unreachable" }, 0, { source: "test" });
    const r = verifyReach(engineEnv(topo, EMPTY_CATALOG), parsed.intent as ReachIntent);
    expect(r.verdict).toBe("pass");
  });
});
