/**
 * Reference resolution. A reference (`subnet.id`, `networkSecurityGroup.id`, ...) resolves by ARM id when the id
 * is known; when it is not, through the referring property's propertyDependencies when they name exactly one
 * candidate of the right kind. Anything else is an Unknown (with a diagnostic), never a guess.
 */
import { isUnknown, unknown, type Maybe, type Unknown } from "../../model/unknown";
import type { ResourceRecord } from "../../resources/record";
import { childrenOf, normalizeArmId, refsNamed, report, type BuildContext, type EntityRef } from "./context";
import { fieldOf, get, isPropertyObject, pathParam, resourceGroupOf, sameName, type PV } from "./props";
import { ARM_KINDS, KIND_LABEL, kindOfType, rowOf, type ResourceKind } from "./kinds";
import { quote } from "../../io/quote";

export interface ArmId {
  readonly resourceGroup?: string;
  /** `microsoft.network/virtualnetworks/subnets` (lower-cased). */
  readonly armType: string;
  /** Names along the type chain: ["vnet-hub", "app"]. */
  readonly names: readonly string[];
  /** The id of the parent resource, for a child. */
  readonly parentId?: string;
}

/** `/subscriptions/s/resourceGroups/rg/providers/Ns/type/name[/childType/childName]...`; undefined otherwise. */
export function parseArmId(id: string): ArmId | undefined {
  const parts = id.trim().split("/").filter((p) => p !== "");
  const lower = parts.map((p) => p.toLowerCase());
  const providers = lower.indexOf("providers");
  if (providers < 0 || providers + 3 > parts.length) return undefined;
  const rgAt = lower.indexOf("resourcegroups");
  const tail = parts.slice(providers + 2);
  if (tail.length % 2 !== 0) return undefined;
  const types: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < tail.length; i += 2) {
    types.push(tail[i].toLowerCase());
    names.push(tail[i + 1]);
  }
  const parentId =
    names.length > 1 ? "/" + parts.slice(0, parts.length - 2).join("/") : undefined;
  return {
    ...(rgAt >= 0 && rgAt + 1 < providers ? { resourceGroup: parts[rgAt + 1].toLowerCase() } : {}),
    armType: `${lower[providers + 1]}/${types.join("/")}`,
    names,
    ...(parentId !== undefined ? { parentId } : {}),
  };
}

/**
 * The entity an ARM id names: an exact (case-insensitive) id match, else by type, resource group and name
 * (ids of resources being created are unknown, but their name and group are usually known), walking parents
 * for child ids (a subnet declared only inline in its VNet is found through the VNet).
 */
export function lookupId(ctx: BuildContext, id: string, kind: ResourceKind): EntityRef | undefined {
  const exact = (ctx.byId.get(normalizeArmId(id)) ?? []).filter((r) => r.kind === kind);
  if (exact.length === 1) return exact[0];
  const parsed = parseArmId(id);
  if (parsed === undefined || ARM_KINDS.get(parsed.armType) !== kind) return undefined;
  const name = parsed.names[parsed.names.length - 1];
  let pool: EntityRef[];
  if (parsed.parentId !== undefined) {
    const parentKind = rowOf(kind).parent;
    const parent = parentKind === undefined ? undefined : lookupId(ctx, parsed.parentId, parentKind);
    if (parent === undefined) return undefined;
    pool = childrenOf(ctx, parent.key, kind);
  } else {
    pool = refsNamed(ctx, kind, name).filter(
      (r) => r.resourceGroup === undefined || parsed.resourceGroup === undefined || r.resourceGroup === parsed.resourceGroup,
    );
  }
  // A candidate whose own id is known and different is another resource.
  const matches = pool.filter(
    (r) => sameName(r.azureName, name) && (typeof r.id !== "string" || normalizeArmId(r.id) === normalizeArmId(id)),
  );
  return matches.length === 1 ? matches[0] : undefined;
}

export interface RefRequest {
  /** The reference as written: `{id: ...}`, a bare id string, an Unknown, or absent. */
  readonly value: PV;
  /** Path of the reference object, e.g. `.ipConfigurations[0].subnet`. */
  readonly path: string;
  /** The resource that holds the reference. */
  readonly record: ResourceRecord;
  /** Top-level property whose propertyDependencies may name the target. */
  readonly depProp: string;
  readonly kind: ResourceKind;
  /**
   * Narrows several dependency candidates using other known facts (a static address must lie in its subnet).
   * Used only when the id is not known.
   */
  readonly narrow?: (candidates: readonly EntityRef[]) => readonly EntityRef[];
}

/** Resolves a reference: the target's key, `null` when there is no reference, or an Unknown (reported). */
export function resolveRef(ctx: BuildContext, req: RefRequest): Maybe<string> | null {
  const { value } = req;
  let idValue: PV;
  if (value === undefined || value === null) return null;
  if (isUnknown(value) || typeof value === "string") idValue = value;
  else if (isPropertyObject(value)) idValue = get(value, "id");
  else return null;
  if (idValue === undefined || idValue === null) return null;

  const idPath = typeof value === "string" || isUnknown(value) ? req.path : `${req.path}.id`;
  const candidates = dependencyCandidates(ctx, req.record, req.depProp, req.kind);

  if (typeof idValue === "string" && idValue !== "") {
    const hit = lookupId(ctx, idValue, req.kind);
    if (hit !== undefined) return hit.key;
    // Policy args carry no ids for top-level resources: a known id may still be tied by dependency,
    // provided the candidate is not known to have another name.
    const idName = parseArmId(idValue)?.names.slice(-1)[0];
    const named = candidates.filter((c) => typeof c.azureName !== "string" || idName === undefined || sameName(c.azureName, idName));
    if (named.length === 1) return named[0].key;
    return unresolved(ctx, req, idPath, idValue, `names no ${KIND_LABEL[req.kind]} in the plan`, `not in the plan: ${idValue}`);
  }
  if (candidates.length === 1) return candidates[0].key;
  const narrowed = candidates.length > 1 && req.narrow ? req.narrow(candidates) : candidates;
  if (narrowed.length === 1) return narrowed[0].key;
  // The candidates the narrowing kept, when it kept several (the others are known not to be the target).
  if (candidates.length > 1) return ambiguous(ctx, req.record, idPath, narrowed.length > 1 ? narrowed : candidates);
  const base = isUnknown(idValue) ? idValue : unknown(idPath, req.record.urn, "not a resource id");
  report(ctx, {
    code: "unresolved-reference",
    severity: "warning",
    resource: req.record.urn,
    field: fieldOf(idPath),
    value: typeof idValue === "string" ? idValue : "(unknown)",
    message: `${req.record.name}: ${fieldOf(idPath)} is ${describeMissing(base)} and no dependency names exactly one ${KIND_LABEL[req.kind]}${missingDependencies(ctx, req.record, req.depProp)}`,
  });
  return base;
}

/** A URN echoed in a message: quoted and escaped like any user input, long enough to keep the logical name. */
const URN_ECHO_MAX = 200;

/**
 * Dependencies of `prop` that are not in the plan (a resource removed or renamed): named by their quoted URN, so
 * the cause is visible. Called only when the reference could not be resolved: a dependency on a resource of
 * another provider or on a component is normal in a real plan and says nothing while the reference resolves.
 */
export function missingDependencies(ctx: BuildContext, record: ResourceRecord, prop: string): string {
  const gone = [...new Set(record.propertyDependencies[prop] ?? [])].filter((urn) => !ctx.recordsByUrn.has(urn));
  if (gone.length === 0) return "";
  const names = gone.slice(0, 3).map((urn) => quote(urn, URN_ECHO_MAX));
  return `; ${prop} depends on ${names.join(", ")}${gone.length > 3 ? ` and ${gone.length - 3} more` : ""}, not in the plan`;
}

function describeMissing(u: Unknown): string {
  return u.reason === undefined ? "unknown at preview" : `unknown (${u.reason})`;
}

function unresolved(ctx: BuildContext, req: RefRequest, idPath: string, id: string, problem: string, reason: string): Unknown {
  report(ctx, {
    code: "unresolved-reference",
    severity: "warning",
    resource: req.record.urn,
    field: fieldOf(idPath),
    value: id,
    message: `${req.record.name}: ${fieldOf(idPath)} "${id}" ${problem}`,
  });
  return unknown(idPath, req.record.urn, reason);
}

/** Unknown naming every candidate, reported once. */
export function ambiguous(ctx: BuildContext, record: ResourceRecord, path: string, candidates: readonly EntityRef[]): Unknown {
  // Sorted so the message does not depend on the order dependencies were recorded in.
  const labels = candidates.map((c) => c.label).sort().join(", ");
  report(ctx, {
    code: "unresolved-reference",
    severity: "warning",
    resource: record.urn,
    field: fieldOf(path),
    message: `${record.name}: ${fieldOf(path)} is ambiguous: it could be any of ${labels}`,
  });
  return { ...unknown(path, record.urn, `ambiguous reference: candidates ${labels}`), candidates: candidates.map((c) => c.key).sort() };
}

/**
 * Entities of `kind` that propertyDependencies[prop] names. A subnet can also be reached through its VNet (the
 * value was `vnet.subnets[i].id`): then every subnet of the named VNets is a candidate.
 */
export function dependencyCandidates(ctx: BuildContext, record: ResourceRecord, prop: string, kind: ResourceKind): EntityRef[] {
  const urns = record.propertyDependencies[prop] ?? [];
  const direct = refsOfKind(ctx, urns, kind);
  if (direct.length > 0 || (kind !== "subnet" && kind !== "peering")) return direct;
  const parents = refsOfKind(ctx, urns, "vnet");
  return uniqueRefs(parents.flatMap((p) => childrenOf(ctx, p.key, kind)));
}

/**
 * The entities of `kind` the URNs register, each once, in first-seen order. A loop rather than flatMap of one-item
 * arrays and a Map: this runs for every reference of every resource, and nearly every list has zero or one URN.
 */
export function refsOfKind(ctx: BuildContext, urns: readonly string[], kind: ResourceKind): EntityRef[] {
  const out: EntityRef[] = [];
  let seen: Set<string> | undefined;
  for (const urn of urns) {
    const r = ctx.refs.get(urn);
    if (r === undefined || r.kind !== kind) continue;
    if (out.length > 0) {
      seen ??= new Set(out.map((x) => x.key));
      if (seen.has(r.key)) continue;
      seen.add(r.key);
    }
    out.push(r);
  }
  return out;
}

function uniqueRefs(refs: readonly EntityRef[]): EntityRef[] {
  const seen = new Map<string, EntityRef>();
  for (const r of refs) if (!seen.has(r.key)) seen.set(r.key, r);
  return [...seen.values()];
}

export interface ParentRequest {
  readonly record: ResourceRecord;
  readonly parentKind: ResourceKind;
  /** The path parameter naming the parent (`virtualNetworkName`, `networkSecurityGroupName`, ...). */
  readonly param: string;
  /** The child's own ARM id, when known. */
  readonly id: Maybe<string>;
}

/**
 * The parent of a standalone child resource: by its ARM id prefix when known, else by the path parameter
 * matched against the parents' Azure names (narrowed by resource group), else by the parameter's
 * propertyDependencies. Ambiguity or absence is an Unknown, reported.
 */
export function resolveParent(ctx: BuildContext, req: ParentRequest): Maybe<string> {
  const { record, parentKind, param } = req;
  if (typeof req.id === "string") {
    const parentId = parseArmId(req.id)?.parentId;
    const hit = parentId === undefined ? undefined : lookupId(ctx, parentId, parentKind);
    if (hit !== undefined) return hit.key;
  }
  const name = pathParam(record, param);
  const path = `.${param}`;
  if (typeof name === "string") {
    const rg = resourceGroupOf(record);
    const named = refsNamed(ctx, parentKind, name).filter(
      (p) => rg === undefined || p.resourceGroup === undefined || p.resourceGroup === rg,
    );
    if (named.length === 1) return named[0].key;
    if (named.length > 1) return ambiguous(ctx, record, path, named);
  }
  const candidates = refsOfKind(ctx, record.propertyDependencies[param] ?? [], parentKind);
  if (candidates.length === 1) return candidates[0].key;
  if (candidates.length > 1) return ambiguous(ctx, record, path, candidates);
  const what = KIND_LABEL[parentKind];
  const problem =
    typeof name === "string"
      ? `names "${name}", and no ${what} of that name is in the plan`
      : name === undefined
        ? `is absent, so the ${what} this ${KIND_LABEL[kindOfType(record.type) ?? parentKind]} belongs to is unknown`
        : `is unknown at preview and no dependency names exactly one ${what}`;
  const gone = missingDependencies(ctx, record, param);
  report(ctx, {
    code: "unresolved-reference",
    severity: "warning",
    resource: record.urn,
    field: param,
    ...(typeof name === "string" ? { value: name } : {}),
    message: `${record.name}: ${param} ${problem}${gone}`,
  });
  if (isUnknown(name)) return name;
  return unknown(path, record.urn, typeof name === "string" ? `not in the plan: ${name}` : "missing");
}
