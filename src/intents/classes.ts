/**
 * Equivalence classes of NICs: NICs that the engine cannot tell apart except by address. Two NICs in the same
 * subnet (hence the same subnet NSG, route table and tag context), with the same NIC NSG, the same ASG memberships,
 * the same IP forwarding flag and the same kind of ingress, treat every flow alike once addresses are fixed; so one
 * symbolic evaluation over the union of their addresses covers them all, and the cost of an intent grows with the
 * number of classes, not of NICs.
 */
import type { Nic } from "../model/topology";
import { isUnknown, type Maybe, type Unknown } from "../model/unknown";
import { IpSet } from "../sets/ip-set";
import type { EngineEnv } from "../engine/nsg";
import type { NicMember } from "./endpoints";
import { translatedKey } from "../engine/entries/table";
import { ingressKey, ingressOf } from "./ingress";

export interface NicClass {
  readonly key: string;
  /** The member the engine evaluates for the whole class (the first by key). */
  readonly rep: Nic;
  readonly members: readonly NicMember[];
  readonly addresses: IpSet;
  readonly certainMember: boolean;
  readonly exactAddress: boolean;
  readonly causes: readonly Unknown[];
}

function part(v: Maybe<string | null | boolean | undefined>): string {
  if (isUnknown(v)) return `?${v.resource ?? ""}${v.path}`;
  return v === null || v === undefined ? "-" : String(v);
}

/** Everything the engine reads about a NIC apart from its addresses. */
export function classKey(env: EngineEnv, m: NicMember): string {
  const nic = m.nic;
  // A NIC with several IP configurations can differ per configuration: keep it alone.
  if (nic.ipConfigurations.length !== 1) return `nic:${nic.key}`;
  const cfg = nic.ipConfigurations[0];
  const asgs = isUnknown(cfg.asgKeys) ? part(cfg.asgKeys) : [...cfg.asgKeys].sort().join(",");
  return [
    part(cfg.subnetKey),
    part(nic.nsgKey),
    asgs,
    part(nic.ipForwarding),
    ingressKey(ingressOf(env.topo, nic)),
    translatedKey(env.topo, nic),
    m.certainMember ? "member" : "maybe-member",
    m.exactAddress ? "exact" : "unknown-address",
  ].join("|");
}

/** Groups members into classes, in a deterministic order (by class key). */
export function classify(env: EngineEnv, members: readonly NicMember[]): NicClass[] {
  const groups = new Map<string, NicMember[]>();
  for (const m of members) {
    const k = classKey(env, m);
    const g = groups.get(k);
    if (g) g.push(m);
    else groups.set(k, [m]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, ms]) => ({
      key,
      rep: ms[0].nic,
      members: ms,
      addresses: ms.reduce((acc, m) => acc.union(m.addresses), IpSet.empty()),
      certainMember: ms[0].certainMember,
      exactAddress: ms[0].exactAddress,
      causes: ms.flatMap((m) => m.causes),
    }));
}
