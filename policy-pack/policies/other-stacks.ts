/**
 * Policy config `stacks: [FILE...]` (either policy): other stacks' `pulumi stack export` or `pulumi preview --json`
 * files merged into this stack's topology (src/resources/stacks.ts), so that paths through a hub in another stack
 * are decided. Relative paths are read from the working directory of the policy pack's process (the pack's
 * directory, as for `serviceTagsFile`). A file that cannot be read is a mandatory violation that says why: an
 * intent must not pass or fail on a topology the user did not ask for.
 */
import * as fs from "fs";
import * as path from "path";
import { readOtherStack, type OtherStack } from "../../src/resources/stacks";
import type { Violation } from "./violation";

export interface OtherStacks {
  readonly stacks: readonly OtherStack[];
  /** Identity of the files read (path, size, modification time): the stack model's cache compares it. */
  readonly key: string;
}

export const NO_OTHER_STACKS: OtherStacks = { stacks: [], key: "" };

function fileKey(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${path.resolve(file)}\0${st.size}\0${st.mtimeMs}`;
  } catch {
    return `${path.resolve(file)}\0missing`;
  }
}

export function otherStacksOf(stacks: unknown, problems: Violation[]): OtherStacks {
  if (stacks === undefined || stacks === null) return NO_OTHER_STACKS;
  if (!Array.isArray(stacks) || stacks.some((s) => typeof s !== "string" || s === "")) {
    problems.push({ message: `policy config "stacks" must be a list of paths to other stacks' \`pulumi stack export\` or \`pulumi preview --json\` files, not ${JSON.stringify(stacks).slice(0, 200)}` });
    return NO_OTHER_STACKS;
  }
  const read: OtherStack[] = [];
  for (const file of stacks as string[]) {
    const r = readOtherStack(file, `policy config "stacks"`);
    if (r.ok) read.push(r.stack);
    else problems.push({ message: `${r.error} (a relative path is read from the policy pack's directory)` });
  }
  return { stacks: read, key: (stacks as string[]).map(fileKey).join("\n") };
}
