/**
 * Parsing and validation of intent files and policy config (JSON or YAML). Every error names the intent and the
 * field and says what is allowed; all errors are collected, not just the first.
 */
import { nestsDeeperThan } from "../io/depth";
import { jsonErrorReason } from "../io/json-error";
import { escapeText } from "../io/quote";
import { CONFIG_FILE_CAP, readRegularFile } from "../io/safe-read";
import { parse as parseYaml } from "yaml";
import type { Direction } from "../model/topology";
import { parseIpAddress } from "../sets/ip";
import { PortSet } from "../sets/port-set";
import { parseSelector } from "./selector";
import {
  ENFORCEMENTS,
  INTENT_LAYERS,
  INTENT_PROTOCOLS,
  type Endpoint,
  type Enforcement,
  type FlowVerifyIntent,
  type Intent,
  type IntentLayer,
  type IntentOrigin,
  type IntentProtocol,
  type ReachIntent,
} from "./types";

export type IntentsParse = { readonly ok: true; readonly intents: Intent[] } | { readonly ok: false; readonly errors: string[] };

/** The policy's name: a policy-pack config file keyed by it is accepted as an intents file too. */
export const POLICY_CONFIG_KEY = "reachability-intents";

const REACH_FIELDS = ["name", "description", "from", "to", "protocol", "ports", "expect", "enforcement", "layer"];
const FLOW_FIELDS = ["name", "description", "ipFlowVerify", "expect", "ruleName", "enforcement"];
const FLOW_REQUEST_FIELDS = ["nic", "direction", "protocol", "local", "remote"];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

const MAX_INTENT_DEPTH = 64;

/** What a document is, in words, without its content. */
function kindOf(v: unknown): string {
  if (v === null || v === undefined) return "an empty document";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return `an object with keys ${Object.keys(v).slice(0, 5).map((k) => escapeText(JSON.stringify(k), 40)).join(", ") || "(none)"}`;
  return `a ${typeof v} (not an object)`;
}

function oneOf(values: readonly string[]): string {
  return values.join(", ");
}

/** Case-insensitive match against allowed spellings; returns the canonical spelling. */
function pick<T extends string>(v: unknown, allowed: readonly T[]): T | undefined {
  if (typeof v !== "string") return undefined;
  return allowed.find((a) => a.toLowerCase() === v.toLowerCase());
}

/** Collects errors for one intent, each prefixed with where it is. */
class Issues {
  readonly list: string[] = [];
  constructor(private readonly where: string) {}
  add(field: string, message: string): void {
    this.list.push(`${this.where}, field "${field}": ${message}`);
  }
}

function where(raw: Record<string, unknown>, index: number, source: string): string {
  const name = typeof raw.name === "string" && raw.name !== "" ? `intent "${raw.name}"` : "intent";
  return `${source}: ${name} (intents[${index}])`;
}

function checkFields(raw: Record<string, unknown>, allowed: readonly string[], issues: Issues): void {
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) issues.add(key, `is not a field of this kind of intent; allowed: ${oneOf(allowed)}`);
  }
}

function parseName(raw: Record<string, unknown>, issues: Issues): string {
  if (typeof raw.name !== "string" || raw.name.trim() === "") {
    issues.add("name", `is required: a non-empty string naming the intent${raw.name === undefined ? "" : `, not ${show(raw.name)}`}`);
    return "";
  }
  return raw.name;
}

function parseEnforcement(raw: Record<string, unknown>, issues: Issues): Enforcement {
  if (raw.enforcement === undefined) return "mandatory";
  const e = pick(raw.enforcement, ENFORCEMENTS);
  if (!e) issues.add("enforcement", `${show(raw.enforcement)} is not allowed; use ${oneOf(ENFORCEMENTS)} (default mandatory)`);
  return e ?? "mandatory";
}

function parseDescription(raw: Record<string, unknown>, issues: Issues): string | undefined {
  if (raw.description === undefined) return undefined;
  if (typeof raw.description !== "string") issues.add("description", `must be a string, not ${show(raw.description)}`);
  return typeof raw.description === "string" ? raw.description : undefined;
}

function parsePorts(raw: Record<string, unknown>, protocol: IntentProtocol, issues: Issues): { ports: PortSet; text: string } {
  const v = raw.ports;
  if (v === undefined) return { ports: PortSet.all(), text: "*" };
  const text = typeof v === "number" && Number.isInteger(v) ? String(v) : typeof v === "string" ? v.replace(/\s+/g, "") : undefined;
  if (text === undefined || text === "") {
    issues.add("ports", `${show(v)} is not allowed; write destination ports as Azure does: "443", "80,443,8000-8100" or "*"`);
    return { ports: PortSet.all(), text: "*" };
  }
  const parsed = PortSet.parse(text);
  if (!parsed.ok) {
    issues.add("ports", `${parsed.error}; write destination ports as Azure does: "443", "80,443,8000-8100" or "*"`);
    return { ports: PortSet.all(), text: "*" };
  }
  if (protocol === "Icmp" && !parsed.set.isAll()) {
    issues.add("ports", `ICMP has no ports: leave "ports" out or use "*" with protocol Icmp`);
  }
  return { ports: parsed.set, text: parsed.set.toString() };
}

function parseReach(raw: Record<string, unknown>, origin: IntentOrigin, issues: Issues): ReachIntent {
  checkFields(raw, REACH_FIELDS, issues);
  const name = parseName(raw, issues);
  const endpoint = (field: "from" | "to") => {
    if (raw[field] === undefined) {
      issues.add(field, `is required: a selector such as {"subnet":"app"}, {"nic":"db-nic"}, {"cidr":"10.0.0.0/8"} or {"serviceTag":"Internet"}`);
      return undefined;
    }
    const s = parseSelector(raw[field]);
    if (!s.ok) issues.add(field, s.error);
    return s.ok ? s.selector : undefined;
  };
  const from = endpoint("from");
  const to = endpoint("to");
  let protocol: IntentProtocol = "Any";
  if (raw.protocol !== undefined) {
    const p = raw.protocol === "*" ? "Any" : pick(raw.protocol, INTENT_PROTOCOLS);
    if (!p) issues.add("protocol", `${show(raw.protocol)} is not allowed; use ${oneOf(INTENT_PROTOCOLS)} (default Any)`);
    protocol = p ?? "Any";
  }
  const ports = parsePorts(raw, protocol, issues);
  const expect = pick(raw.expect, ["reachable", "unreachable"] as const);
  if (!expect) issues.add("expect", `${raw.expect === undefined ? "is required" : `${show(raw.expect)} is not allowed`}; use reachable or unreachable`);
  let layer: IntentLayer = "network";
  if (raw.layer !== undefined) {
    const l = pick(raw.layer, INTENT_LAYERS);
    if (!l) issues.add("layer", `${show(raw.layer)} is not allowed; use nsg (NSG chain only) or network (routing and NSGs, the default)`);
    layer = l ?? "network";
  }
  const description = parseDescription(raw, issues);
  return {
    kind: "reach",
    name,
    from: from ?? { kind: "unresolved", reason: "invalid" },
    to: to ?? { kind: "unresolved", reason: "invalid" },
    protocol,
    ports: ports.ports,
    portsText: ports.text,
    expect: expect ?? "reachable",
    enforcement: parseEnforcement(raw, issues),
    layer,
    ...(description !== undefined ? { description } : {}),
    origin,
  };
}

function parseEndpoint(v: unknown, field: string, issues: Issues): Endpoint {
  const m = typeof v === "string" ? /^\[([^\]]+)\]:(\d+)$/.exec(v) ?? /^([^:]+):(\d+)$/.exec(v) : null;
  const ip = m ? parseIpAddress(m[1]) : undefined;
  const port = m ? Number(m[2]) : NaN;
  if (!m || !ip || !ip.ok || !(port >= 0 && port <= 65535)) {
    issues.add(field, `${show(v)} is not allowed; write IP:PORT such as "10.0.1.4:443" (IPv6 as "[2001:db8::4]:443", port 0-65535)`);
    return { ip: "0.0.0.0", port: 0 };
  }
  return { ip: ip.text, port };
}

function parseFlowVerify(raw: Record<string, unknown>, origin: IntentOrigin, issues: Issues): FlowVerifyIntent {
  checkFields(raw, FLOW_FIELDS, issues);
  const name = parseName(raw, issues);
  const req = isRecord(raw.ipFlowVerify) ? raw.ipFlowVerify : {};
  if (!isRecord(raw.ipFlowVerify)) {
    issues.add("ipFlowVerify", `must be an object {"nic","direction","protocol","local","remote"}, not ${show(raw.ipFlowVerify)}`);
  }
  for (const key of Object.keys(req)) {
    if (!FLOW_REQUEST_FIELDS.includes(key)) issues.add(`ipFlowVerify.${key}`, `is not a field of an IP flow verify request; allowed: ${oneOf(FLOW_REQUEST_FIELDS)}`);
  }
  const nic = typeof req.nic === "string" && req.nic !== "" ? req.nic : undefined;
  if (!nic) issues.add("ipFlowVerify.nic", `is required: the NIC or VM (logical name, URN or Azure name), not ${show(req.nic)}`);
  const direction = pick(req.direction, ["Inbound", "Outbound"] as const) as Direction | undefined;
  if (!direction) issues.add("ipFlowVerify.direction", `${show(req.direction)} is not allowed; use Inbound or Outbound`);
  const protocol = pick(req.protocol, ["TCP", "UDP"] as const);
  if (!protocol) issues.add("ipFlowVerify.protocol", `${show(req.protocol)} is not allowed; use TCP or UDP (IP flow verify checks TCP and UDP only)`);
  const local = parseEndpoint(req.local, "ipFlowVerify.local", issues);
  const remote = parseEndpoint(req.remote, "ipFlowVerify.remote", issues);
  const expect = pick(raw.expect, ["Allow", "Deny"] as const);
  if (!expect) issues.add("expect", `${raw.expect === undefined ? "is required" : `${show(raw.expect)} is not allowed`}; an IP flow verify assertion expects Allow or Deny`);
  let ruleName: string | undefined;
  if (raw.ruleName !== undefined) {
    // securityAdminRules/<configuration>/<rule collection>/<rule>: a Virtual Network Manager admin rule (docs/avnm.md).
    if (typeof raw.ruleName !== "string" || !/^((securityRules|defaultSecurityRules)\/\S+|securityAdminRules\/[^/\s]+\/[^/\s]+\/[^/\s]+)$/.test(raw.ruleName)) {
      issues.add("ruleName", `${show(raw.ruleName)} is not allowed; write it as IP flow verify does: "securityRules/<name>", "defaultSecurityRules/<name>" or "securityAdminRules/<configuration>/<rule collection>/<rule>"`);
    } else ruleName = raw.ruleName;
  }
  const description = parseDescription(raw, issues);
  return {
    kind: "ipFlowVerify",
    name,
    nic: nic ?? "",
    direction: direction ?? "Inbound",
    protocol: protocol ?? "TCP",
    local,
    remote,
    expect: expect ?? "Allow",
    ...(ruleName !== undefined ? { ruleName } : {}),
    enforcement: parseEnforcement(raw, issues),
    ...(description !== undefined ? { description } : {}),
    origin,
  };
}

/** One intent object. `source` names the file or config in messages. */
export function parseIntent(raw: unknown, index: number, origin: IntentOrigin): { intent?: Intent; errors: string[] } {
  if (!isRecord(raw)) {
    return { errors: [`${origin.source}: intents[${index}] is not an object: ${show(raw)}; write {"name","from","to","protocol","ports","expect"}`] };
  }
  const issues = new Issues(where(raw, index, origin.source));
  const intent = "ipFlowVerify" in raw ? parseFlowVerify(raw, origin, issues) : parseReach(raw, origin, issues);
  return issues.list.length > 0 ? { errors: issues.list } : { intent, errors: [] };
}

/** A list of intents; names must be unique. */
export function parseIntentList(list: unknown, origin: IntentOrigin): IntentsParse {
  const r = parseIntentsLenient(list, origin);
  return r.errors.length > 0 ? { ok: false, errors: r.errors } : { ok: true, intents: r.intents };
}

/** The valid intents of a list and the errors of the others (the stack policy checks what it can). */
export function parseIntentsLenient(list: unknown, origin: IntentOrigin): { intents: Intent[]; errors: string[] } {
  if (!Array.isArray(list)) return { intents: [], errors: [`${origin.source}: "intents" must be a list of intents, not ${show(list)}`] };
  const errors: string[] = [];
  const intents: Intent[] = [];
  const seen = new Map<string, number>();
  list.forEach((raw, i) => {
    const r = parseIntent(raw, i, origin);
    errors.push(...r.errors);
    if (!r.intent) return;
    const first = seen.get(r.intent.name);
    if (first !== undefined) errors.push(`${origin.source}: intent "${r.intent.name}" (intents[${i}]), field "name": duplicates intents[${first}]; intent names must be unique`);
    else seen.set(r.intent.name, i);
    intents.push(r.intent);
  });
  return { intents, errors };
}

/**
 * A whole document: `{"intents":[...]}`, a bare list, or a policy-pack config file
 * `{"reachability-intents":{"intents":[...]}}`, so one file serves both `check --intents` and `--policy-pack-config`.
 */
export function parseIntentDocument(doc: unknown, source: string): IntentsParse {
  const origin: IntentOrigin = { source };
  // Intents nest a few levels; a hostile depth would overflow the parsers' recursion.
  if (nestsDeeperThan(doc, MAX_INTENT_DEPTH)) return { ok: false, errors: [`${source}: nested more than ${MAX_INTENT_DEPTH} levels deep; intents are a few levels deep`] };
  if (Array.isArray(doc)) return parseIntentList(doc, origin);
  if (isRecord(doc) && isRecord(doc[POLICY_CONFIG_KEY])) return parseIntentDocument(doc[POLICY_CONFIG_KEY], source);
  if (isRecord(doc) && "intents" in doc) return parseIntentList(doc.intents, origin);
  // Never echo the document: any text file reads as YAML (a string), and its content is not ours to show.
  return { ok: false, errors: [`${source}: expected {"intents": [...]} (or a list of intents), found ${kindOf(doc)}`] };
}

export type ConfigDocument = { ok: true; doc: unknown } | { ok: false; error: string };

/** JSON or YAML text (YAML is a superset of JSON; JSON errors are reported as such). */
function parseConfigText(text: string, source: string): ConfigDocument {
  const trimmed = text.replace(/^\uFEFF/, "").trimStart();
  const json = trimmed.startsWith("{") || trimmed.startsWith("[");
  try {
    return { ok: true, doc: json ? JSON.parse(trimmed) : parseYaml(trimmed) };
  } catch (e) {
    // JSON.parse quotes part of the file in its message: only the reason and position are kept.
    const msg = json ? jsonErrorReason(e) : escapeText((e instanceof Error ? e.message : String(e)).split("\n")[0], 160);
    return { ok: false, error: `${source} is not valid ${json ? "JSON" : "YAML"}: ${msg}` };
  }
}

/** An intents or policy-config file (JSON or YAML) as a document. */
export function readConfigDocument(path: string): ConfigDocument {
  // Only a regular file, capped: a FIFO or a device is refused, never read.
  const read = readRegularFile(path, { what: "intents file", maxBytes: CONFIG_FILE_CAP });
  if (!read.ok) return { ok: false, error: read.error };
  return parseConfigText(read.text, path);
}

export function parseIntentsText(text: string, source: string): IntentsParse {
  const parsed = parseConfigText(text, source);
  return parsed.ok ? parseIntentDocument(parsed.doc, source) : { ok: false, errors: [parsed.error] };
}

export function readIntentsFile(path: string): IntentsParse {
  const parsed = readConfigDocument(path);
  return parsed.ok ? parseIntentDocument(parsed.doc, path) : { ok: false, errors: [parsed.error] };
}
