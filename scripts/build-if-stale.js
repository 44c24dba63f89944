#!/usr/bin/env node
// @ts-check
/**
 * Builds dist/ (`tsc -p tsconfig.build.json`) when it is missing or older than a source file; otherwise does
 * nothing. `npm start` and `npm run test:engine` run it.
 *
 * The package has no build lifecycle script on purpose. `pulumi policy publish` runs `npm pack --loglevel=error`
 * and takes its whole stdout as the tarball's name (pulumi/pulumi sdk/nodejs/npm/npm.go, npmManager.Pack), and npm
 * 11 prints a lifecycle script's banner ("> azure-reachability@0.1.0 prepack" and the command) on stdout even at
 * that log level, for `prepack` and `prepare` alike; a `prepare` would also run again when Pulumi Cloud runs `npm
 * install` in the extracted tarball, which has no sources. So the build is a step of its own (`npm run build`;
 * .ci/run does it), and `npm pack` packs what it built. Publishing without it fails early: publish starts the pack
 * to read its metadata before packing (pkg/backend/httpstate/policypack.go, Publish).
 */
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const SOURCES = ["src", "policy-pack", "bench"];
const OUTPUTS = ["dist/src/cli/main.js", "dist/policy-pack/index.js", "dist/bench/run.js"];

/** Newest mtime of the .ts files under `dir` (0 when none). @param {string} dir @returns {number} */
function newest(dir) {
  let t = 0;
  if (!fs.existsSync(dir)) return t;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith(".ts")) t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}

const outputs = OUTPUTS.map((f) => path.join(ROOT, f));
const built = outputs.every((f) => fs.existsSync(f)) ? Math.min(...outputs.map((f) => fs.statSync(f).mtimeMs)) : 0;
const source = Math.max(...SOURCES.map((d) => newest(path.join(ROOT, d))), fs.statSync(path.join(ROOT, "tsconfig.json")).mtimeMs);
if (built > 0 && built >= source) process.exit(0);

process.stderr.write(`azure-reachability: ${built === 0 ? "building dist/" : "sources changed, rebuilding dist/"} (tsc -p tsconfig.build.json)\n`);
const tsc = require.resolve("typescript/bin/tsc", { paths: [ROOT] });
const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: ["ignore", process.stderr, process.stderr] });
process.exit(r.status ?? 1);
