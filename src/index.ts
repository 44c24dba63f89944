/**
 * azure-reachability as a library: the model and the engine for people who build on it, the intent checker, and
 * the ReachabilityIntent component for programs. (The package's `main` is the policy pack; import this module as
 * "azure-reachability" through the package's `exports`.)
 */

// The model and exact sets
export type * from "./model/topology";
export { describeUnknown, isKnown, isUnknown, unknown, type Maybe, type Unknown } from "./model/unknown";
export type { Diagnostic, DiagnosticSeverity } from "./model/diagnostic";
export * from "./sets";

// Plan readers and the azure-native adapter
export type { PropertyObject, PropertyValue, ResourceRecord } from "./resources/record";
export { readResourceFile, readResourceText } from "./resources/detect";
export { recordsFromPolicyResources, type PolicyResourceLike } from "./resources/policy-args";
export { buildTopology } from "./adapters/azure-native";

// The engine
export { engineEnv, evaluateNicChain, type EngineEnv, type ChainEvaluation } from "./engine/nsg";
export { CONCRETE, SYMBOLIC, type FlowSpace } from "./engine/first-match";
export { ipFlowVerify, type IpFlowVerifyRequest, type IpFlowVerifyResult } from "./answers/ip-flow-verify";
export { effectiveRules, type EffectiveRulesResult } from "./answers/effective-security-rules";
export { effectiveRoutes, effectiveRoutesForNic } from "./engine/effective-routes";
export { nextHop, type NextHopResult } from "./answers/next-hop";
export { CONCRETE_WALK, SYMBOLIC_WALK, forward, type Disposition, type ForwardResult, type WalkStart, type WalkTarget } from "./engine/forward";
export { EMPTY_CATALOG, type ServiceTagCatalog } from "./azure/service-tags";
export { parseServiceTags, readServiceTagsFile } from "./resources/service-tags-file";
export { findEntity, findNic } from "./engine/find";

// Intents
export type { Intent, ReachIntent, FlowVerifyIntent, Selector, IntentProtocol, Expectation, Enforcement, IntentLayer } from "./intents/types";
export { INTENT_COMPONENT_TYPE } from "./intents/types";
export { parseIntentDocument, parseIntentList, parseIntentsText, readIntentsFile, type IntentsParse } from "./intents/parse";
export { parseSelector, describeSelector } from "./intents/selector";
export { intentsFromRecords } from "./intents/component";
export { evaluateIntent, evaluateIntents } from "./intents/evaluate";
export { verifyReach, describeReach, type ReachOptions } from "./intents/reach";
export { verifyFlowIntent } from "./intents/flow-verify";
export type { IntentResult, Verdict, Counterexample, Evidence, FlowTuple, ResourceRef } from "./intents/result";

// Checks and reports
export { runCheck, checkExitCode, collectIntents, summarize, type CheckRun } from "./check-run/run";
export { CHECK_REPORTERS, reporterFor } from "./check-run/reporters";
export type { CheckReport, CheckReporter, CheckSummary, Finding } from "./report/types";
export { formatCheckText } from "./report/check-text";
export { checkJson, formatCheckJson } from "./report/check-json";

// In-code intents
export { ReachabilityIntent, type ReachabilityIntentArgs, type IntentEnd, type IntentSelector } from "./resources/intent-component";
