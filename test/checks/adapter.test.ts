/**
 * The checks through the azure-native adapter: associations and rules declared as separate resources (a standalone
 * Subnet naming its NSG, a standalone SecurityRule), plural fields as the provider spells them.
 */
import { buildTopology } from "../../src/adapters/azure-native";
import { runChecks } from "../../src/checks";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import type { PropertyObject, ResourceRecord } from "../../src/resources/record";
import { change, happyPath, U } from "../adapters/azure-native/fixture";
import { only } from "./fixture";

const check = (records: ResourceRecord[]) => runChecks(engineEnv(buildTopology(records), EMPTY_CATALOG));

/** The fixture's subnet-web also carries route table rt (0.0.0.0/0 -> appliance); most tests leave it out. */
const withoutRouteTable = (records: ResourceRecord[]): ResourceRecord[] =>
  change(records, "subnet-web", (r) => {
    const props: PropertyObject = { ...r.props };
    delete props.routeTable;
    return { ...r, props };
  });

/** Replaces fields of the standalone rule rule-ssh (TCP 22 from 10.0.0.0/8, priority 110, on nsg-web). */
const sshRule = (fields: Record<string, string | string[] | undefined>): ResourceRecord[] =>
  change(withoutRouteTable(happyPath()), "rule-ssh", (r) => {
    const props: PropertyObject = { ...r.props };
    for (const [k, v] of Object.entries(fields)) {
      if (v === undefined) delete props[k];
      else props[k] = v;
    }
    return { ...r, props };
  });

describe("checks on the adapter's happy path (standalone subnet -> NSG association, standalone rule)", () => {
  test("nic-web is exposed on TCP 443 only: the standalone SSH rule allows 10.0.0.0/8, not the Internet", () => {
    const [f, ...rest] = only(check(withoutRouteTable(happyPath())), "internet-exposure");
    expect(rest).toEqual([]);
    expect(f.severity).toBe("low");
    expect(f.details?.tcpPorts).toBe("443");
    expect(f.resources).toEqual(expect.arrayContaining([U.nic, U.vm, U.pip, U.nsgWeb]));
    expect(f.message).toContain("via public IP pip-web");
  });

  test.each<[string, Record<string, string | string[] | undefined>]>([
    ["sourceAddressPrefix Internet", { sourceAddressPrefix: "Internet" }],
    ["sourceAddressPrefix 0.0.0.0/0", { sourceAddressPrefix: "0.0.0.0/0" }],
    ["sourceAddressPrefix *", { sourceAddressPrefix: "*" }],
    ["plural sourceAddressPrefixes", { sourceAddressPrefix: undefined, sourceAddressPrefixes: ["10.0.0.0/8", "0.0.0.0/0"] }],
    ["plural destinationPortRanges hiding 22", { destinationPortRange: undefined, destinationPortRanges: ["8443", "20-25"], sourceAddressPrefix: "Internet" }],
  ])("the standalone rule opened with %s: SSH exposed, high", (_name, fields) => {
    const [f] = only(check(sshRule(fields)), "internet-exposure");
    expect(f.severity).toBe("high");
    expect(f.details?.managementPorts).toEqual(["TCP 22 (SSH)"]);
    expect(f.rules).toContain("nsg-web/securityRules/allow-ssh");
  });

  test("the association is what counts: remove the subnet's NSG and nothing filters the public NIC", () => {
    const records = change(withoutRouteTable(happyPath()), "subnet-web", (r) => {
      const props: PropertyObject = { ...r.props };
      delete props.networkSecurityGroup;
      return { ...r, props };
    });
    const out = check(records);
    expect(only(out, "internet-exposure")[0].details).toMatchObject({ noNsg: true, allPortsOpen: true });
    expect(only(out, "unfiltered-nic")).toHaveLength(1);
    expect(only(out, "unattached-nsg").map((f) => f.resources[0])).toEqual([U.nsgWeb]);
  });

  test("with the 0.0.0.0/0 user route on the subnet, VirtualNetwork covers everything: AllowVnetInBound exposes every port", () => {
    const [f] = only(check(happyPath()), "internet-exposure");
    expect(f.severity).toBe("high");
    expect(f.details).toMatchObject({ allPortsOpen: true, viaVirtualNetworkTag: true });
    expect(f.rules).toContain("nsg-web/defaultSecurityRules/AllowVnetInBound");
    expect(f.message).toContain("the VirtualNetwork tag admits these sources because the subnet's route table adds user route prefixes to it");
  });

  test("an invalid standalone rule becomes an invalid-rule finding", () => {
    const out = check(sshRule({ destinationPortRange: "70000" }));
    const [f] = only(out, "invalid-rule");
    expect(f).toMatchObject({ id: "AR-013", severity: "high" });
    expect(f.message).toContain("allow-ssh");
  });
});
