/**
 * JUnit XML: one test case per intent (failure / error / skipped / pass), findings in their own suite, XML escaping.
 * Well-formedness is checked by parsing the document back with a small strict parser (no XML package installed).
 */
import { formatCheckJunit, junitXml, xmlEscape } from "../../src/report/junit";
import type { CheckReport, IntentResult } from "../../src/report/types";
import { exampleReport, HUB_EXTRA, resultNamed, withResults } from "./reports";

interface XmlNode {
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly children: XmlNode[];
  text: string;
}

const NAME = /^[A-Za-z_][\w.-]*$/;

function decode(s: string, where: string): string {
  if (/[<]/.test(s)) throw new Error(`raw < in ${where}`);
  return s.replace(/&([^;\s]*);?/g, (m, ent: string) => {
    if (!m.endsWith(";")) throw new Error(`bare & in ${where}`);
    const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
    if (named[ent] !== undefined) return named[ent];
    const num = ent.match(/^#(\d+)$|^#x([0-9a-fA-F]+)$/);
    if (num) return String.fromCodePoint(num[1] !== undefined ? Number(num[1]) : parseInt(num[2], 16));
    throw new Error(`unknown entity &${ent}; in ${where}`);
  });
}

/** Parses an XML document strictly enough for our output: one root, matched tags, quoted attributes, valid entities. */
function parseXml(doc: string): XmlNode {
  let i = 0;
  if (doc.startsWith("<?xml")) i = doc.indexOf("?>") + 2;
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  while (i < doc.length) {
    const lt = doc.indexOf("<", i);
    const text = doc.slice(i, lt < 0 ? doc.length : lt);
    if (stack.length === 0 && text.trim() !== "") throw new Error(`text outside the root: ${text}`);
    if (stack.length > 0) stack[stack.length - 1].text += decode(text, "text");
    if (lt < 0) break;
    const gt = doc.indexOf(">", lt);
    if (gt < 0) throw new Error("unclosed tag");
    const tag = doc.slice(lt + 1, gt);
    i = gt + 1;
    if (tag.startsWith("/")) {
      const open = stack.pop();
      if (!open || open.name !== tag.slice(1)) throw new Error(`mismatched </${tag.slice(1)}>`);
      continue;
    }
    const selfClosing = tag.endsWith("/");
    const body = selfClosing ? tag.slice(0, -1) : tag;
    const m = body.match(/^(\S+)([\s\S]*)$/);
    if (!m || !NAME.test(m[1])) throw new Error(`bad tag name in <${tag}>`);
    const attrs: Record<string, string> = {};
    const rest = m[2].replace(/\s+([A-Za-z_][\w.-]*)="([^"]*)"/g, (_all, k: string, v: string) => {
      if (k in attrs) throw new Error(`duplicate attribute ${k}`);
      attrs[k] = decode(v, `attribute ${k}`);
      return "";
    });
    if (rest.trim() !== "") throw new Error(`bad attributes in <${tag}>: ${rest}`);
    const node: XmlNode = { name: m[1], attrs, children: [], text: "" };
    if (stack.length > 0) stack[stack.length - 1].children.push(node);
    else if (root) throw new Error("two roots");
    else root = node;
    if (!selfClosing) stack.push(node);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  if (!root) throw new Error("no root");
  return root;
}

function child(node: XmlNode, name: string): XmlNode | undefined {
  return node.children.find((c) => c.name === name);
}

function suiteNamed(doc: XmlNode, name: string): XmlNode {
  const s = doc.children.find((c) => c.name === "testsuite" && c.attrs.name === name);
  if (!s) throw new Error(`no suite ${name}`);
  return s;
}

function testcase(suite: XmlNode, name: string): XmlNode {
  const c = suite.children.find((x) => x.name === "testcase" && x.attrs.name === name);
  if (!c) throw new Error(`no testcase ${name}`);
  return c;
}

let threeTier: CheckReport;
let threeTierPreview: CheckReport;
let hub: CheckReport;

beforeAll(async () => {
  threeTier = await exampleReport("three-tier");
  threeTierPreview = await exampleReport("three-tier", "preview.json");
  hub = await exampleReport("hub-and-spoke", "stack-export.json", { extraIntents: HUB_EXTRA, suppressions: [{ check: "unfiltered-nic", resource: "nva-vm-nic", reason: "the NVA filters traffic itself (ticket NET-42)" }] });
});

describe("JUnit XML", () => {
  test("well-formed: a declaration, one <testsuites> root, counts that add up", () => {
    const xml = formatCheckJunit(threeTierPreview);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    const doc = parseXml(xml);
    expect(doc.name).toBe("testsuites");
    const suites = doc.children.filter((c) => c.name === "testsuite");
    expect(suites.map((s) => s.attrs.name)).toEqual(["reachability-intents", "reachability-findings"]);
    for (const key of ["tests", "failures", "errors", "skipped"]) {
      expect(Number(doc.attrs[key])).toBe(suites.reduce((n, s) => n + Number(s.attrs[key]), 0));
    }
    for (const s of suites) {
      const cases = s.children.filter((c) => c.name === "testcase");
      expect(Number(s.attrs.tests)).toBe(cases.length);
      expect(Number(s.attrs.failures)).toBe(cases.filter((c) => child(c, "failure")).length);
      expect(Number(s.attrs.skipped)).toBe(cases.filter((c) => child(c, "skipped")).length);
      expect(Number(s.attrs.errors)).toBe(cases.filter((c) => child(c, "error")).length);
    }
  });

  test("one test case per intent, named after it, with where it is declared", () => {
    const suite = suiteNamed(parseXml(junitXml(threeTier)), "reachability-intents");
    const cases = suite.children.filter((c) => c.name === "testcase");
    expect(cases.map((c) => c.attrs.name)).toEqual(threeTier.results.map((r) => r.name));
    expect(cases.every((c) => c.attrs.classname === "reachability-intents" && c.attrs.file === "examples/three-tier/intents.json")).toBe(true);
    expect(suite.attrs).toMatchObject({ tests: "7", failures: "1", errors: "0", skipped: "0" });
    const props = child(suite, "properties")?.children.map((p) => [p.attrs.name, p.attrs.value]);
    expect(props).toContainEqual(["input", "examples/three-tier/stack-export.json"]);
  });

  test("a failing intent: <failure> typed by enforcement, with the counterexample, the evidence and the blame", () => {
    const suite = suiteNamed(parseXml(junitXml(threeTier)), "reachability-intents");
    const failure = child(testcase(suite, "app-reaches-db"), "failure");
    expect(failure?.attrs.type).toBe("mandatory");
    expect(failure?.attrs.message).toBe("TCP 10.10.2.4:50000 -> 10.10.3.4:1433: blocked; db-nsg/securityRules/Deny-VNet-Inbound (priority 300, Inbound, Deny)");
    expect(failure?.text).toContain("counterexample: TCP 10.10.2.4:50000 -> 10.10.3.4:1433 (from app-vm-1-nic to db-vm-1-nic): blocked");
    expect(failure?.text).toContain("  ! NSG db-nsg on subnet db, Inbound: denied by securityRules/Deny-VNet-Inbound (priority 300)");
    expect(failure?.text).toContain("blame: db-nsg/securityRules/Deny-VNet-Inbound (priority 300, Inbound, Deny)");
    expect(child(testcase(suite, "web-reaches-app"), "failure")).toBeUndefined();
  });

  test("undecided intents are skipped with their unknowns; uncheckable intents are errors; advisory failures typed advisory", () => {
    const preview = suiteNamed(parseXml(junitXml(threeTierPreview)), "reachability-intents");
    const skipped = child(testcase(preview, "web-reaches-app"), "skipped");
    expect(skipped?.attrs.message).toMatch(/^undecided at preview: urn:pulumi:dev::three-tier::azure-native:network:NetworkSecurityGroup::app-nsg \.securityRules\[0\]/);
    const hubSuite = suiteNamed(parseXml(junitXml(hub)), "reachability-intents");
    const error = child(testcase(hubSuite, "ghost-vm-reaches-spoke2"), "error");
    expect(error?.attrs.type).toBe("intent-error");
    expect(error?.attrs.message).toContain('no virtual machine "ghost-vm" in the plan');
    expect(child(testcase(hubSuite, "spoke1-no-https-to-spoke2"), "failure")?.attrs.type).toBe("advisory");
  });

  test("findings: one test case each, failures typed by severity, suppressed ones skipped; omitted on request", () => {
    const suite = suiteNamed(parseXml(junitXml(hub)), "reachability-findings");
    const cases = suite.children.filter((c) => c.name === "testcase");
    expect(cases).toHaveLength(hub.findings.length);
    expect(new Set(cases.map((c) => c.attrs.name)).size).toBe(cases.length);
    const nva = testcase(suite, "AR-010 unfiltered-nic: nva-vm-nic");
    expect(child(nva, "skipped")?.attrs.message).toBe("suppressed: the NVA filters traffic itself (ticket NET-42)");
    expect(cases.filter((c) => child(c, "failure")).every((c) => ["low", "medium", "high", "critical"].includes(child(c, "failure")?.attrs.type ?? ""))).toBe(true);
    const noFindings = parseXml(junitXml(hub, { findings: false }));
    expect(noFindings.children.map((c) => c.attrs.name)).toEqual(["reachability-intents"]);
  });

  test("escaping: markup, quotes, ampersands, line breaks and control characters in names and messages", () => {
    expect(xmlEscape(`a<b>&"c'`)).toBe("a&lt;b&gt;&amp;&quot;c&apos;");
    expect(xmlEscape("bell\u0007 nul\u0000 ok\t\n")).toBe("bell\uFFFD nul\uFFFD ok\t\n");
    const base = resultNamed(threeTier, "app-reaches-db");
    const evil = `x"/><injected attr='1'>&amp;]]></testcase>`;
    const hostile: IntentResult = { ...base, name: evil, message: `line one\nline <two> & "three"\u0001`, declaredIn: `intents "${evil}".json` };
    const doc = parseXml(junitXml(withResults(threeTier, [hostile]), { findings: false }));
    const cases = suiteNamed(doc, "reachability-intents").children.filter((c) => c.name === "testcase");
    expect(cases).toHaveLength(1);
    expect(cases[0].attrs.name).toBe(evil);
    expect(cases[0].attrs.file).toBe(`intents "${evil}".json`);
    const failure = child(cases[0], "failure");
    expect(failure?.text).toContain('line one\nline <two> & "three"\uFFFD');
  });
});
