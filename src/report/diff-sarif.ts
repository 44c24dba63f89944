/**
 * `diff --format sarif`: one result per Internet exposure the change opens (a NIC newly reachable from the
 * Internet on some protocol and ports), in the SARIF 2.1.0 shape of sarif.ts, located at the NIC's URN.
 */
import { createHash } from "crypto";
import { TOOL_VERSION } from "../check-run/version";
import type { DiffReport } from "../diff/report";
import { causeText } from "./diff-text";
import { urnName } from "./blame";
import { SARIF_SCHEMA_URI, SARIF_VERSION, FINGERPRINT_KEY, type SarifLog, type SarifReportingDescriptor, type SarifResult } from "./sarif";

const DIFF_EXPOSURE_RULE: SarifReportingDescriptor = {
  id: "AR-DIFF-001",
  name: "diff-new-internet-exposure",
  shortDescription: { text: "The change exposes a network interface to the Internet" },
  fullDescription: { text: "Flows from the Internet to this network interface are delivered in the planned state and not in the current one." },
  help: { text: "Check that the exposure is intended: the cause names the rule, route or resource that opens it." },
  defaultConfiguration: { level: "error" },
  properties: { tags: ["security", "network", "azure", "diff"], "security-severity": "8.0", precision: "very-high" },
};

function fingerprint(parts: readonly string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32);
}

export function diffSarifLog(r: DiffReport): SarifLog {
  const results: SarifResult[] = r.exposure.map((e) => ({
    ruleId: DIFF_EXPOSURE_RULE.id,
    ruleIndex: 0,
    level: "error",
    message: { text: `${e.nic} becomes reachable from the Internet on ${e.protocol} ${e.ports} (e.g. ${e.example}): ${e.cause.map(causeText).join("; ")}` },
    locations: [{ logicalLocations: [{ name: urnName(e.urn), fullyQualifiedName: e.urn, kind: "resource" }] }],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint([DIFF_EXPOSURE_RULE.id, e.urn, e.protocol, e.ports]) },
    properties: { protocol: e.protocol, ports: e.ports, example: e.example },
  }));
  return {
    $schema: SARIF_SCHEMA_URI,
    version: SARIF_VERSION,
    runs: [
      {
        tool: { driver: { name: "azure-reachability", version: TOOL_VERSION, semanticVersion: TOOL_VERSION, rules: [DIFF_EXPOSURE_RULE] } },
        invocations: [{ executionSuccessful: true }],
        columnKind: "utf16CodeUnits",
        results,
        properties: { summary: r.summary, before: r.before, after: r.after },
      },
    ],
  };
}

export function formatDiffSarif(r: DiffReport): string {
  return JSON.stringify(diffSarifLog(r), null, 2);
}
