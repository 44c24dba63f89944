/**
 * The `check` output formats. Adding one is a reporter file in src/report/ and one line here.
 */
import { formatCheckJson } from "../report/check-json";
import { formatCheckText } from "../report/check-text";
import { formatCheckJunit } from "../report/junit";
import { formatCheckMarkdown } from "../report/markdown";
import { formatCheckSarif } from "../report/sarif";
import type { CheckReporter } from "../report/types";

export const CHECK_REPORTERS: Readonly<Record<string, CheckReporter>> = {
  text: formatCheckText,
  json: formatCheckJson,
  markdown: formatCheckMarkdown,
  sarif: formatCheckSarif,
  junit: formatCheckJunit,
};

export function checkFormats(): string[] {
  return Object.keys(CHECK_REPORTERS);
}

export function reporterFor(format: string): CheckReporter | undefined {
  return Object.prototype.hasOwnProperty.call(CHECK_REPORTERS, format) ? CHECK_REPORTERS[format] : undefined;
}
