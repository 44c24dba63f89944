/**
 * One route (inline in RouteTable.routes or a standalone Route). A service tag as address prefix is legal in
 * Azure: the prefix is left undefined (the engine resolves tags) and noted; a malformed route is `valid: false`.
 */
import type { NextHopType, Route } from "../../model/topology";
import { isUnknown, unknown, type Maybe } from "../../model/unknown";
import { parseIpAddress } from "../../sets/ip";
import { type IpSet, parsePrefix } from "../../sets/ip-set";
import { report, type BuildContext } from "./context";
import type { ChildDraft } from "./entities";
import { get, keyPath, text } from "./props";

const NEXT_HOP_TYPES: readonly NextHopType[] = ["VirtualNetworkGateway", "VnetLocal", "Internet", "VirtualAppliance", "None"];
const TAG_PATTERN = /^[A-Za-z][A-Za-z0-9._-]*$/;

export interface RouteSource {
  readonly ctx: BuildContext;
  readonly routeTableKey: string;
  readonly routeTableUrn: string;
  readonly routeTableName: string;
}

export function parseRoute(src: RouteSource, d: Pick<ChildDraft, "record" | "body" | "basePath" | "origin">, name: string): Route {
  const { body, basePath } = d;
  let valid = true;
  const prefix = `route table ${src.routeTableName} route ${name}`;
  const diag = (code: string, severity: "error" | "warning" | "info", field: string, value: string | undefined, problem: string): void => {
    if (severity === "error") valid = false;
    report(src.ctx, {
      code,
      severity,
      resource: src.routeTableUrn,
      field: `routes[${name}].${field}`,
      ...(value !== undefined ? { value } : {}),
      message: `${prefix}: ${field} ${problem}`,
    });
  };
  const invalidMarker = (field: string): ReturnType<typeof unknown> => unknown(keyPath(basePath, field), d.record.urn, "invalid");

  const prefixText = text(get(body, "addressPrefix"));
  let addressPrefix: Maybe<IpSet | undefined>;
  if (isUnknown(prefixText)) addressPrefix = prefixText;
  else if (prefixText === undefined) {
    diag("invalid-route", "error", "addressPrefix", undefined, "is missing");
    addressPrefix = invalidMarker("addressPrefix");
  } else {
    const parsed = parsePrefix(prefixText.trim());
    if (parsed.ok) {
      if (parsed.warning !== undefined) diag("prefix-normalised", "warning", "addressPrefix", prefixText, parsed.warning);
      addressPrefix = parsed.set;
    } else if (TAG_PATTERN.test(prefixText.trim())) {
      diag("route-service-tag", "info", "addressPrefix", prefixText, `"${prefixText}" is a service tag; its prefixes come from the service tag data`);
      addressPrefix = undefined;
    } else {
      diag("invalid-route", "error", "addressPrefix", prefixText, parsed.error);
      addressPrefix = invalidMarker("addressPrefix");
    }
  }

  const hopText = text(get(body, "nextHopType"));
  let nextHopType: Maybe<NextHopType>;
  if (isUnknown(hopText)) nextHopType = hopText;
  else if (hopText === undefined) {
    diag("invalid-route", "error", "nextHopType", undefined, "is missing");
    nextHopType = invalidMarker("nextHopType");
  } else {
    const match = NEXT_HOP_TYPES.find((t) => t.toLowerCase() === hopText.trim().toLowerCase());
    if (match === undefined) {
      diag("invalid-route", "error", "nextHopType", hopText, `"${hopText}" is not one of ${NEXT_HOP_TYPES.join(", ")}`);
      nextHopType = invalidMarker("nextHopType");
    } else nextHopType = match;
  }

  const hopIp = text(get(body, "nextHopIpAddress"));
  if (typeof hopIp === "string" && !parseIpAddress(hopIp.trim()).ok) {
    diag("invalid-route", "error", "nextHopIpAddress", hopIp, `"${hopIp}" is not an IP address`);
  } else if (nextHopType === "VirtualAppliance" && hopIp === undefined) {
    diag("invalid-route", "error", "nextHopIpAddress", undefined, "is missing; Azure requires it for next hop VirtualAppliance");
  } else if (typeof nextHopType === "string" && nextHopType !== "VirtualAppliance" && typeof hopIp === "string") {
    diag("route-next-hop-ip-ignored", "warning", "nextHopIpAddress", hopIp, `is only used with next hop VirtualAppliance, not ${nextHopType}`);
  }

  return {
    name,
    routeTableKey: src.routeTableKey,
    urn: d.record.urn,
    origin: d.origin,
    addressPrefixText: typeof prefixText === "string" ? prefixText : "",
    addressPrefix,
    nextHopType,
    nextHopIpAddress: typeof hopIp === "string" ? hopIp.trim() : hopIp,
    valid,
  };
}
