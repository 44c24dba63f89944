/**
 * AR-006 appliance-ip-forwarding-disabled: a user route's VirtualAppliance next hop is a NIC without IP
 * forwarding. Azure delivers to a NIC only packets addressed to it; a NIC that forwards others' traffic needs
 * enableIPForwarding, or the packets are dropped (docs/azure-semantics.md §2; commonly misimplemented #8).
 */
import { isUnknown } from "../model/unknown";
import { makeFinding, nameOf, nicLabel, nicUrns } from "./helpers";
import { applianceRoutes, holdersOf, routeText } from "./route-queries";
import type { Check, CheckContext, Finding } from "./types";

export const applianceIpForwardingDisabled: Check = {
  id: "AR-006",
  name: "appliance-ip-forwarding-disabled",
  title: "Virtual appliance NIC without IP forwarding",
  severity: "high",
  explanation:
    "Traffic a route sends to a virtual appliance is addressed to other hosts. Azure hands such packets to the " +
    "appliance's network interface only when IP forwarding is enabled on it; otherwise they are dropped, and every " +
    "flow that follows the route fails.",
  fix: "Set enableIPForwarding: true on the appliance's network interface (and enable forwarding in its operating system).",
  run(ctx: CheckContext): Finding[] {
    const topo = ctx.env.topo;
    const out: Finding[] = [];
    for (const r of applianceRoutes(topo)) {
      for (const nic of holdersOf(topo, r.ip)) {
        if (isUnknown(nic.ipForwarding)) {
          out.push(
            makeFinding(applianceIpForwardingDisabled, {
              severity: "low",
              resources: [...nicUrns(topo, nic), r.route.urn, r.table.urn],
              message: `route table ${nameOf(r.table)} ${routeText(r)}: whether ${nicLabel(topo, nic)} forwards IP is unknown at preview (${nic.ipForwarding.path})`,
              details: { nextHop: r.ip, indeterminate: true },
            }),
          );
          continue;
        }
        if (nic.ipForwarding) continue;
        out.push(
          makeFinding(applianceIpForwardingDisabled, {
            severity: "high",
            resources: [...nicUrns(topo, nic), r.route.urn, r.table.urn],
            message: `route table ${nameOf(r.table)} ${routeText(r)}: ${nicLabel(topo, nic)} holds ${r.ip} but IP forwarding is disabled on it, so Azure drops the traffic the route sends there`,
            details: { nextHop: r.ip },
          }),
        );
      }
    }
    return out;
  },
};
