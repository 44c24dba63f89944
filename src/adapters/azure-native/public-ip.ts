/**
 * PublicIPAddress: the address, when allocated (unknown at preview for a new dynamic or static address), its SKU
 * (sku.ts) and whether DDoS IP Protection is on (`ddosSettings.protectionMode` Enabled; "VirtualNetworkInherited",
 * the default, follows the VNet: azure-rest-api-specs 2024-05-01 publicIpAddress.json, DdosSettings).
 */
import type { PublicIp } from "../../model/topology";
import { isUnknown, unknown, type Maybe } from "../../model/unknown";
import { recordsOf, report, sortedMap, type BuildContext } from "./context";
import { get, text } from "./props";
import { skuOf } from "./sku";

export function buildPublicIps(ctx: BuildContext): Map<string, PublicIp> {
  return sortedMap(
    recordsOf(ctx, "publicIp").map((record) => {
      const ref = ctx.refs.get(record.urn);
      const address = text(record.props.ipAddress);
      const mode = text(get(record.props.ddosSettings, "protectionMode"));
      const ddos: Maybe<boolean> = isUnknown(mode) ? mode : typeof mode === "string" && mode.toLowerCase() === "enabled";
      const pip: PublicIp = {
        key: record.urn,
        urn: record.urn,
        logicalName: record.name,
        azureName: ref?.azureName ?? unknown(".name", record.urn),
        id: ref?.id ?? unknown(".id", record.urn),
        ipAddress: typeof address === "string" ? address.trim() : address,
        sku: skuOf(record, (d) => report(ctx, d)),
        ddosProtection: ddos,
      };
      return [record.urn, pip] as const;
    }),
  );
}
