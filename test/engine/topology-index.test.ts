/**
 * The one model index (issue 14 point 4): "which NIC holds this IP" is answered by topology-index.ts (the address
 * holders of topology-queries.ts, an interval index of engine/address-index.ts), built once per topology, and gives
 * the answers of a scan over every NIC. Each test compares the index with the scan it replaced.
 */
import { addressIndex } from "../../src/engine/address-index";
import { topologyIndex, subnetHolding } from "../../src/engine/topology-index";
import { nicAddresses, surelyHeldBy } from "../../src/engine/topology-queries";
import { holdersOf } from "../../src/checks/route-queries";
import type { Nic, Topology } from "../../src/model/topology";
import { unknown } from "../../src/model/unknown";
import { IpSet } from "../../src/sets/ip-set";
import { ModelBuilder } from "../helpers/model-builder";
import { engineEnv } from "../../src/engine/env";
import { holderOf } from "../../src/engine/walk-places";
// The bench's seeded generator (mulberry32), so a failure reproduces.
import { rng } from "../../bench/estate";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";


function randomSet(r: () => number): IpSet {
  let set = IpSet.empty();
  const parts = Math.floor(r() * 3);
  for (let i = 0; i < parts; i++) {
    const kind = r();
    const base = `10.${Math.floor(r() * 4)}.${Math.floor(r() * 4)}`;
    if (kind < 0.5) set = set.union(IpSet.fromAddress(`${base}.${Math.floor(r() * 8)}`));
    else if (kind < 0.8) set = set.union(IpSet.fromCidr(`${base}.0/${[24, 28, 30][Math.floor(r() * 3)]}`));
    else if (kind < 0.9) set = set.union(IpSet.fromCidr("10.0.0.0/7")); // wide: kept apart by the index
    else set = set.union(IpSet.fromAddress(`fd00::${Math.floor(r() * 8)}`));
  }
  return set;
}

describe("address index (engine/address-index.ts)", () => {
  test.each([1, 2, 3, 4, 5])("seed %i: holding and meeting give the scan's items, in the order given", (seed) => {
    const r = rng(seed);
    const entries = Array.from({ length: 40 }, (_, i) => ({ item: i, set: randomSet(r) }));
    const index = addressIndex(entries);
    for (let q = 0; q < 60; q++) {
      const ip = r() < 0.9 ? `10.${Math.floor(r() * 4)}.${Math.floor(r() * 4)}.${Math.floor(r() * 8)}` : `fd00::${Math.floor(r() * 8)}`;
      expect(index.holding(ip)).toEqual(entries.filter((e) => e.set.contains(ip)).map((e) => e.item));
      const set = randomSet(r);
      expect(index.meeting(set)).toEqual(entries.filter((e) => e.set.overlaps(set)).map((e) => e.item));
    }
  });

  test("a text that is no address is refused (undefined), not answered as held by nobody", () => {
    expect(addressIndex([{ item: "a", set: IpSet.fromAddress("10.0.0.4") }]).holding("10.0.0.x")).toBeUndefined();
  });
});

/** A plan with duplicates (two NICs claim 10.0.1.4), dynamic NICs, and a NIC whose subnet is unknown at preview. */
function plan(): Topology {
  return new ModelBuilder()
    .vnet("v", ["10.0.0.0/16"])
    .subnet("a", "v", "10.0.1.0/24")
    .subnet("b", "v", "10.0.2.0/24")
    .nic("z-static", "a", "10.0.1.4")
    .nic("a-static", "a", "10.0.1.4")
    .nic("m-dynamic", "a", undefined)
    .nic("b-static", "b", "10.0.2.9")
    .nic("q-unknown", unknown(".ipConfigurations[0].subnet", "urn:q", "unknown at preview"), undefined)
    .build();
}

function scanSure(topo: Topology, ip: string): Nic[] {
  return [...topo.nics.values()].filter((n) => nicAddresses(topo, n).must.contains(ip));
}

function scanMay(topo: Topology, ip: string): Nic[] {
  return [...topo.nics.values()].filter((n) => nicAddresses(topo, n).may.contains(ip));
}

describe("the model index of a topology (engine/topology-index.ts)", () => {
  const topo = plan();

  test("built once per topology: the same index object each time, another for another topology", () => {
    expect(topologyIndex(topo)).toBe(topologyIndex(topo));
    expect(topologyIndex(topo).holders).toBe(topologyIndex(topo).holders);
    expect(topologyIndex(plan())).not.toBe(topologyIndex(topo));
  });

  test.each(["10.0.1.4", "10.0.1.5", "10.0.1.0", "10.0.2.9", "10.0.3.1", "8.8.8.8"])("holders of %s: the scan's, in topology order", (ip) => {
    const holders = topologyIndex(topo).holders;
    expect(holders.sure.holding(ip)?.map((n) => n.key)).toEqual(scanSure(topo, ip).map((n) => n.key));
    expect(holders.may.holding(ip)?.map((n) => n.key)).toEqual(scanMay(topo, ip).map((n) => n.key));
    expect(surelyHeldBy(topo, ip)?.key).toBe(scanSure(topo, ip)[0]?.key);
  });

  test("a duplicate address: surelyHeldBy gives the first in topology order, the routing checks every holder in key order", () => {
    expect(surelyHeldBy(topo, "10.0.1.4")?.key).toBe("z-static");
    expect(holdersOf(topo, "10.0.1.4").map((n) => n.key)).toEqual(["a-static", "z-static"]);
    expect(holdersOf(topo, " 10.0.2.9 ").map((n) => n.key)).toEqual(["b-static"]);
    expect(holdersOf(topo, "not an address")).toEqual([]);
  });

  test("a dynamic NIC may hold its subnet's assignable addresses, the NIC of an unknown subnet any address", () => {
    const may = topologyIndex(topo).holders.may;
    expect(may.holding("10.0.1.200")?.map((n) => n.key)).toEqual(["m-dynamic", "q-unknown"]);
    // Azure reserves the first four addresses of a subnet: no dynamic NIC gets 10.0.1.1.
    expect(may.holding("10.0.1.1")?.map((n) => n.key)).toEqual(["q-unknown"]);
  });

  test("meeting a set: the NICs that surely hold one of its addresses", () => {
    const sure = topologyIndex(topo).holders.sure;
    expect(sure.meeting(IpSet.fromCidr("10.0.0.0/16")).map((n) => n.key)).toEqual(["z-static", "a-static", "b-static"]);
    expect(sure.meeting(IpSet.fromCidr("10.0.2.0/24")).map((n) => n.key)).toEqual(["b-static"]);
  });

  test("the other parts of the index agree with a scan", () => {
    const index = topologyIndex(topo);
    expect(index.nicsByPrimarySubnet.get("a")?.map((n) => n.key)).toEqual(["z-static", "a-static", "m-dynamic"]);
    expect(index.nicsOfUnknownSubnet.map((n) => n.key)).toEqual(["q-unknown"]);
    expect([...index.subnetsWithNics].sort()).toEqual(["a", "b"]);
    expect(index.staticAddressesBySubnet.get("a")?.toString()).toBe(IpSet.fromAddress("10.0.1.4").toString());
    expect(subnetHolding(topo, "10.0.2.77")?.key).toBe("b");
    expect(subnetHolding(topo, "10.9.0.1")).toBeUndefined();
  });
});

describe("the walk's holder of a next hop address reads the index (engine/walk-places.ts)", () => {
  const topo = plan();
  const env = engineEnv(topo, EMPTY_CATALOG);

  test("a sure holder: the first in key order (as the walk always chose)", () => {
    expect(holderOf(env, "10.0.1.4")).toEqual({ nic: topo.nics.get("a-static"), causes: [] });
  });

  test("no sure holder: the causes of every NIC that may hold it, in key order", () => {
    const expected = [...scanMay(topo, "10.0.1.200")].sort((a, b) => (a.key < b.key ? -1 : 1)).flatMap((n) => nicAddresses(topo, n).causes);
    expect(holderOf(env, "10.0.1.200").nic).toBeUndefined();
    expect(holderOf(env, "10.0.1.200").causes).toEqual(expected);
    expect(holderOf(env, "10.0.3.1")).toEqual({ causes: nicAddresses(topo, topo.nics.get("q-unknown") as Nic).causes });
  });
});
