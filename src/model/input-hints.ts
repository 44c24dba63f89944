/**
 * How the user of a front end supplies what the plan does not hold (issue 14 point 6: no CLI flag names below the
 * CLI). The engine, the checks and the intents say *that* an input is missing; the front end says *how* to give it:
 * the CLI names its flags (src/cli/input-hints.ts), the policy pack its config keys (policy-pack/policies/
 * input-hints.ts). A hint left out leaves the note neutral (it names no flag and no key).
 */
export interface InputHints {
  /** How to give Microsoft's Service Tags file, e.g. `pass --service-tags FILE`. */
  readonly serviceTags?: string;
  /** How to give the prefixes virtual network gateways learn over BGP, e.g. `pass them with --gateway-prefixes`. */
  readonly gatewayPrefixes?: string;
  /** How to follow the DNAT leg of an Azure Firewall, which intents do not, e.g. `trace --to the firewall's public IP does`. */
  readonly dnatTrace?: string;
  /** How to give the current stack a preview without its unchanged resources applies to, e.g. `give the current stack with --state FILE (from \`pulumi stack export\`)`. */
  readonly currentStack?: string;
  /** What the other stacks' files are called, e.g. `--with-stack file`. */
  readonly otherStackFile?: string;
  /** How to give another stack's outputs, e.g. `give the stack's export with --with-stack FILE`. */
  readonly otherStacks?: string;
}

/** No front end's hints: every note stays neutral. */
export const NO_HINTS: InputHints = {};

/** ` (hint)` when the front end gave one, else nothing. */
export function hintInParens(hint: string | undefined): string {
  return hint === undefined ? "" : ` (${hint})`;
}

/** What a note adds when no Service Tags file was given: ` (none given: <how to give one>)`, or ` (none given)`. */
export function noServiceTagsGiven(hints: InputHints): string {
  return hints.serviceTags === undefined ? " (none given)" : ` (none given: ${hints.serviceTags})`;
}
