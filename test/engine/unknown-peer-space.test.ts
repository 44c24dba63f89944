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
import { nextHop } from "../../src/engine/next-hop";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/engine/service-tags";
import { trace } from "../../src/engine/trace";
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
    if (!out.ok) throw new Error(out.error);
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
