import { buildTopology, normalizeArmId, parseArmId } from "../../../src/adapters/azure-native";
import { isUnknown, unknown, type Unknown } from "../../../src/model/unknown";
import type { PropertyObject, PropertyValue, ResourceRecord } from "../../../src/resources/record";
import { change, happyPath, ID, NET, rec, setProp, U, urn } from "./fixture";

const NIC_SUBNET_PATH = ".ipConfigurations[0].subnet.id";

/** The happy path with nic-web's subnet reference replaced, and its propertyDependencies. */
function nicWithSubnet(subnet: PropertyValue | undefined, deps: string[] | undefined, records: ResourceRecord[] = happyPath()): ResourceRecord[] {
  return change(records, "nic-web", (r): ResourceRecord => {
    const configs = (r.props.ipConfigurations as PropertyObject[]).map((c, i) => {
      if (i !== 0) return c;
      const next: PropertyObject = { ...c };
      if (subnet === undefined) delete next.subnet;
      else next.subnet = subnet;
      return next;
    });
    const propertyDependencies: Record<string, string[]> = deps === undefined ? {} : { ipConfigurations: deps };
    return { ...r, props: { ...r.props, ipConfigurations: configs }, propertyDependencies };
  });
}

/** The NIC with a dynamic address: nothing but the reference can place it. */
function dynamicNic(records: ResourceRecord[]): ResourceRecord[] {
  return change(records, "nic-web", (r): ResourceRecord => {
    const configs = (r.props.ipConfigurations as PropertyObject[]).map((c) => {
      const next: PropertyObject = { ...c, privateIPAllocationMethod: "Dynamic" };
      delete next.privateIPAddress;
      return next;
    });
    return { ...r, props: { ...r.props, ipConfigurations: configs } };
  });
}

function nicSubnet(records: ResourceRecord[]) {
  const topo = buildTopology(records);
  return { key: topo.nics.get(U.nic)!.ipConfigurations[0].subnetKey, topo };
}

const unknownId = (): Unknown => unknown(NIC_SUBNET_PATH, U.nic);

/** A second standalone subnet in the same VNet. */
function withSecondSubnet(records = happyPath()): ResourceRecord[] {
  return [
    ...records,
    rec("azure-native:network:Subnet", "subnet-db", { name: "db", addressPrefix: "10.1.3.0/24" }, {
      id: `${ID.vnet}/subnets/db`,
      inputs: { virtualNetworkName: "vnet-spoke" },
    }),
  ];
}

describe("ARM ids", () => {
  test.each([
    [`${ID.subnetWeb}/`, ID.subnetWeb.toLowerCase()],
    [ID.nsgWeb.toUpperCase(), ID.nsgWeb.toLowerCase()],
  ])("normalizeArmId(%s)", (raw, expected) => {
    expect(normalizeArmId(raw)).toBe(expected);
  });

  test("parseArmId splits type chain, names, parent and resource group", () => {
    expect(parseArmId(ID.subnetWeb)).toEqual({
      resourceGroup: "rg-net",
      armType: "microsoft.network/virtualnetworks/subnets",
      names: ["vnet-spoke", "web"],
      parentId: ID.vnet,
    });
    expect(parseArmId("not an id")).toBeUndefined();
  });
});

describe("reference resolution", () => {
  test.each([
    ["exact id", ID.subnetWeb],
    ["upper-case id", ID.subnetWeb.toUpperCase()],
    ["trailing slash", `${ID.subnetWeb}/`],
  ])("known id (%s) resolves by ARM id", (_case, id) => {
    const { key, topo } = nicSubnet(nicWithSubnet({ id }, undefined));
    expect(key).toBe(U.subnetWeb);
    expect(topo.diagnostics).toEqual([]);
  });

  test("a known id of a subnet declared only inline resolves to the inline subnet", () => {
    // Dynamic: the happy path's static 10.1.2.4 lies in web, not app (that would be address-outside-subnet).
    const { key, topo } = nicSubnet(nicWithSubnet({ id: ID.subnetApp }, undefined, dynamicNic(happyPath())));
    expect(key).toBe(`${U.vnet}/subnets/app`);
    expect(topo.diagnostics).toEqual([]);
  });

  test("a known id resolves by name and resource group when the target's own id is unknown", () => {
    const records = change(nicWithSubnet({ id: ID.subnetApp }, undefined), "vnet", (r) => ({ ...r, id: unknown(".id", r.urn) }));
    expect(nicSubnet(records).key).toBe(`${U.vnet}/subnets/app`);
  });

  test("unknown id resolved through propertyDependencies naming one subnet", () => {
    const { key, topo } = nicSubnet(nicWithSubnet({ id: unknownId() }, [U.subnetWeb, U.asgWeb, U.pip]));
    expect(key).toBe(U.subnetWeb);
    expect(topo.diagnostics).toEqual([]);
  });

  test("an unknown reference object resolves the same way", () => {
    expect(nicSubnet(nicWithSubnet(unknown(".ipConfigurations[0].subnet", U.nic), [U.subnetWeb])).key).toBe(U.subnetWeb);
  });

  test("two candidate subnets: Unknown naming both, one warning", () => {
    const { key, topo } = nicSubnet(dynamicNic(nicWithSubnet({ id: unknownId() }, [U.subnetWeb, urn("azure-native:network:Subnet", "subnet-db")], withSecondSubnet())));
    expect(isUnknown(key)).toBe(true);
    const u = key as Unknown;
    expect(u.path).toBe(NIC_SUBNET_PATH);
    expect(u.resource).toBe(U.nic);
    expect(u.reason).toBe("ambiguous reference: candidates subnet-db, subnet-web");
    expect(topo.diagnostics).toHaveLength(1);
    expect(topo.diagnostics[0]).toMatchObject({ code: "unresolved-reference", severity: "warning", resource: U.nic, field: "ipConfigurations[0].subnet.id" });
  });

  test("dependency on a VNet with one subnet (inline) resolves to it", () => {
    const records = setProp(nicWithSubnet({ id: unknownId() }, [U.vnet]), "subnet-web", "name", "web");
    const onlyInline = records.filter((r) => r.name !== "subnet-web");
    expect(nicSubnet(onlyInline).key).toBe(`${U.vnet}/subnets/app`);
  });

  test("dependency on a VNet with several subnets: ambiguous for a dynamic address", () => {
    const { key } = nicSubnet(dynamicNic(nicWithSubnet({ id: unknownId() }, [U.vnet])));
    expect(isUnknown(key) && key.reason).toBe("ambiguous reference: candidates subnet-web, vnet/app");
  });

  test("a static address settles which candidate subnet holds the NIC (it must lie in its subnet)", () => {
    const { key, topo } = nicSubnet(nicWithSubnet({ id: unknownId() }, [U.vnet]));
    expect(key).toBe(U.subnetWeb);
    expect(topo.diagnostics).toEqual([]);
  });

  test("a static address in none of the candidates leaves the reference ambiguous", () => {
    const records = change(nicWithSubnet({ id: unknownId() }, [U.vnet]), "nic-web", (r): ResourceRecord => ({
      ...r,
      props: { ...r.props, ipConfigurations: (r.props.ipConfigurations as PropertyObject[]).map((c) => ({ ...c, privateIPAddress: "192.0.2.4" })) },
    }));
    const { key } = nicSubnet(records);
    expect(isUnknown(key) && key.reason).toBe("ambiguous reference: candidates subnet-web, vnet/app");
  });

  test("unknown id and no dependency: Unknown (computed at preview), reported", () => {
    const { key, topo } = nicSubnet(nicWithSubnet({ id: unknownId() }, undefined));
    expect(key).toEqual(unknownId());
    expect(topo.diagnostics.map((d) => d.code)).toEqual(["unresolved-reference"]);
  });

  test("a known id not in the plan: Unknown saying so", () => {
    const other = `${NET}/virtualNetworks/vnet-other/subnets/x`;
    const { key, topo } = nicSubnet(nicWithSubnet({ id: other }, undefined));
    expect(isUnknown(key) && key.reason).toBe(`not in the plan: ${other}`);
    expect(topo.diagnostics[0]).toMatchObject({ code: "unresolved-reference", value: other });
  });

  test("absent subnet reference: Unknown 'missing' and a warning", () => {
    const { key, topo } = nicSubnet(nicWithSubnet(undefined, undefined));
    expect(isUnknown(key) && key.reason).toBe("missing");
    expect(topo.diagnostics).toHaveLength(1);
  });

  test("absent NSG reference is null (no association), not unknown", () => {
    const topo = buildTopology(setProp(happyPath(), "subnet-web", "networkSecurityGroup", undefined));
    expect(topo.subnets.get(U.subnetWeb)!.nsgKey).toBeNull();
    expect(topo.diagnostics).toEqual([]);
  });

  test("subnet NSG with unknown id: through propertyDependencies of networkSecurityGroup", () => {
    const records = change(happyPath(), "subnet-web", (r) => ({
      ...r,
      props: { ...r.props, networkSecurityGroup: { id: unknown(".networkSecurityGroup.id", r.urn) } },
      propertyDependencies: { networkSecurityGroup: [U.nsgWeb] },
    }));
    expect(buildTopology(records).subnets.get(U.subnetWeb)!.nsgKey).toBe(U.nsgWeb);
  });

  test("a dependency of the wrong type is not a candidate", () => {
    const records = change(happyPath(), "subnet-web", (r) => ({
      ...r,
      props: { ...r.props, networkSecurityGroup: { id: unknown(".networkSecurityGroup.id", r.urn) } },
      propertyDependencies: { networkSecurityGroup: [U.rt] },
    }));
    expect(isUnknown(buildTopology(records).subnets.get(U.subnetWeb)!.nsgKey)).toBe(true);
  });
});

describe("subnets: inline and standalone merged", () => {
  test("a subnet both inline (outputs) and standalone is one subnet; the standalone declaration wins", () => {
    const records = setProp(happyPath(), "vnet", "subnets", [
      { name: "app", addressPrefix: "10.1.1.0/24", id: ID.subnetApp },
      { name: "web", addressPrefix: "10.1.2.0/24", id: ID.subnetWeb, networkSecurityGroup: null },
    ]);
    const topo = buildTopology(records);
    expect([...topo.subnets.keys()]).toEqual([`${U.vnet}/subnets/app`, U.subnetWeb].sort());
    expect(topo.subnets.get(U.subnetWeb)!.nsgKey).toBe(U.nsgWeb);
    expect(topo.vnets.get(U.vnet)!.subnetKeys).toHaveLength(2);
  });

  test("twins matched by id even when names differ in case", () => {
    const records = setProp(happyPath(), "vnet", "subnets", [{ name: "WEB", addressPrefix: "10.1.2.0/24", id: ID.subnetWeb.toUpperCase() }]);
    expect(buildTopology(records).subnets.size).toBe(1);
  });

  test("standalone subnet with unknown id finds its VNet by virtualNetworkName", () => {
    const records = change(happyPath(), "subnet-web", (r) => ({ ...r, id: unknown(".id", r.urn) }));
    const topo = buildTopology(records);
    expect(topo.subnets.get(U.subnetWeb)!.vnetKey).toBe(U.vnet);
    // The id is still derived from the VNet id and the name: references by id keep working.
    expect(topo.subnets.get(U.subnetWeb)!.id).toBe(ID.subnetWeb);
    expect(topo.nics.get(U.nic)!.ipConfigurations[0].subnetKey).toBe(U.subnetWeb);
  });

  test("two VNets of the same name: the resource group decides", () => {
    const other = rec("azure-native:network:VirtualNetwork", "vnet-2", { name: "vnet-spoke", addressSpace: { addressPrefixes: ["10.9.0.0/16"] } }, {
      id: unknown(".id", "x"),
      inputs: { resourceGroupName: "rg-other" },
    });
    const records = change([...happyPath(), other], "subnet-web", (r) => ({ ...r, id: unknown(".id", r.urn) }));
    expect(buildTopology(records).subnets.get(U.subnetWeb)!.vnetKey).toBe(U.vnet);
  });

  test("two VNets of the same name and no resource group to tell: ambiguous", () => {
    const other = rec("azure-native:network:VirtualNetwork", "vnet-2", { name: "vnet-spoke" }, { id: unknown(".id", "x") });
    const records = change([...happyPath(), other], "subnet-web", (r) => ({ ...r, id: unknown(".id", r.urn), inputs: { virtualNetworkName: "vnet-spoke" } }));
    const topo = buildTopology(records);
    const vnetKey = topo.subnets.get(U.subnetWeb)!.vnetKey;
    expect(isUnknown(vnetKey) && vnetKey.reason).toBe("ambiguous reference: candidates vnet, vnet-2");
  });

  test("standalone subnet with unknown VNet name: through propertyDependencies.virtualNetworkName", () => {
    const records = change(happyPath(), "subnet-web", (r) => ({
      ...r,
      id: unknown(".id", r.urn),
      inputs: { virtualNetworkName: unknown(".virtualNetworkName", r.urn) },
      propertyDependencies: { virtualNetworkName: [U.vnet] },
    }));
    expect(buildTopology(records).subnets.get(U.subnetWeb)!.vnetKey).toBe(U.vnet);
  });

  test("unknown address prefix stays Unknown", () => {
    const records = setProp(happyPath(), "subnet-web", "addressPrefix", unknown(".addressPrefix", U.subnetWeb));
    const s = buildTopology(records).subnets.get(U.subnetWeb)!;
    expect(s.addressSpace).toEqual(unknown(".addressPrefix", U.subnetWeb));
    expect(s.addressPrefixes).toEqual([]);
  });

  test("malformed subnet prefix is reported", () => {
    const topo = buildTopology(setProp(happyPath(), "subnet-web", "addressPrefix", "10.1.2.0/40"));
    expect(topo.diagnostics.map((d) => [d.code, d.field])).toEqual([["invalid-prefix", "addressPrefix"]]);
  });
});

describe("policy args after deployment: no top-level ids, only names and child ids", () => {
  test("references by known id resolve through names and resource groups", () => {
    const records = happyPath().map((r) => ({ ...r, id: undefined }));
    const topo = buildTopology(records);
    expect(topo.diagnostics).toEqual([]);
    expect(topo.nics.get(U.nic)!.ipConfigurations[0]).toMatchObject({ subnetKey: U.subnetWeb, asgKeys: [U.asgWeb], publicIpKey: U.pip });
    expect(topo.subnets.get(U.subnetWeb)).toMatchObject({ vnetKey: U.vnet, nsgKey: U.nsgWeb, routeTableKey: U.rt });
    expect(topo.vms.get(U.vm)!.primaryNicKey).toBe(U.nic);
  });

  test("a parent's id is recovered from its children's ids", () => {
    const records = setProp(happyPath(), "vnet", "subnets", [{ name: "app", addressPrefix: "10.1.1.0/24", id: ID.subnetApp }]).map((r) => ({ ...r, id: undefined }));
    const topo = buildTopology(records);
    expect(topo.vnets.get(U.vnet)!.id).toBe(ID.vnet);
    expect(isUnknown(topo.nsgs.get(U.nsgWeb)!.id)).toBe(true);
  });
});
