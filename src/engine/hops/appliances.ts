/**
 * What may hold a next hop VirtualAppliance address, asked in this order: an Azure Firewall's private IP first (the
 * firewall holds no NIC of the plan), then a NIC. A new kind of appliance is a file in this folder and one entry.
 */
import type { ApplianceKind } from "../walk";
import { FIREWALL_APPLIANCE } from "./firewall-appliance";
import { NIC_APPLIANCE } from "./nic-appliance";

export const APPLIANCES: readonly ApplianceKind[] = [FIREWALL_APPLIANCE, NIC_APPLIANCE];
