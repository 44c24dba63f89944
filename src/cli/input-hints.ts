/**
 * How a CLI user gives what the plan does not hold: the notes of reports name these flags (src/model/input-hints.ts;
 * the layers below the CLI name none, issue 14 point 6). Passed to the composition root with the catalog.
 */
import type { InputHints } from "../model/input-hints";

export const CLI_HINTS: InputHints = {
  serviceTags: "pass --service-tags FILE",
  gatewayPrefixes: "pass them with --gateway-prefixes",
  dnatTrace: "trace --to the firewall's public IP does",
  currentStack: "give the current stack with --state FILE (from `pulumi stack export`)",
  otherStackFile: "--with-stack file",
  otherStacks: "give the stack's export with --with-stack FILE",
};
