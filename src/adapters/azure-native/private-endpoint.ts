/**
 * PrivateEndpoint: the network interface Azure creates for it (read-only `networkInterfaces` output; the plan holds
 * no NetworkInterface resource for it), modelled as a NIC of the model in the endpoint's subnet. Property shapes:
 * pulumi/pulumi-azure-native sdk/nodejs/network/privateEndpoint.ts (subnet, ipConfigurations[{name, groupId,
 * memberName, privateIPAddress}], customDnsConfigs[{fqdn, ipAddresses}], applicationSecurityGroups,
 * privateLinkServiceConnections[{name, privateLinkServiceId, groupIds}], manualPrivateLinkServiceConnections,
 * networkInterfaces).
 *
 * Addresses: a static `ipConfigurations[].privateIPAddress`, else (a deployed endpoint in a stack export) the
 * addresses of `customDnsConfigs[].ipAddresses`, else a dynamic address: "some address of its subnet", as for any
 * NIC with a dynamic address. No NSG can be attached to the endpoint's NIC; the subnet's NSG applies to it only under
 * the subnet's `privateEndpointNetworkPolicies` (engine/nsg.ts).
 */
import type { IpConfiguration, Nic, PrivateEndpointInfo } from "../../model/topology";
import { isUnknown, unknown, type Maybe } from "../../model/unknown";
import type { ResourceRecord } from "../../resources/record";
import { recordsOf, type BuildContext } from "./context";
import { get, indexPath, keyPath, list, tagsOf, text, type PV } from "./props";
import { resolveRef } from "./refs";

export function buildPrivateEndpointNics(ctx: BuildContext): Array<readonly [string, Nic]> {
  return recordsOf(ctx, "privateEndpoint").map((record) => {
    const ref = ctx.refs.get(record.urn);
    const subnetKey = resolveRef(ctx, { value: record.props.subnet, path: ".subnet", record, depProp: "subnet", kind: "subnet" });
    const subnet: Maybe<string> = subnetKey ?? unknown(".subnet.id", record.urn, "missing: Azure requires a subnet for a private endpoint");
    const asgKeys = asgs(ctx, record);
    const addresses = addressesOf(record);
    const configs: IpConfiguration[] = (addresses.length > 0 ? addresses : [undefined]).map((a, i) => ({
      name: a?.name ?? "privateEndpointIpConfig",
      primary: i === 0,
      subnetKey: subnet,
      allocation: a !== undefined ? "Static" : "Dynamic",
      privateIpAddress: a?.address,
      asgKeys,
      publicIpKey: null,
      backendPoolRefs: [],
    }));
    const nic: Nic = {
      key: record.urn,
      urn: record.urn,
      logicalName: record.name,
      azureName: ref?.azureName ?? unknown(".name", record.urn),
      id: ref?.id ?? unknown(".id", record.urn),
      ipConfigurations: configs,
      // Azure attaches no NSG to a private endpoint's NIC.
      nsgKey: null,
      ipForwarding: false,
      tags: tagsOf(record.props.tags),
      privateEndpoint: info(record),
    };
    return [record.urn, nic] as const;
  });
}

interface PlannedAddress {
  readonly name: string;
  readonly address: string;
}

function addressesOf(record: ResourceRecord): PlannedAddress[] {
  const out: PlannedAddress[] = [];
  const seen = new Set<string>();
  const add = (name: string, v: PV): void => {
    const t = text(v);
    if (typeof t !== "string" || seen.has(t.trim())) return;
    seen.add(t.trim());
    out.push({ name, address: t.trim() });
  };
  const configs = list(record.props.ipConfigurations);
  if (configs !== undefined && !isUnknown(configs)) {
    configs.forEach((c, i) => {
      const name = text(get(c, "name"));
      add(typeof name === "string" ? name : `ipConfigurations[${i}]`, get(c, "privateIPAddress"));
    });
  }
  if (out.length > 0) return out;
  const dns = list(record.props.customDnsConfigs);
  if (dns !== undefined && !isUnknown(dns)) {
    dns.forEach((d, i) => {
      const ips = list(get(d, "ipAddresses"));
      if (ips === undefined || isUnknown(ips)) return;
      ips.forEach((ip, j) => add(`customDnsConfigs[${i}].ipAddresses[${j}]`, ip));
    });
  }
  return out;
}

function asgs(ctx: BuildContext, record: ResourceRecord): Maybe<readonly string[]> {
  const items = list(record.props.applicationSecurityGroups);
  if (items === undefined) return [];
  if (isUnknown(items)) return items;
  const keys: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const k = resolveRef(ctx, { value: items[i], path: indexPath(".applicationSecurityGroups", i), record, depProp: "applicationSecurityGroups", kind: "asg" });
    if (isUnknown(k)) return k;
    if (k !== null) keys.push(k);
  }
  return keys;
}

function info(record: ResourceRecord): PrivateEndpointInfo {
  const ids: Maybe<string>[] = [];
  const groups: string[] = [];
  for (const prop of ["privateLinkServiceConnections", "manualPrivateLinkServiceConnections"]) {
    const items = list(record.props[prop]);
    if (items === undefined) continue;
    if (isUnknown(items)) {
      ids.push(items);
      continue;
    }
    items.forEach((c, i) => {
      const id = text(get(c, "privateLinkServiceId"));
      if (id !== undefined) ids.push(isUnknown(id) ? id : id.trim());
      else ids.push(unknown(keyPath(indexPath(`.${prop}`, i), "privateLinkServiceId"), record.urn, "missing"));
      const g = list(get(c, "groupIds"));
      if (g !== undefined && !isUnknown(g)) for (const x of g) if (typeof x === "string") groups.push(x);
    });
  }
  const urns = [...new Set([...(record.propertyDependencies.privateLinkServiceConnections ?? []), ...(record.propertyDependencies.manualPrivateLinkServiceConnections ?? [])])].sort();
  return { key: record.urn, linkedResourceIds: ids, linkedResourceUrns: urns, groupIds: [...new Set(groups)] };
}
