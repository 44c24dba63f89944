/**
 * The composition root (issue 14 point 7): records -> topology -> engine env, one function used by the CLI
 * (src/cli/input.ts), the pack (policy-pack/policies/stack-model.ts) and the bench (bench/pipeline.ts), so that none
 * of them names an adapter.
 */
import type { Diagnostic } from "../model/diagnostic";
import type { Topology } from "../model/topology";
import type { ResourceRecord } from "../resources/record";
import { engineEnv, type EngineEnv } from "../engine/nsg";
import { unresolvedServiceTags, type ServiceTagCatalog } from "../azure/service-tags";
import { PROVIDERS, type ProviderAdapter } from "./registry";

/**
 * Records -> topology. One provider today reads the whole plan (see ProviderAdapter.buildTopology); when a second
 * row is added, records are split by package here and the topologies merged (not written yet: there is no second
 * adapter to merge).
 */
export function composeTopology(records: readonly ResourceRecord[], providers: readonly ProviderAdapter[] = PROVIDERS): Topology {
  if (providers.length !== 1) throw new Error(`composeTopology: merging ${providers.length} providers' topologies is not written yet`);
  return providers[0].buildTopology(records);
}

export interface ComposedStack {
  readonly topology: Topology;
  readonly env: EngineEnv;
  /** The topology's diagnostics (adapter), then the service tags the plan names that the catalog lacks. */
  readonly modelDiagnostics: readonly Diagnostic[];
  readonly tagDiagnostics: readonly Diagnostic[];
}

/** Records and a service tag catalog -> topology, engine env and the model's diagnostics. */
export function composeStack(records: readonly ResourceRecord[], catalog: ServiceTagCatalog): ComposedStack {
  const topology = composeTopology(records);
  return composeFrom(topology, catalog);
}

/** Topology -> env and diagnostics, for a caller that built (and cached) the topology itself. */
function composeFrom(topology: Topology, catalog: ServiceTagCatalog): ComposedStack {
  return { topology, env: engineEnv(topology, catalog), modelDiagnostics: topology.diagnostics, tagDiagnostics: unresolvedServiceTags(topology, catalog) };
}

/** Topology and catalog -> engine env (the pack caches topology and env separately, per catalog). */
export function composeEnv(topology: Topology, catalog: ServiceTagCatalog): EngineEnv {
  return engineEnv(topology, catalog);
}
