import { PortSet } from "../../src/sets/port-set";
import { parseIntentDocument, parseIntentsText, POLICY_CONFIG_KEY } from "../../src/intents/parse";
import type { FlowVerifyIntent, ReachIntent } from "../../src/intents/types";

const VALID = { name: "app-reaches-sql", from: { subnet: "app" }, to: { nic: "sql-nic" }, protocol: "Tcp", ports: "1433", expect: "reachable" };
const FLOW = {
  name: "web-https-in",
  ipFlowVerify: { nic: "web-vm", direction: "Inbound", protocol: "TCP", local: "10.0.1.4:443", remote: "203.0.113.9:50000" },
  expect: "Allow",
  ruleName: "securityRules/allow-https",
};

function one(intent: Record<string, unknown>): { intent?: ReachIntent | FlowVerifyIntent; errors: string[] } {
  const r = parseIntentDocument({ intents: [intent] }, "f.json");
  return r.ok ? { intent: r.intents[0], errors: [] } : { errors: r.errors };
}

describe("the happy path", () => {
  test("a reachability intent with defaults applied", () => {
    const r = one(VALID);
    expect(r.errors).toEqual([]);
    const i = r.intent as ReachIntent;
    expect(i).toMatchObject({ kind: "reach", name: "app-reaches-sql", protocol: "Tcp", portsText: "1433", expect: "reachable", enforcement: "mandatory", layer: "network" });
    expect(i.from).toEqual({ kind: "subnet", ref: "app" });
    expect(i.ports.equals(PortSet.of(1433))).toBe(true);
  });

  test("an IP flow verify assertion", () => {
    const r = one(FLOW);
    expect(r.errors).toEqual([]);
    expect(r.intent).toMatchObject({ kind: "ipFlowVerify", nic: "web-vm", direction: "Inbound", protocol: "TCP", local: { ip: "10.0.1.4", port: 443 }, expect: "Allow", ruleName: "securityRules/allow-https" });
  });
});

describe("one field changed: accepted forms", () => {
  test.each([
    ["protocol absent: Any", { protocol: undefined, ports: undefined }, { protocol: "Any", portsText: "*" }],
    ["protocol in any case", { protocol: "udp" }, { protocol: "Udp" }],
    ["protocol *", { protocol: "*", ports: undefined }, { protocol: "Any" }],
    ["ports as a number", { ports: 443 }, { portsText: "443" }],
    ["ports list and ranges", { ports: "80, 443,8000-8100" }, { portsText: "80,443,8000-8100" }],
    ["ports *", { ports: "*" }, { portsText: "*" }],
    ["advisory", { enforcement: "advisory" }, { enforcement: "advisory" }],
    ["nsg layer", { layer: "nsg" }, { layer: "nsg" }],
    ["unreachable", { expect: "unreachable" }, { expect: "unreachable" }],
    ["cidr normalised", { to: { cidr: "10.0.1.7/24" } }, { to: expect.objectContaining({ kind: "cidr", text: "10.0.1.0/24" }) }],
    ["ip", { to: { ip: "10.0.1.4" } }, { to: expect.objectContaining({ kind: "ip", text: "10.0.1.4" }) }],
    ["service tag", { from: { serviceTag: "Internet" } }, { from: { kind: "serviceTag", tag: "Internet" } }],
    ["regional service tag", { from: { serviceTag: "Storage.WestEurope" } }, { from: { kind: "serviceTag", tag: "Storage.WestEurope" } }],
    ["Azure tags", { to: { tag: { tier: "web", env: "prod" } } }, { to: { kind: "tag", tags: { tier: "web", env: "prod" } } }],
    ["vm", { to: { vm: "web-vm" } }, { to: { kind: "vm", ref: "web-vm" } }],
    ["vnet", { to: { vnet: "spoke" } }, { to: { kind: "vnet", ref: "spoke" } }],
    ["asg", { to: { asg: "asg-db" } }, { to: { kind: "asg", ref: "asg-db" } }],
  ])("%s", (_name, change, expected) => {
    const r = one({ ...VALID, ...change });
    expect(r.errors).toEqual([]);
    expect(r.intent).toMatchObject(expected);
  });
});

describe("one field changed: rejected, naming the intent, the field and what is allowed", () => {
  const where = 'f.json: intent "app-reaches-sql" (intents[0]), field';
  test.each([
    ["protocol", { protocol: "Tcpp" }, `${where} "protocol": "Tcpp" is not allowed; use Tcp, Udp, Icmp, Any (default Any)`],
    ["ports", { ports: "80-70" }, `${where} "ports": "80-70" is a reversed port range (start 80 is above end 70); write destination ports as Azure does: "443", "80,443,8000-8100" or "*"`],
    ["ports out of range", { ports: "70000" }, `${where} "ports": "70000" is outside the port range 0-65535; write destination ports as Azure does: "443", "80,443,8000-8100" or "*"`],
    ["ports with ICMP", { protocol: "Icmp", ports: "80" }, `${where} "ports": ICMP has no ports: leave "ports" out or use "*" with protocol Icmp`],
    ["expect", { expect: "maybe" }, `${where} "expect": "maybe" is not allowed; use reachable or unreachable`],
    ["expect absent", { expect: undefined }, `${where} "expect": is required; use reachable or unreachable`],
    ["enforcement", { enforcement: "strict" }, `${where} "enforcement": "strict" is not allowed; use mandatory, advisory (default mandatory)`],
    ["layer", { layer: "routes" }, `${where} "layer": "routes" is not allowed; use nsg (NSG chain only) or network (routing and NSGs, the default)`],
    ["unknown field", { port: "80" }, `${where} "port": is not a field of this kind of intent; allowed: name, description, from, to, protocol, ports, expect, enforcement, layer`],
    ["from absent", { from: undefined }, `${where} "from": is required: a selector such as {"subnet":"app"}, {"nic":"db-nic"}, {"cidr":"10.0.0.0/8"} or {"serviceTag":"Internet"}`],
    ["selector key", { from: { subnets: "app" } }, `${where} "from": "subnets" is not a selector; use one of: nic, vm, subnet, vnet, asg, privateEndpoint, cidr, ip, serviceTag, tag`],
    ["two selector keys", { from: { subnet: "app", nic: "x" } }, `${where} "from": is several keys (subnet, nic); a selector has exactly one of: nic, vm, subnet, vnet, asg, privateEndpoint, cidr, ip, serviceTag, tag`],
    ["empty name", { from: { subnet: "" } }, `${where} "from": "subnet" must be a non-empty string (logical name, URN or Azure name), not ""`],
    ["bad cidr", { to: { cidr: "10.0.0.0/33" } }, `${where} "to": "cidr" must be an IPv4 or IPv6 CIDR prefix such as "10.0.0.0/16", not "10.0.0.0/33"`],
    ["bad ip", { to: { ip: "10.0.1" } }, `${where} "to": "ip" must be an IPv4 or IPv6 address such as "10.0.1.4", not "10.0.1"`],
    ["bad tag", { to: { tag: "web" } }, `${where} "to": "tag" must be a non-empty object of Azure tags, e.g. {"tag":{"tier":"web"}}, not "web"`],
    ["bad service tag", { from: { serviceTag: "Internet!" } }, `${where} "from": "serviceTag" must be a service tag name such as "Internet" or "Storage.WestEurope", not "Internet!"`],
  ])("%s", (_name, change, message) => {
    const r = one({ ...VALID, ...change });
    expect(r.errors).toEqual([message]);
  });

  test("a missing name", () => {
    expect(one({ ...VALID, name: undefined }).errors).toEqual(['f.json: intent (intents[0]), field "name": is required: a non-empty string naming the intent']);
  });

  test("every error of an intent is reported, not just the first", () => {
    expect(one({ ...VALID, protocol: "x", expect: "y" }).errors).toHaveLength(2);
  });

  test("duplicate names", () => {
    const r = parseIntentDocument({ intents: [VALID, VALID] }, "f.json");
    expect(r.ok ? [] : r.errors).toEqual(['f.json: intent "app-reaches-sql" (intents[1]), field "name": duplicates intents[0]; intent names must be unique']);
  });
});

describe("IP flow verify assertions: one field changed", () => {
  const where = 'f.json: intent "web-https-in" (intents[0]), field';
  test.each([
    ["direction", { direction: "In" }, `${where} "ipFlowVerify.direction": "In" is not allowed; use Inbound or Outbound`],
    ["protocol", { protocol: "ICMP" }, `${where} "ipFlowVerify.protocol": "ICMP" is not allowed; use TCP or UDP (IP flow verify checks TCP and UDP only)`],
    ["local", { local: "10.0.1.4" }, `${where} "ipFlowVerify.local": "10.0.1.4" is not allowed; write IP:PORT such as "10.0.1.4:443" (IPv6 as "[2001:db8::4]:443", port 0-65535)`],
    ["nic", { nic: "" }, `${where} "ipFlowVerify.nic": is required: the NIC or VM (logical name, URN or Azure name), not ""`],
  ])("%s", (_name, change, message) => {
    expect(one({ ...FLOW, ipFlowVerify: { ...FLOW.ipFlowVerify, ...change } }).errors).toEqual([message]);
  });

  test.each([
    ["expect", { expect: "reachable" }, `${where} "expect": "reachable" is not allowed; an IP flow verify assertion expects Allow or Deny`],
    ["ruleName", { ruleName: "allow-https" }, `${where} "ruleName": "allow-https" is not allowed; write it as IP flow verify does: "securityRules/<name>" or "defaultSecurityRules/<name>"`],
  ])("%s", (_name, change, message) => {
    expect(one({ ...FLOW, ...change }).errors).toEqual([message]);
  });

  test("IPv6 endpoints", () => {
    const r = one({ ...FLOW, ipFlowVerify: { ...FLOW.ipFlowVerify, local: "[2001:db8::4]:443" } });
    expect(r.intent).toMatchObject({ local: { ip: "2001:db8::4", port: 443 } });
  });
});

describe("documents", () => {
  test.each([
    ["{intents: [...]}", { intents: [VALID] }],
    ["a bare list", [VALID]],
    ["a policy-pack config file", { [POLICY_CONFIG_KEY]: { enforcementLevel: "mandatory", intents: [VALID] } }],
  ])("%s", (_name, doc) => {
    const r = parseIntentDocument(doc, "f.json");
    expect(r.ok && r.intents.map((i) => i.name)).toEqual(["app-reaches-sql"]);
  });

  test("YAML", () => {
    const yaml = ["intents:", "  - name: no-admin", "    from: { serviceTag: Internet }", "    to: { vnet: spoke }", "    protocol: Tcp", '    ports: "22,3389"', "    expect: unreachable"].join("\n");
    const r = parseIntentsText(yaml, "i.yaml");
    expect(r.ok && r.intents[0]).toMatchObject({ name: "no-admin", portsText: "22,3389", expect: "unreachable" });
  });

  test.each([
    ["invalid JSON", "{ intents: [", /^f.json is not valid JSON: /],
    ["invalid YAML", "intents: [a, b", /^f.json is not valid YAML: /],
    ["no intents key", '{"rules": []}', /^f.json: expected \{"intents": \[\.\.\.\]\} \(or a list of intents\), found an object with keys "rules"$/],
    ["intents not a list", '{"intents": {}}', /^f.json: "intents" must be a list of intents, not \{\}$/],
  ])("%s", (_name, text, message) => {
    const r = parseIntentsText(text, "f.json");
    expect(r.ok).toBe(false);
    expect(r.ok ? "" : r.errors[0]).toMatch(message);
  });
});
