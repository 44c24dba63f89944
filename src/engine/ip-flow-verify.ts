/**
 * IP flow verify's decision (issue 14 point 6): the NIC's admin rules and NSG chain decide the flow; the engine says
 * what each layer did, which rule decided, with what doubt and why (ip-flow-verify-types.ts). Network Watcher's
 * answer is built from that record by src/answers/ip-flow-verify.ts, one place for both paths.
 */
import type { AdminRule, Nic } from "../model/topology";
import type { CompiledRule } from "./rules";
import { describeUnknown, isUnknown } from "../model/unknown";
import type { Flow } from "../sets/flow";
import { parseIpAddress } from "../sets/ip";
import { Tcp, Udp } from "../sets/protocol-set";
import { ruleDoubt, type RuleDoubt } from "./deciding-rule";
import { CONCRETE, type Decision } from "./first-match";
import { displayName, idOrUrn } from "./find";
import { noNsgNote } from "./ip-flow-verify-note";
import type { AdminDecision, FlowDecision, FlowDecisionOutcome, IpFlowVerifyRequest, LayerDecision } from "./ip-flow-verify-types";
import { fastIpFlowVerify } from "./ip-flow-verify-fast";
import type { Refusal } from "./refusal";
import { reservedAddressReason } from "./reserved";
import { chainCauses, evaluateNicChain, type EngineEnv } from "./nsg";
import { nicAddresses, surelyHeldBy } from "./topology-queries";

export type { AdminDecision, FlowDecision, FlowDecisionOutcome, IpFlowVerifyRequest, LayerDecision } from "./ip-flow-verify-types";

/** Checks the local address belongs to the NIC, as Network Watcher requires. */
function checkLocalAddress(env: EngineEnv, req: IpFlowVerifyRequest): Refusal | undefined {
  const parsed = parseIpAddress(req.localIp);
  if (!parsed.ok) return { input: "local", reason: parsed.error };
  const addrs = nicAddresses(env.topo, req.nic);
  if (addrs.may.contains(req.localIp)) return undefined;
  const known = addrs.may.isEmpty() ? "none known" : addrs.may.toString();
  return { input: "local", reason: `${req.localIp} is not an address of network interface ${displayName(req.nic)} (its addresses: ${known})` };
}

/** What the VNet's security admin rules did with the flow (NO_ADMIN_RULE: no rule matched). */
function adminDecision(d: Decision<Flow | undefined, CompiledRule<AdminRule>>): AdminDecision {
  return { outcome: d.outcome, rule: d.rule.ruleName, doubtful: d.doubtful.map((r) => r.ruleName) };
}

/** The NIC that surely owns an address (a known static or allocated address), for ASG matching. */
function ownerOf(env: EngineEnv, ip: string): Nic | undefined {
  return surelyHeldBy(env.topo, ip);
}

/**
 * The common case (every value that matters known) is answered by the fast path, which gives the same answer without
 * building sets per query; everything else, and every explanation of doubt or error, comes from the general path.
 */
export function ipFlowVerify(env: EngineEnv, req: IpFlowVerifyRequest): FlowDecisionOutcome {
  const reserved = reservedRefusal(env, req);
  if (reserved) return { ok: false, refusal: reserved };
  return fastIpFlowVerify(env, req) ?? generalIpFlowVerify(env, req);
}

/**
 * Addresses Azure reserves in a subnet are no NIC's, and nothing sends from them (issue 12, point 3): a local
 * address there, or an inbound flow's remote (its source) there, is refused with the reason.
 */
function reservedRefusal(env: EngineEnv, req: IpFlowVerifyRequest): Refusal | undefined {
  const local = reservedAddressReason(env.topo, req.localIp);
  if (local) return { input: "local", reason: `${local}, so it is not an address of network interface ${displayName(req.nic)}` };
  const remote = req.direction === "Inbound" ? reservedAddressReason(env.topo, req.remoteIp) : undefined;
  return remote ? { input: "remote", reason: `${remote}, so no inbound packet comes from it` } : undefined;
}

/** The general evaluation: the NIC's chain over the concrete flow space (nsg.ts, first-match.ts). */
export function generalIpFlowVerify(env: EngineEnv, req: IpFlowVerifyRequest): FlowDecisionOutcome {
  const bad = reservedRefusal(env, req) ?? checkLocalAddress(env, req);
  if (bad) return { ok: false, refusal: bad };
  const remoteParsed = parseIpAddress(req.remoteIp);
  if (!remoteParsed.ok) return { ok: false, refusal: { input: "remote", reason: remoteParsed.error } };
  const protocol = req.protocol === "TCP" ? Tcp : Udp;
  const flow: Flow =
    req.direction === "Inbound"
      ? { src: req.remoteIp, dst: req.localIp, protocol, srcPort: req.remotePort, dstPort: req.localPort }
      : { src: req.localIp, dst: req.remoteIp, protocol, srcPort: req.localPort, dstPort: req.remotePort };
  const chain = evaluateNicChain(CONCRETE, env, req.nic, req.direction, flow, ownerOf(env, req.remoteIp));
  const layers: LayerDecision[] = chain.layers.map((l) => {
    const d: Decision<Flow | undefined> | undefined = l.decisions[0];
    return {
      nsg: isUnknown(l.layer.nsg) ? { id: "(unknown at preview)", name: "(unknown NSG)" } : { id: idOrUrn(l.layer.nsg), name: displayName(l.layer.nsg) },
      appliedTo: l.layer.appliedTo,
      association: { id: idOrUrn(l.layer.owner), name: l.layer.owner.key === "?" ? "(unknown subnet)" : displayName(l.layer.owner) },
      outcome: d ? d.outcome : "Unknown",
      rule: d ? d.rule.ruleName : null,
      doubtful: d ? d.doubtful.map((r) => r.ruleName) : [],
    };
  });
  const outcome = chain.allowed !== undefined ? "Allow" : chain.denied !== undefined ? "Deny" : "Unknown";
  const adminFirst = chain.admin?.decisions[0];
  const admin = adminFirst ? adminDecision(adminFirst) : undefined;
  // A security admin rule decides alone when it denies or always allows: the NSGs are not evaluated.
  const adminDecides = admin !== undefined && outcome !== "Unknown" && (admin.outcome === "Deny" || admin.outcome === "AlwaysAllow");
  // The deciding rule: the deny that stopped the flow, else the allow of the last NSG evaluated.
  const decidingAt = outcome === "Deny" ? layers.findIndex((n) => n.outcome === "Deny") : layers.length - 1;
  const decidingRule = outcome === "Unknown" ? null : adminDecides ? admin.rule : (layers[decidingAt]?.rule ?? null);
  const decision = outcome === "Unknown" || adminDecides ? undefined : chain.layers[decidingAt]?.decisions[0];
  // An admin rule that decides with earlier same-access admin rules that may match first: "one of" them.
  const doubt: RuleDoubt | undefined =
    adminDecides && adminFirst && adminFirst.doubtful.length > 0
      ? {
          candidates: [...adminFirst.doubtful.map((r) => r.ruleName), adminFirst.rule.ruleName],
          unknowns: [...new Set(adminFirst.doubtful.flatMap((r) => [...r.causes, ...(isUnknown(r.access) ? [r.access] : [])]).map(describeUnknown))],
        }
      : decision
        ? ruleDoubt(decision.rule, decision.doubtful)
        : undefined;
  const result: FlowDecision = {
    outcome,
    nic: { id: idOrUrn(req.nic), name: displayName(req.nic) },
    admin,
    adminDecides,
    layers,
    decidingRule,
    causes: outcome === "Unknown" ? chainCauses(chain) : [],
    ruleDoubt: doubt,
    noNsgNote: layers.length === 0 && !adminDecides ? noNsgNote(env.topo, req.nic) : undefined,
  };
  return { ok: true, decision: result };
}
