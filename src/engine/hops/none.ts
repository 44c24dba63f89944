/** Next hop None: Azure drops the packets (a user route to None, or a system route for a reserved prefix). */
import type { HopHandler } from "../walk";

export const toNone: HopHandler = (w, st, use) => w.finish(st, { kind: "Dropped", reason: "NoneRoute", route: use, detail: "the route's next hop is None" });
