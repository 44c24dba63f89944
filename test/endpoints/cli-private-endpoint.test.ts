/**
 * The CLI on a stack export with a deployed private endpoint (fixtures/README.md): its address comes from
 * `customDnsConfigs`, its /32 beats the /24 and 0.0.0.0/0 user routes to the appliance, and the data subnet's NSG does
 * not apply (network policies Disabled). On the old code the trace was Indeterminate ("private endpoint pe-sql, which
 * the model does not represent").
 */
import { join } from "path";
import { cli } from "../helpers/cli";

const EXPORT = join(__dirname, "fixtures", "private-endpoint-export.json");

describe("CLI on a deployed private endpoint", () => {
  test("trace: Reachable straight to the endpoint, no appliance hop", async () => {
    const r = await cli("trace", EXPORT, "--from", "app-nic", "--to", "10.5.2.4", "--protocol", "TCP", "--port", "1433", "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.connectionStatus).toBe("Reachable");
    expect(j.hops.map((h: { type: string }) => h.type)).not.toContain("VirtualAppliance");
  });

  test("effective-routes: the /32 with next hop InterfaceEndpoint", async () => {
    const r = await cli("effective-routes", EXPORT, "--nic", "app-nic", "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.value).toContainEqual(expect.objectContaining({ source: "Default", state: "Active", addressPrefix: ["10.5.2.4/32"], nextHopType: "InterfaceEndpoint" }));
  });

  test("next-hop: InterfaceEndpoint, System Route", async () => {
    const r = await cli("next-hop", EXPORT, "--nic", "app-nic", "--source", "10.5.1.10", "--destination", "10.5.2.4", "--json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ nextHopType: "InterfaceEndpoint", nextHopIpAddress: null, routeTableId: "System Route" });
  });

  test("verify-flow at the endpoint: Allow, and the note says why the subnet's NSG (deny-sql) does not apply", async () => {
    const r = await cli("verify-flow", EXPORT, "--nic", "pe-sql", "--direction", "Inbound", "--protocol", "TCP", "--local", "10.5.2.4:1433", "--remote", "10.5.1.10:50000", "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.access).toBe("Allow");
    expect(j.note).toMatch(/NSG data-nsg does not apply to this private endpoint: the subnet's privateEndpointNetworkPolicies is Disabled/);
  });
});
