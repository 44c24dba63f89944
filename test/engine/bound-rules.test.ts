/**
 * Issue 19, point 2: a rule shape binds to one compiled rule per standing of its ends (rules.ts bindShape): a rule
 * naming no ASG is one object for every ASG binding of its NSG, and a rule naming ASGs is shared by the ends that
 * stand alike to those ASGs only. Every shared answer must equal the rule compiled afresh for those ends: the test
 * fails if the sharing key missed something the binding reads (a membership, a partial NIC, the direction).
 */
import { compiledRules, engineEnv, tagContextForNic } from "../../src/engine/nsg";
import { compileRule, orderedRules, type CompiledRule } from "../../src/engine/rules";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import type { Direction, Nic, Topology } from "../../src/model/topology";
import { ModelBuilder } from "../helpers/model-builder";

function plan(): Topology {
  const topo = new ModelBuilder()
    .vnet("vnet", ["10.0.0.0/16"])
    .subnet("a", "vnet", "10.0.1.0/24", { nsg: "nsg" })
    .asg("web")
    .asg("db")
    .nsg("nsg", [
      { name: "plain", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", src: "10.9.0.0/16", dport: "443" },
      { name: "from-web", priority: 110, direction: "Inbound", access: "Allow", protocol: "Tcp", srcAsgs: ["web"], dport: "80" },
      { name: "to-db", priority: 120, direction: "Inbound", access: "Deny", protocol: "*", dstAsgs: ["db"] },
      { name: "out-db", priority: 130, direction: "Outbound", access: "Allow", protocol: "Tcp", srcAsgs: ["db"], dstAsgs: ["web"], dport: "1433" },
    ])
    .nic("web-1", "a", "10.0.1.4", { asgs: ["web"] })
    .nic("web-2", "a", "10.0.1.5", { asgs: ["web"] })
    .nic("db-1", "a", "10.0.1.6", { asgs: ["db"] })
    .nic("db-2", "a", "10.0.1.7", { asgs: ["db", "web"] })
    .nic("plain-1", "a", "10.0.1.8")
    .nic("half", "a", "10.0.1.9", { asgs: ["web"] })
    .build();
  // One NIC only partly a member of "web": its second configuration is not (boundMembership reads its addresses).
  const half = topo.nics.get("half") as Nic;
  const second = { ...half.ipConfigurations[0], name: "ipconfig2", primary: false, privateIpAddress: "10.0.1.10", asgKeys: [] };
  (topo.nics as Map<string, Nic>).set("half", { ...half, ipConfigurations: [...half.ipConfigurations, second] });
  return topo;
}

const sameFlows = (a: CompiledRule, b: CompiledRule): boolean => a.must.equals(b.must) && a.may.equals(b.may);

describe("compiled rules shared per standing of their ends", () => {
  const topo = plan();
  const nsg = topo.nsgs.get("nsg")!;
  const nics = [...topo.nics.values()];
  const ends: Array<[Nic, Nic | undefined]> = nics.flatMap((local) => [[local, undefined] as [Nic, Nic | undefined], ...nics.map((remote) => [local, remote] as [Nic, Nic])]);

  test.each(["Inbound", "Outbound"] as Direction[])("%s: every shared compiled rule equals the rule compiled afresh for its ends", (direction) => {
    const env = engineEnv(topo, EMPTY_CATALOG);
    const rules = orderedRules(nsg, direction);
    let checked = 0;
    for (const [local, remote] of ends) {
      const compiled = compiledRules(env, nsg, direction, local, remote);
      compiled.forEach((c, i) => {
        const fresh = compileRule(rules[i], { topo, tags: EMPTY_CATALOG, tagContext: tagContextForNic(env, local), direction, local, ...(remote ? { remote } : {}) });
        expect({ rule: c.rule.name, local: local.key, remote: remote?.key, same: sameFlows(c, fresh) }).toEqual({ rule: rules[i].name, local: local.key, remote: remote?.key, same: true });
        checked++;
      });
    }
    expect(checked).toBe(ends.length * rules.length);
  });

  test("a rule naming no ASG is one object whatever the binding; an ASG rule is shared by ends that stand alike only", () => {
    const env = engineEnv(topo, EMPTY_CATALOG);
    const at = (local: string, remote?: string) => compiledRules(env, nsg, "Inbound", topo.nics.get(local)!, remote ? topo.nics.get(remote) : undefined);
    const byName = (list: CompiledRule[], name: string) => list.find((c) => c.rule.name === name)!;
    // "plain": the same object for NICs of different ASG signatures (the NSG's cache keys differ).
    expect(byName(at("db-1", "web-1"), "plain")).toBe(byName(at("plain-1", "db-2"), "plain"));
    // "from-web" reads the remote end only: two member remotes share it, whatever the local NIC.
    expect(byName(at("db-1", "web-1"), "from-web")).toBe(byName(at("plain-1", "web-2"), "from-web"));
    expect(byName(at("db-1", "web-1"), "from-web").must.isEmpty()).toBe(false);
    // A non-member remote gets another compiled rule, matching nothing.
    expect(byName(at("db-1", "plain-1"), "from-web")).not.toBe(byName(at("db-1", "web-1"), "from-web"));
    expect(byName(at("db-1", "plain-1"), "from-web").may.isEmpty()).toBe(true);
    // A partial member is its own binding (its member configuration's address only).
    expect(byName(at("db-1", "half"), "from-web")).not.toBe(byName(at("db-1", "web-1"), "from-web"));
    expect(byName(at("db-1", "half"), "from-web").may.isEmpty()).toBe(false);
  });
});
