import { effectiveRules } from "../../answers/effective-security-rules";
import { findNic } from "../../engine/find";
import { formatEffectiveRules } from "../../report/effective-rules-text";
import { required } from "../args";
import { fail } from "../errors";
import { loadInput, type InputOptions } from "../input";
import { printDiagnostics, printJson, type Io } from "../output";

export interface EffectiveRulesOptions extends InputOptions {
  readonly nic?: string;
  readonly json?: boolean;
}

export async function effectiveRulesCommand(input: string, opts: EffectiveRulesOptions, io: Io): Promise<number> {
  const nicRef = required("--nic", opts.nic);
  const loaded = await loadInput(input, opts, io);
  printDiagnostics(io, loaded.diagnostics);
  const nic = findNic(loaded.topology, nicRef);
  if (!nic.ok) fail(`--nic: ${nic.error}`);
  const result = effectiveRules(loaded.env, nic.value);
  if (opts.json) printJson(io, result);
  else io.out(formatEffectiveRules(nicRef, result));
  return 0;
}
