import { refusalText } from "../../answers/refusal";
import { findNic } from "../../engine/find";
import { ipFlowVerify } from "../../answers/ip-flow-verify";
import { formatIpFlowVerify } from "../../report/ip-flow-verify-text";
import { parseDirection, parseEndpoint, parseFlowProtocol, required } from "../args";
import { fail } from "../errors";
import { loadInput, type InputOptions } from "../input";
import { printDiagnostics, printJson, type Io } from "../output";

export interface VerifyFlowOptions extends InputOptions {
  readonly nic?: string;
  readonly direction?: string;
  readonly protocol?: string;
  readonly local?: string;
  readonly remote?: string;
  readonly json?: boolean;
}

export async function verifyFlowCommand(input: string, opts: VerifyFlowOptions, io: Io): Promise<number> {
  const nicRef = required("--nic", opts.nic);
  const direction = parseDirection(opts.direction);
  const protocol = parseFlowProtocol(opts.protocol);
  const local = parseEndpoint("--local", opts.local);
  const remote = parseEndpoint("--remote", opts.remote);
  const loaded = await loadInput(input, opts, io);
  printDiagnostics(io, loaded.diagnostics);
  const nic = findNic(loaded.topology, nicRef);
  if (!nic.ok) fail(`--nic: ${nic.error}`);
  const answer = ipFlowVerify(loaded.env, {
    nic: nic.value,
    direction,
    protocol,
    localIp: local.ip,
    localPort: local.port,
    remoteIp: remote.ip,
    remotePort: remote.port,
  });
  if (!answer.ok) fail(refusalText(answer.refusal));
  if (opts.json) printJson(io, answer.result);
  else io.out(formatIpFlowVerify(answer.result));
  return 0;
}
