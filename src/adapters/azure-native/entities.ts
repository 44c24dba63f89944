/**
 * Registration of everything a reference can point at: top-level resources (key = URN) and child resources
 * declared inline in their parent or standalone, merged so that one Azure child is one entity.
 */
import { isUnknown, unknown, type Maybe } from "../../model/unknown";
import type { ResourceRecord } from "../../resources/record";
import { quoteValue } from "../../io/quote";
import type { ChildDraft } from "./child-draft";
import { isRuleName } from "./rule-name";
import { reportConflictingTwin } from "./twins";
import { declaredRecords, normalizeArmId, recordsOf, register, report, trimTrailingSlashes, type BuildContext, type EntityRef } from "./context";
import { azureNameOf, entityIdOf, get, indexPath, list, resourceGroupOf, sameName, text, type PV } from "./props";
import { parseArmId, resolveParent } from "./refs";
import { kindsRegistered, NAME_PARAM, rowOf, type ResourceKind } from "./kinds";

export function topLevelRef(record: ResourceRecord, kind: ResourceKind): EntityRef {
  const rg = resourceGroupOf(record);
  const azureName = azureNameOf(record, NAME_PARAM[kind]);
  const ownId = entityIdOf(record);
  return {
    kind,
    key: record.urn,
    urn: record.urn,
    label: record.name,
    azureName,
    id: typeof ownId === "string" ? ownId : (idFromChildren(record, azureName) ?? ownId),
    ...(rg !== undefined ? { resourceGroup: rg } : {}),
  };
}

/** Child collections whose elements carry ARM ids under their parent's id. */
const CHILD_COLLECTIONS = [
  "subnets",
  "securityRules",
  "defaultSecurityRules",
  "routes",
  "ipConfigurations",
  "virtualNetworkPeerings",
  "frontendIPConfigurations",
  "backendAddressPools",
];

/**
 * Policy args carry no resource id, but deployed outputs list children with theirs
 * (`.../virtualNetworks/vnet-spoke/subnets/app`): the parent's id is that prefix, when it names this resource.
 */
export function idFromChildren(record: ResourceRecord, azureName: Maybe<string>): string | undefined {
  for (const collection of CHILD_COLLECTIONS) {
    const items = list(record.props[collection]);
    if (items === undefined || isUnknown(items)) continue;
    for (const item of items) {
      const childId = text(get(item, "id"));
      if (typeof childId !== "string") continue;
      const parsed = parseArmId(childId);
      if (parsed?.parentId !== undefined && parsed.names.length === 2 && sameName(azureName, parsed.names[0])) return parsed.parentId;
    }
  }
  return undefined;
}

/** Registers the top-level kinds' resources (kinds.ts, registration "top-level"), in table order. */
export function registerTopLevel(ctx: BuildContext): void {
  for (const kind of kindsRegistered("top-level")) for (const record of declaredRecords(ctx, kind)) register(ctx, topLevelRef(record, kind));
}

/** How one kind of child is declared: standalone resource kind, parent kind, inline property (its kinds.ts row). */
interface ChildSpec {
  readonly kind: ResourceKind;
  readonly parentKind: ResourceKind;
  /** Inline list on the parent (`subnets`, `securityRules`, `routes`, `virtualNetworkPeerings`). */
  readonly inlineProp: string;
}

export type { ChildDraft } from "./child-draft";

/**
 * Standalone children first resolve their parent; inline children are then added unless a standalone twin (same
 * parent and name, or same id) exists: the standalone declaration wins, and deployed outputs that list standalone
 * children inline again never duplicate them. Inline drafts come first (parent and declaration order), then
 * standalone ones (URN order).
 */
export function collectChildren(ctx: BuildContext, kind: ResourceKind): ChildDraft[] {
  const spec = childSpec(kind);
  const standalone = recordsOf(ctx, spec.kind).map((record) => standaloneDraft(ctx, spec, record));
  const byParent = groupByParent(standalone);
  // A standalone child whose parent could not be resolved still has a known id once deployed: match on it too.
  const orphans = standalone.filter((d) => typeof d.ref.parentKey !== "string" && typeof d.ref.id === "string");
  const inline: ChildDraft[] = [];
  for (const parent of recordsOf(ctx, spec.parentKind)) {
    const parentRef = ctx.refs.get(parent.urn);
    const items = list(parent.props[spec.inlineProp]);
    if (parentRef === undefined || items === undefined || isUnknown(items)) continue;
    const twins = [...(byParent.get(parent.urn) ?? []), ...orphans];
    const usedKeys = new Set<string>();
    const seenNames = new Set<string>();
    items.forEach((body, i) => {
      const draft = inlineDraft(spec, parent, parentRef, body, i, usedKeys);
      reportChildName(ctx, spec, parent, draft, i, seenNames);
      const twin = twins.find((t) => isTwin(t.ref, draft.ref));
      if (twin !== undefined) {
        reportConflictingTwin(ctx, spec.kind, twin, draft);
        return;
      }
      usedKeys.add(draft.ref.key);
      inline.push(draft);
    });
  }
  const all = [...inline, ...standalone];
  for (const d of all) register(ctx, d.ref);
  return all;
}

function childSpec(kind: ResourceKind): ChildSpec {
  const row = rowOf(kind);
  if (row.registration !== "child" || row.parent === undefined || row.inline === undefined) throw new Error(`kinds.ts: ${kind} is not a child kind with an inline list`);
  return { kind, parentKind: row.parent, inlineProp: row.inline };
}

/**
 * Inline children's names: Azure rejects two children of one name and names outside its rule (up to 80 letters,
 * digits, '.', '-', '_', starting with a word character; the same rule as security rules): both are said.
 */
function reportChildName(ctx: BuildContext, spec: ChildSpec, parent: ResourceRecord, draft: ChildDraft, i: number, seen: Set<string>): void {
  const name = draft.ref.azureName;
  if (typeof name !== "string") return;
  const field = `${spec.inlineProp}[${i}].name`;
  if (!isRuleName(name)) {
    report(ctx, { code: "invalid-name", severity: "warning", resource: parent.urn, field, value: quoteValue(name), message: `${parent.name}: ${field} ${quoteValue(name)} is not a name Azure accepts; Azure will reject the deployment` });
  }
  const lower = name.toLowerCase();
  if (seen.has(lower)) {
    report(ctx, { code: "duplicate-name", severity: "error", resource: parent.urn, field, value: quoteValue(name), message: `${parent.name}: ${field} ${quoteValue(name)} names a second ${spec.inlineProp} entry of that name; Azure rejects this, both are kept` });
  }
  seen.add(lower);
}

/** Drafts by the key of their (resolved) parent, in their original order. */
export function groupByParent(drafts: readonly ChildDraft[]): Map<string, ChildDraft[]> {
  const out = new Map<string, ChildDraft[]>();
  for (const d of drafts) {
    if (typeof d.ref.parentKey !== "string") continue;
    const list = out.get(d.ref.parentKey);
    if (list === undefined) out.set(d.ref.parentKey, [d]);
    else list.push(d);
  }
  return out;
}

function standaloneDraft(ctx: BuildContext, spec: ChildSpec, record: ResourceRecord): ChildDraft {
  const azureName = azureNameOf(record, NAME_PARAM[spec.kind]);
  const ownId = entityIdOf(record);
  const parentKey = resolveParent(ctx, {
    record,
    parentKind: spec.parentKind,
    param: NAME_PARAM[spec.parentKind],
    id: ownId,
  });
  const parent = typeof parentKey === "string" ? ctx.refs.get(parentKey) : undefined;
  const rg = resourceGroupOf(record);
  const ref: EntityRef = {
    kind: spec.kind,
    key: record.urn,
    urn: record.urn,
    label: record.name,
    azureName,
    id: typeof ownId === "string" ? ownId : (childId(parent?.id, spec.inlineProp, azureName) ?? ownId),
    parentKey,
    ...(rg !== undefined ? { resourceGroup: rg } : {}),
  };
  return { ref, record, body: record.props, basePath: "", origin: "standalone", depProp: (field) => field };
}

function inlineDraft(
  spec: ChildSpec,
  parent: ResourceRecord,
  parentRef: EntityRef,
  body: PV,
  i: number,
  usedKeys: ReadonlySet<string>,
): ChildDraft {
  const basePath = indexPath(`.${spec.inlineProp}`, i);
  const name = text(get(body, "name"));
  const known = typeof name === "string" ? name : undefined;
  let key = `${parent.urn}/${spec.inlineProp}/${known ?? `[${i}]`}`;
  // Azure rejects two children of one name; keep both visible rather than silently drop one.
  if (usedKeys.has(key)) key = `${key}[${i}]`;
  const azureName: Maybe<string> = name ?? unknown(`${basePath}.name`, parent.urn);
  const ownId = text(get(body, "id"));
  const ref: EntityRef = {
    kind: spec.kind,
    key,
    urn: parent.urn,
    label: `${parent.name}/${known ?? `[${i}]`}`,
    azureName,
    id: typeof ownId === "string" ? ownId : (childId(parentRef.id, spec.inlineProp, azureName) ?? ownId ?? unknown(`${basePath}.id`, parent.urn)),
    parentKey: parent.urn,
    ...(parentRef.resourceGroup !== undefined ? { resourceGroup: parentRef.resourceGroup } : {}),
  };
  return { ref, record: parent, body, basePath, origin: "inline", depProp: () => spec.inlineProp };
}

/** A child's ARM id is its parent's id plus `/<collection>/<name>`: known as soon as both parts are. */
function childId(parentId: Maybe<string> | undefined, collection: string, name: Maybe<string>): string | undefined {
  if (typeof parentId !== "string" || typeof name !== "string") return undefined;
  return `${trimTrailingSlashes(parentId)}/${collection}/${name}`;
}

function isTwin(standalone: EntityRef, inline: EntityRef): boolean {
  if (typeof standalone.id === "string" && typeof inline.id === "string" && normalizeArmId(standalone.id) === normalizeArmId(inline.id)) {
    return true;
  }
  return standalone.parentKey === inline.parentKey && sameName(standalone.azureName, inline.azureName);
}
