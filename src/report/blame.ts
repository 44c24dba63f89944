/**
 * Short descriptions of an intent result shared by the markdown, SARIF and JUnit reporters: the ends and traffic
 * of an intent, and the rule, route or value to blame. Plain strings: each reporter escapes them for its format.
 */
import type { Evidence, IntentResult } from "./types";

/** The logical name in a URN (`...::db-nsg` -> `db-nsg`); the text itself when it is not a URN. */
export function urnName(urn: string): string {
  const i = urn.lastIndexOf("::");
  return urn.startsWith("urn:") && i >= 0 ? urn.slice(i + 2) : urn;
}

const URN_PREFIX = "urn:pulumi:";

/** Ends a URN token: whitespace, `,`, `;`, `(` or `)`. */
function endsToken(c: string): boolean {
  return c === "," || c === ";" || c === "(" || c === ")" || c.trim() === "";
}

/**
 * Text with every Pulumi URN replaced by its logical name, for places where space is short: each `urn:pulumi:...`
 * token becomes the name after its last `::` (up to a `:`). The same as replacing
 * `/urn:pulumi:[^\s,;()]*::([^\s,;():]+)/g` by `$1`, in one linear pass: the regular expression backtracks over
 * the whole token for every `urn:pulumi:` inside it, quadratic on a long hostile token (issue 13).
 */
export function shortenUrns(text: string): string {
  let out = "";
  let from = 0;
  let search = 0;
  // Per token end: the start of its last usable `::` (one followed by a name character), or -1.
  let tokenEnd = -1;
  let lastSep = -1;
  for (;;) {
    const start = text.indexOf(URN_PREFIX, search);
    if (start < 0) break;
    const body = start + URN_PREFIX.length;
    if (tokenEnd < body) {
      let e = body;
      while (e < text.length && !endsToken(text[e])) e++;
      tokenEnd = e;
      lastSep = -1;
      for (let j = e - 3; j >= body; j--) {
        if (text[j] === ":" && text[j + 1] === ":" && text[j + 2] !== ":") {
          lastSep = j;
          break;
        }
      }
    }
    if (lastSep < body) {
      search = start + 1;
      continue;
    }
    let nameEnd = lastSep + 2;
    while (nameEnd < tokenEnd && text[nameEnd] !== ":") nameEnd++;
    out += text.slice(from, start) + text.slice(lastSep + 2, nameEnd);
    from = nameEnd;
    search = nameEnd;
  }
  return out + text.slice(from);
}

/** `{"asg":"asg-web"}` -> `asg asg-web`; `{"tag":{"tier":"web"}}` -> `tag tier=web`. */
function selectorText(sel: Readonly<Record<string, unknown>> | undefined): string {
  if (!sel) return "?";
  const parts = Object.entries(sel).map(([k, v]) => {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      return `${k} ${Object.entries(v as Record<string, unknown>).map(([tk, tv]) => `${tk}=${String(tv)}`).join(",")}`;
    }
    return `${k} ${String(v)}`;
  });
  return parts.length > 0 ? parts.join(" ") : "?";
}

/** Where the intent's flows start and end, in words; undefined when the result does not say (an intent error). */
export function intentEnds(r: IntentResult): { readonly from: string; readonly to: string } | undefined {
  if (r.reach) return { from: selectorText(r.reach.from), to: selectorText(r.reach.to) };
  const f = r.ipFlowVerify;
  if (f) {
    const at = `NIC ${f.nic}`;
    return f.direction === "Inbound" ? { from: f.remote, to: `${f.local} at ${at}` } : { from: `${f.local} at ${at}`, to: f.remote };
  }
  return undefined;
}

/** `Tcp 1433`, `Icmp`, `Any *`; IP flow verify assertions: `TCP Inbound`; empty when the result does not say. */
export function intentTraffic(r: IntentResult): string {
  if (r.reach) return r.reach.protocol === "Icmp" ? "Icmp" : `${r.reach.protocol} ${r.reach.ports}`;
  if (r.ipFlowVerify) return `${r.ipFlowVerify.protocol} ${r.ipFlowVerify.direction}`;
  return "";
}

/** One evidence line as a short blame: the rule, route, appliance or value that decides. */
function evidenceBlame(e: Evidence): string {
  switch (e.kind) {
    case "nsg-rule": {
      const prio = e.priority !== undefined ? `priority ${e.priority}, ` : "";
      // A rule that is "one of" several (deciding-rule.ts): every candidate, and the priority of the sure one.
      const rule = e.ruleNameCandidates ? `one of ${e.ruleNameCandidates.join(", ")}` : e.ruleName;
      return `${e.nsg.name}/${rule} (${prio}${e.direction}, ${e.access})`;
    }
    case "no-nsg":
      return `no NSG on ${e.nic.name} (${e.direction})`;
    case "route": {
      const hop = `${e.addressPrefix} -> ${e.nextHopType}${e.nextHopIpAddress ? ` ${e.nextHopIpAddress}` : ""}`;
      return e.routeTable === "System Route" ? `system route ${hop}` : `route ${e.routeName ?? e.addressPrefix} in ${e.routeTable.name}: ${hop}`;
    }
    case "appliance-no-forwarding":
      return `IP forwarding disabled on ${e.nic.name}`;
    default:
      return e.text;
  }
}

/** The decisive evidence of a result's counterexample, in path order. */
function decisiveEvidence(r: IntentResult): Evidence[] {
  return (r.counterexample?.evidence ?? []).filter((e) => e.decisive);
}

/**
 * What to blame, one line each: the decisive evidence of a failure, the unknown values of an undecided intent, or
 * the reason the intent cannot be checked. Empty for a pass.
 */
export function blameLines(r: IntentResult): string[] {
  if (r.verdict === "pass") return [];
  if (r.error) return [r.error];
  if (r.verdict === "indeterminate") {
    const unknowns = r.unknowns ?? [];
    if (unknowns.length > 0) return unknowns.map((u) => `unknown at preview: ${u}`);
  }
  const lines = decisiveEvidence(r).map(evidenceBlame);
  if (lines.length > 0) return lines;
  if (r.kind === "ipFlowVerify" && r.ipFlowVerify) {
    const f = r.ipFlowVerify;
    const found = f.access ? `${f.access}${f.ruleName ? ` by ${f.ruleName}` : ""}` : "no answer";
    return [`${f.nic}: ${found}`];
  }
  return [r.message];
}

/** `ends, traffic, ` for messages ("asg a -> asg b, Tcp 1433, "); empty when the result does not say. */
export function intentScope(r: IntentResult): string {
  const ends = intentEnds(r);
  return ends ? `${ends.from} -> ${ends.to}, ${intentTraffic(r)}, ` : "";
}

/** `a; b; c (+2 more)`. */
export function joinCapped(lines: readonly string[], max: number, sep = "; "): string {
  const shown = lines.slice(0, max).join(sep);
  return lines.length > max ? `${shown} (+${lines.length - max} more)` : shown;
}

/** The URNs of the resources the decisive evidence names (NSG rule owners, route tables, appliances), deduplicated. */
export function blamedUrns(r: IntentResult): string[] {
  const out: string[] = [];
  const add = (urn: string | undefined): void => {
    if (urn && !out.includes(urn)) out.push(urn);
  };
  for (const e of decisiveEvidence(r)) {
    switch (e.kind) {
      case "nsg-rule":
        add(e.ruleUrn);
        add(e.nsg.urn);
        break;
      case "no-nsg":
      case "appliance-no-forwarding":
      case "ingress":
        add(e.nic.urn);
        break;
      case "route":
        add(e.routeTable === "System Route" ? e.subnet.urn : e.routeTable.urn);
        break;
      case "dropped":
        add(e.resource?.urn);
        break;
      case "loop":
        for (const a of e.appliances) add(a.urn);
        break;
      case "firewall-rule":
        add(e.ruleUrn);
        break;
      default:
        break;
    }
  }
  return out;
}

/** The resource a result is attached to: its own, else the counterexample's destination, else the first blamed one. */
export function primaryUrn(r: IntentResult): string | undefined {
  return r.urn ?? r.counterexample?.destination?.urn ?? blamedUrns(r)[0];
}

/** Names worth looking for in the program source, best first: blamed rule names, then blamed and attached resources. */
export function sourceNames(r: IntentResult): string[] {
  const out: string[] = [];
  const add = (n: string | undefined): void => {
    if (n && !out.includes(n)) out.push(n);
  };
  for (const e of decisiveEvidence(r)) {
    if (e.kind === "nsg-rule") add(e.ruleName.slice(e.ruleName.indexOf("/") + 1));
    if (e.kind === "route" && e.routeName) add(e.routeName);
  }
  for (const urn of blamedUrns(r)) add(urnName(urn));
  const p = primaryUrn(r);
  if (p) add(urnName(p));
  return out;
}
