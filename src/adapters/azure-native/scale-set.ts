/**
 * VirtualMachineScaleSet: the NICs its instances get from `virtualMachineProfile.networkProfile.
 * networkInterfaceConfigurations` (pulumi/pulumi-azure-native, compute VirtualMachineScaleSet; the SDK flattens ARM's
 * `properties`: networkInterfaceConfigurations[{name, primary, enableIPForwarding, enableAcceleratedNetworking,
 * networkSecurityGroup: {id}, ipConfigurations[{name, primary, subnet: {id}, publicIPAddressConfiguration: {name,
 * sku}, applicationSecurityGroups[{id}], loadBalancerBackendAddressPools[{id}], loadBalancerInboundNatPools[{id}]}]}]).
 *
 * The plan holds no resource per instance: one model NIC per network interface configuration stands for every
 * instance's NIC, with a dynamic address ("some address of its subnet": what holds for the NIC holds for every
 * instance), the configuration's NSG, ASGs and backend pools, and, for a `publicIPAddressConfiguration`, a public IP
 * of its own whose address is allocated at deployment. The scale set itself is a VM of the model owning those NICs,
 * so `vm` selectors and `--from` name it.
 */
import type { IpConfiguration, Nic, PublicIp, Vm } from "../../model/topology";
import { isUnknown, unknown, type Maybe } from "../../model/unknown";
import type { ResourceRecord } from "../../resources/record";
import { recordsOf, report, type BuildContext } from "./context";
import { resolvePoolRef } from "./load-balancer";
import { bool, get, indexPath, keyPath, list, tagsOf, text, type PV } from "./props";
import { resolveRef } from "./refs";

const BASE = ".virtualMachineProfile.networkProfile.networkInterfaceConfigurations";
/** propertyDependencies are recorded per top-level input property. */
const DEP = "virtualMachineProfile";

export interface ScaleSetParts {
  readonly vms: Array<readonly [string, Vm]>;
  readonly nics: Array<readonly [string, Nic]>;
  readonly publicIps: Array<readonly [string, PublicIp]>;
}

export function buildScaleSets(ctx: BuildContext): ScaleSetParts {
  const out: ScaleSetParts = { vms: [], nics: [], publicIps: [] };
  for (const record of recordsOf(ctx, "vmss")) {
    const ref = ctx.refs.get(record.urn);
    const configs = list(get(get(get(record.props, "virtualMachineProfile"), "networkProfile"), "networkInterfaceConfigurations"));
    const nicKeys: Maybe<string>[] = [];
    let primary: Maybe<string | undefined> = undefined;
    if (isUnknown(configs)) {
      nicKeys.push(configs);
      primary = configs;
    } else if (configs === undefined || configs.length === 0) {
      report(ctx, {
        code: "unsupported-property",
        severity: "warning",
        resource: record.urn,
        field: "virtualMachineProfile.networkProfile.networkInterfaceConfigurations",
        message: `${record.name}: the scale set declares no network interface configuration; its instances are not in the model`,
      });
    } else {
      configs.forEach((body, i) => {
        const path = indexPath(BASE, i);
        const nic = instanceNic(ctx, record, body, path, i, out.publicIps);
        out.nics.push([nic.key, nic]);
        nicKeys.push(nic.key);
      });
      // The configuration flagged primary, else the first (as for a VM's NICs).
      const flagged = configs.findIndex((b) => bool(get(b, "primary")) === true);
      primary = nicKeys[flagged >= 0 ? flagged : 0];
    }
    const vm: Vm = {
      key: record.urn,
      urn: record.urn,
      logicalName: record.name,
      azureName: ref?.azureName ?? unknown(".name", record.urn),
      id: ref?.id ?? unknown(".id", record.urn),
      nicKeys,
      primaryNicKey: primary,
      tags: tagsOf(record.props.tags),
    };
    out.vms.push([record.urn, vm]);
  }
  return out;
}

function instanceNic(ctx: BuildContext, record: ResourceRecord, body: PV, path: string, i: number, publicIps: Array<readonly [string, PublicIp]>): Nic {
  const name = text(get(body, "name"));
  const label = typeof name === "string" ? name : `[${i}]`;
  const key = `${record.urn}/networkInterfaceConfigurations/${label}`;
  const items = list(get(body, "ipConfigurations"));
  const bodies: readonly PV[] = items === undefined ? [] : isUnknown(items) ? [items] : items;
  const configs = bodies.map((c, j) => ipConfiguration(ctx, record, c, isUnknown(items) ? keyPath(path, "ipConfigurations") : indexPath(keyPath(path, "ipConfigurations"), j), key, publicIps));
  const flagged = bodies.some((b) => bool(get(b, "primary")) === true);
  const fwd = bool(get(body, "enableIPForwarding"));
  return {
    key,
    urn: record.urn,
    logicalName: `${record.name}/${label}`,
    azureName: typeof name === "string" ? name : unknown(keyPath(path, "name"), record.urn),
    id: unknown(`${path}.id`, record.urn, "a scale set instance's NIC: its id is assigned per instance"),
    ipConfigurations: configs.map((c, j) => (flagged || j !== 0 ? c : { ...c, primary: true })),
    nsgKey: resolveRef(ctx, { value: get(body, "networkSecurityGroup"), path: keyPath(path, "networkSecurityGroup"), record, depProp: DEP, kind: "nsg" }),
    ipForwarding: fwd ?? false,
    tags: tagsOf(record.props.tags),
    vmKey: record.urn,
  };
}

function ipConfiguration(ctx: BuildContext, record: ResourceRecord, body: PV, path: string, nicKey: string, publicIps: Array<readonly [string, PublicIp]>): IpConfiguration {
  const name = text(get(body, "name"));
  const cfgName = typeof name === "string" ? name : path;
  let subnetKey = resolveRef(ctx, { value: get(body, "subnet"), path: keyPath(path, "subnet"), record, depProp: DEP, kind: "subnet" });
  if (subnetKey === null) subnetKey = unknown(keyPath(path, "subnet.id"), record.urn, "missing: Azure requires a subnet for every ip configuration");
  const pipConfig = get(body, "publicIPAddressConfiguration");
  let publicIpKey: Maybe<string | null> = null;
  if (isUnknown(pipConfig)) publicIpKey = pipConfig;
  else if (pipConfig !== undefined && pipConfig !== null) {
    const key = `${nicKey}/ipConfigurations/${cfgName}/publicIPAddressConfiguration`;
    const pipName = text(get(pipConfig, "name"));
    publicIps.push([
      key,
      {
        key,
        urn: record.urn,
        logicalName: "",
        azureName: typeof pipName === "string" ? pipName : unknown(keyPath(path, "publicIPAddressConfiguration.name"), record.urn),
        id: unknown(keyPath(path, "publicIPAddressConfiguration"), record.urn, "an instance public IP of a scale set"),
        ipAddress: unknown(keyPath(path, "publicIPAddressConfiguration"), record.urn, "an instance public IP, allocated per instance at deployment"),
      },
    ]);
    publicIpKey = key;
  }
  return {
    name: cfgName,
    primary: bool(get(body, "primary")) === true,
    subnetKey,
    allocation: "Dynamic",
    privateIpAddress: undefined,
    asgKeys: refs(ctx, record, get(body, "applicationSecurityGroups"), keyPath(path, "applicationSecurityGroups"), "asg"),
    publicIpKey,
    backendPoolRefs: pools(ctx, record, get(body, "loadBalancerBackendAddressPools"), keyPath(path, "loadBalancerBackendAddressPools")),
  };
}

function refs(ctx: BuildContext, record: ResourceRecord, v: PV, path: string, kind: "asg"): Maybe<readonly string[]> {
  const items = list(v);
  if (items === undefined) return [];
  if (isUnknown(items)) return items;
  const keys: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const k = resolveRef(ctx, { value: items[i], path: indexPath(path, i), record, depProp: DEP, kind });
    if (isUnknown(k)) return k;
    if (k !== null) keys.push(k);
  }
  return keys;
}

function pools(ctx: BuildContext, record: ResourceRecord, v: PV, path: string): Maybe<string>[] {
  const items = list(v);
  if (items === undefined) return [];
  if (isUnknown(items)) return [items];
  return items.map((item, i) => resolvePoolRef(ctx, record, item, indexPath(path, i), DEP));
}
