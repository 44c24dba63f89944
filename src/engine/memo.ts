/**
 * The one cache API of the engine, checks and intents (issue 14, point 3).
 *
 * A cached value is named by a key built from its DECLARED dependencies: a kind is defined once, with the names of
 * everything its value depends on (`memoKind("compiled-nsg", ["nsg", "place", "direction"])`), and a key is made
 * from an object that must give every one of them (the type requires each name; the constructor checks that no
 * extra, undeclared one is passed). So a new dependency is one more name in one place, never a string key that some
 * caller forgets to extend.
 *
 * Values live in a store: one per engine environment (`env.memo`, for values that depend on the topology and the
 * service tag catalog), one per topology (`topoMemo`, for values that depend on the topology only, asked by
 * functions that receive a topology without an environment), and one for values that are pure functions of the
 * objects they are keyed by (`pureMemo`). Object dependencies are held weakly: a topology, NSG or route list that
 * is no longer used is collected with everything cached for it.
 */

/** A dependency: an entity object (held weakly, by identity) or a primitive (an entity key, a direction, a place). */
export type MemoDep = string | number | boolean | bigint | object | null | undefined;

/** A cache key: its kind and its dependencies in the kind's declared order. `T` is the type of the cached value. */
export interface MemoKey<T> {
  readonly kind: string;
  readonly deps: readonly MemoDep[];
  /** Phantom: ties the key to the value type. Never set. */
  readonly value?: T;
}

/** Makes the keys of one kind from an object naming every declared dependency. */
export type MemoKind<D extends Record<string, MemoDep>, T> = (deps: D) => MemoKey<T>;

const KINDS = new Set<string>();

/**
 * Declares a kind of cached value and the names of what it depends on. Kind names are unique in the process (a
 * second definition with the same name throws: two caches sharing a kind would read each other's values).
 */
export function memoKind<D extends Record<string, MemoDep>, T>(kind: string, depNames: readonly (keyof D & string)[]): MemoKind<D, T> {
  if (KINDS.has(kind)) throw new Error(`memo kind "${kind}" is defined twice`);
  KINDS.add(kind);
  const names = [...depNames];
  return (deps: D): MemoKey<T> => {
    let given = 0;
    for (const k in deps) if (Object.prototype.hasOwnProperty.call(deps, k)) given++;
    if (given !== names.length) {
      throw new Error(`memo kind "${kind}" declares dependencies ${names.join(", ")} but was given ${Object.keys(deps).join(", ")}`);
    }
    return { kind, deps: names.map((n) => deps[n]) };
  };
}

interface Node {
  prim?: Map<MemoDep, Node>;
  obj?: WeakMap<object, Node>;
  has: boolean;
  value: unknown;
}

function child(node: Node, dep: MemoDep): Node {
  if (typeof dep === "object" && dep !== null) {
    node.obj ??= new WeakMap();
    let next = node.obj.get(dep);
    if (next === undefined) {
      next = { has: false, value: undefined };
      node.obj.set(dep, next);
    }
    return next;
  }
  node.prim ??= new Map();
  let next = node.prim.get(dep);
  if (next === undefined) {
    next = { has: false, value: undefined };
    node.prim.set(dep, next);
  }
  return next;
}

/** A store of cached values (a trie over the key's kind and dependencies). */
export interface MemoStore {
  <T>(key: MemoKey<T>, make: () => T): T;
}

export function memoStore(): MemoStore {
  const roots = new Map<string, Node>();
  return <T>(key: MemoKey<T>, make: () => T): T => {
    let node = roots.get(key.kind);
    if (node === undefined) {
      node = { has: false, value: undefined };
      roots.set(key.kind, node);
    }
    for (const dep of key.deps) node = child(node, dep);
    if (node.has) return node.value as T;
    const made = make();
    node.has = true;
    node.value = made;
    return made;
  };
}

/** Any object that identifies a topology (the model's Topology); typed loosely so the model does not import this. */
type TopologyLike = object;

const BY_TOPOLOGY = new WeakMap<TopologyLike, MemoStore>();

/** The store of values that depend on one topology only (indexes, per-topology sets). */
export function topoMemo<T>(topo: TopologyLike, key: MemoKey<T>, make: () => T): T {
  let store = BY_TOPOLOGY.get(topo);
  if (store === undefined) {
    store = memoStore();
    BY_TOPOLOGY.set(topo, store);
  }
  return store(key, make);
}

const PURE = memoStore();

/**
 * Values that are pure functions of their dependencies (say, the exceptions of a route list): one store for the
 * process, keyed weakly by the objects, so it needs no owner.
 */
export function pureMemo<T>(key: MemoKey<T>, make: () => T): T {
  return PURE(key, make);
}
