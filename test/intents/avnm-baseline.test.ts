/**
 * examples/avnm-baseline (issue 15, "done when"): the intent "no SSH/RDP from the Internet" holds only because of the
 * security admin rule, and names it; IP flow verify returns the admin rule's name. Without the Virtual Network
 * Manager resources the same plan fails the intent, blaming the NSG rule that allows management ports: the pass is
 * the admin rule's doing. Both the first preview and the stack export.
 */
import * as path from "path";
import { buildTopology } from "../../src/adapters/azure-native";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import { evaluateIntents } from "../../src/intents/evaluate";
import { readIntentsFile } from "../../src/intents/parse";
import type { IntentResult } from "../../src/intents/result";
import { readResourceFile } from "../../src/resources/detect";
import type { ResourceRecord } from "../../src/resources/record";

const DIR = path.join(__dirname, "..", "..", "examples", "avnm-baseline");
const ADMIN = "securityAdminRules/baseline/deny-mgmt/deny-ssh-rdp-from-internet";
const AVNM_TYPES = /:(NetworkManager|NetworkGroup|StaticMember|SecurityAdminConfiguration|AdminRuleCollection|AdminRule|Commit)$/;

function results(file: string, keep: (r: ResourceRecord) => boolean = () => true): Map<string, IntentResult> {
  const read = readResourceFile(path.join(DIR, file));
  if (!read.ok) throw new Error(read.error);
  const intents = readIntentsFile(path.join(DIR, "intents.json"));
  if (!intents.ok) throw new Error(intents.errors.join("; "));
  const env = engineEnv(buildTopology(read.records.filter(keep)), EMPTY_CATALOG);
  return new Map(evaluateIntents(env, intents.intents).map((r) => [r.name, r]));
}

describe.each(["preview.json", "stack-export.json"])("avnm-baseline %s", (file) => {
  test("every intent holds; the unreachable one names the admin rule that stops its flows", () => {
    const r = results(file);
    expect([...r.values()].map((x) => [x.name, x.verdict])).toEqual([
      ["no-ssh-rdp-from-internet", "pass"],
      ["https-from-internet", "pass"],
      ["ssh-flow-denied-by-admin-rule", "pass"],
      ["https-flow-allowed-by-nsg", "pass"],
    ]);
    const noSsh = r.get("no-ssh-rdp-from-internet");
    expect(noSsh?.message).toContain(`stopped by the security admin rule ${ADMIN}`);
    expect(noSsh?.reach?.stoppedByAdminRules).toEqual([ADMIN]);
    expect(r.get("ssh-flow-denied-by-admin-rule")?.ipFlowVerify).toMatchObject({ access: "Deny", ruleName: ADMIN });
  });

  test("without the Virtual Network Manager resources the NSG lets SSH in: the intent fails, blaming the NSG rule", () => {
    const r = results(file, (rec) => !AVNM_TYPES.test(rec.type));
    const noSsh = r.get("no-ssh-rdp-from-internet");
    expect(noSsh?.verdict).toBe("fail");
    expect(noSsh?.message).toContain("securityRules/Allow-Mgmt-From-Internet");
    expect(r.get("ssh-flow-denied-by-admin-rule")?.verdict).toBe("fail");
    expect(r.get("https-from-internet")?.verdict).toBe("pass");
  });
});
