/**
 * A question the engine refuses to answer (an address that is not the NIC's, a reserved address, a bad value), as
 * data: which input of the question is at fault, and why. The engine does not know how its callers spell their
 * inputs (the CLI's flags, an intent's fields); answers/refusal.ts renders it (issue 14 point 6).
 */

/** The inputs of the engine's questions: IP flow verify (local, remote), next hop (source, destination), trace (from, to, port). */
export type QuestionInput = "local" | "remote" | "source" | "destination" | "from" | "to" | "port";

export interface Refusal {
  /** The input at fault; absent when the refusal is about the plan rather than one input (a NIC with no subnet). */
  readonly input?: QuestionInput;
  readonly reason: string;
}

/** A refusal inside the engine's own notes (cases compared): the input by its name in the question, not a CLI flag. */
export function refusalReasonText(r: Refusal): string {
  return r.input === undefined ? r.reason : `${r.input}: ${r.reason}`;
}
