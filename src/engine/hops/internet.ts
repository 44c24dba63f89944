/** Next hop Internet: public unicast destinations leave Azure by the sender's egress; the rest is dropped. */
import { unknown } from "../../model/unknown";
import { IpSet } from "../../sets/ip-set";
import type { RouteUse } from "../dispositions";
import { AZURE_IMDS_IP, PUBLIC_UNICAST } from "../../azure/well-known";
import { egressOf, egressText } from "../egress";
import { toDst, withFlows, type State, type Walk } from "../walk";
import { hostText } from "../walk-places";

/**
 * Next hop Internet. Only public unicast destinations leave Azure to the Internet (the Internet service tag is
 * public unicast: service-tags-overview.md; docs/azure-semantics.md §7). A private, shared, loopback,
 * link-local, "this network", multicast or broadcast destination is not routed on the Internet: the packet is
 * dropped at Azure's edge, never delivered. The metadata service (169.254.169.254) is answered by the host itself,
 * outside routes and NSGs: that is undecided, with the reason.
 */
export function toInternet<S>(w: Walk<S>, st: State<S>, use: RouteUse): void {
  const dsts = w.space.destinations(st.flows);
  const publicPart = dsts.intersect(PUBLIC_UNICAST);
  if (!publicPart.isEmpty()) {
    const out = withFlows(st, toDst(w.space, st.flows, PUBLIC_UNICAST));
    // The NIC that hands the packet to the Internet next hop (the source, or the last appliance) decides the egress.
    const sender = st.visited[st.visited.length - 1];
    const egress = sender && !publicPart.intersect(IpSet.allV4()).isEmpty() ? egressOf(w.env.topo, sender) : undefined;
    if (egress?.kind === "none") {
      w.finish(out, { kind: "Dropped", reason: "NoOutboundAccess", route: use, detail: egressText(egress) });
    } else if (egress?.kind === "unknown" && egress.causes.length > 0) {
      w.finish(out, { kind: "Unknown", causes: egress.causes, detail: "how the traffic leaves for the Internet is not known at preview" });
    } else {
      const text = egress && egress.kind !== "unknown" ? egressText(egress) : undefined;
      w.finish(out, { kind: "Exited", to: "Internet", route: use, ...(text ? { egress: text } : {}) }, [...st.hops, { type: "Internet", route: use, external: publicPart, ...(text ? { egress: text } : {}) }]);
    }
  }
  const imds = IpSet.fromAddress(AZURE_IMDS_IP);
  if (dsts.overlaps(imds)) {
    const cause = unknown(".destination", "", `${AZURE_IMDS_IP} is the Azure Instance Metadata Service: the host answers it whatever the routes, which the plan does not model`);
    w.finish(withFlows(st, toDst(w.space, st.flows, imds)), { kind: "Unknown", causes: [cause], detail: `${AZURE_IMDS_IP} is answered by the host, not routed` });
  }
  const rest = dsts.subtract(PUBLIC_UNICAST).subtract(imds);
  if (rest.isEmpty()) return;
  w.finish(withFlows(st, toDst(w.space, st.flows, rest)), {
    kind: "Dropped",
    reason: "NotInternetRoutable",
    route: use,
    detail: `${hostText(rest)} ${nonPublicKinds(rest)}: the Internet next hop carries public unicast traffic only (the Internet service tag is public unicast space), so Azure does not deliver it`,
  });
}

/** Which non-public ranges a set falls in: "is private (RFC 1918)", "is loopback", ... */
function nonPublicKinds(set: IpSet): string {
  const kinds = NON_PUBLIC_KINDS.filter(([, range]) => range.overlaps(set)).map(([name]) => name);
  if (!set.v6.isEmpty()) kinds.push("outside IPv6 global unicast (2000::/3)");
  return `is not a public address (${kinds.join("; ")})`;
}

const NON_PUBLIC_KINDS: ReadonlyArray<readonly [string, IpSet]> = [
  ["0.0.0.0/8: this network", IpSet.fromCidr("0.0.0.0/8")],
  ["private, RFC 1918", IpSet.fromPrefixes(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"])],
  ["100.64.0.0/10: shared address space, RFC 6598", IpSet.fromCidr("100.64.0.0/10")],
  ["127.0.0.0/8: loopback, never leaves the host", IpSet.fromCidr("127.0.0.0/8")],
  ["169.254.0.0/16: link-local", IpSet.fromCidr("169.254.0.0/16")],
  ["224.0.0.0/4: multicast", IpSet.fromCidr("224.0.0.0/4")],
  ["240.0.0.0/4: reserved, with 255.255.255.255 the limited broadcast", IpSet.fromCidr("240.0.0.0/4")],
];
