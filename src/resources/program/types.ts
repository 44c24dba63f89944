import type { Diagnostic } from "../../model/diagnostic";
import type { ResourceRecord } from "../record";

/**
 * Which preview to imitate. `first`: nothing exists yet, so every id and every computed output is unknown.
 * `update`: everything already exists, so ids are known (deterministic ARM-shaped fakes) and computed outputs that
 * a mock cannot know (a dynamic private IP) stay unknown.
 */
export type PreviewMode = "first" | "update";

export interface ProgramOptions {
  readonly preview: PreviewMode;
  /** Stack name; selects `Pulumi.<stack>.yaml`. Default "dev". */
  readonly stack?: string;
  /** Milliseconds before a program that never finishes is stopped. Default 120 000. */
  readonly timeoutMs?: number;
}

export type ProgramResult =
  | { readonly ok: true; readonly records: ResourceRecord[]; readonly diagnostics: Diagnostic[] }
  | { readonly ok: false; readonly error: string };

export const DEFAULT_STACK = "dev";
export const DEFAULT_TIMEOUT_MS = 120_000;
