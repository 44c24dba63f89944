import { buildTopology } from "../../../src/adapters/azure-native";
import { isUnknown, unknown } from "../../../src/model/unknown";
import type { PropertyObject, ResourceRecord } from "../../../src/resources/record";
import { IpSet } from "../../../src/sets/ip-set";
import { change, happyPath, ID, NET, rec, setProp, U, urn } from "./fixture";

const N = (r: string): string => `azure-native:network:${r}`;

const HUB_ID = `${NET}/virtualNetworks/vnet-hub`;
const hub = (): ResourceRecord =>
  rec(N("VirtualNetwork"), "hub", { name: "vnet-hub", addressSpace: { addressPrefixes: ["10.0.0.0/16"] } }, { id: HUB_ID });
const HUB_URN = urn(N("VirtualNetwork"), "hub");

describe("peerings", () => {
  const standalone = (props: PropertyObject, opts: Partial<ResourceRecord> = {}): ResourceRecord => ({
    ...rec(N("VirtualNetworkPeering"), "spoke-to-hub", props, { id: `${ID.vnet}/virtualNetworkPeerings/spoke-to-hub`, inputs: { virtualNetworkName: "vnet-spoke" } }),
    ...opts,
  });
  const PEER_URN = urn(N("VirtualNetworkPeering"), "spoke-to-hub");

  test("standalone peering: local VNet, remote VNet by id, Azure default flags", () => {
    const topo = buildTopology([...happyPath(), hub(), standalone({ name: "spoke-to-hub", remoteVirtualNetwork: { id: HUB_ID } })]);
    expect(topo.peerings.get(PEER_URN)).toMatchObject({
      name: "spoke-to-hub",
      vnetKey: U.vnet,
      remoteVnetKey: HUB_URN,
      allowVirtualNetworkAccess: true,
      allowForwardedTraffic: false,
      allowGatewayTransit: false,
      useRemoteGateways: false,
    });
    expect(topo.vnets.get(U.vnet)!.peeringKeys).toEqual([PEER_URN]);
    // The fixture's hub has no peering back: the one warning says so (docs/azure-semantics.md §2.4).
    expect(topo.diagnostics.map((d) => [d.code, d.resource])).toEqual([["one-sided-peering", "urn:pulumi:dev::net::azure-native:network:VirtualNetwork::hub"]]);
  });

  test("flags as written; unknown flags stay unknown", () => {
    const topo = buildTopology([
      ...happyPath(),
      hub(),
      standalone({
        name: "spoke-to-hub",
        remoteVirtualNetwork: { id: HUB_ID },
        allowVirtualNetworkAccess: false,
        allowForwardedTraffic: true,
        useRemoteGateways: unknown(".useRemoteGateways", PEER_URN),
      }),
    ]);
    const p = topo.peerings.get(PEER_URN)!;
    expect(p.allowVirtualNetworkAccess).toBe(false);
    expect(p.allowForwardedTraffic).toBe(true);
    expect(isUnknown(p.useRemoteGateways)).toBe(true);
  });

  test("inline peering, and the same peering listed inline in outputs next to the standalone one", () => {
    const inline = [{ name: "spoke-to-hub", remoteVirtualNetwork: { id: HUB_ID }, allowForwardedTraffic: true }];
    let topo = buildTopology([...setProp(happyPath(), "vnet", "virtualNetworkPeerings", inline), hub()]);
    const key = `${U.vnet}/virtualNetworkPeerings/spoke-to-hub`;
    expect([...topo.peerings.keys()]).toEqual([key]);
    expect(topo.peerings.get(key)).toMatchObject({ logicalName: "", urn: U.vnet, remoteVnetKey: HUB_URN, allowForwardedTraffic: true });

    topo = buildTopology([
      ...setProp(happyPath(), "vnet", "virtualNetworkPeerings", inline),
      hub(),
      standalone({ name: "spoke-to-hub", remoteVirtualNetwork: { id: HUB_ID } }),
    ]);
    expect([...topo.peerings.keys()]).toEqual([PEER_URN]);
  });

  test("remote VNet outside the plan: Unknown with the id, reported", () => {
    const topo = buildTopology([...happyPath(), standalone({ name: "spoke-to-hub", remoteVirtualNetwork: { id: HUB_ID } })]);
    const remote = topo.peerings.get(PEER_URN)!.remoteVnetKey;
    expect(isUnknown(remote) && remote.reason).toBe(`not in the plan: ${HUB_ID}`);
    expect(topo.diagnostics.map((d) => d.code)).toEqual(["unresolved-reference"]);
  });

  test("remote VNet unknown at preview, resolved through propertyDependencies.remoteVirtualNetwork", () => {
    const topo = buildTopology([
      ...happyPath(),
      hub(),
      standalone(
        { name: "spoke-to-hub", remoteVirtualNetwork: { id: unknown(".remoteVirtualNetwork.id", PEER_URN) } },
        { propertyDependencies: { remoteVirtualNetwork: [HUB_URN] }, id: unknown(".id", PEER_URN) },
      ),
    ]);
    expect(topo.peerings.get(PEER_URN)!.remoteVnetKey).toBe(HUB_URN);
    expect(topo.peerings.get(PEER_URN)!.vnetKey).toBe(U.vnet);
  });
});

describe("routes", () => {
  const RT = "rt";
  const withRoutes = (routes: PropertyObject[]): ResourceRecord[] => setProp(happyPath(), RT, "routes", routes);
  const routesOf = (records: ResourceRecord[]) => {
    const topo = buildTopology(records);
    return { routes: topo.routeTables.get(U.rt)!.routes, diagnostics: topo.diagnostics };
  };
  const ROUTE_URN = urn(N("Route"), "route-onprem");
  const standaloneRoute = (props: PropertyObject): ResourceRecord =>
    rec(N("Route"), "route-onprem", props, { id: `${ID.rt}/routes/onprem`, inputs: { routeTableName: "rt-spoke" } });

  test("inline and standalone routes merged without duplicates", () => {
    const records = [
      ...withRoutes([
        { name: "default", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.0.4" },
        { name: "onprem", addressPrefix: "192.168.0.0/16", nextHopType: "VirtualNetworkGateway" },
      ]),
      standaloneRoute({ name: "onprem", addressPrefix: "192.168.0.0/16", nextHopType: "VirtualNetworkGateway" }),
    ];
    const { routes, diagnostics } = routesOf(records);
    expect(routes.map((r) => [r.name, r.origin, r.urn])).toEqual([
      ["default", "inline", U.rt],
      ["onprem", "standalone", ROUTE_URN],
    ]);
    expect((routes[1].addressPrefix as IpSet).contains("192.168.4.4")).toBe(true);
    expect(diagnostics).toEqual([]);
  });

  test("disableBgpRoutePropagation as written, default false", () => {
    expect(buildTopology(setProp(happyPath(), RT, "disableBgpRoutePropagation", true)).routeTables.get(U.rt)!.disableBgpRoutePropagation).toBe(true);
  });

  test.each([
    ["service tag prefix", { addressPrefix: "Storage", nextHopType: "Internet" }, "route-service-tag", "info", true],
    ["malformed prefix", { addressPrefix: "10.0.0.0/99", nextHopType: "Internet" }, "invalid-route", "error", false],
    ["unknown next hop type", { addressPrefix: "10.0.0.0/8", nextHopType: "Firewall" }, "invalid-route", "error", false],
    ["appliance without address", { addressPrefix: "10.0.0.0/8", nextHopType: "VirtualAppliance" }, "invalid-route", "error", false],
    ["bad appliance address", { addressPrefix: "10.0.0.0/8", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.0.0.999" }, "invalid-route", "error", false],
    ["host bits", { addressPrefix: "10.1.1.1/16", nextHopType: "None" }, "prefix-normalised", "warning", true],
  ])("%s", (_case, fields, code, severity, valid) => {
    const { routes, diagnostics } = routesOf(withRoutes([{ name: "r", ...fields } as PropertyObject]));
    expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([[code, severity]]);
    expect(diagnostics[0].field).toMatch(/^routes\[r\]\./);
    expect(diagnostics[0].resource).toBe(U.rt);
    expect(routes[0].valid).toBe(valid);
  });

  test("service tag prefix: addressPrefix undefined, text kept", () => {
    const { routes } = routesOf(withRoutes([{ name: "r", addressPrefix: "Storage", nextHopType: "Internet" }]));
    expect(routes[0].addressPrefix).toBeUndefined();
    expect(routes[0].addressPrefixText).toBe("Storage");
  });

  test("next hop type is case-insensitive and normalised", () => {
    const { routes } = routesOf(withRoutes([{ name: "r", addressPrefix: "10.0.0.0/8", nextHopType: "vnetlocal" }]));
    expect(routes[0].nextHopType).toBe("VnetLocal");
  });
});

describe("NICs and VMs", () => {
  const NIC2 = urn(N("NetworkInterface"), "nic-2");
  const nic2 = (props: PropertyObject = {}): ResourceRecord =>
    rec(N("NetworkInterface"), "nic-2", {
      name: "nic-2",
      ipConfigurations: [{ name: "a", subnet: { id: ID.subnetApp } }, { name: "b", subnet: { id: ID.subnetApp }, primary: true }],
      enableIPForwarding: true,
      networkSecurityGroup: { id: ID.nsgWeb },
      ...props,
    }, { id: `${NET}/networkInterfaces/nic-2` });

  test("defaults and flags: dynamic allocation, flagged primary, IP forwarding, NIC NSG", () => {
    const topo = buildTopology([...happyPath(), nic2()]);
    const nic = topo.nics.get(NIC2)!;
    expect(nic.ipConfigurations.map((c) => [c.name, c.primary, c.allocation, c.privateIpAddress])).toEqual([
      ["a", false, "Dynamic", undefined],
      ["b", true, "Dynamic", undefined],
    ]);
    expect(nic.ipForwarding).toBe(true);
    expect(nic.nsgKey).toBe(U.nsgWeb);
    expect(nic.vmKey).toBeUndefined();
  });

  test("unknown private address and IP forwarding stay unknown", () => {
    const topo = buildTopology([
      ...happyPath(),
      nic2({ enableIPForwarding: unknown(".enableIPForwarding", NIC2), ipConfigurations: [{ name: "a", subnet: { id: ID.subnetApp }, privateIPAddress: unknown(".ipConfigurations[0].privateIPAddress", NIC2) }] }),
    ]);
    const nic = topo.nics.get(NIC2)!;
    expect(isUnknown(nic.ipForwarding)).toBe(true);
    expect(isUnknown(nic.ipConfigurations[0].privateIpAddress)).toBe(true);
    expect(nic.ipConfigurations[0].primary).toBe(true);
  });

  test("an unknown ASG membership makes asgKeys Unknown", () => {
    const topo = buildTopology([
      ...happyPath(),
      nic2({ ipConfigurations: [{ name: "a", subnet: { id: ID.subnetApp }, applicationSecurityGroups: [{ id: ID.asgWeb }, { id: unknown(".ipConfigurations[0].applicationSecurityGroups[1].id", NIC2) }] }] }),
    ]);
    expect(isUnknown(topo.nics.get(NIC2)!.ipConfigurations[0].asgKeys)).toBe(true);
  });

  test("VM: primary NIC is the flagged one; NICs know their VM", () => {
    const records = [
      ...setProp(happyPath(), "vm-web", "networkProfile", {
        networkInterfaces: [{ id: ID.nic, primary: false }, { id: `${NET}/networkInterfaces/nic-2`, primary: true }],
      }),
      nic2(),
    ];
    const topo = buildTopology(records);
    const vm = topo.vms.get(U.vm)!;
    expect(vm.nicKeys).toEqual([U.nic, NIC2]);
    expect(vm.primaryNicKey).toBe(NIC2);
    expect(topo.nics.get(NIC2)!.vmKey).toBe(U.vm);
    expect(topo.nics.get(U.nic)!.vmKey).toBe(U.vm);
  });

  test("VM NIC reference unknown at preview: through propertyDependencies.networkProfile", () => {
    const records = change(happyPath(), "vm-web", (r) => ({
      ...r,
      props: { ...r.props, networkProfile: { networkInterfaces: [{ id: unknown(".networkProfile.networkInterfaces[0].id", r.urn) }] } },
      propertyDependencies: { networkProfile: [U.nic] },
    }));
    const topo = buildTopology(records);
    expect(topo.vms.get(U.vm)!.primaryNicKey).toBe(U.nic);
    expect(topo.nics.get(U.nic)!.vmKey).toBe(U.vm);
  });

  test("a NIC claimed by two VMs is reported", () => {
    const vm2 = rec("azure-native:compute:VirtualMachine", "vm-2", { networkProfile: { networkInterfaces: [{ id: ID.nic }] } });
    const topo = buildTopology([...happyPath(), vm2]);
    expect(topo.diagnostics.map((d) => d.code)).toEqual(["nic-attached-twice"]);
  });
});

describe("load balancers, public IPs, gateways", () => {
  const LB_ID = `${NET}/loadBalancers/lb-web`;
  const LB_URN = urn(N("LoadBalancer"), "lb-web");
  const lb = (id: string | ReturnType<typeof unknown> = LB_ID): ResourceRecord =>
    rec(N("LoadBalancer"), "lb-web", {
      name: "lb-web",
      frontendIPConfigurations: [{ name: "fe", publicIPAddress: { id: ID.pip } }, { name: "fe-private", subnet: { id: ID.subnetWeb } }],
      backendAddressPools: [{ name: "web" }],
    }, { id });

  test("LB: public frontends and pools; NIC pool reference by id uses the same name", () => {
    const records = change([...happyPath(), lb()], "nic-web", (r) => ({
      ...r,
      props: {
        ...r.props,
        ipConfigurations: [{ name: "ipconfig1", subnet: { id: ID.subnetWeb }, loadBalancerBackendAddressPools: [{ id: `${LB_ID.toUpperCase()}/backendAddressPools/web` }] }],
      },
    }));
    const topo = buildTopology(records);
    expect(topo.loadBalancers.get(LB_URN)).toMatchObject({ publicIpKeys: [U.pip], backendPoolRefs: [`${LB_ID}/backendAddressPools/web`] });
    expect(topo.nics.get(U.nic)!.ipConfigurations[0].backendPoolRefs).toEqual([`${LB_ID}/backendAddressPools/web`]);
  });

  test("pool reference unknown at preview: the only pool of the LB named by the dependencies", () => {
    const unknownLbId = unknown(".id", LB_URN);
    const records = change([...happyPath(), lb(unknownLbId)], "nic-web", (r) => ({
      ...r,
      props: {
        ...r.props,
        ipConfigurations: [{ name: "ipconfig1", subnet: { id: ID.subnetWeb }, loadBalancerBackendAddressPools: [{ id: unknown(".x", r.urn) }] }],
      },
      propertyDependencies: { ipConfigurations: [U.subnetWeb, LB_URN] },
    }));
    const topo = buildTopology(records);
    expect(topo.loadBalancers.get(LB_URN)!.backendPoolRefs).toEqual([`${LB_URN}/backendAddressPools/web`]);
    expect(topo.nics.get(U.nic)!.ipConfigurations[0].backendPoolRefs).toEqual([`${LB_URN}/backendAddressPools/web`]);
  });

  test("public IP address unknown at preview", () => {
    const topo = buildTopology(setProp(happyPath(), "pip-web", "ipAddress", unknown(".ipAddress", U.pip)));
    expect(isUnknown(topo.publicIps.get(U.pip)!.ipAddress)).toBe(true);
    expect(buildTopology(setProp(happyPath(), "pip-web", "ipAddress", undefined)).publicIps.get(U.pip)!.ipAddress).toBeUndefined();
  });

  test("gateway: type and the subnet of its ip configuration", () => {
    const gw = rec(N("VirtualNetworkGateway"), "gw", { gatewayType: "Vpn", ipConfigurations: [{ name: "c", subnet: { id: ID.subnetApp } }] });
    const topo = buildTopology([...happyPath(), gw]);
    expect(topo.gateways.get(urn(N("VirtualNetworkGateway"), "gw"))).toMatchObject({ gatewayType: "Vpn", subnetKeys: [`${U.vnet}/subnets/app`] });
  });
});

describe("unsupported shapes are reported, not silently dropped", () => {
  test("VM networkInterfaceConfigurations", () => {
    const topo = buildTopology(setProp(happyPath(), "vm-web", "networkProfile", { networkInterfaceConfigurations: [{ name: "nic-cfg" }] }));
    expect(topo.diagnostics.map((d) => [d.code, d.field])).toEqual([["unsupported-property", "networkProfile.networkInterfaceConfigurations"]]);
    expect(topo.vms.get(U.vm)!.nicKeys).toEqual([]);
  });
});
