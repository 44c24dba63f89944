/** ApplicationSecurityGroup: an identity for rules to name, plus tags. */
import type { Asg } from "../../model/topology";
import { unknown } from "../../model/unknown";
import { recordsOf, sortedMap, type BuildContext } from "./context";
import { tagsOf } from "./props";

export function buildAsgs(ctx: BuildContext): Map<string, Asg> {
  return sortedMap(
    recordsOf(ctx, "asg").map((record) => {
      const ref = ctx.refs.get(record.urn);
      const asg: Asg = {
        key: record.urn,
        urn: record.urn,
        logicalName: record.name,
        azureName: ref?.azureName ?? unknown(".name", record.urn),
        id: ref?.id ?? unknown(".id", record.urn),
        tags: tagsOf(record.props.tags),
      };
      return [record.urn, asg] as const;
    }),
  );
}
