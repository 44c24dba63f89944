/**
 * Issue 16, point 1: the public IP SKU. The fixture program test/fixtures/programs/webserver is shaped like
 * pulumi/examples azure-ts-webserver (one NIC with a public IP, no NSG in the original), run under mocks with the
 * SKU and NSG of each stack. A Standard public IP is closed to inbound traffic unless an NSG allows it (Microsoft
 * Learn, public-ip-addresses#sku: "Secure by default model and be closed to inbound traffic when used as a
 * frontend. Allow traffic with network security group (NSG) is required"); Basic is "Open by default".
 *
 * The Standard rows fail on the code before issue 16, which took every public IP without an NSG to expose every port.
 */
import { join } from "path";
import { cli } from "../helpers/cli";

const PROGRAM = join(__dirname, "../fixtures/programs/webserver");
const INTENTS = join(PROGRAM, "intents.json");

interface Report {
  results: Array<{ name: string; verdict: string; message?: string; notes?: string[] }>;
  findings: Array<{ check: string; severity: string; message: string; details?: Record<string, unknown> }>;
}

const reports = new Map<string, Promise<Report>>();

/** One run of the program per stack (each takes seconds under mocks). */
function check(stack: string): Promise<Report> {
  const hit = reports.get(stack);
  if (hit) return hit;
  const run = cli("check", PROGRAM, "--stack", stack, "--intents", INTENTS, "--format", "json").then((r) => {
    if (r.code === 2 || r.code === 3) throw new Error(r.err);
    return JSON.parse(r.out) as Report;
  });
  reports.set(stack, run);
  return run;
}

const verdict = (rep: Report, name: string) => rep.results.find((x) => x.name === name)?.verdict;
const exposure = (rep: Report) => rep.findings.filter((f) => f.check === "internet-exposure");

describe.each([
  // [stack, Internet reaches VM on 80, no SSH from the Internet, exposed TCP ports (undefined: no finding)]
  ["basic", "pass", "fail", "*"],
  ["standard", "fail", "pass", undefined],
  ["standard-nsg", "pass", "pass", "80"],
  ["nosku", "pass", "fail", "*"],
] as const)("azure-ts-webserver shape, stack %s", (stack, reaches80, noSsh, exposed) => {
  let rep: Report;
  beforeAll(async () => {
    rep = await check(stack);
  }, 60000);

  test(`internet-reaches-web: ${reaches80}`, () => expect(verdict(rep, "internet-reaches-web")).toBe(reaches80));
  test(`no-ssh-from-internet: ${noSsh}`, () => expect(verdict(rep, "no-ssh-from-internet")).toBe(noSsh));
  test(`internet exposure: ${exposed ?? "none"}`, () => {
    const f = exposure(rep);
    if (exposed === undefined) expect(f).toEqual([]);
    else {
      expect(f).toHaveLength(1);
      expect(f[0].details?.tcpPorts).toBe(exposed);
    }
  });
});

test("no SKU in the plan: the API default (Basic) is assumed, and the answer says so", async () => {
  const rep = await check("nosku");
  const [f] = exposure(rep);
  expect(f.message).toContain("sku.name not set: assumed Basic, the default of API version 2024-05-01");
  expect(f.details?.skuAssumed).toEqual([expect.stringContaining("Basic was retired on 30 September 2025")]);
});

test("Standard without an NSG: the reachable intent's failure names the SKU", async () => {
  const rep = await check("standard");
  expect(JSON.stringify(rep.results.find((x) => x.name === "internet-reaches-web"))).toContain("public IP server-ip is Standard SKU and no NSG is on the NIC or its subnet");
});
