/** PublicIPAddress: the address, when allocated (unknown at preview for a new dynamic or static address). */
import type { PublicIp } from "../../model/topology";
import { unknown } from "../../model/unknown";
import { recordsOf, sortedMap, type BuildContext } from "./context";
import { text } from "./props";

export function buildPublicIps(ctx: BuildContext): Map<string, PublicIp> {
  return sortedMap(
    recordsOf(ctx, "publicIp").map((record) => {
      const ref = ctx.refs.get(record.urn);
      const address = text(record.props.ipAddress);
      const pip: PublicIp = {
        key: record.urn,
        urn: record.urn,
        logicalName: record.name,
        azureName: ref?.azureName ?? unknown(".name", record.urn),
        id: ref?.id ?? unknown(".id", record.urn),
        ipAddress: typeof address === "string" ? address.trim() : address,
      };
      return [record.urn, pip] as const;
    }),
  );
}
