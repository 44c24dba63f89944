import Module = require("module");
import * as path from "path";
import type { PulumiSdk } from "./sdk";

/**
 * Makes the SDK drop resource aliases, and returns the undo.
 *
 * Why (measured with node --cpu-prof and async_hooks on @pulumi/pulumi 3.270 under mocks): every azure-native
 * constructor merges one alias per past API version into its options (`pulumi.mergeOptions(opts, aliasOpts)`, about
 * 60 on a NetworkInterface), and the SDK's Resource constructor turns each alias into a URN through a chain of
 * Outputs: about 7,000 promises per ResourceGroup. Against a real engine those settle as gRPC calls return; under
 * mocks every answer is synchronous, so they all live at once and the garbage collector dominates (1,000 resources:
 * 28 s and 2.8 GB). Aliases only tie a resource to state kept under an older name or type; a run under mocks has no
 * state, and nothing the runner records (ResourceRecord) carries them, so dropping them changes no output.
 */
export function dropAliases(sdk: PulumiSdk): () => void {
  const index = sdk.index;
  const original = index.mergeOptions;
  if (typeof original !== "function") return () => undefined;
  index.mergeOptions = (a, b) => {
    const merged = original(a, b);
    delete merged["aliases"];
    return merged;
  };
  return () => {
    index.mergeOptions = original;
  };
}

/**
 * Sets how many frames an Error captures, and returns the undo. The SDK stores `new Error().stack` on every
 * promise it makes (runtime/debuggable.js, for its leak report, which a run under mocks never prints), and
 * formatting those stacks was the largest single cost after the aliases. The runner reports a program's error by
 * its message alone (errorMessage), so frames are never shown. The SDK's own source positions
 * (Resource.callsites) raise the limit themselves while they read the stack.
 */
export function limitStackTraces(frames: number): () => void {
  const previous = Error.stackTraceLimit;
  Error.stackTraceLimit = frames;
  return () => {
    Error.stackTraceLimit = previous;
  };
}

/** An output resolver as the SDK's `transferProperties` returns them (runtime/rpc.js). */
type Resolver = (value: unknown, isKnown: boolean, isSecret: boolean, deps?: unknown[], err?: unknown) => void;
type TransferProperties = (onto: Record<string, unknown>, label: string, props: Record<string, unknown>) => Record<string, Resolver>;
type OutputConstructor = new (resources: unknown, promise: Promise<unknown>, isKnown: Promise<boolean>, isSecret: Promise<boolean>, deps: Promise<unknown[]>) => unknown;

interface RpcModule {
  transferProperties: TransferProperties;
}

/**
 * Makes the SDK create a resource's output properties when the program first reads them, and returns the undo.
 *
 * Why (node --cpu-prof and a sampling heap profile taken at the 990th of 1,003 registrations, @pulumi/pulumi 3.270):
 * `transferProperties` (runtime/rpc.js) gives every declared property of every resource an Output at once: four
 * promises for it, each wrapped by `debuggablePromise` in two more plus a stack and a leak-set entry, then about
 * eight promises, seven closures and a Proxy inside the Output. A VirtualMachine declares about 50 properties, and a
 * program reads one or two of them (`nic.id`, `rg.name`); the rest were 40% of the live heap and most of the garbage
 * collector's work, and they live as long as the stack (it holds its children). Here each property is an accessor that
 * builds the very same Output on first read and hands it what the registration already answered; until then the
 * answer is kept as it came. A failed registration still rejects every property's promises (it builds them all), so
 * the SDK's deliberately unhandled rejection still reports the failure. The runner records registrations from the
 * monitor, never from these Outputs, so no record changes.
 */
export function lazyOutputs(sdk: PulumiSdk): () => void {
  const fromSdk = Module.createRequire(path.join(sdk.root, "index.js"));
  const rpc = fromSdk(path.join(sdk.root, "runtime", "rpc")) as RpcModule;
  const { Output } = fromSdk(path.join(sdk.root, "output")) as { Output: OutputConstructor };
  const { isGrpcError } = fromSdk(path.join(sdk.root, "errors")) as { isGrpcError: (e: unknown) => boolean };
  const original = rpc.transferProperties;
  if (typeof original !== "function" || typeof Output !== "function" || typeof isGrpcError !== "function") return () => undefined;
  rpc.transferProperties = (onto, label, props) => {
    const resolvers: Record<string, Resolver> = {};
    for (const k of Object.keys(props)) {
      if (k === "id" || k === "urn") continue;
      if (Object.prototype.hasOwnProperty.call(onto, k)) throw new Error(`Property '${k}' is already initialized on target '${label}`);
      resolvers[k] = lazyProperty(Output, onto, k, isGrpcError);
    }
    return resolvers;
  };
  return () => {
    rpc.transferProperties = original;
  };
}

/** One lazy property of `onto` (see lazyOutputs); returns its resolver. */
function lazyProperty(Output: OutputConstructor, onto: Record<string, unknown>, key: string, isGrpcError: (e: unknown) => boolean): Resolver {
  let answer: Parameters<Resolver> | undefined;
  let deliver: Resolver | undefined;
  const build = (): unknown => {
    const settle: Array<[(v: never) => void, (e: unknown) => void]> = [];
    const promise = <T>(): Promise<T> => new Promise<T>((resolve, reject) => void settle.push([resolve as (v: never) => void, reject]));
    const output = new Output(onto, promise<unknown>(), promise<boolean>(), promise<boolean>(), promise<unknown[]>());
    // Replace the accessor by the value, as `onto[k] = new Output(...)` would have left it.
    Object.defineProperty(onto, key, { value: output, writable: true, enumerable: true, configurable: true });
    deliver = (value, isKnown, isSecret, deps = [], err) => {
      if (err) for (const [, reject] of settle) reject(err);
      else [value, isKnown, isSecret, deps].forEach((v, i) => (settle[i]![0] as (x: unknown) => void)(v));
    };
    if (answer !== undefined) deliver(...answer);
    answer = undefined;
    return output;
  };
  Object.defineProperty(onto, key, {
    enumerable: true,
    configurable: true,
    get: build,
    set: (value: unknown) => Object.defineProperty(onto, key, { value, writable: true, enumerable: true, configurable: true }),
  });
  return (value, isKnown, isSecret, deps = [], err) => {
    // As the SDK's own resolver: a gRPC error is the monitor going away, reported elsewhere.
    if (err && isGrpcError(err)) return;
    if (deliver === undefined && err) build();
    if (deliver !== undefined) deliver(value, isKnown, isSecret, deps, err);
    else answer = [value, isKnown, isSecret, deps];
  };
}
