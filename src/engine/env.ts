/**
 * The engine's environment (topology, service tags, caches) and what NSG and admin-rule compilation share: the
 * VirtualNetwork / Internet tag context of a NIC's subnet and the "tag place" key it is cached under.
 */
import type { Nic, Subnet, Topology } from "../model/topology";
import { isUnknown, unknown } from "../model/unknown";
import { tagContextForSubnet, undecidedTagContext, type TagContext } from "./address-context";
import { memoKind, memoStore, type MemoStore } from "./memo";
import type { ServiceTagCatalog } from "../azure/service-tags";
import { NO_HINTS, type InputHints } from "../model/input-hints";
import { subnetOfNic } from "./topology-queries";

/**
 * Engine inputs that do not change between queries, and the one store of what is computed from them. The service
 * tag catalog is read from here only (routing, rule compilation, intents' selectors and the checks): one channel.
 */
export interface EngineEnv {
  readonly topo: Topology;
  readonly tags: ServiceTagCatalog;
  /** How the front end's user supplies missing inputs (its flags or config keys), for the notes that ask for them. */
  readonly hints: InputHints;
  /** Values computed once per environment, keyed by declared dependencies (memo.ts). */
  readonly memo: MemoStore;
}

export function engineEnv(topo: Topology, tags: ServiceTagCatalog, hints: InputHints = NO_HINTS): EngineEnv {
  return { topo, tags, hints, memo: memoStore() };
}

export function tagContextForNic(env: EngineEnv, nic: Nic): TagContext {
  const subnet = subnetOfNic(env.topo, nic);
  if (isUnknown(subnet)) return undecidedTagContext(subnet);
  if (!subnet) return undecidedTagContext(unknown(".ipConfigurations[0].subnet", nic.urn, "the NIC has no subnet"));
  return tagContextAtSubnet(env, subnet);
}

/**
 * The tag context of a subnet, one object per tag place (tagPlaceKey): subnets of one VNet and route table read the
 * VirtualNetwork and Internet tags alike, so the checks that group places by tag context group them by place.
 */
export function tagContextAtSubnet(env: EngineEnv, subnet: Subnet): TagContext {
  return env.memo(TAG_CONTEXT({ place: tagPlaceKey(env.topo, subnet) }), () => tagContextForSubnet(env.topo, subnet));
}

/** The tag context of a tag place (tagPlaceKey: what the VirtualNetwork and Internet tags read there). */
const TAG_CONTEXT = memoKind<{ place: string }, TagContext>("tag-context", ["place"]);

/**
 * What the VirtualNetwork and Internet tags depend on for a subnet (address-context.ts): its VNet (address space and
 * peerings) and its route table (user route prefixes). Subnets of one VNet with one route table read an NSG alike,
 * so they share its compilation. A subnet whose VNet or table is not a known entity stands alone.
 */
export function tagPlaceKey(topo: Topology, subnet: Subnet): string {
  const vnetKey = subnet.vnetKey;
  const tableKey = subnet.routeTableKey;
  if (typeof vnetKey !== "string" || !topo.vnets.has(vnetKey) || isUnknown(tableKey)) return `subnet:${subnet.key}`;
  return `vnet:${vnetKey}|table:${tableKey ?? "-"}`;
}

/** The tag place (tagPlaceKey) of a NIC's subnet: "?" when the subnet is unknown, "-" when it has none. */
export function nicTagPlace(topo: Topology, nic: Nic): string {
  const subnet = subnetOfNic(topo, nic);
  return isUnknown(subnet) ? "?" : subnet ? tagPlaceKey(topo, subnet) : "-";
}
