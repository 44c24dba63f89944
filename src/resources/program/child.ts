/**
 * Child-process entry of runProgram: runs one program under mocks and sends the ProgramResult to the parent over
 * IPC. A process of its own contains what a program can do to its host: the SDK reports a failed registration as a
 * deliberately unhandled rejection, a program may throw from a timer or never finish, and the SDK keeps global state.
 */
import { errorMessage, runProgramInProcess } from "./in-process";
import type { ProgramOptions, ProgramResult } from "./types";

/** What the parent sends: the program's absolute folder, the folder as the user wrote it, and the options. */
export interface ChildRequest {
  readonly dir: string;
  readonly label: string;
  readonly options: ProgramOptions;
}

function isChildRequest(v: unknown): v is ChildRequest {
  const r = v as Partial<ChildRequest> | null;
  return typeof r === "object" && r !== null && typeof r.dir === "string" && typeof r.label === "string" && typeof r.options === "object";
}

/**
 * Resolves when the event loop has nothing left to do: the program's timers have fired and its promises settled.
 * That is when `pulumi preview`'s Node host considers a program finished ("the process will remain alive until the
 * message loop empties", @pulumi/pulumi cmd/run/run.js), and an uncaught exception or unhandled rejection until
 * then fails it. The IPC channel would keep the loop alive for ever, so it is unref'd while waiting.
 * A program that never goes idle (an interval) is stopped by the parent's timeout, as it would hang a preview.
 */
function untilIdle(): Promise<void> {
  return new Promise((resolve) => {
    process.channel?.unref();
    process.once("beforeExit", () => {
      process.channel?.ref();
      resolve();
    });
  });
}

function serve(): void {
  let label = "program";
  let finished = false;
  const finish = (result: ProgramResult): void => {
    if (finished) return;
    finished = true;
    // The peak memory of this process is the run's (the bench reports it).
    const reported: ProgramResult = result.ok ? { ...result, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) } : result;
    process.channel?.ref();
    if (process.send) process.send(reported, () => process.exit(0));
    else process.exit(1);
  };
  const failWith = (e: unknown): void => finish({ ok: false, error: `${label}: ${errorMessage(e)}` });
  // The first error anywhere in the program is its outcome, as when `pulumi preview` runs it.
  process.on("unhandledRejection", failWith);
  process.on("uncaughtException", failWith);
  // The parent is gone (killed, or gave up on a timeout): nobody is waiting for the result.
  process.on("disconnect", () => process.exit(1));
  process.once("message", (msg: unknown) => {
    if (!isChildRequest(msg)) {
      failWith(new Error("bad request from the parent process"));
      return;
    }
    label = msg.label;
    void runProgramInProcess(msg.dir, msg.options, msg.label, untilIdle).then(finish).catch(failWith);
  });
}

serve();
