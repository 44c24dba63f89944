/**
 * AR-020 flow-count-risk: per NIC the Internet surely reaches (internet-exposure, with the real ingress: a load
 * balancer's rule ports, a NAT rule's port, a public IP's every port, nothing through a Standard SKU without an
 * NSG), the ports x sources open to the Internet and what bears on the flow table: whether the traffic arrives
 * through a load balancer (spread over its pool) or straight at the VM's own public IP, Accelerated Networking on
 * the NIC (`enableAcceleratedNetworking`), DDoS protection on the VNet (`enableDdosProtection` with a
 * `ddosProtectionPlan`) or on the public IP (`ddosSettings.protectionMode` Enabled).
 *
 * Limits (learn.microsoft.com/azure/virtual-network/virtual-machine-network-throughput, "Flow limits and active
 * connections recommendations"): 1M total flows per VM (500k inbound, 500k outbound), 500k active connections;
 * VMs acting as network appliances (firewall, proxy, gateway: here, a NIC with IP forwarding) 250k; beyond that,
 * connections are dropped. Microsoft's remediation for "high inbound connection/flow count" suggests spreading the
 * load and Accelerated Networking; no page says Accelerated Networking raises the flow limit, so the finding only
 * reports it.
 */
import { exposureFindings, ingressPaths } from "./internet-exposure";
import { subnetOfNic, vnetOfSubnet } from "../engine/topology-queries";
import type { Nic, Topology } from "../model/topology";
import { isUnknown, type Maybe } from "../model/unknown";
import { makeFinding, nameOf, nicLabel, sortedValues } from "./helpers";
import type { Check, CheckContext, Finding, FindingSeverity } from "./types";

export const VM_FLOW_LIMIT = 1_000_000;
export const DIRECTION_FLOW_LIMIT = 500_000;
export const APPLIANCE_FLOW_LIMIT = 250_000;

function yesNo(v: Maybe<boolean> | undefined): "yes" | "no" | "unknown" {
  if (v === undefined) return "no";
  if (isUnknown(v)) return "unknown";
  return v ? "yes" : "no";
}

interface Protection {
  readonly behindLb: boolean;
  readonly directPublicIp: boolean;
  readonly lbNames: string[];
  readonly accelerated: "yes" | "no" | "unknown";
  readonly ddosVnet: "yes" | "no" | "unknown";
  readonly ddosIp: "yes" | "no" | "unknown";
  readonly appliance: boolean;
}

function protectionOf(topo: Topology, nic: Nic): Protection {
  const paths = ingressPaths(topo, nic).filter((p) => !p.admits.isEmpty());
  const lbs = [...new Set(paths.flatMap((p) => (p.lb ? [nameOf(p.lb)] : [])))];
  const subnet = subnetOfNic(topo, nic);
  const vnet = !isUnknown(subnet) && subnet ? vnetOfSubnet(topo, subnet) : undefined;
  const pipKeys = paths.flatMap((p) => (p.kind === "public-ip" && typeof p.cfg.publicIpKey === "string" ? [p.cfg.publicIpKey] : p.lb ? p.lb.publicIpKeys.filter((k): k is string => typeof k === "string") : []));
  const ipFlags = pipKeys.map((k) => yesNo(topo.publicIps.get(k)?.ddosProtection));
  return {
    behindLb: lbs.length > 0,
    directPublicIp: paths.some((p) => p.kind === "public-ip"),
    lbNames: lbs,
    accelerated: yesNo(nic.acceleratedNetworking),
    ddosVnet: vnet && !isUnknown(vnet) ? yesNo(vnet.ddosProtection) : "unknown",
    ddosIp: ipFlags.includes("yes") ? "yes" : ipFlags.includes("unknown") ? "unknown" : "no",
    appliance: nic.ipForwarding === true,
  };
}

export const flowCountRisk: Check = {
  id: "AR-020",
  name: "flow-count-risk",
  title: "Internet-exposed VM whose flow table the Internet can fill",
  severity: "medium",
  explanation:
    "For each network interface the Internet reaches (see internet-exposure: only what a public IP, a load balancer " +
    "rule or an inbound NAT rule lets in, and a Standard SKU lets in nothing without an NSG), reports the ports x " +
    "sources open to the Internet, whether the traffic arrives through a load balancer or straight at the VM's own " +
    "public IP, Accelerated Networking on the NIC, and DDoS protection on its virtual network or public IP. Azure " +
    "tracks at most 1M flows per VM, 500k inbound and 500k outbound, and 250k for VMs acting as network appliances; " +
    "beyond that connections are dropped, which Azure reports after the fact as 'high inbound connection/flow count " +
    "may result in degraded performance' (learn.microsoft.com/azure/virtual-network/virtual-machine-network-throughput). " +
    "High: all or nearly all ports open to the Internet without DDoS protection; medium: a VM's own public IP without " +
    "DDoS protection; low: the rest.",
  fix:
    "Open only the ports the workload serves; put Internet-facing VMs behind a load balancer (its rules open only " +
    "their ports, and the pool shares the flows); enable Azure DDoS Network Protection on the virtual network or DDoS " +
    "IP Protection on the public IP; enable Accelerated Networking on the NIC.",
  run(ctx: CheckContext): Finding[] {
    const topo = ctx.env.topo;
    const byUrn = new Map(sortedValues(topo.nics).map((n) => [n.urn, n] as const));
    return exposureFindings(ctx).flatMap((f) => {
      const nic = byUrn.get(f.resources[0]);
      if (!nic || f.details?.indeterminate === true) return [];
      const p = protectionOf(topo, nic);
      const ports = Number(f.details?.exposedPorts ?? 0);
      const sources = grouped(String(f.details?.exposedSources ?? "0"));
      const portsTimesSources = grouped(String(f.details?.portsTimesSources ?? "0"));
      const wide = f.details?.allPortsOpen === true;
      const ddos = p.ddosVnet === "yes" || p.ddosIp === "yes";
      const severity: FindingSeverity = wide && !ddos ? "high" : p.directPublicIp && !ddos ? "medium" : "low";
      const limit = p.appliance ? `${APPLIANCE_FLOW_LIMIT.toLocaleString("en-US")} flows (a network appliance: IP forwarding is on)` : `${DIRECTION_FLOW_LIMIT.toLocaleString("en-US")} inbound flows (${VM_FLOW_LIMIT.toLocaleString("en-US")} in all)`;
      const via = p.behindLb ? `behind load balancer ${p.lbNames.join(", ")}${p.directPublicIp ? " and on its own public IP" : ""}` : "on its own public IP, not behind a load balancer";
      const tcp = f.details?.tcpPorts;
      const udp = f.details?.udpPorts;
      const portText = [tcp && tcp !== "(none)" ? `TCP ${tcp}` : "", udp && udp !== "(none)" ? `UDP ${udp}` : ""].filter((x) => x !== "").join(", ");
      const message =
        `${nicLabel(topo, nic)}: ${ports} port${ports === 1 ? "" : "s"}${portText ? ` (${portText})` : ""} x ${sources} Internet sources = ${portsTimesSources} open, ${via}; ` +
        `Accelerated Networking ${p.accelerated === "yes" ? "on" : p.accelerated === "no" ? "off" : "unknown"}; DDoS protection ${ddos ? "on" : p.ddosVnet === "unknown" || p.ddosIp === "unknown" ? "unknown" : "off"} (VNet ${p.ddosVnet}, public IP ${p.ddosIp}); ` +
        `Azure keeps at most ${limit} for this VM and drops connections beyond`;
      return [
        makeFinding(flowCountRisk, {
          severity,
          resources: f.resources,
          message,
          details: {
            exposedPorts: ports,
            exposedSources: sources,
            portsTimesSources,
            allPortsOpen: wide,
            behindLoadBalancer: p.behindLb,
            ownPublicIp: p.directPublicIp,
            acceleratedNetworking: p.accelerated,
            ddosProtectionVnet: p.ddosVnet,
            ddosProtectionPublicIp: p.ddosIp,
            networkAppliance: p.appliance,
            flowLimit: p.appliance ? APPLIANCE_FLOW_LIMIT : DIRECTION_FLOW_LIMIT,
          },
        }),
      ];
    });
  },
};

/** "3702390783" -> "3,702,390,783": the counts are bigints written as decimal strings; people read them grouped. */
export function grouped(digits: string): string {
  return /^\d+$/.test(digits) ? BigInt(digits).toLocaleString("en-US") : digits;
}
