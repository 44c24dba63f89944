/**
 * The azure-native adapter: ResourceRecords -> the vendor-neutral Topology.
 * Order matters only for references: everything referable is registered before anything is resolved.
 */
import type { Topology } from "../../model/topology";
import type { ResourceRecord } from "../../resources/record";
import { buildAsgs } from "./asg";
import { createContext } from "./context";
import { registerTopLevel } from "./entities";
import { checkFieldShapes } from "./field-shapes";
import { buildGateways } from "./gateway";
import { buildLoadBalancers } from "./load-balancer";
import { buildNics } from "./nic";
import { buildNsgs } from "./nsg";
import { buildPeerings, collectPeerings } from "./peering";
import { buildPublicIps } from "./public-ip";
import { buildRouteTables, collectRoutes } from "./route-table";
import { collectSecurityRules } from "./security-rule";
import { buildSubnets, collectSubnets } from "./subnet";
import { buildVms, nicOwners } from "./vm";
import { buildVnets } from "./vnet";

export { AZURE_NATIVE_TYPES, kindOfType, matchesType, parseTypeToken, type ResourceKind } from "./types";
export { normalizeArmId } from "./context";
export { parseArmId } from "./refs";

export function buildTopology(records: readonly ResourceRecord[]): Topology {
  // Malformed fields become Unknowns, reported, before anything reads them (field-shapes.ts).
  const shaped = checkFieldShapes(records);
  const ctx = createContext(shaped.records);
  ctx.diagnostics.push(...shaped.diagnostics);
  registerTopLevel(ctx);
  const subnetDrafts = collectSubnets(ctx);
  const peeringDrafts = collectPeerings(ctx);
  const ruleDrafts = collectSecurityRules(ctx);
  const routeDrafts = collectRoutes(ctx);

  const vnets = buildVnets(ctx, subnetDrafts, peeringDrafts);
  const subnets = buildSubnets(ctx, subnetDrafts);
  const peerings = buildPeerings(ctx, peeringDrafts);
  const asgs = buildAsgs(ctx);
  const nsgs = buildNsgs(ctx, ruleDrafts);
  const routeTables = buildRouteTables(ctx, routeDrafts);
  const publicIps = buildPublicIps(ctx);
  const loadBalancers = buildLoadBalancers(ctx);
  const vms = buildVms(ctx);
  const nics = buildNics(ctx, nicOwners(ctx, vms), subnets);
  const gateways = buildGateways(ctx);

  return {
    vnets,
    subnets,
    nics,
    nsgs,
    asgs,
    routeTables,
    peerings,
    vms,
    publicIps,
    gateways,
    loadBalancers,
    diagnostics: ctx.diagnostics,
  };
}
