import { existsSync } from "fs";
import { join } from "path";
import { CATALOGUE, findCheck } from "../../src/checks/catalogue";

/** Stable ids: never renumber or reuse. Adding a check appends a row. */
const PINNED: ReadonlyArray<readonly [string, string, string]> = [
  ["AR-001", "internet-exposure", "high"],
  ["AR-002", "shadowed-rule", "medium"],
  ["AR-003", "unreachable-rule", "low"],
  ["AR-004", "cross-layer-contradiction", "medium"],
  ["AR-005", "missing-appliance", "high"],
  ["AR-006", "appliance-ip-forwarding-disabled", "high"],
  ["AR-007", "appliance-route-loop", "high"],
  ["AR-008", "route-to-none", "low"],
  ["AR-009", "unattached-route-table", "low"],
  ["AR-010", "unfiltered-nic", "medium"],
  ["AR-011", "subnet-without-nsg", "low"],
  ["AR-012", "unattached-nsg", "low"],
  ["AR-013", "invalid-rule", "high"],
  ["AR-014", "model-diagnostic", "low"],
  ["AR-015", "invalid-suppression", "medium"],
  ["AR-020", "flow-count-risk", "medium"],
  ["AR-030", "service-endpoint-bypasses-appliance", "medium"],
  ["AR-031", "bastion-subnet-nsg", "high"],
  ["AR-032", "app-gateway-subnet-nsg", "high"],
  ["AR-033", "gateway-subnet-nsg", "medium"],
  ["AR-034", "firewall-subnet-nsg", "high"],
  ["AR-040", "firewall-shadowed-rule", "medium"],
  ["AR-041", "firewall-dnat-target-missing", "high"],
  ["AR-050", "admin-rule-overrides-nsg-rule", "medium"],
];

const camel = (kebab: string): string => kebab.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

describe("check catalogue", () => {
  test("ids, names and default severities are pinned", () => {
    expect(CATALOGUE.map((c) => [c.id, c.name, c.severity])).toEqual(PINNED);
  });

  test.each(CATALOGUE.map((c) => [c.name, c] as const))("%s: title, explanation and fix are present", (_name, c) => {
    expect(c.title.length).toBeGreaterThan(5);
    expect(c.explanation.length).toBeGreaterThan(40);
    expect(c.fix.length).toBeGreaterThan(10);
    expect(c.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });

  test.each(CATALOGUE.map((c) => [c.name, c] as const))("%s lives in src/checks/<name>.ts as a named export", (name, c) => {
    const file = join(__dirname, "../../src/checks", `${name}.ts`);
    expect(existsSync(file)).toBe(true);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(file) as Record<string, unknown>;
    expect(mod[camel(name)]).toBe(c);
    expect(mod.default).toBeUndefined();
  });

  test("findCheck by name or id", () => {
    expect(findCheck("AR-004")?.name).toBe("cross-layer-contradiction");
    expect(findCheck("ar-004")?.name).toBe("cross-layer-contradiction");
    expect(findCheck("shadowed-rule")?.id).toBe("AR-002");
    expect(findCheck("nope")).toBeUndefined();
  });
});
