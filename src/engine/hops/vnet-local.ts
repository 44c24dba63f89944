/** Next hop VnetLocal: the packets reach the hosts of the sending subnet's VNet (virtual-networks-udr-overview.md). */
import { isUnknown } from "../../model/unknown";
import type { HopHandler } from "../walk";

export const toVnetLocal: HopHandler = (w, st, use) => {
  const hops = [...st.hops, { type: "VnetLocal" as const, route: use }];
  const vnetKey = use.subnet.vnetKey;
  if (isUnknown(vnetKey)) return w.finish(st, { kind: "Unknown", causes: [vnetKey] }, hops);
  return w.deliverIn({ ...st, hops }, vnetKey, use);
};
