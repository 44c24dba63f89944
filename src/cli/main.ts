import { Command, CommanderError } from "commander";
import { readFileSync } from "fs";
import { join } from "path";
import { checkCommand } from "./commands/check";
import { diffCommand } from "./commands/diff";
import { effectiveRoutesCommand } from "./commands/effective-routes";
import { effectiveRulesCommand } from "./commands/effective-rules";
import { nextHopCommand } from "./commands/next-hop";
import { traceCommand } from "./commands/trace";
import { verifyFlowCommand } from "./commands/verify-flow";
import { runDemo } from "./commands/demo";
import { UsageError } from "./errors";
import { processIo, type Io } from "./output";

function packageVersion(): string {
  for (const rel of ["../../package.json", "../../../package.json"]) {
    try {
      const pkg: unknown = JSON.parse(readFileSync(join(__dirname, rel), "utf8"));
      if (typeof pkg === "object" && pkg !== null && (pkg as { name?: unknown }).name === "azure-reachability") return String((pkg as { version?: unknown }).version);
    } catch {
      // try the next location (source tree vs compiled tree)
    }
  }
  return "0.0.0";
}

const INPUT_HELP = "a `pulumi stack export` file, a `pulumi preview --json` file, or a Pulumi TypeScript program directory";

function withInputOptions(cmd: Command): Command {
  return cmd
    .option("--service-tags <file>", "Microsoft Service Tags JSON file used to expand service tags in rules")
    .option("--preview <mode>", "for a program directory: first (ids and dynamic IPs unknown) or update (known ids)", "first")
    .option("--stack <name>", "for a program directory: the stack whose Pulumi.<stack>.yaml config is used", "dev")
    .option("--state <file>", "for a preview file written without --show-sames: the current stack (`pulumi stack export`) its steps apply to")
    .option(
      "--with-stack <file>",
      "another stack's `pulumi stack export` or `pulumi preview --json` file, merged into the topology (a hub in its own stack); repeatable. A program's StackReferences to it read its outputs",
      (v: string, prev: string[] = []) => [...prev, v],
    );
}

/** Builds the CLI. `run` receives the exit code of the command that ran. */
function buildProgram(io: Io, run: (code: number) => void): Command {
  const program = new Command("azure-reachability")
    .description("Plan-time reachability verification for Azure networks defined with Pulumi")
    .version(packageVersion())
    .showHelpAfterError(false)
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();

  withInputOptions(
    program
      .command("verify-flow")
      .description("IP flow verify: is this flow allowed to or from a NIC, and by which NSG rule?")
      .argument("<input>", INPUT_HELP)
      .option("--nic <ref>", "NIC or VM (its primary NIC): logical name, URN or Azure name")
      .option("--direction <dir>", "Inbound or Outbound")
      .option("--protocol <proto>", "TCP or UDP")
      .option("--local <ip:port>", "the NIC's address and port")
      .option("--remote <ip:port>", "the other end's address and port")
      .option("--json", "Network Watcher's JSON shape"),
  ).action(async (input: string, opts) => run(await verifyFlowCommand(input, opts, io)));

  withInputOptions(
    program
      .command("effective-rules")
      .description("the effective security rules of a NIC: every NSG that applies, in evaluation order, tags expanded")
      .argument("<input>", INPUT_HELP)
      .option("--nic <ref>", "NIC or VM (its primary NIC): logical name, URN or Azure name")
      .option("--json", "Network Watcher's JSON shape"),
  ).action(async (input: string, opts) => run(await effectiveRulesCommand(input, opts, io)));

  withInputOptions(
    program
      .command("next-hop")
      .description("next hop: the route that wins for traffic from a NIC to one destination address")
      .argument("<input>", INPUT_HELP)
      .option("--nic <ref>", "NIC or VM (its primary NIC): logical name, URN or Azure name")
      .option("--source <ip>", "an address of the NIC")
      .option("--destination <ip>", "the destination address")
      .option("--gateway-prefixes <cidrs>", "on-premises prefixes the VNet's gateway advertises (not in the plan), comma-separated")
      .option("--json", "Network Watcher's JSON shape"),
  ).action(async (input: string, opts) => run(await nextHopCommand(input, opts, io)));

  withInputOptions(
    program
      .command("effective-routes")
      .description("the effective routes of a NIC: system, peering, gateway and user routes, with Active/Invalid state")
      .argument("<input>", INPUT_HELP)
      .option("--nic <ref>", "NIC or VM (its primary NIC): logical name, URN or Azure name")
      .option("--gateway-prefixes <cidrs>", "on-premises prefixes the VNet's gateway advertises (not in the plan), comma-separated")
      .option("--json", "Network Watcher's JSON shape"),
  ).action(async (input: string, opts) => run(await effectiveRoutesCommand(input, opts, io)));

  withInputOptions(
    program
      .command("trace")
      .description("connection troubleshoot: the hops from one end to the other, and the rule or route that stops the traffic")
      .argument("<input>", INPUT_HELP)
      .option("--from <ref|ip>", "NIC or VM, or an IP address (of a NIC, in a subnet, or outside)")
      .option("--to <ref|ip>", "NIC or VM, or an IP address")
      .option("--protocol <proto>", "TCP, UDP or ICMP")
      .option("--port <n>", "destination port (TCP and UDP)")
      .option("--source-port <n>", "source port (default 50000)")
      .option("--gateway-prefixes <cidrs>", "on-premises prefixes the VNet's gateway advertises (not in the plan), comma-separated")
      .option("--json", "Network Watcher's JSON shape"),
  ).action(async (input: string, opts) => run(await traceCommand(input, opts, io)));

  withInputOptions(
    program
      .command("check")
      .description("check reachability intents over all flows: pass, fail (with a counterexample and the rule or route to blame) or undecided")
      .argument("<input>", INPUT_HELP)
      .option("--intents <file>", "intents file, JSON or YAML (default for a program directory: <dir>/intents.json)")
      .option("--format <format>", "text, json, markdown (pull request comment), sarif (code scanning) or junit", "text")
      .option("--output <file>", "write the report to a file instead of stdout")
      .option("--fail-on-indeterminate", "exit 1 when a mandatory intent cannot be decided at preview")
      .option("--all-findings", "text: one line per finding (default: one per check and NSG, with the count and the first few)")
      .option("--workers <n>", "worker threads for the checks and intents, besides the main thread (default 0: none; auto: for plans of 5,000 resources or more, one per other core, up to 3; also AZURE_REACHABILITY_WORKERS)"),
  ).action(async (input: string, opts) => run(await checkCommand(input, opts, io)));

  withInputOptions(
    program
      .command("diff")
      .description("what a change opens and closes: every flow between the plan's endpoints delivered after but not before, and before but not after")
      .argument("<before>", `the current state (${INPUT_HELP}); alone, a preview file: before = its current state, after = its plan`)
      .argument("[after]", "the planned state (same kinds of input)")
      .option("--format <format>", "text, json, markdown (pull request comment) or sarif (new Internet exposures)", "text")
      .option("--output <file>", "write the report to a file instead of stdout")
      .option("--fail-on <what>", "exit 1 when the change does this: opened, closed or exposure (comma-separated or repeated)", (v: string, prev: string[] = []) => [...prev, v])
      .option("--external <name=cidrs>", "a named range outside the VNets (e.g. on-premises=192.168.0.0/16), repeatable", (v: string, prev: string[] = []) => [...prev, v]),
  ).action(async (before: string, after: string | undefined, opts) => run(await diffCommand(before, after, opts, io)));

  program
    .command("demo")
    .description("walk through the bundled examples: no cloud account, no Pulumi CLI, no network")
    .action(async () => run(await runDemo(io, (argv, stepIo) => main(argv, stepIo))));

  return program;
}

/** Runs the CLI; returns the exit code. Usage and input errors are one line on stderr with exit code 2. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
  // No command at all is bad usage: the usage on stderr and exit 2 (a script that forgot its arguments must not pass).
  if (argv.length === 0) {
    io.err(program.helpInformation());
    return 2;
  }
  try {
    await program.parseAsync(argv as string[], { from: "user" });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return 0;
      // commander already printed its one-line message
      return 2;
    }
    if (e instanceof UsageError) {
      io.err(`azure-reachability: ${e.message}`);
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.err(`azure-reachability: internal error: ${message.split("\n")[0]} (please report it)`);
    return 3;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
