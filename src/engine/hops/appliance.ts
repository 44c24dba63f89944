/**
 * Next hop VirtualAppliance: the holder of the next hop address re-sends the packet. What can hold it is a list of
 * appliance kinds (hops/appliances.ts: an Azure Firewall, a NIC with IP forwarding), asked in order; a new kind of
 * appliance (a load balancer frontend, a NAT gateway) is a file and one entry there. Nothing holds it: no host, or
 * undecided with the causes that leave it open.
 */
import { isUnknown, unknown, type Unknown } from "../../model/unknown";
import type { RouteUse } from "../dispositions";
import { memoKind } from "../memo";
import { mergeCauses } from "../tri-set";
import type { State, Walk } from "../walk";
import { unmodelledIn, vnetOutsideSubnets } from "../walk-places";
import { APPLIANCES } from "./appliances";

/** Per next-hop address, as the route spells it: the VNet whose space holds it outside every subnet. */
const OUTSIDE_SUBNETS = memoKind<{ ip: string }, ReturnType<typeof vnetOutsideSubnets>>("hop-outside-subnets", ["ip"]);

export function toAppliance<S>(w: Walk<S>, st: State<S>, use: RouteUse): void {
  const ip = use.route.nextHopIpAddress;
  if (isUnknown(ip)) return w.finish(st, { kind: "Unknown", causes: [ip], detail: "the appliance address is not known at preview" });
  if (ip === undefined) return w.finish(st, { kind: "Dropped", reason: "NoApplianceAddress", route: use, detail: "next hop VirtualAppliance without a next hop address" });
  // The first kind that surely holds the address is the appliance; else the causes of all, the last kind's first.
  const misses: Unknown[][] = [];
  for (const kind of APPLIANCES) {
    const found = kind.find(w.env, ip);
    if (found.hit !== undefined) return kind.enter(w, st, use, found.hit);
    misses.push([...found.causes]);
  }
  const open = misses.reduceRight<Unknown[]>((acc, c) => mergeCauses(acc, c), []);
  if (open.length === 0) {
    const vnet = w.env.memo(OUTSIDE_SUBNETS({ ip }), () => vnetOutsideSubnets(w.env.topo, ip));
    if (vnet) return w.finish(st, { kind: "NoHost", route: use, detail: `the next hop address ${ip} is in the address space of VNet ${vnet.logicalName || vnet.key} but in none of its subnets: nothing can hold it` });
  }
  const place = unmodelledIn(w.env, null).find((u) => u.space.contains(ip));
  const causes =
    open.length > 0
      ? open
      : place
        ? [place.cause]
        : [unknown(`.routes[${use.route.name ?? "?"}].nextHopIpAddress`, use.route.route?.urn ?? "", `no network interface in the plan holds ${ip} (an internal load balancer frontend, or a resource outside the plan?)`)];
  w.finish(st, { kind: "Unknown", causes, detail: `what holds the next hop address ${ip} is not known` });
}
