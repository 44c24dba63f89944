import { parsePrefixList } from "../gateway-prefixes";
import { trace } from "../../answers/trace";
import type { TraceProtocol } from "../../engine/trace";
import { formatTrace } from "../../report/trace-text";
import { required } from "../args";
import { fail } from "../errors";
import { loadInput, type InputOptions } from "../input";
import { printDiagnostics, printJson, type Io } from "../output";

export interface TraceOptions extends InputOptions {
  readonly from?: string;
  readonly to?: string;
  readonly protocol?: string;
  readonly port?: string;
  readonly sourcePort?: string;
  readonly gatewayPrefixes?: string;
  readonly json?: boolean;
}

function parseTraceProtocol(text: string | undefined): TraceProtocol {
  const t = (text ?? "").toUpperCase();
  if (t === "TCP" || t === "UDP" || t === "ICMP") return t;
  fail(`--protocol must be TCP, UDP or ICMP, not "${text ?? ""}"`);
}

function parsePort(option: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) > 65535) fail(`${option} must be a port number 0-65535, not "${text}"`);
  return Number(text);
}

export async function traceCommand(input: string, opts: TraceOptions, io: Io): Promise<number> {
  const from = required("--from", opts.from);
  const to = required("--to", opts.to);
  const protocol = parseTraceProtocol(opts.protocol);
  const port = parsePort("--port", opts.port);
  const sourcePort = parsePort("--source-port", opts.sourcePort);
  if (protocol !== "ICMP" && port === undefined) fail("--port is required for TCP and UDP");
  const prefixList = parsePrefixList(opts.gatewayPrefixes);
  if (!prefixList.ok) fail(`--gateway-prefixes: ${prefixList.error}`);
  const gatewayPrefixes = prefixList.prefixes;
  const loaded = await loadInput(input, opts, io);
  printDiagnostics(io, loaded.diagnostics);
  const answer = trace(loaded.env, { from, to, protocol, ...(port !== undefined ? { port } : {}), ...(sourcePort !== undefined ? { sourcePort } : {}) }, { gatewayPrefixes });
  if (!answer.ok) fail(answer.error);
  if (opts.json) printJson(io, answer.result.json);
  else io.out(formatTrace(answer.result));
  return 0;
}
