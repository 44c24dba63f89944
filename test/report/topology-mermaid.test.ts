/**
 * The plan's picture in the pull request comment (src/report/topology-mermaid.ts): drawn whatever the verdicts
 * (these tests fail on the code before it: the markdown had no "### Topology" section when every intent passed),
 * every intent an arrow coloured by its verdict, summarised per VNet on large plans, capped past many VNets.
 */
import { join } from "path";
import { cli } from "../helpers/cli";
import { ModelBuilder } from "../helpers/model-builder";
import { SKETCH_LIMITS, topologyFlowchart, topologySketch } from "../../src/report/topology-mermaid";
import type { IntentResult } from "../../src/report/types";

const EXAMPLES = join(__dirname, "../../examples");

function mermaidBlock(md: string, heading: string): string {
  const rest = md.slice(md.indexOf(heading));
  const start = rest.indexOf("```mermaid\n") + "```mermaid\n".length;
  return rest.slice(start, rest.indexOf("\n```", start));
}

test("every intent passes: the comment still draws the plan, one arrow per intent, crossed when nothing may pass", async () => {
  const r = await cli("check", join(EXAMPLES, "hub-and-spoke/stack-export.json"), "--intents", join(EXAMPLES, "hub-and-spoke/intents.json"), "--format", "markdown");
  expect(r.code).toBe(0);
  expect(r.out).toContain("## Azure reachability: PASS");
  expect(r.out).not.toContain("### Paths");
  const chart = mermaidBlock(r.out, "### Topology");
  expect(chart.split("\n").slice(0, 4)).toEqual([
    "flowchart LR",
    '  subgraph v0["hub<br/>10.0.0.0/16"]',
    '    s0["hub-workload 10.0.2.0/24<br/>NSG hub-nsg<br/>1 NIC"]',
    '    s1["nva 10.0.1.0/24<br/>no NSG<br/>1 NIC; appliance nva-vm-nic"]',
  ]);
  expect(chart).toContain('  v0 -.-|"peered"| v1');
  expect(chart).toContain('  s2 -->|"spoke1-reaches-spoke2-https: pass"| s3');
  expect(chart).toContain('  s2 --x|"no-ssh-between-spokes: pass"| v2');
  expect(chart).toContain('  x0 --x|"no-ssh-from-internet-to-hub: pass"| v0');
  expect(chart).toContain("  linkStyle 2 stroke:#2e7d32,stroke-width:2px");
});

test("stacks together: the hub's VNet from --with-stack is drawn, named with its stack, peered with the spoke", async () => {
  const split = join(EXAMPLES, "split-hub-and-spoke");
  const r = await cli("check", join(split, "spoke/stack-export.json"), "--intents", join(split, "spoke/intents.json"), "--with-stack", join(split, "hub/stack-export.json"), "--format", "markdown");
  const chart = mermaidBlock(r.out, "### Topology");
  expect(chart).toContain('subgraph v0["split-hub/hub<br/>10.0.0.0/16"]');
  expect(chart).toContain('s0["nva 10.0.1.0/24<br/>no NSG, routes split-hub/nva-rt<br/>1 NIC; appliance split-hub/nva-nic"]');
  expect(chart).toContain('  v0 -.-|"peered"| v1');
  // Both intents go from the workload subnet to the Internet: one arrow counts them.
  expect(chart).toContain('  s2 -->|"2 pass"| x0');
  expect(chart).toContain('  x0(["Internet"])');
});

/** `vnets` VNets of `perVnet` subnets each, a chain of peerings (both ways), and results between them. */
function plan(vnets: number, perVnet: number) {
  const b = new ModelBuilder();
  for (let v = 0; v < vnets; v++) {
    b.vnet(`v${v}`, [`10.${v}.0.0/16`]);
    for (let s = 0; s < perVnet; s++) b.subnet(`v${v}-s${s}`, `v${v}`, `10.${v}.${s}.0/24`);
    if (v > 0) b.peering(`p${v}a`, `v${v - 1}`, `v${v}`).peering(`p${v}b`, `v${v}`, `v${v - 1}`);
  }
  return topologySketch(b.build());
}

const result = (name: string, verdict: IntentResult["verdict"], from: Record<string, unknown>, to: Record<string, unknown>): IntentResult =>
  ({ name, verdict, expect: "reachable", reach: { from, to, protocol: "Tcp", ports: "443", layer: "network" } }) as unknown as IntentResult;

test.each([
  [2, 3, false],
  [4, 10, true],
])("%i VNets of %i subnets: summarised per VNet = %s", (vnets, perVnet, summarised) => {
  const sketch = plan(vnets, perVnet);
  const { source, note } = topologyFlowchart(sketch, [result("a", "pass", { subnet: "v0-s0" }, { subnet: "v1-s1" }), result("b", "fail", { subnet: "v0-s1" }, { subnet: "v1-s2" })]);
  expect(source.includes("subgraph")).toBe(!summarised);
  if (summarised) {
    expect(note).toBe(`${vnets * perVnet} subnets: drawn per VNet`);
    expect(source).toContain(`  v0["v0<br/>10.0.0.0/16<br/>${perVnet} subnets, 0 NICs"]`);
    // Both intents go from v0 to v1: one arrow counts them, red because one fails.
    expect(source).toContain('  v0 -->|"1 FAIL, 1 pass"| v1');
    expect(source).toContain("stroke:#c62828");
  } else {
    expect(note).toBeUndefined();
    expect(source).toContain('-->|"a: pass"|');
    expect(source).toContain('-->|"b: FAIL"|');
  }
});

test("past the VNet cap: the VNets the intents touch are kept, the rest counted; the source stays small", () => {
  const vnets = SKETCH_LIMITS.vnets + 20;
  const sketch = plan(vnets, 1);
  const { source, note } = topologyFlowchart(sketch, [result("far", "indeterminate", { vnet: `v${vnets - 1}` }, { serviceTag: "Internet" })]);
  expect(note).toBe(`${vnets} subnets: drawn per VNet; 20 VNets not drawn (those the intents do not touch, least peered first)`);
  expect(source).toContain(`v${vnets - 1}[`);
  expect(source).toContain(`-.->|"far: undecided"| x0`);
  expect(source.split("\n").filter((l) => /^ {2}v\d+\[/.test(l))).toHaveLength(SKETCH_LIMITS.vnets);
  expect(source.length).toBeLessThan(20_000);
});

test("labels from the plan are escaped for Mermaid", () => {
  const b = new ModelBuilder().vnet('we"ird|<v>', ["10.9.0.0/16"]).subnet("s[1]", 'we"ird|<v>', "10.9.1.0/24");
  const { source } = topologyFlowchart(topologySketch(b.build()), []);
  expect(source).toContain('subgraph v0["we#quot;ird#124;#lt;v#gt;<br/>10.9.0.0/16"]');
  expect(source).toContain('s0["s#91;1#93; 10.9.1.0/24');
});
