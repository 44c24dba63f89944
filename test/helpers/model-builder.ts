import { defaultSecurityRules } from "../../src/azure/default-rules";
import type {
  Access,
  AddressSpec,
  Asg,
  Direction,
  Nic,
  Nsg,
  Peering,
  Route,
  RouteTable,
  SecurityRule,
  Subnet,
  Topology,
  Vm,
  Vnet,
  NextHopType,
  PublicIp,
  VirtualNetworkGateway,
} from "../../src/model/topology";
import { isUnknown, type Maybe } from "../../src/model/unknown";
import { IpSet, parsePrefix } from "../../src/sets/ip-set";
import { PortSet } from "../../src/sets/port-set";
import { ProtocolSet } from "../../src/sets/protocol-set";

/** Builds Topology objects directly (no adapter), so engine tests depend on the model only. Keys are names. */
const urn = (type: string, name: string): string => `urn:pulumi:test::test::azure-native:network:${type}::${name}`;

function entity(type: string, name: string) {
  return { key: name, urn: urn(type, name), logicalName: name, azureName: name, id: `/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/${type}/${name}` };
}

export interface RuleSpec {
  name: string;
  priority: number | Maybe<number>;
  direction: Direction;
  access: Access | Maybe<Access>;
  protocol?: string;
  src?: string | string[] | Maybe<readonly AddressSpec[]>;
  dst?: string | string[] | Maybe<readonly AddressSpec[]>;
  sport?: string;
  dport?: string;
  srcAsgs?: Maybe<string>[];
  dstAsgs?: Maybe<string>[];
}

function addressSpecs(v: RuleSpec["src"], asgs: Maybe<string>[] | undefined): Maybe<readonly AddressSpec[]> {
  if (asgs) return asgs.map((a) => ({ kind: "asg", text: typeof a === "string" ? a : "?", asgKey: a }));
  if (v !== undefined && typeof v === "object" && !Array.isArray(v)) return v as Maybe<readonly AddressSpec[]>;
  const texts = v === undefined ? ["*"] : Array.isArray(v) ? v : [v as string];
  return texts.map((text): AddressSpec => {
    if (text === "*" || text.toLowerCase() === "any") return { kind: "any", text };
    const p = parsePrefix(text);
    if (p.ok) return { kind: "prefix", text, set: p.set };
    return { kind: "tag", text, tag: text };
  });
}

function ports(text: string | undefined): PortSet {
  const p = PortSet.parse(text ?? "*");
  if (!p.ok) throw new Error(p.error);
  return p.set;
}

export function rule(nsg: string, s: RuleSpec): SecurityRule {
  const proto = ProtocolSet.fromAzure(s.protocol ?? "*");
  if (!proto.ok) throw new Error(proto.error);
  return {
    name: s.name,
    nsgKey: nsg,
    urn: urn("NetworkSecurityGroup", nsg),
    origin: "inline",
    priority: s.priority as Maybe<number>,
    direction: s.direction,
    access: s.access as Maybe<Access>,
    protocol: proto.set,
    protocolText: s.protocol ?? "*",
    sources: addressSpecs(s.src, s.srcAsgs),
    destinations: addressSpecs(s.dst, s.dstAsgs),
    sourcePorts: ports(s.sport),
    destinationPorts: ports(s.dport),
    valid: true,
  };
}

export class ModelBuilder {
  private readonly vnets = new Map<string, Vnet>();
  private readonly subnets = new Map<string, Subnet>();
  private readonly nics = new Map<string, Nic>();
  private readonly nsgs = new Map<string, Nsg>();
  private readonly asgs = new Map<string, Asg>();
  private readonly routeTables = new Map<string, RouteTable>();
  private readonly peerings = new Map<string, Peering>();
  private readonly vms = new Map<string, Vm>();
  private readonly publicIps = new Map<string, PublicIp>();
  private readonly gateways = new Map<string, VirtualNetworkGateway>();

  vnet(name: string, prefixes: string[]): this {
    this.vnets.set(name, { ...entity("virtualNetworks", name), addressPrefixes: prefixes, addressSpace: IpSet.fromPrefixes(prefixes), subnetKeys: [], peeringKeys: [], tags: {} });
    return this;
  }

  subnet(name: string, vnet: string, prefix: string, opts: { nsg?: Maybe<string | null>; routeTable?: Maybe<string | null> } = {}): this {
    this.subnets.set(name, {
      ...entity("subnets", name),
      vnetKey: vnet,
      addressPrefixes: [prefix],
      addressSpace: IpSet.fromCidr(prefix),
      nsgKey: opts.nsg ?? null,
      routeTableKey: opts.routeTable ?? null,
    });
    return this;
  }

  nsg(name: string, rules: RuleSpec[] = []): this {
    this.nsgs.set(name, { ...entity("networkSecurityGroups", name), rules: rules.map((r) => rule(name, r)), defaultRules: defaultSecurityRules(name, urn("NetworkSecurityGroup", name)), tags: {} });
    return this;
  }

  asg(name: string): this {
    this.asgs.set(name, { ...entity("applicationSecurityGroups", name), tags: {} });
    return this;
  }

  nic(
    name: string,
    subnet: Maybe<string>,
    ip: Maybe<string | undefined>,
    opts: { nsg?: Maybe<string | null>; asgs?: Maybe<readonly string[]>; ipForwarding?: Maybe<boolean>; publicIp?: string; tags?: Record<string, string> } = {},
  ): this {
    this.nics.set(name, {
      ...entity("networkInterfaces", name),
      ipConfigurations: [
        {
          name: "ipconfig1",
          primary: true,
          subnetKey: subnet,
          allocation: ip === undefined ? "Dynamic" : "Static",
          privateIpAddress: ip,
          asgKeys: opts.asgs ?? [],
          publicIpKey: opts.publicIp ?? null,
          backendPoolRefs: [],
        },
      ],
      nsgKey: opts.nsg ?? null,
      ipForwarding: opts.ipForwarding ?? false,
      tags: opts.tags ?? {},
    });
    if (opts.publicIp) this.publicIps.set(opts.publicIp, { ...entity("publicIPAddresses", opts.publicIp), ipAddress: undefined });
    return this;
  }

  vm(name: string, nic: string): this {
    this.vms.set(name, { ...entity("virtualMachines", name), nicKeys: [nic], primaryNicKey: nic, tags: {} });
    return this;
  }

  routeTable(
    name: string,
    routes: Array<{ name: string; prefix: Maybe<string>; nextHopType: Maybe<NextHopType>; nextHopIp?: Maybe<string> }>,
    disableBgp: Maybe<boolean> = false,
  ): this {
    const table: RouteTable = {
      ...entity("routeTables", name),
      disableBgpRoutePropagation: disableBgp,
      tags: {},
      routes: routes.map(
        (r): Route => ({
          name: r.name,
          routeTableKey: name,
          urn: urn("RouteTable", name),
          origin: "inline",
          addressPrefixText: isUnknown(r.prefix) ? "" : r.prefix,
          addressPrefix: isUnknown(r.prefix) ? r.prefix : IpSet.fromCidr(r.prefix),
          nextHopType: r.nextHopType,
          nextHopIpAddress: r.nextHopIp,
          valid: true,
        }),
      ),
    };
    this.routeTables.set(name, table);
    return this;
  }

  peering(name: string, vnet: string, remote: string, flags: Partial<Pick<Peering, "allowVirtualNetworkAccess" | "allowForwardedTraffic" | "allowGatewayTransit" | "useRemoteGateways">> = {}): this {
    this.peerings.set(name, {
      ...entity("virtualNetworkPeerings", name),
      name,
      vnetKey: vnet,
      remoteVnetKey: remote,
      allowVirtualNetworkAccess: flags.allowVirtualNetworkAccess ?? true,
      allowForwardedTraffic: flags.allowForwardedTraffic ?? false,
      allowGatewayTransit: flags.allowGatewayTransit ?? false,
      useRemoteGateways: flags.useRemoteGateways ?? false,
    });
    return this;
  }

  /** A virtual network gateway whose ip configuration sits in `subnet` (the VNet's GatewaySubnet). */
  gateway(name: string, subnet: Maybe<string>, gatewayType = "Vpn"): this {
    this.gateways.set(name, { ...entity("virtualNetworkGateways", name), gatewayType, subnetKeys: [subnet] });
    return this;
  }

  build(): Topology {
    return {
      vnets: this.vnets,
      subnets: this.subnets,
      nics: this.nics,
      nsgs: this.nsgs,
      asgs: this.asgs,
      routeTables: this.routeTables,
      peerings: this.peerings,
      vms: this.vms,
      publicIps: this.publicIps,
      gateways: this.gateways,
      loadBalancers: new Map(),
      diagnostics: [],
    };
  }
}
