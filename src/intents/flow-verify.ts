/**
 * IP flow verify assertions: Network Watcher's question for one flow at one NIC, with the expected access and,
 * optionally, the rule that must decide it. Answered by ipFlowVerify (src/answers/ip-flow-verify.ts).
 */
import type { Nic } from "../model/topology";
import type { Flow } from "../sets/flow";
import { Tcp, Udp } from "../sets/protocol-set";
import { CONCRETE } from "../engine/first-match";
import { findNicIndexed } from "../engine/find";
import { refusalText } from "../answers/refusal";
import { ipFlowVerify } from "../answers/ip-flow-verify";
import { evaluateNicChain, type EngineEnv } from "../engine/nsg";
import { surelyHeldBy } from "../engine/topology-queries";
import { chainEvidence, flowText, flowTuple, refOf } from "./explain";
import type { FlowVerifyDetails, IntentResult, Verdict } from "./result";
import type { FlowVerifyIntent } from "./types";

function endpointText(e: { ip: string; port: number }): string {
  return e.ip.includes(":") ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

function flowOf(intent: FlowVerifyIntent): Flow {
  const protocol = intent.protocol === "TCP" ? Tcp : Udp;
  const { local, remote } = intent;
  return intent.direction === "Inbound"
    ? { src: remote.ip, dst: local.ip, protocol, srcPort: remote.port, dstPort: local.port }
    : { src: local.ip, dst: remote.ip, protocol, srcPort: local.port, dstPort: remote.port };
}

/** The NIC that surely holds an address (ASG rules then match by its membership, as ipFlowVerify does). */
function holder(env: EngineEnv, ip: string): Nic | undefined {
  return surelyHeldBy(env.topo, ip);
}

export function verifyFlowIntent(env: EngineEnv, intent: FlowVerifyIntent): IntentResult {
  const base: FlowVerifyDetails = {
    nic: intent.nic,
    direction: intent.direction,
    protocol: intent.protocol,
    local: endpointText(intent.local),
    remote: endpointText(intent.remote),
    ...(intent.ruleName ? { expectedRuleName: intent.ruleName } : {}),
  };
  const what = `IP flow verify ${intent.direction} ${intent.protocol} local ${base.local} remote ${base.remote} at ${intent.nic}`;
  const common = { name: intent.name, kind: "ipFlowVerify" as const, enforcement: intent.enforcement, expect: intent.expect, declaredIn: intent.origin.componentUrn ?? intent.origin.source };
  const nic = findNicIndexed(env.topo, intent.nic);
  if (!nic.ok) return { ...common, verdict: "fail", message: `cannot check ${what}: ${nic.error}`, error: nic.error, notes: [], ipFlowVerify: base };
  const answer = ipFlowVerify(env, {
    nic: nic.value,
    direction: intent.direction,
    protocol: intent.protocol,
    localIp: intent.local.ip,
    localPort: intent.local.port,
    remoteIp: intent.remote.ip,
    remotePort: intent.remote.port,
  });
  const urn = nic.value.urn;
  if (!answer.ok) {
    const error = refusalText(answer.refusal);
    return { ...common, verdict: "fail", message: `cannot check ${what}: ${error}`, error, notes: [], urn, ipFlowVerify: base };
  }
  const r = answer.result;
  const details: FlowVerifyDetails = { ...base, access: r.access, ruleName: r.ruleName, ...(r.ruleNameCandidates ? { ruleNameCandidates: r.ruleNameCandidates } : {}) };
  const notes = r.note ? [r.note] : [];
  if (r.access === "Indeterminate") {
    const unknowns = r.unknowns ?? [];
    return { ...common, verdict: "indeterminate", message: `cannot decide ${what} at preview: ${unknowns.join("; ") || "undecided"}`, unknowns, notes, urn, ipFlowVerify: details };
  }
  const accessOk = r.access === intent.expect;
  const candidates = r.ruleNameCandidates;
  if (accessOk && intent.ruleName !== undefined && candidates && candidates.includes(intent.ruleName)) {
    // The access is sure, but which rule decides is not: the pinned rule may or may not be it.
    const unknowns = r.ruleNameUnknowns ?? [];
    return {
      ...common,
      verdict: "indeterminate",
      message: `cannot decide ${what} at preview: ${r.access} by one of ${candidates.join(", ")}, so ${intent.ruleName} may or may not decide (${unknowns.join("; ") || "values unknown at preview"})`,
      unknowns,
      notes,
      urn,
      ipFlowVerify: details,
    };
  }
  const ruleOk = intent.ruleName === undefined || intent.ruleName === r.ruleName;
  const verdict: Verdict = accessOk && ruleOk ? "pass" : "fail";
  const decided = `${r.access}${r.ruleName ? ` by ${r.ruleName}` : " (no NSG applies)"}`;
  if (verdict === "pass") return { ...common, verdict, message: `${what}: ${decided}, as expected`, notes, ipFlowVerify: details };
  const flow = flowOf(intent);
  const chain = evaluateNicChain(CONCRETE, env, nic.value, intent.direction, flow, holder(env, intent.remote.ip));
  const evidence = chainEvidence(env.topo, nic.value, intent.direction, chain, r.access === "Allow");
  const expected = `${intent.expect}${intent.ruleName ? ` by ${intent.ruleName}` : ""}`;
  const local = refOf(nic.value);
  return {
    ...common,
    verdict,
    message: `${what}: ${decided}, expected ${expected}`,
    counterexample: {
      flow: flowTuple(flow),
      text: flowText(flow),
      ...(intent.direction === "Inbound" ? { destination: local } : { source: local }),
      outcome: r.access === "Allow" ? "delivered" : "blocked",
      evidence,
    },
    notes,
    urn,
    ipFlowVerify: details,
  };
}

