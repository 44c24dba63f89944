import { existsSync } from "fs";
import { join, resolve } from "path";
import type { Io } from "../output";

/** One step of the walk-through: what it shows, and the command that shows it (paths relative to the package). */
export interface DemoStep {
  readonly title: string;
  readonly explain: string;
  readonly argv: readonly string[];
}

export const DEMO_STEPS: readonly DemoStep[] = [
  {
    title: "IP flow verify, from the plan",
    explain:
      "examples/nsg-basics is Microsoft's worked example of how NSGs filter traffic. vm1 sits in subnet1 (NSG1 allows TCP 80\n" +
      "from the Internet) and has NSG2 on its NIC (denies TCP 80). Inbound, Azure evaluates the subnet's NSG, then the NIC's:\n" +
      "both must allow. Network Watcher answers this only for a running VM; here it comes from `pulumi stack export`.",
    argv: ["verify-flow", "examples/nsg-basics/stack-export.json", "--nic", "vm1", "--direction", "Inbound", "--protocol", "TCP", "--local", "10.0.1.4:80", "--remote", "203.0.113.9:50000"],
  },
  {
    title: "The same question on a first preview",
    explain:
      "On a first `pulumi preview` nothing exists yet: every resource id is unknown. The references are resolved through\n" +
      "Pulumi's property dependencies, so the answer is the same, and the JSON has Network Watcher's shape.",
    argv: ["verify-flow", "examples/nsg-basics/preview.json", "--nic", "vm1", "--direction", "Inbound", "--protocol", "TCP", "--local", "10.0.1.4:80", "--remote", "203.0.113.9:50000", "--json"],
  },
  {
    title: "Only the subnet's NSG applies to vm2",
    explain: "vm2 shares subnet1 but has no NIC NSG, so NSG1 alone decides.",
    argv: ["verify-flow", "examples/nsg-basics/stack-export.json", "--nic", "vm2", "--direction", "Inbound", "--protocol", "TCP", "--local", "10.0.1.5:80", "--remote", "203.0.113.9:50000"],
  },
  {
    title: "Outbound: the NIC's NSG first, then the subnet's",
    explain: "Outbound to the Internet, vm1's flow meets NSG2 (NIC) first, then NSG1 (subnet); the default rules allow it.",
    argv: ["verify-flow", "examples/nsg-basics/stack-export.json", "--nic", "vm1", "--direction", "Outbound", "--protocol", "TCP", "--local", "10.0.1.4:60000", "--remote", "13.107.21.200:80"],
  },
  {
    title: "Application security groups",
    explain: "web-nsg allows HTTPS from the Internet to members of asg-web only: web1 is a member, web2 is not.",
    argv: ["verify-flow", "examples/nsg-basics/stack-export.json", "--nic", "web2", "--direction", "Inbound", "--protocol", "TCP", "--local", "10.0.4.5:443", "--remote", "198.51.100.77:50000"],
  },
  {
    title: "Effective security rules of a NIC",
    explain: "Every NSG that applies to vm1, in evaluation order, with service tags expanded for where vm1 sits.",
    argv: ["effective-rules", "examples/nsg-basics/stack-export.json", "--nic", "vm1"],
  },
  {
    title: "Next hop through a hub appliance",
    explain:
      "examples/hub-and-spoke: the spokes send everything (0.0.0.0/0) to the hub's network virtual appliance at 10.0.1.4.",
    argv: ["next-hop", "examples/hub-and-spoke/stack-export.json", "--nic", "spoke1-vm", "--source", "10.1.1.4", "--destination", "10.2.1.4"],
  },
  {
    title: "A hop-by-hop trace, at first preview, for whole address sets",
    explain:
      "The spoke VMs have dynamic private IPs: on a first preview each is 'some address of its subnet'. The trace holds for\n" +
      "every one of them: spoke1 -> appliance (IP forwarding on) -> peering -> spoke2, with the NSG rule that allows each step.",
    argv: ["trace", "examples/hub-and-spoke/preview.json", "--from", "spoke1-vm", "--to", "spoke2-vm", "--protocol", "TCP", "--port", "443"],
  },
  {
    title: "An unreachable trace names the rule to blame",
    explain: "SSH between the spokes is blocked; the trace says by which rule.",
    argv: ["trace", "examples/hub-and-spoke/stack-export.json", "--from", "spoke1-vm", "--to", "spoke2-vm", "--protocol", "TCP", "--port", "22"],
  },
  {
    title: "An Azure Firewall on the path: its policy decides, by rule collection group, collection and rule",
    explain:
      "examples/hub-and-spoke-firewall: the spokes route 0.0.0.0/0 to the hub's Azure Firewall (10.0.1.4, the first address\n" +
      "of AzureFirewallSubnet, as the plan does not give it). HTTPS passes by a network rule; SSH meets the default deny.",
    argv: ["trace", "examples/hub-and-spoke-firewall/preview.json", "--from", "spoke1-vm", "--to", "web-vm", "--protocol", "TCP", "--port", "22"],
  },
  {
    title: "DNAT through the firewall: both legs, and the translated leg's NSGs",
    explain: "From the Internet to the firewall's public IP on 8080: the DNAT rule web-http translates to web-vm 10.2.1.10:80.",
    argv: ["trace", "examples/hub-and-spoke-firewall/preview.json", "--from", "198.51.100.7", "--to", "fw-pip", "--protocol", "TCP", "--port", "8080"],
  },
  {
    title: "Intents, checked over all flows: a program run under Pulumi's mocks",
    explain:
      "examples/three-tier is a Pulumi program (web, app and db tiers with ASGs and NSGs, and a bastion). It is run here\n" +
      "in-process under Pulumi's mocks as a first preview (nothing deployed). Its intents.json declares the traffic it\n" +
      "needs and the traffic it must never allow. One intent is broken on purpose: a deny rule at priority 300 in the db\n" +
      "NSG sits above the allow at 400. The check fails with a concrete flow, its path, and the rule to blame (exit 1).\n" +
      "One intent is UNDECIDED, honestly: the app NSG's rule names two ASGs whose ids do not exist before the first\n" +
      "deployment, and Pulumi records only that the rules depend on both, so which is source and which destination is\n" +
      "unknown; the answer names those values. With `--preview update` (ids known) it passes.",
    argv: ["check", "examples/three-tier"],
  },
  {
    title: "The same gate on the hub-and-spoke preview file",
    explain: "Spoke-to-spoke HTTPS through the hub appliance holds for every address the dynamic IPs may get; SSH is blocked.",
    argv: ["check", "examples/hub-and-spoke/preview.json", "--intents", "examples/hub-and-spoke/intents.json"],
  },
  {
    title: "Virtual Network Manager: a security admin rule decides before the NSGs",
    explain:
      "examples/avnm-baseline: the application's NSG allows SSH from the Internet, but the network team's security admin\n" +
      "configuration (committed to the VNet's region) denies TCP 22 and 3389 from the Internet. Admin rules are evaluated\n" +
      "first and a Deny stops the flow: IP flow verify names the admin rule (configuration / collection / rule).",
    argv: ["verify-flow", "examples/avnm-baseline/preview.json", "--nic", "app1", "--direction", "Inbound", "--protocol", "TCP", "--local", "10.1.1.4:22", "--remote", "203.0.113.9:50000"],
  },
  {
    title: "\"No SSH from the Internet\" holds because of the admin rule",
    explain: "The intent passes and names the admin rule that stops the flows; AR-050 says the NSG rule it overrides is dead.",
    argv: ["check", "examples/avnm-baseline/preview.json", "--intents", "examples/avnm-baseline/intents.json"],
  },
  {
    title: "A Standard load balancer lets in only its rules' ports (docs/ingress.md)",
    explain:
      "examples/web-lb: web-lb's one rule maps TCP 80 to backend port 8080, and web-nsg allows 8080 and 22. From the Internet,\n" +
      "web-2 is reached on 8080 only: SSH is let in by the NSG but forwarded by no rule. ops-vm's Standard public IP with no NSG\n" +
      "lets nothing in, and the private subnet app has no way out to the Internet.",
    argv: ["trace", "examples/web-lb/stack-export.json", "--from", "203.0.113.9", "--to", "web-2", "--protocol", "TCP", "--port", "22"],
  },
  {
    title: "The web-lb intents: the LB rule, the NAT rule, the Standard SKU and the private subnet",
    explain: "Every intent holds; the findings show web-1's exposure through the rule and the NAT rule, and the flow-count risk.",
    argv: ["check", "examples/web-lb/stack-export.json", "--intents", "examples/web-lb/intents.json"],
  },
];

/** The package root, whether running from sources (src/cli/commands) or compiled (dist/src/cli/commands). */
function packageRoot(): string {
  for (const up of ["../../..", "../../../.."]) {
    const dir = resolve(__dirname, up);
    if (existsSync(join(dir, "examples")) && existsSync(join(dir, "package.json"))) return dir;
  }
  return process.cwd();
}

export type Runner = (argv: readonly string[], io: Io) => Promise<number>;

/**
 * Runs the steps in order, printing each command before its answer. Exit code 1 (an intent fails) is an answer the
 * demo means to show; anything above is a broken step, and the demo's own exit code says so.
 */
export async function runDemo(io: Io, run: Runner, steps: readonly DemoStep[] = DEMO_STEPS): Promise<number> {
  const root = packageRoot();
  // Relative paths read best; they are made absolute only when run from elsewhere.
  const here = resolve(process.cwd()) === root;
  const abs = (arg: string): string => (arg.startsWith("examples/") && !here ? join(root, arg) : arg);
  io.out(
    "azure-reachability: Network Watcher's answers, before anything is deployed.\n" +
      "Everything below runs on the bundled examples: no cloud account, no Pulumi CLI, no network.\n",
  );
  let worst = 0;
  for (const [i, step] of steps.entries()) {
    io.out(`\n━━ ${i + 1}. ${step.title}\n${step.explain}\n\n$ azure-reachability ${step.argv.join(" ")}\n`);
    const code = await run(step.argv.map(abs), io);
    if (code > 1 && worst === 0) worst = code;
  }
  io.out("\nMore: `npx azure-reachability --help`, and examples/*/README.md for what each network shows.");
  return worst;
}
