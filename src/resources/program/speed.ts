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
