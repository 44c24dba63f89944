/**
 * Seeded random topologies for the differential comparison, written as `pulumi stack export` files in the shape of
 * the examples' exports (examples/*\/stack-export.json, produced by running real azure-native programs under
 * Pulumi's mocks: `deployment.resources[]` with urn, type, id, inputs and outputs; ARM ids; subnets inline in their
 * VNet; NSG rules inline; peerings as standalone VirtualNetworkPeering resources). Every value is known, as in a
 * deployed stack. The generator stays inside what the oracle (oracle.ts) models: static IPv4 addresses, NSGs with
 * prefixes, '*', the VirtualNetwork / Internet / AzureLoadBalancer tags and ASGs, user routes to VnetLocal, Internet,
 * None and VirtualAppliance, and peerings (one side or both).
 */

export interface Random {
  next(): number;
  int(n: number): number;
  pick<T>(list: readonly T[]): T;
  chance(p: number): boolean;
}

/** mulberry32, seeded: the same seed gives the same topology. */
export function random(seed: number): Random {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

const SUB = "00000000-0000-0000-0000-000000000000";
const RG = "diff-rg";
const URN = (type: string, name: string): string => `urn:pulumi:dev::differential::${type}::${name}`;
const ARM = (type: string, name: string): string => `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Network/${type}/${name}`;

export interface GenNic {
  readonly name: string;
  readonly ip: string;
  readonly vnet: number;
  readonly subnet: string;
  readonly forwarding: boolean;
}

export interface Generated {
  readonly seed: number;
  readonly exportJson: unknown;
  readonly nics: readonly GenNic[];
  /** Addresses worth asking about: every NIC's, hosts in no subnet, outside addresses. */
  readonly probeAddresses: readonly string[];
}

const PORTS = ["*", "22", "80", "443", "1000-2000", "3389"];
const EXTERNAL = ["203.0.113.9", "8.8.8.8", "52.1.2.3"];

export function generate(seed: number): Generated {
  const r = random(seed);
  const vnetCount = 1 + r.int(3);
  const resources: Record<string, unknown>[] = [];
  const add = (type: string, name: string, id: string, props: Record<string, unknown>): void => {
    const outputs = { id, name, ...props };
    resources.push({ urn: URN(type, name), custom: true, id, type, inputs: props, outputs, dependencies: [], propertyDependencies: {} });
  };

  // NSGs and route tables are declared first so subnets and NICs can name them.
  const asgs = Array.from({ length: r.int(3) }, (_, i) => `asg${i}`);
  for (const a of asgs) add("azure-native:network:ApplicationSecurityGroup", a, ARM("applicationSecurityGroups", a), { location: "westeurope" });

  interface SubnetDraft {
    readonly vnet: number;
    readonly name: string;
    readonly prefix: string;
    readonly base: string;
  }
  const subnets: SubnetDraft[] = [];
  for (let v = 0; v < vnetCount; v++) {
    const n = 1 + r.int(3);
    for (let s = 0; s < n; s++) subnets.push({ vnet: v, name: `v${v}-s${s}`, prefix: `10.${v}.${s}.0/24`, base: `10.${v}.${s}` });
  }

  const nics: GenNic[] = [];
  const nicAsgs = new Map<string, string[]>();
  for (const s of subnets) {
    const n = 1 + r.int(3);
    for (let i = 0; i < n; i++) {
      const name = `${s.name}-nic${i}`;
      nics.push({ name, ip: `${s.base}.${4 + i}`, vnet: s.vnet, subnet: s.name, forwarding: r.chance(0.3) });
      nicAsgs.set(name, asgs.filter(() => r.chance(0.3)));
    }
  }

  const addressPool = (): string => {
    const k = r.int(9);
    if (k === 0) return "*";
    if (k === 1) return "VirtualNetwork";
    if (k === 2) return "Internet";
    if (k === 3) return "AzureLoadBalancer";
    if (k === 4) return `10.${r.int(vnetCount)}.0.0/16`;
    if (k === 5) return r.pick(subnets).prefix;
    if (k === 6) return `${r.pick(nics).ip}/32`;
    if (k === 7) return r.pick(["203.0.113.0/24", "0.0.0.0/0", "8.0.0.0/7"]);
    return r.pick(nics).ip;
  };

  const nsgNames = Array.from({ length: r.int(4) }, (_, i) => `nsg${i}`);
  for (const nsg of nsgNames) {
    const rules: Record<string, unknown>[] = [];
    const used = new Set<string>();
    const count = r.int(7);
    for (let i = 0; i < count; i++) {
      const direction = r.chance(0.5) ? "Inbound" : "Outbound";
      let priority = 100 + r.int(40) * 10;
      while (used.has(`${direction}${priority}`)) priority += 1;
      used.add(`${direction}${priority}`);
      const rule: Record<string, unknown> = {
        name: `r${i}-${direction === "Inbound" ? "in" : "out"}`,
        priority,
        direction,
        access: r.chance(0.5) ? "Allow" : "Deny",
        protocol: r.pick(["Tcp", "Udp", "*", "Tcp"]),
        sourcePortRange: "*",
        destinationPortRange: r.pick(PORTS),
      };
      if (asgs.length > 0 && r.chance(0.2)) rule.sourceApplicationSecurityGroups = [{ id: ARM("applicationSecurityGroups", r.pick(asgs)) }];
      else rule.sourceAddressPrefix = addressPool();
      if (asgs.length > 0 && r.chance(0.2)) rule.destinationApplicationSecurityGroups = [{ id: ARM("applicationSecurityGroups", r.pick(asgs)) }];
      else rule.destinationAddressPrefix = addressPool();
      rules.push(rule);
    }
    add("azure-native:network:NetworkSecurityGroup", nsg, ARM("networkSecurityGroups", nsg), { location: "westeurope", securityRules: rules });
  }

  const tables = Array.from({ length: r.int(3) }, (_, i) => `rt${i}`);
  for (const t of tables) {
    const routes: Record<string, unknown>[] = [];
    const prefixes = new Set<string>();
    const count = 1 + r.int(3);
    for (let i = 0; i < count; i++) {
      const prefix = r.pick(["0.0.0.0/0", `10.${r.int(vnetCount)}.0.0/16`, r.pick(subnets).prefix, `${r.pick(nics).ip}/32`, "203.0.113.0/24", "10.9.0.0/16"]);
      if (prefixes.has(prefix)) continue;
      prefixes.add(prefix);
      const hop = r.pick(["VirtualAppliance", "VirtualAppliance", "None", "Internet", "VnetLocal"]);
      const route: Record<string, unknown> = { name: `route${i}`, addressPrefix: prefix, nextHopType: hop };
      if (hop === "VirtualAppliance") route.nextHopIpAddress = r.chance(0.85) ? r.pick(nics).ip : r.pick(["10.0.250.4", `${r.pick(subnets).base}.200`]);
      routes.push(route);
    }
    add("azure-native:network:RouteTable", t, ARM("routeTables", t), { location: "westeurope", routes });
  }

  const subnetNsg = new Map<string, string | undefined>();
  for (let v = 0; v < vnetCount; v++) {
    const vnetName = `vnet${v}`;
    const vnetId = ARM("virtualNetworks", vnetName);
    const body = subnets
      .filter((s) => s.vnet === v)
      .map((s) => {
        const sub: Record<string, unknown> = { name: s.name, addressPrefix: s.prefix, id: `${vnetId}/subnets/${s.name}` };
        const nsg = nsgNames.length > 0 && r.chance(0.5) ? r.pick(nsgNames) : undefined;
        subnetNsg.set(s.name, nsg);
        if (nsg) sub.networkSecurityGroup = { id: ARM("networkSecurityGroups", nsg) };
        if (tables.length > 0 && r.chance(0.5)) sub.routeTable = { id: ARM("routeTables", r.pick(tables)) };
        return sub;
      });
    add("azure-native:network:VirtualNetwork", vnetName, vnetId, { location: "westeurope", addressSpace: { addressPrefixes: [`10.${v}.0.0/16`] }, subnets: body });
  }

  for (const nic of nics) {
    const vnetId = ARM("virtualNetworks", `vnet${nic.vnet}`);
    const id = ARM("networkInterfaces", nic.name);
    const members = nicAsgs.get(nic.name) ?? [];
    const cfg: Record<string, unknown> = {
      name: "ipconfig1",
      id: `${id}/ipConfigurations/ipconfig1`,
      primary: true,
      privateIPAddress: nic.ip,
      privateIPAllocationMethod: "Static",
      subnet: { id: `${vnetId}/subnets/${nic.subnet}` },
    };
    // Azure requires an ASG's members to be in one VNet: only vnet0's NICs join ASGs.
    if (members.length > 0 && nic.vnet === 0) cfg.applicationSecurityGroups = members.map((a) => ({ id: ARM("applicationSecurityGroups", a) }));
    const props: Record<string, unknown> = { location: "westeurope", enableIPForwarding: nic.forwarding, ipConfigurations: [cfg] };
    if (nsgNames.length > 0 && r.chance(0.4)) props.networkSecurityGroup = { id: ARM("networkSecurityGroups", r.pick(nsgNames)) };
    add("azure-native:network:NetworkInterface", nic.name, id, props);
  }
  // Only vnet0 NICs are ASG members (see above); keep the record honest for the oracle.
  const effectiveNics = nics;

  for (let a = 0; a < vnetCount; a++) {
    for (let b = a + 1; b < vnetCount; b++) {
      if (!r.chance(0.7)) continue;
      const sides = r.chance(0.85) ? [[a, b], [b, a]] : [r.chance(0.5) ? [a, b] : [b, a]];
      for (const [x, y] of sides) {
        const name = `v${x}-to-v${y}`;
        add("azure-native:network:VirtualNetworkPeering", name, `${ARM("virtualNetworks", `vnet${x}`)}/virtualNetworkPeerings/${name}`, {
          virtualNetworkName: `vnet${x}`,
          resourceGroupName: RG,
          remoteVirtualNetwork: { id: ARM("virtualNetworks", `vnet${y}`) },
          allowVirtualNetworkAccess: r.chance(0.85),
          allowForwardedTraffic: r.chance(0.6),
          allowGatewayTransit: false,
          useRemoteGateways: false,
        });
      }
    }
  }

  const probeAddresses = [...effectiveNics.map((n) => n.ip), ...EXTERNAL, "10.9.1.1", `10.${r.int(vnetCount)}.200.7`];
  return { seed, exportJson: { version: 3, deployment: { manifest: { time: "2026-12-02T00:00:00Z", magic: "", version: "v3.260.0" }, resources } }, nics: effectiveNics, probeAddresses };
}

/** The unknown-value sentinel of the Pulumi engine's JSON (pkg/resource/plugin UnknownStringValue). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * The same topology as a first `pulumi preview --json` (the shape of examples/*\/preview.json): one create step per
 * resource, every ARM id the unknown sentinel (nothing exists yet), so references resolve only through
 * propertyDependencies, which name the resources each top-level property refers to. Unlike a real azure-native
 * preview, unset response properties are absent rather than unknown: the preview reader reconciles an unknown output
 * the program did not set to absent (src/resources/reconcile.ts, issue 11), so both read alike; the real shape is
 * covered by test/protocol/real-preview.test.ts.
 */
export function previewOf(exportJson: unknown): unknown {
  const resources = ((exportJson as { deployment: { resources: Record<string, unknown>[] } }).deployment.resources);
  const urnById = new Map<string, string>();
  for (const r of resources) urnById.set(String(r.id), String(r.urn));
  const ownerOf = (id: string): string | undefined => {
    // A child id (a subnet, a rule) names its parent resource's id followed by more segments.
    let best: string | undefined;
    for (const rid of urnById.keys()) if ((id === rid || id.startsWith(`${rid}/`)) && (best === undefined || rid.length > best.length)) best = rid;
    return best === undefined ? undefined : urnById.get(best);
  };
  const steps = resources.map((r) => {
    const deps: Record<string, string[]> = {};
    const hide = (v: unknown, top: string | undefined): unknown => {
      if (typeof v === "string" && v.startsWith("/subscriptions/")) {
        const owner = ownerOf(v);
        if (top !== undefined && owner !== undefined && owner !== r.urn) deps[top] = [...new Set([...(deps[top] ?? []), owner])].sort();
        return UNKNOWN;
      }
      if (Array.isArray(v)) return v.map((x) => hide(x, top));
      if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, hide(x, top ?? k)]));
      return v;
    };
    const inputs = hide(r.inputs, undefined) as Record<string, unknown>;
    const outputs = { ...(hide(r.outputs, undefined) as Record<string, unknown>), id: UNKNOWN };
    const dependencies = [...new Set(Object.values(deps).flat())].sort();
    return { op: "create", urn: r.urn, newState: { urn: r.urn, custom: true, type: r.type, inputs, outputs, dependencies, propertyDependencies: deps } };
  });
  return { config: {}, steps, diagnostics: [], changeSummary: { create: steps.length } };
}
