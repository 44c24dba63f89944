/** Network Watcher's next hop answer as reporters read it (built by engine/next-hop.ts; issue 14 point 6). */
export type { NextHopOutcome, NextHopRequest, NextHopResult } from "../engine/next-hop";
export { SYSTEM_ROUTE } from "../engine/next-hop";
