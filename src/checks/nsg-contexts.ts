/**
 * Where an NSG's rules are read. A rule's flows depend on where the NSG is applied: VirtualNetwork and Internet
 * depend on the subnet, an application security group on the NIC being evaluated. The rule checks compile an
 * NSG once per distinct place it is attached to, and restrict each rule to the addresses it can apply to there
 * (the subnet's range, or the NIC's addresses), so "never matches" means never, wherever the NSG is used.
 */
import { undecidedTagContext, type TagContext } from "../engine/address-context";
import { compiledCustomRules, namesAsg, nicTagPlace, tagContextAtSubnet, tagContextForNic, tagPlaceKey, type EngineEnv } from "../engine/nsg";
import type { CompiledRule } from "../engine/rules";
import { nicAddresses, subnetOfNic } from "../engine/topology-queries";
import type { Direction, Nic, Nsg } from "../model/topology";
import { isUnknown, unknown } from "../model/unknown";
import { FlowSet } from "../sets/flow-set";
import type { IpSet } from "../sets/ip-set";
import { nsgAssociations } from "./helpers";

export interface NsgContext {
  /** "subnet web", "NIC nic-a", or "unattached". */
  readonly label: string;
  readonly tagContext: TagContext;
  /** The tag place (tagPlaceKey, nicTagPlace): places of one key share one tag context and one compilation. */
  readonly placeKey: string;
  /** The NIC the rules are evaluated for (ASG membership is then exact). */
  readonly local?: Nic;
  /** Addresses on the NSG's side of the flow (destination inbound, source outbound); undefined = unconstrained. */
  readonly applied?: IpSet;
}

export interface NsgPlaces {
  readonly contexts: readonly NsgContext[];
  /** False when the NSG is attached to nothing known (contexts then hold one unconstrained context). */
  readonly attached: boolean;
}

export function nsgPlaces(env: EngineEnv, nsg: Nsg): NsgPlaces {
  const topo = env.topo;
  const assoc = nsgAssociations(topo, nsg);
  const contexts: NsgContext[] = [];
  for (const subnet of assoc.subnets) {
    contexts.push({
      label: `subnet ${subnet.logicalName || (isUnknown(subnet.azureName) ? subnet.key : subnet.azureName)}`,
      tagContext: tagContextAtSubnet(env, subnet),
      placeKey: tagPlaceKey(topo, subnet),
      ...(isUnknown(subnet.addressSpace) ? {} : { applied: subnet.addressSpace }),
    });
  }
  // NICs sharing a subnet (and, without ASG rules, everything else the rules depend on) are merged into one place
  // whose addresses are the union of theirs: a rule is dead at every NIC exactly when it is dead on the union.
  const asg = namesAsg(nsg);
  const groups = new Map<string, { nics: Nic[]; applied: IpSet | undefined }>();
  for (const nic of assoc.nics) {
    const subnet = subnetOfNic(topo, nic);
    const sk = isUnknown(subnet) ? "?" : (subnet?.key ?? "-");
    const key = asg ? `${sk}|${nic.key}` : sk;
    const addrs = nicAddresses(topo, nic);
    const applied = addrs.causes.length > 0 && addrs.may.isEmpty() ? undefined : addrs.may;
    const g = groups.get(key);
    if (!g) groups.set(key, { nics: [nic], applied });
    else groups.set(key, { nics: [...g.nics, nic], applied: g.applied === undefined || applied === undefined ? undefined : g.applied.union(applied) });
  }
  for (const { nics, applied } of groups.values()) {
    const first = nics[0];
    contexts.push({
      label: nics.length === 1 ? `NIC ${first.logicalName || first.key}` : `NICs ${nics.map((n) => n.logicalName || n.key).join(", ")}`,
      tagContext: tagContextForNic(env, first),
      placeKey: nicPlaceKey(env, first),
      ...(asg ? { local: first } : {}),
      ...(applied === undefined ? {} : { applied }),
    });
  }
  if (contexts.length === 0) {
    contexts.push({ label: "unattached", placeKey: "unattached", tagContext: undecidedTagContext(unknown(".association", nsg.urn, "the NSG is not associated with any subnet or NIC")) });
    return { contexts, attached: false };
  }
  return { contexts, attached: true };
}

/**
 * A NIC's place key: its subnet's tag place; a NIC whose subnet is unknown or absent stands alone (its tag context
 * names its own unknown value).
 */
function nicPlaceKey(env: EngineEnv, nic: Nic): string {
  const place = nicTagPlace(env.topo, nic);
  return place === "?" || place === "-" ? `nic:${nic.key}` : place;
}

/** The custom rules of one direction in evaluation order, compiled for a context (the engine's shared cache). */
export function compileCustom(env: EngineEnv, nsg: Nsg, direction: Direction, c: NsgContext): CompiledRule[] {
  return compiledCustomRules(env, nsg, direction, c.placeKey, c.tagContext, c.local);
}

/** Flows of `flows` whose NSG-side address lies in the context's applied addresses. */
export function restrictToApplied(flows: FlowSet, direction: Direction, c: NsgContext): FlowSet {
  if (c.applied === undefined) return flows;
  return direction === "Inbound" ? flows.restrict({ dst: c.applied }) : flows.restrict({ src: c.applied });
}
