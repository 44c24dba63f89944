import type { Topology, UnmodelledResource } from "../model/topology";
import { memoKind, topoMemo } from "./memo";

const BY_SUBNET = memoKind<Record<string, never>, ReadonlyMap<string, readonly UnmodelledResource[]>>("unmodelled-by-subnet", []);

/** Subnet key -> the unmodelled traffic-carrying resources known to sit in it (once per topology). */
export function unmodelledBySubnet(topo: Topology): ReadonlyMap<string, readonly UnmodelledResource[]> {
  return topoMemo(topo, BY_SUBNET({}), () => build(topo));
}

function build(topo: Topology): ReadonlyMap<string, readonly UnmodelledResource[]> {
  const out = new Map<string, UnmodelledResource[]>();
  for (const u of topo.unmodelled ?? []) {
    for (const k of u.subnetKeys) {
      const list = out.get(k);
      if (list) list.push(u);
      else out.set(k, [u]);
    }
  }
  return out;
}

/** "Azure Firewall fw, private endpoint pe-sql" */
export function unmodelledText(list: readonly UnmodelledResource[]): string {
  return list.map((u) => `${u.label} ${u.name}`).join(", ");
}

/**
 * When the plan holds classic-provider (@pulumi/azure) resources: what to add to "no such resource in the plan", so a
 * program written with the classic provider is told why its VNets and NICs are not found.
 */
export function classicNote(topo: Topology): string | undefined {
  const classic = (topo.unmodelled ?? []).filter((u) => u.provider === "azure-classic");
  if (classic.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const u of classic) counts.set(u.type, (counts.get(u.type) ?? 0) + 1);
  const types = [...counts].map(([t, n]) => `${t} (${n})`).join(", ");
  const s = classic.length === 1 ? "" : "s";
  return `the plan has ${classic.length} network resource${s} of the classic provider @pulumi/azure (${types}), which this tool does not read: declare them with azure-native (@pulumi/azure-native)`;
}
