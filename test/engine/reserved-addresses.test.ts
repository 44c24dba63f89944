/**
 * Issue 12, point 3: Azure reserves five addresses in every IPv4 subnet (the network address, x.x.x.1 for the
 * default gateway, x.x.x.2 and x.x.x.3 for Azure DNS, and the broadcast address) and never assigns them
 * (MicrosoftDocs virtual-networks-faq.md, "Are there any restrictions on using IP addresses within these subnets?").
 * Minimal repro: `trace <plan> --from vm --to 10.0.2.0` answered Reachable ("a host in subnet b").
 */
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import { trace } from "../../src/answers/trace";
import { ModelBuilder } from "../helpers/model-builder";

const topo = new ModelBuilder()
  .vnet("vnet", ["10.0.0.0/16"])
  .subnet("a", "vnet", "10.0.1.0/24")
  .subnet("b", "vnet", "10.0.2.0/24")
  .nic("vm", "a", "10.0.1.4")
  .build();

function run(to: string, from = "vm") {
  const out = trace(engineEnv(topo, EMPTY_CATALOG), { from, to, protocol: "TCP", port: 443 });
  if (!out.ok) throw new Error(out.error);
  return out.result.json;
}

describe("trace to an address Azure reserves", () => {
  test.each([
    ["10.0.2.0", "network address"],
    ["10.0.2.1", "default gateway"],
    ["10.0.2.2", "DNS"],
    ["10.0.2.3", "DNS"],
    ["10.0.2.255", "broadcast"],
    ["10.0.1.0", "network address of the sender's own subnet"],
  ])("%s (%s) is Unreachable, with the reason", (ip) => {
    const j = run(ip);
    expect(j.connectionStatus).toBe("Unreachable");
    expect(j.paths.map((p) => p.disposition)).toEqual(["NoHost"]);
    expect(j.paths[0].detail).toMatch(new RegExp(`Azure reserves ${ip.replace(/\./g, "\\.")} in subnet [ab]`));
    const issue = j.hops.flatMap((h) => h.issues).find((i) => i.type === "NoHost");
    expect(issue?.context.find((c) => c.key === "Reason")?.value).toMatch(/never assigned/);
  });

  test.each(["10.0.2.4", "10.0.2.254"])("%s, an assignable address, is still some host in the subnet", (ip) => {
    expect(run(ip).connectionStatus).toBe("Reachable");
  });
});

test("the destination's note says the address is reserved, not 'a host in the subnet'", () => {
  expect(run("10.0.2.255").destination.note).toBe("an address Azure reserves in subnet b: never assigned to a host");
});
