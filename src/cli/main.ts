import { Command, CommanderError } from "commander";
import { readFileSync } from "fs";
import { join } from "path";
import { effectiveRulesCommand } from "./commands/effective-rules";
import { verifyFlowCommand } from "./commands/verify-flow";
import { demoCommand } from "./commands/demo";
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
    .option("--stack <name>", "for a program directory: the stack whose Pulumi.<stack>.yaml config is used", "dev");
}

/** Builds the CLI. `run` receives the exit code of the command that ran. */
export function buildProgram(io: Io, run: (code: number) => void): Command {
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

  program
    .command("demo")
    .description("walk through the bundled examples: no cloud account, no Pulumi CLI, no network")
    .action(async () => run(await demoCommand(io)));

  return program;
}

/** Runs the CLI; returns the exit code. Usage and input errors are one line on stderr with exit code 2. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = c;
  });
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
