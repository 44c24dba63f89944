/**
 * AR-001 internet-exposure: which NICs the Internet can reach, on which protocols and ports, from which sources,
 * after the subnet NSG and the NIC NSG are composed (evaluated symbolically over every flow, never sampled).
 *
 * Ingress: a flow from the Internet reaches a NIC only through a public IP on one of its IP configurations or a
 * public load balancer (frontend with a public IP) whose backend pool holds it (docs/azure-semantics.md §5).
 * A NIC without ingress is not reported, however open its NSGs: "*" sources also serve VNet, peered and
 * on-premises traffic, and that openness is not Internet exposure (the coverage and rule checks cover hygiene).
 */
import { PUBLIC_UNICAST, AZURE_PLATFORM_IP } from "../azure/well-known";
import { SYMBOLIC } from "../engine/first-match";
import { evaluateNicChain } from "../engine/nsg";
import { ipConfigAddresses, subnetOfNic, vnetOfSubnet } from "../engine/topology-queries";
import { ingressSummary, type IngressRoute, type Translation } from "../engine/ingress";
import { memoKind, pureMemo } from "../engine/memo";
import type { Nic, Topology } from "../model/topology";
import { describeUnknown, isUnknown } from "../model/unknown";
import type { Flow } from "../sets/flow";
import { FlowSet } from "../sets/flow-set";
import { IpSet } from "../sets/ip-set";
import { PortSet } from "../sets/port-set";
import { ProtocolSet, Tcp, Udp } from "../sets/protocol-set";
import { describeAddresses, familiesOf, joinNames, makeFinding, nicLabel, nicUrns, ruleRef, sortedValues } from "./helpers";
import type { Check, CheckContext, Finding, FindingSeverity } from "./types";

/** Management ports (Defender for Cloud's just-in-time defaults: SSH, RDP, WinRM), and RDP's UDP transport. */
export const MANAGEMENT_PORTS: ReadonlyArray<{ readonly protocol: number; readonly port: number; readonly label: string }> = [
  { protocol: Tcp, port: 22, label: "SSH" },
  { protocol: Tcp, port: 3389, label: "RDP" },
  { protocol: Tcp, port: 5985, label: "WinRM" },
  { protocol: Tcp, port: 5986, label: "WinRM/HTTPS" },
  { protocol: Udp, port: 3389, label: "RDP/UDP" },
];

/** More exposed ports than this (per protocol) counts as "all or nearly all ports". */
export const WIDE_PORT_THRESHOLD = 1000;

/** Source sets larger than a /16 (IPv4) or a /48 (IPv6) count as "anywhere" for management ports. */
const BROAD_V4 = 65536n;
const BROAD_V6 = 2n ** 80n;

const TCP = ProtocolSet.of(Tcp);
const UDP = ProtocolSet.of(Udp);
const TCP_UDP = ProtocolSet.of(Tcp, Udp);

/**
 * Every way the Internet reaches the NIC that lets something in (src/engine/ingress.ts). Read from the engine's
 * per-topology ingress summary (its `routes` are `ingressRoutes(topo, nic)`), so AR-001, AR-020, AR-010 and the
 * intents build each NIC's routes once instead of once each.
 */
export function ingressPaths(topo: Topology, nic: Nic): IngressRoute[] {
  return ingressSummary(topo, nic).routes.filter((r) => !r.admits.isEmpty() || !r.doubtful.isEmpty());
}

/** "TCP frontend fe:80 -> backend port 8080" */
function translationText(t: Translation): string {
  const p = t.protocol === "All" ? "TCP/UDP" : t.protocol.toUpperCase();
  return t.floatingIp ? `${p} frontend ${t.frontend}:${t.frontendPort} (floating IP: no translation)` : `${p} frontend ${t.frontend}:${t.frontendPort} -> backend port ${t.backendPort}`;
}

/**
 * Internet sources for a destination set: public unicast space of its families, outside the NIC's own VNet.
 * It depends only on the VNet's address space and the families present, so alike NICs share one (the set
 * arithmetic was a tenth of AR-001 at landing-zone M).
 */
function internetSources(topo: Topology, nic: Nic, dst: IpSet): IpSet {
  let space: IpSet | null = null;
  const subnet = subnetOfNic(topo, nic);
  if (!isUnknown(subnet) && subnet) {
    const vnet = vnetOfSubnet(topo, subnet);
    if (!isUnknown(vnet) && vnet && !isUnknown(vnet.addressSpace)) space = vnet.addressSpace;
  }
  return pureMemo(INTERNET_SOURCES({ space, v4: !dst.v4.isEmpty(), v6: !dst.v6.isEmpty() }), () => {
    const universe = PUBLIC_UNICAST.intersect(familiesOf(dst)).subtract(IpSet.fromAddress(AZURE_PLATFORM_IP));
    return space === null ? universe : universe.subtract(space);
  });
}

const INTERNET_SOURCES = memoKind<{ space: IpSet | null; v4: boolean; v6: boolean }, IpSet>("internet-exposure-sources", ["space", "v4", "v6"]);

function isBroad(set: IpSet): boolean {
  return set.v4.size() > BROAD_V4 || set.v6.size() > BROAD_V6;
}

/** Exact number of (source address, protocol, destination port) triples of TCP/UDP flows in `flows`. */
export function exposureCount(flows: FlowSet): bigint {
  const portFlows = flows.restrict({ protocols: TCP_UDP });
  if (portFlows.isEmpty()) return 0n;
  const projected = FlowSet.fromCubes(portFlows.cubes().map((c) => ({ src: c.src, protocols: c.protocols, dstPorts: c.dstPorts })));
  return projected.size() / (IpSet.all().size() * BigInt(PortSet.all().size()));
}

export interface ExposureFigures {
  readonly tcpPorts: PortSet;
  readonly udpPorts: PortSet;
  readonly otherProtocols: ProtocolSet;
  readonly sources: IpSet;
  /** TCP ports + UDP ports exposed. */
  readonly exposedPorts: number;
  readonly exposedSources: bigint;
  /** Exact (source, protocol, port) triples. */
  readonly exposure: bigint;
  readonly management: ReadonlyArray<{ readonly label: string; readonly text: string; readonly sources: IpSet; readonly broad: boolean }>;
  readonly wide: boolean;
}

export function exposureFigures(flows: FlowSet): ExposureFigures {
  const tcpPorts = flows.restrict({ protocols: TCP }).dstPorts();
  const udpPorts = flows.restrict({ protocols: UDP }).dstPorts();
  const otherProtocols = flows.restrict({ protocols: TCP_UDP.complement() }).protocols();
  const sources = flows.sources();
  // A management port outside the protocol's exposed ports has no flows: skip its restriction (the costly part,
  // done per exposed NIC); same result as restricting, see test/checks/exposure-figures.test.ts.
  const management = MANAGEMENT_PORTS.flatMap((m) => {
    if (!(m.protocol === Tcp ? tcpPorts : udpPorts).contains(m.port)) return [];
    const s = flows.restrict({ protocols: ProtocolSet.of(m.protocol), dstPorts: PortSet.of(m.port) }).sources();
    return s.isEmpty() ? [] : [{ label: m.label, text: `${m.protocol === Tcp ? "TCP" : "UDP"} ${m.port} (${m.label})`, sources: s, broad: isBroad(s) }];
  });
  return {
    tcpPorts,
    udpPorts,
    otherProtocols,
    sources,
    exposedPorts: tcpPorts.size() + udpPorts.size(),
    exposedSources: sources.size(),
    exposure: exposureCount(flows),
    management,
    wide: tcpPorts.size() > WIDE_PORT_THRESHOLD || udpPorts.size() > WIDE_PORT_THRESHOLD,
  };
}

function portsText(f: ExposureFigures): string {
  const parts: string[] = [];
  const ports = (p: PortSet): string => (p.isAll() ? "all ports" : p.toString());
  if (!f.tcpPorts.isEmpty()) parts.push(`TCP ${ports(f.tcpPorts)}`);
  if (!f.udpPorts.isEmpty()) parts.push(`UDP ${ports(f.udpPorts)}`);
  if (!f.otherProtocols.isEmpty()) parts.push(f.otherProtocols.equals(TCP_UDP.complement()) ? "every other IP protocol" : `protocols ${f.otherProtocols.toString()}`);
  return parts.join("; ");
}

function sourcesText(sources: IpSet, universe: IpSet): string {
  return sources.equals(universe) ? "any Internet source" : `Internet sources ${describeAddresses(sources)}`;
}

const RANK: Readonly<Record<FindingSeverity, number>> = { low: 0, medium: 1, high: 2, critical: 3 };
function maxSeverity(a: FindingSeverity, b: FindingSeverity): FindingSeverity {
  return RANK[a] >= RANK[b] ? a : b;
}

function exposureOfNic(ctx: CheckContext, nic: Nic): Finding | undefined {
  const topo = ctx.env.topo;
  const paths = ingressPaths(topo, nic);
  if (paths.length === 0) return undefined;
  let dst = IpSet.empty();
  for (const cfg of new Set(paths.map((p) => p.cfg))) dst = dst.union(ipConfigAddresses(topo, nic, cfg).may);
  if (dst.isEmpty()) return undefined;
  const universe = internetSources(topo, nic, dst);
  if (universe.isEmpty()) return undefined;
  // One cube per address family: an IPv6 source never reaches an IPv4 address.
  const flows = FlowSet.fromCubes([
    { src: universe.intersect(IpSet.allV4()), dst: dst.intersect(IpSet.allV4()) },
    { src: universe.intersect(IpSet.allV6()), dst: dst.intersect(IpSet.allV6()) },
  ]);
  // Only what an ingress lets in reaches the NSGs: a load balancer's rule ports, a NAT rule's port, a public IP's all.
  const admits = paths.reduce((acc, p) => acc.union(p.admits), FlowSet.empty());
  const mayAdmit = paths.reduce((acc, p) => acc.union(p.doubtful), FlowSet.empty()).subtract(admits);
  const sureChain = evaluateNicChain(SYMBOLIC, ctx.env, nic, "Inbound", flows.intersect(admits));
  // Most NICs have no doubtful ingress: an evaluation over no flows allows and leaves undecided nothing (and
  // x.union(empty) is x), so it is skipped.
  const doubtFlows = flows.intersect(mayAdmit);
  const doubtChain = doubtFlows.isEmpty() ? undefined : evaluateNicChain(SYMBOLIC, ctx.env, nic, "Inbound", doubtFlows);
  const definite = !sureChain.allowed.isEmpty();
  const basis = definite ? sureChain.allowed : doubtChain ? sureChain.unknown.union(doubtChain.allowed).union(doubtChain.unknown) : sureChain.unknown;
  if (basis.isEmpty()) return undefined;
  // Without doubtful flows, not definite and nothing unknown at the sure chain means an empty basis (returned above).
  const chain = definite || !sureChain.unknown.isEmpty() || doubtChain === undefined ? sureChain : doubtChain;
  const used = paths.filter((p) => p.admits.overlaps(basis) || (!definite && p.doubtful.overlaps(basis)));
  const indeterminateIngress = !definite && sureChain.unknown.isEmpty();

  const f = exposureFigures(basis);
  const indeterminate = indeterminateIngress || !definite;
  const rules: string[] = [];
  for (const layer of chain.layers) {
    for (const d of layer.decisions) {
      if ((d.outcome === "Allow" || (!definite && d.outcome === "Unknown")) && d.flows.overlaps(basis)) rules.push(ruleRef(topo, d.rule.rule));
    }
  }
  const noNsg = chain.layers.length === 0;
  // The VirtualNetwork tag includes the prefixes of the subnet's user routes (a 0.0.0.0/0 route makes it everything):
  // say so when a rule on that tag is what lets the Internet in.
  const viaVnetTag = chain.layers.some((l) =>
    l.decisions.some((d) => d.outcome === "Allow" && d.flows.overlaps(basis) && !isUnknown(d.rule.rule.sources) && d.rule.rule.sources.some((sp) => sp.kind === "tag" && sp.tag.toLowerCase() === "virtualnetwork")),
  );

  let severity: FindingSeverity = "low";
  const notes: string[] = [];
  const broadMgmt = f.management.filter((m) => m.broad);
  const narrowMgmt = f.management.filter((m) => !m.broad);
  if (broadMgmt.length > 0) {
    severity = "high";
    notes.push(`management port${broadMgmt.length > 1 ? "s" : ""} ${broadMgmt.map((m) => m.text).join(", ")} open to the Internet`);
  }
  if (narrowMgmt.length > 0) {
    severity = maxSeverity(severity, "medium");
    notes.push(`management port${narrowMgmt.length > 1 ? "s" : ""} ${narrowMgmt.map((m) => `${m.text} from ${describeAddresses(m.sources, 2)}`).join(", ")}`);
  }
  if (f.wide) {
    severity = "high";
    notes.push(`${f.exposedPorts} ports open: a scan across all ports from many source ports can exhaust the VM's 500k inbound flows and connections are then dropped`);
  }
  if (viaVnetTag) notes.push("the VirtualNetwork tag admits these sources because the subnet's route table adds user route prefixes to it");
  if (indeterminate) severity = severity === "high" ? "medium" : severity;

  const via = joinNames([...new Set(used.map((p) => p.label))], 3);
  const verb = indeterminate ? "may be reachable" : "is reachable";
  const filter = noNsg ? "no NSG on the NIC or its subnet, so every port is open" : `rules ${joinNames(rules, 4)}`;
  const doubts = [...new Set([...(definite ? [] : used.flatMap((p) => p.causes.map(describeUnknown))), ...(definite ? [] : chain.layers.flatMap((l) => l.decisions.flatMap((d) => d.causes.map(describeUnknown))))])];
  const skuNotes = [...new Set(used.flatMap((p) => (p.skuNote ? [p.skuNote] : [])))];
  const message =
    `${nicLabel(topo, nic)} ${verb} from the Internet via ${via} on ${portsText(f)} from ${sourcesText(f.sources, universe)}` +
    `${notes.length > 0 ? `; ${notes.join("; ")}` : ""} (${filter})${doubts.length > 0 ? `; depends on ${joinNames(doubts, 2)}` : ""}` +
    `${skuNotes.length > 0 ? `; ${skuNotes.join("; ")}` : ""}`;

  const mgmtFlow = f.management.length > 0 ? mgmtExample(basis, f.management) : undefined;
  const nsgUrns = chain.layers.flatMap((l) => (isUnknown(l.layer.nsg) ? [] : [l.layer.nsg.urn]));
  return makeFinding(internetExposure, {
    severity,
    resources: [...nicUrns(topo, nic), ...used.flatMap((p) => p.urns), ...nsgUrns],
    message,
    rules,
    example: mgmtFlow ?? basis.sample(),
    details: {
      ingress: used.map((p) => p.label),
      ...(used.some((p) => p.translation) ? { translations: used.flatMap((p) => (p.translation ? [translationText(p.translation)] : [])) } : {}),
      ...(skuNotes.length > 0 ? { skuAssumed: skuNotes } : {}),
      tcpPorts: f.tcpPorts.toString(),
      udpPorts: f.udpPorts.toString(),
      otherProtocols: f.otherProtocols.toString(),
      exposedPorts: f.exposedPorts,
      exposedSources: f.exposedSources.toString(),
      exposure: f.exposure.toString(),
      portsTimesSources: (BigInt(f.exposedPorts) * f.exposedSources).toString(),
      sources: sourcesText(f.sources, universe),
      managementPorts: f.management.map((m) => m.text),
      allPortsOpen: f.wide,
      noNsg,
      viaVirtualNetworkTag: viaVnetTag,
      indeterminate,
      ...(doubts.length > 0 ? { unknowns: doubts } : {}),
    },
  });
}

/** A flow to the first management port (MANAGEMENT_PORTS order) with flows; `open` holds exactly those ports. */
export function mgmtExample(flows: FlowSet, open: ExposureFigures["management"]): Flow | undefined {
  for (const m of MANAGEMENT_PORTS) {
    if (!open.some((o) => o.label === m.label)) continue;
    const s = flows.restrict({ protocols: ProtocolSet.of(m.protocol), dstPorts: PortSet.of(m.port) }).sample();
    if (s) return s;
  }
  return undefined;
}

export const internetExposure: Check = {
  id: "AR-001",
  name: "internet-exposure",
  title: "NIC reachable from the Internet",
  severity: "high",
  explanation:
    "Evaluates the subnet NSG and the NIC NSG together, over every flow from public address space, for each NIC that " +
    "has a public IP or sits in the backend pool of a public load balancer, and reports the protocols, ports and " +
    "sources that get through with the rules that let them. Management ports (SSH 22, RDP 3389, WinRM 5985/5986) " +
    "open to the Internet are what attackers scan for first (Defender for Cloud: management ports should be closed; " +
    "use just-in-time access or Bastion). Exposing all or nearly all ports lets a scan across every destination port " +
    "from many source ports fill the VM's flow table: Azure tracks at most 500k inbound and 500k outbound flows per " +
    "VM (1M in all; articles/virtual-network/virtual-machine-network-throughput.md) and drops connections beyond " +
    "that, which Azure reports after the fact as 'high inbound connection/flow count may result in degraded " +
    "performance'. A public IP with no NSG on the NIC or its subnet exposes every port (a Basic SKU address; a " +
    "Standard SKU address is closed to inbound traffic until an NSG allows it, and the plan model does not carry " +
    "the SKU, so the worst case is assumed). NICs without a public IP or public load balancer are not reported.",
  fix:
    "Allow only the ports the workload serves, from the narrowest sources; close management ports to the Internet " +
    "(use Azure Bastion, a VPN, or just-in-time access). If the VM must serve many connections, spread the load " +
    "(a load balancer, more NICs or VMs, Accelerated Networking) and enable Azure DDoS Protection on the virtual network.",
  run(ctx: CheckContext): Finding[] {
    return [...exposureFindings(ctx)];
  },
};

/**
 * AR-001's findings, computed once per engine environment: flow-count-risk (AR-020) reports on the same NICs from
 * the same figures, and runChecks runs both over one environment. They depend on the environment only (topology,
 * tags), never on the routing options. Callers must not mutate the findings (none does: suppressions copy).
 */
const EXPOSURE_FINDINGS = memoKind<Record<string, never>, readonly Finding[]>("internet-exposure-findings", []);

export function exposureFindings(ctx: CheckContext): readonly Finding[] {
  return ctx.env.memo(EXPOSURE_FINDINGS({}), () =>
    sortedValues(ctx.env.topo.nics).flatMap((nic) => {
      const f = exposureOfNic(ctx, nic);
      return f ? [f] : [];
    }),
  );
}
