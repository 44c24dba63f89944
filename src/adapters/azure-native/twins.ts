/**
 * A child declared both inline in its parent and as a standalone resource (a subnet in VirtualNetwork.subnets and
 * a Subnet resource of the same name, ...) is one Azure child; the standalone declaration wins. When the two
 * declarations disagree on a field the model reads, that is reported (`conflicting-declarations`, naming both
 * and the values) rather than merged silently: Azure keeps whichever was applied last, so the plan is ambiguous.
 * Values unknown at preview are not compared.
 */
import { quoteValue } from "../../io/quote";
import { isUnknown } from "../../model/unknown";
import type { PropertyValue } from "../../resources/record";
import { normalizeArmId, report, type BuildContext } from "./context";
import type { ChildDraft } from "./child-draft";
import { get, isPropertyObject, type PV } from "./props";
import { rowOf, type ResourceKind } from "./kinds";

/** A comparable text for a value, or undefined when it is absent or (partly) unknown. */
function canonical(v: PV): string | undefined {
  if (v === undefined || v === null || isUnknown(v)) return undefined;
  if (typeof v === "string") return v.startsWith("/") ? normalizeArmId(v) : v.trim().toLowerCase();
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) {
    const items = v.map(canonical);
    if (items.some((x) => x === undefined)) return undefined;
    return `[${(items as string[]).sort().join(",")}]`;
  }
  if (isPropertyObject(v)) return canonical(v.id as PropertyValue | undefined);
  return undefined;
}

export function reportConflictingTwin(ctx: BuildContext, kind: ResourceKind, standalone: ChildDraft, inline: ChildDraft): void {
  for (const field of rowOf(kind).twinFields ?? []) {
    const a = get(standalone.body, field);
    const b = get(inline.body, field);
    const ca = canonical(a);
    const cb = canonical(b);
    if (ca === undefined || cb === undefined || ca === cb) continue;
    report(ctx, {
      code: "conflicting-declarations",
      severity: "warning",
      resource: standalone.record.urn,
      field,
      value: quoteValue(a),
      message: `${standalone.record.name}: ${field} is ${quoteValue(a)}, but ${inline.ref.label} declares it inline as ${quoteValue(b)}; Azure keeps whichever is applied last, the standalone declaration is used`,
    });
  }
}
