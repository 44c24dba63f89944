/**
 * The shape of every field the model reads, per resource kind, checked once before the topology is built. A field
 * of the wrong type (a list given as an object, a reference as a number or as an object without `id`, a flag as
 * a word) or a malformed value (a private IP `10.0.1.999`, an allocation method that is neither Static nor
 * Dynamic) is reported (`malformed-field`, naming the resource, field and value) and replaced by an Unknown
 * carrying its path: the engine then treats it as unknown (an undecided verdict), never as absent (which
 * silently dropped it, and turned failing intents into passes; issue 13).
 *
 * Shapes follow the azure-native SDK's input and output types (NetworkInterfaceIPConfiguration, SubnetType,
 * SecurityRuleType, RouteType, VirtualNetworkPeeringType, ...). Fields the model does not read are not checked.
 * Copy on write: records and values that need no change are returned as they are.
 */
import { quoteValue } from "../../io/quote";
import { isUnknown, unknown } from "../../model/unknown";
import type { PropertyObject, PropertyValue, ResourceRecord } from "../../resources/record";
import { parseIpAddress } from "../../sets/ip";
import type { Diagnostic } from "../../model/diagnostic";
import { isPropertyObject } from "./props";
import { kindOfType, type ResourceKind } from "./kinds";

/** What a field must be. */
export type Shape =
  | { readonly t: "string" }
  | { readonly t: "bool" }
  | { readonly t: "int" }
  | { readonly t: "ip" }
  | { readonly t: "region" }
  | { readonly t: "segment" }
  | { readonly t: "enum"; readonly values: readonly string[] }
  | { readonly t: "ref"; readonly fields?: Readonly<Record<string, Shape>> }
  | { readonly t: "tags" }
  | { readonly t: "list"; readonly of: Shape }
  | { readonly t: "object"; readonly fields: Readonly<Record<string, Shape>> };

const S: Shape = { t: "string" };
const B: Shape = { t: "bool" };
const N: Shape = { t: "int" };
const IP: Shape = { t: "ip" };
/**
 * An Azure region, by name (`westeurope`) or display name (`West Europe`): letters, digits and spaces. A location
 * with a control character or a URN in it matched no AVNM commit's targetLocations and dropped the admin rules
 * silently (fuzz seed 20261202 mutants 3080 and 3108).
 */
const REGION: Shape = { t: "region" };
/**
 * The name of a child resource that other resources reference by ARM id (a load balancer's frontend, pool or rule):
 * the last segment of that id, so it has no "/" (ARM builds the id from the names:
 * https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules). A child renamed to a path
 * matched none of the references to it, and its NAT rule was dropped without a word on the load balancer (fuzz seed
 * 1911954498 mutant 2186).
 */
const SEGMENT: Shape = { t: "segment" };
const REF: Shape = { t: "ref" };
const TAGS: Shape = { t: "tags" };
const list = (of: Shape): Shape => ({ t: "list", of });
const obj = (fields: Record<string, Shape>): Shape => ({ t: "object", fields });
const oneOf = (...values: string[]): Shape => ({ t: "enum", values });

const SUBNET = {
  name: S,
  id: S,
  addressPrefix: S,
  addressPrefixes: list(S),
  networkSecurityGroup: REF,
  routeTable: REF,
  // Private endpoints and service endpoints (docs/endpoints.md).
  privateEndpointNetworkPolicies: oneOf("Disabled", "Enabled", "NetworkSecurityGroupEnabled", "RouteTableEnabled"),
  serviceEndpoints: list(obj({ service: S, locations: list(S) })),
  // Egress (docs/ingress.md): false makes a private subnet; a value that is not a boolean was read as the API's
  // default, true, without a word (fuzz seed 12000 mutant 1856: Number.MAX_VALUE).
  defaultOutboundAccess: B,
};

const SECURITY_RULE = {
  name: S,
  id: S,
  priority: N,
  direction: S,
  access: S,
  protocol: S,
  description: S,
  sourceAddressPrefix: S,
  destinationAddressPrefix: S,
  sourceAddressPrefixes: list(S),
  destinationAddressPrefixes: list(S),
  sourcePortRange: S,
  destinationPortRange: S,
  sourcePortRanges: list(S),
  destinationPortRanges: list(S),
  sourceApplicationSecurityGroups: list(REF),
  destinationApplicationSecurityGroups: list(REF),
};

const ROUTE = { name: S, id: S, addressPrefix: S, nextHopType: S, nextHopIpAddress: S };

const PEERING = {
  name: S,
  id: S,
  remoteVirtualNetwork: REF,
  allowVirtualNetworkAccess: B,
  allowForwardedTraffic: B,
  allowGatewayTransit: B,
  useRemoteGateways: B,
};

const IP_CONFIGURATION = obj({
  name: S,
  id: S,
  primary: B,
  privateIPAddress: IP,
  privateIPAllocationMethod: oneOf("Static", "Dynamic"),
  subnet: REF,
  publicIPAddress: REF,
  applicationSecurityGroups: list(REF),
  loadBalancerBackendAddressPools: list(REF),
  // nic.ts reads the NAT rules a configuration joins (inbound NAT is ingress: docs/ingress.md); a list that was not
  // one was read as no NAT rules without a word (fuzz, issue 13).
  loadBalancerInboundNatRules: list(REF),
});

/**
 * Address, port and protocol lists of a firewall rule (firewall.ts reads them as lists of strings, and dropped an
 * element that was not one without a word: fuzz seed 777 mutant 220, a policy rule's destinationPorts[0] set to
 * null, turned a passing intent into a failing one). SDK: FirewallPolicyRuleCollectionGroup's NetworkRule, NatRule
 * and ApplicationRule; AzureFirewall's AzureFirewallNetworkRule, AzureFirewallNatRule, AzureFirewallApplicationRule.
 */
const FIREWALL_RULE_LISTS = {
  name: S,
  ruleType: S,
  ipProtocols: list(S),
  sourceAddresses: list(S),
  sourceIpGroups: list(S),
  destinationAddresses: list(S),
  destinationIpGroups: list(S),
  destinationFqdns: list(S),
  destinationPorts: list(S),
  translatedAddress: S,
  translatedFqdn: S,
  // SDK NatRule.translatedPort is a string holding a port; an ARM id there (fuzz seed 101 mutant 2488) was read as
  // absent, so the DNAT kept the original port without a word.
  translatedPort: N,
  targetFqdns: list(S),
  fqdnTags: list(S),
  webCategories: list(S),
  targetUrls: list(S),
};
/** An application rule's protocols are objects {protocolType, port}; a classic network or NAT rule's are strings. */
const APP_PROTOCOLS = list(obj({ protocolType: S, port: N }));
const CLASSIC_COLLECTION = (protocols: Shape): Shape => obj({ name: S, priority: N, rules: list(obj({ ...FIREWALL_RULE_LISTS, protocols })) });

/**
 * An AVNM security admin rule (SDK AdminRule: sources/destinations [{addressPrefix, addressPrefixType}],
 * sourcePortRanges, destinationPortRanges). avnm.ts dropped a port list given as a number without a word (fuzz seed
 * 1911954498 mutant 262: destinationPortRanges made Number.MAX_VALUE turned two passing intents into failures).
 */
const ADDRESS_ITEMS = list(obj({ addressPrefix: S, addressPrefixType: S }));
const ADMIN_RULE = {
  name: S,
  kind: S,
  priority: N,
  access: S,
  direction: S,
  protocol: S,
  description: S,
  sources: ADDRESS_ITEMS,
  destinations: ADDRESS_ITEMS,
  sourcePortRanges: list(S),
  destinationPortRanges: list(S),
};

/** The fields each kind's adapter reads from the record's props. */
export const FIELD_SHAPES: Readonly<Partial<Record<ResourceKind, Readonly<Record<string, Shape>>>>> = {
  vnet: { name: S, id: S, location: REGION, addressSpace: obj({ addressPrefixes: list(S) }), subnets: list(obj(SUBNET)), virtualNetworkPeerings: list(obj(PEERING)), tags: TAGS },
  subnet: SUBNET,
  // defaultSecurityRules: read and compared with Azure's defaults in default-rules.ts.
  nsg: { name: S, id: S, securityRules: list(obj(SECURITY_RULE)), tags: TAGS },
  securityRule: SECURITY_RULE,
  nic: { name: S, id: S, ipConfigurations: list(IP_CONFIGURATION), networkSecurityGroup: REF, enableIPForwarding: B, tags: TAGS },
  asg: { name: S, id: S, tags: TAGS },
  routeTable: { name: S, id: S, routes: list(obj(ROUTE)), disableBgpRoutePropagation: B, tags: TAGS },
  route: ROUTE,
  peering: PEERING,
  // sku.name decides whether the address is open or closed (sku.ts); a sku that is not an object (fuzz seed
  // 467245166 mutant 414: a 31,121-character string) was read as absent and Basic assumed without a word.
  publicIp: { name: S, id: S, ipAddress: IP, sku: obj({ name: S, tier: S }), tags: TAGS },
  gateway: { name: S, id: S, gatewayType: S, ipConfigurations: list(obj({ name: S, subnet: REF })) },
  loadBalancer: {
    name: S,
    id: S,
    sku: obj({ name: S, tier: S }),
    frontendIPConfigurations: list(obj({ name: SEGMENT, id: S, publicIPAddress: REF })),
    backendAddressPools: list(obj({ name: SEGMENT, id: S })),
    // Each rule's fields are checked by load-balancer.ts; a list that is not one (fuzz seed 20261202 mutant 31: a
    // 50,000-digit string) was read as no rules.
    loadBalancingRules: list(obj({ name: SEGMENT, id: S })),
    inboundNatRules: list(obj({ name: SEGMENT, id: S })),
    inboundNatPools: list(obj({ name: SEGMENT, id: S })),
  },
  privateEndpoint: {
    name: S,
    id: S,
    subnet: REF,
    ipConfigurations: list(obj({ name: S, groupId: S, memberName: S, privateIPAddress: IP })),
    customDnsConfigs: list(obj({ fqdn: S, ipAddresses: list(IP) })),
    applicationSecurityGroups: list(REF),
    privateLinkServiceConnections: list(obj({ name: S, privateLinkServiceId: S, groupIds: list(S) })),
    manualPrivateLinkServiceConnections: list(obj({ name: S, privateLinkServiceId: S, groupIds: list(S) })),
    networkInterfaces: list(REF),
    tags: TAGS,
  },
  localGateway: { name: S, id: S, localNetworkAddressSpace: obj({ addressPrefixes: list(S) }), gatewayIpAddress: IP, fqdn: S },
  gatewayConnection: {
    name: S,
    id: S,
    connectionType: oneOf("IPsec", "Vnet2Vnet", "ExpressRoute", "VPNClient"),
    virtualNetworkGateway1: REF,
    virtualNetworkGateway2: REF,
    localNetworkGateway2: REF,
    enableBgp: B,
  },
  vmss: {
    name: S,
    id: S,
    virtualMachineProfile: obj({
      networkProfile: obj({
        networkInterfaceConfigurations: list(
          obj({
            name: S,
            primary: B,
            enableIPForwarding: B,
            enableAcceleratedNetworking: B,
            networkSecurityGroup: REF,
            ipConfigurations: list(
              obj({
                name: S,
                primary: B,
                subnet: REF,
                publicIPAddressConfiguration: obj({ name: S }),
                applicationSecurityGroups: list(REF),
                loadBalancerBackendAddressPools: list(REF),
                loadBalancerInboundNatPools: list(REF),
              }),
            ),
          }),
        ),
      }),
    }),
    tags: TAGS,
  },
  ruleCollectionGroup: {
    name: S,
    priority: N,
    // A rule's protocols: an application rule's only (network and NAT rules of a policy use ipProtocols).
    ruleCollections: list(obj({ name: S, priority: N, ruleCollectionType: S, rules: list(obj({ ...FIREWALL_RULE_LISTS, protocols: APP_PROTOCOLS })) })),
  },
  firewall: {
    // Fuzz seed 2026 mutant 380: a subnet reference given as a number was read as absent.
    ipConfigurations: list(obj({ name: S, subnet: REF, publicIPAddress: REF, privateIPAddress: IP })),
    hubIPAddresses: obj({ privateIPAddress: IP }),
    firewallPolicy: REF,
    natRuleCollections: list(CLASSIC_COLLECTION(list(S))),
    networkRuleCollections: list(CLASSIC_COLLECTION(list(S))),
    applicationRuleCollections: list(CLASSIC_COLLECTION(APP_PROTOCOLS)),
  },
  ipGroup: { name: S, id: S, ipAddresses: list(S) },
  adminRule: ADMIN_RULE,
  // SDK AdminRuleCollection, NetworkManagerCommit (inputs and outputs nest the commit under `properties` here as
  // avnm.ts reads it), NetworkManager. Fuzz seed 2026 mutant 277: configurationIds given as a number committed nothing.
  adminRuleCollection: { name: S, appliesToGroups: list(obj({ networkGroupId: S })) },
  // A target location is a region (REGION): one with a control character in it (fuzz seed 101 mutant 2613: U+202E
  // inserted) matched no VNet's location and dropped the admin rules without a word.
  avnmCommit: { properties: obj({ commitType: S, configurationIds: list(S), targetLocations: list(REGION) }) },
  // SDK ConfigurationType: a scope access that is none of them (fuzz seed 20261202 mutant 3106: a URN) dropped the
  // manager's security admin rules silently.
  networkManager: { name: S, id: S, networkManagerScopeAccesses: list(oneOf("SecurityAdmin", "Connectivity", "SecurityUser", "Routing")) },
  staticMember: { name: S, resourceId: S },
  vm: { name: S, id: S, networkProfile: obj({ networkInterfaces: list({ t: "ref", fields: { primary: B } }), networkInterfaceConfigurations: list(obj({})) }), tags: TAGS },
};

function expected(shape: Shape): string {
  switch (shape.t) {
    case "string":
      return "a string";
    case "bool":
      return "true or false";
    case "int":
      return "a whole number";
    case "ip":
      return "an IP address";
    case "region":
      return "an Azure region name";
    case "segment":
      return 'a name without "/"';
    case "enum":
      return shape.values.join(" or ");
    case "ref":
      return 'a reference {"id": "<ARM id>"}';
    case "tags":
      return "an object of string tags";
    case "list":
      return "a list";
    case "object":
      return "an object";
  }
}

/** Why `v` does not fit `shape` (undefined when it fits at this level). Absent and null always fit. */
function misfit(v: PropertyValue, shape: Shape): string | undefined {
  // A key present with the value undefined (records built in code, the policy pack's args) is absent too.
  if (v === null || v === undefined || isUnknown(v)) return undefined;
  switch (shape.t) {
    case "string":
      return typeof v === "string" ? undefined : "";
    case "bool":
      // The SDK's flags are booleans; "true"/"false" are read as such elsewhere (props.bool).
      return typeof v === "boolean" || v === "true" || v === "True" || v === "false" || v === "False" ? undefined : "";
    case "int":
      return typeof v === "number" || (typeof v === "string" && isIntegerText(v)) ? undefined : "";
    case "ip": {
      if (typeof v !== "string") return "";
      if (v.trim() === "") return undefined;
      const parsed = parseIpAddress(v.trim());
      return parsed.ok ? undefined : parsed.error;
    }
    case "region":
      if (typeof v !== "string") return "";
      return v.trim() === "" || /^[A-Za-z0-9][A-Za-z0-9 ]*$/.test(v.trim()) ? undefined : "";
    case "segment":
      if (typeof v !== "string") return "";
      return v.includes("/") ? "" : undefined;
    case "enum":
      if (typeof v !== "string") return "";
      if (v.trim() === "") return undefined;
      return shape.values.some((x) => x.toLowerCase() === v.trim().toLowerCase()) ? undefined : "";
    case "ref": {
      // A bare ARM id is read as a reference; any other string (a mangled unknown, a name) is not one.
      if (typeof v === "string") return v.startsWith("/") ? undefined : "not an ARM id";
      if (!isPropertyObject(v)) return "";
      const id = v.id;
      return typeof id === "string" || isUnknown(id) ? undefined : id === undefined ? "it has no id" : "its id is not a string";
    }
    case "tags":
    case "object":
      return isPropertyObject(v) ? undefined : "";
    case "list":
      return Array.isArray(v) ? undefined : "";
  }
}

/** The path of a field (`.key`) or list element (`[i]`) below `parent`, as the diagnostics and unknowns spell it. */
function childPath(parent: string, seg: string | number): string {
  return typeof seg === "number" ? `${parent}[${seg}]` : `${parent}.${seg}`;
}

function isIntegerText(s: string): boolean {
  const t = s.trim();
  let i = t.startsWith("-") ? 1 : 0;
  if (i >= t.length) return false;
  for (; i < t.length; i++) if (t[i] < "0" || t[i] > "9") return false;
  return true;
}

/** One check of one record: reports into `out`, returns the value with each misfit replaced by an Unknown. */
class ShapeCheck {
  constructor(
    private readonly record: ResourceRecord,
    private readonly out: Diagnostic[],
    /** Checking a preview's inputs, which the model does not read but the reader reconciled with the outputs. */
    private readonly inputs = false,
  ) {}

  /**
   * `v` is the field `seg` of the value at `parent` (a key, or an index in a list). The path text is only built
   * for containers and misfits: most fields are leaves that fit, and spelling their paths cost more than the check.
   */
  value(v: PropertyValue, shape: Shape, parent: string, seg: string | number): PropertyValue {
    const problem = misfit(v, shape);
    if (problem !== undefined) return this.malformed(v, shape, childPath(parent, seg), problem);
    if (v === null || isUnknown(v)) return v;
    if (shape.t === "list" && Array.isArray(v)) {
      const path = childPath(parent, seg);
      let copy: PropertyValue[] | undefined;
      for (let i = 0; i < v.length; i++) {
        // A null element is not an absent one: a list of prefixes with a hole is malformed.
        const next = v[i] === null ? this.malformed(null, shape.of, childPath(path, i), "") : this.value(v[i], shape.of, path, i);
        if (next !== v[i]) (copy ??= [...v])[i] = next;
      }
      return copy ?? v;
    }
    if ((shape.t === "object" || shape.t === "ref") && shape.fields !== undefined && isPropertyObject(v)) return this.fields(v, shape.fields, childPath(parent, seg));
    if (shape.t === "tags" && isPropertyObject(v)) {
      const path = childPath(parent, seg);
      let copy: PropertyObject | undefined;
      for (const key of Object.keys(v)) {
        const tag = v[key];
        if (typeof tag === "string" || tag === null || isUnknown(tag)) continue;
        (copy ??= { ...v })[key] = this.malformed(tag, S, `${path}.${key}`, "");
      }
      return copy ?? v;
    }
    return v;
  }

  fields(o: PropertyObject, fields: Readonly<Record<string, Shape>>, path: string): PropertyObject {
    let copy: PropertyObject | undefined;
    for (const key of Object.keys(fields)) {
      if (!Object.prototype.hasOwnProperty.call(o, key)) continue;
      const before = o[key];
      const after = this.value(before, fields[key], path, key);
      if (after !== before) (copy ??= { ...o })[key] = after;
    }
    return copy ?? o;
  }

  private malformed(v: PropertyValue, shape: Shape, path: string, problem: string): PropertyValue {
    const field = path.startsWith(".") ? path.slice(1) : path;
    const shown = quoteValue(v);
    this.out.push({
      code: "malformed-field",
      severity: "error",
      resource: this.record.urn,
      field,
      value: shown,
      message: `${this.record.name}: ${this.inputs ? "the input " : ""}${field} is ${shown}, not ${expected(shape)}${problem !== "" ? ` (${problem})` : ""}; ${this.inputs ? "ignored: the outputs are read" : "treated as unknown"}`,
    });
    return unknown(path, this.record.urn, `malformed: ${shown} is not ${expected(shape)}`);
  }
}

/**
 * Every record with each malformed field replaced by an Unknown, and one diagnostic per malformed field. Records
 * of kinds the adapter does not model, and records with nothing malformed, are returned as they are.
 */
export function checkFieldShapes(records: readonly ResourceRecord[]): { records: ResourceRecord[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const out = records.map((record) => {
    const kind = kindOfType(record.type);
    const fields = kind === undefined ? undefined : FIELD_SHAPES[kind];
    if (fields === undefined) return record;
    const props = new ShapeCheck(record, diagnostics).fields(record.props, fields, "");
    // A preview's inputs fill the outputs' unknowns (reconcile.ts), which skips an input of the wrong shape without
    // a word; say so (fuzz seed 20261202, mutants 3022 and 3227: a VNet's input subnets given as an object).
    // Once per field: a value malformed in both (a deployed state echoes its inputs) is the outputs' finding.
    if (record.inputs !== undefined && record.inputs !== record.props) {
      const inputs: Diagnostic[] = [];
      new ShapeCheck(record, inputs, true).fields(record.inputs, fields, "");
      // Only when the inputs have a misfit: scanning every diagnostic per record is quadratic on large estates.
      if (inputs.length > 0) {
        const seen = new Set(diagnostics.filter((d) => d.resource === record.urn).map((d) => `${d.field} ${d.value}`));
        diagnostics.push(...inputs.filter((d) => !seen.has(`${d.field} ${d.value}`)));
      }
    }
    return props === record.props ? record : { ...record, props };
  });
  return { records: out, diagnostics };
}
