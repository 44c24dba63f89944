import { refusalText } from "../../src/answers/refusal";
/**
 * Issue 16, point 5: service endpoints. A subnet's `serviceEndpoints: [{service, locations}]` (pulumi-azure-native
 * sdk/nodejs/types/input.ts ServiceEndpointPropertiesFormatArgs) adds the service's prefixes, from the service tag
 * file (`Storage.WestEurope` for Microsoft.Storage in westeurope), as routes with next hop
 * VirtualNetworkServiceEndpoint (virtual-networks-udr-overview.md, "Virtual network (VNet) service endpoint"), which
 * forced-tunnel routes to appliances no longer take (virtual-network-service-endpoints-overview.md, "Optimal
 * routing"). The tag file here has Microsoft's shape ({changeNumber, cloud, values:[{name, id, properties:
 * {region, addressPrefixes}}]}) and three of the real Storage.WestEurope prefixes (ServiceTags_Public_20251028).
 * On the old code the service endpoint was ignored: the trace to 13.69.40.17 went through the appliance.
 */
import { buildTopology } from "../../src/adapters/azure-native";
import { runChecks } from "../../src/checks";
import { effectiveRoutesJson } from "../../src/answers/effective-routes";
import { effectiveRoutesForNic } from "../../src/engine/effective-routes";
import { nextHop } from "../../src/answers/next-hop";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG, type ServiceTagCatalog } from "../../src/azure/service-tags";
import { parseServiceTags } from "../../src/resources/service-tags-file";
import type { InputHints } from "../../src/model/input-hints";
import { CLI_HINTS } from "../../src/cli/input-hints";
import { PACK_HINTS } from "../../policy-pack/policies/input-hints";
import { trace } from "../../src/answers/trace";
import type { PropertyObject, PropertyValue, ResourceRecord } from "../../src/resources/record";
import { happyPath, ID, NET, rec, setProp, change } from "../adapters/azure-native/fixture";

const TAGS = (() => {
  const r = parseServiceTags(
    {
      changeNumber: 375,
      cloud: "Public",
      values: [
        { name: "Storage.WestEurope", id: "Storage.WestEurope", properties: { region: "westeurope", systemService: "AzureStorage", addressPrefixes: ["13.69.40.16/28", "13.95.96.176/28", "13.95.240.16/28"] } },
        { name: "Storage", id: "Storage", properties: { region: "", systemService: "AzureStorage", addressPrefixes: ["13.65.107.32/28", "13.69.40.16/28", "13.95.96.176/28", "13.95.240.16/28"] } },
      ],
    },
    "test",
  );
  if (!r.ok) throw new Error(r.error);
  return r.catalog;
})();

function plan(serviceEndpoints: PropertyValue | undefined, routes?: PropertyObject[]): ResourceRecord[] {
  let records = happyPath();
  if (routes) records = setProp(records, "rt", "routes", routes as PropertyValue);
  records = change(records, "subnet-web", (r) => ({ ...r, props: serviceEndpoints === undefined ? r.props : { ...r.props, serviceEndpoints } }));
  return [
    ...records,
    // The firewall the 0.0.0.0/0 route names (10.0.0.4 in the fixture) lives in a hub the plan does not hold: add it.
    rec("azure-native:network:NetworkInterface", "nic-nva", {
      name: "nic-nva",
      enableIPForwarding: true,
      ipConfigurations: [{ name: "c", subnet: { id: ID.subnetApp }, privateIPAllocationMethod: "Static", privateIPAddress: "10.1.1.10" }],
    }, { id: `${NET}/networkInterfaces/nic-nva` }),
  ];
}

const FORCED = [{ name: "default", addressPrefix: "0.0.0.0/0", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.1.1.10" }];
const STORAGE_WE = [{ service: "Microsoft.Storage", locations: ["westeurope"] }];

function traceTo(records: ResourceRecord[], to: string, tags: ServiceTagCatalog = TAGS) {
  const out = trace(engineEnv(buildTopology(records), tags), { from: "nic-web", to, protocol: "TCP", port: 443 });
  if (!out.ok) throw new Error(out.error);
  return out.result.json;
}

const hops = (j: { hops: ReadonlyArray<{ type: string }> }): string[] => j.hops.map((h) => h.type);

describe("service endpoint routes beat the forced-tunnel UDR for the service's prefixes", () => {
  test.each([
    // service endpoints, destination, through the appliance?, last words
    ["Storage in westeurope: a Storage.WestEurope address goes direct", STORAGE_WE, "13.69.40.17", false],
    ["Storage in westeurope: another public address still takes the firewall", STORAGE_WE, "13.65.107.33", true],
    ["Storage for '*': the global Storage tag's addresses go direct", [{ service: "Microsoft.Storage", locations: ["*"] }], "13.65.107.33", false],
    ["no service endpoint: everything takes the firewall", undefined, "13.69.40.17", true],
    ["a service endpoint for another service: the firewall", [{ service: "Microsoft.Sql", locations: ["westeurope"] }], "13.69.40.17", undefined],
  ])("%s", (_name, se, to, viaAppliance) => {
    const j = traceTo(plan(se as PropertyValue | undefined, FORCED), to);
    if (viaAppliance === undefined) {
      // Sql.WestEurope is not in this tag file: public destinations are undecided, named, never silently routed.
      expect(j.connectionStatus).toBe("Indeterminate");
      expect(JSON.stringify(j)).toMatch(/Sql\.westeurope/);
      return;
    }
    expect(hops(j).includes("VirtualAppliance")).toBe(viaAppliance);
    expect(j.connectionStatus).toBe("Reachable");
  });

  test("next hop names VirtualNetworkServiceEndpoint for a service address, VirtualAppliance for others", () => {
    const topo = buildTopology(plan(STORAGE_WE, FORCED));
    const ask = (ip: string) => {
      const nic = [...topo.nics.values()].find((n) => n.logicalName === "nic-web")!;
      const r = nextHop(topo, { nic, sourceIp: "10.1.2.4", destinationIp: ip }, { serviceTags: TAGS });
      if (!r.ok) throw new Error(refusalText(r.refusal));
      return [r.result.nextHopType, r.result.routeTableId];
    };
    expect(ask("13.95.96.180")).toEqual(["VirtualNetworkServiceEndpoint", "System Route"]);
    expect(ask("13.65.107.33")[0]).toBe("VirtualAppliance");
  });

  test("effective routes list one Active route per service prefix", () => {
    const topo = buildTopology(plan(STORAGE_WE, FORCED));
    const nic = [...topo.nics.values()].find((n) => n.logicalName === "nic-web")!;
    const r = effectiveRoutesForNic(topo, nic, { serviceTags: TAGS });
    if (!r.ok) throw new Error(r.error);
    const se = effectiveRoutesJson(nic, r.routes).value.filter((v) => v.nextHopType === "VirtualNetworkServiceEndpoint");
    expect(se.map((v) => [v.source, v.state, v.addressPrefix[0]])).toEqual([
      ["Default", "Active", "13.69.40.16/28"],
      ["Default", "Active", "13.95.96.176/28"],
      ["Default", "Active", "13.95.240.16/28"],
    ]);
  });

  test("an equal-prefix user route loses to the service endpoint route", () => {
    const routes = [...FORCED, { name: "pin", addressPrefix: "13.69.40.16/28", nextHopType: "VirtualAppliance", nextHopIpAddress: "10.1.1.10" }];
    const topo = buildTopology(plan(STORAGE_WE, routes));
    const nic = [...topo.nics.values()].find((n) => n.logicalName === "nic-web")!;
    const r = effectiveRoutesForNic(topo, nic, { serviceTags: TAGS });
    if (!r.ok) throw new Error(r.error);
    const pin = effectiveRoutesJson(nic, r.routes).value.find((v) => v.name === "pin");
    expect(pin?.state).toBe("Invalid");
  });

  test("without the service tag file the service's addresses are undecided, naming the tag; private ones stay decided", () => {
    expect(traceTo(plan(STORAGE_WE, FORCED), "13.69.40.17", EMPTY_CATALOG).connectionStatus).toBe("Indeterminate");
    expect(traceTo(plan(STORAGE_WE, FORCED), "10.1.1.10", EMPTY_CATALOG).connectionStatus).toBe("Reachable");
  });
});

describe("the note of a missing Service Tags file says how to give one in the front end's words (issue 14 point 6)", () => {
  const reasons = (hints: InputHints | undefined): string[] => {
    const topo = buildTopology(plan(STORAGE_WE, FORCED));
    const nic = [...topo.nics.values()].find((n) => n.logicalName === "nic-web")!;
    const r = effectiveRoutesForNic(topo, nic, { serviceTags: EMPTY_CATALOG, ...(hints ? { hints } : {}) });
    if (!r.ok) throw new Error(r.error);
    return r.routes.routes.filter((x) => x.origin === "serviceEndpoint").flatMap((x) => x.doubt.map((d) => d.reason ?? ""));
  };

  test("no hints: neutral, naming no flag and no config key", () => {
    expect(reasons(undefined)).toEqual(["service tag Storage.westeurope (service endpoint Microsoft.Storage) is not in the service tag file (none given)"]);
  });

  test("the CLI's hints name its flag, the pack's its config key", () => {
    expect(reasons(CLI_HINTS)).toEqual(["service tag Storage.westeurope (service endpoint Microsoft.Storage) is not in the service tag file (none given: pass --service-tags FILE)"]);
    expect(reasons(PACK_HINTS)).toEqual(['service tag Storage.westeurope (service endpoint Microsoft.Storage) is not in the service tag file (none given: set "serviceTagsFile" in the policy config)']);
  });
});

describe("AR-030 service-endpoint-bypasses-appliance", () => {
  const findings = (records: ResourceRecord[]) => runChecks(engineEnv(buildTopology(records), TAGS)).filter((f) => f.id === "AR-030");

  test.each([
    ["a service endpoint and 0.0.0.0/0 to an appliance: reported", STORAGE_WE, FORCED, 1],
    ["no service endpoint: nothing", undefined, FORCED, 0],
    ["0.0.0.0/0 to Internet: nothing to skip", STORAGE_WE, [{ name: "default", addressPrefix: "0.0.0.0/0", nextHopType: "Internet" }], 0],
  ])("%s", (_n, se, routes, count) => {
    expect(findings(plan(se as PropertyValue | undefined, routes))).toHaveLength(count);
  });

  test("the finding names the service, the route and the appliance", () => {
    const [f] = findings(plan(STORAGE_WE, FORCED));
    expect(f.message).toMatch(/service endpoints for Microsoft\.Storage and route default 0\.0\.0\.0\/0 -> VirtualAppliance 10\.1\.1\.10 .*skips the appliance/);
    expect(f.details).toMatchObject({ services: ["Microsoft.Storage"], serviceTags: ["Storage"], appliance: "10.1.1.10" });
  });
});
