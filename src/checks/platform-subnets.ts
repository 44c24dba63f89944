/**
 * Shared by the platform-subnet checks (AR-031..AR-034): subnets by the name Azure reserves for a service, and the
 * NSG associated with them.
 */
import { displayName } from "../engine/find";
import type { Nsg, Subnet, Topology } from "../model/topology";
import { isUnknown } from "../model/unknown";
import { sortedValues, subnetAzureName } from "./helpers";
import { checkRequirement, describeRequired, type RequiredFlow } from "./required-rules";
import type { EngineEnv } from "../engine/nsg";

/** Subnets whose Azure name is `name` (case-insensitive), in key order. */
export function subnetsNamed(topo: Topology, ...names: string[]): Subnet[] {
  const lower = new Set(names.map((n) => n.toLowerCase()));
  return sortedValues(topo.subnets).filter((s) => {
    const n = subnetAzureName(s);
    return n !== undefined && lower.has(n.toLowerCase());
  });
}

/** The subnet's NSG when it surely has one in the plan. */
export function subnetNsg(topo: Topology, subnet: Subnet): Nsg | undefined {
  if (isUnknown(subnet.nsgKey) || subnet.nsgKey === null) return undefined;
  return topo.nsgs.get(subnet.nsgKey);
}

export interface RequirementReport {
  /** "AllowGatewayManagerInbound (inbound TCP 443 from GatewayManager: denied by defaultSecurityRules/DenyAllInBound)" */
  readonly missing: string[];
  readonly undecided: string[];
  readonly rules: string[];
}

/** Every requirement checked against the NSG: what is missing (with the rule that denies it) and what is undecided. */
export function requirementReport(env: EngineEnv, subnet: Subnet, nsg: Nsg, required: readonly RequiredFlow[]): RequirementReport {
  const out: RequirementReport = { missing: [], undecided: [], rules: [] };
  for (const req of required) {
    const r = checkRequirement(env, subnet, nsg, req);
    if (r.kind === "met") continue;
    if (r.kind === "undecided") {
      out.undecided.push(`${req.name} (${describeRequired(req)}: ${r.reason})`);
      continue;
    }
    const by = r.rules.length > 0 ? `${r.partial ? "partly " : ""}denied by ${r.rules.join(", ")}` : "no rule allows it";
    out.missing.push(`${req.name} (${describeRequired(req)}: ${by})`);
    out.rules.push(...r.rules.map((x) => `${displayName(nsg)}/${x}`));
  }
  return out;
}
