/**
 * Every check, in report order, with its stable id. Ids are never reused or renumbered: a retired check keeps its
 * id out of use (test/checks/catalogue.test.ts pins them).
 */
import { appGatewaySubnetNsg } from "./app-gateway-subnet-nsg";
import { adminRuleOverridesNsgRule } from "./admin-rule-overrides-nsg-rule";
import { applianceIpForwardingDisabled } from "./appliance-ip-forwarding-disabled";
import { applianceRouteLoop } from "./appliance-route-loop";
import { bastionSubnetNsg } from "./bastion-subnet-nsg";
import { crossLayerContradiction } from "./cross-layer-contradiction";
import { firewallSubnetNsg } from "./firewall-subnet-nsg";
import { gatewaySubnetNsg } from "./gateway-subnet-nsg";
import { firewallDnatTargetMissing } from "./firewall-dnat-target-missing";
import { firewallShadowedRule } from "./firewall-shadowed-rule";
import { flowCountRisk } from "./flow-count-risk";
import { internetExposure } from "./internet-exposure";
import { invalidRule } from "./invalid-rule";
import { invalidSuppression } from "./invalid-suppression";
import { missingAppliance } from "./missing-appliance";
import { modelDiagnostic } from "./model-diagnostic";
import { routeToNone } from "./route-to-none";
import { serviceEndpointBypassesAppliance } from "./service-endpoint-bypasses-appliance";
import { shadowedRule } from "./shadowed-rule";
import { subnetWithoutNsg } from "./subnet-without-nsg";
import type { Check } from "./types";
import { unattachedNsg } from "./unattached-nsg";
import { unattachedRouteTable } from "./unattached-route-table";
import { unfilteredNic } from "./unfiltered-nic";
import { unreachableRule } from "./unreachable-rule";

export const CATALOGUE: readonly Check[] = [
  internetExposure,
  shadowedRule,
  unreachableRule,
  crossLayerContradiction,
  missingAppliance,
  applianceIpForwardingDisabled,
  applianceRouteLoop,
  routeToNone,
  unattachedRouteTable,
  unfilteredNic,
  subnetWithoutNsg,
  unattachedNsg,
  invalidRule,
  modelDiagnostic,
  invalidSuppression,
  flowCountRisk,
  // Endpoints and platform subnets (issue 16): AR-030..039.
  serviceEndpointBypassesAppliance,
  bastionSubnetNsg,
  appGatewaySubnetNsg,
  gatewaySubnetNsg,
  firewallSubnetNsg,
  firewallShadowedRule,
  firewallDnatTargetMissing,
  adminRuleOverridesNsgRule,
];

/** A check by kebab-case name or by id (AR-001, case-insensitive). */
export function findCheck(nameOrId: string): Check | undefined {
  const ref = nameOrId.trim();
  return CATALOGUE.find((c) => c.name === ref || c.id.toUpperCase() === ref.toUpperCase());
}
