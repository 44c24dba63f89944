/**
 * One reading of the stack per AnalyzeStack, shared by the pack's policies: records, topology and engine env are
 * built once, whichever policy asks first.
 *
 * @pulumi/policy deserialises the resources afresh for every policy (new arrays, new objects), so identity cannot
 * key the cache. It keeps the latest stack's raw resources and compares the next call's with them structurally:
 * one walk, far cheaper than records and topology, and exact (a changed value is a miss, never a stale answer).
 * It holds one stack at most, so a long-lived analyzer does not grow.
 */
import * as fs from "fs";
import * as path from "path";
import type { EngineEnv } from "../../src/engine/nsg";
import { composeEnv, composeTopology } from "../../src/providers/compose";
import type { ServiceTagCatalog } from "../../src/azure/service-tags";
import { readServiceTagsFile, type CatalogResult } from "../../src/resources/service-tags-file";
import type { Topology } from "../../src/model/topology";
import type { ResourceRecord } from "../../src/resources/record";
import { rawProps, recordsFromPolicyResources, type PolicyResourceLike } from "../../src/resources/policy-args";
import { mergeStacks } from "../../src/resources/stacks";
import type { Diagnostic } from "../../src/model/diagnostic";
import { NO_OTHER_STACKS, type OtherStacks } from "./other-stacks";
import { PACK_HINTS } from "./input-hints";

export interface StackModel {
  readonly records: readonly ResourceRecord[];
  /** What merging the config's other stacks (`stacks`) had to say. */
  readonly mergeDiagnostics: readonly Diagnostic[];
  /** Built on first use: a policy with nothing to check never pays for it. */
  topology(): Topology;
  /** One env per service tag catalog: the env's caches then serve every policy. */
  env(catalog: ServiceTagCatalog): EngineEnv;
}

/** How often each stage ran since the last reset (tests prove the sharing with it). */
export interface StackModelStats {
  readonly reads: number;
  readonly hits: number;
  readonly topologies: number;
  readonly envs: number;
}

/** The latest stack: per resource its record fields but props (`shell`) and its raw props; and its model. */
interface Snapshot {
  readonly resources: ReadonlyArray<{ readonly shell: readonly unknown[]; readonly raw: unknown }>;
  /** The other stacks' files (other-stacks.ts key). */
  readonly others: string;
  readonly model: StackModel;
}

let latest: Snapshot | undefined;
let stats: StackModelStats = { reads: 0, hits: 0, topologies: 0, envs: 0 };

/** The model of these resources: the cached one when they equal the latest stack's, else a new one. */
export function stackModel(resources: readonly PolicyResourceLike[], others: OtherStacks = NO_OTHER_STACKS): StackModel {
  const snapshot = snapshotOf(resources);
  if (latest !== undefined && latest.others === others.key && sameSnapshot(latest.resources, snapshot)) {
    stats = { ...stats, hits: stats.hits + 1 };
    return latest.model;
  }
  // Drop the previous stack before building the next: at most one is ever held.
  latest = undefined;
  const own = recordsFromPolicyResources(resources);
  const merged = others.stacks.length === 0 ? { records: own, diagnostics: [] } : mergeStacks(own, others.stacks);
  const model = newModel(merged.records, merged.diagnostics);
  stats = { ...stats, reads: stats.reads + 1 };
  latest = { resources: snapshot, others: others.key, model };
  return model;
}

export function stackModelStats(): StackModelStats {
  return stats;
}

/** Forgets the cached stack and zeroes the counters (tests). */
export function resetStackModel(): void {
  latest = undefined;
  catalogs.clear();
  stats = { reads: 0, hits: 0, topologies: 0, envs: 0 };
}

function newModel(records: readonly ResourceRecord[], mergeDiagnostics: readonly Diagnostic[]): StackModel {
  let topology: Topology | undefined;
  const envs = new Map<ServiceTagCatalog, EngineEnv>();
  const model: StackModel = {
    records,
    mergeDiagnostics,
    topology: () => {
      if (topology === undefined) {
        topology = composeTopology(records);
        stats = { ...stats, topologies: stats.topologies + 1 };
      }
      return topology;
    },
    env: (catalog) => {
      let env = envs.get(catalog);
      if (env === undefined) {
        env = composeEnv(model.topology(), catalog, PACK_HINTS);
        envs.set(catalog, env);
        stats = { ...stats, envs: stats.envs + 1 };
      }
      return env;
    },
  };
  return model;
}

function snapshotOf(resources: readonly PolicyResourceLike[]): Snapshot["resources"] {
  return resources.map((r) => ({ shell: shellOf(r), raw: [rawProps(r.props), rawProps(r.plannedInputs)] }));
}

/** Everything but the props that a record is made of, as plain values. */
function shellOf(r: PolicyResourceLike): unknown[] {
  const refUrn = (d: unknown): unknown => (d !== null && typeof d === "object" ? (d as { urn?: unknown }).urn : d);
  const refs = (list: unknown): unknown => (Array.isArray(list) ? list.map(refUrn) : list);
  const deps = r.propertyDependencies;
  const propertyDependencies =
    deps !== null && typeof deps === "object" ? Object.keys(deps).map((k) => [k, refs((deps as Record<string, unknown>)[k])]) : deps;
  const hasProvider = "provider" in r;
  return [r.type, r.urn, r.name, refUrn(r.parent), refs(r.dependencies), propertyDependencies, r.custom, hasProvider, hasProvider && r.provider !== undefined && r.provider !== null];
}

function sameSnapshot(a: Snapshot["resources"], b: Snapshot["resources"]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (!sameValue(a[i].shell, b[i].shell) || !sameValue(a[i].raw, b[i].raw)) return false;
  }
  return true;
}

/**
 * Structural equality of raw (JSON-like) values, strict where conversion could tell them apart: key order,
 * holes, anything that is not a plain object or array (compared by identity only).
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && sameArray(a, b);
  if (Array.isArray(b) || Object.getPrototypeOf(a) !== Object.prototype || Object.getPrototypeOf(b) !== Object.prototype) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const kx = Object.keys(x);
  const ky = Object.keys(y);
  if (kx.length !== ky.length) return false;
  for (let i = 0; i < kx.length; i++) {
    const k = kx[i];
    if (k !== ky[i] || !sameValue(x[k], y[k])) return false;
  }
  return true;
}

function sameArray(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (!sameValue(a[i], b[i])) return false;
    if (a[i] === undefined && i in a !== i in b) return false;
  }
  return true;
}

/** Loaded catalogs by file (resolved path, size and modification time): both policies get the same object. */
const catalogs = new Map<string, Extract<CatalogResult, { ok: true }>>();
const MAX_CATALOGS = 4;

/** readServiceTagsFile, with successful loads kept while the file is unchanged; failures are never kept. */
export function loadServiceTags(file: string): CatalogResult {
  const key = fileKey(file);
  const cached = key === undefined ? undefined : catalogs.get(key);
  if (cached !== undefined) return cached;
  const loaded = readServiceTagsFile(file);
  if (loaded.ok && key !== undefined) {
    if (catalogs.size >= MAX_CATALOGS) catalogs.clear();
    catalogs.set(key, loaded);
  }
  return loaded;
}

function fileKey(file: string): string | undefined {
  try {
    const st = fs.statSync(file);
    return `${path.resolve(file)}\0${st.size}\0${st.mtimeMs}\0${st.ino}`;
  } catch {
    return undefined;
  }
}
