/**
 * The pull request comment: headline, intents table, findings table, Mermaid paths, escaping.
 */
import { COMMENT_MARKER, formatCheckMarkdown, markdownCode, markdownText } from "../../src/report/markdown";
import { intentDiagram, intentFlowchart, mermaidText } from "../../src/report/mermaid";
import type { CheckReport, Evidence, IntentResult } from "../../src/report/types";
import { exampleReport, HUB_EXTRA, resultNamed, withResults } from "./reports";

let threeTier: CheckReport;
let threeTierPreview: CheckReport;
let hub: CheckReport;
let passing: CheckReport;

beforeAll(async () => {
  threeTier = await exampleReport("three-tier");
  threeTierPreview = await exampleReport("three-tier", "preview.json");
  hub = await exampleReport("hub-and-spoke", "stack-export.json", { extraIntents: HUB_EXTRA, suppressions: [{ check: "unfiltered-nic", resource: "nva-vm-nic", reason: "the NVA filters traffic itself (ticket NET-42)" }] });
  passing = await exampleReport("nsg-basics");
});

/** The rows of the first table after a heading, split into trimmed cells (escaped pipes kept inside cells). */
function tableRows(md: string, heading: string): string[][] {
  const lines = md.split("\n");
  const start = lines.findIndex((l) => l.startsWith(heading));
  const rows: string[][] = [];
  let inTable = false;
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith("|")) {
      inTable = true;
      rows.push(line.slice(2, -2).split(/(?<!\\) \| /).map((c) => c.trim()));
    } else if (inTable) break;
  }
  return rows;
}

function mermaidBlocks(md: string): string[] {
  return [...md.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]);
}

describe("markdown comment", () => {
  test("headline: marker, verdict word, summary, input and intent sources", () => {
    const md = formatCheckMarkdown(threeTier);
    const lines = md.split("\n");
    expect(lines[0]).toBe(COMMENT_MARKER);
    expect(lines[1]).toBe("## Azure reachability: FAIL");
    expect(md).toContain("7 intents: 6 pass, 1 fail (1 mandatory), 0 undecided; 7 findings.");
    expect(md).toContain("Input `examples/three-tier/stack-export.json`.");
    expect(md).toContain("Intents from `examples/three-tier/intents.json`.");
    expect(formatCheckMarkdown(passing).split("\n")[1]).toBe("## Azure reachability: PASS");
    expect(formatCheckMarkdown(threeTierPreview)).not.toMatch(/\p{Extended_Pictographic}/u);
  });

  test("intents table: one row per intent, failing first, with enforcement, ends, traffic, counterexample and blame", () => {
    const rows = tableRows(formatCheckMarkdown(threeTier), "### Intents");
    expect(rows[0]).toEqual(["Verdict", "Intent", "Enforcement", "Expect", "From → To", "Traffic", "Counterexample", "Blame"]);
    const body = rows.slice(2);
    expect(body).toHaveLength(threeTier.results.length);
    const [fail, ...rest] = body;
    expect(fail).toEqual([
      "**FAIL**",
      "`app-reaches-db`",
      "mandatory",
      "reachable",
      "asg asg-app → asg asg-db",
      "Tcp 1433",
      "`TCP 10.10.2.4:50000 -> 10.10.3.4:1433` (app-vm-1-nic → db-vm-1-nic): blocked",
      "db-nsg/securityRules/Deny-VNet-Inbound (priority 300, Inbound, Deny)",
    ]);
    expect(rest.every((r) => r[0] === "PASS" && r[6] === "" && r[7] === "")).toBe(true);
    expect(rest.map((r) => r[1])).toEqual(threeTier.results.filter((r) => r.verdict === "pass").map((r) => `\`${r.name}\``));
    expect(body.find((r) => r[1] === "`web-tier-by-tag-https`")?.[2]).toBe("advisory");
  });

  test("undecided intents: marked, blamed on the unknown values (URNs shortened to names)", () => {
    const rows = tableRows(formatCheckMarkdown(threeTierPreview), "### Intents").slice(2);
    expect(rows.map((r) => r[0]).slice(0, 2)).toEqual(["**FAIL**", "**UNDECIDED**"]);
    const undecided = rows[1];
    expect(undecided[1]).toBe("`web-reaches-app`");
    expect(undecided[6]).toBe("undecided at preview");
    expect(undecided[7]).toContain("unknown at preview: app-nsg .securityRules\\[0\\].sourceApplicationSecurityGroups\\[0\\].id");
    expect(undecided[7]).not.toContain("urn:pulumi");
  });

  test("findings table: severity, id, check, resource, message; suppressed ones marked and listed last", () => {
    const md = formatCheckMarkdown(hub);
    expect(md).toMatch(/<summary>Findings \(\d+, 1 suppressed\)<\/summary>/);
    const rows = tableRows(md, "<summary>Findings");
    expect(rows[0]).toEqual(["Severity", "ID", "Check", "Resource", "Message"]);
    const body = rows.slice(2);
    expect(body).toHaveLength(hub.findings.length);
    const last = body[body.length - 1];
    expect(last[0]).toBe("medium, suppressed");
    expect(last.slice(1, 4)).toEqual(["AR-010", "unfiltered-nic", "`nva-vm-nic` (+2)"]);
    expect(last[4]).toContain("_Suppressed: the NVA filters traffic itself (ticket NET-42)_");
    expect(body.slice(0, -1).every((r) => /^\*\*(critical|high|medium|low)\*\*$/.test(r[0]))).toBe(true);
  });

  test("a Mermaid flowchart per failing or undecided intent, none for passing ones", () => {
    expect(mermaidBlocks(formatCheckMarkdown(passing))).toEqual([]);
    expect(formatCheckMarkdown(passing)).not.toContain("### Paths");
    const blocks = mermaidBlocks(formatCheckMarkdown(threeTierPreview));
    expect(blocks).toHaveLength(2);
    expect(blocks.every((b) => b.startsWith("flowchart LR\n"))).toBe(true);
    expect(formatCheckMarkdown(threeTierPreview)).toContain("#### `app-reaches-db`: FAIL");
    expect(formatCheckMarkdown(threeTierPreview)).toContain("#### `web-reaches-app`: UNDECIDED");
  });

  test("the failing path: hops as nodes, the blocking edge crossed, red and labelled with the deny rule", () => {
    const chart = intentFlowchart(resultNamed(threeTier, "app-reaches-db"));
    expect(chart.split("\n")).toEqual([
      "flowchart LR",
      '  n0(["app-vm-1-nic<br/>TCP 10.10.2.4:50000"])',
      '  n1["NSG app-nsg<br/>subnet app, Outbound"]',
      '  n2["route 10.10.0.0/16<br/>System Route<br/>subnet app"]',
      '  n3["NSG db-nsg<br/>subnet db, Inbound"]',
      '  n4(["db-vm-1-nic<br/>10.10.3.4:1433"])',
      "  n0 --> n1",
      '  n1 -->|"allow: defaultSecurityRules/AllowVnetOutBound (65000)"| n2',
      '  n2 -->|"VnetLocal"| n3',
      '  n3 --x|"DENY: securityRules/Deny-VNet-Inbound (300)"| n4',
      "  linkStyle 3 stroke:#c62828,stroke-width:2px",
      "  classDef blocked fill:#ffebee,stroke:#c62828",
      "  class n3 blocked",
    ]);
  });

  test("a delivered path (unreachable intent fails): through the hub NVA, the decisive allows drawn thick", () => {
    const d = intentDiagram(resultNamed(hub, "spoke1-no-https-to-spoke2"));
    expect(d.nodes[0].lines[0]).toBe("spoke1-vm-nic");
    expect(d.nodes[d.nodes.length - 1].lines[0]).toBe("spoke2-vm-nic");
    expect(d.nodes.map((n) => n.lines[0])).toContain("route 0.0.0.0/0");
    expect(d.edges.some((e) => e.kind === "blocked")).toBe(false);
    expect(d.edges.filter((e) => e.kind === "decisive").map((e) => e.label)).toContain("allow: securityRules/Allow-HTTPS-To-Other-Spoke (100)");
    expect(d.edges.map((e) => e.label)).toContain("VirtualAppliance 10.0.1.4");
    expect(d.edges[d.edges.length - 1].label).toBe("allow: securityRules/Allow-HTTPS-From-Other-Spoke (100)");
    // Each edge joins consecutive nodes.
    d.edges.forEach((e, i) => expect([e.from, e.to]).toEqual([`n${i}`, `n${i + 1}`]));
  });

  test("undecided and uncheckable intents without a counterexample: their two ends, joined by the reason", () => {
    const undecided = intentDiagram(resultNamed(threeTierPreview, "web-reaches-app"));
    expect(undecided.nodes.map((n) => n.lines[0])).toEqual(["asg asg-web", "asg asg-app"]);
    expect(undecided.edges).toEqual([{ from: "n0", to: "n1", kind: "unknown", label: expect.stringMatching(/^undecided: app-nsg \.securityRules\[0\]/) }]);
    const ghost = intentDiagram(resultNamed(hub, "ghost-vm-reaches-spoke2"));
    expect(ghost.edges[0].kind).toBe("blocked");
    expect(ghost.edges[0].label).toMatch(/^cannot check: from vm ghost-vm: no virtual machine "ghost-vm"/);
    expect(intentFlowchart(resultNamed(hub, "ghost-vm-reaches-spoke2"))).toContain("#quot;ghost-vm#quot;");
    // In the comment it is listed with its reason, without a diagram (it has no ends to draw).
    const md = formatCheckMarkdown(hub);
    expect(md).toContain("#### `ghost-vm-reaches-spoke2`: FAIL");
    expect(mermaidBlocks(md)).toHaveLength(1);
    expect(tableRows(md, "### Intents").find((r) => r[1] === "`ghost-vm-reaches-spoke2`")?.slice(4, 6)).toEqual(["", ""]);
  });
});

describe("escaping", () => {
  test("markdownText: table pipes, HTML, emphasis, links and line breaks", () => {
    expect(markdownText("a|b")).toBe("a\\|b");
    expect(markdownText("<script>&amp;")).toBe("&lt;script&gt;&amp;amp;");
    expect(markdownText("*x* _y_ [l](u) `c` ~s~ \\")).toBe("\\*x\\* \\_y\\_ \\[l\\](u) \\`c\\` \\~s\\~ \\\\");
    expect(markdownText("one\ntwo")).toBe("one<br>two");
  });

  test("markdownCode: fences longer than any backtick run, pipes escaped, newlines flattened", () => {
    expect(markdownCode("plain")).toBe("`plain`");
    expect(markdownCode("a`b")).toBe("``a`b``");
    expect(markdownCode("`x`")).toBe("`` `x` ``");
    expect(markdownCode("a|b\nc")).toBe("`a\\|b c`");
  });

  test("mermaidText: quotes, pipes, angle brackets, brackets, hash, backticks and newlines as entity codes", () => {
    expect(mermaidText('say "hi" | <b> [x] {y} #1 `z` a&b\\c\nnext')).toBe("say #quot;hi#quot; #124; #lt;b#gt; #91;x#93; #123;y#125; #35;1 #96;z#96; a#amp;b#92;c next");
    expect(mermaidText("(priority 300)")).toBe("(priority 300)");
  });

  test("hostile names and rule names cannot break the table or the diagram", () => {
    const base = resultNamed(threeTier, "app-reaches-db");
    const cx = base.counterexample;
    if (!cx) throw new Error("expected a counterexample");
    const evil = 'evil|name<img src=x>"[x]`';
    const evidence: Evidence[] = cx.evidence.map((e) => (e.kind === "nsg-rule" && e.decisive ? { ...e, ruleName: `securityRules/${evil}`, nsg: { ...e.nsg, name: evil } } : e));
    const hostile: IntentResult = { ...base, name: evil, counterexample: { ...cx, evidence, source: cx.source ? { ...cx.source, name: evil } : undefined } };
    const md = formatCheckMarkdown(withResults(threeTier, [hostile]));
    const rows = tableRows(md, "### Intents");
    expect(rows[2]).toHaveLength(8);
    // In a code span HTML is shown as text; only the table's pipe needs escaping.
    expect(rows[2][1]).toBe("`` evil\\|name<img src=x>\"[x]` ``");
    expect(rows[2][7]).toBe("evil\\|name&lt;img src=x&gt;\"\\[x\\]\\`/securityRules/evil\\|name&lt;img src=x&gt;\"\\[x\\]\\` (priority 300, Inbound, Deny)");
    expect(md.replace(/(`+)[\s\S]*?\1/g, "")).not.toContain("<img");
    const [chart] = mermaidBlocks(md);
    // Every label is quoted and no raw special character is left inside one.
    for (const label of chart.matchAll(/"([^"]*)"/g)) expect(label[1].replace(/<br\/>/g, "")).not.toMatch(/[|<>`[\]{}]/);
    expect(chart).toContain('n3 --x|"DENY: securityRules/evil#124;name#lt;img src=x#gt;#quot;#91;x#93;#96; (300)"| n4');
    expect(chart).toContain('n0(["evil#124;name#lt;img src=x#gt;#quot;#91;x#93;#96;<br/>TCP 10.10.2.4:50000"])');
  });
});
