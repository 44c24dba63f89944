/**
 * The hop handlers, one row per next hop type a route may name (routing.ts, EffectiveNextHopType). The walk
 * (forward.ts) looks the route's next hop type up here; a new kind of next hop (a NAT gateway, a load balancer
 * frontend) is a handler file in this folder and one row, and a next hop type without a row does not compile.
 */
import type { HopTable } from "../walk";
import { toAppliance } from "./appliance";
import { toGateway } from "./gateway";
import { toInternet } from "./internet";
import { toNone } from "./none";
import { toPeer } from "./peering";
import { toPrivateEndpoint } from "./private-endpoint";
import { toService } from "./service-endpoint";
import { toVnetLocal } from "./vnet-local";

export const HOP_HANDLERS: HopTable = {
  None: toNone,
  Internet: toInternet,
  VirtualNetworkGateway: toGateway,
  VnetLocal: toVnetLocal,
  VNetPeering: toPeer,
  VirtualAppliance: toAppliance,
  InterfaceEndpoint: toPrivateEndpoint,
  VirtualNetworkServiceEndpoint: toService,
};
