/**
 * The walk's open tables (issue 14 point 5): hop handlers by next hop type (engine/hops/table.ts) and dispositions
 * by kind (engine/dispositions.ts). A handler put in the table is the one the walk calls for that next hop type;
 * every disposition kind has its row. Fails on the code before the tables (no hopHandlers option, no DISPOSITIONS).
 */
import { DISPOSITIONS, dispositionText, fateOf, issuesOf, type Disposition, type DispositionKind } from "../../src/engine/dispositions";
import { forward, SYMBOLIC_WALK, type ForwardResult } from "../../src/engine/forward";
import { NIC_FILTERS } from "../../src/engine/filters";
import { APPLIANCES } from "../../src/engine/hops/appliances";
import { HOP_HANDLERS } from "../../src/engine/hops/table";
import { engineEnv } from "../../src/engine/nsg";
import type { EffectiveNextHopType } from "../../src/engine/routing";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import type { HopHandler, HopTable } from "../../src/engine/walk";
import { unknown } from "../../src/model/unknown";
import { FlowSet } from "../../src/sets/flow-set";
import { IpSet } from "../../src/sets/ip-set";
import { PortSet } from "../../src/sets/port-set";
import { ProtocolSet, Tcp } from "../../src/sets/protocol-set";
import { ModelBuilder } from "../helpers/model-builder";

// One subnet whose route table sends each prefix to another next hop type; VnetLocal is the VNet's system route.
const topo = new ModelBuilder()
  .vnet("vnet", ["10.0.0.0/16"])
  .subnet("s", "vnet", "10.0.0.0/24", { routeTable: "rt" })
  .nic("vm", "s", "10.0.0.4")
  .nic("vm2", "s", "10.0.0.6")
  .nic("nva", "s", "10.0.0.5", { ipForwarding: true })
  .routeTable("rt", [
    { name: "drop", prefix: "10.9.0.0/16", nextHopType: "None" },
    { name: "out", prefix: "8.8.8.0/24", nextHopType: "Internet" },
    { name: "via-nva", prefix: "10.8.0.0/16", nextHopType: "VirtualAppliance", nextHopIp: "10.0.0.5" },
    { name: "on-prem", prefix: "10.7.0.0/16", nextHopType: "VirtualNetworkGateway" },
  ])
  .build();

function walk(dst: string, handlers?: HopTable): ForwardResult<FlowSet> {
  const nic = topo.nics.get("vm");
  if (!nic) throw new Error("no vm");
  const flows = FlowSet.cube({ src: IpSet.fromAddress("10.0.0.4"), dst: IpSet.fromAddress(dst), protocols: ProtocolSet.of(Tcp), srcPorts: PortSet.of(50000), dstPorts: PortSet.of(443) });
  return forward(SYMBOLIC_WALK, engineEnv(topo, EMPTY_CATALOG), { kind: "nic", nic }, flows, handlers ? { hopHandlers: handlers } : {});
}

/** A handler that ends every flow it is given with a disposition naming it. */
const marker =
  (kind: string): HopHandler =>
  (w, st, use) =>
    w.finish(st, { kind: "NoHost", route: use, detail: `marker ${kind}` });

describe("hop handlers come from the table", () => {
  test.each<[EffectiveNextHopType, string, DispositionKind]>([
    ["None", "10.9.0.1", "Dropped"],
    ["Internet", "8.8.8.8", "Exited"],
    ["VirtualAppliance", "10.8.0.1", "Loop"],
    ["VirtualNetworkGateway", "10.7.0.1", "Dropped"],
    ["VnetLocal", "10.0.0.6", "Delivered"],
  ])("a handler for %s in the table is the one the walk calls (to %s)", (kind, dst, usual) => {
    // The default table: the usual fate (the appliance sits in the same subnet, so its routes send 10.8.0.1 back to itself: a loop).
    const plain = walk(dst);
    expect(plain.paths.map((p) => p.disposition.kind)).toEqual([usual]);
    // The same walk with this row replaced: the new handler decides, and only for this next hop type.
    const swapped = walk(dst, { ...HOP_HANDLERS, [kind]: marker(kind) });
    expect(swapped.paths.map((p) => dispositionText(p.disposition))).toEqual([`no host: marker ${kind}`]);
    const elsewhere = walk(dst, { ...HOP_HANDLERS, ...(kind === "None" ? { Internet: marker("Internet") } : { None: marker("None") }) });
    expect(elsewhere.paths.map((p) => p.disposition.kind)).toEqual([usual]);
  });

  test("every next hop type has a handler", () => {
    // A Record over the union: a next hop type missing here (or in the table) does not compile.
    const kinds: Record<EffectiveNextHopType, true> = { None: true, Internet: true, VirtualNetworkGateway: true, VnetLocal: true, VNetPeering: true, VirtualAppliance: true, InterfaceEndpoint: true, VirtualNetworkServiceEndpoint: true };
    expect(Object.keys(HOP_HANDLERS).sort()).toEqual(Object.keys(kinds).sort());
    for (const h of Object.values(HOP_HANDLERS)) expect(typeof h).toBe("function");
  });
});

describe("every disposition has its row", () => {
  test("the table's kinds are the Disposition union's", () => {
    // A Record over the union: a kind missing here does not compile, and DISPOSITIONS is a mapped type over it too.
    const kinds: Record<DispositionKind, true> = {
      Delivered: true,
      Exited: true,
      DeniedByNsg: true,
      DeniedByAdminRule: true,
      Dropped: true,
      ApplianceNoForwarding: true,
      DeniedByFirewall: true,
      Loop: true,
      NoHost: true,
      Unknown: true,
    };
    expect(Object.keys(DISPOSITIONS).sort()).toEqual(Object.keys(kinds).sort());
  });

  const cause = unknown(".x", "urn:x", "x is unknown at preview");
  const noHost: Disposition = { kind: "NoHost", detail: "nothing there" };
  test.each<[string, Disposition, string, string, string[]]>([
    ["no host", noHost, "Stopped", "no host: nothing there", ["NoHost"]],
    ["unknown over a stop is a sure stop", { kind: "Unknown", causes: [cause], otherwise: noHost }, "Stopped", "undecided at preview (urn:x .x (x is unknown at preview)); if those let it through: no host: nothing there", ["NoHost", "UnknownAtPreview"]],
    ["unknown alone", { kind: "Unknown", causes: [cause] }, "Unknown", "undecided at preview: urn:x .x (x is unknown at preview)", ["UnknownAtPreview"]],
    ["delivered to a host", { kind: "Delivered", host: { kind: "host", subnet: topo.subnets.get("s")!, addresses: IpSet.fromAddress("10.0.0.9") } }, "Delivered", "delivered to a host in subnet s", []],
  ])("%s: fate, text and issues from its row", (_name, d, fate, text, issues) => {
    expect(fateOf(d)).toBe(fate);
    expect(dispositionText(d)).toBe(text);
    expect(issuesOf(engineEnv(topo, EMPTY_CATALOG), d).map((i) => i.type)).toEqual(issues);
  });
});

describe("the walk's filters and appliances are lists in order", () => {
  test("NIC filters: security admin rules before the NSGs (the order denied flows end in)", () => {
    expect(NIC_FILTERS.map((f) => f.name)).toEqual(["security admin rules", "network security groups"]);
  });

  test("appliances: an Azure Firewall's private IP before a NIC's address", () => {
    expect(APPLIANCES.map((a) => a.name)).toEqual(["Azure Firewall", "network interface"]);
  });
});
