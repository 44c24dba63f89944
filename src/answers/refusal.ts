/**
 * How a refused question reads: the input at fault named as the CLI's flag (`--local: ...`). Intents reuse the same
 * wording so their reports stay byte-identical to what they were when the engine wrote these messages itself.
 */
import type { QuestionInput, Refusal } from "../engine/refusal";

/** The CLI flag of each question input (src/cli/commands/verify-flow.ts, next-hop.ts, trace.ts). */
const FLAG: Record<QuestionInput, string> = { local: "--local", remote: "--remote", source: "--source", destination: "--destination", from: "--from", to: "--to", port: "--port" };

/** The CLI flag that spells a question input. */
export function inputFlag(input: QuestionInput): string {
  return FLAG[input];
}

export function refusalText(r: Refusal): string {
  return r.input === undefined ? r.reason : `${FLAG[r.input]}: ${r.reason}`;
}
