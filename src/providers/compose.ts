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
import { NO_HINTS, type InputHints } from "../model/input-hints";
import { mergeTopologies } from "./merge";
import { PROVIDERS, type ProviderAdapter } from "./registry";

/**
 * Records -> topology: every provider of the registry reads the whole plan (references cross packages), told which
 * packages the other rows read, and their topologies are merged (merge.ts; one provider's is returned as it is).
 */
export function composeTopology(records: readonly ResourceRecord[], providers: readonly ProviderAdapter[] = PROVIDERS): Topology {
  const built = providers.map((p) => p.buildTopology(records, { readElsewhere: new Set(providers.filter((o) => o !== p).map((o) => o.pkg)) }));
  return mergeTopologies(built);
}

export interface ComposedStack {
  readonly topology: Topology;
  readonly env: EngineEnv;
  /** The topology's diagnostics (adapter), then the service tags the plan names that the catalog lacks. */
  readonly modelDiagnostics: readonly Diagnostic[];
  readonly tagDiagnostics: readonly Diagnostic[];
}

/**
 * Records, a service tag catalog and the front end's input hints (how its user gives what the plan lacks: the CLI's
 * flags, the pack's config keys; src/model/input-hints.ts) -> topology, engine env and the model's diagnostics.
 */
export function composeStack(records: readonly ResourceRecord[], catalog: ServiceTagCatalog, hints: InputHints = NO_HINTS): ComposedStack {
  const topology = composeTopology(records);
  return composeFrom(topology, catalog, hints);
}

/** Topology -> env and diagnostics, for a caller that built (and cached) the topology itself. */
function composeFrom(topology: Topology, catalog: ServiceTagCatalog, hints: InputHints): ComposedStack {
  return { topology, env: engineEnv(topology, catalog, hints), modelDiagnostics: topology.diagnostics, tagDiagnostics: unresolvedServiceTags(topology, catalog, hints) };
}

/** Topology, catalog and input hints -> engine env (the pack caches topology and env separately, per catalog). */
export function composeEnv(topology: Topology, catalog: ServiceTagCatalog, hints: InputHints = NO_HINTS): EngineEnv {
  return engineEnv(topology, catalog, hints);
}
