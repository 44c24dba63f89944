import { refusalText } from "../../src/answers/refusal";
/**
 * Issue 12, point 2: when an earlier rule with the same access may match first (its match depends on a value unknown
 * at preview, or on a service tag not in the tag file), the access is sure but the deciding rule is not: IP flow
 * verify names "one of" the candidates with the doubt, and an intent pinning `ruleName` is indeterminate (it fails
 * only when the pinned rule cannot be the deciding one).
 * Minimal repro: an NSG with `allow-storage` (100, source Storage.WestEurope, no --service-tags file) and
 * `allow-https` (200, source *), `verify-flow --direction Inbound --local 10.0.1.4:443 --remote 203.0.113.9:50000`
 * answered "Allow by securityRules/allow-https" as certain.
 */
import { ipFlowVerify } from "../../src/answers/ip-flow-verify";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import { verifyFlowIntent } from "../../src/intents/flow-verify";
import { parseIntent } from "../../src/intents/parse";
import type { FlowVerifyIntent } from "../../src/intents/types";
import { formatIpFlowVerify } from "../../src/report/ip-flow-verify-text";
import { unknown } from "../../src/model/unknown";
import { ModelBuilder } from "../helpers/model-builder";

const topo = new ModelBuilder()
  .vnet("vnet", ["10.0.0.0/16"])
  .subnet("app", "vnet", "10.0.1.0/24")
  .nsg("nsg", [
    { name: "allow-storage", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", src: "Storage.WestEurope", dport: "443" },
    { name: "allow-https", priority: 200, direction: "Inbound", access: "Allow", protocol: "Tcp", src: "*", dport: "443" },
  ])
  .nic("vm", "app", "10.0.1.4", { nsg: "nsg" })
  .build();

function verify() {
  const out = ipFlowVerify(engineEnv(topo, EMPTY_CATALOG), { nic: topo.nics.get("vm")!, direction: "Inbound", protocol: "TCP", localIp: "10.0.1.4", localPort: 443, remoteIp: "203.0.113.9", remotePort: 50000 });
  if (!out.ok) throw new Error(refusalText(out.refusal));
  return out.result;
}

describe("a deciding rule that an earlier same-access rule may pre-empt", () => {
  test("access is sure; the rule is one of the candidates, with the doubt", () => {
    const r = verify();
    expect(r.access).toBe("Allow");
    expect(r.ruleNameCandidates).toEqual(["securityRules/allow-storage", "securityRules/allow-https"]);
    expect(r.ruleNameUnknowns?.join(" ")).toMatch(/Storage\.WestEurope is not in the service tag file/);
    const text = formatIpFlowVerify(r);
    expect(text).toMatch(/rule: +one of securityRules\/allow-storage, securityRules\/allow-https/);
  });

  test.each([
    ["securityRules/allow-https", "indeterminate"],
    ["securityRules/allow-storage", "indeterminate"],
    ["defaultSecurityRules/AllowVnetInBound", "fail"],
  ])("an intent pinning %s is %s", (ruleName, want) => {
    const parsed = parseIntent(
      { name: "pin", ipFlowVerify: { nic: "vm", direction: "Inbound", protocol: "TCP", local: "10.0.1.4:443", remote: "203.0.113.9:50000" }, expect: "Allow", ruleName },
      0,
      { source: "test" },
    );
    const r = verifyFlowIntent(engineEnv(topo, EMPTY_CATALOG), parsed.intent as FlowVerifyIntent);
    expect(r.verdict).toBe(want);
    if (want === "indeterminate") expect(r.message).toMatch(/one of securityRules\/allow-storage, securityRules\/allow-https/);
  });

  test("an intent without ruleName still passes on the sure access", () => {
    const parsed = parseIntent({ name: "acc", ipFlowVerify: { nic: "vm", direction: "Inbound", protocol: "TCP", local: "10.0.1.4:443", remote: "203.0.113.9:50000" }, expect: "Allow" }, 0, { source: "test" });
    expect(verifyFlowIntent(engineEnv(topo, EMPTY_CATALOG), parsed.intent as FlowVerifyIntent).verdict).toBe("pass");
  });
});

test("the same with an ASG whose membership is unknown at preview (the remote NIC's ASGs are computed)", () => {
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
  const out = ipFlowVerify(engineEnv(t, EMPTY_CATALOG), { nic: t.nics.get("db")!, direction: "Inbound", protocol: "TCP", localIp: "10.0.1.4", localPort: 443, remoteIp: "10.0.1.5", remotePort: 50000 });
  if (!out.ok) throw new Error(refusalText(out.refusal));
  expect(out.result.access).toBe("Allow");
  expect(out.result.ruleNameCandidates).toEqual(["securityRules/allow-web", "securityRules/allow-vnet-https"]);
});
