/**
 * How traffic from outside every VNet reaches a NIC, and which of it: per IP configuration, an instance public IP
 * (every protocol and port), a public load balancer's load-balancing rules whose pool holds the configuration (the
 * rule's protocol and frontend port, delivered on the backend port), and inbound NAT rules that name it (one
 * frontend port to one backend port). docs/ingress.md states the semantics with Microsoft's sources:
 *
 * - SKU: a Standard public IP or load balancer is closed to inbound traffic unless an NSG on the NIC or its subnet
 *   allows it, so with no NSG at all it admits nothing; Basic is open unless an NSG denies
 *   (learn.microsoft.com/azure/virtual-network/ip-services/public-ip-addresses#sku, load-balancer/skus).
 * - Load balancer: "Load balancer rules" and "Inbound NAT rules" in learn.microsoft.com/azure/load-balancer/
 *   components; without floating IP the backend sees its own address and the backend port (the NSG too: semantics
 *   reference section 1, "Load-balanced"); with floating IP it sees the frontend address and port, which this
 *   model does not evaluate (explicitly undecided). HA ports (protocol All, port 0) exist only on internal load
 *   balancers: they carry nothing from the Internet.
 *
 * The flow sets are in the NIC's terms (destination port = the port the NIC receives on). A NIC with one IP
 * configuration gets sets unrestricted in destination, so that a class of alike NICs can share them.
 */
import type { IpConfiguration, LbNatRule, LbProtocol, LoadBalancer, Nic, SkuInfo, Topology } from "../model/topology";
import { isUnknown, unknown, type Maybe, type Unknown } from "../model/unknown";
import { FlowSet } from "../sets/flow-set";
import { IpSet } from "../sets/ip-set";
import { PortSet } from "../sets/port-set";
import { ProtocolSet, Tcp, Udp } from "../sets/protocol-set";
import { displayName } from "./find";
import { ipConfigAddresses, lookup } from "./topology-queries";
import { mergeCauses } from "./tri-set";
import { memoKind, topoMemo } from "./memo";

export type IngressKind = "public-ip" | "lb-rule" | "nat-rule";

export interface Translation {
  readonly protocol: LbProtocol;
  readonly frontend: string;
  readonly frontendPort: number;
  readonly backendPort: number;
  readonly floatingIp: boolean;
}

export interface IngressRoute {
  readonly kind: IngressKind;
  readonly cfg: IpConfiguration;
  /** "public IP web-pip", "public load balancer lb-web rule http (TCP 80 -> 8080)". */
  readonly label: string;
  readonly urns: readonly string[];
  /** Flows this route surely lets in, in the NIC's terms. */
  readonly admits: FlowSet;
  /** Flows it lets in or not depending on `causes`. */
  readonly doubtful: FlowSet;
  readonly causes: readonly Unknown[];
  /** Set when a Standard SKU admits nothing because no NSG is on the NIC or its subnet. */
  readonly closed?: string;
  /** The SKU's note when it was not in the plan (the API default was assumed). */
  readonly skuNote?: string;
  readonly translation?: Translation;
  /** The load balancer, for load-balancer routes. */
  readonly lb?: LoadBalancer;
}

const TCP_UDP = ProtocolSet.of(Tcp, Udp);

function protocolSet(p: LbProtocol): ProtocolSet {
  return p === "Tcp" ? ProtocolSet.of(Tcp) : p === "Udp" ? ProtocolSet.of(Udp) : TCP_UDP;
}

function protoText(p: LbProtocol): string {
  return p === "All" ? "TCP/UDP" : p.toUpperCase();
}

/** ARM ids and names compare case-insensitively; most refs are spelt alike, which needs no lower-casing. */
function same(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase();
}

/**
 * Per topology: each backend pool ref (lower-cased) to the first load balancer holding it, and each inbound NAT rule
 * ref to the first NAT rule of that name per load balancer, both in the topology's order: what scanning every load
 * balancer per reference found, built once (the landing-zone estate has thousands of pool references).
 */
interface LbIndex {
  readonly poolOwner: ReadonlyMap<string, LoadBalancer>;
  readonly natsByRef: ReadonlyMap<string, ReadonlyArray<{ readonly lb: LoadBalancer; readonly nat: LbNatRule }>>;
}

const LB_INDEX = memoKind<Record<string, never>, LbIndex>("load-balancer-ref-index", []);

function lbIndex(topo: Topology): LbIndex {
  return topoMemo(topo, LB_INDEX({}), () => {
    const poolOwner = new Map<string, LoadBalancer>();
    const natsByRef = new Map<string, Array<{ lb: LoadBalancer; nat: LbNatRule }>>();
    for (const lb of topo.loadBalancers.values()) {
      for (const p of lb.backendPoolRefs) {
        const k = p.toLowerCase();
        if (!poolOwner.has(k)) poolOwner.set(k, lb);
      }
      const nats = lb.natRules ?? [];
      if (isUnknown(nats)) continue;
      const seen = new Set<string>();
      for (const nat of nats) {
        const k = nat.ref.toLowerCase();
        if (seen.has(k)) continue;
        seen.add(k);
        const list = natsByRef.get(k);
        if (list) list.push({ lb, nat });
        else natsByRef.set(k, [{ lb, nat }]);
      }
    }
    return { poolOwner, natsByRef };
  });
}

/** Where a route's flows may go: the configuration's addresses when the NIC has several, else anywhere. */
function scope(topo: Topology, nic: Nic, cfg: IpConfiguration): IpSet {
  return nic.ipConfigurations.length === 1 ? IpSet.all() : ipConfigAddresses(topo, nic, cfg).may;
}

type NsgPresence = "none" | "some" | Unknown;

/** Whether any NSG filters inbound traffic to the configuration (on the NIC or on its subnet). */
function nsgPresence(topo: Topology, nic: Nic, cfg: IpConfiguration): NsgPresence {
  if (isUnknown(nic.nsgKey)) return nic.nsgKey;
  if (nic.nsgKey !== null) return "some";
  const subnet = lookup(topo.subnets, cfg.subnetKey);
  if (isUnknown(subnet)) return subnet;
  if (!subnet) return "none";
  if (isUnknown(subnet.nsgKey)) return subnet.nsgKey;
  return subnet.nsgKey === null ? "none" : "some";
}

interface SkuGate {
  readonly closed?: string;
  readonly cause?: Unknown;
  readonly note?: string;
  readonly name?: string;
}

/**
 * The SKU's effect: Standard with no NSG admits nothing; Basic, or Standard with an NSG, leaves the decision to
 * the NSGs. An unknown SKU matters only when there is no NSG.
 */
function skuGate(sku: Maybe<SkuInfo> | undefined, presence: NsgPresence, what: string): SkuGate {
  if (sku === undefined) return {};
  if (!isUnknown(sku) && sku.name === "Basic") return { name: "Basic", ...(sku.note ? { note: sku.note } : {}) };
  if (presence === "some") return isUnknown(sku) ? {} : { name: sku.name, ...(sku.note ? { note: sku.note } : {}) };
  if (isUnknown(sku)) return { cause: sku };
  if (isUnknown(presence)) return { name: "Standard", cause: presence };
  return { name: "Standard", closed: `${what} is Standard SKU and no NSG is on the NIC or its subnet: a Standard frontend is closed to inbound traffic unless an NSG allows it` };
}

function gated(gate: SkuGate, admits: FlowSet, doubtful: FlowSet, causes: Unknown[]): { admits: FlowSet; doubtful: FlowSet; causes: Unknown[] } {
  if (gate.closed) return { admits: FlowSet.empty(), doubtful: FlowSet.empty(), causes: [] };
  if (gate.cause) return { admits: FlowSet.empty(), doubtful: admits.union(doubtful), causes: mergeCauses(causes, [gate.cause]) };
  return { admits, doubtful, causes };
}

function lbOfPool(topo: Topology, ref: string): LoadBalancer | undefined {
  return lbIndex(topo).poolOwner.get(ref.toLowerCase());
}

/** The public IP of a frontend: a key, null for a private frontend, or Unknown. */
function frontendPublicIp(lb: LoadBalancer, frontend: Maybe<string>): Maybe<string | null> {
  if (isUnknown(frontend)) return frontend;
  const fes = lb.frontends;
  if (fes === undefined) {
    // A model built without frontends: public when the LB has a known public frontend.
    const k = lb.publicIpKeys[0];
    return k === undefined ? null : k;
  }
  if (isUnknown(fes)) return fes;
  const fe = fes.find((f) => same(f.name, frontend));
  if (!fe) return unknown(`.loadBalancingRules.frontendIPConfiguration`, lb.urn, `no frontend named ${frontend}`);
  return fe.publicIpKey;
}

function publicIpRoute(topo: Topology, nic: Nic, cfg: IpConfiguration, presence: NsgPresence): IngressRoute | undefined {
  const key = cfg.publicIpKey;
  const dst = scope(topo, nic, cfg);
  const all = FlowSet.cube({ dst });
  if (isUnknown(key)) return { kind: "public-ip", cfg, label: `a public IP on ${cfg.name} (unknown at preview)`, urns: [], admits: FlowSet.empty(), doubtful: all, causes: [key] };
  if (key === null) return undefined;
  const pip = topo.publicIps.get(key);
  const name = pip ? displayName(pip) : key;
  const gate = skuGate(pip?.sku, presence, `public IP ${name}`);
  const g = gated(gate, all, FlowSet.empty(), []);
  return {
    kind: "public-ip",
    cfg,
    label: `public IP ${name}`,
    urns: pip ? [pip.urn] : [],
    ...g,
    ...(gate.closed ? { closed: gate.closed } : {}),
    ...(gate.note ? { skuNote: gate.note } : {}),
  };
}

function portsOf(p: Maybe<number>): Maybe<PortSet> {
  return isUnknown(p) ? p : PortSet.of(p);
}

interface RuleLike {
  readonly name: string;
  readonly frontend: Maybe<string>;
  readonly protocol: Maybe<LbProtocol>;
  readonly frontendPort: Maybe<number>;
  readonly backendPort: Maybe<number>;
  readonly floatingIp: Maybe<boolean>;
}

/** One load-balancing or NAT rule's route to a configuration (the rule is known to apply to it, or may). */
function ruleRoute(topo: Topology, nic: Nic, cfg: IpConfiguration, lb: LoadBalancer, rule: RuleLike, kind: "lb-rule" | "nat-rule", applies: true | Unknown, presence: NsgPresence): IngressRoute | undefined {
  const fe = frontendPublicIp(lb, rule.frontend);
  if (fe === null) return undefined; // a private frontend: nothing from the Internet
  const dst = scope(topo, nic, cfg);
  const causes: Unknown[] = [];
  if (applies !== true) causes.push(applies);
  if (isUnknown(fe)) causes.push(fe);
  const what = kind === "lb-rule" ? "rule" : "NAT rule";
  const lbName = displayName(lb);
  const base = { kind, cfg, urns: [lb.urn], lb };
  if (isUnknown(rule.protocol) || isUnknown(rule.frontendPort) || isUnknown(rule.backendPort) || isUnknown(rule.floatingIp)) {
    const u = [rule.protocol, rule.frontendPort, rule.backendPort, rule.floatingIp].filter(isUnknown);
    return { ...base, label: `load balancer ${lbName} ${what} ${rule.name} (protocol or ports unknown at preview)`, admits: FlowSet.empty(), doubtful: FlowSet.cube({ dst, protocols: TCP_UDP }), causes: mergeCauses(causes, u) };
  }
  const t: Translation = { protocol: rule.protocol, frontend: isUnknown(rule.frontend) ? "?" : rule.frontend, frontendPort: rule.frontendPort, backendPort: rule.backendPort, floatingIp: rule.floatingIp };
  if (rule.frontendPort === 0 || rule.backendPort === 0) {
    // HA ports (protocol All, ports 0): internal Standard load balancers only; Azure rejects them on a public frontend.
    return { ...base, label: `load balancer ${lbName} ${what} ${rule.name} (HA ports on a public frontend: Azure accepts HA ports only on internal load balancers)`, admits: FlowSet.empty(), doubtful: FlowSet.empty(), causes: [], translation: t };
  }
  const received = rule.floatingIp ? rule.frontendPort : rule.backendPort;
  const flows = FlowSet.cube({ dst, protocols: protocolSet(rule.protocol), dstPorts: portsOf(received) as PortSet });
  const arrow = rule.floatingIp ? `${protoText(rule.protocol)} ${rule.frontendPort}, floating IP` : rule.frontendPort === rule.backendPort ? `${protoText(rule.protocol)} ${rule.frontendPort}` : `${protoText(rule.protocol)} ${rule.frontendPort} -> ${rule.backendPort}`;
  if (rule.floatingIp) {
    // With floating IP the NIC receives the frontend address: NSG rules naming the NIC's own address do not see it.
    causes.push(unknown(`.${kind === "lb-rule" ? "loadBalancingRules" : "inboundNatRules"}[${rule.name}].enableFloatingIP`, lb.urn, "floating IP: the backend receives the frontend's address, which NSG evaluation at the NIC's address does not model"));
  }
  const gate = skuGate(lb.sku, presence, `load balancer ${lbName}`);
  const sure = causes.length === 0;
  const g = gated(gate, sure ? flows : FlowSet.empty(), sure ? FlowSet.empty() : flows, causes);
  return {
    ...base,
    label: `public load balancer ${lbName} ${what} ${rule.name} (${arrow})`,
    ...g,
    ...(gate.closed ? { closed: gate.closed } : {}),
    ...(gate.note ? { skuNote: gate.note } : {}),
    translation: t,
  };
}

function lbRoutes(topo: Topology, nic: Nic, cfg: IpConfiguration, presence: NsgPresence): IngressRoute[] {
  const out: IngressRoute[] = [];
  const dst = scope(topo, nic, cfg);
  for (const ref of cfg.backendPoolRefs) {
    if (isUnknown(ref)) {
      out.push({ kind: "lb-rule", cfg, label: `a load balancer pool on ${cfg.name} (unknown at preview)`, urns: [], admits: FlowSet.empty(), doubtful: FlowSet.cube({ dst }), causes: [ref] });
      continue;
    }
    const lb = lbOfPool(topo, ref);
    if (!lb) {
      out.push({ kind: "lb-rule", cfg, label: `load balancer pool ${ref}`, urns: [], admits: FlowSet.empty(), doubtful: FlowSet.cube({ dst }), causes: [unknown(".backendAddressPool", ref, `backend pool ${ref} is not in the plan, so whether its load balancer is public is unknown`)] });
      continue;
    }
    if (lb.publicIpKeys.length === 0) continue; // internal load balancer
    const rules = lb.rules ?? [];
    if (isUnknown(rules)) {
      out.push({ kind: "lb-rule", cfg, label: `load balancer ${displayName(lb)} (rules unknown at preview)`, urns: [lb.urn], admits: FlowSet.empty(), doubtful: FlowSet.cube({ dst }), causes: [rules], lb });
      continue;
    }
    for (const rule of rules) {
      const hit = rule.poolRefs.find((p) => isUnknown(p) || same(p, ref));
      if (hit === undefined) continue;
      const r = ruleRoute(topo, nic, cfg, lb, rule, "lb-rule", isUnknown(hit) ? hit : true, presence);
      if (r) out.push(r);
    }
    // NAT rules on a pool (frontendPortRangeStart/End): each instance gets one frontend port of the range.
    const nats = lb.natRules ?? [];
    if (!isUnknown(nats)) {
      for (const nat of nats) {
        if (nat.poolRef === undefined) continue;
        if (!isUnknown(nat.poolRef) && !same(nat.poolRef, ref)) continue;
        const r = ruleRoute(topo, nic, cfg, lb, nat, "nat-rule", isUnknown(nat.poolRef) ? nat.poolRef : true, presence);
        if (r) out.push(r);
      }
    }
  }
  for (const ref of cfg.natRuleRefs ?? []) {
    if (isUnknown(ref)) {
      out.push({ kind: "nat-rule", cfg, label: `an inbound NAT rule on ${cfg.name} (unknown at preview)`, urns: [], admits: FlowSet.empty(), doubtful: FlowSet.cube({ dst }), causes: [ref] });
      continue;
    }
    const named = lbIndex(topo).natsByRef.get(ref.toLowerCase()) ?? [];
    for (const { lb, nat } of named) {
      const r = ruleRoute(topo, nic, cfg, lb, nat, "nat-rule", true, presence);
      if (r) out.push(r);
    }
    if (named.length === 0) out.push({ kind: "nat-rule", cfg, label: `inbound NAT rule ${ref}`, urns: [], admits: FlowSet.empty(), doubtful: FlowSet.cube({ dst }), causes: [unknown(".loadBalancerInboundNatRules", ref, `inbound NAT rule ${ref} is not in the plan`)] });
  }
  return out;
}

/** Every way in from outside, per IP configuration, in configuration order. */
export function ingressRoutes(topo: Topology, nic: Nic): IngressRoute[] {
  return nic.ipConfigurations.flatMap((cfg) => {
    const presence = nsgPresence(topo, nic, cfg);
    const pip = publicIpRoute(topo, nic, cfg, presence);
    return [...(pip ? [pip] : []), ...lbRoutes(topo, nic, cfg, presence)];
  });
}

export interface IngressSummary {
  readonly routes: readonly IngressRoute[];
  /** Union of what the routes surely let in. */
  readonly admits: FlowSet;
  /** What they may let in (not in `admits`), and why undecided. */
  readonly doubtful: FlowSet;
  readonly causes: readonly Unknown[];
}

const SUMMARY = memoKind<{ nic: Nic }, IngressSummary>("ingress-summary", ["nic"]);

export function ingressSummary(topo: Topology, nic: Nic): IngressSummary {
  return topoMemo(topo, SUMMARY({ nic }), () => buildIngressSummary(topo, nic));
}

function buildIngressSummary(topo: Topology, nic: Nic): IngressSummary {
  const routes = ingressRoutes(topo, nic);
  let admits = FlowSet.empty();
  let doubtful = FlowSet.empty();
  let causes: Unknown[] = [];
  for (const r of routes) {
    admits = admits.union(r.admits);
    if (!r.doubtful.isEmpty()) {
      doubtful = doubtful.union(r.doubtful);
      causes = mergeCauses(causes, r.causes as Unknown[]);
    }
  }
  return { routes, admits, doubtful: doubtful.subtract(admits), causes };
}

/**
 * What the routes admit, independent of which resources they go through (for grouping alike NICs: two NICs whose
 * routes admit the same flows are evaluated alike).
 */
export function ingressSignature(s: IngressSummary): string {
  return `${s.admits.toString()}|${s.doubtful.toString()}`;
}
