/**
 * An independent concrete evaluator: one packet at a time, straight from the semantics reference
 * (shared/reference/docs/azure-semantics.md: §1 NSG evaluation, §1 service tags, §2 routing, §7 the engine's
 * documented defaults), reading the stack export itself. It imports nothing from src/ (no adapter, no sets, no
 * engine): IPv4 addresses are plain numbers, prefixes are [first, last] pairs. It covers what generate.ts emits.
 */

type Json = Record<string, unknown>;

export function ipNumber(text: string): number {
  const parts = text.split(".").map(Number);
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

type Range = readonly [number, number];

function prefixRange(text: string): Range {
  if (text === "*" ) return [0, 0xffffffff];
  const [addr, len] = text.includes("/") ? text.split("/") : [text, "32"];
  const bits = Number(len);
  const base = ipNumber(addr);
  const size = bits === 0 ? 2 ** 32 : 2 ** (32 - bits);
  const first = Math.floor(base / size) * size;
  return [first, first + size - 1];
}

const inRange = (ip: number, r: Range): boolean => ip >= r[0] && ip <= r[1];
const lengthOf = (r: Range): number => 32 - Math.round(Math.log2(r[1] - r[0] + 1));

/** §7: IPv4 public unicast = everything minus these. */
const NOT_PUBLIC = ["0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3"].map(prefixRange);
export const isPublic = (ip: number): boolean => !NOT_PUBLIC.some((r) => inRange(ip, r));

const PLATFORM = ipNumber("168.63.129.16");

interface Rule {
  readonly name: string;
  readonly priority: number;
  readonly direction: string;
  readonly access: string;
  readonly protocol: string;
  readonly sources: readonly string[];
  readonly sourceAsgs: readonly string[];
  readonly destinations: readonly string[];
  readonly destinationAsgs: readonly string[];
  readonly ports: readonly Range[];
  readonly isDefault: boolean;
}

interface NicState {
  readonly name: string;
  readonly id: string;
  readonly ip: number;
  readonly subnetId: string;
  readonly nsgId?: string;
  readonly asgs: readonly string[];
  readonly forwarding: boolean;
}

interface SubnetState {
  readonly id: string;
  readonly vnetId: string;
  readonly range: Range;
  readonly nsgId?: string;
  readonly routeTableId?: string;
}

interface VnetState {
  readonly id: string;
  readonly ranges: readonly Range[];
}

interface PeeringState {
  readonly localVnetId: string;
  readonly remoteVnetId: string;
  readonly access: boolean;
  readonly forwarded: boolean;
}

interface UserRoute {
  readonly name: string;
  readonly range: Range;
  readonly nextHopType: string;
  readonly nextHopIp?: number;
}

/** §1 default rules, API spelling. */
const DEFAULTS: readonly Rule[] = [
  ["AllowVnetInBound", 65000, "Inbound", "Allow", "VirtualNetwork", "VirtualNetwork"],
  ["AllowAzureLoadBalancerInBound", 65001, "Inbound", "Allow", "AzureLoadBalancer", "*"],
  ["DenyAllInBound", 65500, "Inbound", "Deny", "*", "*"],
  ["AllowVnetOutBound", 65000, "Outbound", "Allow", "VirtualNetwork", "VirtualNetwork"],
  ["AllowInternetOutBound", 65001, "Outbound", "Allow", "*", "Internet"],
  ["DenyAllOutBound", 65500, "Outbound", "Deny", "*", "*"],
].map(([name, priority, direction, access, src, dst]) => ({
  name: name as string,
  priority: priority as number,
  direction: direction as string,
  access: access as string,
  protocol: "*",
  sources: [src as string],
  sourceAsgs: [],
  destinations: [dst as string],
  destinationAsgs: [],
  ports: [[0, 65535] as Range],
  isDefault: true,
}));

function portRanges(text: string): Range[] {
  if (text === "*") return [[0, 65535]];
  const [a, b] = text.split("-");
  return [[Number(a), Number(b ?? a)]];
}

function ids(list: unknown): string[] {
  return Array.isArray(list) ? list.map((x) => String((x as Json).id)) : [];
}

export interface Packet {
  readonly src: number;
  readonly dst: number;
  readonly protocol: "Tcp" | "Udp";
  readonly srcPort: number;
  readonly dstPort: number;
}

export interface NsgAnswer {
  readonly access: "Allow" | "Deny";
  /** The deciding rule (Network Watcher's spelling), null when no NSG applies. */
  readonly ruleName: string | null;
}

export type Fate = "Reachable" | "Unreachable" | "NonPublicInternet" | "Undecided";

export class Oracle {
  readonly nics = new Map<string, NicState>();
  private readonly subnets = new Map<string, SubnetState>();
  private readonly vnets = new Map<string, VnetState>();
  private readonly nsgs = new Map<string, Rule[]>();
  private readonly tables = new Map<string, UserRoute[]>();
  private readonly peerings: PeeringState[] = [];

  constructor(exportJson: unknown) {
    const resources = ((exportJson as Json).deployment as Json).resources as Json[];
    for (const r of resources) {
      const o = r.outputs as Json;
      const id = String(o.id);
      switch (r.type) {
        case "azure-native:network:VirtualNetwork": {
          const ranges = ((o.addressSpace as Json).addressPrefixes as string[]).map(prefixRange);
          this.vnets.set(id, { id, ranges });
          for (const s of o.subnets as Json[]) {
            const sid = String(s.id);
            this.subnets.set(sid, {
              id: sid,
              vnetId: id,
              range: prefixRange(String(s.addressPrefix)),
              ...(s.networkSecurityGroup ? { nsgId: String((s.networkSecurityGroup as Json).id) } : {}),
              ...(s.routeTable ? { routeTableId: String((s.routeTable as Json).id) } : {}),
            });
          }
          break;
        }
        case "azure-native:network:NetworkSecurityGroup":
          this.nsgs.set(
            id,
            (o.securityRules as Json[]).map((x) => ({
              name: String(x.name),
              priority: Number(x.priority),
              direction: String(x.direction),
              access: String(x.access),
              protocol: String(x.protocol),
              sources: x.sourceAddressPrefix !== undefined ? [String(x.sourceAddressPrefix)] : [],
              sourceAsgs: ids(x.sourceApplicationSecurityGroups),
              destinations: x.destinationAddressPrefix !== undefined ? [String(x.destinationAddressPrefix)] : [],
              destinationAsgs: ids(x.destinationApplicationSecurityGroups),
              ports: portRanges(String(x.destinationPortRange)),
              isDefault: false,
            })),
          );
          break;
        case "azure-native:network:RouteTable":
          this.tables.set(
            id,
            (o.routes as Json[]).map((x) => ({
              name: String(x.name),
              range: prefixRange(String(x.addressPrefix)),
              nextHopType: String(x.nextHopType),
              ...(x.nextHopIpAddress !== undefined ? { nextHopIp: ipNumber(String(x.nextHopIpAddress)) } : {}),
            })),
          );
          break;
        case "azure-native:network:NetworkInterface": {
          const cfg = (o.ipConfigurations as Json[])[0];
          this.nics.set(String(o.name), {
            name: String(o.name),
            id,
            ip: ipNumber(String(cfg.privateIPAddress)),
            subnetId: String((cfg.subnet as Json).id),
            ...(o.networkSecurityGroup ? { nsgId: String((o.networkSecurityGroup as Json).id) } : {}),
            asgs: ids(cfg.applicationSecurityGroups),
            forwarding: o.enableIPForwarding === true,
          });
          break;
        }
        case "azure-native:network:VirtualNetworkPeering":
          this.peerings.push({
            localVnetId: id.slice(0, id.indexOf("/virtualNetworkPeerings/")),
            remoteVnetId: String((o.remoteVirtualNetwork as Json).id),
            access: o.allowVirtualNetworkAccess === true,
            forwarded: o.allowForwardedTraffic === true,
          });
          break;
      }
    }
  }

  // ---- places --------------------------------------------------------------------------------------------------

  private subnetOf(nic: NicState): SubnetState {
    return this.subnets.get(nic.subnetId)!;
  }

  private nicByIp(ip: number): NicState | undefined {
    return [...this.nics.values()].find((n) => n.ip === ip);
  }

  /** §2 PEER: a peering carries traffic once both sides exist (Connected). */
  private connected(local: string, remote: string): PeeringState | undefined {
    const mine = this.peerings.find((p) => p.localVnetId === local && p.remoteVnetId === remote);
    const theirs = this.peerings.find((p) => p.localVnetId === remote && p.remoteVnetId === local);
    return mine && theirs ? mine : undefined;
  }

  private vnetOfIp(ip: number): VnetState | undefined {
    return [...this.vnets.values()].find((v) => v.ranges.some((r) => inRange(ip, r)));
  }

  // ---- §1 NSGs -------------------------------------------------------------------------------------------------

  /** §1 service tags: VirtualNetwork for a NIC = its VNet, connected peers with access, 168.63.129.16, its UDR prefixes. */
  private virtualNetwork(nic: NicState): Range[] {
    const subnet = this.subnetOf(nic);
    const vnet = this.vnets.get(subnet.vnetId)!;
    const out: Range[] = [...vnet.ranges, [PLATFORM, PLATFORM]];
    for (const other of this.vnets.values()) {
      if (other.id === vnet.id) continue;
      const p = this.connected(vnet.id, other.id);
      if (p && p.access) out.push(...other.ranges);
    }
    for (const route of subnet.routeTableId ? (this.tables.get(subnet.routeTableId) ?? []) : []) out.push(route.range);
    return out;
  }

  private addressMatches(text: string, ip: number, nic: NicState): boolean {
    if (text === "*") return true;
    if (text === "VirtualNetwork") return this.virtualNetwork(nic).some((r) => inRange(ip, r));
    if (text === "AzureLoadBalancer") return ip === PLATFORM;
    // §7: Internet = public unicast minus the NIC's VirtualNetwork set.
    if (text === "Internet") return isPublic(ip) && !this.virtualNetwork(nic).some((r) => inRange(ip, r));
    return inRange(ip, prefixRange(text));
  }

  private asgMatches(asgs: readonly string[], ip: number): boolean {
    const holder = this.nicByIp(ip);
    return holder !== undefined && asgs.some((a) => holder.asgs.includes(a));
  }

  private ruleMatches(rule: Rule, p: Packet, direction: string, nic: NicState): boolean {
    if (rule.direction !== direction) return false;
    if (rule.protocol !== "*" && rule.protocol !== p.protocol) return false;
    if (!rule.ports.some((r) => inRange(p.dstPort, r))) return false;
    const src = rule.sourceAsgs.length > 0 ? this.asgMatches(rule.sourceAsgs, p.src) : rule.sources.some((s) => this.addressMatches(s, p.src, nic));
    const dst = rule.destinationAsgs.length > 0 ? this.asgMatches(rule.destinationAsgs, p.dst) : rule.destinations.some((s) => this.addressMatches(s, p.dst, nic));
    return src && dst;
  }

  private evaluateNsg(nsgId: string, p: Packet, direction: string, nic: NicState): { access: string; name: string } {
    const rules = [...(this.nsgs.get(nsgId) ?? []), ...DEFAULTS].sort((a, b) => a.priority - b.priority);
    const hit = rules.find((r) => this.ruleMatches(r, p, direction, nic))!;
    return { access: hit.access, name: `${hit.isDefault ? "defaultSecurityRules" : "securityRules"}/${hit.name}` };
  }

  /** §1: inbound subnet NSG then NIC NSG; outbound NIC then subnet; a deny stops. */
  nsgChain(nicName: string, direction: "Inbound" | "Outbound", p: Packet): NsgAnswer {
    const nic = this.nics.get(nicName)!;
    const subnetNsg = this.subnetOf(nic).nsgId;
    const order = direction === "Inbound" ? [subnetNsg, nic.nsgId] : [nic.nsgId, subnetNsg];
    let last: NsgAnswer = { access: "Allow", ruleName: null };
    for (const nsg of order) {
      if (nsg === undefined) continue;
      const v = this.evaluateNsg(nsg, p, direction, nic);
      last = { access: v.access as "Allow" | "Deny", ruleName: v.name };
      if (v.access === "Deny") return last;
    }
    return last;
  }

  // ---- §2 routing ----------------------------------------------------------------------------------------------

  /** The winning route for `dst` from a NIC's subnet: longest prefix, ties User > System. */
  route(nicName: string, dst: number): { nextHopType: string; nextHopIp?: number; source: "User" | "System"; name?: string } {
    const nic = this.nics.get(nicName)!;
    const subnet = this.subnetOf(nic);
    const vnet = this.vnets.get(subnet.vnetId)!;
    const user = subnet.routeTableId ? (this.tables.get(subnet.routeTableId) ?? []) : [];
    const system: Array<{ range: Range; nextHopType: string }> = vnet.ranges.map((range) => ({ range, nextHopType: "VnetLocal" }));
    for (const other of this.vnets.values()) {
      if (other.id !== vnet.id && this.connected(vnet.id, other.id)) system.push(...other.ranges.map((range) => ({ range, nextHopType: "VNetPeering" })));
    }
    system.push({ range: prefixRange("0.0.0.0/0"), nextHopType: "Internet" });
    // A user 0.0.0.0/0 removes the reserved None routes (§2).
    if (!user.some((u) => u.range[0] === 0 && u.range[1] === 0xffffffff)) {
      for (const p of ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"]) system.push({ range: prefixRange(p), nextHopType: "None" });
    }
    const candidates = [
      ...user.filter((u) => inRange(dst, u.range)).map((u) => ({ ...u, source: "User" as const, rank: 0 })),
      ...system.filter((s) => inRange(dst, s.range)).map((s) => ({ ...s, source: "System" as const, rank: 1 })),
    ];
    candidates.sort((a, b) => lengthOf(b.range) - lengthOf(a.range) || a.rank - b.rank);
    const best = candidates[0];
    return { nextHopType: best.nextHopType, source: best.source, ...("nextHopIp" in best && best.nextHopIp !== undefined ? { nextHopIp: best.nextHopIp } : {}), ...("name" in best ? { name: best.name } : {}) };
  }

  // ---- the walk --------------------------------------------------------------------------------------------------

  /**
   * The packet's fate from `nicName` (the sender) to `p.dst`. Appliances: a route to VirtualAppliance hands the packet
   * to the NIC holding that address (inbound NSGs on the original packet), which must have IP forwarding, then sends
   * it on (outbound NSGs, its own subnet's routes). Peering is not transitive; traffic an appliance forwarded over a
   * peering needs allowForwardedTraffic on the receiving VNet's side (§2 PEER) when it did not originate in the
   * sending VNet: "traffic forwarded by a network virtual appliance in the remote virtual network (that didn't
   * originate from the remote virtual network)" (virtual-network-manage-peering.md, "Allow forwarded traffic"). A
   * packet whose source is in the sending VNet's address space originated there, whoever relayed it.
   */
  walk(nicName: string, p: Packet): { fate: Fate; why: string } {
    let at = this.nics.get(nicName)!;
    const visited = new Set<string>();
    let forwarded = false;
    for (;;) {
      visited.add(at.name);
      const out = this.nsgChain(at.name, "Outbound", p);
      if (out.access === "Deny") return { fate: "Unreachable", why: `outbound ${out.ruleName} at ${at.name}` };
      const route = this.route(at.name, p.dst);
      const here = this.vnets.get(this.subnetOf(at).vnetId)!;
      if (route.nextHopType === "None") return { fate: "Unreachable", why: "route None" };
      if (route.nextHopType === "Internet") return isPublic(p.dst) ? { fate: "Reachable", why: "Internet" } : { fate: "NonPublicInternet", why: "non-public over Internet" };
      let next: NicState | undefined;
      if (route.nextHopType === "VirtualAppliance") {
        next = route.nextHopIp === undefined ? undefined : this.nicByIp(route.nextHopIp);
        if (!next) {
          // An address in a subnet may be held by what the plan does not show (an internal load balancer frontend,
          // a resource of another stack): the engine answers undecided, and so must we. Outside every subnet
          // nothing can hold it.
          const inSubnet = route.nextHopIp !== undefined && [...this.subnets.values()].some((sn) => inRange(route.nextHopIp!, sn.range));
          return inSubnet ? { fate: "Undecided", why: "next hop address held by nothing in the plan" } : { fate: "Unreachable", why: "next hop address in no subnet" };
        }
        const there = this.vnets.get(this.subnetOf(next).vnetId)!;
        if (there.id !== here.id && !this.connected(here.id, there.id)) return { fate: "Unreachable", why: "appliance not reachable" };
        if (there.id !== here.id && forwarded && !originatesIn(here, p.src) && !this.connected(there.id, here.id)!.forwarded) return { fate: "Unreachable", why: "forwarded over peering without allowForwardedTraffic" };
        if (next.ip === p.dst) return this.deliver(next, p);
        if (visited.has(next.name)) return { fate: "Unreachable", why: "loop" };
        const inbound = this.nsgChain(next.name, "Inbound", p);
        if (inbound.access === "Deny") return { fate: "Unreachable", why: `inbound ${inbound.ruleName} at appliance ${next.name}` };
        if (!next.forwarding) return { fate: "Unreachable", why: "appliance without IP forwarding" };
        at = next;
        forwarded = true;
        continue;
      }
      // VnetLocal or VNetPeering: delivered inside the target VNet, to the NIC holding the address.
      const target = this.vnetOfIp(p.dst);
      const holder = this.nicByIp(p.dst);
      if (!target || !holder) return { fate: "Unreachable", why: "no host holds the address" };
      const holderVnet = this.vnets.get(this.subnetOf(holder).vnetId)!;
      if (route.nextHopType === "VnetLocal" && holderVnet.id !== here.id) return { fate: "Unreachable", why: "VnetLocal to another VNet" };
      if (route.nextHopType === "VNetPeering" && forwarded && !originatesIn(here, p.src) && !this.connected(holderVnet.id, here.id)!.forwarded) return { fate: "Unreachable", why: "forwarded over peering without allowForwardedTraffic" };
      return this.deliver(holder, p);
    }
  }

  private deliver(nic: NicState, p: Packet): { fate: Fate; why: string } {
    const inbound = this.nsgChain(nic.name, "Inbound", p);
    if (inbound.access === "Deny") return { fate: "Unreachable", why: `inbound ${inbound.ruleName} at ${nic.name}` };
    return { fate: "Reachable", why: `delivered to ${nic.name}` };
  }
}

/** Whether a packet's source lies in a VNet's address space (it originated there, not beyond an appliance). */
function originatesIn(vnet: VnetState, src: number): boolean {
  return vnet.ranges.some((r) => inRange(src, r));
}
