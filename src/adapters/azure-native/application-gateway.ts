/**
 * ApplicationGateway placement (pulumi/pulumi-azure-native sdk/nodejs/network/applicationGateway.ts: sku {name,
 * tier, capacity}, gatewayIPConfigurations[{name, subnet: {id}}]): which subnets hold an application gateway and of
 * which tier, for AR-032. What the gateway does with traffic is not modelled (it stays listed as unmodelled).
 */
import type { ApplicationGatewayPlacement } from "../../model/topology";
import { isUnknown, type Maybe } from "../../model/unknown";
import type { BuildContext } from "./context";
import { get, indexPath, list, text } from "./props";
import { resolveRef } from "./refs";
import { APPLICATION_GATEWAY_TYPES, isTypeOf } from "./kinds";

export function buildApplicationGateways(ctx: BuildContext): ApplicationGatewayPlacement[] {
  const out: ApplicationGatewayPlacement[] = [];
  for (const record of ctx.recordsByUrn.values()) {
    if (!record.custom || !isTypeOf(record.type, APPLICATION_GATEWAY_TYPES)) continue;
    const sku = record.props.sku;
    const tier = text(get(sku, "tier")) ?? text(get(sku, "name"));
    const configs = list(record.props.gatewayIPConfigurations);
    const subnetKeys: Maybe<string>[] = [];
    if (isUnknown(configs)) subnetKeys.push(configs);
    else
      configs?.forEach((c, i) => {
        const k = resolveRef(ctx, { value: get(c, "subnet"), path: `${indexPath(".gatewayIPConfigurations", i)}.subnet`, record, depProp: "gatewayIPConfigurations", kind: "subnet" });
        if (k !== null) subnetKeys.push(k);
      });
    out.push({ urn: record.urn, name: record.name, tier, subnetKeys });
  }
  return out;
}
