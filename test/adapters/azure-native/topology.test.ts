import { buildTopology } from "../../../src/adapters/azure-native";
import { isUnknown } from "../../../src/model/unknown";
import { change, happyPath, ID, rec, setProp, U, urn } from "./fixture";

describe("buildTopology: happy path", () => {
  const topo = buildTopology(happyPath());

  test("no diagnostics", () => {
    expect(topo.diagnostics).toEqual([]);
  });

  test("VNet with address space, inline and standalone subnets", () => {
    const vnet = topo.vnets.get(U.vnet)!;
    expect(vnet.azureName).toBe("vnet-spoke");
    expect(vnet.addressPrefixes).toEqual(["10.1.0.0/16"]);
    expect(isUnknown(vnet.addressSpace)).toBe(false);
    expect(vnet.subnetKeys).toEqual([`${U.vnet}/subnets/app`, U.subnetWeb].sort());
    expect(vnet.tags).toEqual({ env: "dev" });
  });

  test("inline subnet gets a synthesized id and key under its VNet", () => {
    const app = topo.subnets.get(`${U.vnet}/subnets/app`)!;
    expect(app.id).toBe(ID.subnetApp);
    expect(app.urn).toBe(U.vnet);
    expect(app.logicalName).toBe("");
    expect(app.vnetKey).toBe(U.vnet);
    expect(app.nsgKey).toBeNull();
    expect(app.routeTableKey).toBeNull();
  });

  test("standalone subnet resolves its VNet, NSG and route table by id", () => {
    const web = topo.subnets.get(U.subnetWeb)!;
    expect(web.vnetKey).toBe(U.vnet);
    expect(web.nsgKey).toBe(U.nsgWeb);
    expect(web.routeTableKey).toBe(U.rt);
    expect(web.addressPrefixes).toEqual(["10.1.2.0/24"]);
  });

  test("NSG has inline and standalone rules and six synthesized defaults", () => {
    const nsg = topo.nsgs.get(U.nsgWeb)!;
    expect(nsg.rules.map((r) => [r.name, r.origin, r.valid])).toEqual([
      ["allow-https", "inline", true],
      ["allow-ssh", "standalone", true],
    ]);
    expect(nsg.rules[1].urn).toBe(U.ruleSsh);
    expect(nsg.defaultRules.map((r) => r.name)).toEqual([
      "AllowVnetInBound",
      "AllowAzureLoadBalancerInBound",
      "DenyAllInBound",
      "AllowVnetOutBound",
      "AllowInternetOutBound",
      "DenyAllOutBound",
    ]);
  });

  test("NIC: ip configuration, ASG, public IP, VM", () => {
    const nic = topo.nics.get(U.nic)!;
    expect(nic.ipConfigurations).toHaveLength(1);
    const c = nic.ipConfigurations[0];
    expect(c).toMatchObject({
      name: "ipconfig1",
      primary: true,
      subnetKey: U.subnetWeb,
      allocation: "Static",
      privateIpAddress: "10.1.2.4",
      asgKeys: [U.asgWeb],
      publicIpKey: U.pip,
      backendPoolRefs: [],
    });
    expect(nic.nsgKey).toBeNull();
    expect(nic.ipForwarding).toBe(false);
    expect(nic.vmKey).toBe(U.vm);
    expect(nic.tags).toEqual({ tier: "web" });
  });

  test("VM primary NIC is the first when none is flagged", () => {
    const vm = topo.vms.get(U.vm)!;
    expect(vm.nicKeys).toEqual([U.nic]);
    expect(vm.primaryNicKey).toBe(U.nic);
  });

  test("route table with its route", () => {
    const rt = topo.routeTables.get(U.rt)!;
    expect(rt.disableBgpRoutePropagation).toBe(false);
    expect(rt.routes).toHaveLength(1);
    expect(rt.routes[0]).toMatchObject({
      name: "default",
      origin: "inline",
      addressPrefixText: "0.0.0.0/0",
      nextHopType: "VirtualAppliance",
      nextHopIpAddress: "10.0.0.4",
      valid: true,
    });
  });

  test("public IP and ASG", () => {
    expect(topo.publicIps.get(U.pip)!.ipAddress).toBe("20.1.2.3");
    expect(topo.asgs.get(U.asgWeb)!.azureName).toBe("asg-web");
  });

  test("maps iterate in key order", () => {
    for (const m of [topo.vnets, topo.subnets, topo.nics, topo.nsgs, topo.routeTables]) {
      const keys = [...m.keys()];
      expect(keys).toEqual([...keys].sort());
    }
  });

  test("input order does not change the model", () => {
    const reversed = buildTopology([...happyPath()].reverse());
    expect([...reversed.subnets.keys()]).toEqual([...topo.subnets.keys()]);
    expect(reversed.nsgs.get(U.nsgWeb)!.rules.map((r) => r.name)).toEqual(["allow-https", "allow-ssh"]);
  });
});

describe("buildTopology: versioned type tokens", () => {
  test("a versioned Subnet and NSG are read like unversioned ones", () => {
    const records = change(change(happyPath(), "subnet-web", (r) => ({ ...r, type: "azure-native:network/v20240501:Subnet" })), "nsg-web", (r) => ({
      ...r,
      type: "azure-native:network/v20230901:NetworkSecurityGroup",
    }));
    const topo = buildTopology(records);
    expect(topo.subnets.get(U.subnetWeb)!.nsgKey).toBe(U.nsgWeb);
    expect(topo.nsgs.get(U.nsgWeb)!.rules).toHaveLength(2);
  });

  test("other packages and resources are ignored", () => {
    const records = [
      ...happyPath(),
      rec("azure-native:resources:ResourceGroup", "rg", { name: "rg-net" }),
      rec("azure:network/virtualNetwork:VirtualNetwork", "classic", { name: "x" }),
      { ...rec("my:index:Component", "comp", {}), custom: false },
    ];
    const topo = buildTopology(records);
    expect(topo.vnets.size).toBe(1);
    // Not modelled, but never silent (issue 12 point 8): the classic-provider VNet is listed; the resource group and
    // the component carry no traffic.
    expect(topo.diagnostics.map((d) => d.code)).toEqual(["unmodelled-resources"]);
    expect(topo.unmodelled?.map((u) => u.name)).toEqual(["classic"]);
  });
});

describe("buildTopology: names", () => {
  test("Azure name from props, else the path parameter, else Unknown", () => {
    let records = setProp(happyPath(), "vnet", "name", undefined);
    let topo = buildTopology(records);
    expect(topo.vnets.get(U.vnet)!.azureName).toBe("vnet-spoke");
    records = change(records, "vnet", (r) => ({ ...r, inputs: { resourceGroupName: "rg-net" } }));
    topo = buildTopology(records);
    const name = topo.vnets.get(U.vnet)!.azureName;
    expect(isUnknown(name) && name.path).toBe(".name");
  });

  test("urn helper sanity", () => {
    expect(urn("a:b:C", "x")).toBe("urn:pulumi:dev::net::a:b:C::x");
  });
});
