/**
 * AR-015 invalid-suppression: a suppression in the configuration that is not applied: its reason is shorter than
 * MIN_REASON_LENGTH characters, it names no resource, or it names a check that does not exist. The findings are
 * produced by `runChecks` when it validates the suppressions (see suppressions.ts); they are never suppressed.
 */
import type { Check, Finding } from "./types";

export const invalidSuppression: Check = {
  id: "AR-015",
  name: "invalid-suppression",
  title: "Suppression that is not applied",
  severity: "medium",
  explanation:
    "A suppression must say which check and which resource it silences and why, in at least 10 characters, so the " +
    "reason can be reviewed later. Suppressions that do not are ignored and the findings they meant to silence stay active.",
  fix: "Give the suppression a check name (or id), a resource (logical name, Azure name or URN) and a real reason.",
  run(): Finding[] {
    return [];
  },
};
