/**
 * The parts of an IP flow verify answer that the fast path (ip-flow-verify-fast.ts) and the general one
 * (ip-flow-verify.ts) build alike: the question echoed back, and the note for a NIC without any NSG.
 */
import type { FlowEcho, IpFlowVerifyRequest } from "./ip-flow-verify-types";

export type { FlowEcho } from "./ip-flow-verify-types";

export const NO_NSG_NOTE = "no network security group applies to this NIC or its subnet: all traffic is allowed";

/** The flow asked about, as Network Watcher echoes it (ports as strings). */
export function flowEcho(req: IpFlowVerifyRequest): FlowEcho {
  return {
    protocol: req.protocol,
    localIPAddress: req.localIp,
    localPort: String(req.localPort),
    remoteIPAddress: req.remoteIp,
    remotePort: String(req.remotePort),
  };
}
