#!/usr/bin/env node
// @ts-check
/**
 * `npm run engine:install`: builds the real Pulumi CLI from Go modules into .engine/bin/ (git-ignored), for
 * `npm run test:engine` (test/real-engine). Nothing is downloaded but Go modules, through the go command.
 *
 * - The CLI is github.com/pulumi/pulumi/pkg/v3/cmd/pulumi at the version scripts/engine/go.mod requires. `go install
 *   pkg@version` refuses a module whose go.mod has replace directives (pkg/go.mod and sdk/go.mod have some), so
 *   scripts/engine/go.mod is a small wrapper module that requires the CLI and copies those replaces; `go build` runs
 *   inside it. Flags and ldflags are the release's (.goreleaser.yml in pulumi/pulumi: -trimpath, tags osusergo and
 *   grpcnotrace, `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v<version>`).
 * - The Node language host (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) is a module of its
 *   own with no tags: only the pseudo-version of the release commit names it, and the Go module proxy here lists no
 *   version of it and refuses `latest` ("This module version is not available"). Since CLI v3.221 a Node policy
 *   pack is started through it (RunPlugin, with the policy proxy of sdk/policy_proxy.go in between, whose gRPC
 *   client keeps the default 4 MiB receive limit).
 * - Without it, CLI v3.274.1 cannot start a Node pack at all (its NewPolicyAnalyzer always asks the language plugin;
 *   measured: "no language plugin 'pulumi-language-nodejs' found in the workspace or on your $PATH"). v3.260.0,
 *   the newest other release the proxy serves (v3.274.0 is the same line), still has the back-compatibility path
 *   (pkg/resource/plugin/analyzer_plugin.go, NewPolicyAnalyzer: no `nodejs` language plugin found -> it runs the
 *   analyzer plugin `pulumi-analyzer-policy-nodejs` with the engine address and `.`, from the pack's directory) and
 *   has `policy analyze --file` (v3.249+). So scripts/engine/go.mod pins v3.260.0, and when the language host cannot
 *   be built, scripts/engine/pulumi-analyzer-policy-nodejs is installed as that plugin: it starts @pulumi/pulumi's
 *   cmd/run-policy-pack as the old shim did. .engine/manifest.json records which path is installed and why; the
 *   tests read it.
 *
 * Go caches ($HOME/go, $HOME/.cache/go-build) are the go command's own, so a second install is a cache hit. Every
 * go command runs with a time limit: a build that cannot be done ends with one line saying why, never a hang.
 *
 * Environment: PULUMI_LANGUAGE_NODEJS_VERSION overrides the language host's pseudo-version; ENGINE_FORCE=1 rebuilds.
 */
"use strict";
const { spawnSync } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "../..");
const WRAPPER = __dirname;
const ENGINE = path.join(ROOT, ".engine");
const BIN = path.join(ENGINE, "bin");
const MANIFEST = path.join(ENGINE, "manifest.json");
const LOG = path.join(ENGINE, "build.log");

const CLI_MODULE = "github.com/pulumi/pulumi/pkg/v3";
const CLI_PACKAGE = `${CLI_MODULE}/cmd/pulumi`;
const LANGUAGE_HOST_MODULE = "github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3";
/**
 * The language host's pin: the pseudo-version of the CLI's release commit, v3.0.0-<commit time>-<12-digit hash>
 * (v3.260.0 was tagged 2026-08-28T13:01:36Z, the time the module proxy gives for pkg/v3@v3.260.0). The hash is not
 * known here: the proxy's .info carries no origin, and no stored copy of pulumi/pulumi reaches that release; the
 * pseudo-versions of earlier release commits that could be formed (v3.229.0, v3.248.0, v3.252.0, v3.259.0) were
 * refused. null: ask the proxy for `latest`, which it refuses too.
 */
const LANGUAGE_HOST_PIN = null;
const SHIM = "pulumi-analyzer-policy-nodejs";
const VERSION_VAR = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version";
const BUILD_TAGS = "osusergo,grpcnotrace";

const MINUTE = 60_000;
const LIMITS = { probe: 2 * MINUTE, download: 20 * MINUTE, build: 50 * MINUTE, languageHostGet: 10 * MINUTE };

/** @param {string} message */
function say(message) {
  process.stderr.write(`engine:install: ${message}\n`);
}

/** @param {string} reason */
function fail(reason) {
  say(`cannot build the Pulumi CLI: ${reason}`);
  process.exit(1);
}

/** The version the wrapper module requires of `mod`. @param {string} goMod @param {string} mod */
function requiredVersion(goMod, mod) {
  const m = new RegExp(`^\\s*${mod.replace(/[.]/g, "\\.")}\\s+(v\\S+)`, "m").exec(goMod);
  return m ? m[1] : undefined;
}

/** "1.26.6" -> [1, 26, 6]. @param {string} v */
function goVersionParts(v) {
  return v.replace(/^go/, "").split(/[.]/).map((p) => Number.parseInt(p, 10) || 0);
}

/** @param {string} a @param {string} b */
function goVersionLess(a, b) {
  const x = goVersionParts(a);
  const y = goVersionParts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0);
  }
  return false;
}

/**
 * Runs a go command with a time limit; output goes to the build log. Returns the exit status and the last lines.
 * @param {string[]} args @param {{cwd: string, env: NodeJS.ProcessEnv, timeout: number, what: string}} o
 */
function go(args, o) {
  fs.appendFileSync(LOG, `\n$ go ${args.join(" ")}   (in ${path.relative(ROOT, o.cwd) || "."})\n`);
  const started = Date.now();
  const r = spawnSync("go", args, { cwd: o.cwd, env: o.env, timeout: o.timeout, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const out = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  fs.appendFileSync(LOG, out);
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const lines = out.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("go: downloading"));
  const last = lines.length > 0 ? lines[lines.length - 1] : "";
  if (r.error && /ETIMEDOUT/.test(String(r.error))) return { ok: false, stdout: r.stdout ?? "", reason: `${o.what} did not finish within ${o.timeout / MINUTE} minutes (log: ${path.relative(ROOT, LOG)})` };
  if (r.error) return { ok: false, stdout: "", reason: `${o.what}: ${String(r.error.message).split("\n")[0]}` };
  if (r.status !== 0) return { ok: false, stdout: r.stdout ?? "", reason: `${o.what} failed after ${seconds} s: ${last || `exit ${r.status}`} (log: ${path.relative(ROOT, LOG)})` };
  return { ok: true, stdout: r.stdout ?? "", seconds, reason: "" };
}

/** @param {string} file */
function sha256(file) {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

function readManifest() {
  try {
    return JSON.parse(fs.readFileSync(MANIFEST, "utf8"));
  } catch {
    return undefined;
  }
}

/**
 * The Node language host, built in a scratch copy of the wrapper module (so scripts/engine/go.mod stays as
 * committed). Returns the reason when it cannot be had.
 * @param {NodeJS.ProcessEnv} env @param {string} cliVersion
 * @returns {{ok: true, version: string} | {ok: false, reason: string}}
 */
function buildLanguageHost(env, cliVersion) {
  const pin = process.env.PULUMI_LANGUAGE_NODEJS_VERSION || LANGUAGE_HOST_PIN || "latest";
  const scratch = fs.mkdtempSync(path.join(ENGINE, "langhost-"));
  try {
    for (const f of ["go.mod", "go.sum"]) fs.copyFileSync(path.join(WRAPPER, f), path.join(scratch, f));
    // The language host's go.mod replaces pkg and sdk with directories of the repository; here the CLI's own
    // versions (required by the wrapper) stand for them, as they do in the release.
    const got = go(["get", `${LANGUAGE_HOST_MODULE}@${pin}`, `${CLI_MODULE}@${cliVersion}`], { cwd: scratch, env, timeout: LIMITS.languageHostGet, what: `go get ${LANGUAGE_HOST_MODULE}@${pin}` });
    if (!got.ok) return { ok: false, reason: got.reason };
    const listed = go(["list", "-m", "-f", "{{.Version}}", LANGUAGE_HOST_MODULE], { cwd: scratch, env, timeout: LIMITS.probe, what: "go list" });
    const version = listed.ok ? listed.stdout.trim() : pin;
    const built = go(["build", "-trimpath", "-tags", BUILD_TAGS, "-ldflags", `-w -s -X ${VERSION_VAR}=${cliVersion}`, "-o", path.join(BIN, "pulumi-language-nodejs"), LANGUAGE_HOST_MODULE], {
      cwd: scratch,
      env,
      timeout: LIMITS.build,
      what: `go build ${LANGUAGE_HOST_MODULE}`,
    });
    return built.ok ? { ok: true, version } : { ok: false, reason: built.reason };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function main() {
  fs.mkdirSync(BIN, { recursive: true });
  const goMod = fs.readFileSync(path.join(WRAPPER, "go.mod"), "utf8");
  const cliVersion = requiredVersion(goMod, CLI_MODULE);
  if (!cliVersion) fail(`scripts/engine/go.mod does not require ${CLI_MODULE}`);
  const stamp = { cli: cliVersion, wrapper: sha256(path.join(WRAPPER, "go.sum")) + sha256(path.join(WRAPPER, "go.mod")), shim: sha256(path.join(WRAPPER, SHIM)) };
  const current = readManifest();
  const pulumi = path.join(BIN, "pulumi");
  if (!process.env.ENGINE_FORCE && current && current.stamp && JSON.stringify(current.stamp) === JSON.stringify(stamp) && fs.existsSync(pulumi)) {
    say(`up to date: pulumi ${cliVersion}, policy packs started by ${current.launcher} (${path.relative(ROOT, MANIFEST)})`);
    return;
  }
  fs.writeFileSync(LOG, `engine:install ${new Date().toISOString()}\n`);

  const probe = spawnSync("go", ["env", "GOVERSION"], { encoding: "utf8", timeout: LIMITS.probe });
  if (probe.error || probe.status !== 0) fail("the go command is not on PATH (install Go 1.26 or newer)");
  const localGo = probe.stdout.trim();
  const env = { ...process.env };
  // The machine's toolchain is used unless the module asks for a newer one: then the go command fetches that
  // toolchain from the module proxy (GOTOOLCHAIN=go1.x.y), as it does any module.
  const wanted = (/^toolchain\s+(go\S+)/m.exec(goMod) ?? [])[1] ?? `go${(/^go\s+(\S+)/m.exec(goMod) ?? [])[1] ?? "1"}`;
  env.GOTOOLCHAIN = goVersionLess(localGo, wanted) ? wanted : "local";
  say(`building pulumi ${cliVersion} with ${env.GOTOOLCHAIN === "local" ? localGo : env.GOTOOLCHAIN} (a cold build takes many minutes on 2 cores; log: ${path.relative(ROOT, LOG)})`);

  const downloaded = go(["mod", "download"], { cwd: WRAPPER, env, timeout: LIMITS.download, what: "go mod download (the Go module proxy)" });
  if (!downloaded.ok) fail(downloaded.reason);
  const built = go(["build", "-trimpath", "-tags", BUILD_TAGS, "-ldflags", `-w -s -X ${VERSION_VAR}=${cliVersion}`, "-o", pulumi, CLI_PACKAGE], { cwd: WRAPPER, env, timeout: LIMITS.build, what: `go build ${CLI_PACKAGE}` });
  if (!built.ok) fail(built.reason);
  say(`pulumi ${cliVersion} built in ${built.seconds} s`);

  const host = buildLanguageHost(env, cliVersion);
  const shimPath = path.join(BIN, SHIM);
  /** @type {Record<string, unknown>} */
  let launcher;
  if (host.ok) {
    fs.rmSync(shimPath, { force: true });
    launcher = { launcher: "pulumi-language-nodejs", languageHost: { module: LANGUAGE_HOST_MODULE, version: host.version } };
    say(`pulumi-language-nodejs ${host.version} built: policy packs start through the language host`);
  } else {
    fs.rmSync(path.join(BIN, "pulumi-language-nodejs"), { force: true });
    fs.copyFileSync(path.join(WRAPPER, SHIM), shimPath);
    fs.chmodSync(shimPath, 0o755);
    launcher = { launcher: SHIM, languageHost: { module: LANGUAGE_HOST_MODULE, unavailable: host.reason } };
    say(`the Node language host cannot be had: ${host.reason}`);
    say(`policy packs start through the CLI's fallback (${SHIM}); the 4 MiB policy-proxy test is skipped`);
  }
  const version = spawnSync(pulumi, ["version"], { encoding: "utf8", timeout: LIMITS.probe });
  fs.writeFileSync(MANIFEST, `${JSON.stringify({ stamp, cli: { module: CLI_MODULE, version: cliVersion, reports: (version.stdout ?? "").trim() }, ...launcher, go: env.GOTOOLCHAIN === "local" ? localGo : env.GOTOOLCHAIN }, null, 2)}\n`);
}

main();
