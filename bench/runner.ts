/**
 * The program runner's part of `npm run bench`: a generated Pulumi program of about 1,000 and 5,000 azure-native
 * resources run under mocks (runProgram: a process of its own, as `check <dir>` runs it), timed end to end, with
 * the peak RSS of the process that ran the program.
 *
 *   --runner N,N   program sizes in resources (default 1000,5000)
 *   --no-runner    skip it
 *   --runner-only  only this part (no estates generated or checked): `npm run bench -- --runner-only`
 *
 * The program is one file that loops over `units` read from its stack config: each unit is an NSG with 5 inline
 * rules, 2 standalone rules, a subnet and 3 NICs each with a VM (10 resources), plus a resource group, a VNet and
 * the stack. It has no node_modules of its own, so it loads the runner's @pulumi packages.
 */
import * as fs from "fs";
import * as path from "path";
import { runProgram } from "../src/resources/program";
import type { PreviewMode } from "../src/resources/program";

export interface RunnerOptions {
  readonly sizes: number[];
  /** Skip the rest of the bench (`--runner-only`). */
  readonly only?: boolean;
}

export interface RunnerFigures {
  readonly kind: "runner";
  readonly mode: PreviewMode;
  readonly requested: number;
  readonly resources: number;
  readonly ms: number;
  readonly peakRssMb: number | null;
  /** CPU time of the program's process (user + system). */
  readonly cpuMs: number | null;
  readonly error?: string;
}

const DEFAULT_SIZES = [1000, 5000];
const PER_UNIT = 10;
const FIXED = 3;

/** Takes `--runner N,N` and `--no-runner` out of the bench's arguments. */
export function splitRunnerArgs(argv: readonly string[]): { rest: string[]; runner: RunnerOptions } {
  const rest: string[] = [];
  let sizes = DEFAULT_SIZES;
  let only = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === "--no-runner") sizes = [];
    else if (a === "--runner-only") only = true;
    else if (a === "--runner") {
      const v = argv[++i] ?? "";
      sizes = v.split(",").map((s) => Number(s.trim()));
      if (sizes.some((n) => !Number.isInteger(n) || n < FIXED + PER_UNIT)) throw new Error(`--runner needs resource counts of at least ${FIXED + PER_UNIT}, not "${v}"`);
    } else rest.push(a);
  }
  return { rest, runner: { sizes, ...(only ? { only } : {}) } };
}

const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as compute from "@pulumi/azure-native/compute";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";

const units = Number(new pulumi.Config().require("units"));
const location = "westeurope";
const rg = new resources.ResourceGroup("rg", { resourceGroupName: "bench-rg", location });
const vnet = new network.VirtualNetwork("vnet", {
  resourceGroupName: rg.name, virtualNetworkName: "bench-vnet", location, addressSpace: { addressPrefixes: ["10.0.0.0/8"] },
});
for (let u = 0; u < units; u++) {
  const octets = \`\${u >> 8}.\${u & 255}\`;
  const nsg = new network.NetworkSecurityGroup(\`nsg-\${u}\`, {
    resourceGroupName: rg.name, networkSecurityGroupName: \`nsg-\${u}\`, location,
    securityRules: [0, 1, 2, 3, 4].map((r) => ({
      name: \`in-\${r}\`, priority: 100 + r, direction: "Inbound", access: r % 2 ? "Deny" : "Allow", protocol: "Tcp",
      sourceAddressPrefix: "10.0.0.0/8", sourcePortRange: "*", destinationAddressPrefix: "*", destinationPortRange: String(1000 + r),
    })),
  });
  for (let k = 0; k < 2; k++) {
    new network.SecurityRule(\`out-\${u}-\${k}\`, {
      resourceGroupName: rg.name, networkSecurityGroupName: nsg.name, securityRuleName: \`out-\${k}\`, priority: 200 + k,
      direction: "Outbound", access: "Allow", protocol: "*", sourceAddressPrefix: "*", sourcePortRange: "*",
      destinationAddressPrefix: "Internet", destinationPortRange: String(443 + k),
    });
  }
  const subnet = new network.Subnet(\`subnet-\${u}\`, {
    resourceGroupName: rg.name, virtualNetworkName: vnet.name, subnetName: \`s\${u}\`, addressPrefix: \`10.\${octets}.0/24\`,
    networkSecurityGroup: { id: nsg.id },
  });
  for (let k = 0; k < 3; k++) {
    const nic = new network.NetworkInterface(\`nic-\${u}-\${k}\`, {
      resourceGroupName: rg.name, networkInterfaceName: \`nic-\${u}-\${k}\`, location,
      ipConfigurations: [{ name: "ipconfig1", subnet: { id: subnet.id }, privateIPAllocationMethod: "Static", privateIPAddress: \`10.\${octets}.\${4 + k}\` }],
    });
    new compute.VirtualMachine(\`vm-\${u}-\${k}\`, {
      resourceGroupName: rg.name, vmName: \`vm-\${u}-\${k}\`, location, hardwareProfile: { vmSize: "Standard_B1s" },
      networkProfile: { networkInterfaces: [{ id: nic.id, primary: true }] },
    });
  }
}
`;

/** Writes the program for about `resources` resources under `out`; returns its folder. */
export function writeBenchProgram(out: string, resources: number): string {
  const units = Math.max(1, Math.round((resources - FIXED) / PER_UNIT));
  const dir = path.join(out, `runner-program-${resources}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: bench-program\nruntime: nodejs\n");
  fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), `config:\n  bench-program:units: "${units}"\n`);
  fs.writeFileSync(path.join(dir, "index.ts"), PROGRAM);
  return dir;
}

/** Runs the program of each size (one at a time: the machine is shared) and returns the figures. */
export async function measureRunner(options: RunnerOptions, out: string, log: (line: string) => void): Promise<RunnerFigures[]> {
  const figures: RunnerFigures[] = [];
  for (const size of options.sizes) {
    const dir = writeBenchProgram(out, size);
    const mode: PreviewMode = "first";
    log(`bench: runner: a ${size}-resource program under mocks (${mode} preview)`);
    const t0 = process.hrtime.bigint();
    const result = await runProgram(dir, { preview: mode, timeoutMs: 600_000 });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    figures.push({
      kind: "runner",
      mode,
      requested: size,
      resources: result.ok ? result.records.length : 0,
      ms: Math.round(ms),
      peakRssMb: result.ok ? (result.peakRssMb ?? null) : null,
      cpuMs: result.ok ? (result.cpuMs ?? null) : null,
      ...(result.ok ? {} : { error: result.error }),
    });
    const f = figures[figures.length - 1] as RunnerFigures;
    log(`bench: runner: ${f.resources} resources in ${(f.ms / 1000).toFixed(1)} s (CPU ${f.cpuMs === null ? "?" : (f.cpuMs / 1000).toFixed(1)} s), peak RSS ${f.peakRssMb ?? "?"} MB${f.error ? ` (${f.error})` : ""}`);
  }
  return figures;
}

/** The table rows of the runner's figures. */
export function runnerTable(figures: readonly RunnerFigures[]): string {
  if (figures.length === 0) return "";
  const rows = figures.map((f) => `  ${String(f.resources).padStart(6)} resources  ${(f.ms / 1000).toFixed(1).padStart(6)} s  CPU ${(f.cpuMs === null ? "?" : (f.cpuMs / 1000).toFixed(1)).padStart(5)} s  peak RSS ${String(f.peakRssMb ?? "?").padStart(5)} MB${f.error ? `  ${f.error}` : ""}`);
  return ["", "program runner (a generated program under mocks, first preview, its own process):", ...rows].join("\n");
}
