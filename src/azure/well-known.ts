import { IpSet } from "../sets/ip-set";

/** Azure's virtual public IP for platform services (DNS, DHCP, health probes). */
export const AZURE_PLATFORM_IP = "168.63.129.16";
export const AZURE_IMDS_IP = "169.254.169.254";

/**
 * Public unicast space, the base of the Internet tag (docs/azure-semantics.md §7): IPv4 minus
 * 0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12, 192.168/16, 224/3; IPv6 2000::/3.
 */
export const NON_PUBLIC_V4 = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "224.0.0.0/3",
];

export const PUBLIC_UNICAST: IpSet = IpSet.allV4().subtract(IpSet.fromPrefixes(NON_PUBLIC_V4)).union(IpSet.fromCidr("2000::/3"));

export const AZURE_LOAD_BALANCER: IpSet = IpSet.fromAddress(AZURE_PLATFORM_IP);
