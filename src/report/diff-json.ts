/**
 * `diff --format json`: `{"opened":[row...],"closed":[row...],"summary":{...}}` (design.md), each row with
 * `from`, `to`, `protocol`, `ports` (Azure notation), `example` (a concrete flow) and `cause`; extended with
 * `undecided`, `exposure`, the inputs and notes.
 */
import type { DiffReport } from "../diff/report";

export function formatDiffJson(r: DiffReport): string {
  return JSON.stringify(
    {
      opened: r.opened,
      closed: r.closed,
      undecided: r.undecided,
      exposure: r.exposure,
      summary: r.summary,
      before: r.before,
      after: r.after,
      notes: r.notes,
    },
    null,
    2,
  );
}
