/**
 * A way into the plan's networks at a public address that translates the destination (an Azure Firewall's DNAT
 * rules today; a NAT rule of another kind of appliance next). Each kind is a file in this folder and one row of
 * table.ts: trace follows the translated leg, intents mark the flows it may bring to a NIC as undecided, naming it,
 * and NIC classes keep such NICs apart. The walk itself knows nothing of it.
 */
import type { Nic, Topology } from "../../model/topology";
import type { InputHints } from "../../model/input-hints";
import type { Unknown } from "../../model/unknown";
import type { FlowSet } from "../../sets/flow-set";
import type { RoutingOptions } from "../effective-routes";
import type { EngineEnv } from "../nsg";
import type { Endpoint, Resolved, TraceOutcome, TraceRequest, TraceWalk } from "../trace-types";
import type { ForwardResult } from "../walk";

/** Flows from outside an entry may translate to an address of a NIC, and why they are undecided for intents. */
export interface TranslatedInto {
  /** Translated flows: destination the NIC's address, the rule's protocols, the translated port. */
  readonly flows: FlowSet;
  readonly cause: Unknown;
}

/** What trace lends an entry to build its leg (passed in, so an entry does not import the trace). */
export interface TraceKit {
  /** An endpoint by name or address, as trace resolves `--from` and `--to`. */
  resolve(ref: string): Resolved;
  /** The answer from the walked paths: `target` the end they answer for, `asked` the destination as asked. */
  decide(target: Endpoint, asked: Endpoint, sourcePort: number | undefined, result: ForwardResult<FlowSet>): TraceWalk;
}

export interface EntryKind {
  readonly name: string;
  /**
   * The trace of a question whose destination (`req.to`) is this entry's public address, from `from` (resolved);
   * undefined when the destination is not this entry's.
   */
  trace(env: EngineEnv, req: TraceRequest, from: Endpoint, options: RoutingOptions, kit: TraceKit): TraceOutcome | undefined;
  /** The flows from outside this entry may translate to an address of the NIC (`hints`: how the user asks more). */
  into(topo: Topology, nic: Nic, hints: InputHints): readonly TranslatedInto[];
}
