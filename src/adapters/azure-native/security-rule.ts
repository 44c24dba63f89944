/**
 * One NSG security rule (inline in `securityRules` / `defaultSecurityRules`, or a standalone SecurityRule) into
 * the model's SecurityRule. A malformed rule is kept with `valid: false` and one `invalid-rule` diagnostic per
 * bad field; an unknown value stays Unknown (not invalid).
 */
import type { Access, AddressSpec, Direction, RuleOrigin, SecurityRule } from "../../model/topology";
import { undecidedRuleFields } from "../../model/topology";
import { isUnknown, unknown, type Maybe, type Unknown } from "../../model/unknown";
import type { ResourceRecord } from "../../resources/record";
import { parsePrefix, type ParsedPrefix } from "../../sets/ip-set";
import { PortSet } from "../../sets/port-set";
import { ProtocolSet } from "../../sets/protocol-set";
import { quoteValue } from "../../io/quote";
import { isRuleName } from "./rule-name";
import { memoized, report, type BuildContext } from "./context";
import { collectChildren, type ChildDraft } from "./entities";
import { get, indexPath, list, num, str, text, type PV } from "./props";
import { resolveRef } from "./refs";

export const CUSTOM_PRIORITY_MIN = 100;
export const CUSTOM_PRIORITY_MAX = 4096;

function reportRuleName(src: RuleSource, name: string): void {
  report(src.ctx, {
    code: "invalid-rule-name",
    severity: "warning",
    resource: src.record.urn,
    field: `${src.collection}[${name}].name`,
    value: quoteValue(name),
    message: `NSG ${src.nsgName} rule ${quoteValue(name)}: the name is not one Azure accepts (up to 80 letters, digits, '.', '-', '_', starting with a letter, digit or '_'); Azure will reject the deployment`,
  });
}

/** A service tag or other word (VirtualNetwork, Internet, Storage.WestUS, AzureCloud.EastUS2, ...). */
const TAG_PATTERN = /^[A-Za-z][A-Za-z0-9._-]*$/;

export interface RuleSource {
  readonly ctx: BuildContext;
  readonly nsgKey: string;
  readonly nsgUrn: string;
  /** NSG name for messages (Azure name when known, else the logical name). */
  readonly nsgName: string;
  /** The resource that declares the rule (standalone SecurityRule, or the NSG). */
  readonly record: ResourceRecord;
  readonly origin: RuleOrigin;
  readonly collection: "securityRules" | "defaultSecurityRules";
  /** Top-level property of `record` holding a given rule field (for propertyDependencies). */
  readonly depProp: (field: string) => string;
}

type Side = "source" | "destination";

/** The fields of one side, spelled out once: property names built per rule are slow keys and garbage. */
interface SideFields {
  readonly addressPrefix: string;
  readonly addressPrefixes: string;
  readonly asgs: string;
  readonly portRange: string;
  readonly portRanges: string;
}

const FIELDS: Readonly<Record<Side, SideFields>> = {
  source: {
    addressPrefix: "sourceAddressPrefix",
    addressPrefixes: "sourceAddressPrefixes",
    asgs: "sourceApplicationSecurityGroups",
    portRange: "sourcePortRange",
    portRanges: "sourcePortRanges",
  },
  destination: {
    addressPrefix: "destinationAddressPrefix",
    addressPrefixes: "destinationAddressPrefixes",
    asgs: "destinationApplicationSecurityGroups",
    portRange: "destinationPortRange",
    portRanges: "destinationPortRanges",
  },
};

/** What one address item says, whatever rule writes it. */
type AddressParse =
  | { readonly kind: "any" }
  | { readonly kind: "prefix"; readonly set: Extract<ParsedPrefix, { ok: true }>["set"]; readonly warning?: string }
  | { readonly kind: "tag"; readonly tag: string }
  | { readonly kind: "invalid"; readonly error: string };

function parseAddress(raw: string): AddressParse {
  const t = raw.trim();
  if (t === "*" || t.toLowerCase() === "any") return { kind: "any" };
  const parsed = parsePrefix(t);
  if (parsed.ok) return { kind: "prefix", set: parsed.set, ...(parsed.warning !== undefined ? { warning: parsed.warning } : {}) };
  if (TAG_PATTERN.test(t)) return { kind: "tag", tag: t };
  return { kind: "invalid", error: parsed.error };
}

/** Inline NetworkSecurityGroup.securityRules and standalone SecurityRule resources, merged per NSG. */
export function collectSecurityRules(ctx: BuildContext): ChildDraft[] {
  return collectChildren(ctx, "securityRule");
}

export function parseSecurityRule(src: RuleSource, body: PV, basePath: string, name: string): SecurityRule {
  if (isUnknown(body)) return unknownRule({ name, nsgKey: src.nsgKey, urn: src.record.urn, origin: src.origin }, body);
  const p = new RuleParser(src, body, basePath, name);
  if (!isRuleName(name)) reportRuleName(src, name);
  const priority = p.priority();
  const direction = p.direction();
  const access = p.access();
  const protocol = p.protocol();
  const sources = p.addresses("source");
  const destinations = p.addresses("destination");
  const sourcePorts = p.ports("source");
  const destinationPorts = p.ports("destination");
  const description = text(get(body, "description"));
  // One literal with every field: spreading `base` first and adding the rest was the adapter's costliest line.
  const rule: SecurityRule = {
    name,
    nsgKey: src.nsgKey,
    urn: src.record.urn,
    origin: src.origin,
    priority,
    direction,
    access,
    protocol: protocol.set,
    protocolText: protocol.text,
    sources,
    destinations,
    sourcePorts,
    destinationPorts,
    valid: p.valid,
  };
  return typeof description === "string" ? { ...rule, description } : rule;
}

/** The whole rule is unknown at preview: every field says so. */
function unknownRule(base: Pick<SecurityRule, "name" | "nsgKey" | "urn" | "origin">, u: Unknown): SecurityRule {
  return { ...base, ...undecidedRuleFields(u) };
}

class RuleParser {
  valid = true;

  constructor(
    private readonly src: RuleSource,
    private readonly body: PV,
    private readonly basePath: string,
    private readonly name: string,
  ) {}

  priority(): Maybe<number> {
    const v = num(get(this.body, "priority"));
    if (isUnknown(v)) return v;
    if (v === undefined) return this.missing("priority");
    const custom = this.src.origin !== "default";
    if (!Number.isInteger(v)) return this.invalid("priority", String(v), `${v} is not a whole number`);
    if (custom && (v < CUSTOM_PRIORITY_MIN || v > CUSTOM_PRIORITY_MAX)) {
      return this.invalid(
        "priority",
        String(v),
        `${v} is outside the range ${CUSTOM_PRIORITY_MIN}-${CUSTOM_PRIORITY_MAX} Azure allows for custom rules`,
      );
    }
    return v;
  }

  direction(): Maybe<Direction> {
    return this.oneOf("direction", ["Inbound", "Outbound"]);
  }

  access(): Maybe<Access> {
    return this.oneOf("access", ["Allow", "Deny"]);
  }

  protocol(): { set: Maybe<ProtocolSet>; text: string } {
    const v = text(get(this.body, "protocol"));
    if (isUnknown(v)) return { set: v, text: "" };
    if (v === undefined) return { set: this.missing("protocol"), text: "" };
    const parsed = memoized(this.src.ctx, "protocol", v, ProtocolSet.fromAzure);
    if (!parsed.ok) return { set: this.invalid("protocol", v, parsed.error), text: v };
    return { set: parsed.set, text: v };
  }

  /** `<side>AddressPrefix`, `<side>AddressPrefixes` (augmented rule) and `<side>ApplicationSecurityGroups`. */
  addresses(side: Side): Maybe<readonly AddressSpec[]> {
    const { addressPrefix: singleField, addressPrefixes: pluralField, asgs: asgField } = FIELDS[side];
    const single = text(get(this.body, singleField));
    const plural = nonEmptyList(get(this.body, pluralField));
    const asgs = nonEmptyList(get(this.body, asgField));
    const present = [single, plural, asgs].filter((x) => x !== undefined).length;
    if (present === 0) {
      this.missing(singleField, `neither ${singleField}, ${pluralField} nor ${asgField} is set`);
      return [];
    }
    if (present > 1) this.conflict(single !== undefined ? singleField : pluralField, asgs !== undefined ? asgField : pluralField);

    const specs: AddressSpec[] = [];
    let firstUnknown: Unknown | undefined;
    const addItem = (v: PV, field: string): void => {
      const s = str(v);
      if (isUnknown(s)) firstUnknown ??= s;
      else if (s === undefined) this.invalid(field, JSON.stringify(v), `${JSON.stringify(v)} is not an address prefix`);
      else {
        const spec = this.addressItem(s, field);
        if (spec !== undefined) specs.push(spec);
      }
    };
    if (single !== undefined) addItem(single, singleField);
    if (isUnknown(plural)) firstUnknown ??= plural;
    else plural?.forEach((item) => addItem(item, pluralField));
    if (isUnknown(asgs)) firstUnknown ??= asgs;
    else asgs?.forEach((item, i) => specs.push(this.asgItem(item, asgField, i)));
    return firstUnknown ?? specs;
  }

  private addressItem(raw: string, field: string): AddressSpec | undefined {
    const parsed = memoized(this.src.ctx, "address", raw, parseAddress);
    switch (parsed.kind) {
      case "any":
        return { kind: "any", text: raw };
      case "prefix":
        if (parsed.warning !== undefined) this.normalised(field, raw, parsed.warning);
        return { kind: "prefix", text: raw, set: parsed.set };
      case "tag":
        return { kind: "tag", text: raw, tag: parsed.tag };
      default:
        this.invalid(field, raw, parsed.error);
        return undefined;
    }
  }

  private asgItem(item: PV, field: string, i: number): AddressSpec {
    const path = indexPath(`${this.basePath}.${field}`, i);
    const asgKey = resolveRef(this.src.ctx, {
      value: item,
      path,
      record: this.src.record,
      depProp: this.src.depProp(field),
      kind: "asg",
    });
    const id = str(get(item, "id"));
    const label = typeof asgKey === "string" ? (this.src.ctx.refs.get(asgKey)?.label ?? asgKey) : "(unknown)";
    return { kind: "asg", text: typeof id === "string" ? id : label, asgKey: asgKey ?? unknown(path, this.src.record.urn, "missing") };
  }

  /** `<side>PortRange` or `<side>PortRanges`. */
  ports(side: Side): Maybe<PortSet> {
    const { portRange: singleField, portRanges: pluralField } = FIELDS[side];
    const single = text(get(this.body, singleField));
    const plural = nonEmptyList(get(this.body, pluralField));
    if (single === undefined && plural === undefined) {
      this.missing(singleField, `neither ${singleField} nor ${pluralField} is set`);
      return PortSet.empty();
    }
    if (single !== undefined && plural !== undefined) this.conflict(singleField, pluralField);
    let acc = PortSet.empty();
    let firstUnknown: Unknown | undefined;
    const addItem = (v: PV, field: string): void => {
      const s = str(v);
      if (isUnknown(s)) {
        firstUnknown ??= s;
        return;
      }
      const written = s ?? JSON.stringify(v);
      const parsed = memoized(this.src.ctx, "ports", written, PortSet.parse);
      if (!parsed.ok) this.invalid(field, written, parsed.error);
      else acc = acc.union(parsed.set);
    };
    if (single !== undefined) addItem(single, singleField);
    if (isUnknown(plural)) firstUnknown ??= plural;
    else plural?.forEach((item) => addItem(item, pluralField));
    return firstUnknown ?? acc;
  }

  private oneOf<T extends string>(field: string, allowed: readonly T[]): Maybe<T> {
    const v = text(get(this.body, field));
    if (isUnknown(v)) return v;
    if (v === undefined) return this.missing(field, `is missing (${allowed.join(" or ")})`);
    const match = allowed.find((a) => a.toLowerCase() === v.trim().toLowerCase());
    if (match === undefined) return this.invalid(field, v, `"${v}" is not ${allowed.join(" or ")}`);
    return match;
  }

  private fieldName(field: string): string {
    return `${this.src.collection}[${this.name}].${field}`;
  }

  private prefix(): string {
    return `NSG ${this.src.nsgName} rule ${this.name}`;
  }

  /** Reports a malformed field; the rule will not be evaluated. Returns a placeholder for the field. */
  private invalid(field: string, value: string | undefined, problem: string): Unknown {
    this.valid = false;
    report(this.src.ctx, {
      code: "invalid-rule",
      severity: "error",
      resource: this.src.nsgUrn,
      field: this.fieldName(field),
      ...(value !== undefined ? { value } : {}),
      message: `${this.prefix()}: ${field} ${problem}`,
    });
    return unknown(`${this.basePath}.${field}`, this.src.record.urn, "invalid");
  }

  private missing(field: string, detail?: string): Unknown {
    const problem = detail === undefined ? "is missing" : detail.startsWith("is ") ? detail : `is missing: ${detail}`;
    return this.invalid(field, undefined, problem);
  }

  private conflict(a: string, b: string): void {
    report(this.src.ctx, {
      code: "conflicting-fields",
      severity: "error",
      resource: this.src.nsgUrn,
      field: this.fieldName(a),
      message: `${this.prefix()}: both ${a} and ${b} are set; Azure rejects this, the union is used`,
    });
  }

  private normalised(field: string, value: string, warning: string): void {
    report(this.src.ctx, {
      code: "prefix-normalised",
      severity: "warning",
      resource: this.src.nsgUrn,
      field: this.fieldName(field),
      value,
      message: `${this.prefix()}: ${field} ${warning}`,
    });
  }
}

/** A list with at least one element, or an Unknown; `[]` counts as absent (Azure returns empty lists). */
function nonEmptyList(v: PV): readonly PV[] | Unknown | undefined {
  const l = list(v);
  if (isUnknown(l)) return l;
  return l !== undefined && l.length > 0 ? l : undefined;
}
