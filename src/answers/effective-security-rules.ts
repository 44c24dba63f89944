/** Network Watcher's effective security rules answer as reporters read it (built by engine/effective-rules.ts). */
export type { EffectiveNetworkSecurityGroup, EffectiveRulesResult, EffectiveSecurityRule } from "../engine/effective-rules";
