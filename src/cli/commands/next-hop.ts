import { refusalText } from "../../answers/refusal";
import { parsePrefixList } from "../gateway-prefixes";
import { findNic } from "../../engine/find";
import { nextHop } from "../../answers/next-hop";
import { formatNextHop } from "../../report/next-hop-text";
import { parseIpAddress } from "../../sets/ip";
import { required } from "../args";
import { fail } from "../errors";
import { loadInput, type InputOptions } from "../input";
import { printDiagnostics, printJson, type Io } from "../output";

export interface NextHopOptions extends InputOptions {
  readonly nic?: string;
  readonly source?: string;
  readonly destination?: string;
  readonly gatewayPrefixes?: string;
  readonly json?: boolean;
}

export async function nextHopCommand(input: string, opts: NextHopOptions, io: Io): Promise<number> {
  const nicRef = required("--nic", opts.nic);
  const source = required("--source", opts.source);
  const destination = required("--destination", opts.destination);
  for (const [option, value] of [["--source", source], ["--destination", destination]] as const) {
    const parsed = parseIpAddress(value);
    if (!parsed.ok) fail(`${option}: ${parsed.error}`);
  }
  const prefixList = parsePrefixList(opts.gatewayPrefixes);
  if (!prefixList.ok) fail(`--gateway-prefixes: ${prefixList.error}`);
  const gatewayPrefixes = prefixList.prefixes;
  const loaded = await loadInput(input, opts, io);
  printDiagnostics(io, loaded.diagnostics);
  const nic = findNic(loaded.topology, nicRef);
  if (!nic.ok) fail(`--nic: ${nic.error}`);
  const answer = nextHop(loaded.topology, { nic: nic.value, sourceIp: source, destinationIp: destination }, { gatewayPrefixes, serviceTags: loaded.env.tags, hints: loaded.env.hints });
  if (!answer.ok) fail(refusalText(answer.refusal));
  if (opts.json) printJson(io, answer.result);
  else io.out(formatNextHop(nicRef, source, destination, answer.result));
  return 0;
}
