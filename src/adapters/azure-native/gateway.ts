/**
 * VirtualNetworkGateway: its type and the subnets (GatewaySubnet) its ip configurations sit in; and the
 * VirtualNetworkGatewayConnections that use it, with the remote prefixes the plan states: a site-to-site (IPsec)
 * connection's LocalNetworkGateway `localNetworkAddressSpace.addressPrefixes`, a VNet-to-VNet connection's remote
 * VNet address space. Shapes: pulumi/pulumi-azure-native sdk/nodejs/network/virtualNetworkGatewayConnection.ts
 * (connectionType, virtualNetworkGateway1, virtualNetworkGateway2, localNetworkGateway2, enableBgp) and
 * localNetworkGateway.ts (localNetworkAddressSpace: {addressPrefixes}, gatewayIpAddress, bgpSettings).
 * Prefixes a gateway learns over BGP (ExpressRoute, BGP-enabled VPN) are not in the plan: `--gateway-prefixes`.
 */
import type { GatewayConnection, VirtualNetworkGateway } from "../../model/topology";
import { isUnknown, unknown, type Maybe } from "../../model/unknown";
import type { ResourceRecord } from "../../resources/record";
import { recordsOf, sortedMap, type BuildContext } from "./context";
import { bool, get, indexPath, list, text } from "./props";
import { resolveRef } from "./refs";

export function buildGateways(ctx: BuildContext): Map<string, VirtualNetworkGateway> {
  const subnetsOf = new Map<string, Maybe<string>[]>();
  const gateways = recordsOf(ctx, "gateway").map((record) => {
    const ref = ctx.refs.get(record.urn);
    const subnetKeys: Maybe<string>[] = [];
    const configs = list(record.props.ipConfigurations);
    if (isUnknown(configs)) subnetKeys.push(configs);
    else
      configs?.forEach((c, i) => {
        const path = `${indexPath(".ipConfigurations", i)}.subnet`;
        const k = resolveRef(ctx, { value: get(c, "subnet"), path, record, depProp: "ipConfigurations", kind: "subnet" });
        if (k !== null) subnetKeys.push(k);
      });
    subnetsOf.set(record.urn, subnetKeys);
    const gw: VirtualNetworkGateway = {
      key: record.urn,
      urn: record.urn,
      logicalName: record.name,
      azureName: ref?.azureName ?? unknown(".name", record.urn),
      id: ref?.id ?? unknown(".id", record.urn),
      gatewayType: text(record.props.gatewayType),
      subnetKeys,
    };
    return gw;
  });
  const connections = connectionsByGateway(ctx, subnetsOf);
  return sortedMap(gateways.map((g) => [g.key, connections.has(g.key) ? { ...g, connections: connections.get(g.key) } : g] as const));
}

/** Gateway key -> the connections whose virtualNetworkGateway1 (or, VNet-to-VNet, virtualNetworkGateway2) it is. */
function connectionsByGateway(ctx: BuildContext, subnetsOf: ReadonlyMap<string, readonly Maybe<string>[]>): Map<string, GatewayConnection[]> {
  const out = new Map<string, GatewayConnection[]>();
  const add = (gw: Maybe<string> | null, c: GatewayConnection): void => {
    if (typeof gw !== "string") return;
    const list = out.get(gw) ?? [];
    list.push(c);
    out.set(gw, list);
  };
  for (const record of recordsOf(ctx, "gatewayConnection")) {
    const type = text(record.props.connectionType);
    const bgp = bool(record.props.enableBgp) ?? false;
    const gw1 = resolveRef(ctx, { value: record.props.virtualNetworkGateway1, path: ".virtualNetworkGateway1", record, depProp: "virtualNetworkGateway1", kind: "gateway" });
    if (record.props.localNetworkGateway2 !== undefined) {
      const lng = resolveRef(ctx, { value: record.props.localNetworkGateway2, path: ".localNetworkGateway2", record, depProp: "localNetworkGateway2", kind: "localGateway" });
      add(gw1, { urn: record.urn, name: record.name, connectionType: type, remote: remoteName(ctx, lng, "local network gateway"), prefixes: localPrefixes(ctx, lng, record), bgp });
    }
    if (record.props.virtualNetworkGateway2 !== undefined) {
      // VNet-to-VNet: each side's gateway leads to the other side's VNet.
      const gw2 = resolveRef(ctx, { value: record.props.virtualNetworkGateway2, path: ".virtualNetworkGateway2", record, depProp: "virtualNetworkGateway2", kind: "gateway" });
      add(gw1, { urn: record.urn, name: record.name, connectionType: type, remote: remoteName(ctx, gw2, "virtual network gateway"), prefixes: vnetPrefixesOf(ctx, gw2, subnetsOf, record), bgp });
      add(gw2, { urn: record.urn, name: record.name, connectionType: type, remote: remoteName(ctx, gw1, "virtual network gateway"), prefixes: vnetPrefixesOf(ctx, gw1, subnetsOf, record), bgp });
    }
  }
  return out;
}

function remoteName(ctx: BuildContext, key: Maybe<string> | null, what: string): string {
  if (typeof key !== "string") return `${what} (unknown at preview)`;
  return `${what} ${ctx.refs.get(key)?.label ?? key}`;
}

function localPrefixes(ctx: BuildContext, lng: Maybe<string> | null, connection: ResourceRecord): Maybe<readonly string[]> {
  if (lng === null) return unknown(".localNetworkGateway2", connection.urn, "missing");
  if (isUnknown(lng)) return lng;
  const record = ctx.recordsByUrn.get(lng);
  if (!record) return unknown(".localNetworkGateway2", connection.urn, "the local network gateway is not in the plan");
  const items = list(get(record.props.localNetworkAddressSpace, "addressPrefixes"));
  if (isUnknown(items)) return items;
  const out: string[] = [];
  for (const [i, item] of (items ?? []).entries()) {
    const t = text(item);
    if (isUnknown(t)) return t;
    if (typeof t === "string") out.push(t.trim());
    else return unknown(indexPath(".localNetworkAddressSpace.addressPrefixes", i), record.urn, "not a prefix");
  }
  return out;
}

/** The address prefixes of the VNet a gateway sits in (its GatewaySubnet's VNet). */
function vnetPrefixesOf(ctx: BuildContext, gw: Maybe<string> | null, subnetsOf: ReadonlyMap<string, readonly Maybe<string>[]>, connection: ResourceRecord): Maybe<readonly string[]> {
  if (gw === null) return unknown(".virtualNetworkGateway2", connection.urn, "missing");
  if (isUnknown(gw)) return gw;
  for (const s of subnetsOf.get(gw) ?? []) {
    if (isUnknown(s)) return s;
    const vnetKey = ctx.refs.get(s)?.parentKey;
    if (typeof vnetKey !== "string") continue;
    const vnet = ctx.recordsByUrn.get(vnetKey);
    const items = list(get(vnet?.props.addressSpace, "addressPrefixes"));
    if (isUnknown(items)) return items;
    return (items ?? []).map((x) => text(x)).filter((x): x is string => typeof x === "string");
  }
  return unknown(".virtualNetworkGateway2", connection.urn, "the remote gateway's virtual network is not known");
}
