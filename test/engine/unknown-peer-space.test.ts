import { refusalText } from "../../src/answers/refusal";
/**
 * Issue 12, point 7 (the StackReference part): a spoke whose peering names a hub of another stack (a StackReference
 * output: the remote VNet is not in the plan, its address space unknown) had every next hop undecided, even inside
 * the spoke. Azure peers only virtual networks whose address spaces do not overlap (MicrosoftDocs azure-docs,
 * articles/virtual-network/virtual-network-manage-peering.md, "Requirements and constraints": the peered networks
 * must have nonoverlapping address spaces; learn.microsoft.com/windows-server/networking/sdn/vnet-peering/
 * sdn-vnet-peering: "Peered virtual networks must: Have non-overlapping IP address spaces"), so the unknown peer
 * route covers nothing of the spoke's own space: those next hops are decided, the others stay undecided.
 * Minimal repro: `next-hop <plan> --nic app1 --source 10.1.1.4 --destination 10.1.2.4` answered Indeterminate.
 */
import { nextHop } from "../../src/answers/next-hop";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import { trace } from "../../src/answers/trace";
import { parseIntent } from "../../src/intents/parse";
import { verifyReach } from "../../src/intents/reach";
import type { ReachIntent } from "../../src/intents/types";
import type { Peering, Topology } from "../../src/model/topology";
import { unknown } from "../../src/model/unknown";
import { ModelBuilder } from "../helpers/model-builder";

const HUB_ID = "/subscriptions/0000/resourceGroups/hub-rg/providers/Microsoft.Network/virtualNetworks/hub";

function spoke(): Topology {
  const t = new ModelBuilder()
    .vnet("spoke", ["10.1.0.0/16"])
    .subnet("app", "spoke", "10.1.1.0/24")
    .subnet("db", "spoke", "10.1.2.0/24")
    .nic("app1", "app", "10.1.1.4")
    .nic("db1", "db", "10.1.2.4")
    .peering("spoke-to-hub", "spoke", "hub")
    .build();
  const p = t.peerings.get("spoke-to-hub") as Peering;
  // As the adapter reads a remoteVirtualNetwork.id that names no VNet of the plan (refs.ts, unresolved).
  (t.peerings as Map<string, Peering>).set(p.key, { ...p, remoteVnetKey: unknown(".remoteVirtualNetwork.id", p.urn, `not in the plan: ${HUB_ID}`) });
  return t;
}

const topo = spoke();
const env = engineEnv(topo, EMPTY_CATALOG);

describe("next hops with a peer whose address space is unknown", () => {
  test.each([
    ["10.1.2.4", "VnetLocal"],
    ["10.1.200.9", "VnetLocal"],
    ["10.50.0.4", "Indeterminate"],
    ["8.8.8.8", "Indeterminate"],
  ])("to %s: %s", (destinationIp, want) => {
    const out = nextHop(topo, { nic: topo.nics.get("app1")!, sourceIp: "10.1.1.4", destinationIp });
    if (!out.ok) throw new Error(refusalText(out.refusal));
    expect(out.result.nextHopType).toBe(want);
    if (want === "Indeterminate") expect(out.result.unknowns?.join(" ")).toContain(HUB_ID);
  });
});

test("trace inside the spoke is Reachable", () => {
  const out = trace(env, { from: "app1", to: "db1", protocol: "TCP", port: 1433 });
  if (!out.ok) throw new Error(out.error);
  expect(out.result.json.connectionStatus).toBe("Reachable");
});

test("an intent inside the spoke passes; one to the hub's side stays undecided", () => {
  const intent = (to: Record<string, unknown>) => parseIntent({ name: "i", from: { nic: "app1" }, to, protocol: "Tcp", ports: "1433", expect: "reachable" }, 0, { source: "test" }).intent as ReachIntent;
  expect(verifyReach(env, intent({ nic: "db1" })).verdict).toBe("pass");
  expect(verifyReach(env, intent({ ip: "10.50.0.4" })).verdict).not.toBe("pass");
});

describe("an undecided route is decided by cases when every possible winner gives the same next hop", () => {
  function withTable(routes: Array<{ name: string; prefix: string | ReturnType<typeof unknown>; nextHopType: "VirtualAppliance"; nextHopIp: string }>, peer: boolean) {
    const b = new ModelBuilder()
      .vnet("spoke", ["10.1.0.0/16"])
      .subnet("app", "spoke", "10.1.1.0/24", { routeTable: "rt" })
      .subnet("nva", "spoke", "10.1.3.0/24")
      .nic("app1", "app", "10.1.1.4")
      .nic("nva1", "nva", "10.1.3.10", { ipForwarding: true })
      .routeTable("rt", routes);
    if (peer) b.peering("spoke-to-hub", "spoke", "hub");
    const t = b.build();
    if (peer) {
      const p = t.peerings.get("spoke-to-hub") as Peering;
      (t.peerings as Map<string, Peering>).set(p.key, { ...p, remoteVnetKey: unknown(".remoteVirtualNetwork.id", p.urn, `not in the plan: ${HUB_ID}`) });
    }
    return t;
  }

  test("a user route of unknown prefix to the same appliance as 0.0.0.0/0: VirtualAppliance, with a note", () => {
    const t = withTable(
      [
        { name: "computed", prefix: unknown(".routes[0].addressPrefix", "rt"), nextHopType: "VirtualAppliance", nextHopIp: "10.1.3.10" },
        { name: "default", prefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIp: "10.1.3.10" },
      ],
      false,
    );
    const out = nextHop(t, { nic: t.nics.get("app1")!, sourceIp: "10.1.1.4", destinationIp: "8.8.8.8" });
    if (!out.ok) throw new Error(refusalText(out.refusal));
    expect([out.result.nextHopType, out.result.nextHopIpAddress]).toEqual(["VirtualAppliance", "10.1.3.10"]);
    expect(out.result.notes?.join(" ")).toMatch(/decided by cases: the winning route is one of user route computed .*; otherwise user route default 0\.0\.0\.0\/0 .*every one gives next hop VirtualAppliance 10\.1\.3\.10/);
  });

  test("the unknown peer against a default route to an appliance: Indeterminate, naming both", () => {
    const t = withTable([{ name: "default", prefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIp: "10.1.3.10" }], true);
    const out = nextHop(t, { nic: t.nics.get("app1")!, sourceIp: "10.1.1.4", destinationIp: "8.8.8.8" });
    if (!out.ok) throw new Error(refusalText(out.refusal));
    expect(out.result.nextHopType).toBe("Indeterminate");
    expect(out.result.notes?.join(" ")).toMatch(/the cases disagree: system route \(remote address space unknown\) -> VNetPeering: VNetPeering \(System Route\); otherwise user route default .*: VirtualAppliance 10\.1\.3\.10/);
  });
});

test("trace over a user route of unknown prefix to the same appliance as 0.0.0.0/0 follows the appliance, with a note", () => {
  const t = new ModelBuilder()
    .vnet("spoke", ["10.1.0.0/16"])
    .subnet("app", "spoke", "10.1.1.0/24", { routeTable: "rt" })
    .subnet("nva", "spoke", "10.1.3.0/24")
    .nic("app1", "app", "10.1.1.4")
    .nic("nva1", "nva", "10.1.3.10", { ipForwarding: true })
    .routeTable("rt", [
      { name: "computed", prefix: unknown(".routes[0].addressPrefix", "rt"), nextHopType: "VirtualAppliance", nextHopIp: "10.1.3.10" },
      { name: "default", prefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIp: "10.1.3.10" },
    ])
    .build();
  const out = trace(engineEnv(t, EMPTY_CATALOG), { from: "app1", to: "8.8.8.8", protocol: "TCP", port: 443 });
  if (!out.ok) throw new Error(out.error);
  expect(out.result.json.connectionStatus).toBe("Reachable");
  expect(out.result.json.hops.map((h) => h.type)).toContain("VirtualAppliance");
  expect(out.result.json.notes.join(" ")).toMatch(/decided by cases: .*every one sends to the same next hop/);
});
