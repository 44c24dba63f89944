/**
 * The IP flow verify answer as reporters read it: Network Watcher's `{access, ruleName}` with the NSGs evaluated.
 * The shape is still built by engine/ip-flow-verify.ts (and its fast path, which must stay byte-identical to it);
 * reporters import it from here so they depend on answers, never on the engine (issue 14 point 6).
 */
export type { AdminVerdict, FlowEcho, IpFlowVerifyRequest, IpFlowVerifyResult, NsgVerdict, VerifyOutcome } from "../engine/ip-flow-verify-types";
export { NO_ADMIN_RULE } from "../engine/admin-rules";
