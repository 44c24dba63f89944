/**
 * Shared by the platform-subnet checks (AR-031, AR-032): does a subnet's NSG let through a flow the platform service
 * in it needs (Bastion's GatewayManager 443 inbound, Application Gateway v2's GatewayManager 65200-65535, ...)?
 *
 * Exact where the addresses are known: the required flow is a flow set (the service tag's addresses from the
 * loaded service tag file, or the subnet's VirtualNetwork / Internet / AzureLoadBalancer as the engine reads them;
 * the subnet's address space on the local side) and the NSG's rules, default rules included, are evaluated over it
 * by the engine's first match. A requirement is met when the whole set is allowed, missing when some part is
 * surely denied (naming the deciding rules), undecided otherwise. When the tag's addresses are not known (no
 * service tag file), the rules are read by what they name instead: a rule for any source, for the tag itself, or
 * for Internet (the platform's addresses are public Azure addresses) matches all of it; a rule for VirtualNetwork,
 * an ASG or private prefixes matches none of it; anything else leaves the requirement undecided, said.
 */
import { tagContextForSubnet } from "../engine/address-context";
import { hostNic } from "../engine/forward";
import { SYMBOLIC } from "../engine/first-match";
import { compiledRules, evaluatedRules, type EngineEnv } from "../engine/nsg";
import { ruleDisplayName } from "../engine/rules";
import { AZURE_PLATFORM_IP, PUBLIC_UNICAST } from "../azure/well-known";
import { firstMatch } from "../engine/first-match";
import type { AddressSpec, Direction, Nsg, SecurityRule, Subnet } from "../model/topology";
import { isUnknown } from "../model/unknown";
import { hintInParens, type InputHints } from "../model/input-hints";
import { FlowSet } from "../sets/flow-set";
import { IpSet } from "../sets/ip-set";
import { PortSet } from "../sets/port-set";
import { ProtocolSet, Tcp, Udp } from "../sets/protocol-set";

/** One flow a platform service needs, as Microsoft's documentation lists it. */
export interface RequiredFlow {
  /** The rule name Microsoft's table gives (AllowGatewayManagerInbound, ...). */
  readonly name: string;
  readonly direction: Direction;
  /** "Tcp", or "*" (TCP and UDP: the ports apply to those). */
  readonly protocol: "Tcp" | "*";
  /** Destination ports as Azure writes them. */
  readonly ports: string;
  /** The far end: a service tag, or "*". */
  readonly remote: string;
  /**
   * "some": met when any of it is allowed (Bastion's HTTPS may come "from the Internet or a set of public IP
   * addresses that you specify"); default "all": every flow of it must be allowed.
   */
  readonly mode?: "all" | "some";
}

export type RequirementOutcome =
  | { readonly kind: "met" }
  | { readonly kind: "missing"; readonly rules: readonly string[]; readonly partial: boolean }
  | { readonly kind: "undecided"; readonly reason: string };

/** "inbound TCP 443 from GatewayManager" */
export function describeRequired(r: RequiredFlow): string {
  const proto = r.protocol === "Tcp" ? "TCP" : "TCP/UDP";
  return r.direction === "Inbound" ? `inbound ${proto} ${r.ports} from ${r.remote}` : `outbound ${proto} ${r.ports} to ${r.remote}`;
}

function protocols(r: RequiredFlow): ProtocolSet {
  return r.protocol === "Tcp" ? ProtocolSet.of(Tcp) : ProtocolSet.of(Tcp, Udp);
}

function ports(r: RequiredFlow): PortSet {
  const p = PortSet.parseList(r.ports.split(","));
  if (!p.ok) throw new Error(`required flow ${r.name}: ${p.error}`);
  return p.set;
}

/** The addresses a tag (or "*") stands for, seen from the subnet; undefined when they are not known. */
function remoteAddresses(env: EngineEnv, subnet: Subnet, tag: string): IpSet | undefined {
  const t = tag.toLowerCase();
  if (t === "*") return IpSet.allV4();
  if (t === "azureloadbalancer") return IpSet.fromAddress(AZURE_PLATFORM_IP);
  if (t === "virtualnetwork" || t === "internet") {
    const ctx = tagContextForSubnet(env.topo, subnet);
    const tri = t === "internet" ? ctx.internet : ctx.virtualNetwork;
    return tri.must.equals(tri.may) ? IpSet.fromIntervals(4, tri.must.v4) : undefined;
  }
  const set = env.tags.resolve(tag);
  return set === undefined ? undefined : IpSet.fromIntervals(4, set.v4);
}

export function checkRequirement(env: EngineEnv, subnet: Subnet, nsg: Nsg, req: RequiredFlow): RequirementOutcome {
  if (isUnknown(subnet.addressSpace)) return { kind: "undecided", reason: "the subnet's address space is not known at preview" };
  const local = subnet.addressSpace;
  const remote = remoteAddresses(env, subnet, req.remote);
  if (remote === undefined) return byNames(nsg, req, local, env.hints);
  const flows = FlowSet.cube({
    src: req.direction === "Inbound" ? remote : local,
    dst: req.direction === "Inbound" ? local : remote,
    protocols: protocols(req),
    dstPorts: ports(req),
  });
  const stand = hostNic({ kind: "host", subnet, addresses: local });
  const decisions = firstMatch(SYMBOLIC, compiledRules(env, nsg, req.direction, stand), flows);
  if (req.mode === "some") {
    if (decisions.some((d) => d.outcome === "Allow" && !d.flows.isEmpty())) return { kind: "met" };
    const open = decisions.find((d) => d.outcome === "Unknown" && !d.flows.isEmpty());
    if (open) return { kind: "undecided", reason: `rule ${open.rule.ruleName} is not known at preview` };
    return { kind: "missing", rules: [...new Set(decisions.map((d) => d.rule.ruleName))], partial: false };
  }
  const denied = decisions.filter((d) => d.outcome === "Deny" && !d.flows.isEmpty());
  if (denied.length > 0) {
    const deniedSet = denied.reduce((acc, d) => acc.union(d.flows), FlowSet.empty());
    return { kind: "missing", rules: [...new Set(denied.map((d) => d.rule.ruleName))], partial: !deniedSet.equals(flows) };
  }
  const open = decisions.find((d) => d.outcome === "Unknown" && !d.flows.isEmpty());
  if (open) return { kind: "undecided", reason: `rule ${open.rule.ruleName} is not known at preview` };
  return { kind: "met" };
}

// ---- by what the rules name (the tag's addresses unknown) ------------------------------------------------------

type Relation = "all" | "none" | "unknown";

/** How much of the tag's (unknown, public) addresses a rule side matches. */
function remoteRelation(specs: readonly AddressSpec[], tag: string): Relation {
  let out: Relation = "none";
  for (const s of specs) {
    const r = specRelation(s, tag);
    if (r === "all") return "all";
    if (r === "unknown") out = "unknown";
  }
  return out;
}

function specRelation(s: AddressSpec, tag: string): Relation {
  switch (s.kind) {
    case "any":
      return "all";
    case "tag": {
      const t = s.tag.toLowerCase();
      if (t === tag.toLowerCase() || t === "internet") return "all";
      if (t === "virtualnetwork" || t === "azureloadbalancer") return "none";
      return "unknown";
    }
    case "prefix":
      if (s.set.equals(IpSet.allV4()) || IpSet.allV4().isSubsetOf(s.set)) return "all";
      return s.set.overlaps(PUBLIC_UNICAST) ? "unknown" : "none";
    case "asg":
      // Members are NICs of the VNet: private addresses, never the platform's public ones.
      return "none";
  }
}

function localRelation(specs: readonly AddressSpec[], local: IpSet): Relation {
  let out: Relation = "none";
  for (const s of specs) {
    if (s.kind === "any" || (s.kind === "tag" && s.tag.toLowerCase() === "virtualnetwork")) return "all";
    if (s.kind === "prefix") {
      if (local.isSubsetOf(s.set)) return "all";
      if (local.overlaps(s.set)) out = "unknown";
    } else if (s.kind === "tag" && s.tag.toLowerCase() !== "internet") out = "unknown";
  }
  return out;
}

function setRelation<T extends { isSubsetOf(o: T): boolean; overlaps(o: T): boolean }>(required: T, rule: T): Relation {
  return required.isSubsetOf(rule) ? "all" : required.overlaps(rule) ? "unknown" : "none";
}

function byNames(nsg: Nsg, req: RequiredFlow, local: IpSet, hints: InputHints): RequirementOutcome {
  const need = { protocols: protocols(req), ports: ports(req) };
  for (const rule of evaluatedRules(nsg, req.direction)) {
    if (!rule.valid) continue;
    const rel = ruleRelation(rule, req, need, local);
    if (rel === "none") continue;
    const name = ruleDisplayName(rule);
    if (rel === "unknown" || isUnknown(rule.access)) {
      return { kind: "undecided", reason: `rule ${name} may match part of the traffic from ${req.remote}, whose addresses are not in the service tag file${hintInParens(hints.serviceTags)}` };
    }
    return rule.access === "Allow" ? { kind: "met" } : { kind: "missing", rules: [name], partial: false };
  }
  return { kind: "missing", rules: [], partial: false };
}

function ruleRelation(rule: SecurityRule, req: RequiredFlow, need: { protocols: ProtocolSet; ports: PortSet }, local: IpSet): Relation {
  if (isUnknown(rule.protocol) || isUnknown(rule.destinationPorts) || isUnknown(rule.sourcePorts) || isUnknown(rule.sources) || isUnknown(rule.destinations)) return "unknown";
  const rels: Relation[] = [
    setRelation(need.protocols, rule.protocol),
    setRelation(need.ports, rule.destinationPorts),
    rule.sourcePorts.isAll() ? "all" : "unknown",
    req.direction === "Inbound" ? remoteRelation(rule.sources, req.remote) : localRelation(rule.sources, local),
    req.direction === "Inbound" ? localRelation(rule.destinations, local) : remoteRelation(rule.destinations, req.remote),
  ];
  if (rels.includes("none")) return "none";
  return rels.every((r) => r === "all") ? "all" : "unknown";
}
