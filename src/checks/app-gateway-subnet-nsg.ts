/**
 * AR-032 app-gateway-subnet-nsg: an NSG on the subnet of an Application Gateway v2 (Standard_v2, WAF_v2) that does
 * not allow inbound TCP 65200-65535 from GatewayManager, or inbound from AzureLoadBalancer.
 * learn.microsoft.com/azure/application-gateway/configuration-infrastructure ("Network security groups"): "you must
 * allow incoming Internet traffic on TCP ports 65200-65535 for the Application Gateway v2 SKU with the destination
 * subnet as Any and source as GatewayManager service tag ... these ports are required for proper operation";
 * "don't block inbound access from the source AzureLoadBalancer". Azure refuses to create or update the gateway
 * otherwise. Read exactly from what the NSG lets through: required-rules.ts.
 */
import { isUnknown } from "../model/unknown";
import { makeFinding, nameOf, subnetLabel } from "./helpers";
import { requirementReport, subnetNsg } from "./platform-subnets";
import type { RequiredFlow } from "./required-rules";
import type { Check, CheckContext, Finding } from "./types";

const APP_GATEWAY_V2_REQUIRED: readonly RequiredFlow[] = [
  { name: "GatewayManager 65200-65535", direction: "Inbound", protocol: "Tcp", ports: "65200-65535", remote: "GatewayManager" },
  { name: "AzureLoadBalancer", direction: "Inbound", protocol: "*", ports: "0-65535", remote: "AzureLoadBalancer" },
];

function isV2(tier: string): boolean {
  const t = tier.toLowerCase();
  return t === "standard_v2" || t === "waf_v2";
}

export const appGatewaySubnetNsg: Check = {
  id: "AR-032",
  name: "app-gateway-subnet-nsg",
  title: "NSG on an Application Gateway v2 subnet without GatewayManager 65200-65535 inbound",
  severity: "high",
  explanation:
    "Application Gateway v2 needs inbound TCP 65200-65535 from the GatewayManager service tag and inbound from " +
    "AzureLoadBalancer on its subnet (configuration-infrastructure, 'Network security groups'); Azure refuses to " +
    "create or update the gateway when the subnet's NSG blocks them.",
  fix: "Allow inbound TCP 65200-65535 from GatewayManager (destination Any) and do not deny AzureLoadBalancer, above any deny that covers them.",
  run(ctx: CheckContext): Finding[] {
    const topo = ctx.env.topo;
    const out: Finding[] = [];
    for (const agw of topo.applicationGateways ?? []) {
      if (isUnknown(agw.tier) || agw.tier === undefined || !isV2(agw.tier)) continue;
      for (const key of agw.subnetKeys) {
        if (isUnknown(key)) continue;
        const subnet = topo.subnets.get(key);
        const nsg = subnet ? subnetNsg(topo, subnet) : undefined;
        if (!subnet || !nsg) continue;
        const r = requirementReport(ctx.env, subnet, nsg, APP_GATEWAY_V2_REQUIRED);
        if (r.missing.length > 0) {
          out.push(
            makeFinding(appGatewaySubnetNsg, {
              severity: "high",
              resources: [nsg.urn, subnet.urn, agw.urn],
              rules: r.rules,
              message: `NSG ${nameOf(nsg)} on ${subnetLabel(topo, subnet)} (application gateway ${agw.name}, ${agw.tier}) does not allow ${r.missing.join("; ")}. Azure refuses the gateway`,
              details: { missing: r.missing },
            }),
          );
        }
        if (r.undecided.length > 0) {
          out.push(
            makeFinding(appGatewaySubnetNsg, {
              severity: "low",
              resources: [nsg.urn, subnet.urn, agw.urn],
              message: `NSG ${nameOf(nsg)} on ${subnetLabel(topo, subnet)} (application gateway ${agw.name}): undecided: ${r.undecided.join("; ")}`,
              details: { undecided: r.undecided },
            }),
          );
        }
      }
    }
    return out;
  },
};
