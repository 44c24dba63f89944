/**
 * LoadBalancer: SKU, frontends, backend pools, load-balancing rules, inbound NAT rules and outbound rules (shapes:
 * azure-rest-api-specs specification/network/resource-manager/Microsoft.Network/stable/2024-05-01/loadBalancer.json,
 * which azure-native v3 flattens: each rule's `properties` are its own fields, e.g. `loadBalancingRules[i].frontendPort`).
 * A pool is named by `<lb id>/backendAddressPools/<name>` when the LB's id is known, else
 * `<lb key>/backendAddressPools/<name>`; NIC ip configurations use the same names (NAT rules likewise, under
 * `inboundNatRules`). A rule refers to its frontend and pool by ARM ids of the LB's own children: the last segment
 * (the child's name) is what matters; an unknown id resolves to the only frontend or pool when there is one.
 */
import type { LbFrontend, LbNatRule, LbOutboundRule, LbProtocol, LbRule, LoadBalancer } from "../../model/topology";
import { isUnknown, unknown, type Maybe } from "../../model/unknown";
import type { ResourceRecord } from "../../resources/record";
import { recordsOf, report, sortedMap, trimTrailingSlashes, type BuildContext, type EntityRef } from "./context";
import { bool, fieldOf, get, indexPath, keyPath, list, num, text, type PV } from "./props";
import { skuOf } from "./sku";
import { ambiguous, dependencyCandidates, lookupId, parseArmId, resolveRef } from "./refs";

export function natRuleRef(lb: Pick<EntityRef, "key" | "id">, ruleName: string): string {
  const base = typeof lb.id === "string" ? trimTrailingSlashes(lb.id) : lb.key;
  return `${base}/inboundNatRules/${ruleName}`;
}

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
      const perFrontend: Array<Maybe<string> | null> = [];
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
          perFrontend.push(k);
          if (k !== null) publicIpKeys.push(k);
        });
      const lb: LoadBalancer = {
        key,
        urn: record.urn,
        logicalName: record.name,
        azureName: ref?.azureName ?? unknown(".name", record.urn),
        id,
        publicIpKeys,
        backendPoolRefs: uniquePools(ctx, record).map((name) => poolRef({ key, id }, name)),
        sku: skuOf(record, (d) => report(ctx, d)),
        frontends: frontendsOf(frontends, (i) => perFrontend[i] ?? null),
        ...childRules(ctx, record, { key, id }),
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
  if (typeof id === "string") return knownChildRef(ctx, record, id, idPath, "backend pool", poolRef, (r) => poolNames(r));
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

function namesOf(items: readonly PV[] | undefined): string[] {
  return (items ?? []).flatMap((p) => {
    const n = text(get(p, "name"));
    return typeof n === "string" ? [n] : [];
  });
}

function frontendsOf(frontends: ReturnType<typeof list>, publicIpOf: (i: number) => Maybe<string> | null): Maybe<readonly LbFrontend[]> {
  if (frontends === undefined) return [];
  if (isUnknown(frontends)) return frontends;
  return frontends.map((fe, i) => {
    const n = text(get(fe, "name"));
    return { name: typeof n === "string" ? n : `frontendIPConfigurations[${i}]`, publicIpKey: publicIpOf(i) };
  });
}

/** The name of the child an id names (`.../frontendIPConfigurations/<name>`), or the only one when the id is unknown. */
function childName(v: PV, names: readonly string[], path: string, record: ResourceRecord, ctx?: BuildContext): Maybe<string> {
  // A reference is an object ({id}); anything else (fuzz seed 424242 mutant 1981: a NAT rule's backendAddressPool
  // set to -1e21) was read as the sole pool, turning a rule without a pool into one over every pool member.
  if (ctx && v !== undefined && v !== null && !isUnknown(v) && (typeof v !== "object" || Array.isArray(v))) {
    report(ctx, { code: "malformed-field", severity: "warning", resource: record.urn, field: fieldOf(path), value: JSON.stringify(v).slice(0, 80), message: `${record.name}: ${fieldOf(path)} is not a reference ({"id": ...}); treated as unknown` });
    return unknown(path, record.urn, "malformed");
  }
  const raw = get(v, "id");
  // An object with no `id` at all (fuzz seed 52000 mutant 1086: `{"nested": ...}`) names no child either.
  if (ctx && v !== undefined && v !== null && !isUnknown(v) && raw === undefined) {
    report(ctx, { code: "malformed-field", severity: "warning", resource: record.urn, field: fieldOf(path), value: JSON.stringify(v).slice(0, 80), message: `${record.name}: ${fieldOf(path)} is a reference without an id; treated as unknown` });
    return unknown(path, record.urn, "malformed");
  }
  const id = text(raw);
  if (typeof id === "string") {
    const parts = trimTrailingSlashes(id).split("/");
    const name = parts[parts.length - 1];
    if (ctx && names.length > 0 && !names.some((n) => n.toLowerCase() === name.toLowerCase())) {
      report(ctx, { code: "unresolved-reference", severity: "warning", resource: record.urn, field: fieldOf(`${path}.id`), value: id, message: `${record.name}: ${fieldOf(`${path}.id`)} names ${name}, which is not one of ${names.join(", ")}` });
    }
    return name;
  }
  if (ctx && raw !== undefined && raw !== null && !isUnknown(raw)) {
    report(ctx, { code: "malformed-field", severity: "warning", resource: record.urn, field: fieldOf(`${path}.id`), value: JSON.stringify(raw).slice(0, 80), message: `${record.name}: ${fieldOf(`${path}.id`)} is not an id string` });
    return unknown(`${path}.id`, record.urn, "malformed");
  }
  if (names.length === 1) return names[0];
  return isUnknown(id) ? id : unknown(`${path}.id`, record.urn, "missing");
}

const PROTOCOLS: Readonly<Record<string, LbProtocol>> = { tcp: "Tcp", udp: "Udp", all: "All" };

function protocolOf(ctx: BuildContext, record: ResourceRecord, v: PV, path: string): Maybe<LbProtocol> {
  const p = text(v);
  if (isUnknown(p)) return p;
  const known = typeof p === "string" ? PROTOCOLS[p.trim().toLowerCase()] : undefined;
  if (known) return known;
  report(ctx, { code: "invalid-value", severity: "warning", resource: record.urn, field: fieldOf(path), value: String(p ?? ""), message: `${record.name}: ${fieldOf(path)} ${p === undefined ? "is missing" : `"${p}" is not Tcp, Udp or All`}; the rule is taken to forward nothing known` });
  return unknown(path, record.urn, p === undefined ? "missing" : `invalid protocol ${p}`);
}

function portOf(ctx: BuildContext, record: ResourceRecord, v: PV, path: string, required: boolean): Maybe<number> {
  const n = num(v);
  if (isUnknown(n)) return n;
  if (n === undefined && !required) return 0;
  if (n !== undefined && Number.isInteger(n) && n >= 0 && n <= 65535) return n;
  report(ctx, { code: "invalid-value", severity: "warning", resource: record.urn, field: fieldOf(path), value: String(v ?? ""), message: `${record.name}: ${fieldOf(path)} ${v === undefined ? "is missing" : `${JSON.stringify(v)} is not a port 0-65535`}` });
  return unknown(path, record.urn, v === undefined ? "missing" : `invalid port ${String(v)}`);
}

function flag(v: PV): Maybe<boolean> {
  return bool(v) ?? false;
}

function childRules(ctx: BuildContext, record: ResourceRecord, lb: Pick<EntityRef, "key" | "id">): Pick<LoadBalancer, "rules" | "natRules" | "outboundRules"> {
  const feList = list(record.props.frontendIPConfigurations);
  const feNames = isUnknown(feList) ? [] : namesOf(feList);
  const poolList = list(record.props.backendAddressPools);
  const pNames = isUnknown(poolList) ? [] : namesOf(poolList);
  const pool = (v: PV, path: string): Maybe<string> => {
    const n = childName(v, pNames, path, record, ctx);
    return isUnknown(n) ? n : poolRef(lb, n);
  };
  const each = <T>(prop: string, build: (item: PV, path: string, i: number) => T): Maybe<readonly T[]> => {
    const items = list(record.props[prop]);
    if (items === undefined) return [];
    if (isUnknown(items)) return items;
    return items.map((item, i) => build(item, indexPath(`.${prop}`, i), i));
  };
  const nameAt = (item: PV, path: string): string => {
    const n = text(get(item, "name"));
    return typeof n === "string" ? n : fieldOf(path);
  };
  const rules = each("loadBalancingRules", (item, path): LbRule => {
    const pools: Maybe<string>[] = [];
    const plural = list(get(item, "backendAddressPools"));
    if (isUnknown(plural)) pools.push(plural);
    else plural?.forEach((p, j) => pools.push(pool(p, indexPath(keyPath(path, "backendAddressPools"), j))));
    if (get(item, "backendAddressPool") !== undefined || pools.length === 0) pools.push(pool(get(item, "backendAddressPool"), keyPath(path, "backendAddressPool")));
    const frontendPort = portOf(ctx, record, get(item, "frontendPort"), keyPath(path, "frontendPort"), true);
    // backendPort is optional in the API ("Acceptable values are between 0 and 65535"); absent means the frontend port.
    const bp = get(item, "backendPort");
    return {
      name: nameAt(item, path),
      frontend: childName(get(item, "frontendIPConfiguration"), feNames, keyPath(path, "frontendIPConfiguration"), record, ctx),
      poolRefs: pools,
      protocol: protocolOf(ctx, record, get(item, "protocol"), keyPath(path, "protocol")),
      frontendPort,
      backendPort: bp === undefined ? frontendPort : portOf(ctx, record, bp, keyPath(path, "backendPort"), true),
      floatingIp: flag(get(item, "enableFloatingIP")),
      disableOutboundSnat: flag(get(item, "disableOutboundSnat")),
    };
  });
  const natRules = each("inboundNatRules", (item, path): LbNatRule => {
    const name = nameAt(item, path);
    const poolValue = get(item, "backendAddressPool");
    const rangeStart = get(item, "frontendPortRangeStart");
    return {
      name,
      ref: natRuleRef(lb, name),
      frontend: childName(get(item, "frontendIPConfiguration"), feNames, keyPath(path, "frontendIPConfiguration"), record, ctx),
      protocol: protocolOf(ctx, record, get(item, "protocol"), keyPath(path, "protocol")),
      frontendPort: rangeStart !== undefined ? portOf(ctx, record, rangeStart, keyPath(path, "frontendPortRangeStart"), true) : portOf(ctx, record, get(item, "frontendPort"), keyPath(path, "frontendPort"), true),
      backendPort: portOf(ctx, record, get(item, "backendPort"), keyPath(path, "backendPort"), true),
      floatingIp: flag(get(item, "enableFloatingIP")),
      ...(poolValue !== undefined ? { poolRef: pool(poolValue, keyPath(path, "backendAddressPool")) } : {}),
    };
  });
  const outboundRules = each("outboundRules", (item, path): LbOutboundRule => {
    const fes = list(get(item, "frontendIPConfigurations"));
    return {
      name: nameAt(item, path),
      poolRef: pool(get(item, "backendAddressPool"), keyPath(path, "backendAddressPool")),
      frontends: isUnknown(fes) ? [fes] : (fes ?? []).map((f, j) => childName(f, feNames, indexPath(keyPath(path, "frontendIPConfigurations"), j), record, ctx)),
    };
  });
  return { rules, natRules, outboundRules };
}

/** A NIC ip configuration's inbound NAT rule reference, resolved like a backend pool reference. */
export function resolveNatRuleRef(ctx: BuildContext, record: ResourceRecord, item: PV, path: string, depProp: string): Maybe<string> {
  const id = text(get(item, "id"));
  if (typeof id === "string") {
    return knownChildRef(ctx, record, id, `${path}.id`, "inbound NAT rule", natRuleRef, (r) => {
      const items = list(r.props.inboundNatRules);
      return items === undefined || isUnknown(items) ? [] : namesOf(items);
    });
  }
  const lbs = dependencyCandidates(ctx, record, depProp, "loadBalancer");
  const rules = lbs.flatMap((lb) => {
    const r = ctx.recordsByUrn.get(lb.urn);
    const items = r === undefined ? undefined : list(r.props.inboundNatRules);
    return items === undefined || isUnknown(items) ? [] : namesOf(items).map((n) => ({ ...lb, key: natRuleRef(lb, n), label: `${lb.label}/${n}` }));
  });
  if (rules.length === 1) return rules[0].key;
  if (rules.length > 1) return ambiguous(ctx, record, `${path}.id`, rules);
  return isUnknown(id) ? id : unknown(`${path}.id`, record.urn, "missing");
}

/**
 * A known id of a load balancer child (pool, NAT rule): named through its load balancer when that is in the plan and
 * has a child of that name; else kept as written, with a one-line diagnostic (the answer then depends on it).
 */
function knownChildRef(
  ctx: BuildContext,
  record: ResourceRecord,
  id: string,
  idPath: string,
  what: string,
  name: (lb: Pick<EntityRef, "key" | "id">, child: string) => string,
  children: (lb: ResourceRecord) => string[],
): string {
  const parsed = parseArmId(id);
  const lb = parsed?.parentId === undefined ? undefined : lookupId(ctx, parsed.parentId, "loadBalancer");
  const child = parsed?.names[parsed.names.length - 1];
  const lbRecord = lb ? ctx.recordsByUrn.get(lb.urn) : undefined;
  if (lb !== undefined && child !== undefined && lbRecord !== undefined) {
    const known = children(lbRecord);
    if (known.length === 0 || known.some((n) => n.toLowerCase() === child.toLowerCase())) return name(lb, child);
  }
  report(ctx, {
    code: "unresolved-reference",
    severity: "warning",
    resource: record.urn,
    field: fieldOf(idPath),
    value: id,
    message: `${record.name}: ${fieldOf(idPath)} names ${what} ${id}, which is not in the plan: whether it lets traffic from the Internet in is unknown`,
  });
  return id;
}

/** Pool names, each once; a repeated name (Azure rejects it) is reported on the load balancer. */
function uniquePools(ctx: BuildContext, record: ResourceRecord): string[] {
  const names = poolNames(record);
  const seen = new Set<string>();
  for (const n of names) {
    const k = n.toLowerCase();
    if (seen.has(k)) {
      report(ctx, { code: "duplicate-name", severity: "error", resource: record.urn, field: "backendAddressPools", value: n, message: `${record.name}: backendAddressPools names a second pool "${n}"; Azure rejects this` });
    }
    seen.add(k);
  }
  return names.filter((n, i) => names.findIndex((m) => m.toLowerCase() === n.toLowerCase()) === i);
}
