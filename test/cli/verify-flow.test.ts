import { join } from "path";
import { cli } from "../helpers/cli";

const EXAMPLE = join(__dirname, "../../examples/nsg-basics");
const EXPORT = join(EXAMPLE, "stack-export.json");
const PREVIEW = join(EXAMPLE, "preview.json");
const INPUTS = [
  ["stack export", EXPORT],
  ["first preview", PREVIEW],
] as const;

/** TC10/TC13 and the example's own rules, as Network Watcher would answer them. */
const CASES = [
  // [case, nic, direction, local, remote, access, ruleName, NSGs evaluated]
  ["TC10 vm1: NSG1 allows, NSG2 (NIC) denies", "vm1", "Inbound", "10.0.1.4:80", "203.0.113.9:50000", "Deny", "securityRules/Deny-HTTP", 2],
  ["TC10 vm2: decided by NSG1 only", "vm2", "Inbound", "10.0.1.5:80", "203.0.113.9:50000", "Allow", "securityRules/Allow-HTTP-All", 1],
  ["TC10 vm3: decided by NSG2 only", "vm3", "Inbound", "10.0.2.4:8080", "203.0.113.9:50000", "Allow", "securityRules/Allow-8080", 1],
  ["TC10 vm4: no NSG at all", "vm4", "Inbound", "10.0.3.4:80", "203.0.113.9:50000", "Allow", null, 0],
  ["NSG1's deny ends evaluation before NSG2's allow", "vm1", "Inbound", "10.0.1.4:8080", "10.0.3.4:50000", "Deny", "securityRules/Deny-8080", 1],
  ["TC1a-like: outbound to the Internet", "vm1", "Outbound", "10.0.1.4:60000", "13.107.21.200:80", "Allow", "defaultSecurityRules/AllowInternetOutBound", 2],
  ["outbound to 172.31/12 is denied (TC2)", "vm2", "Outbound", "10.0.1.5:60000", "172.31.0.100:80", "Deny", "defaultSecurityRules/DenyAllOutBound", 1],
  ["ASG member: HTTPS allowed", "web1", "Inbound", "10.0.4.4:443", "198.51.100.77:50000", "Allow", "securityRules/Allow-HTTPS-To-Web", 1],
  ["not an ASG member: HTTPS denied", "web2", "Inbound", "10.0.4.5:443", "198.51.100.77:50000", "Deny", "defaultSecurityRules/DenyAllInBound", 1],
  ["augmented rule, second prefix, second port", "web1", "Inbound", "10.0.4.4:3389", "198.51.100.12:50000", "Allow", "securityRules/Allow-Admin-From-Offices", 1],
  ["augmented rule: other sources denied", "web1", "Inbound", "10.0.4.4:22", "192.0.2.12:50000", "Deny", "defaultSecurityRules/DenyAllInBound", 1],
] as const;

describe.each(INPUTS)("verify-flow on examples/nsg-basics (%s)", (_label, input) => {
  test.each(CASES)("%s", async (_name, nic, direction, local, remote, access, ruleName, evaluated) => {
    const r = await cli("verify-flow", input, "--nic", nic, "--direction", direction, "--protocol", "TCP", "--local", local, "--remote", remote, "--json");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.access).toBe(access);
    expect(json.ruleName).toBe(ruleName);
    expect(json.nsgs).toHaveLength(evaluated);
  });
});

test("the NSGs evaluated are named with where they apply (inbound: subnet, then NIC)", async () => {
  const r = await cli("verify-flow", EXPORT, "--nic", "vm1-nic", "--direction", "Inbound", "--protocol", "tcp", "--local", "10.0.1.4:80", "--remote", "203.0.113.9:50000", "--json");
  const json = JSON.parse(r.out);
  expect(json.nsgs.map((n: { networkSecurityGroup: { name: string }; appliedTo: string; access: string; ruleName: string }) => [n.networkSecurityGroup.name, n.appliedTo, n.access, n.ruleName])).toEqual([
    ["nsg1", "subnet", "Allow", "securityRules/Allow-HTTP-All"],
    ["nsg2", "networkInterface", "Deny", "securityRules/Deny-HTTP"],
  ]);
  expect(json.networkInterface.id).toMatch(/\/networkInterfaces\/vm1-nic$/);
});

test("a NIC can be named by URN, and the answer is readable without --json", async () => {
  const urn = "urn:pulumi:dev::nsg-basics::azure-native:network:NetworkInterface::vm1-nic";
  const r = await cli("verify-flow", EXPORT, "--nic", urn, "--direction", "Inbound", "--protocol", "TCP", "--local", "10.0.1.4:80", "--remote", "203.0.113.9:50000");
  expect(r.code).toBe(0);
  expect(r.out.split("\n").slice(0, 5)).toEqual([
    "IP flow verify  Inbound TCP 203.0.113.9:50000 -> 10.0.1.4:80  at vm1-nic",
    "  access:   Deny",
    "  rule:     securityRules/Deny-HTTP",
    "  1. NSG nsg1 on the subnet subnet1: Allow by securityRules/Allow-HTTP-All",
    "  2. NSG nsg2 on the network interface vm1-nic: Deny by securityRules/Deny-HTTP",
  ]);
});

describe("bad input: exit 2, one line naming the problem, no stack trace", () => {
  const ok = ["--direction", "Inbound", "--protocol", "TCP", "--local", "10.0.1.4:80", "--remote", "203.0.113.9:50000"];
  test.each([
    ["a missing file", ["verify-flow", "/nonexistent/export.json", "--nic", "vm1", ...ok], "cannot read /nonexistent/export.json"],
    ["a JSON file that is not Pulumi's", ["verify-flow", join(__dirname, "../../tsconfig.json"), "--nic", "vm1", ...ok], "is not a Pulumi stack export or preview file"],
    ["an unknown NIC names the candidates", ["verify-flow", EXPORT, "--nic", "vm9", ...ok], 'no network interface or VM "vm9" in the plan (candidates:'],
    ["a malformed address", ["verify-flow", EXPORT, "--nic", "vm1", "--direction", "Inbound", "--protocol", "TCP", "--local", "10.0.1.4:80", "--remote", "203.0.113.300:5"], '--remote: "203.0.113.300" is not'],
    ["a port out of range", ["verify-flow", EXPORT, "--nic", "vm1", "--direction", "Inbound", "--protocol", "TCP", "--local", "10.0.1.4:80", "--remote", "203.0.113.3:70000"], "--remote: port 70000 is outside 0-65535"],
    ["a bad direction", ["verify-flow", EXPORT, "--nic", "vm1", "--direction", "Sideways", "--protocol", "TCP", "--local", "10.0.1.4:80", "--remote", "203.0.113.3:5"], '--direction must be Inbound or Outbound, not "Sideways"'],
    ["ICMP is not an IP flow verify protocol", ["verify-flow", EXPORT, "--nic", "vm1", "--direction", "Inbound", "--protocol", "ICMP", "--local", "10.0.1.4:80", "--remote", "203.0.113.3:5"], "--protocol must be TCP or UDP"],
    ["a local address that is not the NIC's", ["verify-flow", EXPORT, "--nic", "vm1", "--direction", "Inbound", "--protocol", "TCP", "--local", "10.0.1.9:80", "--remote", "203.0.113.3:5"], "--local: 10.0.1.9 is not an address of network interface vm1-nic"],
    ["a missing option", ["verify-flow", EXPORT, "--direction", "Inbound"], "--nic is required"],
    ["an unknown command", ["frobnicate"], "unknown command"],
  ])("%s", async (_name, argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain(message);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});

describe("effective-rules", () => {
  test.each(INPUTS)("vm1 on the %s: NSG1 (subnet) then NSG2 (NIC), rules in evaluation order, tags expanded", async (_label, input) => {
    const r = await cli("effective-rules", input, "--nic", "vm1", "--json");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.value).toHaveLength(2);
    expect(Object.keys(json.value[0].association)).toEqual(["subnet"]);
    expect(Object.keys(json.value[1].association)).toEqual(["networkInterface"]);
    const names = json.value[1].effectiveSecurityRules.map((x: { name: string }) => x.name);
    expect(names).toEqual([
      "securityRules/Deny-HTTP",
      "securityRules/Allow-8080",
      "defaultSecurityRules/AllowVnetInBound",
      "defaultSecurityRules/AllowAzureLoadBalancerInBound",
      "defaultSecurityRules/DenyAllInBound",
      "defaultSecurityRules/AllowVnetOutBound",
      "defaultSecurityRules/AllowInternetOutBound",
      "defaultSecurityRules/DenyAllOutBound",
    ]);
    const vnetIn = json.value[1].effectiveSecurityRules[2];
    expect(vnetIn).toMatchObject({ protocol: "All", sourcePortRange: "0-65535", sourceAddressPrefix: "VirtualNetwork", access: "Allow", priority: 65000, direction: "Inbound" });
    expect(vnetIn.expandedSourceAddressPrefix).toEqual(["10.0.0.0/16", "168.63.129.16/32"]);
    expect(json.value[1].effectiveSecurityRules[0]).toMatchObject({ protocol: "Tcp", destinationPortRange: "80-80" });
  });

  test("plural fields stay plural (augmented rules)", async () => {
    const r = await cli("effective-rules", EXPORT, "--nic", "web1", "--json");
    const rule = JSON.parse(r.out).value[0].effectiveSecurityRules.find((x: { name: string }) => x.name === "securityRules/Allow-Admin-From-Offices");
    expect(rule.sourceAddressPrefixes).toEqual(["203.0.113.0/24", "198.51.100.0/24"]);
    expect(rule.destinationPortRanges).toEqual(["22-22", "3389-3389"]);
  });

  test("a NIC with no NSG anywhere says so", async () => {
    const r = await cli("effective-rules", EXPORT, "--nic", "vm4");
    expect(r.code).toBe(0);
    expect(r.out).toContain("no NSG on the NIC or its subnet (all traffic allowed)");
  });
});
