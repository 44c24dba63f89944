/**
 * The ways in at a public address that translate the destination (entry.ts), in the order trace asks them. A new
 * kind is a file in this folder and one row.
 */
import { NO_HINTS, type InputHints } from "../../model/input-hints";
import type { Nic, Topology } from "../../model/topology";
import type { EntryKind, TranslatedInto } from "./entry";
import { FIREWALL_DNAT } from "./firewall-dnat";

export const ENTRIES: readonly EntryKind[] = [FIREWALL_DNAT];

/** Every entry's flows from outside that may be translated to an address of the NIC. */
export function translatedInto(topo: Topology, nic: Nic, hints: InputHints = NO_HINTS): readonly TranslatedInto[] {
  return ENTRIES.flatMap((e) => e.into(topo, nic, hints));
}

/** A key for NIC classes: a NIC some entry translates to is its own class (the entry names one address). */
export function translatedKey(topo: Topology, nic: Nic): string {
  return translatedInto(topo, nic).length > 0 ? `dnat:${nic.key}` : "";
}
