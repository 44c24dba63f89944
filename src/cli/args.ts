import type { Direction } from "../model/topology";
import { parseIpAddress } from "../sets/ip";
import { fail } from "./errors";

/** `10.0.0.4:80` or `[2001:db8::4]:80`. */
export function parseEndpoint(option: string, text: string | undefined): { ip: string; port: number } {
  if (!text) fail(`${option} is required (IP:PORT)`);
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  if (!m) fail(`${option} "${text}" is not IP:PORT (write IPv6 as [addr]:port)`);
  const ip = parseIpAddress(m[1]);
  if (!ip.ok) fail(`${option}: ${ip.error}`);
  const port = Number(m[2]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`${option}: port ${m[2]} is outside 0-65535`);
  return { ip: m[1], port };
}

export function parseDirection(text: string | undefined): Direction {
  const t = (text ?? "").toLowerCase();
  if (t === "inbound") return "Inbound";
  if (t === "outbound") return "Outbound";
  fail(`--direction must be Inbound or Outbound, not "${text ?? ""}"`);
}

export function parseFlowProtocol(text: string | undefined): "TCP" | "UDP" {
  const t = (text ?? "").toUpperCase();
  if (t === "TCP" || t === "UDP") return t;
  fail(`--protocol must be TCP or UDP for IP flow verify, not "${text ?? ""}"`);
}

export function required(option: string, value: string | undefined): string {
  if (value === undefined || value === "") fail(`${option} is required`);
  return value;
}
