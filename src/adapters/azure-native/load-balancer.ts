/**
 * LoadBalancer: public frontends and backend pools. A pool is named by `<lb id>/backendAddressPools/<name>` when
 * the LB's id is known, else `<lb key>/backendAddressPools/<name>`; NIC ip configurations use the same names.
 */
import type { LoadBalancer } from "../../model/topology";
import { isUnknown, unknown, type Maybe } from "../../model/unknown";
import type { ResourceRecord } from "../../resources/record";
import { recordsOf, report, sortedMap, trimTrailingSlashes, type BuildContext, type EntityRef } from "./context";
import { fieldOf, get, indexPath, list, text, type PV } from "./props";
import { ambiguous, dependencyCandidates, lookupId, parseArmId, resolveRef } from "./refs";

export function poolRef(lb: Pick<EntityRef, "key" | "id">, poolName: string): string {
  const base = typeof lb.id === "string" ? trimTrailingSlashes(lb.id) : lb.key;
  return `${base}/backendAddressPools/${poolName}`;
}

/** Known pool names declared on a load balancer. */
export function poolNames(record: ResourceRecord): string[] {
  const pools = list(record.props.backendAddressPools);
  if (pools === undefined || isUnknown(pools)) return [];
  return pools.flatMap((p) => {
    const name = text(get(p, "name"));
    return typeof name === "string" ? [name] : [];
  });
}

export function buildLoadBalancers(ctx: BuildContext): Map<string, LoadBalancer> {
  return sortedMap(
    recordsOf(ctx, "loadBalancer").map((record) => {
      const ref = ctx.refs.get(record.urn);
      const key = record.urn;
      const id = ref?.id ?? unknown(".id", record.urn);
      const publicIpKeys: Maybe<string>[] = [];
      const frontends = list(record.props.frontendIPConfigurations);
      if (isUnknown(frontends)) publicIpKeys.push(frontends);
      else
        frontends?.forEach((fe, i) => {
          const k = resolveRef(ctx, {
            value: get(fe, "publicIPAddress"),
            path: `${indexPath(".frontendIPConfigurations", i)}.publicIPAddress`,
            record,
            depProp: "frontendIPConfigurations",
            kind: "publicIp",
          });
          if (k !== null) publicIpKeys.push(k);
        });
      const lb: LoadBalancer = {
        key,
        urn: record.urn,
        logicalName: record.name,
        azureName: ref?.azureName ?? unknown(".name", record.urn),
        id,
        publicIpKeys,
        backendPoolRefs: poolNames(record).map((name) => poolRef({ key, id }, name)),
      };
      return [key, lb] as const;
    }),
  );
}

/**
 * A NIC ip configuration's backend pool reference. Known id: named through its load balancer when that is in the
 * plan, else kept as written. Unknown id: the one pool of the one load balancer the dependencies name.
 */
export function resolvePoolRef(ctx: BuildContext, record: ResourceRecord, item: PV, path: string, depProp: string): Maybe<string> {
  const id = text(get(item, "id"));
  const idPath = `${path}.id`;
  if (typeof id === "string") {
    const parsed = parseArmId(id);
    const lb = parsed?.parentId === undefined ? undefined : lookupId(ctx, parsed.parentId, "loadBalancer");
    return lb !== undefined && parsed !== undefined ? poolRef(lb, parsed.names[parsed.names.length - 1]) : id;
  }
  const lbs = dependencyCandidates(ctx, record, depProp, "loadBalancer");
  const pools = lbs.flatMap((lb) => {
    const lbRecord = ctx.recordsByUrn.get(lb.urn);
    return lbRecord === undefined ? [] : poolNames(lbRecord).map((name) => ({ ...lb, key: poolRef(lb, name), label: `${lb.label}/${name}` }));
  });
  if (pools.length === 1) return pools[0].key;
  if (pools.length > 1) return ambiguous(ctx, record, idPath, pools);
  report(ctx, {
    code: "unresolved-reference",
    severity: "warning",
    resource: record.urn,
    field: fieldOf(idPath),
    message: `${record.name}: ${fieldOf(idPath)} is unknown at preview and no dependency names exactly one load balancer backend pool`,
  });
  return isUnknown(id) ? id : unknown(idPath, record.urn, "missing");
}
