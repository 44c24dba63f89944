/**
 * The trace answer (Network Watcher's connection troubleshoot shape plus the paths walked) and the texts that
 * describe its parts, as reporters read them (report/trace-text.ts). Built by engine/trace.ts and engine/forward.ts.
 */
export type { TraceHop, TraceJson, TraceResult } from "../engine/trace";
export { addressText } from "../engine/trace";
export type { ForwardPath, Hop } from "../engine/forward";
export type { ChainEvaluation } from "../engine/nsg";
export { NO_ADMIN_RULE } from "../engine/admin-rules";
export { decidingRuleText, ruleDoubtSuffix } from "../engine/deciding-rule";
export { describeRoute } from "../engine/routing";
export { displayName } from "../engine/find";
