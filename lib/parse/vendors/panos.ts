/**
 * Palo Alto PAN-OS configuration in `set` format (also Panorama's shared / device-group / vsys scopes):
 * `address` (ip-netmask, ip-range, ip-wildcard), `address-group … static`, `service`, `service-group`, and security
 * rules (source, negate-source, service, application, action, disabled). Rules are evaluated pre-rulebase, then
 * the local rulebase, then post-rulebase, each in the order the rules first appear.
 */
import { parsePrefixOrAddress, parseRange, parseWildcardMask, makePrefix, parseAddress } from "../../ip";
import type { Entry, Finding, ParseOutput, Parser } from "../types";
import {
  OBJECTS_ONLY_NOTE,
  ObjectTable,
  addObjectMember,
  anyTerm,
  countLines,
  emitRule,
  finding,
  looksAddressBearing,
  namesReachedByAllow,
  negatedSources,
  objectsAsAllowlist,
  parsePortRange,
  prefixTerm,
  splitLines,
  tokenize,
  unusedObjectFindings,
} from "./common";
import type { AddressTerm, Line, ObjectMember, Resolved, ServiceTerm } from "./common";
import type { PortRange } from "../types";

interface Rule {
  readonly name: string;
  readonly line: Line;
  readonly sources: { readonly word: string; readonly line: Line }[];
  readonly destinations: { readonly word: string; readonly line: Line }[];
  readonly services: { readonly word: string; readonly line: Line }[];
  readonly applications: string[];
  action?: { readonly word: string; readonly line: Line };
  negateSource?: Line;
  disabled?: Line;
}

/** Predefined services: present on every firewall, absent from configs. */
const PREDEFINED_SERVICES: Readonly<Record<string, ServiceTerm>> = {
  "service-http": { protocol: "tcp", ports: [{ from: 80, to: 80 }, { from: 8080, to: 8080 }] },
  "service-https": { protocol: "tcp", ports: [{ from: 443, to: 443 }] },
};

/** Rule attributes that do not change which sources reach which port. */
const IRRELEVANT_RULE_KEYS = new Set(
  (
    "from to source-user source-hip destination-hip category description tag log-setting log-start log-end " +
    "profile-setting option rule-type group-tag schedule qos target uuid source-imei source-imsi source-nw-slice " +
    "negate-destination hip-profiles"
  ).split(" "),
);

const PREDEFINED_LINE: Line = { n: 0, text: "" };

const RULEBASES: Readonly<Record<string, number>> = { "pre-rulebase": 0, rulebase: 1, "post-rulebase": 2 };

export const panosParser: Parser = {
  id: "panos",
  label: "Palo Alto PAN-OS (set format)",
  detect(text) {
    const head = text.slice(0, 20000);
    const scope = "(?:(?:shared|vsys \\S+|device-group \\S+) )?";
    if (new RegExp(`^set ${scope}(?:pre-|post-)?rulebase security rules `, "m").test(head)) return 0.95;
    if (new RegExp(`^set ${scope}address \\S+ (?:ip-netmask|ip-range|ip-wildcard|fqdn) `, "m").test(head)) return 0.9;
    if (new RegExp(`^set ${scope}address-group \\S+ (?:static|dynamic)`, "m").test(head)) return 0.9;
    return 0;
  },
  parse: parsePanos,
};

/** Reads a value at w[i]: one word, or a bracketed list. */
function values(w: readonly string[], i: number): { readonly list: string[]; readonly next: number } {
  if (w[i] !== "[") return { list: w[i] === undefined ? [] : [w[i]!], next: i + 1 };
  const list: string[] = [];
  let j = i + 1;
  while (j < w.length && w[j] !== "]") list.push(w[j++]!);
  return { list, next: j + 1 };
}

/** A literal address written in a rule: address, prefix or range; undefined for names. */
function literalTerm(word: string): AddressTerm | undefined | string {
  if (word.includes("-") && /^[0-9a-f:.]+-[0-9a-f:.]+$/i.test(word)) {
    const r = parseRange(word);
    return r.ok ? { token: word, range: r.value, kind: "range" } : `"${word}": ${r.error.message}.`;
  }
  if (!/^[0-9a-f:.]+(?:\/\d+)?$/i.test(word) || !/[.:]/.test(word)) return undefined;
  const p = parsePrefixOrAddress(word);
  if (!p.ok) return `"${word}": ${p.error.message}.`;
  return prefixTerm(word, p.value, word.includes("/") ? "cidr" : "address");
}

function parsePanos(text: string): ParseOutput {
  const lines = splitLines(text);
  const findings: Finding[] = [];
  const entries: Entry[] = [];
  const addrs = new ObjectTable<AddressTerm>();
  const members: ObjectMember[] = [];
  const services = new ObjectTable<ServiceTerm>();
  const rules: [Map<string, Rule>, Map<string, Rule>, Map<string, Rule>] = [new Map(), new Map(), new Map()];

  const addressObject = (name: string, kind: string | undefined, value: string | undefined, line: Line): void => {
    if (value === undefined) return void findings.push(finding(line, "invalid", `The ${kind ?? "address"} value is missing.`));
    if (kind === "ip-netmask") {
      const p = parsePrefixOrAddress(value);
      if (!p.ok) return void findings.push(finding(line, "invalid", `"${value}": ${p.error.message}.`));
      const term = prefixTerm(value, p.value, value.includes("/") ? "cidr" : "address");
      return addObjectMember(addrs, members, name, { value: term, line }, line);
    }
    if (kind === "ip-range") {
      const r = parseRange(value);
      if (!r.ok) return void findings.push(finding(line, "invalid", `"${value}": ${r.error.message}.`));
      return addObjectMember(addrs, members, name, { value: { token: value, range: r.value, kind: "range" }, line }, line);
    }
    // ip-wildcard "10.1.0.0/0.0.255.255": a Cisco-style wildcard mask after the slash.
    const slash = value.indexOf("/");
    const a = parseAddress(value.slice(0, slash));
    const bits = parseWildcardMask(value.slice(slash + 1));
    if (slash < 0 || !a.ok || !bits.ok || bits.value > (a.value.family === 4 ? 32 : 128)) {
      const why = !bits.ok && a.ok ? `${bits.error.message}; it cannot be read as one address block` : "expected address/wildcard-mask";
      return void findings.push(finding(line, "invalid", `"${value}": ${why}.`));
    }
    addObjectMember(addrs, members, name, { value: prefixTerm(value, makePrefix(a.value, bits.value), "wildcard"), line }, line);
  };

  const serviceObject = (name: string, w: readonly string[], at: number, line: Line): void => {
    // protocol tcp|udp|sctp port 443,8000-8080 [source-port …] [override …]
    const protocol = w[at + 1];
    if (w[at] !== "protocol" || protocol === undefined) return void findings.push(finding(line, "not-understood", "Expected \"protocol tcp|udp port …\"."));
    services.define(name, { line, members: [] });
    const portAt = w.indexOf("port", at + 2);
    if (portAt < 0) return services.addMember(name, { value: { protocol }, line }, line);
    const ports: PortRange[] = [];
    for (const part of (w[portAt + 1] ?? "").split(",")) {
      const p = parsePortRange(part);
      if (!p) return void findings.push(finding(line, "invalid", `"${part}" is not a port or port range.`));
      ports.push(p);
    }
    services.addMember(name, { value: { protocol, ports }, line }, line);
  };

  for (const line of lines) {
    if (line.text === "" || line.text.startsWith("#")) continue;
    const w = tokenize(line.text);
    if (w[0] !== "set") {
      if (looksAddressBearing(line.text)) findings.push(finding(line, "not-understood", "Only \"set\" lines are read."));
      continue;
    }
    let i = 1;
    if (w[i] === "shared") i++;
    else if (w[i] === "vsys" || w[i] === "device-group") i += 2;
    const k = w[i];
    const name = w[i + 1];
    if (name === undefined) continue;
    if (k === "address") {
      const kind = w[i + 2];
      if (kind === "ip-netmask" || kind === "ip-range" || kind === "ip-wildcard") addressObject(name, kind, w[i + 3], line);
      else if (kind === "fqdn") {
        addrs.define(name, { line, members: [] });
        findings.push(finding(line, "hostname", `"${w[i + 3] ?? ""}" is a DNS name: it cannot be checked.`));
      } else if (kind !== "description" && kind !== "tag") findings.push(finding(line, "not-understood", `Address type "${kind ?? ""}" is not read.`));
    } else if (k === "address-group") {
      if (w[i + 2] === "static") {
        if (!addrs.has(name)) addrs.define(name, { line, members: [] });
        for (const m of values(w, i + 3).list) addObjectMember(addrs, members, name, { ref: m, line }, line);
      } else if (w[i + 2] === "dynamic") {
        addrs.define(name, { line, members: [] });
        findings.push(finding(line, "not-understood", `"${name}" is a dynamic group: its members are known only on the firewall.`));
      } else if (w[i + 2] !== "description" && w[i + 2] !== "tag") {
        findings.push(finding(line, "not-understood", "This address-group line is not understood."));
      }
    } else if (k === "service") {
      if (w[i + 2] !== "description" && w[i + 2] !== "tag") serviceObject(name, w, i + 2, line);
    } else if (k === "service-group") {
      if (w[i + 2] === "members") {
        if (!services.has(name)) services.define(name, { line, members: [] });
        for (const m of values(w, i + 3).list) services.addMember(name, { ref: m, line }, line);
      }
    } else if (k !== undefined && k in RULEBASES && w[i + 1] === "security" && w[i + 2] === "rules") {
      const ruleName = w[i + 3];
      if (ruleName !== undefined) readRuleLine(rules[RULEBASES[k]!]!, ruleName, w, i + 4, line);
    } else if (looksAddressBearing(line.text) && !(k !== undefined && k in RULEBASES)) {
      // NAT, decryption and other rulebases, interfaces, routes: addresses there say nothing about the allowlist.
      if (!/^(?:deviceconfig|network|mgt-config|template|template-stack|zone|import|log-settings|profiles)$/.test(k ?? "")) {
        findings.push(finding(line, "not-understood", "This line holds an address but is not understood."));
      }
    }
  }

  function readRuleLine(table: Map<string, Rule>, name: string, w: readonly string[], at: number, line: Line): void {
    let rule = table.get(name);
    if (!rule) {
      rule = { name, line, sources: [], destinations: [], services: [], applications: [] };
      table.set(name, rule);
    }
    let i = at;
    while (i < w.length) {
      const key = w[i]!;
      const v = values(w, i + 1);
      if (key === "source") rule.sources.push(...v.list.map((word) => ({ word, line })));
      else if (key === "destination") rule.destinations.push(...v.list.map((word) => ({ word, line })));
      else if (key === "service") rule.services.push(...v.list.map((word) => ({ word, line })));
      else if (key === "application") rule.applications.push(...v.list);
      else if (key === "action") rule.action = { word: v.list[0] ?? "", line };
      else if (key === "negate-source") {
        if (v.list[0] === "yes") rule.negateSource = line;
      } else if (key === "disabled") {
        if (v.list[0] === "yes") rule.disabled = line;
      } else if (IRRELEVANT_RULE_KEYS.has(key)) {
        // Nested settings (profile-setting group X, option …) run to the end of the line.
        if (key === "profile-setting" || key === "option" || key === "qos" || key === "target") return;
      } else {
        return void findings.push(finding(line, "not-understood", `Rule attribute "${key}" is not understood.`));
      }
      i = v.next;
    }
  }

  // Predefined services stay overridable by a same-named object in the paste.
  for (const [name, term] of Object.entries(PREDEFINED_SERVICES)) {
    if (!services.has(name)) services.define(name, { line: PREDEFINED_LINE, members: [{ value: term, line: PREDEFINED_LINE }] });
  }
  const reached = new Set<string>();
  let ruleCount = 0;
  for (const table of rules) {
    for (const rule of table.values()) {
      ruleCount++;
      emitPanosRule(rule);
    }
  }

  function emitPanosRule(rule: Rule): void {
    if (rule.disabled) return void findings.push(finding(rule.disabled, "note", `Rule "${rule.name}" is disabled: it does not filter traffic.`));
    if (!rule.action) findings.push(finding(rule.line, "note", `Rule "${rule.name}" sets no action: read as "allow", the PAN-OS default.`));
    const actionWord = rule.action?.word ?? "allow";
    const action = actionWord === "allow" ? "allow" : "deny";
    if (rule.action && !/^(?:allow|deny|drop|reset-client|reset-server|reset-both)$/.test(actionWord)) {
      findings.push(finding(rule.action.line, "not-understood", `Action "${actionWord}" is not understood: read as deny.`));
    }
    const svc: ServiceTerm[] = [];
    for (const s of rule.services) {
      if (s.word === "any") svc.push({});
      else if (s.word === "application-default") {
        const apps = rule.applications.filter((a) => a !== "any");
        svc.push({});
        if (apps.length > 0) {
          findings.push(finding(s.line, "note", `"application-default" uses the standard ports of ${apps.join(", ")}: read as any port.`));
        }
      } else svc.push(...services.resolve(s.word, s.line, findings).map((r) => r.value));
    }
    // No service left (all undefined) matches nothing; PAN-OS requires one, so an absent list means "any".
    if (rule.services.length > 0 && svc.length === 0) return;
    for (const d of rule.destinations) {
      if (d.word === "any" || typeof literalTerm(d.word) !== "undefined") continue;
      const resolved = addrs.resolve(d.word, d.line, findings);
      if (action === "allow") {
        reached.add(d.word);
        for (const r of resolved) for (const n of r.via) reached.add(n);
      }
    }
    const sources: Resolved<AddressTerm>[] = [];
    for (const s of rule.sources) {
      if (s.word === "any") {
        sources.push({ value: anyTerm("any", 4), line: s.line, via: [] }, { value: anyTerm("any", 6), line: s.line, via: [] });
        continue;
      }
      const lit = literalTerm(s.word);
      if (typeof lit === "string") findings.push(finding(s.line, "invalid", lit));
      else if (lit) sources.push({ value: lit, line: s.line, via: [] });
      else {
        sources.push(...addrs.resolve(s.word, s.line, findings));
        if (action === "allow") reached.add(s.word);
      }
    }
    const ruleLine = rule.sources[0]?.line ?? rule.line;
    if (rule.negateSource) {
      findings.push(finding(rule.negateSource, "negation", `Rule "${rule.name}" matches every source except the listed ones: read as all other addresses.`));
      const others = negatedSources(sources, [4, 6], ruleLine, `not ${rule.sources.map((x) => x.word).join(" ")}`);
      return emitRule(entries, others, { line: ruleLine, action, direction: "in", services: svc });
    }
    emitRule(entries, sources, { line: ruleLine, action, direction: "in", services: svc });
  }

  const notes: string[] = [];
  if (ruleCount === 0 && members.length > 0) {
    objectsAsAllowlist(members, (n) => addrs.has(n), entries, findings);
    notes.push(OBJECTS_ONLY_NOTE);
  } else if (ruleCount > 0) {
    findings.push(...unusedObjectFindings(addrs, namesReachedByAllow(entries, reached), "Address"));
  }
  findings.sort((x, y) => x.line - y.line);
  return { format: "panos", entries, findings, lineCount: countLines(text), notes };
}
