/**
 * AR-041 firewall-dnat-target-missing: an Azure Firewall DNAT rule translates to an address no network interface of
 * the plan holds. The firewall forwards the translated traffic there (learn.microsoft.com/azure/firewall/
 * rule-processing: "NAT rules are applied in priority before network rules"; the translated address is where the
 * traffic goes); with nothing there the published service is unreachable. Like AR-005 for routes: a dynamic address
 * that only may be the target is a risk (medium); an address outside every VNet of the plan (another stack's) cannot
 * be verified here (low).
 */
import { displayName } from "../engine/find";
import { firewallName, orderedFirewallRules } from "../engine/firewall";
import { joinNames, makeFinding, sortedValues, subnetLabel } from "./helpers";
import { holdersOf, inSomeVnet, mayHold, subnetHolding } from "./route-queries";
import type { Check, CheckContext, Finding } from "./types";

export const firewallDnatTargetMissing: Check = {
  id: "AR-041",
  name: "firewall-dnat-target-missing",
  title: "Azure Firewall DNAT rule to an address no NIC holds",
  severity: "high",
  explanation:
    "A DNAT rule translates traffic arriving at the firewall's public IP to its translatedAddress and forwards it " +
    "there. If no network interface has that address, the published service is unreachable; a dynamic address may " +
    "change, so a DNAT target should be static.",
  fix: "Point translatedAddress at the server's static private address, or give the server that static address.",
  run(ctx: CheckContext): Finding[] {
    const topo = ctx.env.topo;
    const model = topo.firewall;
    if (!model) return [];
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const fw of sortedValues(model.firewalls)) {
      for (const o of orderedFirewallRules(model, fw).rules) {
        const r = o.rule;
        const ip = r.translatedAddress;
        if (o.kind !== "Nat" || typeof ip !== "string") continue;
        const key = `${r.place.urn}|${o.collection.name}|${r.name}`;
        if (seen.has(key) || holdersOf(topo, ip).length > 0) continue;
        seen.add(key);
        const where = `Azure Firewall ${firewallName(fw)}: DNAT rule ${r.name} (collection ${o.collection.name}${o.groupName !== undefined ? `, group ${o.groupName}, policy ${o.policyName}` : ""}) translates to ${ip}`;
        const maybe = mayHold(topo, ip);
        const subnet = subnetHolding(topo, ip);
        const [severity, message, details] =
          maybe.length > 0
            ? (["medium", `${where}; no NIC has it as a static address, ${joinNames(maybe.map(displayName))} may get it when dynamic addresses are allocated`, { translatedAddress: ip, indeterminate: true }] as const)
            : subnet || inSomeVnet(topo, ip)
              ? (["high", `${where}, which no NIC in the plan holds${subnet ? ` (in ${subnetLabel(topo, subnet)})` : ""}: the translated traffic reaches nothing`, { translatedAddress: ip, inPlan: true }] as const)
              : (["low", `${where}, outside every virtual network of the plan (a server in another stack?), so it cannot be verified here`, { translatedAddress: ip, inPlan: false }] as const);
        out.push(makeFinding(firewallDnatTargetMissing, { severity, resources: [r.place.urn, fw.urn, ...maybe.map((n) => n.urn)], message, details }));
      }
    }
    return out;
  },
};
