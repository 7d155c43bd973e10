/**
 * Palo Alto PAN-OS configuration in `set` format (also Panorama's shared / device-group / vsys scopes):
 * `address` (ip-netmask, ip-range, ip-wildcard), `address-group … static`, `service`, `service-group`, and security
 * rules (source, negate-source, service, application, action, disabled). Rules are evaluated pre-rulebase, then
 * the local rulebase, then post-rulebase, each in the order the rules first appear.
 */
import { parsePrefixOrAddress, parseRange, parseWildcardMask, makePrefix, parseAddress } from "../../ip";
import type { Entry, Finding, ParseOptions, ParseOutput, Parser, PathInfo } from "../types";
import { conditionalUnmet, joinUnmet, looksInternetFacing, sameName, tagEntries } from "./pathkit";
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
  negateDestination?: Line;
  disabled?: Line;
  readonly from: string[];
  readonly to: string[];
  readonly users: string[];
  schedule?: string;
  /** Panorama scope order inside a rulebase: shared pre-rules first, shared post-rules last. */
  readonly scope: "shared" | "local";
}

/**
 * Standard ports of common App-IDs, for `service application-default` (from Applipedia, the App-ID database:
 * https://applipedia.paloaltonetworks.com/). TCP only: the webhook is TCP.
 */
export const APP_DEFAULT_PORTS: Readonly<Record<string, readonly PortRange[]>> = {
  "web-browsing": [{ from: 80, to: 80 }],
  ssl: [{ from: 443, to: 443 }],
  "http-proxy": [{ from: 8080, to: 8080 }],
  ssh: [{ from: 22, to: 22 }],
  telnet: [{ from: 23, to: 23 }],
  ftp: [{ from: 21, to: 21 }],
  smtp: [{ from: 25, to: 25 }, { from: 587, to: 587 }],
  "smtp-base": [{ from: 25, to: 25 }, { from: 587, to: 587 }],
  pop3: [{ from: 110, to: 110 }],
  imap: [{ from: 143, to: 143 }],
  ldap: [{ from: 389, to: 389 }],
  ms_rdp: [{ from: 3389, to: 3389 }],
  "ms-rdp": [{ from: 3389, to: 3389 }],
  mysql: [{ from: 3306, to: 3306 }],
  postgres: [{ from: 5432, to: 5432 }],
  "mssql-db": [{ from: 1433, to: 1433 }],
  "ms-ds-smb": [{ from: 139, to: 139 }, { from: 445, to: 445 }],
  dns: [{ from: 53, to: 53 }],
  "dns-base": [{ from: 53, to: 53 }],
  "github-base": [{ from: 22, to: 22 }, { from: 80, to: 80 }, { from: 443, to: 443 }],
  "websocket": [{ from: 80, to: 80 }, { from: 443, to: 443 }],
  "http2": [{ from: 80, to: 80 }, { from: 443, to: 443 }],
  "quic": [],
  "ping": [],
  "icmp": [],
};

/** Predefined services: present on every firewall, absent from configs. */
const PREDEFINED_SERVICES: Readonly<Record<string, ServiceTerm>> = {
  "service-http": { protocol: "tcp", ports: [{ from: 80, to: 80 }, { from: 8080, to: 8080 }] },
  "service-https": { protocol: "tcp", ports: [{ from: 443, to: 443 }] },
};

/** Rule attributes that do not change which sources reach which port. */
const IRRELEVANT_RULE_KEYS = new Set(
  (
    "source-hip destination-hip category description tag log-setting log-start log-end " +
    "profile-setting option rule-type group-tag qos target uuid source-imei source-imsi source-nw-slice hip-profiles"
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

function parsePanos(text: string, options: ParseOptions = {}): ParseOutput {
  const lines = splitLines(text);
  const findings: Finding[] = [];
  const entries: Entry[] = [];
  const addrs = new ObjectTable<AddressTerm>();
  const members: ObjectMember[] = [];
  const services = new ObjectTable<ServiceTerm>();
  const rules: [Map<string, Rule>, Map<string, Rule>, Map<string, Rule>] = [new Map(), new Map(), new Map()];
  const zones: { name: string; line: Line }[] = [];
  /** The predefined interzone-default rule denies unless the paste overrides its action. */
  let interzoneDefault: { action: "allow" | "deny"; line: Line } | undefined;

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
    const shared = w[i] === "shared";
    if (w[i] === "shared") i++;
    else if (w[i] === "vsys" || w[i] === "device-group") i += 2;
    const k = w[i];
    if (k === "zone" && w[i + 1] !== undefined) {
      if (!zones.some((z) => z.name === w[i + 1])) zones.push({ name: w[i + 1]!, line });
      continue;
    }
    if (k !== undefined && k in RULEBASES && w[i + 1] === "default-security-rules" && w[i + 3] === "interzone-default" && w[i + 4] === "action") {
      interzoneDefault = { action: w[i + 5] === "allow" ? "allow" : "deny", line };
      continue;
    }
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
      if (ruleName !== undefined) readRuleLine(rules[RULEBASES[k]!]!, ruleName, w, i + 4, line, shared ? "shared" : "local");
    } else if (looksAddressBearing(line.text) && !(k !== undefined && k in RULEBASES)) {
      // NAT, decryption and other rulebases, interfaces, routes: addresses there say nothing about the allowlist.
      if (!/^(?:deviceconfig|network|mgt-config|template|template-stack|zone|import|log-settings|profiles)$/.test(k ?? "")) {
        findings.push(finding(line, "not-understood", "This line holds an address but is not understood."));
      }
    }
  }

  function readRuleLine(table: Map<string, Rule>, name: string, w: readonly string[], at: number, line: Line, scope: Rule["scope"]): void {
    let rule = table.get(name);
    if (!rule) {
      rule = { name, line, sources: [], destinations: [], services: [], applications: [], from: [], to: [], users: [], scope };
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
      else if (key === "from") rule.from.push(...v.list);
      else if (key === "to") rule.to.push(...v.list);
      else if (key === "source-user") rule.users.push(...v.list);
      else if (key === "schedule") rule.schedule = v.list[0];
      else if (key === "negate-source") {
        if (v.list[0] === "yes") rule.negateSource = line;
      } else if (key === "negate-destination") {
        if (v.list[0] === "yes") rule.negateDestination = line;
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
  const ingress = chooseZone(options, zones, rules);
  // Panorama order: shared pre-rules, device-group pre-rules, local rules, device-group post-rules, shared post-rules.
  const ordered = rules.flatMap((table, rb) => {
    const list = [...table.values()];
    const rank = (r: Rule) => (r.scope === "shared" ? (rb === 2 ? 1 : -1) : 0);
    return list.sort((a, b) => rank(a) - rank(b));
  });
  for (const rule of ordered) {
    ruleCount++;
    const from = entries.length;
    const unmet = emitPanosRule(rule);
    tagEntries(entries, from, 0, unmet);
  }

  /** Emits the rule's entries; returns the condition a new connection from the Internet-facing zone cannot meet. */
  function emitPanosRule(rule: Rule): string | undefined {
    const fromZones = rule.from.length === 0 ? ["any"] : rule.from;
    const zoneUnmet =
      ingress === undefined || fromZones.some((z) => z === "any" || sameName(z, ingress.name))
        ? undefined
        : `from zone ${fromZones.join(", ")}, not the Internet-facing zone ${ingress.name}`;
    const disabled = rule.disabled ? "disabled" : undefined;
    if (!rule.action) findings.push(finding(rule.line, "note", `Rule "${rule.name}" sets no action: read as "allow", the PAN-OS default.`));
    const actionWord = rule.action?.word ?? "allow";
    const action = actionWord === "allow" ? "allow" : "deny";
    if (rule.action && !/^(?:allow|deny|drop|reset-client|reset-server|reset-both)$/.test(actionWord)) {
      findings.push(finding(rule.action.line, "not-understood", `Action "${actionWord}" is not understood: read as deny.`));
    }
    const conditions: string[] = [];
    let appUnmet: string | undefined;
    const svc: ServiceTerm[] = [];
    for (const s of rule.services) {
      if (s.word === "any") svc.push({});
      else if (s.word === "application-default") {
        const apps = rule.applications.filter((a) => a !== "any");
        if (apps.length === 0) svc.push({});
        const unknown = apps.filter((a) => APP_DEFAULT_PORTS[a] === undefined);
        const known = apps.filter((a) => APP_DEFAULT_PORTS[a] !== undefined);
        const ports = known.flatMap((a) => APP_DEFAULT_PORTS[a]!);
        if (ports.length > 0) svc.push({ protocol: "tcp", ports });
        if (unknown.length > 0) {
          findings.push(
            finding(
              s.line,
              "not-understood",
              `"application-default" for ${unknown.join(", ")}: the standard ports of ${unknown.length === 1 ? "this App-ID are" : "these App-IDs are"} not in our table${action === "allow" ? ", so they are not counted as allowing anything" : ", so the rule is read as denying every port"}.`,
            ),
          );
          if (action === "deny") svc.push({});
        }
        if (svc.length === 0) appUnmet = `application-default: no TCP port is known for ${apps.join(", ")}`;
      } else svc.push(...services.resolve(s.word, s.line, findings).map((r) => r.value));
    }
    // No service left (all undefined) matches nothing; PAN-OS requires one, so an absent list means "any".
    if (rule.services.length > 0 && svc.length === 0 && appUnmet === undefined) return undefined;
    if (svc.length === 0) svc.push({});
    const users = rule.users.filter((u) => u !== "any");
    if (users.length > 0 && users.some((u) => u !== "unknown")) conditions.push(`only source-user ${users.join(", ")} (the vendor's servers are no known user)`);
    if (rule.schedule !== undefined) conditions.push(`only during schedule ${rule.schedule}`);
    if (rule.negateDestination) conditions.push("negate-destination (the listed destinations are assumed to hold the service)");
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
    const unmet = joinUnmet(disabled, zoneUnmet, appUnmet, conditionalUnmet(action, conditions));
    if (rule.negateSource) {
      const others = negatedSources(sources, [4, 6], ruleLine, `not ${rule.sources.map((x) => x.word).join(" ")}`);
      emitRule(entries, others, { line: ruleLine, action, direction: "in", services: svc });
      return unmet;
    }
    emitRule(entries, sources, { line: ruleLine, action, direction: "in", services: svc });
    return unmet;
  }

  const notes: string[] = [];
  if (ruleCount === 0 && members.length > 0) {
    objectsAsAllowlist(members, (n) => addrs.has(n), entries, findings);
    notes.push(OBJECTS_ONLY_NOTE);
  } else if (ruleCount > 0) {
    findings.push(...unusedObjectFindings(addrs, namesReachedByAllow(entries, reached), "Address"));
  }
  findings.sort((x, y) => x.line - y.line);
  const out: ParseOutput = { format: "panos", entries, findings, lineCount: countLines(text), notes };
  if (ruleCount === 0) return out;
  const fallthrough = interzoneDefault?.action ?? "deny";
  const path: PathInfo = {
    contexts: [
      {
        name: `security rules from ${ingress?.name ?? "any zone"} (pre, local, post)`,
        line: interzoneDefault?.line.n ?? 0,
        text: interzoneDefault?.line.text ?? "",
        fallthrough,
        onPath: true,
        reason: `Rules are evaluated in order, first match; no match ends in the interzone-default rule (${fallthrough}${interzoneDefault ? ", set in the paste" : ", predefined"}).`,
      },
    ],
    ...(ingress !== undefined ? { ingress: ingress.name } : {}),
    assumption:
      ingress === undefined
        ? "No rule names a source zone other than any: every rule applies. Override with --ingress ZONE."
        : `Internet-facing zone: ${ingress.name} (${ingress.why}); only rules from ${ingress.name} or any apply, and the service sits in another zone (interzone). Override with --ingress ZONE.`,
  };
  return { ...out, path };
}

/** The Internet-facing zone: given, or the first zone named like untrust/outside/internet, or the only from-zone used. */
function chooseZone(
  options: ParseOptions,
  zones: readonly { name: string; line: Line }[],
  rules: readonly Map<string, Rule>[],
): { name: string; why: string } | undefined {
  if (options.ingress !== undefined) return { name: options.ingress, why: "given" };
  const used: string[] = [];
  for (const t of rules) for (const r of t.values()) for (const z of r.from) if (z !== "any" && !used.includes(z)) used.push(z);
  const named = [...zones.map((z) => z.name), ...used].find((z) => looksInternetFacing(z));
  if (named !== undefined) return { name: named, why: "its name" };
  if (used.length === 1) return { name: used[0]!, why: "the only source zone the rules name" };
  if (used.length > 1) return { name: used[0]!, why: "the first source zone the rules name; none is named like untrust" };
  return undefined;
}
