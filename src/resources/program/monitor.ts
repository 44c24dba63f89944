import type { MockedResource, MockRequest } from "./mock-state";
import type {
  Callback,
  Mocks,
  PulumiSdk,
  ProtoStruct,
  RegisterResourceOutputsRequest,
  RegisterResourceRequest,
  RegisterResourceResponse,
} from "./sdk";
import { makeUrn } from "./urn";
import type { WireObject } from "./values";

/** One registerResource request as the engine would have seen it, plus the mock's answer. */
export interface Registration {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly parent: string | undefined;
  readonly dependencies: string[];
  /** As sent, empty lists included. */
  readonly propertyDependencies: Record<string, string[]>;
  /** Wire form: unknowns are sentinel strings. */
  readonly inputs: WireObject;
  readonly id: string | undefined;
  readonly state: WireObject;
  /** The state is azure-native's preview outputs (see mock-state.ts). */
  readonly shaped: boolean;
}

export interface Capture {
  /** In registration order. */
  readonly registrations: Registration[];
  /** registerOutputs of components and of the stack, by URN. */
  readonly outputs: Map<string, WireObject>;
}

export interface MonitorContext {
  readonly project: string;
  readonly stack: string;
  readonly mock: (req: MockRequest) => MockedResource;
}

function structToObject(s: ProtoStruct | undefined): WireObject {
  const v = s?.toJavaScript();
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as WireObject) : {};
}

function propertyDependencies(req: RegisterResourceRequest): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((urns, key) => {
    out[key] = urns.getUrnsList();
  });
  return out;
}

function errorOf(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/**
 * A MockMonitor that records every registration with what the mock API hides (parent, dependencies,
 * propertyDependencies, inputs with unknowns still in place), builds URNs the way the engine does, and answers
 * from `ctx.mock`. It answers registrations itself instead of through `Mocks.newResource`, because that hook only
 * sees inputs after the SDK has turned unknowns into `undefined`-like markers.
 */
export function createCapturingMonitor(sdk: PulumiSdk, mocks: Mocks, ctx: MonitorContext): { monitor: object; capture: Capture } {
  const capture: Capture = { registrations: [], outputs: new Map() };
  const seen = new Set<string>();

  class CapturingMonitor extends sdk.MockMonitor {
    /** Used by the base class for reads (`Resource.get`); same URN scheme as registrations. */
    newUrn(parent: string, type: string, name: string): string {
      return makeUrn(ctx.stack, ctx.project, parent || undefined, type, name);
    }

    override async registerResource(req: RegisterResourceRequest, callback: Callback<RegisterResourceResponse>): Promise<void> {
      try {
        const type = req.getType();
        const name = req.getName();
        const parent = req.getParent() || undefined;
        const urn = makeUrn(ctx.stack, ctx.project, parent, type, name);
        // The engine refuses a second resource with the same URN; so does this monitor, with the engine's words.
        if (seen.has(urn)) throw new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`);
        seen.add(urn);
        const custom = req.getCustom();
        const inputs = structToObject(req.getObject());
        const answer = ctx.mock({ type, name, custom, inputs });
        capture.registrations.push({
          urn,
          type,
          name,
          custom,
          parent,
          dependencies: req.getDependenciesList(),
          propertyDependencies: propertyDependencies(req),
          inputs,
          id: answer.id,
          state: answer.state,
          shaped: answer.shaped ?? false,
        });
        this.resources.set(urn, { urn, id: answer.id ?? null, state: answer.state });
        const response = sdk.newRegisterResourceResponse();
        response.setUrn(urn);
        // An empty id during a preview is how the engine says "not known yet".
        response.setId(answer.id ?? "");
        response.setObject(sdk.structFromJavaScript(answer.state));
        callback(null, response);
      } catch (e) {
        callback(errorOf(e), undefined);
      }
    }

    override registerResourceOutputs(req: RegisterResourceOutputsRequest, callback: Callback<object>): void {
      capture.outputs.set(req.getUrn(), structToObject(req.getOutputs()));
      super.registerResourceOutputs(req, callback);
    }
  }

  return { monitor: new CapturingMonitor(mocks), capture };
}
