/** Exact set algebra over addresses, ports, protocols and flows. */
export * from "./interval-set";
export * from "./ip-family";
export * from "./ip";
export * from "./ip-set";
export * from "./port-set";
export * from "./protocol-set";
export * from "./flow";
export * from "./flow-set";
