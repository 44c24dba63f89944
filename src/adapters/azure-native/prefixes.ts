/**
 * Address prefixes of VNets and subnets (`addressPrefix` / `addressPrefixes` / `addressSpace.addressPrefixes`).
 */
import { isUnknown, type Maybe, type Unknown } from "../../model/unknown";
import { IpSet, parsePrefix } from "../../sets/ip-set";
import { report, type BuildContext } from "./context";
import { fieldOf, indexPath, list, str, type PV } from "./props";

export interface PrefixList {
  /** Known prefixes as written. */
  readonly texts: string[];
  /** Their union; Unknown when any of them (or the list) is unknown, or when none is declared. */
  readonly space: Maybe<IpSet>;
}

export interface PrefixSource {
  readonly value: PV;
  readonly path: string;
}

/**
 * Collects prefixes from singular and plural fields. Malformed ones are reported (`invalid-prefix`) and left out;
 * host bits are reported (a warning, as everywhere) and normalised, though Azure rejects them here.
 */
export function collectPrefixes(
  ctx: BuildContext,
  resource: string,
  subject: string,
  sources: readonly PrefixSource[],
  whenNone: Unknown,
): PrefixList {
  const texts: string[] = [];
  let space = IpSet.empty();
  let firstUnknown: Unknown | undefined;
  let declared = false;
  const take = (v: PV, path: string): void => {
    const s = str(v);
    if (s === undefined) return;
    declared = true;
    if (isUnknown(s)) {
      firstUnknown ??= s;
      return;
    }
    const parsed = parsePrefix(s.trim());
    if (!parsed.ok) {
      report(ctx, {
        code: "invalid-prefix",
        severity: "error",
        resource,
        field: fieldOf(path),
        value: s,
        message: `${subject}: ${fieldOf(path)} ${parsed.error}`,
      });
      return;
    }
    if (parsed.warning !== undefined) {
      report(ctx, {
        code: "prefix-normalised",
        severity: "warning",
        resource,
        field: fieldOf(path),
        value: s,
        message: `${subject}: ${fieldOf(path)} ${parsed.warning}; Azure rejects host bits in address prefixes, so the deployment will fail`,
      });
    }
    texts.push(s);
    space = space.union(parsed.set);
  };
  for (const source of sources) {
    const items = list(source.value);
    if (isUnknown(items)) {
      declared = true;
      firstUnknown ??= items;
    } else if (items !== undefined) {
      items.forEach((item, i) => take(item, indexPath(source.path, i)));
    } else {
      take(source.value, source.path);
    }
  }
  if (firstUnknown !== undefined) return { texts, space: firstUnknown };
  if (!declared) return { texts, space: whenNone };
  return { texts, space };
}
