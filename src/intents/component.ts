/**
 * Intents declared in the program with the ReachabilityIntent component, read back from ResourceRecords (policy
 * args, stack export, preview file, or a program run under mocks). A `from`/`to` that is a resource reference
 * arrives as that resource's id (unknown on a first preview), so it is resolved by the URN the component records
 * next to it, else by the property's dependencies (which name the referenced resource), else by the id.
 */
import { isUnknown } from "../model/unknown";
import type { PropertyObject, PropertyValue, ResourceRecord } from "../resources/record";
import { parseIntent } from "./parse";
import { parseSelector } from "./selector";
import { INTENT_COMPONENT_TYPE, type Intent, type Selector } from "./types";

export interface ComponentIntents {
  readonly intents: Intent[];
  readonly errors: string[];
}

function isObject(v: PropertyValue | undefined): v is PropertyObject {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !isUnknown(v);
}

function isIntentRecord(r: ResourceRecord): boolean {
  return r.type === INTENT_COMPONENT_TYPE;
}

/** A property from outputs, else from inputs (components register both). */
function prop(r: ResourceRecord, key: string): PropertyValue | undefined {
  const v = r.props[key];
  if (v !== undefined && v !== null) return v;
  return r.inputs?.[key] ?? undefined;
}

const SELECTOR_KEYS = new Set(["nic", "vm", "subnet", "vnet", "asg", "privateEndpoint", "cidr", "ip", "serviceTag", "tag"]);

function endpoint(r: ResourceRecord, field: "from" | "to"): { selector?: Selector; error?: string } {
  const v = prop(r, field);
  // A plain selector written in the program, e.g. { serviceTag: "Internet" }.
  if (isObject(v) && Object.keys(v).length === 1 && SELECTOR_KEYS.has(Object.keys(v)[0])) {
    const s = parseSelector(v);
    return s.ok ? { selector: s.selector } : { error: s.error };
  }
  const urn = prop(r, `${field}Urn`);
  if (typeof urn === "string" && urn !== "") return { selector: { kind: "resource", urn } };
  const deps = r.propertyDependencies[field] ?? [];
  if (deps.length === 1) return { selector: { kind: "resource", urn: deps[0] } };
  if (typeof v === "string" && v !== "") return { selector: { kind: "resource", urn: v } };
  if (isObject(v) && typeof v.urn === "string") return { selector: { kind: "resource", urn: v.urn } };
  if (v === undefined || v === null) return { error: `is required: a resource (NIC, VM, subnet, VNet, ASG) or a selector such as { serviceTag: "Internet" }` };
  const reason = deps.length > 1 ? `the property depends on ${deps.length} resources` : "the resource it refers to is not known at preview and no property dependency names it";
  return { selector: { kind: "unresolved", reason: `${field} of ${r.urn}: ${reason}` } };
}

/** The fields of the component, as an intent object for the shared parser (endpoints are resolved separately). */
function rawIntent(r: ResourceRecord): Record<string, unknown> {
  const raw: Record<string, unknown> = { name: prop(r, "intentName") ?? r.name };
  for (const key of ["protocol", "ports", "expect", "enforcement", "layer", "description"]) {
    const v = prop(r, key);
    if (v !== undefined && v !== null) raw[key] = isUnknown(v) ? `(unknown at preview: ${key})` : v;
  }
  // Placeholders: parseIntent validates the rest; the real endpoints replace them below.
  raw.from = { ip: "0.0.0.0" };
  raw.to = { ip: "0.0.0.0" };
  return raw;
}

/** Every ReachabilityIntent in the records, in record order. */
export function intentsFromRecords(records: readonly ResourceRecord[]): ComponentIntents {
  const intents: Intent[] = [];
  const errors: string[] = [];
  records.filter(isIntentRecord).forEach((r, i) => {
    const parsed = parseIntent(rawIntent(r), i, { source: r.urn, componentUrn: r.urn });
    const from = endpoint(r, "from");
    const to = endpoint(r, "to");
    const name = String(prop(r, "intentName") ?? r.name);
    if (from.error) errors.push(`${r.urn}: intent "${name}", field "from": ${from.error}`);
    if (to.error) errors.push(`${r.urn}: intent "${name}", field "to": ${to.error}`);
    errors.push(...parsed.errors);
    if (!parsed.intent || parsed.intent.kind !== "reach" || !from.selector || !to.selector) return;
    intents.push({ ...parsed.intent, from: from.selector, to: to.selector });
  });
  return { intents, errors };
}
