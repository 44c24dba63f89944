import { readFileSync } from "fs";
import { join } from "path";

/** This package's version, from package.json (found from the source tree or the compiled tree). */
function readVersion(): string {
  for (const rel of ["../../package.json", "../../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(join(__dirname, rel), "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "azure-reachability" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // try the next location
    }
  }
  return "0.0.0";
}

export const TOOL_VERSION: string = readVersion();
