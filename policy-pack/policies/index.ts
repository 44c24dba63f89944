/**
 * The pack's policies, with their stable names. One policy per file; policy-pack/index.ts serves this list.
 */
import type { Policies } from "@pulumi/policy";
import { networkHygienePolicy } from "./network-hygiene";
import { plannedInputsPolicy } from "./planned-inputs";
import { reachabilityIntentsPolicy } from "./reachability-intents";

export const policies: Policies = [reachabilityIntentsPolicy, networkHygienePolicy, plannedInputsPolicy];
