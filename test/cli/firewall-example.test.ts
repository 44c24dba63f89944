/**
 * Issue 15's "done when", on examples/hub-and-spoke-firewall, from the stack export and from the first preview
 * (the firewall's private IP is not in either: it is taken as AzureFirewallSubnet's first assignable address):
 * spoke1 -> spoke2 on 443 Reachable through the firewall; on 22 Unreachable naming the firewall's default deny;
 * Internet -> the DNAT'd port reaches the web VM, the trace showing both legs and the translated leg's NSGs.
 * Each fails on the code before issue 15 (the firewall was unmodelled: the trace was Indeterminate).
 */
import { join } from "path";
import { cli } from "../helpers/cli";

const EXAMPLE = join(__dirname, "../../examples/hub-and-spoke-firewall");
const INPUTS = [join(EXAMPLE, "stack-export.json"), join(EXAMPLE, "preview.json")];

interface Json {
  connectionStatus: string;
  hops: Array<{ type: string; name: string; address: string; issues: Array<{ type: string; context: Array<{ key: string; value: string }> }> }>;
  paths: Array<{ detail: string }>;
  notes: string[];
}

async function trace(input: string, ...args: string[]): Promise<Json> {
  const r = await cli("trace", input, ...args, "--json");
  expect(r.err).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as Json;
}

describe.each(INPUTS)("examples/hub-and-spoke-firewall (%s)", (input) => {
  test("spoke1 -> spoke2 on TCP 443: Reachable through the firewall, allowed by the network rule", async () => {
    const j = await trace(input, "--from", "spoke1-vm", "--to", "web-vm", "--protocol", "TCP", "--port", "443");
    expect(j.connectionStatus).toBe("Reachable");
    expect(j.hops.map((h) => `${h.type} ${h.name}`)).toEqual(["Source spoke1-vm-nic", "VirtualAppliance Azure Firewall hub-fw", "VNetPeering peering to spoke2", "Destination web-vm-nic"]);
    expect(j.notes.join("\n")).toMatch(/private IP 10\.0\.1\.4 assumed/);
    const text = await cli("trace", input, "--from", "spoke1-vm", "--to", "web-vm", "--protocol", "TCP", "--port", "443");
    expect(text.out).toMatch(/firewall: Allow by policy hub-policy \/ rule collection group spoke-rules \/ network rule collection spoke-to-spoke \/ rule https/);
  });

  test("spoke1 -> spoke2 on TCP 22: Unreachable, naming the firewall's default deny", async () => {
    const j = await trace(input, "--from", "spoke1-vm", "--to", "web-vm", "--protocol", "TCP", "--port", "22");
    expect(j.connectionStatus).toBe("Unreachable");
    const fw = j.hops.find((h) => h.type === "VirtualAppliance");
    expect(fw?.issues.map((i) => [i.type, i.context.find((c) => c.key === "RuleName")?.value])).toEqual([["AzureFirewallRule", "default deny"]]);
    expect(j.paths[0].detail).toBe("denied by Azure Firewall hub-fw: default deny (no rule matched)");
  });

  test("spoke2 -> spoke1 on TCP 3389: the parent policy's rule decides, named by policy, group, collection and rule", async () => {
    const j = await trace(input, "--from", "web-vm", "--to", "spoke1-vm", "--protocol", "TCP", "--port", "3389");
    expect(j.connectionStatus).toBe("Unreachable");
    const ctx = Object.fromEntries(j.hops.find((h) => h.type === "VirtualAppliance")?.issues[0]?.context.map((c) => [c.key, c.value]) ?? []);
    expect([ctx.FirewallPolicy, ctx.RuleCollectionGroup, ctx.RuleCollection, ctx.RuleName]).toEqual(["org-policy", "org-baseline", "deny-rdp", "no-rdp"]);
  });

  test("Internet -> the firewall's public IP on 8080: DNAT'd to web-vm:80, both legs and the translated leg's NSGs", async () => {
    const j = await trace(input, "--from", "198.51.100.7", "--to", "fw-pip", "--protocol", "TCP", "--port", "8080");
    expect(j.connectionStatus).toBe("Reachable");
    expect(j.hops.map((h) => `${h.type} ${h.address}`)).toEqual(["Source 198.51.100.7", "VirtualAppliance 10.2.1.10:80", "VNetPeering 10.2.0.0/16", "Destination 10.2.1.10"]);
    expect(j.notes.join("\n")).toMatch(/translated by policy hub-policy \/ rule collection group spoke-rules \/ DNAT rule collection web-dnat \/ rule web-http to 10\.2\.1\.10:80, source 10\.0\.1\.4/);
    const text = await cli("trace", input, "--from", "198.51.100.7", "--to", "fw-pip", "--protocol", "TCP", "--port", "8080");
    expect(text.out).toMatch(/inbound: NSG web-nsg \(network interface\): Allow by securityRules\/Allow-HTTP-From-Firewall/);
  });

  test("Internet -> the firewall's public IP on a port no DNAT rule names: dropped by the default deny", async () => {
    const j = await trace(input, "--from", "198.51.100.7", "--to", "203.0.113.10", "--protocol", "TCP", "--port", "8081");
    expect(j.connectionStatus).toBe("Unreachable");
    expect(j.paths[0].detail).toBe("denied by Azure Firewall hub-fw: default deny (no rule matched)");
  });

  test("check: the intents hold (443 reachable, 22 and 3389 unreachable), HTTPS to the Internet undecided by the application rule", async () => {
    const r = await cli("check", input, "--intents", join(EXAMPLE, "intents.json"), "--format", "json");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { results: Array<{ name: string; verdict: string; message: string }> };
    expect(json.results.map((x) => [x.name, x.verdict])).toEqual([
      ["spoke1-reaches-web-https", "pass"],
      ["no-ssh-between-spokes", "pass"],
      ["no-rdp-between-spokes", "pass"],
      ["spoke1-https-to-internet", "indeterminate"],
      ["no-ssh-from-internet-to-web", "pass"],
      ["web-http-from-internet", "indeterminate"],
    ]);
    expect(json.results[3].message).toMatch(/application rule windows-update matches by name \(fqdnTags: WindowsUpdate\)/);
    // Before: "nothing lets traffic from outside in" beside the firewall's DNAT rule. Now undecided, naming the rule.
    expect(json.results[5].message).toMatch(/Azure Firewall hub-fw translates traffic from outside to 10\.2\.1\.10:80 \(policy hub-policy \/ rule collection group spoke-rules \/ DNAT rule collection web-dnat \/ rule web-http\)/);
  });

  test("an intent the firewall breaks blames the firewall rule that lets the flow through", async () => {
    const r = await cli("check", input, "--intents", join(__dirname, "../fixtures/intents/firewall-no-https.json"), "--format", "json");
    expect(r.code).toBe(1);
    const res = (JSON.parse(r.out) as { results: Array<{ verdict: string; counterexample?: { evidence: Array<{ kind: string; ruleName?: string; decisive: boolean }> } }> }).results[0];
    expect(res.verdict).toBe("fail");
    const fw = res.counterexample?.evidence.filter((e) => e.kind === "firewall-rule");
    expect(fw?.map((e) => [e.ruleName, e.decisive])).toEqual([["policy hub-policy / rule collection group spoke-rules / network rule collection spoke-to-spoke / rule https", true]]);
  });
});
