/**
 * A publishable pack (issue 11 point 8). `pulumi policy publish` runs `npm pack --loglevel=error` in the pack's
 * directory and takes its whole stdout, trimmed, as the tarball's file name (pulumi/pulumi sdk/nodejs/npm/npm.go,
 * npmManager.Pack); Pulumi Cloud extracts the tarball and runs `npm install` in it. npm 11 prints any lifecycle
 * script's banner on stdout even at --loglevel=error (measured: with a `prepack` build, stdout was "> azure-
 * reachability@0.1.0 prepack / > tsc -p tsconfig.build.json / azure-reachability-0.1.0.tgz"), so the package has no
 * build lifecycle script (scripts/build-if-stale.js says more): stdout is the file name alone, installing the
 * tarball runs no build, and `npm install <tarball>` in an empty folder gives a pack the real CLI boots.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { analyze, engineManifest, headline, ROOT } from "./cli";

const installed = engineManifest();
const MINUTE = 60_000;

function sh(cmd: string, args: string[], cwd: string, timeout = 10 * MINUTE) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout, env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", npm_config_update_notifier: "false" } });
  if (r.error) throw new Error(`${cmd} ${args.join(" ")}: ${r.error.message}`);
  return r;
}

describe("npm pack, then npm install <tarball> in an empty folder", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ar-pack-"));
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { name: string; version: string };
  const tarballName = `${pkg.name}-${pkg.version}.tgz`;
  let packed: ReturnType<typeof sh>;
  let tarball = "";

  beforeAll(() => {
    // Exactly what `pulumi policy publish` runs, where it runs it.
    packed = sh("npm", ["pack", "--loglevel=error"], ROOT);
    const made = path.join(ROOT, packed.stdout.trim());
    if (packed.status === 0 && fs.existsSync(made) && made.endsWith(".tgz")) {
      tarball = path.join(tmp, path.basename(made));
      fs.renameSync(made, tarball);
    }
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test("npm pack's stdout is the tarball's name and nothing else", () => {
    expect(packed.status).toBe(0);
    expect(packed.stdout.trim()).toBe(tarballName);
    expect(fs.existsSync(tarball)).toBe(true);
  });

  test("the tarball holds the compiled pack and no build script that installing it would run", () => {
    const list = sh("tar", ["-tzf", tarball], tmp).stdout.split("\n");
    expect(list).toEqual(expect.arrayContaining(["package/PulumiPolicy.yaml", "package/package.json", "package/dist/policy-pack/index.js", "package/dist/src/cli/main.js", "package/bin/azure-reachability.js"]));
    expect(list.filter((f) => f.startsWith("package/dist/test/") || f.startsWith("package/src/"))).toEqual([]);
    const manifest = JSON.parse(sh("tar", ["-xzOf", tarball, "package/package.json"], tmp).stdout) as { scripts?: Record<string, string>; engines?: { node?: string } };
    // npm install runs these in the package being installed (and in Pulumi Cloud's extracted tarball).
    expect(Object.keys(manifest.scripts ?? {}).filter((s) => ["preinstall", "install", "postinstall", "prepare", "prepack", "postpack"].includes(s))).toEqual([]);
    expect(manifest.engines?.node).toBe(">=22");
  });

  (installed.ok ? test : test.skip)("the installed pack boots under the real CLI and fails the broken intent", () => {
    const project = path.join(tmp, "consumer");
    fs.mkdirSync(project);
    const inst = sh("npm", ["install", "--no-audit", "--no-fund", tarball], project, 15 * MINUTE);
    expect(inst.status).toBe(0);
    const packDir = path.join(project, "node_modules", pkg.name);
    expect(fs.existsSync(path.join(packDir, "PulumiPolicy.yaml"))).toBe(true);
    const run = analyze({ file: path.join(ROOT, "examples/three-tier/stack-export.json"), config: path.join(ROOT, "examples/three-tier/intents.json"), policyPack: packDir });
    expect(run.stray).toEqual([]);
    expect(run.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => headline(v).split(" (")[0])).toEqual(['intent "app-reaches-db" fails']);
    expect(run.code).not.toBe(0);
  });
});
