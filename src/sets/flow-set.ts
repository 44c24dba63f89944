/**
 * Exact sets of flows: a union of cubes, each cube a product of five dimension sets
 * (source, destination, protocols, source ports, destination ports).
 * Invariants: cubes are never empty (dropped eagerly) and are pairwise disjoint, which
 * every operation preserves (union adds only what is new, subtract and intersect split).
 */
import { type Flow, hasPorts } from "./flow";
import { addressValue, notAnAddress } from "./ip";
import { IpSet } from "./ip-set";
import { PortSet } from "./port-set";
import { ProtocolSet } from "./protocol-set";

export interface FlowCube {
  readonly src: IpSet;
  readonly dst: IpSet;
  readonly protocols: ProtocolSet;
  readonly srcPorts: PortSet;
  readonly dstPorts: PortSet;
}

export type FlowDimension = keyof FlowCube;

/**
 * Dimension order for intersect/subtract: the cheap, most often disjoint dimensions first,
 * so that the common "no overlap" case exits early.
 */
const DIMENSIONS: ReadonlyArray<FlowDimension> = ["protocols", "dstPorts", "srcPorts", "dst", "src"];

/** The operations every dimension set shares; lets cube code be written once for all five. */
interface DimensionSet {
  union(other: DimensionSet): DimensionSet;
  intersect(other: DimensionSet): DimensionSet;
  subtract(other: DimensionSet): DimensionSet;
  overlaps(other: DimensionSet): boolean;
  isEmpty(): boolean;
  equals(other: DimensionSet): boolean;
  key(): string;
}

/** Every cube is made here: one object shape (same keys, same order), which V8 handles fastest. */
function makeCube(src: IpSet, dst: IpSet, protocols: ProtocolSet, srcPorts: PortSet, dstPorts: PortSet): FlowCube {
  return { src, dst, protocols, srcPorts, dstPorts };
}

// The dimension named by a variable, by a switch rather than `cube[d]`: a keyed load with changing keys is slow.
function dim(cube: FlowCube, d: FlowDimension): DimensionSet {
  switch (d) {
    case "protocols":
      return cube.protocols;
    case "dstPorts":
      return cube.dstPorts;
    case "srcPorts":
      return cube.srcPorts;
    case "dst":
      return cube.dst;
    default:
      return cube.src;
  }
}

/** Replaces one dimension; `value` always comes from the same dimension of another cube. */
function withDim(c: FlowCube, d: FlowDimension, value: DimensionSet): FlowCube {
  switch (d) {
    case "protocols":
      return makeCube(c.src, c.dst, value as ProtocolSet, c.srcPorts, c.dstPorts);
    case "dstPorts":
      return makeCube(c.src, c.dst, c.protocols, c.srcPorts, value as PortSet);
    case "srcPorts":
      return makeCube(c.src, c.dst, c.protocols, value as PortSet, c.dstPorts);
    case "dst":
      return makeCube(c.src, value as IpSet, c.protocols, c.srcPorts, c.dstPorts);
    default:
      return makeCube(value as IpSet, c.dst, c.protocols, c.srcPorts, c.dstPorts);
  }
}

const FULL_CUBE: FlowCube = makeCube(IpSet.all(), IpSet.all(), ProtocolSet.all(), PortSet.all(), PortSet.all());

export class FlowSet {
  private static readonly EMPTY = new FlowSet([]);
  private static readonly ALL = new FlowSet([FULL_CUBE]);

  private readonly list: ReadonlyArray<FlowCube>;

  /** Callers guarantee every cube is non-empty. */
  private constructor(cubes: ReadonlyArray<FlowCube>) {
    // Every caller hands over an array of its own (built for this set): frozen in place, no copy.
    this.list = Object.freeze(cubes);
    Object.freeze(this);
  }

  static empty(): FlowSet {
    return FlowSet.EMPTY;
  }

  static all(): FlowSet {
    return FlowSet.ALL;
  }

  /** A single cube; missing dimensions mean "everything". */
  static cube(partial: Partial<FlowCube>): FlowSet {
    const cube = fullIn(onlyDimensions(partial) ? partial : definedOnly(partial));
    return isCubeEmpty(cube) ? FlowSet.EMPTY : new FlowSet([cube]);
  }

  /** Union of arbitrary cubes (empty ones are dropped). */
  static fromCubes(cubes: ReadonlyArray<Partial<FlowCube>>): FlowSet {
    return cubes.reduce((acc, c) => acc.union(FlowSet.cube(c)), FlowSet.EMPTY);
  }

  cubes(): ReadonlyArray<FlowCube> {
    return this.list;
  }

  isEmpty(): boolean {
    return this.list.length === 0;
  }

  /** this + (other \ this), so the cubes stay pairwise disjoint. */
  union(other: FlowSet): FlowSet {
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    const added = subtractCubes(other.list, this.list);
    if (added.length === 0) return this;
    return new FlowSet(mergeCubes([...this.list, ...added]));
  }

  intersect(other: FlowSet): FlowSet {
    // Cubes are pairwise disjoint, so a ∩ a is piece for piece a's own cubes: a itself (the same cubes as before).
    if (this === other) return this;
    // Indexed loops here and below: for-of over the frozen cube arrays allocated an iterator result per step.
    const xs = this.list;
    const ys = other.list;
    const out: FlowCube[] = [];
    for (let i = 0; i < xs.length; i++) {
      const a = xs[i] as FlowCube;
      for (let j = 0; j < ys.length; j++) {
        const c = intersectCubes(a, ys[j] as FlowCube);
        if (c !== undefined) out.push(c);
      }
    }
    // Every cube inside the other set (each piece is the cube itself): the same set, already merged.
    if (samePieces(out, xs)) return this;
    return out.length === 0 ? FlowSet.EMPTY : new FlowSet(mergeCubes(out));
  }

  subtract(other: FlowSet): FlowSet {
    if (this.isEmpty() || other.isEmpty()) return this;
    if (this === other) return FlowSet.EMPTY;
    const out = subtractCubes(this.list, other.list);
    // No cube was cut (each piece is the cube itself): the same set, already merged.
    if (samePieces(out, this.list)) return this;
    return out.length === 0 ? FlowSet.EMPTY : new FlowSet(mergeCubes(out));
  }

  complement(): FlowSet {
    return FlowSet.all().subtract(this);
  }

  /** Intersection with a single cube (missing dimensions mean "everything"). */
  restrict(partial: Partial<FlowCube>): FlowSet {
    return this.intersect(FlowSet.cube(partial));
  }

  isSubsetOf(other: FlowSet): boolean {
    if (this === other) return true;
    // Per cube, so that the first uncovered cube stops the work; a cube inside one of the other's needs no split.
    const xs = this.list;
    for (let i = 0; i < xs.length; i++) {
      const a = xs[i] as FlowCube;
      if (!insideOneOf(a, other.list) && subtractCubes([a], other.list).length !== 0) return false;
    }
    return true;
  }

  /** Every cube inside a single cube of `other`: a sufficient test of isSubsetOf that allocates nothing. */
  insideCubesOf(other: FlowSet): boolean {
    const xs = this.list;
    for (let i = 0; i < xs.length; i++) if (!insideOneOf(xs[i] as FlowCube, other.list)) return false;
    return true;
  }

  equals(other: FlowSet): boolean {
    if (this === other) return true;
    return this.isSubsetOf(other) && other.isSubsetOf(this);
  }

  overlaps(other: FlowSet): boolean {
    const xs = this.list;
    const ys = other.list;
    for (let i = 0; i < xs.length; i++) {
      const a = xs[i] as FlowCube;
      for (let j = 0; j < ys.length; j++) if (cubesOverlap(a, ys[j] as FlowCube)) return true;
    }
    return false;
  }

  /** Number of flows; exact because cubes are disjoint. */
  size(): bigint {
    return this.list.reduce(
      (acc, c) =>
        acc +
        c.src.size() *
          c.dst.size() *
          BigInt(c.protocols.size()) *
          BigInt(c.srcPorts.size()) *
          BigInt(c.dstPorts.size()),
      0n,
    );
  }

  /** Throws when the flow's addresses are not valid IP addresses. */
  contains(flow: Flow): boolean {
    const { src, dst } = flowAddresses(flow);
    const xs = this.list;
    for (let i = 0; i < xs.length; i++) {
      const c = xs[i] as FlowCube;
      if (c.protocols.contains(flow.protocol) && c.dstPorts.contains(flow.dstPort) && c.srcPorts.contains(flow.srcPort) && c.dst.contains(dst) && c.src.contains(src)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A deterministic member taken from the first cube. For protocols without ports, port 0 is
   * used when the cube allows it, to follow the Flow convention.
   */
  sample(): Flow | undefined {
    const c = this.list[0];
    if (c === undefined) return undefined;
    const protocol = c.protocols.sample() as number;
    const portless = !hasPorts(protocol);
    const port = (set: PortSet): number => (portless && set.contains(0) ? 0 : (set.sample() as number));
    return {
      src: c.src.sample() as string,
      dst: c.dst.sample() as string,
      protocol,
      srcPort: port(c.srcPorts),
      dstPort: port(c.dstPorts),
    };
  }

  sources(): IpSet {
    return this.list.reduce((acc, c) => acc.union(c.src), IpSet.empty());
  }

  destinations(): IpSet {
    return this.list.reduce((acc, c) => acc.union(c.dst), IpSet.empty());
  }

  protocols(): ProtocolSet {
    return this.list.reduce((acc, c) => acc.union(c.protocols), ProtocolSet.empty());
  }

  srcPorts(): PortSet {
    return this.list.reduce((acc, c) => acc.union(c.srcPorts), PortSet.empty());
  }

  dstPorts(): PortSet {
    return this.list.reduce((acc, c) => acc.union(c.dstPorts), PortSet.empty());
  }

  /** One line per cube: "Tcp 10.0.0.0/24:* -> 10.1.0.0/16:80,443", joined with "; ". */
  toString(): string {
    if (this.isEmpty()) return "(none)";
    return this.list
      .map((c) => `${c.protocols} ${c.src}:${c.srcPorts} -> ${c.dst}:${c.dstPorts}`)
      .join("; ");
  }
}

type AddressValue = NonNullable<ReturnType<typeof addressValue>>;

/**
 * A concrete flow is tested against rule after rule (IP flow verify, traces): the addresses of the flow last seen
 * are kept parsed, and parsed again only for another flow object or changed address text.
 */
let lastFlow: Flow | undefined;
let lastParsed: { readonly srcText: string; readonly dstText: string; readonly src: AddressValue; readonly dst: AddressValue } | undefined;

function flowAddresses(flow: Flow): { readonly src: AddressValue; readonly dst: AddressValue } {
  if (flow === lastFlow && lastParsed !== undefined && lastParsed.srcText === flow.src && lastParsed.dstText === flow.dst) return lastParsed;
  const src = addressValue(flow.src);
  if (src === undefined) throw new Error(notAnAddress(flow.src));
  const dst = addressValue(flow.dst);
  if (dst === undefined) throw new Error(notAnAddress(flow.dst));
  lastFlow = flow;
  lastParsed = { srcText: flow.src, dstText: flow.dst, src, dst };
  return lastParsed;
}

const DIMENSION_NAMES: ReadonlySet<string> = new Set(DIMENSIONS);

function onlyDimensions(partial: Partial<FlowCube>): boolean {
  for (const k in partial) if (!DIMENSION_NAMES.has(k)) return false;
  return true;
}

/** The defined dimensions over FULL_CUBE's. */
function fullIn(p: Partial<FlowCube>): FlowCube {
  return makeCube(
    p.src !== undefined ? p.src : FULL_CUBE.src,
    p.dst !== undefined ? p.dst : FULL_CUBE.dst,
    p.protocols !== undefined ? p.protocols : FULL_CUBE.protocols,
    p.srcPorts !== undefined ? p.srcPorts : FULL_CUBE.srcPorts,
    p.dstPorts !== undefined ? p.dstPorts : FULL_CUBE.dstPorts,
  );
}

/** Drops keys explicitly set to undefined so they do not erase the FULL_CUBE defaults. */
function definedOnly(partial: Partial<FlowCube>): Partial<FlowCube> {
  return Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) as Partial<FlowCube>;
}

function isCubeEmpty(c: FlowCube): boolean {
  return DIMENSIONS.some((d) => dim(c, d).isEmpty());
}

function cubesOverlap(a: FlowCube, b: FlowCube): boolean {
  return (
    a.protocols.overlaps(b.protocols) && a.dstPorts.overlaps(b.dstPorts) && a.srcPorts.overlaps(b.srcPorts) && a.dst.overlaps(b.dst) && a.src.overlaps(b.src)
  );
}

function insideOneOf(a: FlowCube, cubes: ReadonlyArray<FlowCube>): boolean {
  for (let j = 0; j < cubes.length; j++) if (cubeInside(a, cubes[j] as FlowCube)) return true;
  return false;
}

/** The pieces are the cubes themselves, in order (nothing was cut). */
function samePieces(pieces: ReadonlyArray<FlowCube>, cubes: ReadonlyArray<FlowCube>): boolean {
  if (pieces.length !== cubes.length) return false;
  for (let i = 0; i < pieces.length; i++) if (pieces[i] !== cubes[i]) return false;
  return true;
}

function cubeInside(a: FlowCube, b: FlowCube): boolean {
  return (
    a.protocols.isSubsetOf(b.protocols) && a.dstPorts.isSubsetOf(b.dstPorts) && a.srcPorts.isSubsetOf(b.srcPorts) && a.dst.isSubsetOf(b.dst) && a.src.isSubsetOf(b.src)
  );
}

/** Undefined when empty; stops at the first disjoint dimension (in DIMENSIONS order); `a` itself when inside b. */
function intersectCubes(a: FlowCube, b: FlowCube): FlowCube | undefined {
  const protocols = a.protocols.intersect(b.protocols);
  if (protocols.isEmpty()) return undefined;
  const dstPorts = a.dstPorts.intersect(b.dstPorts);
  if (dstPorts.isEmpty()) return undefined;
  const srcPorts = a.srcPorts.intersect(b.srcPorts);
  if (srcPorts.isEmpty()) return undefined;
  const dst = a.dst.intersect(b.dst);
  if (dst.isEmpty()) return undefined;
  const src = a.src.intersect(b.src);
  if (src.isEmpty()) return undefined;
  if (protocols === a.protocols && dstPorts === a.dstPorts && srcPorts === a.srcPorts && dst === a.dst && src === a.src) return a;
  return makeCube(src, dst, protocols, srcPorts, dstPorts);
}

/**
 * a \ b, for cubes that overlap, as at most five disjoint cubes appended to `out`, one per dimension in DIMENSIONS
 * order: piece i keeps dimensions before i at a∩b, takes a_i \ b_i in dimension i, and leaves later ones as in a.
 */
function subtractOverlapping(a: FlowCube, b: FlowCube, out: FlowCube[]): void {
  const p = a.protocols.subtract(b.protocols);
  if (!p.isEmpty()) out.push(makeCube(a.src, a.dst, p, a.srcPorts, a.dstPorts));
  const protocols = a.protocols.intersect(b.protocols);
  const dp = a.dstPorts.subtract(b.dstPorts);
  if (!dp.isEmpty()) out.push(makeCube(a.src, a.dst, protocols, a.srcPorts, dp));
  const dstPorts = a.dstPorts.intersect(b.dstPorts);
  const sp = a.srcPorts.subtract(b.srcPorts);
  if (!sp.isEmpty()) out.push(makeCube(a.src, a.dst, protocols, sp, dstPorts));
  const srcPorts = a.srcPorts.intersect(b.srcPorts);
  const d = a.dst.subtract(b.dst);
  if (!d.isEmpty()) out.push(makeCube(a.src, d, protocols, srcPorts, dstPorts));
  const dst = a.dst.intersect(b.dst);
  const s = a.src.subtract(b.src);
  if (!s.isEmpty()) out.push(makeCube(s, dst, protocols, srcPorts, dstPorts));
}

/**
 * Each subtrahend cube is applied to every remaining piece: O(pieces) cube ops per cube. The same pieces in the
 * same order as mapping subtractCube over them, with no array per untouched piece; `from` itself when nothing is cut.
 */
function subtractCubes(from: ReadonlyArray<FlowCube>, cubes: ReadonlyArray<FlowCube>): FlowCube[] {
  let pieces = from as FlowCube[];
  for (let j = 0; j < cubes.length; j++) {
    const b = cubes[j] as FlowCube;
    if (pieces.length === 0) break;
    let next: FlowCube[] | undefined;
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i] as FlowCube;
      if (!cubesOverlap(p, b)) {
        if (next !== undefined) next.push(p);
        continue;
      }
      if (next === undefined) next = pieces.slice(0, i);
      subtractOverlapping(p, b, next);
    }
    if (next !== undefined) pieces = next;
  }
  return pieces;
}

/**
 * Merges cubes equal in all but one dimension (their union is then exactly one cube, and it
 * stays disjoint from the rest). Repeats the per-dimension passes until nothing merges, which
 * keeps sets small after splitting without computing a costly normal form.
 */
function mergeCubes(cubes: FlowCube[]): FlowCube[] {
  // The caller's own array: returned as it is when nothing merges.
  let current = cubes;
  let before = Infinity;
  while (current.length > 1 && current.length < before) {
    before = current.length;
    for (let k = 0; k < DIMENSIONS.length; k++) current = mergeAlong(current, DIMENSIONS[k] as FlowDimension);
  }
  return current;
}

/** Up to this many cubes, groups are found by comparing cubes pairwise (no key strings); above, through a map. */
const PAIRWISE_MERGE_MAX = 16;

function mergeAlong(cubes: ReadonlyArray<FlowCube>, d: FlowDimension): FlowCube[] {
  if (cubes.length <= PAIRWISE_MERGE_MAX) {
    // The same groups, in the same order, as the map below: the first cube equal to `c` in every other dimension.
    // Until a first merge the groups are the cubes seen so far: no array is built unless something merges.
    let found: FlowCube[] | undefined;
    for (let i = 0; i < cubes.length; i++) {
      const c = cubes[i] as FlowCube;
      const groups: ReadonlyArray<FlowCube> = found ?? cubes;
      const count = found === undefined ? i : found.length;
      let k = 0;
      while (k < count && !sameExcept(groups[k] as FlowCube, c, d)) k++;
      if (k === count) {
        if (found !== undefined) found.push(c);
      } else {
        if (found === undefined) found = cubes.slice(0, i);
        const g = found[k] as FlowCube;
        found[k] = withDim(g, d, dim(g, d).union(dim(c, d)));
      }
    }
    return found ?? (cubes as FlowCube[]);
  }
  const groups = new Map<string, FlowCube>();
  for (const c of cubes) {
    const k = keyExcept(c, d);
    const g = groups.get(k);
    groups.set(k, g === undefined ? c : withDim(g, d, dim(g, d).union(dim(c, d))));
  }
  return [...groups.values()];
}

/** Equal in every dimension but `skip` (canonical forms: equal sets, equal keys). */
function sameExcept(a: FlowCube, b: FlowCube, skip: FlowDimension): boolean {
  for (let k = 0; k < DIMENSIONS.length; k++) {
    const d = DIMENSIONS[k] as FlowDimension;
    if (d === skip) continue;
    const x = dim(a, d);
    const y = dim(b, d);
    if (x !== y && !x.equals(y)) return false;
  }
  return true;
}

function keyExcept(c: FlowCube, skip: FlowDimension): string {
  return DIMENSIONS.map((d) => (d === skip ? "" : dim(c, d).key())).join("/");
}
