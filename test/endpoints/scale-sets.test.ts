/**
 * Issue 16, point 6: VM scale sets. The record has pulumi-azure-native's shape for compute VirtualMachineScaleSet
 * (sdk/nodejs/compute/virtualMachineScaleSet.ts; ARM's `properties` flattened by the SDK):
 * virtualMachineProfile.networkProfile.networkInterfaceConfigurations[{name, primary, enableIPForwarding,
 * networkSecurityGroup: {id}, ipConfigurations[{name, primary, subnet: {id}, publicIPAddressConfiguration: {name},
 * applicationSecurityGroups[{id}], loadBalancerBackendAddressPools[{id}]}]}].
 * Every instance stands for "some address of its subnet". On the old code the scale set was an unmodelled resource:
 * `vm: vmss-web` selected nothing and every intent below failed or was undecided.
 */
import { buildTopology } from "../../src/adapters/azure-native";
import { runChecks } from "../../src/checks";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import { parseIntent } from "../../src/intents/parse";
import { verifyReach } from "../../src/intents/reach";
import type { ReachIntent } from "../../src/intents/types";
import type { PropertyObject, ResourceRecord } from "../../src/resources/record";
import { happyPath, ID, rec } from "../adapters/azure-native/fixture";

const SS = `${ID.vm.replace("/virtualMachines/vm-web", "")}/virtualMachineScaleSets/vmss-web`;

function vmss(ipConfig: PropertyObject = {}, nicExtra: PropertyObject = {}): ResourceRecord {
  return rec("azure-native:compute:VirtualMachineScaleSet", "vmss-web", {
    name: "vmss-web",
    virtualMachineProfile: {
      networkProfile: {
        networkInterfaceConfigurations: [
          {
            name: "nic",
            primary: true,
            networkSecurityGroup: { id: ID.nsgWeb },
            ipConfigurations: [{ name: "ipconfig", subnet: { id: ID.subnetApp }, applicationSecurityGroups: [{ id: ID.asgWeb }], ...ipConfig }],
            ...nicExtra,
          },
        ],
      },
    },
    tags: { tier: "web" },
  }, { id: SS });
}

function verify(records: ResourceRecord[], raw: Record<string, unknown>) {
  const env = engineEnv(buildTopology(records), EMPTY_CATALOG);
  const parsed = parseIntent({ name: "i", protocol: "Tcp", ...raw }, 0, { source: "test" });
  if (!parsed.intent) throw new Error(parsed.errors.join("; "));
  return verifyReach(env, parsed.intent as ReachIntent);
}

describe("scale set instances are NICs of the model", () => {
  test("one NIC per network interface configuration: dynamic address in its subnet, the profile's NSG, ASGs and public IP", () => {
    const topo = buildTopology([...happyPath(), vmss({ publicIPAddressConfiguration: { name: "pip" } })]);
    const nic = [...topo.nics.values()].find((n) => n.logicalName === "vmss-web/nic");
    expect(nic).toBeDefined();
    const cfg = nic!.ipConfigurations[0];
    expect([cfg.allocation, cfg.subnetKey, cfg.asgKeys, typeof cfg.publicIpKey, nic!.nsgKey, nic!.vmKey]).toEqual([
      "Dynamic",
      `${happyPath()[0].urn}/subnets/app`,
      [happyPath().find((r) => r.name === "asg-web")!.urn],
      "string",
      happyPath().find((r) => r.name === "nsg-web")!.urn,
      topo.vms.get([...topo.vms.keys()].find((k) => k.endsWith("::vmss-web"))!)!.key,
    ]);
    expect(topo.unmodelled ?? []).toEqual([]);
  });

  test.each([
    // name, public IP config, intent, verdict
    ["HTTPS from the Internet through the instance public IP (nsg-web allows 443)", { publicIPAddressConfiguration: { name: "pip" } }, { from: { serviceTag: "Internet" }, to: { vm: "vmss-web" }, ports: "443", expect: "reachable" }, "pass"],
    ["SSH from the Internet: nsg-web allows 22 only from 10.0.0.0/8", { publicIPAddressConfiguration: { name: "pip" } }, { from: { serviceTag: "Internet" }, to: { vm: "vmss-web" }, ports: "22", expect: "unreachable" }, "pass"],
    ["no public IP configuration: nothing from the Internet gets in", {}, { from: { serviceTag: "Internet" }, to: { vm: "vmss-web" }, ports: "443", expect: "unreachable" }, "pass"],
    ["instances reach the web NIC on 443 (every instance address)", {}, { from: { vm: "vmss-web" }, to: { nic: "nic-web" }, ports: "443", expect: "reachable" }, "pass"],
    ["the ASG names the instances: tag and asg selectors include them", {}, { from: { nic: "nic-web" }, to: { asg: "asg-web" }, ports: "443", expect: "reachable" }, "pass"],
  ])("%s", (_n, ipConfig, raw, verdict) => {
    const r = verify([...happyPath(), vmss(ipConfig as PropertyObject)], raw);
    expect(r.verdict).toBe(verdict);
  });

  test("internet exposure counts the scale set on 443 through its instance public IP", () => {
    const topo = buildTopology([...happyPath(), vmss({ publicIPAddressConfiguration: { name: "pip" } })]);
    const exposure = runChecks(engineEnv(topo, EMPTY_CATALOG)).filter((f) => f.check === "internet-exposure");
    expect(exposure.some((f) => f.message.includes("vmss-web"))).toBe(true);
  });

  test("a configuration without a subnet is reported, never silently placed", () => {
    const bad = vmss({ subnet: undefined as unknown as PropertyObject });
    const props = JSON.parse(JSON.stringify(bad.props));
    delete props.virtualMachineProfile.networkProfile.networkInterfaceConfigurations[0].ipConfigurations[0].subnet;
    const topo = buildTopology([...happyPath(), { ...bad, props }]);
    const nic = [...topo.nics.values()].find((n) => n.logicalName === "vmss-web/nic");
    expect(nic!.ipConfigurations[0].subnetKey).toMatchObject({ reason: expect.stringMatching(/requires a subnet/) });
  });
});
