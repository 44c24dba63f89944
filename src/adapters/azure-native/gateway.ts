/** VirtualNetworkGateway: its type and the subnets (GatewaySubnet) its ip configurations sit in. */
import type { VirtualNetworkGateway } from "../../model/topology";
import { isUnknown, unknown, type Maybe } from "../../model/unknown";
import { recordsOf, sortedMap, type BuildContext } from "./context";
import { get, indexPath, list, text } from "./props";
import { resolveRef } from "./refs";

export function buildGateways(ctx: BuildContext): Map<string, VirtualNetworkGateway> {
  return sortedMap(
    recordsOf(ctx, "gateway").map((record) => {
      const ref = ctx.refs.get(record.urn);
      const subnetKeys: Maybe<string>[] = [];
      const configs = list(record.props.ipConfigurations);
      if (isUnknown(configs)) subnetKeys.push(configs);
      else
        configs?.forEach((c, i) => {
          const path = `${indexPath(".ipConfigurations", i)}.subnet`;
          const k = resolveRef(ctx, { value: get(c, "subnet"), path, record, depProp: "ipConfigurations", kind: "subnet" });
          if (k !== null) subnetKeys.push(k);
        });
      const gw: VirtualNetworkGateway = {
        key: record.urn,
        urn: record.urn,
        logicalName: record.name,
        azureName: ref?.azureName ?? unknown(".name", record.urn),
        id: ref?.id ?? unknown(".id", record.urn),
        gatewayType: text(record.props.gatewayType),
        subnetKeys,
      };
      return [record.urn, gw] as const;
    }),
  );
}
