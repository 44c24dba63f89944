import { runCheck } from "../../src/check-run/run";
import { engineEnv } from "../../src/engine/nsg";
import { EMPTY_CATALOG } from "../../src/azure/service-tags";
import { parseIntentList } from "../../src/intents/parse";
import type { Intent } from "../../src/intents/types";
import type { NextHopType } from "../../src/model/topology";
import { ModelBuilder } from "../helpers/model-builder";

function intents(raw: unknown[]): Intent[] {
  const parsed = parseIntentList(raw, { source: "test" });
  if (!parsed.ok) throw new Error(parsed.errors.join("; "));
  return parsed.intents;
}

const build = (nextHopType: NextHopType) =>
  new ModelBuilder()
    .vnet("vnet", ["10.0.0.0/16"])
    .subnet("app", "vnet", "10.0.1.0/24", { routeTable: "rt" })
    .subnet("db", "vnet", "10.0.2.0/24")
    .routeTable("rt", [{ name: "blackhole-db", prefix: "10.0.2.0/24", nextHopType }])
    .nic("app-nic", "app", "10.0.1.4")
    .nic("db-nic", "db", "10.0.2.4")
    .build();

const APP_TO_DB = { name: "app-to-db", from: { nic: "app-nic" }, to: { nic: "db-nic" }, protocol: "Tcp", ports: "1433", expect: "reachable" };
const NONE_FINDINGS = (topoHop: NextHopType, raw: unknown[]) =>
  runCheck({ env: engineEnv(build(topoHop), EMPTY_CATALOG), intents: intents(raw) }).findings.filter((f) => f.check === "route-to-none");

test("a route to None that drops the traffic a reachable intent needs is a high finding naming the intent", () => {
  const found = NONE_FINDINGS("None", [APP_TO_DB]);
  expect(found).toHaveLength(1);
  expect(found[0]).toMatchObject({ id: "AR-008", severity: "high", details: { intent: "app-to-db", subnet: "app" } });
  expect(found[0].message).toBe('route blackhole-db of route table rt (effective in subnet app) drops traffic that intent "app-to-db" needs: TCP 10.0.1.4:50000 -> 10.0.2.4:1433');
});

test.each([
  ["the route does not drop (VnetLocal)", "VnetLocal", [APP_TO_DB]],
  ["the intent expects the traffic to be dropped", "None", [{ ...APP_TO_DB, expect: "unreachable" }]],
  ["no intent", "None", []],
] as const)("near miss: %s", (_name, hop, raw) => {
  expect(NONE_FINDINGS(hop, [...raw])).toEqual([]);
});
