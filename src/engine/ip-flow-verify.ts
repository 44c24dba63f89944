import type { AdminRule, Nic } from "../model/topology";
import type { CompiledRule } from "./rules";
import { describeUnknown, isUnknown } from "../model/unknown";
import type { Flow } from "../sets/flow";
import { parseIpAddress } from "../sets/ip";
import { Tcp, Udp } from "../sets/protocol-set";
import { ruleDoubt } from "./deciding-rule";
import { CONCRETE, type Decision } from "./first-match";
import { displayName, idOrUrn } from "./find";
import { flowEcho, noNsgNote } from "./ip-flow-verify-echo";
import type { AdminVerdict, IpFlowVerifyRequest, IpFlowVerifyResult, NsgVerdict, VerifyOutcome } from "./ip-flow-verify-types";
import { fastIpFlowVerify } from "./ip-flow-verify-fast";
import type { Refusal } from "./refusal";
import { reservedAddressReason } from "./reserved";
import { chainCauses, evaluateNicChain, type EngineEnv } from "./nsg";
import { nicAddresses, surelyHeldBy } from "./topology-queries";

export type { AdminVerdict, IpFlowVerifyRequest, IpFlowVerifyResult, NsgVerdict, VerifyOutcome } from "./ip-flow-verify-types";

/** Checks the local address belongs to the NIC, as Network Watcher requires. */
function checkLocalAddress(env: EngineEnv, req: IpFlowVerifyRequest): Refusal | undefined {
  const parsed = parseIpAddress(req.localIp);
  if (!parsed.ok) return { input: "local", reason: parsed.error };
  const addrs = nicAddresses(env.topo, req.nic);
  if (addrs.may.contains(req.localIp)) return undefined;
  const known = addrs.may.isEmpty() ? "none known" : addrs.may.toString();
  return { input: "local", reason: `${req.localIp} is not an address of network interface ${displayName(req.nic)} (its addresses: ${known})` };
}

/** What the VNet's security admin rules did with the flow (`securityAdminRules/(none matched)`: no rule matched). */
function adminVerdict(d: Decision<Flow | undefined, CompiledRule<AdminRule>>): AdminVerdict {
  return {
    access: d.outcome === "Unknown" ? "Indeterminate" : d.outcome,
    ruleName: d.rule.ruleName,
    ...(d.doubtful.length > 0 ? { undecidedRules: d.doubtful.map((r) => r.ruleName) } : {}),
  };
}

/** The NIC that surely owns an address (a known static or allocated address), for ASG matching. */
function ownerOf(env: EngineEnv, ip: string): Nic | undefined {
  return surelyHeldBy(env.topo, ip);
}

/**
 * The common case (every value that matters known) is answered by the fast path, which gives the same answer without
 * building sets per query; everything else, and every explanation of doubt or error, comes from the general path.
 */
export function ipFlowVerify(env: EngineEnv, req: IpFlowVerifyRequest): VerifyOutcome {
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
export function generalIpFlowVerify(env: EngineEnv, req: IpFlowVerifyRequest): VerifyOutcome {
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
  const nsgs: NsgVerdict[] = chain.layers.map((l) => {
    const name = isUnknown(l.layer.nsg) ? "(unknown NSG)" : displayName(l.layer.nsg);
    const id = isUnknown(l.layer.nsg) ? "(unknown at preview)" : idOrUrn(l.layer.nsg);
    const base = {
      networkSecurityGroup: { id, name },
      appliedTo: l.layer.appliedTo,
      association: { id: idOrUrn(l.layer.owner), name: l.layer.owner.key === "?" ? "(unknown subnet)" : displayName(l.layer.owner) },
    };
    const d: Decision<Flow | undefined> | undefined = l.decisions[0];
    if (!d) return { ...base, access: "Indeterminate", ruleName: null };
    return {
      ...base,
      access: d.outcome === "Unknown" ? "Indeterminate" : d.outcome,
      ruleName: d.rule.ruleName,
      ...(d.doubtful.length > 0 ? { undecidedRules: d.doubtful.map((r) => r.ruleName) } : {}),
    };
  });
  const access = chain.allowed !== undefined ? "Allow" : chain.denied !== undefined ? "Deny" : "Indeterminate";
  const adminDecision = chain.admin?.decisions[0];
  const admin = adminDecision ? adminVerdict(adminDecision) : undefined;
  // A security admin rule decides alone when it denies or always allows: the NSGs are not evaluated.
  const adminDecides = admin !== undefined && access !== "Indeterminate" && (admin.access === "Deny" || admin.access === "AlwaysAllow");
  // The deciding rule: the deny that stopped the flow, else the allow of the last NSG evaluated.
  const decidingAt = access === "Deny" ? nsgs.findIndex((n) => n.access === "Deny") : nsgs.length - 1;
  const deciding = adminDecides ? { ruleName: admin.ruleName } : nsgs[decidingAt];
  const causes = chainCauses(chain);
  const decision = access === "Indeterminate" || adminDecides ? undefined : chain.layers[decidingAt]?.decisions[0];
  const ruleDoubtful = decision ? ruleDoubt(decision.rule, decision.doubtful) : undefined;
  // An admin rule that decides with earlier same-access admin rules that may match first: "one of" them.
  const adminDoubt =
    adminDecides && adminDecision && adminDecision.doubtful.length > 0
      ? {
          ruleNameCandidates: [...adminDecision.doubtful.map((r) => r.ruleName), adminDecision.rule.ruleName],
          ruleNameUnknowns: [...new Set(adminDecision.doubtful.flatMap((r) => [...r.causes, ...(isUnknown(r.access) ? [r.access] : [])]).map(describeUnknown))],
        }
      : undefined;
  const doubt = adminDoubt ?? (ruleDoubtful ? { ruleNameCandidates: [...ruleDoubtful.candidates], ruleNameUnknowns: [...ruleDoubtful.unknowns] } : {});
  const result: IpFlowVerifyResult = {
    access,
    ruleName: access === "Indeterminate" ? null : (deciding?.ruleName ?? null),
    direction: req.direction,
    flow: flowEcho(req),
    networkInterface: { id: idOrUrn(req.nic), name: displayName(req.nic) },
    ...(admin ? { securityAdminRule: admin } : {}),
    nsgs,
    ...(access === "Indeterminate" ? { unknowns: causes.map(describeUnknown) } : {}),
    ...doubt,
    ...(nsgs.length === 0 && !adminDecides ? { note: noNsgNote(env.topo, req.nic) } : {}),
  };
  return { ok: true, result };
}
