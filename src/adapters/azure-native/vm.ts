/**
 * VirtualMachine: its NICs (networkProfile.networkInterfaces) and the primary one (flagged primary, else the first).
 */
import type { Vm } from "../../model/topology";
import { isUnknown, unknown, type Maybe } from "../../model/unknown";
import { recordsOf, report, sortedMap, type BuildContext } from "./context";
import { bool, get, indexPath, list, tagsOf } from "./props";
import { resolveRef } from "./refs";

const PATH = ".networkProfile.networkInterfaces";

export function buildVms(ctx: BuildContext): Map<string, Vm> {
  return sortedMap(
    recordsOf(ctx, "vm").map((record) => {
      const ref = ctx.refs.get(record.urn);
      const items = list(get(get(record.props, "networkProfile"), "networkInterfaces"));
      const nicKeys: Maybe<string>[] = [];
      let primaryNicKey: Maybe<string | undefined> = undefined;
      if (isUnknown(items)) {
        nicKeys.push(items);
        primaryNicKey = items;
      } else if (items !== undefined) {
        const flags = items.map((item) => bool(get(item, "primary")));
        items.forEach((item, i) => {
          const path = indexPath(PATH, i);
          const k = resolveRef(ctx, { value: item, path, record, depProp: "networkProfile", kind: "nic" });
          nicKeys.push(k ?? unknown(`${path}.id`, record.urn, "missing"));
        });
        const flagged = flags.findIndex((f) => f === true);
        const unknownFlag = flags.find(isUnknown);
        if (flagged >= 0) primaryNicKey = nicKeys[flagged];
        else if (nicKeys.length === 1 || unknownFlag === undefined) primaryNicKey = nicKeys[0];
        else primaryNicKey = unknownFlag;
      }
      const configs = list(get(get(record.props, "networkProfile"), "networkInterfaceConfigurations"));
      if (configs !== undefined && (isUnknown(configs) || configs.length > 0)) {
        // NICs the VM creates itself have no resource of their own in the plan: not modelled.
        report(ctx, {
          code: "unsupported-property",
          severity: "warning",
          resource: record.urn,
          field: "networkProfile.networkInterfaceConfigurations",
          message: `${record.name}: networkProfile.networkInterfaceConfigurations (NICs created by the VM) are not modelled; declare NetworkInterface resources to analyse them`,
        });
      }
      const vm: Vm = {
        key: record.urn,
        urn: record.urn,
        logicalName: record.name,
        azureName: ref?.azureName ?? unknown(".name", record.urn),
        id: ref?.id ?? unknown(".id", record.urn),
        nicKeys,
        primaryNicKey,
        tags: tagsOf(record.props.tags),
      };
      return [record.urn, vm] as const;
    }),
  );
}

/** NIC key -> VM key. A NIC claimed by two VMs is reported and kept with the first (key order). */
export function nicOwners(ctx: BuildContext, vms: ReadonlyMap<string, Vm>): Map<string, string> {
  const owners = new Map<string, string>();
  for (const vm of vms.values()) {
    for (const k of vm.nicKeys) {
      if (typeof k !== "string") continue;
      const owner = owners.get(k);
      if (owner === undefined) owners.set(k, vm.key);
      else if (owner !== vm.key) {
        report(ctx, {
          code: "nic-attached-twice",
          severity: "error",
          resource: vm.urn,
          field: "networkProfile.networkInterfaces",
          value: k,
          message: `${vm.logicalName}: network interface ${ctx.refs.get(k)?.label ?? k} is also attached to ${ctx.refs.get(owner)?.label ?? owner}; Azure attaches a NIC to one VM`,
        });
      }
    }
  }
  return owners;
}
