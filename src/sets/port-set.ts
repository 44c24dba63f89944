/**
 * Exact sets of TCP/UDP ports (0..65535), parsed from and printed in Azure's notation.
 */
import { BoundedSet } from "./bounded-set";
import { IntervalSet } from "./interval-set";

const PORT_MIN = 0;
const PORT_MAX = 65535;

export type ParsedPorts =
  | { readonly ok: true; readonly set: PortSet }
  | { readonly ok: false; readonly error: string };

export class PortSet extends BoundedSet<PortSet> {
  private static readonly UNIVERSE = IntervalSet.ofNumbers(PORT_MIN, PORT_MAX);
  private static readonly EMPTY = new PortSet(IntervalSet.empty());
  private static readonly ALL = new PortSet(PortSet.UNIVERSE);

  private constructor(set: IntervalSet) {
    super(set);
    Object.freeze(this);
  }

  protected universe(): IntervalSet {
    return PortSet.UNIVERSE;
  }

  protected wrap(set: IntervalSet): PortSet {
    return set.isEmpty() ? PortSet.EMPTY : new PortSet(set);
  }

  static all(): PortSet {
    return PortSet.ALL;
  }

  static empty(): PortSet {
    return PortSet.EMPTY;
  }

  /** Ports lo..hi inclusive (hi defaults to lo), clipped to 0..65535; empty when lo > hi. */
  static of(lo: number, hi: number = lo): PortSet {
    const from = Math.max(PORT_MIN, Math.ceil(lo));
    const to = Math.min(PORT_MAX, Math.floor(hi));
    // NaN compares false, so it lands here too.
    if (!(from <= to)) return PortSet.EMPTY;
    return new PortSet(IntervalSet.ofNumbers(from, to));
  }

  /** Wraps an interval set, clipped to the port universe. */
  static fromIntervalSet(set: IntervalSet): PortSet {
    const clipped = set.toNumbers().intersect(PortSet.UNIVERSE);
    return clipped.isEmpty() ? PortSet.EMPTY : new PortSet(clipped);
  }

  /** Azure notation: "*", "80", "80-90", or a comma-separated list of those. */
  static parse(text: string): ParsedPorts {
    if (typeof text !== "string") return { ok: false, error: `${String(text)} is not a port range` };
    let acc = IntervalSet.empty();
    for (const raw of text.split(",")) {
      const item = parsePortItem(raw.trim(), text);
      if (!item.ok) return item;
      acc = acc.union(item.set);
    }
    return { ok: true, set: new PortSet(acc) };
  }

  /**
   * Azure's plural form (destinationPortRanges): the union of every item. An empty list is
   * the empty set; whether that is legal is the caller's decision.
   */
  static parseList(items: ReadonlyArray<string>): ParsedPorts {
    let acc = PortSet.EMPTY;
    for (const item of items) {
      const parsed = PortSet.parse(item);
      if (!parsed.ok) return parsed;
      acc = acc.union(parsed.set);
    }
    return { ok: true, set: acc };
  }

  /** The lowest port, or undefined when empty. */
  sample(): number | undefined {
    return this.lowest();
  }

  /** Azure's effective-rules view: every interval as "lo-hi", even single ports ("456-456"). */
  ranges(): string[] {
    return this.set.intervals().map(([lo, hi]) => `${lo}-${hi}`);
  }

  /** Azure notation: "*" for all ports, otherwise "80,443,8000-8100"; "(none)" when empty. */
  override toString(): string {
    if (this.isEmpty()) return "(none)";
    if (this.isAll()) return "*";
    return this.set
      .intervals()
      .map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`))
      .join(",");
  }
}

/** One list item: "*", "N" or "N-M". `whole` is the full text, for error messages. */
function parsePortItem(
  item: string,
  whole: string,
): { ok: true; set: IntervalSet } | { ok: false; error: string } {
  if (item === "*") return { ok: true, set: IntervalSet.ofNumbers(PORT_MIN, PORT_MAX) };
  if (item === "") return { ok: false, error: `"${whole}" has an empty port range item` };
  const match = /^([0-9]+)(?:-([0-9]+))?$/.exec(item);
  if (match === null) {
    return { ok: false, error: `"${item}" is not a port, a port range or "*"` };
  }
  const lo = Number(match[1]);
  const hi = match[2] === undefined ? lo : Number(match[2]);
  if (lo > PORT_MAX || hi > PORT_MAX) {
    return { ok: false, error: `"${item}" is outside the port range 0-65535` };
  }
  if (lo > hi) {
    return { ok: false, error: `"${item}" is a reversed port range (start ${lo} is above end ${hi})` };
  }
  return { ok: true, set: IntervalSet.ofNumbers(lo, hi) };
}
