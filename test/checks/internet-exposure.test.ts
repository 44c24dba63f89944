import { exposureCount, ingressPaths, internetExposure } from "../../src/checks/internet-exposure";
import { flowCountRisk } from "../../src/checks/flow-count-risk";
import { ingressRoutes } from "../../src/engine/ingress";
import { unknown } from "../../src/model/unknown";
import { FlowSet } from "../../src/sets/flow-set";
import { IpSet } from "../../src/sets/ip-set";
import { PortSet } from "../../src/sets/port-set";
import { ProtocolSet, Tcp } from "../../src/sets/protocol-set";
import type { RuleSpec } from "../helpers/model-builder";
import { addIpConfig, addLoadBalancer, lbRule, addSubnetPrefix, env, happy, HTTPS_FROM_ANY, HTTPS_FROM_INTERNET, oneLine, patchPrimary, patchRule, pluralPorts } from "./fixture";

const ssh = (src: RuleSpec["src"], extra: Partial<RuleSpec> = {}): RuleSpec => ({ name: "allow-ssh", priority: 110, direction: "Inbound", access: "Allow", protocol: "Tcp", src, dport: "22", ...extra });

/** Public IPv4 space outside the VNet and the platform address: the "any Internet source" of the fixture. */
const PUBLIC_V4_SOURCES = (() => {
  const nonPublic = ["0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3"];
  return IpSet.allV4().subtract(IpSet.fromPrefixes(nonPublic)).subtract(IpSet.fromCidr("168.63.129.16/32"));
})();

function exposure(topo = happy()) {
  return internetExposure.run({ env: env(topo) });
}

describe("internet-exposure: baseline", () => {
  const [f, ...rest] = exposure();

  test("one finding: web-nic on TCP 443 from anywhere, low", () => {
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ check: "internet-exposure", id: "AR-001", severity: "low" });
    expect(f.message).toBe(
      "NIC web-nic (VM web-vm) is reachable from the Internet via public IP web-pip on TCP 443 from any Internet source (rules nsg-web/securityRules/allow-https, nsg-web-nic/securityRules/allow-https)",
    );
    expect(f.rules).toEqual(["nsg-web/securityRules/allow-https", "nsg-web-nic/securityRules/allow-https"]);
    expect(f.resources[0]).toContain("networkInterfaces::web-nic");
    expect(f.resources).toEqual(expect.arrayContaining([expect.stringContaining("::web-vm"), expect.stringContaining("::web-pip")]));
  });

  test("exposure figures: 1 port x every public IPv4 source outside the VNet (bigint-safe strings)", () => {
    expect(f.details).toMatchObject({ tcpPorts: "443", udpPorts: "(none)", exposedPorts: 1, exposedSources: PUBLIC_V4_SOURCES.size().toString(), exposure: PUBLIC_V4_SOURCES.size().toString(), indeterminate: false, noNsg: false });
  });

  test("the example is a real exposed flow", () => {
    expect(f.example).toMatchObject({ protocol: Tcp, dstPort: 443, dst: "10.1.1.4" });
  });
});

describe("internet-exposure: 'anywhere' in every spelling, in both NSGs, is a management-port exposure", () => {
  test.each([
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["*", "*"],
    ["Internet", "Internet"],
    ["Any", "Any"],
    ["plural prefixes covering IPv4", ["0.0.0.0/1", "128.0.0.0/1"]],
    ["plural prefixes, mixed spellings", ["Internet", "10.0.0.0/8"]],
  ] as const)("source %s", (_name, src) => {
    const s = ssh(src as RuleSpec["src"]);
    const [f] = exposure(happy({ nsgWeb: [HTTPS_FROM_INTERNET, s], nsgWebNic: [HTTPS_FROM_ANY, s] }));
    expect(f.severity).toBe("high");
    expect(f.details?.managementPorts).toEqual(["TCP 22 (SSH)"]);
    expect(f.details?.tcpPorts).toBe("22,443");
    expect(f.message).toContain("management port TCP 22 (SSH) open to the Internet");
    expect(f.rules).toEqual(expect.arrayContaining(["nsg-web/securityRules/allow-ssh", "nsg-web-nic/securityRules/allow-ssh"]));
  });

  test("::/0 exposes an IPv6 configuration with a public IPv6 address", () => {
    let topo = happy({ nsgWeb: [ssh("::/0")], nsgWebNic: [ssh("::/0")] });
    topo = addSubnetPrefix(topo, "web", "2001:db8:1::/64");
    topo = addIpConfig(topo, "web-nic", { name: "ipconfig-v6", subnetKey: "web", privateIpAddress: "2001:db8:1::4", publicIpKey: "web-pip-v6" });
    const findings = exposure(topo);
    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe("high");
    expect(findings[0].example).toMatchObject({ dst: "2001:db8:1::4", dstPort: 22 });
    // IPv6 sources only: 2000::/3 (the IPv4 configuration's sources are not opened by ::/0).
    expect(findings[0].details?.exposedSources).toBe((2n ** 125n).toString());
  });

  test("::/0 does not open an IPv4-only NIC", () => {
    expect(exposure(happy({ nsgWeb: [ssh("::/0")], nsgWebNic: [ssh("::/0")] }))).toEqual([]);
  });
});

describe("internet-exposure: near misses are not exposures", () => {
  test.each<[string, Parameters<typeof happy>[0]]>([
    ["a higher-priority deny makes the open rule harmless", {
      nsgWeb: [HTTPS_FROM_INTERNET, { name: "deny-ssh", priority: 105, direction: "Inbound", access: "Deny", protocol: "*", src: "*", dport: "22" }, ssh("*")],
      nsgWebNic: [HTTPS_FROM_ANY, ssh("*")],
    }],
    ["the subnet NSG does not open 22 (only the NIC NSG does)", { nsgWebNic: [HTTPS_FROM_ANY, ssh("*")] }],
    ["source is private space only", { nsgWeb: [HTTPS_FROM_INTERNET, ssh("10.0.0.0/8")], nsgWebNic: [HTTPS_FROM_ANY, ssh("10.0.0.0/8")] }],
    ["source is VirtualNetwork", { nsgWeb: [HTTPS_FROM_INTERNET, ssh("VirtualNetwork")], nsgWebNic: [HTTPS_FROM_ANY, ssh("VirtualNetwork")] }],
    ["Outbound rule, not inbound", { nsgWeb: [HTTPS_FROM_INTERNET, ssh("*", { direction: "Outbound" })], nsgWebNic: [HTTPS_FROM_ANY, ssh("*", { direction: "Outbound" })] }],
  ])("%s: only TCP 443 stays exposed", (_name, o) => {
    const findings = exposure(happy(o));
    expect(findings).toHaveLength(1);
    expect(findings[0].details?.tcpPorts).toBe("443");
    expect(findings[0].severity).toBe("low");
  });

  test("no public IP: an NSG open to the world is not Internet exposure (not reported)", () => {
    const open = ssh("*", { dport: "*", protocol: "*" });
    expect(exposure(happy({ webPublicIp: null, nsgWeb: [open], nsgWebNic: [open] }))).toEqual([]);
  });

  test("internal load balancer pool: not exposed", () => {
    let topo = happy({ webPublicIp: null, nsgWeb: [ssh("*")], nsgWebNic: [ssh("*")] });
    topo = addLoadBalancer(topo, "ilb", []);
    topo = patchPrimary(topo, "web-nic", (c) => ({ ...c, backendPoolRefs: ["ilb/backendAddressPools/pool"] }));
    expect(exposure(topo)).toEqual([]);
  });

  test("the platform address 168.63.129.16 (AllowAzureLoadBalancerInBound) is not an Internet source", () => {
    const [f] = exposure();
    expect(IpSet.fromCidr(String(f.example?.src) + "/32").overlaps(IpSet.fromCidr("168.63.129.16/32"))).toBe(false);
    expect(f.details?.udpPorts).toBe("(none)");
  });
});

describe("internet-exposure: ports written every way", () => {
  test("plural destinationPortRanges hiding 22 among others", () => {
    let topo = happy({ nsgWeb: [ssh("*", { dport: "8443" })], nsgWebNic: [ssh("*", { dport: "8443" })] });
    for (const nsg of ["nsg-web", "nsg-web-nic"]) topo = patchRule(topo, nsg, "allow-ssh", (r) => ({ ...r, destinationPorts: pluralPorts(["8443", "20-25"]) }));
    const [f] = exposure(topo);
    expect(f.severity).toBe("high");
    expect(f.details?.tcpPorts).toBe("20-25,8443");
    expect(f.details?.managementPorts).toEqual(["TCP 22 (SSH)"]);
  });

  test.each<[string, Partial<RuleSpec>, string]>([
    ["a range containing 3389", { dport: "3000-4000" }, "TCP 3389 (RDP)"],
    ["comma list", { dport: "80,5985-5986" }, "TCP 5985 (WinRM)"],
    ["protocol * covers RDP over UDP", { protocol: "*", dport: "3389" }, "UDP 3389 (RDP/UDP)"],
  ])("%s", (_name, change, expected) => {
    const r = ssh("*", change);
    const [f] = exposure(happy({ nsgWeb: [r], nsgWebNic: [r] }));
    expect(f.severity).toBe("high");
    expect(f.details?.managementPorts).toEqual(expect.arrayContaining([expected]));
  });
});

describe("internet-exposure: severities", () => {
  test("management port from a narrow source range: medium", () => {
    const r = ssh("203.0.113.0/24");
    const [f] = exposure(happy({ nsgWeb: [HTTPS_FROM_INTERNET, r], nsgWebNic: [HTTPS_FROM_ANY, r] }));
    expect(f.severity).toBe("medium");
    expect(f.message).toContain("TCP 22 (SSH) from 203.0.113.0/24");
  });

  test.each([
    ["more than 1000 ports", { dport: "1000-2500" }, "1501 ports open"],
    ["a full range", { dport: "*" }, "65536 ports open"],
    ["plural ranges adding up", { dport: "10000-10600", plural: ["10000-10600", "20000-20600"] }, "1202 ports open"],
  ] as const)("%s from the Internet: high, with the flow-count explanation", (_name, change, text) => {
    const r = ssh("Internet", { dport: change.dport });
    let topo = happy({ nsgWeb: [r], nsgWebNic: [r] });
    if ("plural" in change) for (const nsg of ["nsg-web", "nsg-web-nic"]) topo = patchRule(topo, nsg, "allow-ssh", (x) => ({ ...x, destinationPorts: pluralPorts([...change.plural]) }));
    const [f] = exposure(topo);
    expect(f.severity).toBe("high");
    expect(f.details?.allPortsOpen).toBe(true);
    expect(f.message).toContain(text);
    expect(f.message).toContain("500k inbound flows");
  });

  test("1000 ports exactly is not 'nearly all'", () => {
    const r = ssh("Internet", { dport: "10001-11000" });
    const [f] = exposure(happy({ nsgWeb: [r], nsgWebNic: [r] }));
    expect(f.severity).toBe("low");
    expect(f.details?.exposedPorts).toBe(1000);
  });

  test("public IP and no NSG anywhere: every port and protocol exposed, high", () => {
    const [f] = exposure(happy({ webNsg: null, webNicNsg: null }));
    expect(f.severity).toBe("high");
    expect(f.details).toMatchObject({ noNsg: true, tcpPorts: "*", udpPorts: "*", exposedPorts: 131072, allPortsOpen: true });
    expect(f.rules).toBeUndefined();
    expect(f.message).toContain("no NSG on the NIC or its subnet, so every port is open");
    expect(f.message).toContain("every other IP protocol");
    // ports x sources, exactly, as a string (2 x 65536 x |sources| does not fit a double exactly).
    expect(f.details?.exposure).toBe((PUBLIC_V4_SOURCES.size() * 131072n).toString());
  });
});

describe("internet-exposure: ingress paths", () => {
  test("public load balancer backend pool: exposed through the load balancer rule", () => {
    let topo = happy({ webPublicIp: null });
    topo = addLoadBalancer(topo, "lb-web", ["lb-pip"], ["pool"], [lbRule("https", "Tcp", 443)]);
    topo = patchPrimary(topo, "web-nic", (c) => ({ ...c, backendPoolRefs: ["LB-WEB/backendAddressPools/pool"] }));
    const [f] = exposure(topo);
    expect(f.message).toContain("via public load balancer lb-web rule https (TCP 443)");
    expect(f.resources).toEqual(expect.arrayContaining([expect.stringContaining("LoadBalancer::lb-web")]));
  });

  // Fails on the code before issue 16, which took a public LB to forward every port of its pool.
  test("a public load balancer with no rule forwards nothing: no exposure, however open the NSGs", () => {
    const r = ssh("*");
    let topo = happy({ webPublicIp: null, nsgWeb: [r], nsgWebNic: [r] });
    topo = addLoadBalancer(topo, "lb-web", ["lb-pip"]);
    topo = patchPrimary(topo, "web-nic", (c) => ({ ...c, backendPoolRefs: ["lb-web/backendAddressPools/pool"] }));
    expect(exposure(topo)).toEqual([]);
  });

  test.each([
    // [rules, NSG allows (both NSGs), exposed TCP ports]
    ["one TCP 80 rule, NSG allows 80 and 22", [lbRule("http", "Tcp", 80)], ["80", "22"], "80"],
    ["TCP 80 -> 8080: the NSG sees 8080", [lbRule("http", "Tcp", 80, 8080)], ["8080"], "8080"],
    ["TCP 80 -> 8080 but the NSG allows only 80: nothing", [lbRule("http", "Tcp", 80, 8080)], ["80"], undefined],
    ["two rules", [lbRule("http", "Tcp", 80), lbRule("https", "Tcp", 443)], ["80", "443", "22"], "80,443"],
  ] as const)("%s", (_name, rules, allowed, exposed) => {
    const allow = allowed.map((p, i): RuleSpec => ({ name: `allow-${p}`, priority: 100 + i, direction: "Inbound", access: "Allow", protocol: "Tcp", src: "*", dport: p }));
    let topo = happy({ webPublicIp: null, nsgWeb: allow, nsgWebNic: allow });
    topo = addLoadBalancer(topo, "lb-web", ["lb-pip"], ["pool"], rules);
    topo = patchPrimary(topo, "web-nic", (c) => ({ ...c, backendPoolRefs: ["lb-web/backendAddressPools/pool"] }));
    const found = exposure(topo);
    if (exposed === undefined) expect(found).toEqual([]);
    else {
      expect(found).toHaveLength(1);
      expect(found[0].details?.tcpPorts).toBe(exposed);
      expect(found[0].details?.managementPorts).toEqual([]);
    }
  });

  test("public IP on a secondary configuration exposes that configuration's address", () => {
    let topo = happy({ webPublicIp: null });
    topo = addIpConfig(topo, "web-nic", { name: "ipconfig2", subnetKey: "web", privateIpAddress: "10.1.1.5", publicIpKey: "web-pip-2" });
    const [f] = exposure(topo);
    expect(f.example?.dst).toBe("10.1.1.5");
  });

  test("public IP association unknown at preview: 'may be reachable', severity capped at medium", () => {
    const r = ssh("*");
    let topo = happy({ webPublicIp: null, nsgWeb: [r], nsgWebNic: [r] });
    topo = patchPrimary(topo, "web-nic", (c) => ({ ...c, publicIpKey: unknown(".ipConfigurations[0].publicIPAddress.id", "urn:web-nic") }));
    const [f] = exposure(topo);
    expect(f.severity).toBe("medium");
    expect(f.message).toContain("may be reachable");
    expect(f.message).toContain("publicIPAddress.id");
    expect(f.details?.indeterminate).toBe(true);
  });

  test("pool of a load balancer outside the plan: indeterminate", () => {
    let topo = happy({ webPublicIp: null });
    topo = patchPrimary(topo, "web-nic", (c) => ({ ...c, backendPoolRefs: ["/subscriptions/x/loadBalancers/other/backendAddressPools/p"] }));
    const [f] = exposure(topo);
    expect(f.details?.indeterminate).toBe(true);
    expect(f.message).toContain("is not in the plan");
  });

  test("dynamic private address: the exposure covers the address range it can get", () => {
    const topo = patchPrimary(happy(), "web-nic", (c) => ({ ...c, allocation: "Dynamic", privateIpAddress: undefined }));
    const [f] = exposure(topo);
    expect(f.details?.tcpPorts).toBe("443");
  });
});

describe("exposureCount is exact on overlapping projections", () => {
  test("two cubes differing only in destination count once", () => {
    const src = IpSet.fromCidr("203.0.113.0/24");
    const flows = FlowSet.fromCubes([
      { src, dst: IpSet.fromCidr("10.0.0.4/32"), protocols: ProtocolSet.of(Tcp), dstPorts: PortSet.of(80, 81) },
      { src, dst: IpSet.fromCidr("10.0.0.5/32"), protocols: ProtocolSet.of(Tcp), dstPorts: PortSet.of(81, 82) },
    ]);
    expect(exposureCount(flows)).toBe(256n * 3n);
  });
});

test("messages are one line", () => {
  const all = [
    ...exposure(),
    ...exposure(happy({ webNsg: null, webNicNsg: null })),
    ...exposure(happy({ nsgWeb: [ssh("203.0.113.0/24")], nsgWebNic: [ssh("203.0.113.0/24")] })),
  ];
  expect(oneLine(all)).toBe(true);
});

describe("internet-exposure: findings shared per engine environment", () => {
  test("AR-001 twice over one environment, and AR-020 after it, give what fresh environments give", () => {
    const topo = happy();
    const shared = env(topo);
    const first = internetExposure.run({ env: shared });
    const again = internetExposure.run({ env: shared });
    expect(again).toEqual(first);
    expect(again).not.toBe(first); // each run gets its own array
    expect(first).toEqual(internetExposure.run({ env: env(topo) }));
    expect(flowCountRisk.run({ env: shared })).toEqual(flowCountRisk.run({ env: env(topo) }));
  });

  test("ingressPaths (from the engine's ingress summary) are ingressRoutes' routes that let something in", () => {
    const topo = happy();
    for (const nic of topo.nics.values()) {
      expect(ingressPaths(topo, nic)).toEqual(ingressRoutes(topo, nic).filter((r) => !r.admits.isEmpty() || !r.doubtful.isEmpty()));
    }
  });
});
