/**
 * The azure-native adapter is driven by one kind table (src/adapters/azure-native/kinds.ts; issue 14 point 7): the
 * table is the only adapter file that spells a type token, every row is read by some reader, and the lookups the
 * other files use come from its rows.
 */
import { readdirSync, readFileSync } from "fs";
import { join, resolve } from "path";
import * as ts from "typescript";
import { buildTopology, unreadRecords } from "../../../src/adapters/azure-native";
import { createContext, recordsOf } from "../../../src/adapters/azure-native/context";
import { FIELD_SHAPES } from "../../../src/adapters/azure-native/field-shapes";
import { ARM_KINDS, KIND_LABEL, KINDS, kindOfType, kindsRegistered, NAME_PARAM, rowOf, unmodelledLabel } from "../../../src/adapters/azure-native/kinds";
import type { ResourceRecord } from "../../../src/resources/record";
import { rec } from "./fixture";

const ROOT = resolve(__dirname, "../../..");
const TABLE = "src/adapters/azure-native/kinds.ts";
const SCANNED = ["src/adapters/azure-native", "src/providers"];

/** String literals and template texts of a file, read with TypeScript's scanner (comments are not literals). */
function literals(text: string): string[] {
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) out.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile("f.ts", text, ts.ScriptTarget.Latest, true));
  return out;
}

/** A type token or a `module:Resource` fragment of one (`network:AzureFirewall`, `:network:`). */
const TOKEN_LIKE = /azure-native:|^:?[a-z]+(\/v[0-9a-z]+)?:[A-Z]|:(network|compute|authorization|web):/;

test("the token finder finds tokens in literals and templates, not in comments (so the next test can fail)", () => {
  const text = 'const a = "azure-native:network:Subnet"; const b = `${p}:network:${r}`; const c = "network:AzureFirewall"; // azure-native:x:Y\nconst d = "a:b";';
  expect(literals(text).filter((l) => TOKEN_LIKE.test(l))).toEqual(["azure-native:network:Subnet", ":network:", "network:AzureFirewall"]);
});

test("only the kind table spells a type token in the adapter and the providers", () => {
  const files = SCANNED.flatMap((dir) => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith(".ts")).map((f) => `${dir}/${f}`));
  expect(files).toContain(TABLE);
  const bad = files
    .filter((rel) => rel !== TABLE)
    .flatMap((rel) => literals(readFileSync(join(ROOT, rel), "utf8")).filter((l) => TOKEN_LIKE.test(l)).map((l) => `${rel}: ${l}`));
  expect(bad).toEqual([]);
});

test("kinds and tokens are unique; every parent is a row; child rows name their inline list", () => {
  const kinds = KINDS.map((r) => r.kind);
  expect(new Set(kinds).size).toBe(kinds.length);
  const tokens = KINDS.map((r) => r.token.toLowerCase());
  expect(new Set(tokens).size).toBe(tokens.length);
  for (const row of KINDS) {
    const parent = "parent" in row ? row.parent : undefined;
    if (parent !== undefined) expect(kinds).toContain(parent);
    if (row.registration === "child") expect("inline" in row && parent !== undefined).toBe(true);
  }
});

test("a token of every row, in any API-version spelling, names its kind; the derived lookups follow the rows", () => {
  for (const row of KINDS) {
    const [pkg, module, resource] = row.token.split(":");
    expect(kindOfType(row.token)).toBe(row.kind);
    expect(kindOfType(`${pkg}:${module}/v20240501:${resource}`)).toBe(row.kind);
    expect(kindOfType(`${pkg}:${module}:${resource}x`)).toBeUndefined();
    expect(KIND_LABEL[row.kind]).toBe(row.label);
    expect(NAME_PARAM[row.kind]).toBe(row.nameParam);
    if ("armType" in row) expect(ARM_KINDS.get(row.armType)).toBe(row.kind);
    expect(unmodelledLabel(row.token)).toBeUndefined();
  }
  expect(kindsRegistered("top-level")[0]).toBe("vnet");
  expect(kindsRegistered("avnm")[0]).toBe("networkManager");
});

const GATEWAYS = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network";
/** References a bare record of the kind needs to reach its topology map (a connection lands on its gateway). */
const EXTRA: Readonly<Record<string, ResourceRecord["props"]>> = {
  gatewayConnection: { virtualNetworkGateway1: { id: `${GATEWAYS}/virtualNetworkGateways/x-gateway` }, localNetworkGateway2: { id: `${GATEWAYS}/localNetworkGateways/x-localGateway` } },
};

/** One bare record of every kind of the table (names, parents and EXTRA only): `x-<kind>`, its parent named by its path parameter. */
function oneOfEach(): ResourceRecord[] {
  return KINDS.map((row) =>
    rec(row.token, `x-${row.kind}`, {
      name: `x-${row.kind}`,
      [row.nameParam]: `x-${row.kind}`,
      resourceGroupName: "rg",
      location: "westeurope",
      ...("parent" in row ? { [rowOf(row.parent).nameParam]: `x-${row.parent}` } : {}),
      ...(EXTRA[row.kind] ?? {}),
    }),
  );
}

const serialize = (v: unknown): string => JSON.stringify(v ?? null, (_k, x: unknown) => (x instanceof Map ? [...x] : x));

test("each row's first topology map holds what its record became (its URN, or its name where the model keeps only that)", () => {
  const records = oneOfEach();
  const topology = buildTopology(records) as unknown as Readonly<Record<string, unknown>>;
  const missing = KINDS.filter((row, i) => {
    const text = serialize(topology[row.topology[0]]);
    return !text.includes(records[i].urn) && !new RegExp(`x-${row.kind}(?![A-Za-z])`).test(text);
  }).map((row) => `${row.kind} -> ${row.topology[0]}`);
  expect(missing).toEqual([]);
});

test("every row of the table is read by a reader: a plan holding every kind leaves none unread", () => {
  const topology = buildTopology(oneOfEach());
  expect(topology.diagnostics.filter((d) => d.message.includes("no reader reads it"))).toEqual([]);
});

test("records of a kind no reader asked for are said, not dropped silently (so the test above can fail)", () => {
  const records = oneOfEach();
  const ctx = createContext(records);
  for (const row of KINDS) if (row.kind !== "asg") recordsOf(ctx, row.kind);
  const said = unreadRecords(ctx);
  expect(said.map((d) => [d.code, d.resource])).toEqual([["unmodelled-resource", records.find((r) => r.name === "x-asg")!.urn]]);
});

/** Kinds whose fields field-shapes.ts does not check today; the list may only shrink (a new row brings its shapes). */
const UNSHAPED = ["firewallPolicy", "networkGroup", "securityAdminConfiguration", "defaultAdminRule"];

test("every row but the listed ones has the shapes of the fields its reader reads (field-shapes.ts)", () => {
  expect(KINDS.filter((r) => FIELD_SHAPES[r.kind] === undefined).map((r) => r.kind)).toEqual(UNSHAPED);
});
