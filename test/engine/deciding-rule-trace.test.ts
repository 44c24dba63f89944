/**
 * Issue 12, point 2, in trace hops and intents' blame: when an earlier deny (or allow) rule may match first (its
 * source is a service tag missing from the tag file), the access is sure but the deciding rule is "one of" them,
 * with the doubt, as IP flow verify already says (deciding-rule-doubt.test.ts).
 * Minimal repro: db's NSG with `deny-storage` (100, source Storage.WestEurope, no --service-tags file) and
 * `deny-https` (200, source *); `trace <plan> --from vm --to db --protocol TCP --port 443` named
 * "denied by securityRules/deny-https" as certain, and the intent `vm -> db 443 reachable` blamed deny-https alone.
 */
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import { trace } from "../../src/answers/trace";
import { parseIntent } from "../../src/intents/parse";
import { verifyReach } from "../../src/intents/reach";
import type { ReachIntent } from "../../src/intents/types";
import { blameLines } from "../../src/report/blame";
import { formatTrace } from "../../src/report/trace-text";
import type { Access } from "../../src/model/topology";
import { unknown } from "../../src/model/unknown";
import { ModelBuilder } from "../helpers/model-builder";

function topology(access: Access) {
  const a = access.toLowerCase();
  return new ModelBuilder()
    .vnet("vnet", ["10.0.0.0/16"])
    .subnet("app", "vnet", "10.0.1.0/24")
    .subnet("data", "vnet", "10.0.2.0/24")
    .nsg("db-nsg", [
      { name: `${a}-storage`, priority: 100, direction: "Inbound", access, protocol: "Tcp", src: "Storage.WestEurope", dport: "443" },
      { name: `${a}-https`, priority: 200, direction: "Inbound", access, protocol: "Tcp", src: "*", dport: "443" },
    ])
    .nic("vm", "app", "10.0.1.4")
    .nic("db", "data", "10.0.2.4", { nsg: "db-nsg" })
    .build();
}

function runTrace(access: Access) {
  const out = trace(engineEnv(topology(access), EMPTY_CATALOG), { from: "vm", to: "db", protocol: "TCP", port: 443 });
  if (!out.ok) throw new Error(out.error);
  return out.result;
}

function reach(access: Access, expect: "reachable" | "unreachable") {
  const p = parseIntent({ name: "vm-to-db", from: { nic: "vm" }, to: { nic: "db" }, protocol: "Tcp", ports: "443", expect }, 0, { source: "test" });
  return verifyReach(engineEnv(topology(access), EMPTY_CATALOG), p.intent as ReachIntent);
}

const CANDIDATES = (a: string) => `securityRules/${a}-storage, securityRules/${a}-https`;

describe("trace names the deciding deny as one of the candidates", () => {
  test("the NSG issue keeps RuleName and adds the candidates and the doubt", () => {
    const r = runTrace("Deny");
    expect(r.json.connectionStatus).toBe("Unreachable");
    const issue = r.json.hops.flatMap((h) => h.issues).find((i) => i.type === "NetworkSecurityRule");
    const ctx = Object.fromEntries(issue?.context.map((c) => [c.key, c.value]) ?? []);
    expect(ctx.RuleName).toBe("securityRules/deny-https");
    expect(ctx.RuleNameCandidates).toBe(CANDIDATES("deny"));
    expect(ctx.RuleNameUnknown).toMatch(/Storage\.WestEurope is not in the service tag file/);
    expect(r.json.paths[0].detail).toMatch(new RegExp(`^denied by one of ${CANDIDATES("deny")} of NSG db-nsg .*depends on: .*Storage\\.WestEurope`));
  });

  test.each(["Allow", "Deny"] as const)("the text hop names %s by one of the candidates", (access) => {
    const text = formatTrace(runTrace(access));
    expect(text).toContain(`inbound: NSG db-nsg (network interface): ${access} by one of ${CANDIDATES(access.toLowerCase())}`);
  });

  test("a rule that is sure is named alone (port 80: no custom rule can match)", () => {
    const out = trace(engineEnv(topology("Deny"), EMPTY_CATALOG), { from: "vm", to: "db", protocol: "TCP", port: 80 });
    if (!out.ok) throw new Error(out.error);
    expect(out.result.json.connectionStatus).toBe("Reachable");
    expect(formatTrace(out.result)).toContain("inbound: NSG db-nsg (network interface): Allow by defaultSecurityRules/AllowVnetInBound\n");
  });
});

describe("intents blame one of the candidates", () => {
  test.each([
    ["Deny", "reachable"],
    ["Allow", "unreachable"],
  ] as const)("%s rules, expect %s: fails, the evidence and the blame name one of the candidates", (access, expect_) => {
    const r = reach(access, expect_);
    expect(r.verdict).toBe("fail");
    const ev = r.counterexample?.evidence.find((e) => e.kind === "nsg-rule" && e.nsg.name === "db-nsg");
    if (!ev || ev.kind !== "nsg-rule") throw new Error("no NSG evidence");
    expect(ev.ruleName).toBe(`securityRules/${access.toLowerCase()}-https`);
    expect(ev.ruleNameCandidates).toEqual(CANDIDATES(access.toLowerCase()).split(", "));
    expect(ev.ruleNameUnknowns?.join(" ")).toMatch(/Storage\.WestEurope/);
    expect(ev.text).toContain(`by one of ${CANDIDATES(access.toLowerCase())}`);
    expect(blameLines(r).join("\n")).toContain(`db-nsg/one of ${CANDIDATES(access.toLowerCase())}`);
  });
});

test("the same at preview with an ASG whose membership is unknown (trace from the NIC whose ASGs are computed)", () => {
  const t = new ModelBuilder()
    .vnet("vnet", ["10.0.0.0/16"])
    .asg("web")
    .subnet("app", "vnet", "10.0.1.0/24")
    .nsg("nsg", [
      { name: "allow-web", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", srcAsgs: ["web"], dport: "443" },
      { name: "allow-vnet-https", priority: 200, direction: "Inbound", access: "Allow", protocol: "Tcp", src: "10.0.0.0/16", dport: "443" },
    ])
    .nic("db", "app", "10.0.1.4", { nsg: "nsg" })
    .nic("front", "app", "10.0.1.5", { asgs: unknown(".ipConfigurations[0].applicationSecurityGroups", "front") })
    .build();
  const out = trace(engineEnv(t, EMPTY_CATALOG), { from: "front", to: "db", protocol: "TCP", port: 443 });
  if (!out.ok) throw new Error(out.error);
  expect(out.result.json.connectionStatus).toBe("Reachable");
  expect(formatTrace(out.result)).toContain("Allow by one of securityRules/allow-web, securityRules/allow-vnet-https");
});
