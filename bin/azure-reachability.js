#!/usr/bin/env node
"use strict";
// Runs the compiled CLI; `npm run build` (or `npm start`, or `npm pack`) builds it.
const path = require("path");
let cli;
try {
  cli = require(path.join(__dirname, "..", "dist", "src", "cli", "main.js"));
} catch (e) {
  if (e && e.code === "MODULE_NOT_FOUND" && String(e.message).includes("dist")) {
    process.stderr.write("azure-reachability: not built yet: run `npm run build` in the package directory\n");
    process.exit(2);
  }
  throw e;
}
cli.main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
