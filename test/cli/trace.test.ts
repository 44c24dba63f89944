import { join } from "path";
import { cli } from "../helpers/cli";

const EXAMPLE = join(__dirname, "../../examples/hub-and-spoke");
const EXPORT = join(EXAMPLE, "stack-export.json");
const PREVIEW = join(EXAMPLE, "preview.json");


interface Hop {
  type: string;
  id: string;
  address: string;
  resourceId: string;
  nextHopIds: string[];
  issues: Array<{ origin: string; severity: string; type: string; context: Array<{ key: string; value: string }> }>;
}

async function traceJson(input: string, ...args: string[]): Promise<{ connectionStatus: string; hops: Hop[]; notes: string[] }> {
  const r = await cli("trace", input, ...args, "--json");
  expect(r.code).toBe(0);
  return JSON.parse(r.out);
}

describe("trace on examples/hub-and-spoke", () => {
  test("spoke1 -> spoke2 on 443 (stack export): through the hub NVA, for every address the dynamic IPs may get", async () => {
    const j = await traceJson(EXPORT, "--from", "spoke1-vm", "--to", "spoke2-vm", "--protocol", "TCP", "--port", "443");
    expect(j.connectionStatus).toBe("Reachable");
    expect(j.hops.map((h) => [h.type, h.address])).toEqual([
      ["Source", "10.1.1.4-10.1.1.254"],
      ["VirtualAppliance", "10.0.1.4"],
      ["VNetPeering", "10.2.0.0/16"],
      ["Destination", "10.2.1.4-10.2.1.254"],
    ]);
    expect(j.hops.flatMap((h) => h.issues)).toEqual([]);
    expect(j.notes.join(" ")).toContain("source spoke1-vm: any address in subnet spoke1-workload");
  });

  test("spoke1 -> spoke2 on 22: Unreachable, naming Deny-Management-Inbound", async () => {
    const j = await traceJson(EXPORT, "--from", "spoke1-vm", "--to", "spoke2-vm", "--protocol", "TCP", "--port", "22");
    expect(j.connectionStatus).toBe("Unreachable");
    const issue = j.hops[j.hops.length - 1].issues[0];
    expect(issue).toMatchObject({ origin: "Inbound", severity: "Error", type: "NetworkSecurityRule" });
    expect(issue.context).toContainEqual({ key: "RuleName", value: "securityRules/Deny-Management-Inbound" });
  });

  test("from the Internet to the hub VM on 22: denied by the hub NSG", async () => {
    const j = await traceJson(EXPORT, "--from", "203.0.113.5", "--to", "hub-vm", "--protocol", "TCP", "--port", "22");
    expect(j.connectionStatus).toBe("Unreachable");
    expect(j.hops[1].issues[0].context).toContainEqual({ key: "RuleName", value: "securityRules/Deny-Management-From-Internet" });
  });

  test("at first preview (ids unknown) the NVA's static IP places it in its subnet: Reachable through the appliance", async () => {
    const j = await traceJson(PREVIEW, "--from", "spoke1-vm", "--to", "spoke2-vm", "--protocol", "TCP", "--port", "443");
    expect(j.connectionStatus).toBe("Reachable");
    expect(j.hops.map((h) => h.type)).toEqual(["Source", "VirtualAppliance", "VNetPeering", "Destination"]);
    expect(j.hops.flatMap((h) => h.issues).filter((i) => i.severity === "Error")).toEqual([]);
  });

  test("an IP a dynamic NIC may get is a host in its subnet, and the output says whose address it may be", async () => {
    const j = await traceJson(EXPORT, "--from", "10.1.1.4", "--to", "spoke2-vm", "--protocol", "TCP", "--port", "443");
    expect(j.connectionStatus).toBe("Reachable");
    expect(j.notes.join(" ")).toContain("a host in subnet spoke1-workload that no network interface of the plan surely holds (it may be the dynamic address of spoke1-vm-nic");
  });

  test("readable output: the verdict first, then the hops", async () => {
    const r = await cli("trace", EXPORT, "--from", "spoke1-vm", "--to", "spoke2-vm", "--protocol", "TCP", "--port", "443");
    expect(r.code).toBe(0);
    const lines = r.out.split("\n");
    expect(lines[0]).toBe("Trace TCP spoke1-vm -> spoke2-vm:443 (source port 50000): Reachable");
    expect(lines[1]).toBe("  from: any address in subnet spoke1-workload (10.1.1.4-10.1.1.254): the address is allocated at deployment");
    expect(r.out).toContain("2. VirtualAppliance nva-vm-nic 10.0.1.4  via user route default-via-nva 0.0.0.0/0 -> VirtualAppliance 10.0.1.4 (route table spoke1-rt)");
    expect(r.out).toContain("=> delivered to spoke2-vm-nic");
  });

  test.each([
    [["--from", "spoke1-vm", "--to", "spoke2-vm", "--protocol", "GRE"], "--protocol must be TCP, UDP or ICMP"],
    [["--from", "spoke1-vm", "--to", "spoke2-vm", "--protocol", "TCP"], "--port is required for TCP and UDP"],
    [["--from", "spoke1-vm", "--protocol", "TCP", "--port", "1"], "--to is required"],
    [["--from", "8.8.8.8", "--to", "1.1.1.1", "--protocol", "ICMP"], "both outside the plan"],
  ])("usage errors exit 2 with one line: %j", async (args, message) => {
    const r = await cli("trace", EXPORT, ...args);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain(message);
  });
});
