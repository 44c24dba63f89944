/**
 * Resources the adapter does not model but that can carry or filter traffic (issue 12, point 8): Azure Firewall,
 * private endpoints, VM scale sets, App Service VNet integration, AKS, application gateways, NAT gateways,
 * Bastion, the classic @pulumi/azure provider's network and compute resources, ... They are never silent: every
 * report lists them, and a path that meets one (an address of a subnet it sits in) is undecided with that reason.
 */
import type { Diagnostic } from "../../model/diagnostic";
import type { Subnet, UnmodelledResource } from "../../model/topology";
import { isUnknown } from "../../model/unknown";
import type { PropertyValue, ResourceRecord } from "../../resources/record";
import { parseTypeToken } from "../../providers/type-token";
import { AZURE_NATIVE_PACKAGE, kindOfType, unmodelledLabel } from "./kinds";
import { registerPropertyReader } from "../../resources/plan-file";

/** Classic provider (@pulumi/azure) modules whose resources carry or filter traffic. */
const CLASSIC_TRAFFIC_MODULES = new Set(["network", "compute", "lb", "containerservice", "appservice", "privatedns", "apimanagement"]);

/** `readElsewhere`: packages another provider of the registry reads; it speaks for their resources. */
function labelOf(type: string, readElsewhere: ReadonlySet<string>): { label: string; provider: UnmodelledResource["provider"] } | undefined {
  const t = parseTypeToken(type);
  if (!t || readElsewhere.has(t.pkg)) return undefined;
  if (t.pkg === AZURE_NATIVE_PACKAGE) {
    const label = unmodelledLabel(type);
    return label ? { label, provider: "azure-native" } : undefined;
  }
  if (t.pkg === "azure" && CLASSIC_TRAFFIC_MODULES.has(t.module)) return { label: `${t.resource} (classic provider azure:${t.module})`, provider: "azure-classic" };
  return undefined;
}

const READ_BY_NO_OTHER: ReadonlySet<string> = new Set();

/**
 * Whether the adapter reads a resource's properties: the modelled types, and the unmodelled traffic-carrying ones
 * (their properties name the subnets they sit in). A streamed plan keeps the bodies of these only (io/stream-json.ts,
 * resources/plan-file.ts); other types keep their urn, type, id, parent and dependencies.
 */
export function readsPropertiesOf(type: string): boolean {
  return kindOfType(type) !== undefined || labelOf(type, READ_BY_NO_OTHER) !== undefined;
}
registerPropertyReader(readsPropertiesOf);

/** Every string in a property value (ARM ids of subnets sit at various depths: `subnet.id`, `virtualNetworkSubnetId`, ...). */
function strings(v: PropertyValue | undefined, out: string[], depth = 0): void {
  if (v === null || v === undefined || depth > 8) return;
  if (typeof v === "string") out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out, depth + 1);
  else if (typeof v === "object" && !isUnknown(v)) for (const x of Object.values(v)) strings(x, out, depth + 1);
}

/** The subnets of the model a record refers to: by ARM id in its properties, or through its dependencies. */
function subnetsOf(record: ResourceRecord, subnets: readonly Subnet[]): string[] {
  const found = new Set<string>();
  const texts: string[] = [];
  strings(record.props, texts);
  if (record.inputs) strings(record.inputs, texts);
  const lowered = new Set(texts.filter((s) => s.includes("/subnets/")).map((s) => s.toLowerCase()));
  const deps = new Set([...record.dependencies, ...Object.values(record.propertyDependencies).flat()]);
  for (const s of subnets) {
    const byId = !isUnknown(s.id) && lowered.has(s.id.toLowerCase());
    // A standalone Subnet's URN is its own (an inline subnet's is its VNet's, which says nothing about the subnet).
    const byDependency = s.key === s.urn && deps.has(s.urn);
    if (byId || byDependency) found.add(s.key);
  }
  return [...found].sort();
}

/** The unmodelled traffic-carrying resources of the records, in record order. */
export function findUnmodelled(records: readonly ResourceRecord[], subnets: ReadonlyMap<string, Subnet>, readElsewhere: ReadonlySet<string>): UnmodelledResource[] {
  const list = [...subnets.values()];
  const out: UnmodelledResource[] = [];
  for (const r of records) {
    if (!r.custom) continue;
    const l = labelOf(r.type, readElsewhere);
    if (!l) continue;
    out.push({ urn: r.urn, name: r.name, type: r.type, label: l.label, provider: l.provider, subnetKeys: subnetsOf(r, list) });
  }
  return out;
}

/** "not modelled: 3 resources of types Azure Firewall (1), private endpoint (2): ..." as one warning. */
export function unmodelledDiagnostic(list: readonly UnmodelledResource[]): Diagnostic | undefined {
  if (list.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const u of list) counts.set(u.label, (counts.get(u.label) ?? 0) + 1);
  const types = [...counts].map(([label, n]) => `${label} (${n})`).join(", ");
  const classic = list.filter((u) => u.provider === "azure-classic").length;
  const names = list.slice(0, 10).map((u) => u.name).join(", ");
  return {
    code: "unmodelled-resources",
    severity: "warning",
    resource: list[0]?.urn ?? "",
    value: types,
    message: `not modelled: ${list.length} resource${list.length === 1 ? "" : "s"} of types ${types} (${names}${list.length > 10 ? ", ..." : ""}): they may carry or filter traffic, so paths to addresses of the subnets they sit in are undecided${classic > 0 ? `; ${classic} of them from the classic provider (@pulumi/azure), which this tool does not read: use azure-native` : ""}`,
  };
}
