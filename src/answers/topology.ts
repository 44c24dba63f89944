/** What the topology drawing (report/topology-mermaid.ts) asks of the plan: names, lookups, connected peerings. */
export { displayName, findEntity } from "../engine/find";
export { connectedPeerings } from "../engine/topology-queries";
