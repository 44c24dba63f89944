/**
 * The filters a NIC's packets meet, in layer order: Virtual Network Manager security admin rules before the NSGs
 * (admin-rules.ts; docs/avnm.md), then the NSG chain (outbound NIC then subnet, inbound subnet then NIC:
 * network-security-group-how-it-works.md). nsg.ts evaluates the chain once (evaluateNicChain); each row here reads
 * what its layer denied and names it with a disposition, so the walk ends denied flows without knowing the layers.
 * A new NIC-side filter is a row (and its part of the evaluation); an Azure Firewall filters at its own hop
 * (hops/firewall-appliance.ts).
 */
import type { Direction, Nic } from "../model/topology";
import { isUnknown } from "../model/unknown";
import type { Disposition } from "./dispositions";
import type { ChainEvaluation } from "./nsg";

/** Flows a filter stops, with the disposition that names the rule. */
export interface Denial<S> {
  readonly flows: S;
  readonly disposition: Disposition;
}

export interface NicFilter {
  readonly name: string;
  denials<S>(chain: ChainEvaluation<S>, direction: Direction, nic: Nic): Denial<S>[];
}

const ADMIN_RULES: NicFilter = {
  name: "security admin rules",
  denials: (chain, direction, nic) =>
    (chain.admin?.decisions ?? []).flatMap((d) => (d.outcome === "Deny" ? [{ flows: d.flows, disposition: { kind: "DeniedByAdminRule", direction, nic, rule: d.rule } }] : [])),
};

const NSG_CHAIN: NicFilter = {
  name: "network security groups",
  denials: (chain, direction, nic) =>
    chain.layers.flatMap((l) => {
      const nsg = l.layer.nsg;
      if (isUnknown(nsg)) return [];
      return l.decisions.flatMap((d) => {
        if (d.outcome !== "Deny") return [];
        const disposition: Disposition = { kind: "DeniedByNsg", direction, nic, layer: l.layer, nsg, rule: d.rule, ...(d.doubtful.length > 0 ? { doubtful: d.doubtful } : {}) };
        return [{ flows: d.flows, disposition }];
      });
    }),
};

/** In layer order: the order the walk ends denied flows in (and so the order of the paths it reports). */
export const NIC_FILTERS: readonly NicFilter[] = [ADMIN_RULES, NSG_CHAIN];
