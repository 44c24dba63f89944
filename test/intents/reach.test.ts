/**
 * Reachability intents on a happy-path fixture, one field changed per test: the verdict, the counterexample and
 * the evidence to blame.
 */
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG, type ServiceTagCatalog } from "../../src/azure/service-tags";
import { parseServiceTags } from "../../src/resources/service-tags-file";
import type { LbRule, NextHopType, Topology } from "../../src/model/topology";
import { unknown, type Maybe } from "../../src/model/unknown";
import { parseIntent } from "../../src/intents/parse";
import { verifyReach } from "../../src/intents/reach";
import type { Evidence, IntentResult } from "../../src/intents/result";
import type { ReachIntent } from "../../src/intents/types";
import { ModelBuilder, type RuleSpec } from "../helpers/model-builder";

/**
 * spoke 10.1.0.0/16
 *   app 10.1.1.0/24  app-nsg          app1 10.1.1.4, app2 (dynamic)
 *   db  10.1.2.0/24  db-nsg           db1 10.1.2.4 (public IP)
 *   nva 10.1.3.0/24                   nva1 10.1.3.4
 */
interface Variant {
  dbRules?: RuleSpec[];
  appRules?: RuleSpec[];
  app1Nsg?: Maybe<string | null>;
  app1Rules?: RuleSpec[];
  appRoutes?: Array<{ name: string; prefix: string; nextHopType: NextHopType; nextHopIp?: string }>;
  nvaForwarding?: boolean;
  dbPublicIp?: boolean;
  appNics?: number;
}

const ALLOW_SQL: RuleSpec = { name: "allow-sql", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", src: "10.1.1.0/24", dport: "1433" };
const DENY_VNET: RuleSpec = { name: "deny-vnet", priority: 4000, direction: "Inbound", access: "Deny", src: "VirtualNetwork" };

function topology(v: Variant = {}): Topology {
  const b = new ModelBuilder()
    .vnet("spoke", ["10.1.0.0/16"])
    .subnet("app", "spoke", "10.1.1.0/24", { nsg: "app-nsg", routeTable: v.appRoutes ? "app-rt" : null })
    .subnet("db", "spoke", "10.1.2.0/24", { nsg: "db-nsg" })
    .subnet("nva", "spoke", "10.1.3.0/24")
    .nsg("app-nsg", v.appRules ?? [])
    .nsg("db-nsg", v.dbRules ?? [ALLOW_SQL, DENY_VNET])
    .nsg("app1-nsg", v.app1Rules ?? [])
    .nic("app1", "app", "10.1.1.4", { nsg: v.app1Nsg ?? null, tags: { tier: "app" } })
    .nic("app2", "app", undefined, { tags: { tier: "app" } })
    .nic("db1", "db", "10.1.2.4", v.dbPublicIp === false ? {} : { publicIp: "db1-pip" })
    .nic("nva1", "nva", "10.1.3.4", { ipForwarding: v.nvaForwarding ?? true });
  for (let i = 0; i < (v.appNics ?? 0); i++) b.nic(`app-extra-${i}`, "app", `10.1.1.${10 + i}`);
  if (v.appRoutes) b.routeTable("app-rt", v.appRoutes);
  return b.build();
}

const APP_TO_DB = { name: "app-to-db", from: { subnet: "app" }, to: { nic: "db1" }, protocol: "Tcp", ports: "1433", expect: "reachable" };

function intent(fields: Record<string, unknown> = {}): ReachIntent {
  const p = parseIntent({ ...APP_TO_DB, ...fields }, 0, { source: "test" });
  if (!p.intent || p.intent.kind !== "reach") throw new Error(p.errors.join("; "));
  return p.intent;
}

function check(topo: Topology, fields: Record<string, unknown> = {}, tags: ServiceTagCatalog = EMPTY_CATALOG): IntentResult {
  return verifyReach(engineEnv(topo, tags), intent(fields));
}

function decisive(r: IntentResult): string[] {
  return (r.counterexample?.evidence ?? []).filter((e: Evidence) => e.decisive).map((e) => e.text);
}

test("the happy path passes", () => {
  const r = check(topology());
  expect(r.verdict).toBe("pass");
  expect(r.message).toBe("every Tcp 1433 flow from subnet app to nic db1 is delivered");
  expect(r.counterexample).toBeUndefined();
});

describe("one field changed: the verdict and what to blame", () => {
  test.each<[string, Variant, Record<string, unknown>, string, string | undefined, string[]]>([
    [
      "the allow comes after the deny",
      { dbRules: [{ ...ALLOW_SQL, priority: 4100 }, DENY_VNET] },
      {},
      "fail",
      "TCP 10.1.1.4:50000 -> 10.1.2.4:1433",
      ["NSG db-nsg on subnet db, Inbound: denied by securityRules/deny-vnet (priority 4000)"],
    ],
    [
      "a NIC NSG denies on the way out",
      { app1Nsg: "app1-nsg", app1Rules: [{ name: "no-sql-out", priority: 200, direction: "Outbound", access: "Deny", protocol: "Tcp", dport: "1433" }] },
      {},
      "fail",
      "TCP 10.1.1.4:50000 -> 10.1.2.4:1433",
      ["NSG app1-nsg on network interface app1, Outbound: denied by securityRules/no-sql-out (priority 200)"],
    ],
    [
      "a user route drops the db subnet",
      { appRoutes: [{ name: "blackhole", prefix: "10.1.2.0/24", nextHopType: "None" }] },
      {},
      "fail",
      "TCP 10.1.1.4:50000 -> 10.1.2.4:1433",
      ["user route blackhole 10.1.2.0/24 -> None (route table app-rt), effective in subnet app", "dropped: the route's next hop is None"],
    ],
    [
      "the appliance on the route does not forward",
      { appRoutes: [{ name: "via-nva", prefix: "10.1.2.0/24", nextHopType: "VirtualAppliance", nextHopIp: "10.1.3.4" }], nvaForwarding: false },
      {},
      "fail",
      "TCP 10.1.1.4:50000 -> 10.1.2.4:1433",
      [
        "user route via-nva 10.1.2.0/24 -> VirtualAppliance 10.1.3.4 (route table app-rt), effective in subnet app",
        "the next hop nva1 does not have IP forwarding enabled: Azure drops traffic it would forward",
      ],
    ],
    ["the appliance forwards", { appRoutes: [{ name: "via-nva", prefix: "10.1.2.0/24", nextHopType: "VirtualAppliance", nextHopIp: "10.1.3.4" }], nvaForwarding: true }, {}, "pass", undefined, []],
    [
      "expect unreachable: the allowing rule is to blame",
      {},
      { expect: "unreachable" },
      "fail",
      "TCP 10.1.1.4:50000 -> 10.1.2.4:1433",
      [
        "NSG app-nsg on subnet app, Outbound: allowed by defaultSecurityRules/AllowVnetOutBound (priority 65000)",
        "system route 10.1.0.0/16 -> VnetLocal, effective in subnet app",
        "NSG db-nsg on subnet db, Inbound: allowed by securityRules/allow-sql (priority 100)",
      ],
    ],
    [
      "a dynamic address stands for its whole subnet",
      { dbRules: [{ ...ALLOW_SQL, src: "10.1.1.4" }, DENY_VNET] },
      {},
      "fail",
      "TCP 10.1.1.5:50000 -> 10.1.2.4:1433",
      ["NSG db-nsg on subnet db, Inbound: denied by securityRules/deny-vnet (priority 4000)"],
    ],
    ["ports outside the allow", {}, { ports: "1433-1434" }, "fail", "TCP 10.1.1.4:50000 -> 10.1.2.4:1434", ["NSG db-nsg on subnet db, Inbound: denied by securityRules/deny-vnet (priority 4000)"]],
    ["Any protocol, every port: only Tcp 1433 is allowed", {}, { protocol: "Any", ports: "*" }, "fail", "UDP 10.1.1.4:50000 -> 10.1.2.4:1", ["NSG db-nsg on subnet db, Inbound: denied by securityRules/deny-vnet (priority 4000)"]],
    ["selected by Azure tag", {}, { from: { tag: { tier: "app" } } }, "pass", undefined, []],
    ["selected by address", {}, { from: { cidr: "10.1.1.0/24" }, to: { ip: "10.1.2.4" } }, "pass", undefined, []],
  ])("%s", (_name, variant, fields, verdict, flow, blame) => {
    const r = check(topology(variant), fields);
    expect(r.verdict).toBe(verdict);
    expect(r.counterexample?.text).toBe(flow);
    expect(decisive(r)).toEqual(blame);
  });

  test("the failure is attached to the destination and names the counterexample's NICs", () => {
    const r = check(topology({ dbRules: [DENY_VNET] }));
    expect(r.urn).toBe("urn:pulumi:test::test::azure-native:network:networkInterfaces::db1");
    expect(r.counterexample).toMatchObject({ source: { name: "app1" }, destination: { name: "db1" }, outcome: "blocked", flow: { protocol: "TCP", sourceAddress: "10.1.1.4", destinationAddress: "10.1.2.4", destinationPort: 1433 } });
  });
});

describe("external sources reach a NIC only through an ingress", () => {
  const allowSshAny: RuleSpec = { name: "allow-ssh", priority: 200, direction: "Inbound", access: "Allow", protocol: "Tcp", src: "*", dport: "22" };
  const noSsh = { from: { serviceTag: "Internet" }, protocol: "Tcp", ports: "22", expect: "unreachable" };

  test("a public IP and an NSG allowing it: fail, with the ingress as evidence", () => {
    const r = check(topology({ dbRules: [allowSshAny] }), noSsh);
    expect(r.verdict).toBe("fail");
    expect(r.counterexample?.text).toBe("TCP 1.0.0.0:50000 -> 10.1.2.4:22");
    expect(decisive(r)).toEqual(["NSG db-nsg on subnet db, Inbound: allowed by securityRules/allow-ssh (priority 200)", "enters from outside through public IP db1-pip on ipconfig1"]);
  });

  test("no ingress: pass, with a note that the NSGs alone would allow it", () => {
    const r = check(topology({ dbRules: [allowSshAny], dbPublicIp: false }), noSsh);
    expect(r.verdict).toBe("pass");
    expect(r.notes).toEqual([
      "from: restricted to IPv4: the other side has no IPv6 address, so it has no IPv6 flow",
      "holds only because nothing lets traffic from outside in: the NSGs alone would allow TCP 1.0.0.0:50000 -> 10.1.2.4:22 (NSG db-nsg on subnet db, Inbound: allowed by securityRules/allow-ssh (priority 200)); a public IP or public load balancer on db1 would expose it",
    ]);
  });

  test("no ingress: a reachable intent fails, blaming the missing ingress", () => {
    const r = check(topology({ dbRules: [allowSshAny], dbPublicIp: false }), { ...noSsh, expect: "reachable" });
    expect(r.verdict).toBe("fail");
    expect(decisive(r)).toEqual(["db1 has no public IP and is in no public load balancer's backend pool: nothing lets traffic from outside the VNets in"]);
  });

  const sshRule: LbRule = { name: "ssh", frontend: "fe", poolRefs: ["/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb/backendAddressPools/pool"], protocol: "Tcp", frontendPort: 22, backendPort: 22, floatingIp: false, disableOutboundSnat: false };

  test("a public load balancer whose backend pool holds the NIC is an ingress", () => {
    const topo = topology({ dbRules: [allowSshAny], dbPublicIp: false });
    const db1 = topo.nics.get("db1");
    if (!db1) throw new Error("no db1");
    const pool = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb/backendAddressPools/pool";
    const withLb: Topology = {
      ...topo,
      nics: new Map([...topo.nics, ["db1", { ...db1, ipConfigurations: [{ ...db1.ipConfigurations[0], backendPoolRefs: [pool] }] }]]),
      loadBalancers: new Map([["lb", { key: "lb", urn: "urn:lb", logicalName: "lb", azureName: "lb", id: "lb-id", publicIpKeys: ["lb-pip"], backendPoolRefs: [pool], frontends: [{ name: "fe", publicIpKey: "lb-pip" }], rules: [sshRule] }]]),
    };
    const r = check(withLb, noSsh);
    expect(r.verdict).toBe("fail");
    expect(decisive(r)).toContain("enters from outside through public load balancer lb rule ssh (TCP 22)");
  });

  // Fails on the code before issue 16 (a public LB was taken to forward every port).
  test("a public load balancer whose only rule is TCP 80: no SSH through it, even with an NSG allowing SSH", () => {
    const topo = topology({ dbRules: [allowSshAny], dbPublicIp: false });
    const db1 = topo.nics.get("db1");
    if (!db1) throw new Error("no db1");
    const pool = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/loadBalancers/lb/backendAddressPools/pool";
    const http = { ...sshRule, name: "http", poolRefs: [pool], frontendPort: 80, backendPort: 80 };
    const withLb: Topology = {
      ...topo,
      nics: new Map([...topo.nics, ["db1", { ...db1, ipConfigurations: [{ ...db1.ipConfigurations[0], backendPoolRefs: [pool] }] }]]),
      loadBalancers: new Map([["lb", { key: "lb", urn: "urn:lb", logicalName: "lb", azureName: "lb", id: "lb-id", publicIpKeys: ["lb-pip"], backendPoolRefs: [pool], frontends: [{ name: "fe", publicIpKey: "lb-pip" }], rules: [http] }]]),
    };
    const r = check(withLb, noSsh);
    expect(r.verdict).toBe("pass");
    const reach = check(withLb, { ...noSsh, expect: "reachable" });
    expect(reach.verdict).toBe("fail");
    expect(decisive(reach).join(" ")).toContain("only public load balancer lb rule http (TCP 80) let traffic in");
  });

  test('layer "nsg": the NSG chain only, no ingress and no routes', () => {
    const r = check(topology({ dbRules: [allowSshAny], dbPublicIp: false, appRoutes: [{ name: "blackhole", prefix: "10.1.2.0/24", nextHopType: "None" }] }), { ...noSsh, layer: "nsg" });
    expect(r.verdict).toBe("fail");
    expect(decisive(r)).toEqual(["NSG db-nsg on subnet db, Inbound: allowed by securityRules/allow-ssh (priority 200)"]);
    const routed = check(topology({ appRoutes: [{ name: "blackhole", prefix: "10.1.2.0/24", nextHopType: "None" }] }), { layer: "nsg" });
    expect(routed.verdict).toBe("pass");
  });

  test("the Internet tag does not include Azure's platform address 168.63.129.16", () => {
    const allowVnetOnly: RuleSpec = { name: "allow-vnet-ssh", priority: 200, direction: "Inbound", access: "Allow", protocol: "Tcp", src: "VirtualNetwork", dport: "22" };
    const r = check(topology({ dbRules: [allowVnetOnly] }), noSsh);
    expect(r.verdict).toBe("pass");
    expect(r.notes).toEqual(["from: restricted to IPv4: the other side has no IPv6 address, so it has no IPv6 flow"]);
  });
});

describe("values unknown at preview", () => {
  test("an unknown that decides: indeterminate, naming it", () => {
    const access = unknown(".securityRules[0].access", "urn:db-nsg");
    const r = check(topology({ dbRules: [{ ...ALLOW_SQL, access }, DENY_VNET] }));
    expect(r.verdict).toBe("indeterminate");
    expect(r.unknowns).toEqual(["urn:db-nsg .securityRules[0].access (unknown at preview)"]);
  });

  test("an unknown that cannot change the answer does not make it indeterminate", () => {
    const access = unknown(".securityRules[ssh].access", "urn:db-nsg");
    const sshRule: RuleSpec = { name: "ssh", priority: 50, direction: "Inbound", access, protocol: "Tcp", dport: "22" };
    expect(check(topology({ dbRules: [sshRule, ALLOW_SQL, DENY_VNET] })).verdict).toBe("pass");
  });

  test("a sure failure elsewhere wins over an unknown", () => {
    const r = check(topology({ dbRules: [DENY_VNET], app1Nsg: unknown(".networkSecurityGroup.id", "urn:app1") }));
    expect(r.verdict).toBe("fail");
  });

  test("a NIC whose subnet is unknown is a maybe-member: indeterminate when it matters", () => {
    const topo = new ModelBuilder()
      .vnet("spoke", ["10.1.0.0/16"])
      .subnet("app", "spoke", "10.1.1.0/24")
      .subnet("db", "spoke", "10.1.2.0/24", { nsg: "db-nsg" })
      .nsg("db-nsg", [{ ...ALLOW_SQL, src: "10.1.1.4" }, DENY_VNET])
      .nic("app1", "app", "10.1.1.4")
      .nic("app3", unknown(".ipConfigurations[0].subnet.id", "urn:app3"), undefined)
      .nic("db1", "db", "10.1.2.4")
      .build();
    const r = check(topo);
    expect(r.verdict).toBe("indeterminate");
    expect(r.unknowns).toContain("urn:app3 .ipConfigurations[0].subnet.id (unknown at preview)");
  });
});

describe("selectors", () => {
  test("a name that is not in the plan fails, saying so", () => {
    const r = check(topology(), { to: { nic: "nope" } });
    expect(r.verdict).toBe("fail");
    expect(r.error).toMatch(/^to nic nope: no network interface "nope" in the plan \(candidates: app1, app2, db1, nva1\)$/);
  });

  test("a service tag missing from the service tag file is indeterminate", () => {
    const r = check(topology(), { from: { serviceTag: "Storage" } });
    expect(r.verdict).toBe("indeterminate");
    expect(r.unknowns?.[0]).toMatch(/service tag Storage is not in the service tag file/);
  });

  test("a service tag from the file", () => {
    const tags = parseServiceTags({ values: [{ name: "Storage", properties: { addressPrefixes: ["20.60.0.0/16"] } }] }, "tags.json");
    if (!tags.ok) throw new Error(tags.error);
    const r = check(topology({ dbRules: [{ ...ALLOW_SQL, src: "Storage" }] }), { from: { serviceTag: "Storage" } }, tags.catalog);
    expect(r.verdict).toBe("pass");
  });

  test("a subnet with no NIC stands for some host in it", () => {
    const r = check(topology(), { from: { subnet: "nva" }, to: { subnet: "app" }, ports: "*" });
    expect(r.verdict).toBe("pass");
    const blocked = check(topology(), { from: { subnet: "nva" }, to: { nic: "db1" } });
    expect(blocked.verdict).toBe("fail");
  });
});

test("NICs are grouped into classes: cost grows with classes, not NICs", () => {
  const r = check(topology({ appNics: 60 }));
  expect(r.verdict).toBe("pass");
  expect(r.reach?.stats).toEqual({ sourceNics: 62, sourceClasses: 1, destinationNics: 1, destinationClasses: 1, pairsEvaluated: 1 });
});
