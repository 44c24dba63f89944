/**
 * Selector parsing and display. A selector is an object with exactly one key (design.md, "Intents").
 */
import { parseIpAddress } from "../sets/ip";
import { IpSet, parsePrefix } from "../sets/ip-set";
import { SELECTOR_KEYS, type Selector } from "./types";

export type SelectorParse = { readonly ok: true; readonly selector: Selector } | { readonly ok: false; readonly error: string };

const KEY_LIST = SELECTOR_KEYS.join(", ");
const RESOURCE_KEYS: ReadonlySet<string> = new Set(["nic", "vm", "subnet", "vnet", "asg", "privateEndpoint"]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** Parses `{"subnet":"app"}`, `{"cidr":"10.0.0.0/8"}`, `{"tag":{"tier":"web"}}`, ... */
export function parseSelector(value: unknown): SelectorParse {
  if (!isRecord(value)) {
    return { ok: false, error: `${show(value)} is not a selector; write an object with one of: ${KEY_LIST} (e.g. {"subnet":"app"})` };
  }
  const keys = Object.keys(value);
  if (keys.length !== 1) {
    const what = keys.length === 0 ? "an empty object" : `several keys (${keys.join(", ")})`;
    return { ok: false, error: `is ${what}; a selector has exactly one of: ${KEY_LIST}` };
  }
  const key = keys[0];
  const v = value[key];
  if (RESOURCE_KEYS.has(key)) {
    if (typeof v !== "string" || v.trim() === "") return { ok: false, error: `"${key}" must be a non-empty string (logical name, URN or Azure name), not ${show(v)}` };
    return { ok: true, selector: { kind: key as "nic" | "vm" | "subnet" | "vnet" | "asg" | "privateEndpoint", ref: v } };
  }
  switch (key) {
    case "cidr": {
      const p = typeof v === "string" ? parsePrefix(v) : undefined;
      if (!p || !p.ok) return { ok: false, error: `"cidr" must be an IPv4 or IPv6 CIDR prefix such as "10.0.0.0/16", not ${show(v)}` };
      return { ok: true, selector: { kind: "cidr", text: p.normalized, set: p.set } };
    }
    case "ip": {
      const p = typeof v === "string" ? parseIpAddress(v) : undefined;
      if (!p || !p.ok) return { ok: false, error: `"ip" must be an IPv4 or IPv6 address such as "10.0.1.4", not ${show(v)}` };
      return { ok: true, selector: { kind: "ip", text: p.text, set: IpSet.fromAddress(p.text) } };
    }
    case "serviceTag":
      if (typeof v !== "string" || !/^[A-Za-z][A-Za-z0-9.]*$/.test(v)) {
        return { ok: false, error: `"serviceTag" must be a service tag name such as "Internet" or "Storage.WestEurope", not ${show(v)}` };
      }
      return { ok: true, selector: { kind: "serviceTag", tag: v } };
    case "tag": {
      if (!isRecord(v) || Object.keys(v).length === 0) {
        return { ok: false, error: `"tag" must be a non-empty object of Azure tags, e.g. {"tag":{"tier":"web"}}, not ${show(v)}` };
      }
      const bad = Object.keys(v).find((k) => typeof v[k] !== "string");
      if (bad !== undefined) return { ok: false, error: `"tag" value of "${bad}" must be a string, not ${show(v[bad])}` };
      return { ok: true, selector: { kind: "tag", tags: { ...(v as Record<string, string>) } } };
    }
    default:
      return { ok: false, error: `"${key}" is not a selector; use one of: ${KEY_LIST}` };
  }
}

/** "subnet app", "cidr 10.0.0.0/8", "tag tier=web", "serviceTag Internet". */
export function describeSelector(s: Selector): string {
  switch (s.kind) {
    case "nic":
    case "vm":
    case "subnet":
    case "vnet":
    case "asg":
    case "privateEndpoint":
      return `${s.kind} ${s.ref}`;
    case "cidr":
    case "ip":
      return `${s.kind} ${s.text}`;
    case "serviceTag":
      return `serviceTag ${s.tag}`;
    case "tag":
      return `tag ${Object.keys(s.tags)
        .sort()
        .map((k) => `${k}=${s.tags[k]}`)
        .join(",")}`;
    case "resource":
      return describeResource(s.urn);
    case "unresolved":
      return `(unresolved: ${s.reason})`;
  }
}

const KIND_BY_TYPE: Readonly<Record<string, string>> = {
  NetworkInterface: "nic",
  VirtualMachine: "vm",
  Subnet: "subnet",
  VirtualNetwork: "vnet",
  ApplicationSecurityGroup: "asg",
  PrivateEndpoint: "privateEndpoint",
};

/** "subnet app" for a Subnet URN; the reference itself when it is not a URN (an ARM id). */
function describeResource(ref: string): string {
  const parts = ref.split("::");
  if (!ref.startsWith("urn:pulumi:") || parts.length < 4) return `resource ${ref}`;
  const type = parts[2].split("$").pop() ?? "";
  const kind = KIND_BY_TYPE[type.split(":").pop() ?? ""] ?? type;
  return `${kind} ${parts[parts.length - 1]}`;
}

/** The selector as the user writes it (JSON reports echo intents back in their own language). */
export function selectorToJson(s: Selector): Record<string, unknown> {
  switch (s.kind) {
    case "nic":
    case "vm":
    case "subnet":
    case "vnet":
    case "asg":
    case "privateEndpoint":
      return { [s.kind]: s.ref };
    case "cidr":
    case "ip":
      return { [s.kind]: s.text };
    case "serviceTag":
      return { serviceTag: s.tag };
    case "tag":
      return { tag: { ...s.tags } };
    case "resource":
      return { resource: s.urn };
    case "unresolved":
      return { unresolved: s.reason };
  }
}
