import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * Writes a throwaway Pulumi program (Pulumi.yaml + the given files) outside the repository. Such a program has no
 * node_modules of its own: its `@pulumi/pulumi` import resolves to the runner's copy.
 */
export function writeProgram(name: string, files: Record<string, string>, runtime = "nodejs"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `reachability-${name}-`));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${name}\nruntime: ${runtime}\n`);
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

export function removeProgram(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
