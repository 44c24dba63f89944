import type { Diagnostic } from "../../model/diagnostic";
import type { InputHints } from "../../model/input-hints";
import type { ResourceRecord } from "../record";
import type { StackOutputs } from "./stack-references";

/**
 * Which preview to imitate. `first`: nothing exists yet, so every id and every computed output is unknown.
 * `update`: everything already exists, so ids are known (deterministic ARM-shaped fakes) and computed outputs that
 * a mock cannot know (a dynamic private IP) stay unknown.
 */
export type PreviewMode = "first" | "update";

/**
 * How a run answers registrations: a preview mode, or `deployed`: every resource as the stack's state holds it
 * after an update (what a stack export holds, and what unchanged resources carry into a preview).
 */
export type RunMode = PreviewMode | "deployed";

/**
 * What the records' props are. `analysis` (default): what the readers make of a preview file: the provider's
 * preview outputs reconciled with the inputs (see reconcile.ts). `engine`: the outputs exactly as the engine holds
 * them (the preview outputs, unknowns and all), for writing files (toPreviewJson) and engine-level tests.
 */
export type RecordView = "analysis" | "engine";

export interface ProgramOptions {
  readonly preview: RunMode;
  /** Default "analysis". */
  readonly view?: RecordView;
  /**
   * What `pulumi.getOrganization()` returns (and so the organization in StackReference names a program builds).
   * Default "organization": the name a local (diy) backend gives every stack; under mocks the SDK would throw.
   */
  readonly organization?: string;
  /** Stack name; selects `Pulumi.<stack>.yaml`. Default "dev". */
  readonly stack?: string;
  /** Other stacks' outputs (`--with-stack`), which the program's StackReferences read (stack-references.ts). */
  readonly stackOutputs?: readonly StackOutputs[];
  /** How the front end's user gives other stacks (src/model/input-hints.ts), for the StackReference notes. */
  readonly hints?: InputHints;
  /** Milliseconds before a program that never finishes is stopped. Default 120 000. */
  readonly timeoutMs?: number;
}

export type ProgramResult =
  | {
      readonly ok: true;
      readonly records: ResourceRecord[];
      readonly diagnostics: Diagnostic[];
      /** Peak resident memory of the process that ran the program (MB), when it ran in one of its own. */
      readonly peakRssMb?: number;
      /** CPU time (user + system, ms) of that process: on a shared machine a fairer figure than the elapsed time. */
      readonly cpuMs?: number;
    }
  | { readonly ok: false; readonly error: string };

export const DEFAULT_STACK = "dev";
export const DEFAULT_ORGANIZATION = "organization";
export const DEFAULT_TIMEOUT_MS = 120_000;
/** What the runner's child says when the program's main has finished and it waits for the event loop to empty. */
export const MAIN_FINISHED = "main-finished";
