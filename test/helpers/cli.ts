import { main } from "../../src/cli/main";
import type { Io } from "../../src/cli/output";

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs the CLI in-process with captured stdout and stderr. */
export async function cli(...argv: string[]): Promise<CliRun> {
  let out = "";
  let err = "";
  const line = (t: string): string => (t.endsWith("\n") ? t : `${t}\n`);
  const io: Io = { out: (t) => void (out += line(t)), err: (t) => void (err += line(t)) };
  const code = await main(argv, io);
  return { code, out, err };
}
