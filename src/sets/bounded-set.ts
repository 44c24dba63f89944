/**
 * The set operations shared by the small numeric sets (ports 0..65535, IP protocols 0..255): an immutable
 * IntervalSet within a fixed universe. Subclasses add parsing, sampling and printing.
 */
import { IntervalSet } from "./interval-set";

export abstract class BoundedSet<T extends BoundedSet<T>> {
  protected constructor(protected readonly set: IntervalSet) {}

  /** Every value this kind of set may hold. */
  protected abstract universe(): IntervalSet;
  protected abstract wrap(set: IntervalSet): T;

  get intervalSet(): IntervalSet {
    return this.set;
  }

  /** Returns an operand itself when the result equals it: no allocation on the common no-change path. */
  private reuse(s: IntervalSet, other: T): T {
    return s === this.set ? (this as unknown as T) : s === other.set ? other : this.wrap(s);
  }

  union(other: T): T {
    return this.reuse(this.set.union(other.set), other);
  }

  intersect(other: T): T {
    return this.reuse(this.set.intersect(other.set), other);
  }

  subtract(other: T): T {
    return this.reuse(this.set.subtract(other.set), other);
  }

  complement(): T {
    return this.wrap(this.universe().subtract(this.set));
  }

  overlaps(other: T): boolean {
    return this.set.overlaps(other.set);
  }

  equals(other: T): boolean {
    return this.set.equals(other.set);
  }

  isSubsetOf(other: T): boolean {
    return this.set.isSubsetOf(other.set);
  }

  isEmpty(): boolean {
    return this.set.isEmpty();
  }

  isAll(): boolean {
    return this.set.equals(this.universe());
  }

  contains(n: number): boolean {
    return Number.isInteger(n) && this.set.containsNumber(n);
  }

  size(): number {
    return Number(this.set.size());
  }

  key(): string {
    return this.set.key();
  }

  /** The lowest member, or undefined when empty. */
  protected lowest(): number | undefined {
    return this.set.minNumber();
  }
}
