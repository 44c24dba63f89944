import { effectiveRoutesJson } from "../../answers/effective-routes";
import { effectiveRoutesForNic } from "../../engine/effective-routes";
import { parsePrefixList } from "../gateway-prefixes";
import { findNic } from "../../engine/find";
import { formatEffectiveRoutes } from "../../report/effective-routes-text";
import { required } from "../args";
import { fail } from "../errors";
import { loadInput, type InputOptions } from "../input";
import { printDiagnostics, printJson, type Io } from "../output";

export interface EffectiveRoutesOptions extends InputOptions {
  readonly nic?: string;
  readonly gatewayPrefixes?: string;
  readonly json?: boolean;
}

export async function effectiveRoutesCommand(input: string, opts: EffectiveRoutesOptions, io: Io): Promise<number> {
  const nicRef = required("--nic", opts.nic);
  const prefixList = parsePrefixList(opts.gatewayPrefixes);
  if (!prefixList.ok) fail(`--gateway-prefixes: ${prefixList.error}`);
  const gatewayPrefixes = prefixList.prefixes;
  const loaded = await loadInput(input, opts, io);
  printDiagnostics(io, loaded.diagnostics);
  const nic = findNic(loaded.topology, nicRef);
  if (!nic.ok) fail(`--nic: ${nic.error}`);
  const routes = effectiveRoutesForNic(loaded.topology, nic.value, { gatewayPrefixes, serviceTags: loaded.env.tags, hints: loaded.env.hints });
  if (!routes.ok) fail(`--nic: ${routes.error}`);
  const result = effectiveRoutesJson(nic.value, routes.routes);
  if (opts.json) printJson(io, result);
  else io.out(formatEffectiveRoutes(nicRef, result));
  return 0;
}
