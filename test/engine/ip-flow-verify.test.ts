import { refusalText } from "../../src/answers/refusal";
import { ipFlowVerify, type IpFlowVerifyResult } from "../../src/answers/ip-flow-verify";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG, type ServiceTagCatalog } from "../../src/azure/service-tags";
import { parseServiceTags } from "../../src/resources/service-tags-file";
import type { Direction, Topology } from "../../src/model/topology";
import { unknown } from "../../src/model/unknown";
import { ModelBuilder, type RuleSpec } from "../helpers/model-builder";

function verify(topo: Topology, nic: string, direction: Direction, protocol: "TCP" | "UDP", local: string, remote: string, tags: ServiceTagCatalog = EMPTY_CATALOG): IpFlowVerifyResult {
  const [localIp, localPort] = local.split(":");
  const [remoteIp, remotePort] = remote.split(":");
  const n = topo.nics.get(nic);
  if (!n) throw new Error(`no nic ${nic}`);
  const out = ipFlowVerify(engineEnv(topo, tags), { nic: n, direction, protocol, localIp, localPort: Number(localPort), remoteIp, remotePort: Number(remotePort) });
  if (!out.ok) throw new Error(refusalText(out.refusal));
  return out.result;
}

describe("TC1/TC2: IP flow verify quickstart, NIC NSG with default rules only", () => {
  const topo = new ModelBuilder()
    .vnet("vnet", ["10.0.0.0/16"])
    .subnet("default", "vnet", "10.0.0.0/24")
    .nsg("vm-nsg")
    .nic("vm-nic", "default", "10.0.0.4", { nsg: "vm-nsg" })
    .build();

  test.each([
    ["TC1a", "Outbound", "10.0.0.4:60000", "13.107.21.200:80", "Allow", "defaultSecurityRules/AllowInternetOutBound"],
    ["TC1b", "Outbound", "10.0.0.4:60000", "10.0.1.10:80", "Allow", "defaultSecurityRules/AllowVnetOutBound"],
    ["TC1c", "Outbound", "10.0.0.4:60000", "10.10.10.10:80", "Deny", "defaultSecurityRules/DenyAllOutBound"],
    ["TC1d", "Inbound", "10.0.0.4:80", "10.10.10.10:60000", "Deny", "defaultSecurityRules/DenyAllInBound"],
    ["TC2 outbound to 172.31/12 (neither Internet nor VirtualNetwork)", "Outbound", "10.0.0.4:60000", "172.31.0.100:80", "Deny", "defaultSecurityRules/DenyAllOutBound"],
    ["TC2 inbound from 172.31.0.100", "Inbound", "10.0.0.4:80", "172.31.0.100:60000", "Deny", "defaultSecurityRules/DenyAllInBound"],
    ["TC2 172.131.0.100 is public", "Outbound", "10.0.0.4:60000", "172.131.0.100:80", "Allow", "defaultSecurityRules/AllowInternetOutBound"],
    ["inbound from the VNet", "Inbound", "10.0.0.4:22", "10.0.0.5:50000", "Allow", "defaultSecurityRules/AllowVnetInBound"],
    ["inbound from the internet", "Inbound", "10.0.0.4:443", "203.0.113.9:50000", "Deny", "defaultSecurityRules/DenyAllInBound"],
  ] as const)("%s", (_name, direction, local, remote, access, ruleName) => {
    const r = verify(topo, "vm-nic", direction, "TCP", local, remote);
    expect(r.access).toBe(access);
    expect(r.ruleName).toBe(ruleName);
    expect(r.nsgs).toHaveLength(1);
    expect(r.nsgs[0].appliedTo).toBe("networkInterface");
  });
});

describe("TC10/TC13: subnet and NIC NSGs compose (NSG-HOW, TCP 80 from the internet)", () => {
  const allowHttp: RuleSpec = { name: "Allow-HTTP-All", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", src: "*", dport: "80" };
  const build = (nsg1Rules: RuleSpec[], nsg2Rules: RuleSpec[]): Topology =>
    new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .subnet("subnet1", "vnet", "10.0.1.0/24", { nsg: "nsg1" })
      .subnet("subnet2", "vnet", "10.0.2.0/24")
      .subnet("subnet3", "vnet", "10.0.3.0/24")
      .nsg("nsg1", nsg1Rules)
      .nsg("nsg2", nsg2Rules)
      .nic("vm1", "subnet1", "10.0.1.4", { nsg: "nsg2" })
      .nic("vm2", "subnet1", "10.0.1.5")
      .nic("vm3", "subnet2", "10.0.2.4", { nsg: "nsg2" })
      .nic("vm4", "subnet3", "10.0.3.4")
      .build();

  test.each([
    // [case, nsg1 allows 80?, nsg2 allows 80?, nic, access, ruleName, NSGs evaluated]
    ["VM1 needs NSG2 too (TC13: fix missing in NSG2)", true, false, "vm1", "Deny", "defaultSecurityRules/DenyAllInBound", 2],
    ["VM1 with the fix in both NSGs (TC13)", true, true, "vm1", "Allow", "securityRules/Allow-HTTP-All", 2],
    ["VM1: NSG1 denies, NSG2 is never evaluated", false, true, "vm1", "Deny", "defaultSecurityRules/DenyAllInBound", 1],
    ["VM2 is decided by NSG1 only", true, false, "vm2", "Allow", "securityRules/Allow-HTTP-All", 1],
    ["VM3 is decided by NSG2 only", true, false, "vm3", "Deny", "defaultSecurityRules/DenyAllInBound", 1],
    ["VM3 allowed when NSG2 allows", false, true, "vm3", "Allow", "securityRules/Allow-HTTP-All", 1],
    ["VM4 has no NSG: allowed", false, false, "vm4", "Allow", null, 0],
  ] as const)("%s", (_name, nsg1, nsg2, nic, access, ruleName, evaluated) => {
    const topo = build(nsg1 ? [allowHttp] : [], nsg2 ? [allowHttp] : []);
    const local = { vm1: "10.0.1.4", vm2: "10.0.1.5", vm3: "10.0.2.4", vm4: "10.0.3.4" }[nic];
    const r = verify(topo, nic, "Inbound", "TCP", `${local}:80`, "198.51.100.7:50000");
    expect(r.access).toBe(access);
    expect(r.ruleName).toBe(ruleName);
    expect(r.nsgs).toHaveLength(evaluated);
  });

  test("inbound: subnet NSG first, then NIC NSG", () => {
    const r = verify(build([allowHttp], [allowHttp]), "vm1", "Inbound", "TCP", "10.0.1.4:80", "198.51.100.7:50000");
    expect(r.nsgs.map((n) => [n.networkSecurityGroup.name, n.appliedTo])).toEqual([
      ["nsg1", "subnet"],
      ["nsg2", "networkInterface"],
    ]);
  });

  test("outbound: NIC NSG first, then subnet NSG", () => {
    const r = verify(build([], []), "vm1", "Outbound", "TCP", "10.0.1.4:50000", "198.51.100.7:80");
    expect(r.access).toBe("Allow");
    expect(r.nsgs.map((n) => [n.networkSecurityGroup.name, n.appliedTo])).toEqual([
      ["nsg2", "networkInterface"],
      ["nsg1", "subnet"],
    ]);
    expect(verify(build([], []), "vm4", "Outbound", "TCP", "10.0.3.4:50000", "198.51.100.7:80").access).toBe("Allow");
  });

  test("outbound deny in the NIC NSG stops before the subnet NSG", () => {
    const denyOut: RuleSpec = { name: "Deny-Web-Out", priority: 100, direction: "Outbound", access: "Deny", protocol: "Tcp", dst: "Internet", dport: "80" };
    const r = verify(build([], [denyOut]), "vm1", "Outbound", "TCP", "10.0.1.4:50000", "198.51.100.7:80");
    expect(r).toMatchObject({ access: "Deny", ruleName: "securityRules/Deny-Web-Out" });
    expect(r.nsgs).toHaveLength(1);
  });
});

describe("TC19: VirtualNetwork includes 168.63.129.16", () => {
  const base = (rules: RuleSpec[]): Topology =>
    new ModelBuilder().vnet("vnet", ["10.1.0.0/24"]).subnet("s", "vnet", "10.1.0.0/24", { nsg: "nsg" }).nsg("nsg", rules).nic("vm", "s", "10.1.0.4").build();

  test("a custom Deny VirtualNetwork at 4000 blocks load balancer probes", () => {
    const r = verify(base([{ name: "Deny-VNet", priority: 4000, direction: "Inbound", access: "Deny", src: "VirtualNetwork", dst: "*" }]), "vm", "Inbound", "TCP", "10.1.0.4:80", "168.63.129.16:50000");
    expect(r).toMatchObject({ access: "Deny", ruleName: "securityRules/Deny-VNet" });
  });

  test("without it, probes are allowed (by AllowVnetInBound, which comes first)", () => {
    const r = verify(base([]), "vm", "Inbound", "TCP", "10.1.0.4:80", "168.63.129.16:50000");
    expect(r).toMatchObject({ access: "Allow", ruleName: "defaultSecurityRules/AllowVnetInBound" });
  });
});

describe("rule matching details", () => {
  const topoWith = (rules: RuleSpec[], extra?: (b: ModelBuilder) => ModelBuilder): Topology => {
    let b = new ModelBuilder().vnet("vnet", ["10.0.0.0/16"]).subnet("s", "vnet", "10.0.0.0/24", { nsg: "nsg" }).nsg("nsg", rules).nic("vm", "s", "10.0.0.4");
    if (extra) b = extra(b);
    return b.build();
  };

  test("lower priority number wins even when declared later", () => {
    const t = topoWith([
      { name: "allow-ssh", priority: 300, direction: "Inbound", access: "Allow", protocol: "Tcp", dport: "22" },
      { name: "deny-ssh", priority: 200, direction: "Inbound", access: "Deny", protocol: "Tcp", dport: "22" },
    ]);
    expect(verify(t, "vm", "Inbound", "TCP", "10.0.0.4:22", "203.0.113.1:1000")).toMatchObject({ access: "Deny", ruleName: "securityRules/deny-ssh" });
  });

  test.each([
    ["first prefix of an augmented rule", "203.0.113.5:1000", "Allow", "securityRules/allow-partners"],
    ["second prefix of an augmented rule", "198.51.100.200:1000", "Allow", "securityRules/allow-partners"],
    ["outside the prefixes", "192.0.2.1:1000", "Deny", "defaultSecurityRules/DenyAllInBound"],
  ] as const)("plural prefixes and ports: %s", (_n, remote, access, ruleName) => {
    const t = topoWith([{ name: "allow-partners", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", src: ["203.0.113.0/24", "198.51.100.128/25"], dport: "443,8443" }]);
    expect(verify(t, "vm", "Inbound", "TCP", "10.0.0.4:8443", remote)).toMatchObject({ access, ruleName });
  });

  test("a TCP rule does not match UDP", () => {
    const t = topoWith([{ name: "allow-dns-tcp", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", dport: "53" }]);
    expect(verify(t, "vm", "Inbound", "UDP", "10.0.0.4:53", "203.0.113.1:1000").access).toBe("Deny");
    expect(verify(t, "vm", "Inbound", "TCP", "10.0.0.4:53", "203.0.113.1:1000").access).toBe("Allow");
  });

  test("source port ranges are honoured", () => {
    const t = topoWith([{ name: "from-high-ports", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", sport: "1024-65535", dport: "80" }]);
    expect(verify(t, "vm", "Inbound", "TCP", "10.0.0.4:80", "203.0.113.1:1023").access).toBe("Deny");
    expect(verify(t, "vm", "Inbound", "TCP", "10.0.0.4:80", "203.0.113.1:1024").access).toBe("Allow");
  });

  test("Internet tag excludes the VNet, private space and 0.0.0.0/8", () => {
    const t = topoWith([{ name: "deny-internet", priority: 100, direction: "Inbound", access: "Deny", src: "Internet" }]);
    expect(verify(t, "vm", "Inbound", "TCP", "10.0.0.4:80", "203.0.113.1:1").ruleName).toBe("securityRules/deny-internet");
    expect(verify(t, "vm", "Inbound", "TCP", "10.0.0.4:80", "10.0.5.5:1").ruleName).toBe("defaultSecurityRules/AllowVnetInBound");
    expect(verify(t, "vm", "Inbound", "TCP", "10.0.0.4:80", "192.168.1.1:1").ruleName).toBe("defaultSecurityRules/DenyAllInBound");
  });

  test("a VNet in public space is VirtualNetwork, not Internet", () => {
    const t = new ModelBuilder()
      .vnet("vnet", ["20.0.0.0/16"])
      .subnet("s", "vnet", "20.0.0.0/24", { nsg: "nsg" })
      .nsg("nsg", [{ name: "deny-internet", priority: 100, direction: "Inbound", access: "Deny", src: "Internet" }])
      .nic("vm", "s", "20.0.0.4")
      .build();
    expect(verify(t, "vm", "Inbound", "TCP", "20.0.0.4:80", "20.0.1.9:1").ruleName).toBe("defaultSecurityRules/AllowVnetInBound");
  });

  test("service tags come from the service tag file", () => {
    const catalog = parseServiceTags({ values: [{ name: "Storage.WestEurope", id: "Storage.WestEurope", properties: { addressPrefixes: ["52.239.0.0/17"] } }] }, "tags.json");
    if (!catalog.ok) throw new Error(catalog.error);
    const t = topoWith([{ name: "deny-storage", priority: 100, direction: "Outbound", access: "Deny", dst: "Storage.WestEurope" }]);
    expect(verify(t, "vm", "Outbound", "TCP", "10.0.0.4:1000", "52.239.1.1:443", catalog.catalog).ruleName).toBe("securityRules/deny-storage");
    expect(verify(t, "vm", "Outbound", "TCP", "10.0.0.4:1000", "52.240.1.1:443", catalog.catalog).ruleName).toBe("defaultSecurityRules/AllowInternetOutBound");
  });

  test("a tag missing from the service tag file makes the answer indeterminate, naming the rule", () => {
    const t = topoWith([{ name: "deny-storage", priority: 100, direction: "Outbound", access: "Deny", dst: "Storage" }]);
    const r = verify(t, "vm", "Outbound", "TCP", "10.0.0.4:1000", "52.239.1.1:443");
    expect(r.access).toBe("Indeterminate");
    expect(r.unknowns?.join(" ")).toContain("service tag Storage");
  });

  test("a missing tag that cannot change the answer does not make it indeterminate", () => {
    // Both possible deciding rules deny: the unknown tag does not matter.
    const t = topoWith([{ name: "deny-storage", priority: 100, direction: "Inbound", access: "Deny", src: "Storage" }]);
    expect(verify(t, "vm", "Inbound", "TCP", "10.0.0.4:80", "52.239.1.1:1")).toMatchObject({ access: "Deny" });
  });

  test("VirtualNetwork includes peered VNets only while the peering allows virtual network access", () => {
    const build = (access: boolean): Topology =>
      topoWith([], (b) =>
        b.vnet("other", ["10.9.0.0/16"]).peering("to-other", "vnet", "other", { allowVirtualNetworkAccess: access }).peering("back", "other", "vnet"),
      );
    expect(verify(build(true), "vm", "Inbound", "TCP", "10.0.0.4:80", "10.9.0.5:1").ruleName).toBe("defaultSecurityRules/AllowVnetInBound");
    expect(verify(build(false), "vm", "Inbound", "TCP", "10.0.0.4:80", "10.9.0.5:1").ruleName).toBe("defaultSecurityRules/DenyAllInBound");
  });

  test("a one-sided peering does not extend VirtualNetwork", () => {
    const t = topoWith([], (b) => b.vnet("other", ["10.9.0.0/16"]).peering("to-other", "vnet", "other"));
    expect(verify(t, "vm", "Inbound", "TCP", "10.0.0.4:80", "10.9.0.5:1").ruleName).toBe("defaultSecurityRules/DenyAllInBound");
  });

  test("UDR prefixes of the subnet's route table join VirtualNetwork", () => {
    const t = new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .subnet("s", "vnet", "10.0.0.0/24", { nsg: "nsg", routeTable: "rt" })
      .routeTable("rt", [{ name: "onprem", prefix: "192.168.0.0/16", nextHopType: "VirtualNetworkGateway" }])
      .nsg("nsg")
      .nic("vm", "s", "10.0.0.4")
      .build();
    expect(verify(t, "vm", "Inbound", "TCP", "10.0.0.4:80", "192.168.3.3:1").ruleName).toBe("defaultSecurityRules/AllowVnetInBound");
  });
});

describe("application security groups", () => {
  const build = (webAsgs: string[] | ReturnType<typeof unknown>): Topology =>
    new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .subnet("s", "vnet", "10.0.0.0/24", { nsg: "nsg" })
      .asg("asg-web")
      .nsg("nsg", [{ name: "allow-https-to-web", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", src: "Internet", dport: "443", dstAsgs: ["asg-web"] }])
      .nic("web", "s", undefined, { asgs: webAsgs as string[] })
      .nic("db", "s", "10.0.0.10")
      .build();

  test("a member NIC with a dynamic IP matches the ASG rule exactly", () => {
    const r = verify(build(["asg-web"]), "web", "Inbound", "TCP", "10.0.0.7:443", "203.0.113.1:1");
    expect(r).toMatchObject({ access: "Allow", ruleName: "securityRules/allow-https-to-web" });
  });

  test("a non-member does not match", () => {
    expect(verify(build(["asg-web"]), "db", "Inbound", "TCP", "10.0.0.10:443", "203.0.113.1:1")).toMatchObject({ access: "Deny", ruleName: "defaultSecurityRules/DenyAllInBound" });
  });

  test("unknown membership decides the answer: indeterminate", () => {
    const r = verify(build(unknown(".ipConfigurations[0].applicationSecurityGroups", "web")), "web", "Inbound", "TCP", "10.0.0.7:443", "203.0.113.1:1");
    expect(r.access).toBe("Indeterminate");
    expect(r.unknowns?.[0]).toContain("applicationSecurityGroups");
  });
});

describe("unknown associations", () => {
  test("an NSG association unknown at preview gives an indeterminate answer naming it", () => {
    const t = new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .subnet("s", "vnet", "10.0.0.0/24", { nsg: unknown(".networkSecurityGroup.id", "urn:s") })
      .nic("vm", "s", "10.0.0.4")
      .build();
    const r = verify(t, "vm", "Inbound", "TCP", "10.0.0.4:80", "203.0.113.1:1");
    expect(r.access).toBe("Indeterminate");
    expect(r.unknowns).toEqual(["urn:s .networkSecurityGroup.id (unknown at preview)"]);
  });

  test("an unknown subnet NSG cannot undo a sure deny of the NIC NSG", () => {
    const t = new ModelBuilder()
      .vnet("vnet", ["10.0.0.0/16"])
      .subnet("s", "vnet", "10.0.0.0/24", { nsg: unknown(".networkSecurityGroup.id", "urn:s") })
      .nsg("nic-nsg")
      .nic("vm", "s", "10.0.0.4", { nsg: "nic-nsg" })
      .build();
    expect(verify(t, "vm", "Inbound", "TCP", "10.0.0.4:80", "203.0.113.1:1")).toMatchObject({ access: "Deny", ruleName: "defaultSecurityRules/DenyAllInBound" });
  });
});

test("a local address that is not the NIC's is refused with its addresses named", () => {
  const topo = new ModelBuilder().vnet("vnet", ["10.0.0.0/16"]).subnet("s", "vnet", "10.0.0.0/24").nic("vm", "s", "10.0.0.4").build();
  const out = ipFlowVerify(engineEnv(topo, EMPTY_CATALOG), { nic: topo.nics.get("vm")!, direction: "Inbound", protocol: "TCP", localIp: "10.0.0.5", localPort: 80, remoteIp: "1.2.3.4", remotePort: 1 });
  expect(out).toEqual({ ok: false, refusal: { input: "local", reason: "10.0.0.5 is not an address of network interface vm (its addresses: 10.0.0.4/32)" } });
});
