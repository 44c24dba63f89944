/**
 * How a policy pack user gives what the plan does not hold: the notes in violations name these config keys
 * (config-schema.ts; src/model/input-hints.ts). The pack has no config for gateway prefixes and no trace, so those
 * notes stay neutral.
 */
import type { InputHints } from "../../src/model/input-hints";

export const PACK_HINTS: InputHints = {
  serviceTags: 'set "serviceTagsFile" in the policy config',
};
