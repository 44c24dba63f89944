/**
 * A single concrete flow (5-tuple), as used for examples and counterexamples in reports.
 */
import { protocolName, Tcp, Udp } from "./protocol-set";

/**
 * A concrete 5-tuple. Ports are meaningful for TCP and UDP only; other protocols use 0
 * for both ports.
 */
export interface Flow {
  readonly src: string;
  readonly dst: string;
  readonly protocol: number;
  readonly srcPort: number;
  readonly dstPort: number;
}

/** True for the protocols whose flows carry ports. */
export function hasPorts(protocol: number): boolean {
  return protocol === Tcp || protocol === Udp;
}

/** "TCP 10.0.0.4:60000 -> 13.107.21.200:80"; IPv6 endpoints are bracketed; no ports unless TCP/UDP. */
export function formatFlow(flow: Flow): string {
  const name = protocolName(flow.protocol);
  const proto = name === String(flow.protocol) ? `PROTO-${name}` : name.toUpperCase();
  const withPorts = hasPorts(flow.protocol);
  return `${proto} ${endpoint(flow.src, flow.srcPort, withPorts)} -> ${endpoint(flow.dst, flow.dstPort, withPorts)}`;
}

function endpoint(address: string, port: number, withPort: boolean): string {
  if (!withPort) return address;
  return address.includes(":") ? `[${address}]:${port}` : `${address}:${port}`;
}
