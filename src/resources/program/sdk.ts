import Module = require("module");
import * as path from "path";

/**
 * The few pieces of @pulumi/pulumi the runner drives, typed by hand: they are internal modules
 * (`runtime/mocks`, `runtime/settings`, `runtime/stack`, `proto/resource_pb`) with `any`-typed surfaces.
 * Checked against @pulumi/pulumi 3.270.0.
 */
export interface ProtoStruct {
  toJavaScript(): unknown;
}

export interface RegisterResourceRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): ProtoStruct | undefined;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(cb: (urns: { getUrnsList(): string[] }, key: string) => void): void };
}

export interface RegisterResourceOutputsRequest {
  getUrn(): string;
  getOutputs(): ProtoStruct | undefined;
}

export interface RegisterResourceResponse {
  setUrn(urn: string): void;
  setId(id: string): void;
  setObject(obj: ProtoStruct): void;
}

export type Callback<T> = (err: Error | null, response: T | undefined) => void;

export interface MockResourceArgs {
  readonly type: string;
  readonly name: string;
  readonly inputs: unknown;
  readonly custom?: boolean;
  readonly id?: string;
}

export interface Mocks {
  call(args: { token: string; inputs: unknown }): Record<string, unknown>;
  newResource(args: MockResourceArgs): { id: string | undefined; state: Record<string, unknown> };
}

/** The SDK's MockMonitor: the base class the capturing monitor extends. */
export interface MockMonitorBase {
  readonly resources: Map<string, { urn: string; id: string | null; state: unknown }>;
  registerResource(req: RegisterResourceRequest, callback: Callback<RegisterResourceResponse>): Promise<void>;
  registerResourceOutputs(req: RegisterResourceOutputsRequest, callback: Callback<object>): void;
}

/** `mergeOptions(a, b)` of the SDK's index module: how azure-native's constructors add their aliases. */
export type MergeOptions = (a: object | undefined, b: object | undefined) => Record<string, unknown>;

export interface PulumiSdk {
  /** Where @pulumi/pulumi was found (the program's copy, or the runner's). */
  readonly root: string;
  /** The SDK's index module exports (`require("@pulumi/pulumi")`), where packages look `mergeOptions` up per call. */
  readonly index: { mergeOptions: MergeOptions };
  readonly runtime: {
    setMocks(mocks: Mocks, project: string, stack: string, preview: boolean, organization?: string): Promise<void>;
    setAllConfig(config: Record<string, string>, secretKeys?: string[]): void;
    runInPulumiStack(init: () => unknown): Promise<unknown>;
  };
  readonly settings: {
    setMockOptions(monitor: unknown, project: string, stack: string, preview: boolean, organization?: string): void;
    waitForRPCs(): Promise<void>;
  };
  readonly MockMonitor: new (mocks: Mocks) => MockMonitorBase;
  readonly newRegisterResourceResponse: () => RegisterResourceResponse;
  readonly structFromJavaScript: (value: object) => ProtoStruct;
}

type Require = (id: string) => unknown;

/**
 * Loads @pulumi/pulumi from the program's directory when it has its own copy, else the runner's: the program's
 * `import "@pulumi/pulumi"` and the mocks must be the same instance, or the program would talk to no monitor.
 */
export function loadPulumiSdk(programDir: string): PulumiSdk {
  const fromProgram = Module.createRequire(path.join(programDir, "index.ts"));
  let main: string;
  try {
    main = fromProgram.resolve("@pulumi/pulumi");
  } catch {
    main = require.resolve("@pulumi/pulumi");
  }
  const fromSdk: Require = Module.createRequire(main);
  const root = path.dirname(main);
  const load = (sub: string): unknown => fromSdk(path.join(root, sub));
  const index = fromSdk(main) as { runtime: PulumiSdk["runtime"]; mergeOptions: MergeOptions };
  const resproto = load("proto/resource_pb") as { RegisterResourceResponse: new () => RegisterResourceResponse };
  // google-protobuf is the SDK's dependency: resolve it from the SDK so its Struct is the one the SDK decodes.
  const structproto = fromSdk("google-protobuf/google/protobuf/struct_pb") as {
    Struct: { fromJavaScript(value: object): ProtoStruct };
  };
  return {
    root,
    index,
    runtime: index.runtime,
    settings: load("runtime/settings") as PulumiSdk["settings"],
    MockMonitor: (load("runtime/mocks") as { MockMonitor: PulumiSdk["MockMonitor"] }).MockMonitor,
    newRegisterResourceResponse: () => new resproto.RegisterResourceResponse(),
    structFromJavaScript: (value) => structproto.Struct.fromJavaScript(value),
  };
}
